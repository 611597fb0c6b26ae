//! The rustfmt process: finding it, naming its cached results, and running
//! it over files in a scratch folder.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::process::Command;

use crate::Error;

/// The rustfmt binary: `$RUSTFMT`, else the one beside the toolchain's
/// `cargo` (`$CARGO`, set when run through cargo), else `rustfmt` on PATH.
pub(super) struct Rustfmt {
    pub(super) program: PathBuf,
    /// Its size and modification time: a toolchain update changes them,
    /// and with them every cache key, without running it.
    pub(super) identity: String,
}

impl Rustfmt {
    pub(super) fn find() -> Self {
        let program = std::env::var_os("RUSTFMT")
            .map(PathBuf::from)
            .or_else(|| {
                let cargo = PathBuf::from(std::env::var_os("CARGO")?);
                let beside =
                    cargo.with_file_name(format!("rustfmt{}", std::env::consts::EXE_SUFFIX));
                beside.exists().then_some(beside)
            })
            .unwrap_or_else(|| PathBuf::from("rustfmt"));
        let identity = std::fs::metadata(&program)
            .map(|meta| {
                format!(
                    "{}:{}:{:?}",
                    program.display(),
                    meta.len(),
                    meta.modified().ok()
                )
            })
            .unwrap_or_else(|_| program.display().to_string());
        Self { program, identity }
    }

    /// The cache file name of the formatted form of `text` (a file's tokens).
    pub(super) fn key(&self, text: &str) -> String {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (super::FORMAT_VERSION, &self.identity, text).hash(&mut hasher);
        format!("{:016x}.rs", hasher.finish())
    }

    /// Formats the files named in `paths` in a scratch folder, one rustfmt
    /// process per core.
    pub(super) fn run(
        &self,
        files: &mut BTreeMap<String, String>,
        paths: &[String],
    ) -> Result<(), Error> {
        if paths.is_empty() {
            return Ok(());
        }
        let failed = |message: String| Error::Emit {
            file: "(rustfmt)".to_owned(),
            message,
        };
        let scratch = tempfile::tempdir().map_err(|error| failed(error.to_string()))?;
        let mut written = Vec::with_capacity(paths.len());
        for relative in paths {
            let path = scratch.path().join(relative);
            if let Some(folder) = path.parent() {
                std::fs::create_dir_all(folder).map_err(|error| failed(error.to_string()))?;
            }
            std::fs::write(&path, hide_children(&files[relative]))
                .map_err(|error| failed(error.to_string()))?;
            written.push(path);
        }
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let chunk = written.len().div_ceil(cores).max(1);
        let outputs: Vec<std::io::Result<std::process::Output>> = std::thread::scope(|scope| {
            let handles: Vec<_> = written
                .chunks(chunk)
                .map(|chunk| {
                    scope.spawn(move || {
                        Command::new(&self.program)
                            .args([
                                "--edition",
                                "2024",
                                "--quiet",
                                "--config",
                                "newline_style=Unix",
                            ])
                            .args(chunk)
                            .output()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| {
                    handle
                        .join()
                        .unwrap_or_else(|_| Err(std::io::Error::other("rustfmt thread panicked")))
                })
                .collect()
        });
        for output in outputs {
            let output = output.map_err(|error| {
                failed(format!(
                    "cannot run `{}` ({error}); install it with `rustup component add rustfmt`",
                    self.program.display()
                ))
            })?;
            if !output.status.success() {
                return Err(failed(format!(
                    "rustfmt failed: {}",
                    String::from_utf8_lossy(&output.stderr)
                )));
            }
        }
        for (relative, path) in paths.iter().zip(&written) {
            let text = std::fs::read_to_string(path).map_err(|error| failed(error.to_string()))?;
            files.insert(relative.clone(), show_children(&text));
        }
        Ok(())
    }
}

/// rustfmt formats the files an out-of-line `mod x;` names as well as the
/// file given, so a file whose children are not in the scratch folder (they
/// came from the cache) fails, and one whose children are would format them
/// twice. `#[rustfmt::skip]` on each such `mod` stops that; it is added only
/// to the scratch copy and taken out again by [`show_children`].
fn hide_children(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        if is_child_module(line) {
            let indent = &line[..line.len() - line.trim_start().len()];
            out.push_str(indent);
            out.push_str(SKIP);
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn show_children(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len());
    for (index, line) in lines.iter().enumerate() {
        let hides_next = line.trim() == SKIP
            && lines
                .get(index + 1)
                .is_some_and(|next| is_child_module(next));
        if !hides_next {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

const SKIP: &str = "#[rustfmt::skip]";

/// `mod x;`, `pub mod x;`, `pub(crate) mod x;`.
fn is_child_module(line: &str) -> bool {
    let line = line.trim();
    let line = line
        .strip_prefix("pub(crate) ")
        .or_else(|| line.strip_prefix("pub "))
        .unwrap_or(line);
    line.starts_with("mod ") && line.ends_with(';')
}
