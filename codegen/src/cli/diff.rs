//! `diff`: what a spec change does to the API and to the generated crate.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use super::Error;
use crate::compare::{Format, Report, render};
use crate::load::{LoadedSpec, parse};
use crate::{Config, Runtime, Settings, generate_from};

/// `openapi-clientgen diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The new spec.
    #[arg(long, value_name = "FILE")]
    pub new: PathBuf,
    /// The old spec as a file.
    #[arg(long, value_name = "FILE", required_unless_present = "base")]
    pub old: Option<PathBuf>,
    /// The old spec as the new one's file at this git revision (a branch,
    /// a tag, a commit).
    #[arg(long, value_name = "REV", conflicts_with = "old")]
    pub base: Option<String>,
    /// The crate's settings, instead of codegen.toml beside the new spec.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// How to write the report.
    #[arg(long, value_enum, default_value_t = OutputFormat::Markdown)]
    pub format: OutputFormat,
    /// Exit 1 when a change breaks code that uses the crate.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
}

/// How to write the report.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum OutputFormat {
    /// A pull-request comment.
    #[value(alias = "md")]
    Markdown,
    /// A terminal.
    Text,
    /// Tools.
    Json,
}

/// When to fail.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FailOn {
    /// Breaking changes and removed or changed public items.
    Breaking,
}

/// Runs the command; errors become exit code 2, as the usage promises.
pub fn run(args: &Args) -> ExitCode {
    let result = (|| {
        let old = match (&args.old, &args.base) {
            (Some(path), _) => load_file(path)?,
            (None, Some(rev)) => at_revision(&args.new, rev)?,
            (None, None) => return Err(Error::Refused("give --old FILE or --base REV".to_owned())),
        };
        let new = load_file(&args.new)?;
        let beside = args.new.with_file_name("codegen.toml");
        let config = match &args.config {
            Some(file) => Config::read(file)?,
            None if beside.exists() => Config::read(&beside)?,
            None => Config::new("generated-client", "0.1.0"),
        };
        report(old, new, &config, args.format, args.fail_on, None)
    })();
    result.unwrap_or_else(|error| {
        eprintln!("error: {error}");
        ExitCode::from(2)
    })
}

/// Prints the report of `old` against `new` in `format`; exit 1 when
/// `fail_on` is set and a change is breaking. `cache` keeps rustfmt's
/// results between runs.
pub fn report(
    mut old: LoadedSpec,
    mut new: LoadedSpec,
    config: &Config,
    format: OutputFormat,
    fail_on: Option<FailOn>,
    cache: Option<&Path>,
) -> Result<ExitCode, Error> {
    // Lenient: an operation the generator cannot represent is reported as a
    // breaking change of that operation, not as a failure of the whole diff.
    let settings = |side: &str| Settings {
        lenient: true,
        runtime: Runtime::default(),
        cache: cache.map(|cache| cache.join(side)),
        previous: None,
        spec_root: None,
    };
    let old_crate = generate_from(&mut old, config, &settings("old"))
        .map_err(|error| Error::Refused(format!("the old spec does not generate: {error}")))?;
    let report = match generate_from(&mut new, config, &settings("new")) {
        Ok(new_crate) => Report::new(old.tree(), new.tree(), &old_crate, &new_crate, config),
        Err(refusal) => Report::refused((old.tree(), &old_crate), new.tree(), &refusal, config),
    };
    let format = match format {
        OutputFormat::Markdown => Format::Markdown,
        OutputFormat::Text => Format::Text,
        OutputFormat::Json => Format::Json,
    };
    print!("{}", render(&report, format));
    Ok(if fail_on.is_some() && report.has_breaking() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Loads a spec file.
pub fn load_file(path: &Path) -> Result<LoadedSpec, Error> {
    Ok(crate::load::load(path)?)
}

/// `file` as it was at git revision `rev`, named `FILE@REV` in messages.
/// A multi-file spec reads its other files as they were at `rev` too: the
/// YAML and JSON files of its folder at `rev` are written to a temporary
/// folder and read from there, and messages name them `PATH@REV`.
pub fn at_revision(file: &Path, rev: &str) -> Result<LoadedSpec, Error> {
    let folder = file
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = file
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let show = |relative: &str| {
        git(folder, &["show", &format!("{rev}:./{relative}")]).map_err(|error| {
            Error::Refused(format!(
                "cannot read {} at `{rev}`: {error}",
                folder.join(relative).display()
            ))
        })
    };
    let text = show(&name)?;
    let labelled = |path: &Path| PathBuf::from(format!("{}@{rev}", path.display()));
    if !crate::load::names_other_files(file, &text) {
        return Ok(parse(&labelled(file), text)?);
    }
    // The folder at `rev`, its YAML and JSON files only, which is what `$ref`s read.
    let copy = tempfile::tempdir().map_err(Error::io(folder))?;
    let listed = git(folder, &["ls-tree", "-r", "--name-only", rev, "."])?;
    for relative in listed.lines().filter(|path| {
        [".yaml", ".yml", ".json"]
            .iter()
            .any(|extension| path.to_ascii_lowercase().ends_with(extension))
    }) {
        let target = copy.path().join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(Error::io(parent))?;
        }
        std::fs::write(&target, show(relative)?).map_err(Error::io(&target))?;
    }
    let relabel = |path: &Path| match path.strip_prefix(copy.path()) {
        Ok(relative) => labelled(&folder.join(relative)),
        Err(_) => path.to_owned(),
    };
    match crate::load::load(&copy.path().join(&name)) {
        Ok(mut loaded) => {
            loaded.relabel(relabel);
            Ok(loaded)
        }
        Err(mut error) => {
            error.relabel(relabel);
            Err(error.into())
        }
    }
}

/// The output of `git ARGS` in `folder`.
pub fn git(folder: &Path, args: &[&str]) -> Result<String, Error> {
    let output = Command::new("git")
        .args(args)
        .current_dir(folder)
        .output()
        .map_err(|error| Error::Refused(format!("cannot run git: {error}")))?;
    if !output.status.success() {
        return Err(Error::Refused(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    String::from_utf8(output.stdout)
        .map_err(|_| Error::Refused(format!("git {}: the output is not UTF-8", args.join(" "))))
}
