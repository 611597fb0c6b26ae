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
    about = "OpenAPI document in (3.0, 3.1 or Swagger 2.0), typed Rust client crate out."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate a client crate from an OpenAPI document. Exit 0 when the
    /// crate was written or is up to date, 1 with --check when it is stale,
    /// 2 when the spec or its settings do not generate.
    Generate(generate::Args),
    /// Compare two versions of a spec: API changes with their severity, the
    /// generated crate's public items, and the generated code's diff. Exit 0
    /// when it ran, 1 with --fail-on breaking and a breaking change, 2 on error.
    Diff(diff::Args),
    /// Copy operations from a published spec into a fragment with everything
    /// they reference; keeps what is there, writes sorted keys.
    Extract(extract::Args),
}

/// Runs the command line. Exit codes: 0 done; 1 a verdict the caller asked
/// about (`generate --check`: the crate is stale; `diff --fail-on`: a
/// change that severe); 2 the command could not do its work (a spec or
/// setting that does not generate, a file, a usage error from clap).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Generate(args) => match generate::run(&args) {
            Ok(outcome) => outcome.exit_code(),
            Err(error) => failed(&error),
        },
        Command::Diff(args) => diff::run(&args),
        Command::Extract(args) => extract::run(&args).unwrap_or_else(|error| failed(&error)),
    }
}

fn failed(error: &Error) -> ExitCode {
    eprintln!("error: {error}");
    ExitCode::from(2)
}

/// The source line a diagnostic points at, marked, as rustc shows one:
/// `None` when it names no line or the file cannot be read again.
pub fn excerpt(diagnostic: &crate::Diagnostic) -> Option<String> {
    use annotate_snippets::renderer::DecorStyle;
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
    let number = diagnostic.line?;
    let text = std::fs::read_to_string(&diagnostic.file).ok()?;
    let line = text.lines().nth(number.checked_sub(1)?)?;
    let start = line.len() - line.trim_start().len();
    let end = line.trim_end().len().max(start);
    if start == end {
        return None;
    }
    let path = diagnostic.file.display().to_string();
    let report = [Group::with_level(Level::NOTE).element(
        Snippet::source(line)
            .line_start(number)
            .path(path.as_str())
            .fold(false)
            .annotation(AnnotationKind::Primary.span(start..end)),
    )];
    Some(
        Renderer::plain()
            .decor_style(DecorStyle::Ascii)
            .render(&report)
            .to_string(),
    )
}
