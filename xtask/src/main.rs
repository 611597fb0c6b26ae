//! Project commands, run as `cargo xtask <command>` (matklad's cargo-xtask convention).

mod bench;
mod corpus;
mod diff;
mod extract;
mod peers;
mod regen;
mod semver;
mod test;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

/// The project's commands, run as `cargo xtask COMMAND`.
#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "The project's commands (matklad's cargo-xtask convention)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate the client crate from an OpenAPI document (default:
    /// spec/openapi.yaml into generated/, and tests/fixtures/* into
    /// tests/snapshots/*).
    Regen(regen::Args),
    /// Compare two versions of the spec: API changes with their severity, the
    /// generated crate's public items, and the generated code's diff. Exit 0
    /// when it ran, 1 with --fail-on breaking and a breaking change, 2 on error.
    Diff(diff::Args),
    /// Copy operations from a published spec into the fragment with everything
    /// they reference; keeps what is there, writes sorted keys.
    Extract(extract::Args),
    /// Mutated specs through load, validate, model and emit (release build):
    /// every rejection must be a located diagnostic, never a panic. With
    /// --specs, the spec fuzzer instead: N generated documents through
    /// strict and lenient regen, clippy and value round trips; what fails
    /// is shrunk into target/spec-fuzz/findings/.
    Fuzz {
        /// How many cases of each fuzz property to run.
        #[arg(long, default_value_t = 20_000)]
        cases: u32,
        /// Run the spec fuzzer on this many documents.
        #[arg(long)]
        specs: Option<u32>,
        /// The spec fuzzer's seed (default: the suite's).
        #[arg(long)]
        seed: Option<u64>,
        /// Round-trip values in every Nth batch of 200 only (each batch is
        /// still generated, compiled and linted).
        #[arg(long, default_value_t = 1)]
        values_every: u32,
    },
    /// Every document of ../shared/corpus through strict and lenient regen,
    /// cargo check and clippy: a Markdown table; exit 1 when a generated
    /// crate does not compile or is not clippy-clean.
    Corpus(corpus::Args),
    /// Regen time, generated crate size and compile time (next to progenitor
    /// 0.15.1), and per-call overhead; writes docs/BENCHMARKS.md.
    Bench,
    /// cargo-semver-checks (installed under target/tools on first use) on
    /// the crate pairs of codegen/tests/diff_compiles.rs, next to the spec
    /// diff's verdicts; writes the table into docs/SPEC_DIFF.md.
    SemverCompare,
    /// Write the crates of spec/ and tests/fixtures/ as this release
    /// generates them, depending on the runtime by version, into
    /// tests/compat/VERSION/: run at each release (docs/COMPATIBILITY.md).
    ReleaseFixture,
    /// Everything CI checks: rustfmt, the spec against an OpenAPI 3.0
    /// validator, the workspace's tests (generated/ freshness included),
    /// clippy and rustdoc with -D warnings.
    Test,
}

// Generation allocates many small token and string values on every core;
// mimalloc does that in about half of glibc's time (docs/BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Usage errors and --help are clap's: exit 2 and 0, the same for every command.
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Regen(args) => regen::run(args),
        Command::Diff(args) => Ok(diff::run(args)),
        Command::Extract(args) => extract::run(args),
        Command::Fuzz {
            cases,
            specs,
            seed,
            values_every,
        } => match specs {
            Some(specs) => spec_fuzz(*specs, *seed, *values_every),
            None => fuzz(*cases),
        },
        Command::Corpus(args) => corpus::run(args),
        Command::Bench => bench::run(),
        Command::Test => test::run(),
        Command::ReleaseFixture => regen::release_fixture(),
        Command::SemverCompare => semver::run(),
    };
    match result {
        Ok(code) => code,
        // As `openapi-clientgen`: 2 when a command could not do its work.
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// `cargo xtask fuzz`: the fuzz test of `openapi-clientgen`, with many more cases.
fn fuzz(cases: u32) -> Result<ExitCode> {
    let status =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args([
                "test",
                "--release",
                "--package",
                "openapi-clientgen",
                "--test",
                "fuzz",
            ])
            .env("PROPTEST_CASES", cases.to_string())
            .current_dir(project_root())
            .status()?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The spec fuzzer (`tests/spec_fuzz.rs`) on `documents` documents, 200 to
/// a workspace, shrinking what fails.
fn spec_fuzz(documents: u32, seed: Option<u64>, values_every: u32) -> Result<ExitCode> {
    let mut command = std::process::Command::new(cargo());
    command
        .args([
            "test",
            "--release",
            "--package",
            "wire-tests",
            "--test",
            "spec_fuzz",
            "--",
            "--nocapture",
        ])
        .env("SPEC_FUZZ_DOCUMENTS", documents.to_string())
        .env("SPEC_FUZZ_BATCH", "200")
        .env("SPEC_FUZZ_SHRINK", "1")
        .env("SPEC_FUZZ_VALUES_EVERY", values_every.to_string())
        .current_dir(project_root());
    if let Some(seed) = seed {
        command.env("SPEC_FUZZ_SEED", seed.to_string());
    }
    Ok(if command.status()?.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The cargo that runs this command.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// The workspace root, whatever folder the command runs from.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_owned)
        .unwrap_or_else(|| PathBuf::from("."))
}
