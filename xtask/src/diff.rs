//! `cargo xtask diff`: what a spec change does to the API and to the crate.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use codegen::compare::{Format, Report, render};
use codegen::load::{LoadedSpec, parse};
use codegen::{Config, Settings, generate_from};

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

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum OutputFormat {
    /// A pull-request comment.
    #[value(alias = "md")]
    Markdown,
    /// A terminal.
    Text,
    /// Tools.
    Json,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FailOn {
    /// Breaking changes and removed or changed public items.
    Breaking,
}

/// Runs the command; errors become exit code 2, as the usage promises.
pub fn run(args: &Args) -> ExitCode {
    match report(args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn report(options: &Args) -> Result<ExitCode> {
    let root = project_root();
    let mut old = match &options.old {
        Some(path) => load_file(path)?,
        None => {
            let rev = match &options.base {
                Some(rev) => rev.clone(),
                None => default_base(&root),
            };
            let text = git(&root, &["show", &format!("{rev}:{SPEC}")])
                .with_context(|| format!("cannot read {SPEC} at `{rev}`"))?;
            parse(Path::new(&format!("{SPEC}@{rev}")), text)?
        }
    };
    let mut new = load_file(&options.new.clone().unwrap_or_else(|| root.join(SPEC)))?;
    let config = Config::read(&root.join("spec/codegen.toml"))?;
    // Lenient: an operation the generator cannot represent is reported as a
    // breaking change of that operation, not as a failure of the whole diff.
    let settings = |side: &str| Settings {
        lenient: true,
        runtime_path: "../runtime".to_owned(),
        cache: Some(root.join("target/regen-cache/diff").join(side)),
        previous: None,
    };
    let old_crate = generate_from(&mut old, &config, &settings("old"))
        .map_err(|error| anyhow::anyhow!("the old spec does not generate: {error}"))?;
    let report = match generate_from(&mut new, &config, &settings("new")) {
        Ok(new_crate) => Report::new(old.tree(), new.tree(), &old_crate, &new_crate, &config),
        Err(refusal) => Report::refused(old.tree(), new.tree(), &refusal, &config),
    };
    let format = match options.format {
        OutputFormat::Markdown => Format::Markdown,
        OutputFormat::Text => Format::Text,
        OutputFormat::Json => Format::Json,
    };
    print!("{}", render(&report, format));
    Ok(if options.fail_on.is_some() && report.has_breaking() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn load_file(path: &Path) -> Result<LoadedSpec> {
    Ok(codegen::load::load(path)?)
}

/// The merge base with `origin/main`, or `HEAD` when there is none.
fn default_base(root: &Path) -> String {
    git(root, &["merge-base", "HEAD", "origin/main"])
        .map_or_else(|_| "HEAD".to_owned(), |rev| rev.trim().to_owned())
}

fn git(root: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .context("cannot run git")?;
    if !output.status.success() {
        bail!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8(output.stdout)?)
}
