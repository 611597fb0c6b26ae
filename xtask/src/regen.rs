//! `cargo xtask regen`: spec in, crate out.

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use codegen::{Config, Settings, write};

use crate::project_root;

/// `cargo xtask regen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write nothing; fail with a unified diff when the output is stale.
    #[arg(long)]
    check: bool,
    /// Skip operations that cannot be represented, naming each and why.
    #[arg(long)]
    lenient: bool,
    /// The OpenAPI document (default: spec/openapi.yaml).
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// The crate's folder (default: generated/).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The crate's settings, instead of codegen.toml beside the spec.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

/// One spec to one folder.
#[derive(Debug)]
struct Job {
    spec: PathBuf,
    out: PathBuf,
    /// The crate name when there is no `codegen.toml` beside the spec.
    name: Option<String>,
    /// `--config`: settings to use instead of `codegen.toml` beside the spec.
    config: Option<PathBuf>,
}

/// The jobs the arguments ask for: the project's own without any of
/// `--spec`, `--out` and `--config`, else one.
fn jobs(args: &Args) -> Result<Vec<Job>> {
    let root = project_root();
    if args.spec.is_none() && args.out.is_none() && args.config.is_none() {
        return default_jobs(&root);
    }
    let absolute = |path: &Path| {
        std::path::absolute(path).with_context(|| format!("cannot resolve `{}`", path.display()))
    };
    Ok(vec![Job {
        spec: absolute(
            args.spec
                .as_deref()
                .unwrap_or(&root.join("spec/openapi.yaml")),
        )?,
        out: absolute(args.out.as_deref().unwrap_or(&root.join("generated")))?,
        name: None,
        config: args.config.as_deref().map(absolute).transpose()?,
    }])
}

