//! `cargo xtask test`: the one command that checks everything, installing
//! what it needs, so a fresh machine and CI run the same thing.

use std::path::Path;
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};

use crate::project_root;

/// The standard OpenAPI validator, pinned so that results do not drift.
const VALIDATOR: &str = "openapi-spec-validator==0.9.0";

pub fn run(args: &[String]) -> Result<ExitCode> {
    if let Some(arg) = args.first() {
        bail!("test: unknown argument `{arg}`; see `cargo xtask help`");
    }
    let root = project_root();
    step(
        &root,
        "rustfmt",
        cargo(&root).args(["fmt", "--all", "--check"]),
    )?;
    validate_spec(&root)?;
    step(
        &root,
        "workspace tests",
        cargo(&root).args(["test", "--workspace"]),
    )?;
    step(
        &root,
        "clippy",
        cargo(&root).args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    step(
        &root,
        "rustdoc of the generated crate",
        cargo(&root)
            .args(["doc", "--package", "atlas-admin", "--no-deps"])
            .env("RUSTDOCFLAGS", "-D warnings"),
    )?;
    println!("xtask test: all checks passed");
    Ok(ExitCode::SUCCESS)
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
    let status = command
        .current_dir(root)
        .status()
        .with_context(|| format!("could not start `{name}`"))?;
    if !status.success() {
        bail!("`{name}` failed ({status})");
    }
    Ok(())
}
