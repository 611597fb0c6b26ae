//! `cargo xtask corpus`: every public document in `../shared/corpus/`
//! through strict and lenient regen, `cargo check` and clippy, as a
//! Markdown table; optionally next to what progenitor 0.15.1 does with each.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use openapi_clientgen::{Config, Settings};

/// Options of `cargo xtask corpus`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Also run progenitor 0.15.1 (bench/progenitor-probe) on each document.
    #[arg(long)]
    pub progenitor: bool,
    /// Only generate: skip `cargo check` and clippy.
    #[arg(long)]
    pub no_build: bool,
    /// A folder of documents, repeatable (default: ../shared/corpus beside
    /// the project, then the project's own tests/corpus). A document is a
    /// file, or a folder holding a multi-file spec, read within it.
    #[arg(long, value_name = "DIR")]
    pub dir: Vec<PathBuf>,
}

/// What happened to one document.
#[derive(Debug)]
pub struct Row {
    /// The file name.
    pub document: String,
    /// Strict regen: `None` when it generated, else the first reason.
    pub strict_refusal: Option<String>,
    /// Lenient regen: operations generated and skipped (with reasons), or
    /// the reason the whole document was refused.
    pub lenient: std::result::Result<(usize, Vec<String>), String>,
    /// Milliseconds of the lenient regen, in process.
    pub regen_ms: f64,
    /// `cargo check` passed (`None` when not built).
    pub compiles: Option<bool>,
    /// `cargo clippy --features schemars,mock -- -D warnings` passed, with
    /// every tag's feature on (the default) and with none.
    pub clippy_clean: Option<bool>,
    /// progenitor's outcome, when asked.
    pub progenitor: Option<String>,
}

/// Runs the command: prints the table, fails when a crate does not compile
/// or is not clippy-clean.
pub fn run(args: &Args) -> Result<ExitCode> {
    let root = crate::project_root();
    let dirs = if args.dir.is_empty() {
        vec![root.join("../shared/corpus"), root.join("tests/corpus")]
    } else {
        args.dir.clone()
    };
    let mut rows = Vec::new();
    for dir in &dirs {
        rows.extend(self::rows(&root, dir, !args.no_build, args.progenitor)?);
    }
    print!("{}", table(&rows, args.progenitor));
    let broken = rows
        .iter()
        .filter(|row| row.compiles == Some(false) || row.clippy_clean == Some(false))
        .count();
    Ok(if broken == 0 {
        ExitCode::SUCCESS
    } else {
        eprintln!("corpus: {broken} generated crates do not compile or are not clippy-clean");
        ExitCode::FAILURE
    })
}

/// One row per document of `dir`, in name order: each file, and each
/// folder holding a multi-file spec.
pub fn rows(root: &Path, dir: &Path, build: bool, progenitor: bool) -> Result<Vec<Row>> {
    let mut documents: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| is_document_file(path) || (path.is_dir() && !files_under(path).is_empty()))
        .collect();
    documents.sort();
    if documents.is_empty() {
        bail!("no OpenAPI documents in {}", dir.display());
    }
    let probe = if progenitor {
        Some(build_probe(root)?)
    } else {
        None
    };
    documents
        .iter()
        .map(|document| {
            if document.is_dir() {
                let spec = root_document(document)?;
                row(root, &spec, Some(document), build, probe.as_deref())
            } else {
                row(root, document, None, build, probe.as_deref())
            }
        })
        .collect()
}

