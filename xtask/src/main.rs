//! Project commands, run as `cargo xtask <command>` (matklad's cargo-xtask convention).

mod bench;
mod diff;
mod extract;
mod regen;
mod test;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  regen [--check] [--lenient] [--spec FILE] [--out DIR] [--config FILE]
        Generate the client crate from an OpenAPI document (default: spec/openapi.yaml
        into generated/, and tests/fixtures/* into tests/snapshots/*). With --check,
        write nothing and fail with a diff when the output is stale. With --lenient,
        skip operations that cannot be represented, naming each and why. With
        --config, read the crate's settings from FILE instead of codegen.toml beside
        the spec.
  diff [--base REV | --old FILE] [--new FILE] [--format markdown|text|json] [--fail-on breaking]
        Compare two versions of the spec: API changes with their severity, the
        generated crate's public items, and the generated code's diff. By default
        spec/ at the merge base with origin/main (or HEAD) against the working tree.
        Exit 0 when it ran, 1 with --fail-on breaking and a breaking change, 2 on error.
  extract --from UPSTREAM.yaml --operation ID [--operation ID ..] [--into FILE]
        Copy operations from a published spec into the fragment (default
        spec/openapi.yaml) with everything they reference; keeps what is there,
        writes sorted keys.
  fuzz [--cases N]
        Mutated specs through load, validate, model and emit (default 20000 cases,
        release build): every rejection must be a located diagnostic, never a panic.
  bench Regen time, generated crate size and compile time (next to progenitor
        0.15.1), and per-call overhead; writes docs/BENCHMARKS.md.
  test  Everything CI checks: rustfmt, the spec against an OpenAPI 3.0 validator,
        the workspace's tests (generated/ freshness included), clippy and rustdoc
        with -D warnings.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode> {
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return Ok(ExitCode::from(2));
    };
    match command.as_str() {
        "regen" => regen::run(&regen::Options::parse(rest)?),
        "test" => test::run(rest),
        "diff" => Ok(diff::run(rest)),
        "fuzz" => fuzz(rest),
        "extract" => extract::run(rest),
        "bench" => bench::run(rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => bail!("unknown command `{other}`\n\n{USAGE}"),
    }
}

/// `cargo xtask fuzz`: the fuzz test of `codegen`, with many more cases.
fn fuzz(args: &[String]) -> Result<ExitCode> {
    let cases = match args {
        [] => "20000".to_owned(),
        [flag, cases] if flag == "--cases" && cases.parse::<u32>().is_ok() => cases.clone(),
        _ => bail!("usage: cargo xtask fuzz [--cases N]"),
    };
    let status =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args([
                "test",
                "--release",
                "--package",
                "codegen",
                "--test",
                "fuzz",
            ])
            .env("PROPTEST_CASES", &cases)
            .current_dir(project_root())
            .status()?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The workspace root, whatever folder the command runs from.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_owned)
        .unwrap_or_else(|| PathBuf::from("."))
}
