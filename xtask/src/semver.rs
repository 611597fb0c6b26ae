//! `cargo xtask semver-compare`: cargo-semver-checks on the crate pairs of
//! `codegen/tests/diff_compiles.rs` (one per rule of the spec diff), next
//! to the spec diff's verdict and the compiler's; writes the table into
//! docs/SPEC_DIFF.md. Too slow for CI (it installs the tool and builds
//! rustdoc JSON for every crate), so it is a command of its own.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use anyhow::{Context, Result, bail};
use serde_json::Value;

const START: &str = "<!-- semver-compare:start -->";
const END: &str = "<!-- semver-compare:end -->";

pub fn run() -> Result<ExitCode> {
    let root = crate::project_root();
    let tool = install(&root)?;
    println!("semver-compare: generating the crate pairs (codegen/tests/diff_compiles.rs)");
    let status = Command::new(crate::cargo())
        .args([
            "test",
            "--quiet",
            "-p",
            "openapi-clientgen",
            "--test",
            "diff_compiles",
        ])
        .current_dir(&root)
        .status()?;
    if !status.success() {
        bail!("the diff-compiles test failed; its pairs are not trustworthy");
    }
    let work = root.join("target/diff-compiles");
    let verdicts: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(work.join("verdicts.json"))?)?;
    let old = rustdoc_json(&root, &work.join("old"))?;
    let version = semver_checks_version(&tool)?;
    let mut rows = Vec::new();
    let mut agree = 0;
    for verdict in &verdicts {
        let kind = verdict["kind"].as_str().unwrap_or_default();
        let new = rustdoc_json(
            &root,
            &work.join(verdict["new"].as_str().unwrap_or_default()),
        )?;
        let (passes, lints) = semver_checks(&tool, &old, &new)?;
        let ours = verdict["diff_compiles"].as_bool().unwrap_or_default();
        let compiler = verdict["compiler_compiles"].as_bool().unwrap_or_default();
        if passes == ours {
            agree += 1;
        }
        let word = |compiles: bool| if compiles { "compiles" } else { "breaks" };
        rows.push(format!(
            "| `{kind}` | {} | {} | {}{} | {} |",
            word(compiler),
            word(ours),
            word(passes),
            if lints.is_empty() {
                String::new()
            } else {
                format!(" (`{}`)", lints.join("`, `"))
            },
            if passes == ours { "yes" } else { "**no**" }
        ));
        println!(
            "semver-compare: {kind}: ours {}, cargo-semver-checks {}",
            word(ours),
            word(passes)
        );
    }
    let section = format!(
        "{START}\n`cargo xtask semver-compare`, {version}, on the {} crate pairs of `codegen/tests/diff_compiles.rs` (release type minor: only changes that break users count): the spec diff's public items and cargo-semver-checks agree on {agree} of {}.\n\n| rule | the compiler | the spec diff's public items | cargo-semver-checks (its lints) | agree |\n| --- | --- | --- | --- | --- |\n{}\n{END}",
        verdicts.len(),
        verdicts.len(),
        rows.join("\n")
    );
    let docs = root.join("docs/SPEC_DIFF.md");
    let text = std::fs::read_to_string(&docs)?;
    let (before, rest) = text
        .split_once(START)
        .with_context(|| format!("{} has no {START} marker", docs.display()))?;
    let (_, after) = rest
        .split_once(END)
        .with_context(|| format!("{} has no {END} marker", docs.display()))?;
    std::fs::write(&docs, format!("{before}{section}{after}"))?;
    println!(
        "semver-compare: {agree} of {} agree; wrote {}",
        verdicts.len(),
        docs.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// cargo-semver-checks under target/tools, installed from crates.io the first time.
fn install(root: &Path) -> Result<PathBuf> {
    let prefix = root.join("target/tools/semver-checks");
    let tool = prefix.join("bin/cargo-semver-checks");
    if !tool.exists() {
        println!(
            "semver-compare: installing cargo-semver-checks into {}",
            prefix.display()
        );
        let status = Command::new(crate::cargo())
            .args(["install", "--locked", "cargo-semver-checks", "--root"])
            .arg(&prefix)
            .status()?;
        if !status.success() {
            bail!("cargo install cargo-semver-checks failed");
        }
    }
    Ok(tool)
}

fn semver_checks_version(tool: &Path) -> Result<String> {
    let output = Command::new(tool)
        .args(["semver-checks", "--version"])
        .output()?;
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// The rustdoc JSON of the crate in `dir`, under one package name for
/// every crate (cargo-semver-checks compares paths, which start with the
/// crate's name): a copy of the crate as `diff-api` beside it is built in
/// the target folder the generated-crate tests share, and its JSON kept
/// under the crate's own name. Rustdoc's JSON output is unstable, so
/// `RUSTC_BOOTSTRAP` lets the stable toolchain write it, as
/// cargo-semver-checks itself does.
fn rustdoc_json(root: &Path, dir: &Path) -> Result<PathBuf> {
    let target = root.join("target/generated-crates-build");
    let name = dir
        .file_name()
        .and_then(|name| name.to_str())
        .context("a folder name")?;
    // At the same depth as the original, so its relative runtime path holds.
    let copy = root.join("target/semver-compare/diff-api");
    let _ = std::fs::remove_dir_all(&copy);
    copy_dir(dir, &copy)?;
    let manifest = std::fs::read_to_string(copy.join("Cargo.toml"))?;
    let renamed = manifest.replacen(
        &format!(
            "name = \"{}\"",
            package_name(&manifest).context("a package name")?
        ),
        "name = \"diff-api\"",
        1,
    );
    std::fs::write(copy.join("Cargo.toml"), renamed)?;
    std::fs::copy(root.join("Cargo.lock"), copy.join("Cargo.lock"))?;
    let status = Command::new(crate::cargo())
        .args([
            "rustdoc",
            "--quiet",
            "--offline",
            "--lib",
            "--manifest-path",
        ])
        .arg(copy.join("Cargo.toml"))
        .args(["--", "-Z", "unstable-options", "--output-format", "json"])
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_TARGET_DIR", &target)
        .stdout(Stdio::null())
        .status()?;
    if !status.success() {
        bail!("rustdoc JSON of {} failed", dir.display());
    }
    let kept = root.join(format!("target/semver-compare/{name}.json"));
    std::fs::copy(target.join("doc/diff_api.json"), &kept)?;
    Ok(kept)
}

/// The generated manifest's first `name = "…"`, the package's.
fn package_name(manifest: &str) -> Option<&str> {
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("name = \""))
        .and_then(|rest| rest.strip_suffix('"'))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Whether cargo-semver-checks passes `new` against `old`, and the lints it reports.
fn semver_checks(tool: &Path, old: &Path, new: &Path) -> Result<(bool, Vec<String>)> {
    let output = Command::new(tool)
        .args([
            "semver-checks",
            "check-release",
            "--release-type",
            "minor",
            "--baseline-rustdoc",
        ])
        .arg(old)
        .arg("--current-rustdoc")
        .arg(new)
        .output()?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let lints: Vec<String> = text
        .lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("--- failure ")?;
            Some(rest.split(':').next()?.trim().to_owned())
        })
        .collect();
    if !output.status.success() && lints.is_empty() {
        bail!("cargo-semver-checks did not run: {text}");
    }
    Ok((output.status.success(), lints))
}
