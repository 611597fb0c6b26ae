//! `generate`: one spec into one crate folder, or a check that the folder
//! is what the spec generates.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Error;
use crate::{Config, Runtime, Settings, write};

/// `openapi-clientgen generate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The OpenAPI document (YAML or JSON).
    #[arg(long, value_name = "FILE")]
    pub spec: PathBuf,
    /// The crate's folder: written whole, or left as it was on any error.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The crate's settings, instead of codegen.toml beside the spec.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Skip operations that cannot be represented, naming each and why.
    #[arg(long)]
    pub lenient: bool,
    /// Write nothing; fail with a unified diff when the folder is stale.
    #[arg(long)]
    pub check: bool,
    /// The folder whose files a multi-file spec may read (by default the
    /// spec's own folder and those under it).
    #[arg(long, value_name = "DIR")]
    pub spec_root: Option<PathBuf>,
    /// Print only errors: no file list, no warnings, no diff.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print what was generated, every file kept as it was, and the
    /// source line of each warning.
    #[arg(long, short)]
    pub verbose: bool,
}

/// How much a job prints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Verbosity {
    /// Errors only.
    Quiet,
    /// Errors with their source lines, warnings, and the files that changed.
    #[default]
    Normal,
    /// Also the crate's size, the files kept, and warnings' source lines.
    Verbose,
}

/// How a job ended, with the exit code each gets: a CI step can tell a
/// stale crate (1) from a spec or setting that does not generate (2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The crate was written, or already was what the spec generates.
    Done,
    /// `--check`: the folder differs from what the spec generates.
    Stale,
    /// Nothing was generated: the spec, its settings or a file could not
    /// be used; the folder is as it was.
    Failed,
}

impl Outcome {
    /// 0, 1 or 2.
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Done => ExitCode::SUCCESS,
            Outcome::Stale => ExitCode::from(1),
            Outcome::Failed => ExitCode::from(2),
        }
    }
}

/// One spec to one folder.
#[derive(Debug, Clone)]
pub struct Job {
    /// The OpenAPI document.
    pub spec: PathBuf,
    /// The crate's folder.
    pub out: PathBuf,
    /// Settings to use instead of `codegen.toml` beside the spec.
    pub config: Option<PathBuf>,
    /// The crate's name when no configuration file is found (else the
    /// output folder's name is used).
    pub name: Option<String>,
    /// The folder a multi-file spec may read (see [`Settings::spec_root`]).
    pub spec_root: Option<PathBuf>,
}

/// How a job runs and reports.
pub struct Options<'a> {
    /// Compare instead of writing.
    pub check: bool,
    /// Skip what cannot be represented.
    pub lenient: bool,
    /// Where the crate finds `client-runtime` unless its configuration says.
    pub runtime: Runtime,
    /// A folder where results are kept between runs (see [`Settings::cache`]).
    pub cache: Option<PathBuf>,
    /// How paths are shown in messages.
    pub display: &'a dyn Fn(&Path) -> String,
    /// The command that regenerates, for the message of a stale check.
    pub rerun: &'a str,
    /// How much to print.
    pub verbosity: Verbosity,
}

impl std::fmt::Debug for Options<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("check", &self.check)
            .field("lenient", &self.lenient)
            .field("runtime", &self.runtime)
            .field("cache", &self.cache)
            .field("rerun", &self.rerun)
            .field("verbosity", &self.verbosity)
            .finish_non_exhaustive()
    }
}