/// `spec/` into `generated/`, and every fixture of `tests/fixtures/` into
/// its snapshot crate under `tests/snapshots/`.
fn default_jobs(root: &Path) -> Result<Vec<Job>> {
    let mut jobs = vec![Job {
        spec: root.join("spec/openapi.yaml"),
        out: root.join("generated"),
        name: None,
        config: None,
    }];
    let fixtures = root.join("tests/fixtures");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .with_context(|| format!("cannot list {}", fixtures.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    specs.sort();
    for spec in specs {
        let stem = spec
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        jobs.push(Job {
            out: root.join("tests/snapshots").join(&stem),
            name: Some(format!("snapshot-{stem}")),
            config: None,
            spec,
        });
    }
    Ok(jobs)
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let mut code = ExitCode::SUCCESS;
    for job in &jobs(args)? {
        if run_job(job, args.check, args.lenient)? != ExitCode::SUCCESS {
            code = ExitCode::FAILURE;
        }
    }
    Ok(code)
}

fn run_job(job: &Job, check: bool, lenient: bool) -> Result<ExitCode> {
    let config = config_for(job)?;
    let cache = cache_for(&job.out);
    let settings = Settings {
        lenient,
        runtime_path: runtime_path_from(&job.out),
        cache: Some(cache.clone()),
        // Unchanged files are kept from the crate being replaced.
        previous: Some(job.out.clone()),
    };
    let generated = match codegen::generate(&job.spec, &config, &settings) {
        Ok(generated) => generated,
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("nothing was written; {} is unchanged", display(&job.out));
            return Ok(ExitCode::FAILURE);
        }
    };
    for warning in &generated.report.warnings {
        eprintln!("warning: {warning}");
    }
    for skipped in &generated.report.skipped {
        eprintln!("warning: skipped operation `{}`:", skipped.operation);
        for reason in &skipped.reasons {
            eprintln!("    {reason}");
        }
    }
    if lenient {
        eprintln!(
            "lenient: {} operations skipped, {} warnings",
            generated.report.skipped.len(),
            generated.report.warnings.len()
        );
    }
    if check {
        let diff = write::diff_dir(&job.out, &generated)?;
        note_output(&cache, &job.out);
        return match diff {
            None => {
                println!(
                    "{} is up to date with {}",
                    display(&job.out),
                    display(&job.spec)
                );
                Ok(ExitCode::SUCCESS)
            }
            Some(diff) => {
                print!("{diff}");
                eprintln!(
                    "error: {} is stale: it differs from what {} generates (diff above). Run `cargo xtask regen` and commit the result.",
                    display(&job.out),
                    display(&job.spec)
                );
                Ok(ExitCode::FAILURE)
            }
        };
    }
    write::replace_dir(&job.out, &generated)?;
    note_output(&cache, &job.out);
    println!(
        "wrote {} files to {} from {}",
        generated.files.len(),
        display(&job.out),
        display(&job.spec)
    );
    Ok(ExitCode::SUCCESS)
}

/// `--config`, or `codegen.toml` beside the spec, or defaults named after
/// the output folder.
fn config_for(job: &Job) -> Result<Config> {
    let beside = job.spec.with_file_name("codegen.toml");
    Ok(if let Some(file) = &job.config {
        Config::read(file)?
    } else if let Some(name) = &job.name {
        Config::new(name.clone(), "0.1.0")
    } else if beside.exists() {
        Config::read(&beside)?
    } else {
        let name = job
            .out
            .file_name()
            .map(|name| package_name(&name.to_string_lossy()))
            .unwrap_or_else(|| "generated-client".to_owned());
        Config::new(name, "0.1.0")
    })
}

/// A valid package name from a folder name: `petstore.yaml` becomes `petstore-yaml`.
fn package_name(folder: &str) -> String {
    let name: String = folder
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_matches('-');
    match name.chars().next() {
        Some(first) if first.is_ascii_alphabetic() => name.to_owned(),
        Some(_) => format!("client-{name}"),
        None => "generated-client".to_owned(),
    }
}

/// What regen keeps for the crate at `out` (rustfmt's results, pattern
/// verdicts), under `target/regen-cache/`: one folder per output folder,
/// since each run keeps only what it used. Folders whose output is gone (a
/// test's temporary crate, say) are removed first, so the cache does not
/// grow with every crate ever made.
fn cache_for(out: &Path) -> PathBuf {
    let caches = project_root().join("target/regen-cache");
    forget_gone_outputs(&caches);
    let out = std::path::absolute(out).unwrap_or_else(|_| out.to_owned());
    let name: String = out
        .to_string_lossy()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    caches.join(name)
}

/// The file in a cache folder that names the output folder it serves.
const OUTPUT_NOTE: &str = "output-folder.txt";

/// Notes which output folder `cache` serves, once that folder exists: a
/// concurrent regen must not take a crate still being made for a gone one.
/// The cache is an optimisation: failing to note it loses nothing.
fn note_output(cache: &Path, out: &Path) {
    let out = std::path::absolute(out).unwrap_or_else(|_| out.to_owned());
    if out.exists() && std::fs::create_dir_all(cache).is_ok() {
        let _ = std::fs::write(cache.join(OUTPUT_NOTE), out.to_string_lossy().as_bytes());
    }
}

fn forget_gone_outputs(caches: &Path) {
    for entry in std::fs::read_dir(caches).into_iter().flatten().flatten() {
        // A folder without a note is not known to be stale (`diff`'s, say).
        let Ok(out) = std::fs::read_to_string(entry.path().join(OUTPUT_NOTE)) else {
            continue;
        };
        if !Path::new(&out).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The path of `runtime/` as the generated crate's manifest must write it:
/// relative inside the workspace (so the checked-in crate is the same on
/// every machine), absolute elsewhere.
fn runtime_path_from(out: &Path) -> String {
    let root = project_root();
    let runtime = root.join("runtime");
    match out.strip_prefix(&root) {
        Ok(inside) => {
            let depth = inside
                .components()
                .filter(|c| matches!(c, Component::Normal(_)))
                .count();
            let mut path = "../".repeat(depth);
            path.push_str("runtime");
            path
        }
        Err(_) => runtime.to_string_lossy().replace('\\', "/"),
    }
}

/// A path relative to the project root when it is inside it, for short messages.
fn display(path: &Path) -> String {
    let root = project_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}
