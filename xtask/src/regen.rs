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
    lenient: bool,
    jobs: Vec<Job>,
}

/// One spec to one folder.
#[derive(Debug)]
struct Job {
    spec: PathBuf,
    out: PathBuf,
    /// The crate name when there is no `codegen.toml` beside the spec.
    name: Option<String>,
    /// `--config`: settings to use instead of `codegen.toml` beside the spec.
    config: Option<PathBuf>,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Self> {
        let mut check = false;
        let mut lenient = false;
        let mut spec = None;
        let mut out = None;
        let mut config = None;
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--check" => check = true,
                "--lenient" => lenient = true,
                "--spec" => spec = Some(absolute(args.next().context("--spec needs a file")?)?),
                "--out" => out = Some(absolute(args.next().context("--out needs a folder")?)?),
                "--config" => {
                    config = Some(absolute(args.next().context("--config needs a file")?)?)
                }
                other => bail!("regen: unknown argument `{other}`; see `cargo xtask help`"),
            }
        }
        let root = project_root();
        let jobs = if spec.is_none() && out.is_none() && config.is_none() {
            default_jobs(&root)?
        } else {
            vec![Job {
                spec: spec.unwrap_or_else(|| root.join("spec/openapi.yaml")),
                out: out.unwrap_or_else(|| root.join("generated")),
                name: None,
                config,
            }]
        };
        Ok(Options {
            check,
            lenient,
            jobs,
        })
    }
}

/// `spec/` into `generated/`, and every fixture of `tests/fixtures/` into
/// its snapshot crate under `tests/snapshots/`.
fn default_jobs(root: &Path) -> Result<Vec<Job>> {
    let mut jobs = vec![Job {
        spec: root.join("spec/openapi.yaml"),
        out: root.join("generated"),
        name: None,
        config: None,
    }];
    let fixtures = root.join("tests/fixtures");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .with_context(|| format!("cannot list {}", fixtures.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    specs.sort();
    for spec in specs {
        let stem = spec
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        jobs.push(Job {
            out: root.join("tests/snapshots").join(&stem),
            name: Some(format!("snapshot-{stem}")),
            config: None,
            spec,
        });
    }
    Ok(jobs)
}

pub fn run(options: &Options) -> Result<ExitCode> {
    let mut code = ExitCode::SUCCESS;
    for job in &options.jobs {
        if run_job(job, options.check, options.lenient)? != ExitCode::SUCCESS {
            code = ExitCode::FAILURE;
        }
    }
    Ok(code)
}

fn run_job(job: &Job, check: bool, lenient: bool) -> Result<ExitCode> {
    let mut config = config_for(job)?;
    config.lenient = lenient;
    let generated = match codegen::generate(&job.spec, &config) {
        Ok(generated) => generated,
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("nothing was written; {} is unchanged", display(&job.out));
            return Ok(ExitCode::FAILURE);
        }
    };
    for warning in &generated.warnings {
        eprintln!("warning: {warning}");
    }
    for skipped in &generated.skipped {
        eprintln!("warning: skipped operation `{}`:", skipped.operation);
        for reason in &skipped.reasons {
            eprintln!("    {reason}");
        }
    }
    if lenient {
        eprintln!(
            "lenient: {} operations skipped, {} warnings",
            generated.skipped.len(),
            generated.warnings.len()
        );
    }
    if check {
        return match write::diff_dir(&job.out, &generated)? {
            None => {
                println!(
                    "{} is up to date with {}",
                    display(&job.out),
                    display(&job.spec)
                );
                Ok(ExitCode::SUCCESS)
            }
            Some(diff) => {
                print!("{diff}");
                eprintln!(
                    "error: {} is stale: it differs from what {} generates (diff above). Run `cargo xtask regen` and commit the result.",
                    display(&job.out),
                    display(&job.spec)
                );
                Ok(ExitCode::FAILURE)
            }
        };
    }
    write::replace_dir(&job.out, &generated)?;
    println!(
        "wrote {} files to {} from {}",
        generated.files.len(),
        display(&job.out),
        display(&job.spec)
    );
    Ok(ExitCode::SUCCESS)
}

/// `--config`, or `codegen.toml` beside the spec, or defaults named after
/// the output folder; the runtime path is always worked out from where the crate goes.
fn config_for(job: &Job) -> Result<Config> {
    let beside = job.spec.with_file_name("codegen.toml");
    let mut config = if let Some(file) = &job.config {
        Config::read(file)?
    } else if let Some(name) = &job.name {
        Config::new(name.clone(), "0.1.0")
    } else if beside.exists() {
        Config::read(&beside)?
    } else {
        let name = job
            .out
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "generated-client".to_owned());
        Config::new(name, "0.1.0")
    };
    config.runtime_path = runtime_path_from(&job.out);
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