/// The YAML and JSON files in `folder` and below, sorted; a folder
/// without any (licence texts) is not a document.
fn files_under(folder: &Path) -> Vec<PathBuf> {
    let mut pending = vec![folder.to_owned()];
    let mut files = Vec::new();
    while let Some(dir) = pending.pop() {
        for path in std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        {
            if path.is_dir() {
                pending.push(path);
            } else if is_document_file(&path) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn is_document_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// The root file of the multi-file spec in `folder`: the one file (first
/// by path) whose top level says which OpenAPI or Swagger version it is.
pub fn root_document(folder: &Path) -> Result<PathBuf> {
    files_under(folder)
        .into_iter()
        .find(|path| {
            std::fs::read_to_string(path).is_ok_and(|text| {
                text.lines().any(|line| {
                    line.starts_with("openapi:")
                        || line.starts_with("swagger:")
                        || line.trim_start().starts_with("\"openapi\"")
                        || line.trim_start().starts_with("\"swagger\"")
                })
            })
        })
        .with_context(|| format!("no OpenAPI root document in {}", folder.display()))
}

fn row(
    root: &Path,
    document: &Path,
    spec_root: Option<&Path>,
    build: bool,
    probe: Option<&Path>,
) -> Result<Row> {
    // A multi-file spec is named after its folder.
    let named = spec_root.unwrap_or(document);
    let name = named
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    let stem = name.split('.').next().unwrap_or("document").to_owned();
    let mut config = Config::new(format!("corpus-{stem}"), "0.1.0");
    // Every tag a feature (all on by default), so that the crates are
    // checked with every tag and with none.
    config.features.per_tag = true;
    let settings = |lenient| Settings {
        lenient,
        runtime: openapi_clientgen::Runtime::path_between(
            &root.join("target/corpus").join(&stem),
            &root.join("runtime"),
        ),
        cache: None,
        previous: None,
        spec_root: spec_root.map(Path::to_owned),
    };
    let first_line = |error: &openapi_clientgen::Error| {
        error
            .to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    let strict_refusal = openapi_clientgen::generate(document, &config, &settings(false))
        .err()
        .map(|error| first_line(&error));
    let started = Instant::now();
    let lenient = openapi_clientgen::generate(document, &config, &settings(true));
    let regen_ms = started.elapsed().as_secs_f64() * 1000.0;
    let (lenient, compiles, clippy_clean) = match lenient {
        Err(error) => (Err(first_line(&error)), None, None),
        Ok(generated) => {
            let operations = generated
                .files
                .keys()
                .filter(|path| path.starts_with("src/operations/") && !path.ends_with("mod.rs"))
                .count();
            let skipped = generated
                .report
                .skipped
                .iter()
                .map(|skipped| {
                    let reason = skipped
                        .reasons
                        .first()
                        .map(|reason| reason.message.clone())
                        .unwrap_or_default();
                    format!("`{}`: {reason}", skipped.operation)
                })
                .collect();
            let (compiles, clean) = if build {
                let out = root.join("target/corpus").join(&stem);
                openapi_clientgen::write::replace_dir(&out, &generated)?;
                std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))?;
                // clippy compiles the crate too: a clean crate is checked
                // once, and only one clippy refuses is checked again.
                let clean = cargo_ok(
                    root,
                    &out,
                    &[
                        "clippy",
                        "--features",
                        "schemars,mock",
                        "--",
                        "-D",
                        "warnings",
                    ],
                )?;
                let compiles =
                    clean || cargo_ok(root, &out, &["check", "--features", "schemars,mock"])?;
                // No tag on: only what no operation reaches.
                let clean_without_tags = clean
                    && cargo_ok(
                        root,
                        &out,
                        &[
                            "clippy",
                            "--no-default-features",
                            "--features",
                            "rustls,schemars,mock",
                            "--",
                            "-D",
                            "warnings",
                        ],
                    )?;
                (Some(compiles), Some(clean_without_tags))
            } else {
                (None, None)
            };
            (Ok((operations, skipped)), compiles, clean)
        }
    };
    let progenitor = probe.map(|probe| run_probe(root, probe, document, &stem));
    Ok(Row {
        document: name,
        strict_refusal,
        lenient,
        regen_ms,
        compiles,
        clippy_clean,
        progenitor,
    })
}

/// `cargo ARGS` in a generated crate, quietly, offline, with a shared target folder.
fn cargo_ok(root: &Path, dir: &Path, args: &[&str]) -> Result<bool> {
    Ok(Command::new(crate::cargo())
        .args(args.iter().take(1))
        .args(["--quiet", "--offline"])
        .args(args.iter().skip(1))
        .current_dir(dir)
        .env(
            "CARGO_TARGET_DIR",
            root.join("target/generated-crates-build"),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?
        .success())
}

fn build_probe(root: &Path) -> Result<PathBuf> {
    let target = root.join("target/bench-probe");
    let status = Command::new(crate::cargo())
        .args(["build", "--quiet", "--release"])
        .current_dir(root.join("bench/progenitor-probe"))
        .env("CARGO_TARGET_DIR", &target)
        .status()?;
    if !status.success() {
        bail!("bench/progenitor-probe does not build");
    }
    Ok(target.join("release/progenitor-probe"))
}

/// progenitor's outcome: generated, refused, or panicked (with the message's start).
fn run_probe(root: &Path, probe: &Path, document: &Path, stem: &str) -> String {
    let out = root.join("target/corpus-progenitor").join(stem);
    match Command::new(probe).arg(document).arg(&out).output() {
        Ok(output) if output.status.success() => "generates".to_owned(),
        Ok(output) => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let message = stderr
                .lines()
                .find(|line| line.contains("panicked") || line.contains("error"))
                .and_then(|line| line.split("panicked at").nth(1).or(Some(line)))
                .unwrap_or("failed")
                .trim();
            let next = stderr
                .lines()
                .skip_while(|line| !line.contains("panicked"))
                .nth(1)
                .unwrap_or_default();
            // The crate's own path, without the registry's prefix.
            let message = message
                .rsplit_once("progenitor-impl-0.15.1/")
                .map_or(message, |(_, rest)| rest);
            let short: String = format!("{message} {next}").chars().take(110).collect();
            format!("panics: {}", short.replace('|', "\\|"))
        }
        Err(error) => format!("did not run: {error}"),
    }
}

/// The Markdown table.
pub fn table(rows: &[Row], progenitor: bool) -> String {
    let mut out = String::from(
        "| document | operations generated | skipped (why) | strict regen | compiles | clippy-clean | lenient regen (ms) |",
    );
    if progenitor {
        out.push_str(" progenitor 0.15.1 |");
    }
    out.push_str("\n| --- | ---: | --- | --- | --- | --- | ---: |");
    if progenitor {
        out.push_str(" --- |");
    }
    out.push('\n');
    let yes_no = |value: Option<bool>| match value {
        Some(true) => "yes",
        Some(false) => "**no**",
        None => "—",
    };
    for row in rows {
        let (operations, skipped) = match &row.lenient {
            Ok((operations, skipped)) if skipped.is_empty() => {
                (operations.to_string(), "none".to_owned())
            }
            Ok((operations, skipped)) => (
                operations.to_string(),
                format!("{}: {}", skipped.len(), skipped.join("; ")),
            ),
            Err(reason) => ("refused".to_owned(), reason.clone()),
        };
        let strict = match &row.strict_refusal {
            None => "generates".to_owned(),
            Some(reason) => format!("refuses: {reason}"),
        };
        let _ = write!(
            out,
            "| {} | {} | {} | {} | {} | {} | {:.0} |",
            row.document,
            operations,
            escape(&skipped),
            escape(&strict),
            yes_no(row.compiles),
            yes_no(row.clippy_clean),
            row.regen_ms
        );
        if let Some(outcome) = &row.progenitor {
            let _ = write!(out, " {} |", escape(outcome));
        }
        out.push('\n');
    }
    out
}

/// Table cells keep to one line and no column breaks; paths lose the machine's prefix.
fn escape(text: &str) -> String {
    let text: String = text.replace('|', "\\|").replace('\n', " ");
    match text.find("shared/corpus/") {
        Some(_) => text
            .split_whitespace()
            .map(|word| match word.find("shared/corpus/") {
                Some(at) => word[at + "shared/corpus/".len()..].to_owned(),
                None => word.to_owned(),
            })
            .collect::<Vec<_>>()
            .join(" "),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_keep_to_one_column_and_lose_the_machine_prefix() {
        assert_eq!(
            escape("/work/main/../shared/corpus/a.json:3: x | y\nz"),
            "a.json:3: x \\| y z"
        );
    }
}