/// `openapi-clientgen generate`: the crate depends on the runtime from
/// crates.io unless its configuration's `[runtime]` says otherwise.
pub fn run(args: &Args) -> Result<Outcome, Error> {
    let absolute = |path: &Path| std::path::absolute(path).map_err(Error::io(path));
    let job = Job {
        spec: absolute(&args.spec)?,
        out: absolute(&args.out)?,
        config: args.config.as_deref().map(absolute).transpose()?,
        name: None,
        spec_root: args.spec_root.as_deref().map(absolute).transpose()?,
    };
    let rerun = format!(
        "openapi-clientgen generate --spec {} --out {}",
        args.spec.display(),
        args.out.display()
    );
    // Paths as the user wrote them: relative to where the command runs.
    let here = std::env::current_dir().unwrap_or_default();
    let display = |path: &Path| {
        path.strip_prefix(&here)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    let options = Options {
        check: args.check,
        lenient: args.lenient,
        runtime: Runtime::default(),
        cache: None,
        display: &display,
        rerun: &rerun,
        verbosity: if args.quiet {
            Verbosity::Quiet
        } else if args.verbose {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        },
    };
    run_job(&job, &options)
}

/// Generates `job` and writes it (or compares it, with `check`), printing
/// what happened: warnings and skipped operations on stderr, then which
/// files changed, or that none did. A spec that does not generate is
/// reported on stderr, each problem under its source line, and leaves the
/// folder as it was ([`Outcome::Failed`]).
pub fn run_job(job: &Job, options: &Options<'_>) -> Result<Outcome, Error> {
    let display = options.display;
    let verbosity = options.verbosity;
    let failed = |error: &crate::Error| {
        report_error(error, verbosity != Verbosity::Quiet);
        eprintln!("nothing was written; {} is unchanged", display(&job.out));
        Outcome::Failed
    };
    let config = match config_for(job) {
        Ok(config) => config,
        Err(Error::Codegen(error)) => return Ok(failed(&error)),
        Err(error) => return Err(error),
    };
    let settings = Settings {
        lenient: options.lenient,
        runtime: options.runtime.clone(),
        cache: options.cache.clone(),
        spec_root: job.spec_root.clone(),
        // Unchanged files are kept from the crate being replaced.
        previous: Some(job.out.clone()),
    };
    let generated = match crate::generate(&job.spec, &config, &settings) {
        Ok(generated) => generated,
        Err(error) => return Ok(failed(&error)),
    };
    if verbosity != Verbosity::Quiet {
        let excerpts = verbosity == Verbosity::Verbose;
        for warning in &generated.report.warnings {
            eprintln!("warning: {warning}");
            if excerpts && let Some(excerpt) = super::excerpt(warning) {
                eprintln!("{excerpt}");
            }
        }
        for skipped in &generated.report.skipped {
            eprintln!("warning: skipped operation `{}`:", skipped.operation);
            for reason in &skipped.reasons {
                eprintln!("    {reason}");
            }
        }
        if options.lenient {
            eprintln!(
                "lenient: {} operations skipped, {} warnings",
                generated.report.skipped.len(),
                generated.report.warnings.len()
            );
        }
    }
    if verbosity == Verbosity::Verbose {
        eprintln!(
            "generated {} operations and {} types into {} files",
            generated.report.operations,
            generated.report.types,
            generated.files.len()
        );
    }
    if options.check {
        return Ok(match write::diff_dir(&job.out, &generated)? {
            None => {
                if verbosity != Verbosity::Quiet {
                    println!(
                        "{} is up to date with {}",
                        display(&job.out),
                        display(&job.spec)
                    );
                }
                Outcome::Done
            }
            Some(diff) => {
                if verbosity != Verbosity::Quiet {
                    print!("{diff}");
                }
                eprintln!(
                    "error: {} is stale: it differs from what {} generates{}. Run `{}` and commit the result.",
                    display(&job.out),
                    display(&job.spec),
                    if verbosity == Verbosity::Quiet {
                        ""
                    } else {
                        " (diff above)"
                    },
                    options.rerun
                );
                Outcome::Stale
            }
        });
    }
    let new_crate = !job.out.exists();
    let changes = write::replace_dir(&job.out, &generated)?;
    if verbosity == Verbosity::Quiet {
        return Ok(Outcome::Done);
    }
    if changes.is_empty() {
        println!(
            "{} is unchanged: its {} files are what {} generates",
            display(&job.out),
            generated.files.len(),
            display(&job.spec)
        );
        return Ok(Outcome::Done);
    }
    if new_crate {
        println!(
            "wrote {} files to {} from {}:",
            generated.files.len(),
            display(&job.out),
            display(&job.spec)
        );
    } else {
        println!(
            "wrote {} from {}: {} files added, changed or removed; it has {} files:",
            display(&job.out),
            display(&job.spec),
            changes.len(),
            generated.files.len()
        );
    }
    for change in &changes {
        let kind = match change.kind {
            write::ChangeKind::Added => "added",
            write::ChangeKind::Changed => "changed",
            write::ChangeKind::Removed => "removed",
        };
        println!("  {kind:<7} {}", change.path);
    }
    if verbosity == Verbosity::Verbose {
        let changed: std::collections::BTreeSet<&str> =
            changes.iter().map(|change| change.path.as_str()).collect();
        for path in generated.files.keys() {
            if !changed.contains(path.as_str()) {
                println!("  {:<7} {path}", "kept");
            }
        }
    }
    Ok(Outcome::Done)
}

/// `error: …` for each problem, with the source line of each diagnostic
/// under it when `excerpts`.
fn report_error(error: &crate::Error, excerpts: bool) {
    let diagnostics = error.diagnostics();
    if diagnostics.is_empty() {
        eprintln!("error: {error}");
        return;
    }
    for diagnostic in diagnostics {
        eprintln!("error: {diagnostic}");
        if excerpts && let Some(excerpt) = super::excerpt(diagnostic) {
            eprintln!("{excerpt}");
        }
    }
}

/// The job's `config`, or `codegen.toml` beside the spec, or defaults named
/// after the job's name or the output folder.
pub fn config_for(job: &Job) -> Result<Config, Error> {
    let beside = job.spec.with_file_name("codegen.toml");
    Ok(if let Some(file) = &job.config {
        Config::read(file)?
    } else if let Some(name) = &job.name {
        Config::new(name.clone(), "0.1.0")
    } else if beside.exists() {
        Config::read(&beside)?
    } else {
        let name = job
            .out
            .file_name()
            .map(|name| package_name(&name.to_string_lossy()))
            .unwrap_or_else(|| "generated-client".to_owned());
        Config::new(name, "0.1.0")
    })
}

/// A valid package name from a folder name: `petstore.yaml` becomes
/// `petstore-yaml`, `My "API"` becomes `my-api`: lower case, and no run of
/// separators, since the library's name (`my__api`) would not be snake
/// case for rustc.
pub fn package_name(folder: &str) -> String {
    let mut name = String::new();
    for c in folder.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '_' {
            c.to_ascii_lowercase()
        } else {
            '-'
        };
        if matches!(c, '-' | '_') && name.ends_with(['-', '_']) {
            continue;
        }
        name.push(c);
    }
    let name = name.trim_matches(['-', '_']);
    match name.chars().next() {
        Some(first) if first.is_ascii_alphabetic() => name.to_owned(),
        Some(_) => format!("client-{name}"),
        None => "generated-client".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::package_name;

    #[test]
    fn a_folder_name_becomes_a_snake_case_package_name() {
        for (folder, name) in [
            ("petstore.yaml", "petstore-yaml"),
            ("My API", "my-api"),
            ("h  o'ut", "h-o-ut"),
            ("My \"API\" (v2)", "my-api-v2"),
            ("a__b--c", "a_b-c"),
            ("_x_", "x"),
            ("2024 api", "client-2024-api"),
            ("\u{e9}\u{e9}", "generated-client"),
        ] {
            assert_eq!(package_name(folder), name, "{folder}");
        }
    }
}
