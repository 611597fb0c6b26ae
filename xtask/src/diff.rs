//! `cargo xtask diff`: what a spec change does to the API and to the crate.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use codegen::compare::{Format, Report, render};
use codegen::load::{LoadedSpec, parse};
use codegen::{Config, generate_from};

use crate::project_root;

const SPEC: &str = "spec/openapi.yaml";

#[derive(Debug)]
struct Options {
    base: Option<String>,
    old: Option<PathBuf>,
    new: Option<PathBuf>,
    format: Format,
    fail_on_breaking: bool,
}

/// Runs the command; errors become exit code 2, as the usage promises.
pub fn run(args: &[String]) -> ExitCode {
    match parse_args(args).and_then(|options| report(&options)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn parse_args(args: &[String]) -> Result<Options> {
    let mut options = Options {
        base: None,
        old: None,
        new: None,
        format: Format::Markdown,
        fail_on_breaking: false,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .with_context(|| format!("{name} needs a value"))
                .cloned()
        };
        match arg.as_str() {
            "--base" => options.base = Some(value("--base")?),
            "--old" => options.old = Some(PathBuf::from(value("--old")?)),
            "--new" => options.new = Some(PathBuf::from(value("--new")?)),
            "--format" => {
                options.format = match value("--format")?.as_str() {
                    "markdown" | "md" => Format::Markdown,
                    "text" => Format::Text,
                    "json" => Format::Json,
                    other => bail!("unknown format `{other}`; use markdown, text or json"),
                }
            }
            "--fail-on" => match value("--fail-on")?.as_str() {
                "breaking" => options.fail_on_breaking = true,
                other => bail!("unknown --fail-on `{other}`; only `breaking` is supported"),
            },
            other => bail!("diff: unknown argument `{other}`; see `cargo xtask help`"),
        }
    }
    if options.base.is_some() && options.old.is_some() {
        bail!("--base and --old both name the old spec; give one");
    }
    Ok(options)
}

fn report(options: &Options) -> Result<ExitCode> {
    let root = project_root();
    let old = match &options.old {
        Some(path) => load_file(path)?,
        None => {
            let rev = match &options.base {
                Some(rev) => rev.clone(),
                None => default_base(&root),
            };
            let text = git(&root, &["show", &format!("{rev}:{SPEC}")])
                .with_context(|| format!("cannot read {SPEC} at `{rev}`"))?;
            parse(Path::new(&format!("{SPEC}@{rev}")), text)
                .map_err(|error| anyhow::anyhow!("{error}"))?
        }
    };
    let new = load_file(&options.new.clone().unwrap_or_else(|| root.join(SPEC)))?;
    let mut config = Config::read(&root.join("spec/codegen.toml"))
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    config.runtime_path = "../runtime".to_owned();
    // Lenient: an operation the generator cannot represent is reported as a
    // breaking change of that operation, not as a failure of the whole diff.
    config.lenient = true;
    let old_crate = generate_from(&old, &config)
        .map_err(|error| anyhow::anyhow!("the old spec does not generate: {error}"))?;
    let report = match generate_from(&new, &config) {
        Ok(new_crate) => Report::new(&old.value, &new.value, &old_crate, &new_crate),
        Err(refusal) => Report::refused(&old.value, &new.value, &refusal),
    };
    print!("{}", render(&report, options.format));
    Ok(if options.fail_on_breaking && report.has_breaking() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn load_file(path: &Path) -> Result<LoadedSpec> {
    codegen::load::load(path).map_err(|error| anyhow::anyhow!("{error}"))
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
