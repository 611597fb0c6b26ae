//! `cargo xtask test`: the one command that checks everything, installing
//! what it needs, so a fresh machine and CI run the same thing.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

use anyhow::{Context, Result, bail};

use crate::project_root;

/// The tag features of a generated manifest: what its `full` turns on.
fn tag_features(manifest: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(manifest)
        .with_context(|| format!("cannot read {}", manifest.display()))?;
    let manifest: toml::Table = text
        .parse()
        .with_context(|| format!("{} is not TOML", manifest.display()))?;
    let full = manifest
        .get("features")
        .and_then(|features| features.get("full"))
        .and_then(toml::Value::as_array)
        .context("the manifest has no `full` feature")?;
    Ok(full
        .iter()
        .filter_map(toml::Value::as_str)
        .map(str::to_owned)
        .collect())
}

/// The standard OpenAPI validator, pinned so that results do not drift.
const VALIDATOR: &str = "openapi-spec-validator==0.9.0";

pub fn run() -> Result<ExitCode> {
    let root = project_root();
    step(
        &root,
        "rustfmt",
        cargo(&root).args(["fmt", "--all", "--check"]),
    )?;
    validate_spec(&root)?;
    let totals = workspace_tests(&root)?;
    step(
        &root,
        "clippy",
        cargo(&root).args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    // A generated crate turns on only the runtime features its spec needs,
    // so the runtime must also be clean with none of them.
    step(
        &root,
        "clippy of the runtime without optional features",
        cargo(&root).args([
            "clippy",
            "--package",
            "client-runtime",
            "--all-targets",
            "--no-default-features",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    // The TLS stack is the user's choice: the other one builds too.
    step(
        &root,
        "clippy of the generated crate with native-tls instead of rustls",
        cargo(&root).args([
            "clippy",
            "--package",
            "atlas-admin",
            "--no-default-features",
            "--features",
            "native-tls",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    // A crate with features per tag compiles, clippy-clean, with no tag
    // and with each tag alone (all of them together, above).
    let tags = tag_features(&root.join("tests/snapshots/tags/Cargo.toml"))?;
    for tag in std::iter::once(None).chain(tags.iter().map(Some)) {
        let features = match tag {
            Some(tag) => format!("rustls,{tag}"),
            None => "rustls".to_owned(),
        };
        step(
            &root,
            &format!("clippy of snapshot-tags with features {features}"),
            cargo(&root).args([
                "clippy",
                "--package",
                "snapshot-tags",
                "--no-default-features",
                "--features",
                &features,
                "--",
                "-D",
                "warnings",
            ]),
        )?;
    }
    step(
        &root,
        "rustdoc of the generated crate",
        cargo(&root)
            .args(["doc", "--package", "atlas-admin", "--no-deps"])
            .env("RUSTDOCFLAGS", "-D warnings"),
    )?;
    step(
        &root,
        "rustdoc of the runtime, every feature",
        cargo(&root)
            .args([
                "doc",
                "--package",
                "client-runtime",
                "--no-deps",
                "--all-features",
            ])
            .env("RUSTDOCFLAGS", "-D warnings"),
    )?;
    // The generator, the runtime and the generated crate are products
    // others install and depend on: each must package and build from its
    // package alone, the crate against the runtime's package.
    forget_packages(
        &["client-runtime", "atlas-admin", "openapi-clientgen"],
        &root.join("target"),
    );
    step(
        &root,
        "cargo publish --dry-run of client-runtime, atlas-admin and openapi-clientgen",
        cargo(&root)
            // Each package is built on its own, outside this workspace's
            // profile: without debug info, as the workspace builds its
            // dependencies (a quarter less time, measured).
            .env("CARGO_PROFILE_DEV_DEBUG", "false")
            .args([
                "publish",
                "--dry-run",
                "--allow-dirty",
                "--package",
                "client-runtime",
                "--package",
                "atlas-admin",
                "--package",
                "openapi-clientgen",
            ]),
    )?;
    println!("xtask test: all checks passed");
    for skipped in &totals.skipped {
        println!("skipped: {skipped}");
    }
    // One closing line for the whole run, in the form CI runners read.
    if totals.skipped.is_empty() {
        println!("tests: {} passed, {} failed", totals.passed, totals.failed);
    } else {
        println!(
            "tests: {} passed, {} failed, {} skipped",
            totals.passed,
            totals.failed,
            totals.skipped.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Removes the copies of `packages` that an earlier `cargo publish
/// --dry-run` unpacked from its local registry into Cargo's home, and what
/// it built from them in `target`. Cargo takes a registry package of the
/// same name and version for the same one, unpacked or built, without
/// comparing it, so verification would build against the old runtime
/// (both seen here).
fn forget_packages(packages: &[&str], target: &std::path::Path) {
    let named = |name: &str| {
        packages
            .iter()
            .any(|package| name.starts_with(&format!("{package}-")))
    };
    for entry in std::fs::read_dir(target.join("debug/.fingerprint"))
        .into_iter()
        .flatten()
        .flatten()
    {
        if named(&entry.file_name().to_string_lossy()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    let home = std::env::var_os("CARGO_HOME").map_or_else(
        || std::path::PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"),
        std::path::PathBuf::from,
    );
    let Ok(sources) = std::fs::read_dir(home.join("registry/src")) else {
        return;
    };
    for source in sources.flatten() {
        // crates.io's own copies stay; a local registry's go.
        if source.file_name().to_string_lossy().starts_with("index.") {
            continue;
        }
        for entry in std::fs::read_dir(source.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if named(&entry.file_name().to_string_lossy()) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

#[derive(Debug, Default)]
struct Totals {
    passed: u64,
    failed: u64,
    /// Tests that passed without doing their work, each with why: cargo
    /// counts them as passed, so they report themselves in a file.
    skipped: Vec<String>,
}

/// The file tests append a line to when they skip their work; tests read
/// its path from this variable.
const SKIPPED_LOG: &str = "XTASK_SKIPPED_LOG";

/// `cargo test --workspace`, echoed as it runs, with its `test result:` lines added up.
fn workspace_tests(root: &Path) -> Result<Totals> {
    println!("xtask test: workspace tests");
    let started = std::time::Instant::now();
    let skipped_log = root.join("target/xtask-skipped-tests.txt");
    let _ = std::fs::remove_file(&skipped_log);
    let mut child = cargo(root)
        .args(["test", "--workspace"])
        .env(SKIPPED_LOG, &skipped_log)
        .stdout(Stdio::piped())
        .spawn()
        .context("could not start `cargo test`")?;
    let stdout = child.stdout.take().context("cargo test has no stdout")?;
    let mut totals = Totals::default();
    for line in BufReader::new(stdout).lines() {
        let line = line.context("reading cargo test output")?;
        println!("{line}");
        if let Some(result) = line.strip_prefix("test result: ") {
            totals.passed += count(result, " passed");
            totals.failed += count(result, " failed");
        }
    }
    let status = child.wait().context("waiting for cargo test")?;
    println!(
        "xtask test: workspace tests: done in {:.0?}",
        started.elapsed()
    );
    totals.skipped = std::fs::read_to_string(&skipped_log)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect();
    if !status.success() {
        bail!(
            "`workspace tests` failed ({status}); {} passed, {} failed",
            totals.passed,
            totals.failed
        );
    }
    Ok(totals)
}

/// The number before `label` in `ok. 12 passed; 0 failed; ...`.
fn count(result: &str, label: &str) -> u64 {
    result
        .split(';')
        .find_map(|part| {
            part.trim()
                .trim_start_matches("ok. ")
                .trim_start_matches("FAILED. ")
                .strip_suffix(label.trim_start())
        })
        .and_then(|number| number.trim().parse().ok())
        .unwrap_or(0)
}

/// Runs the spec through `openapi-spec-validator`, installed into a virtual
/// environment under `target/` on first use.
fn validate_spec(root: &Path) -> Result<()> {
    let venv = root.join("target/tools/openapi-validator");
    let validator = venv.join("bin/openapi-spec-validator");
    if !validator.exists() {
        step(
            root,
            "python venv for the spec validator",
            Command::new("python3").arg("-m").arg("venv").arg(&venv),
        )?;
        step(
            root,
            "install the spec validator",
            Command::new(venv.join("bin/pip")).args(["install", "--quiet", VALIDATOR]),
        )?;
    }
    step(
        root,
        "spec/openapi.yaml against the OpenAPI 3.0 schema",
        Command::new(&validator).arg(root.join("spec/openapi.yaml")),
    )
}

fn cargo(root: &Path) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    command.current_dir(root);
    command
}

fn step(root: &Path, name: &str, command: &mut Command) -> Result<()> {
    println!("xtask test: {name}");
    let started = std::time::Instant::now();
    let status = command
        .current_dir(root)
        .status()
        .with_context(|| format!("could not start `{name}`"))?;
    if !status.success() {
        bail!("`{name}` failed ({status})");
    }
    // CI has a time budget: each step says what it took.
    println!("xtask test: {name}: done in {:.0?}", started.elapsed());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn counts_are_read_from_cargo_test_result_lines() {
        let line =
            "ok. 12 passed; 3 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.20s";
        assert_eq!(count(line, " passed"), 12);
        assert_eq!(count(line, " failed"), 3);
        assert_eq!(count("FAILED. 1 passed; 2 failed; 0 ignored", " failed"), 2);
    }
}
