//! `cargo xtask regen`: spec in, crate out, with this project's defaults
//! (every fixture too, a cache under `target/`); the work is
//! `openapi-clientgen generate`'s.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use openapi_clientgen::Runtime;
use openapi_clientgen::cli::generate::{Job, Options, Outcome, Verbosity, run_job};

use crate::project_root;

/// `cargo xtask regen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write nothing; fail with a unified diff when the output is stale.
    #[arg(long)]
    check: bool,
    /// Skip operations that cannot be represented, naming each and why.
    #[arg(long)]
    lenient: bool,
    /// The OpenAPI document (default: spec/openapi.yaml).
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// The crate's folder (default: generated/).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The crate's settings, instead of codegen.toml beside the spec.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The folder a multi-file spec may read (default: the spec's folder).
    #[arg(long, value_name = "DIR")]
    spec_root: Option<PathBuf>,
}

/// The jobs the arguments ask for: the project's own without any of
/// `--spec`, `--out` and `--config`, else one.
fn jobs(args: &Args) -> Result<Vec<Job>> {
    let root = project_root();
    if args.spec.is_none()
        && args.out.is_none()
        && args.config.is_none()
        && args.spec_root.is_none()
    {
        return default_jobs(&root);
    }
    let absolute = |path: &Path| {
        std::path::absolute(path).with_context(|| format!("cannot resolve `{}`", path.display()))
    };
    Ok(vec![Job {
        spec: absolute(
            args.spec
                .as_deref()
                .unwrap_or(&root.join("spec/openapi.yaml")),
        )?,
        out: absolute(args.out.as_deref().unwrap_or(&root.join("generated")))?,
        name: None,
        config: args.config.as_deref().map(absolute).transpose()?,
        spec_root: args.spec_root.as_deref().map(absolute).transpose()?,
    }])
}

/// `spec/` into `generated/`, and every fixture of `tests/fixtures/` into
/// its snapshot crate under `tests/snapshots/` (with the settings in
/// `<fixture>.toml` beside it, if there is one).
fn default_jobs(root: &Path) -> Result<Vec<Job>> {
    let mut jobs = vec![Job {
        spec: root.join("spec/openapi.yaml"),
        out: root.join("generated"),
        name: None,
        config: None,
        spec_root: None,
    }];
    let fixtures = root.join("tests/fixtures");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .with_context(|| format!("cannot list {}", fixtures.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "yaml" || ext == "json")
        })
        .collect();
    specs.sort();
    for spec in specs {
        let stem = spec
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        // A fixture's settings, when it has any, are beside it: `<stem>.toml`.
        let config = spec.with_extension("toml");
        jobs.push(Job {
            out: root.join("tests/snapshots").join(&stem),
            name: Some(format!("snapshot-{stem}")),
            config: config.is_file().then_some(config),
            spec,
            spec_root: None,
        });
    }
    Ok(jobs)
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let mut worst = Outcome::Done;
    for job in &jobs(args)? {
        let cache = cache_for(&job.out);
        let options = Options {
            check: args.check,
            lenient: args.lenient,
            runtime: runtime_for(&job.out),
            cache: Some(cache.clone()),
            display: &display,
            rerun: "cargo xtask regen",
            verbosity: Verbosity::Normal,
        };
        let outcome = run_job(job, &options)?;
        note_output(&cache, &job.out);
        // The worst outcome of all jobs: a failure outweighs a stale crate.
        worst = match (worst, outcome) {
            (Outcome::Failed, _) | (_, Outcome::Failed) => Outcome::Failed,
            (Outcome::Stale, _) | (_, Outcome::Stale) => Outcome::Stale,
            _ => Outcome::Done,
        };
    }
    Ok(worst.exit_code())
}

/// `cargo xtask release-fixture`: the crates of `spec/` and of every
/// fixture as this release of the generator writes them, depending on the
/// runtime by version, into `tests/compat/VERSION/`. Kept at each release:
/// the compatibility test builds the latest against today's runtime.
pub fn release_fixture() -> Result<ExitCode> {
    let root = project_root();
    let folder = root
        .join("tests/compat")
        .join(openapi_clientgen::GENERATOR_VERSION);
    let mut code = ExitCode::SUCCESS;
    for mut job in default_jobs(&root)? {
        let stem = job
            .out
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .context("an output folder has no name")?;
        job.out = folder.join(stem);
        let options = Options {
            check: false,
            lenient: false,
            runtime: Runtime::default(),
            cache: None,
            display: &display,
            rerun: "cargo xtask release-fixture",
            verbosity: Verbosity::Normal,
        };
        if run_job(&job, &options)? != Outcome::Done {
            code = ExitCode::FAILURE;
        }
    }
    Ok(code)
}

/// What regen keeps for the crate at `out` (rustfmt's results, pattern
/// verdicts), under `target/regen-cache/`: one folder per output folder,
/// since each run keeps only what it used. Folders whose output is gone (a
/// test's temporary crate, say) are removed first, so the cache does not
/// grow with every crate ever made.
fn cache_for(out: &Path) -> PathBuf {
    let caches = project_root().join("target/regen-cache");
    forget_gone_outputs(&caches);
    let out = std::path::absolute(out).unwrap_or_else(|_| out.to_owned());
    let name: String = out
        .to_string_lossy()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    caches.join(name)
}

/// The file in a cache folder that names the output folder it serves.
const OUTPUT_NOTE: &str = "output-folder.txt";

/// Notes which output folder `cache` serves, once that folder exists: a
/// concurrent regen must not take a crate still being made for a gone one.
/// The cache is an optimisation: failing to note it loses nothing.
fn note_output(cache: &Path, out: &Path) {
    let out = std::path::absolute(out).unwrap_or_else(|_| out.to_owned());
    if out.exists() && std::fs::create_dir_all(cache).is_ok() {
        let _ = std::fs::write(cache.join(OUTPUT_NOTE), out.to_string_lossy().as_bytes());
    }
}

fn forget_gone_outputs(caches: &Path) {
    for entry in std::fs::read_dir(caches).into_iter().flatten().flatten() {
        // A folder without a note is not known to be stale (`diff`'s, say).
        let Ok(out) = std::fs::read_to_string(entry.path().join(OUTPUT_NOTE)) else {
            continue;
        };
        if !Path::new(&out).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// How the generated crate's manifest reaches the runtime: inside this
/// workspace by a relative path (so the checked-in crate is the same on
/// every machine) and by version (so it can be published), from crates.io
/// elsewhere; never by an absolute path.
fn runtime_for(out: &Path) -> Runtime {
    let root = project_root();
    match Runtime::path_between(out, &root.join("runtime")) {
        Runtime::Path(path) if out.starts_with(&root) => Runtime::PathAndVersion {
            path,
            version: openapi_clientgen::RUNTIME_VERSION.to_owned(),
        },
        _ => Runtime::default(),
    }
}

/// A path relative to the project root when it is inside it, for short messages.
fn display(path: &Path) -> String {
    let root = project_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}
