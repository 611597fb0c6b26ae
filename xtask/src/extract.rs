//! `cargo xtask extract`: copy operations from a published spec into the
//! fragment (spec/openapi.yaml unless `--into`); the work is
//! `openapi-clientgen extract`'s.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use crate::project_root;

/// `cargo xtask extract`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The published spec to copy from.
    #[arg(long, value_name = "UPSTREAM.yaml")]
    from: PathBuf,
    /// An operationId to copy; repeat for more.
    #[arg(long = "operation", value_name = "ID", required = true)]
    operations: Vec<String>,
    /// The fragment to copy into (default: spec/openapi.yaml).
    #[arg(long, value_name = "FILE")]
    into: Option<PathBuf>,
}

pub fn run(options: &Args) -> Result<ExitCode> {
    let args = openapi_clientgen::cli::extract::Args {
        from: options.from.clone(),
        operations: options.operations.clone(),
        into: options
            .into
            .clone()
            .unwrap_or_else(|| project_root().join("spec/openapi.yaml")),
    };
    Ok(openapi_clientgen::cli::extract::run(&args)?)
}
