//! The `openapi-clientgen` command: `generate`, `diff` and `extract`, each a
//! thin layer of arguments and messages over the library. A project's own
//! `xtask` (rust-analyzer's style) calls the same functions with its own
//! defaults.

pub mod diff;
pub mod extract;
pub mod generate;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Why a command could not do its work; printed as `error: …`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The generator refused the spec or its settings.
    #[error(transparent)]
    Codegen(#[from] crate::Error),
    /// A file could not be read or written.
    #[error("{}: {reason}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's reason.
        reason: std::io::Error,
    },
    /// What the command was asked cannot be done, and why.
    #[error("{0}")]
    Refused(String),
}

impl Error {
    pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
        move |reason| Error::Io {
            path: path.to_owned(),
            reason,
        }
    }
}

/// OpenAPI document in, Rust client crate out.
#[derive(Debug, Parser)]
#[command(
    name = "openapi-clientgen",
    version,
    about = "OpenAPI 3.0 document in, typed Rust client crate out."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate a client crate from an OpenAPI document.
    Generate(generate::Args),
    /// Compare two versions of a spec: API changes with their severity, the
    /// generated crate's public items, and the generated code's diff. Exit 0
    /// when it ran, 1 with --fail-on breaking and a breaking change, 2 on error.
    Diff(diff::Args),
    /// Copy operations from a published spec into a fragment with everything
    /// they reference; keeps what is there, writes sorted keys.
    Extract(extract::Args),
}

/// Runs the command line: usage errors and `--help` are clap's (exit 2
/// and 0), a failure is `error: …` on stderr and exit 1 (2 for `diff`).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Generate(args) => report(generate::run(&args)),
        Command::Diff(args) => diff::run(&args),
        Command::Extract(args) => report(extract::run(&args)),
    }
}

fn report(result: Result<ExitCode, Error>) -> ExitCode {
    result.unwrap_or_else(|error| {
        eprintln!("error: {error}");
        ExitCode::FAILURE
    })
}
