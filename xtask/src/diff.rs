//! `cargo xtask diff`: what a spec change does to the API and to the crate,
//! with this project's defaults (spec/openapi.yaml against the merge base
//! with origin/main); the work is `openapi-clientgen diff`'s.

use std::path::PathBuf;
use std::process::ExitCode;

use openapi_clientgen::Config;
use openapi_clientgen::cli::diff::{FailOn, OutputFormat, at_revision, git, load_file, report};

use crate::project_root;

const SPEC: &str = "spec/openapi.yaml";

/// `cargo xtask diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The revision whose spec/openapi.yaml is the old spec (default: the
    /// merge base with origin/main, or HEAD).
    #[arg(long, value_name = "REV", conflicts_with = "old")]
    base: Option<String>,
    /// The old spec as a file.
    #[arg(long, value_name = "FILE")]
    old: Option<PathBuf>,
    /// The new spec (default: spec/openapi.yaml in the working tree).
    #[arg(long, value_name = "FILE")]
    new: Option<PathBuf>,
    /// How to write the report.
    #[arg(long, value_enum, default_value_t = OutputFormat::Markdown)]
    format: OutputFormat,
    /// Exit 1 when a change breaks code that uses the crate.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    fail_on: Option<FailOn>,
}

/// Runs the command; errors become exit code 2, as the usage promises.
pub fn run(args: &Args) -> ExitCode {
    let root = project_root();
    let result = (|| {
        let old = match &args.old {
            Some(path) => load_file(path)?,
            None => {
                let rev = match &args.base {
                    Some(rev) => rev.clone(),
                    None => git(&root, &["merge-base", "HEAD", "origin/main"])
                        .map_or_else(|_| "HEAD".to_owned(), |rev| rev.trim().to_owned()),
                };
                at_revision(&root.join(SPEC), &rev)?
            }
        };
        let new = load_file(&args.new.clone().unwrap_or_else(|| root.join(SPEC)))?;
        let config = Config::read(&root.join("spec/codegen.toml"))?;
        let cache = root.join("target/regen-cache/diff");
        report(old, new, &config, args.format, args.fail_on, Some(&cache))
    })();
    result.unwrap_or_else(|error: openapi_clientgen::cli::Error| {
        eprintln!("error: {error}");
        ExitCode::from(2)
    })
}
