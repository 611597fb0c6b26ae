//! `cargo xtask regen`: spec in, crate out.

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use codegen::{Config, write};

use crate::project_root;

/// What `regen` was asked to do.
#[derive(Debug)]
pub struct Options {
    check: bool,
    spec: PathBuf,
    out: PathBuf,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Self> {
        let root = project_root();
        let mut options = Options {
            check: false,
            spec: root.join("spec/openapi.yaml"),
            out: root.join("generated"),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--check" => options.check = true,
                "--spec" => options.spec = absolute(args.next().context("--spec needs a file")?)?,
                "--out" => options.out = absolute(args.next().context("--out needs a folder")?)?,
                other => bail!("regen: unknown argument `{other}`; see `cargo xtask help`"),
            }
        }
        Ok(options)
    }
}

pub fn run(options: &Options) -> Result<ExitCode> {
    let config = config_for(options)?;
    let generated = match codegen::generate(&options.spec, &config) {
        Ok(generated) => generated,
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!(
                "nothing was written; {} is unchanged",
                display(&options.out)
            );
            return Ok(ExitCode::FAILURE);
        }
    };
    if options.check {
        return match write::diff_dir(&options.out, &generated)? {
            None => {
                println!(
                    "{} is up to date with {}",
                    display(&options.out),
                    display(&options.spec)
                );
                Ok(ExitCode::SUCCESS)
            }
            Some(diff) => {
                print!("{diff}");
                eprintln!(
                    "error: {} is stale: it differs from what {} generates (diff above). Run `cargo xtask regen` and commit the result.",
                    display(&options.out),
                    display(&options.spec)
                );
                Ok(ExitCode::FAILURE)
            }
        };
    }
    write::replace_dir(&options.out, &generated)?;
    println!(
        "wrote {} files to {} from {}",
        generated.files.len(),
        display(&options.out),
        display(&options.spec)
    );
    Ok(ExitCode::SUCCESS)
}

/// `codegen.toml` beside the spec, or defaults named after the output folder;
/// the runtime path is always worked out from where the crate goes.
fn config_for(options: &Options) -> Result<Config> {
    let beside = options.spec.with_file_name("codegen.toml");
    let mut config = if beside.exists() {
        Config::read(&beside)?
    } else {
        let name = options
            .out
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "generated-client".to_owned());
        Config::new(name, "0.1.0")
    };
    config.runtime_path = runtime_path_from(&options.out);
    Ok(config)
}

/// The path of `runtime/` as the generated crate's manifest must write it:
/// relative inside the workspace (so the checked-in crate is the same on
/// every machine), absolute elsewhere.
fn runtime_path_from(out: &Path) -> String {
    let root = project_root();
    let runtime = root.join("runtime");
    match out.strip_prefix(&root) {
        Ok(inside) => {
            let depth = inside
                .components()
                .filter(|c| matches!(c, Component::Normal(_)))
                .count();
            let mut path = "../".repeat(depth);
            path.push_str("runtime");
            path
        }
        Err(_) => runtime.to_string_lossy().replace('\\', "/"),
    }
}

fn absolute(path: &str) -> Result<PathBuf> {
    std::path::absolute(path).with_context(|| format!("cannot resolve `{path}`"))
}

/// A path relative to the project root when it is inside it, for short messages.
fn display(path: &Path) -> String {
    let root = project_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}
