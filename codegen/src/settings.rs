//! How one run generates, as opposed to what the crate is ([`crate::Config`],
//! read from `codegen.toml`): set by the caller, never read from a file.

use std::path::{Component, Path};

use serde::Deserialize;

/// The version of `client-runtime` that this generator writes code for, and
/// that a generated crate depends on unless told otherwise.
pub const RUNTIME_VERSION: &str = "0.1.1";

/// The oldest Rust that the runtime, and so a generated crate, builds with.
pub const RUNTIME_MSRV: &str = "1.88";

/// Where a generated crate finds `client-runtime`, as its manifest writes it.
/// In `codegen.toml`, a `[runtime]` table with `version`, `path` or both.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RuntimeTable")]
pub enum Runtime {
    /// From crates.io, by this version requirement: a crate that builds on
    /// any machine.
    Version(String),
    /// At this path relative to the generated crate, for a repository that
    /// holds the runtime too. Never absolute: the crate must build wherever
    /// it is checked out.
    Path(String),
    /// At this relative path when built here, and by this version once
    /// published (`cargo publish` keeps only the version): a repository
    /// that holds the runtime and publishes the crate.
    PathAndVersion {
        /// Relative to the generated crate.
        path: String,
        /// The version requirement crates.io resolves.
        version: String,
    },
}

/// The `[runtime]` table as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuntimeTable {
    version: Option<String>,
    path: Option<String>,
}

impl TryFrom<RuntimeTable> for Runtime {
    type Error = &'static str;

    fn try_from(table: RuntimeTable) -> Result<Self, Self::Error> {
        match (table.path, table.version) {
            (Some(path), Some(version)) => Ok(Runtime::PathAndVersion { path, version }),
            (Some(path), None) => Ok(Runtime::Path(path)),
            (None, Some(version)) => Ok(Runtime::Version(version)),
            (None, None) => Err("`[runtime]` needs `version`, `path` or both"),
        }
    }
}

impl Default for Runtime {
    fn default() -> Self {
        Runtime::Version(RUNTIME_VERSION.to_owned())
    }
}

impl Runtime {
    /// The path it gives, if any.
    pub fn path(&self) -> Option<&str> {
        match self {
            Runtime::Path(path) | Runtime::PathAndVersion { path, .. } => Some(path),
            Runtime::Version(_) => None,
        }
    }

    /// The runtime at `runtime`, as a crate written to `out` reaches it:
    /// both absolute, or both relative to the same folder.
    pub fn path_between(out: &Path, runtime: &Path) -> Runtime {
        Runtime::Path(relative_path(out, runtime))
    }
}

/// `to` as seen from the folder `from`, with `/` between segments.
fn relative_path(from: &Path, to: &Path) -> String {
    let normal = |path: &Path| -> Vec<String> {
        let mut segments: Vec<String> = Vec::new();
        for component in path.components() {
            match component {
                Component::Normal(segment) => {
                    segments.push(segment.to_string_lossy().into_owned());
                }
                Component::ParentDir => {
                    segments.pop();
                }
                _ => {}
            }
        }
        segments
    };
    let (from, to) = (normal(from), normal(to));
    let shared = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut segments = vec![".."; from.len() - shared];
    segments.extend(to[shared..].iter().map(String::as_str));
    if segments.is_empty() {
        ".".to_owned()
    } else {
        segments.join("/")
    }
}

/// Settings of one generation run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Skip operations that cannot be represented, with their reasons,
    /// instead of failing the whole run.
    pub lenient: bool,
    /// Where the generated crate finds `client-runtime`, unless the
    /// configuration's `[runtime]` says; by default from crates.io.
    pub runtime: Runtime,
    /// A folder of this crate's own where results are kept between runs:
    /// rustfmt's output and whether each pattern compiles. `None` formats
    /// every file and compiles every pattern every time.
    pub cache: Option<std::path::PathBuf>,
    /// The folder of the crate this run replaces, if there is one: a file
    /// there whose tokens did not change (its fingerprint line says so) is
    /// kept as it is, without rustfmt, even when `cache` is empty.
    pub previous: Option<std::path::PathBuf>,
    /// The folder whose files a multi-file spec may read: a `$ref` to a
    /// file outside it is refused. `None`: the spec's own folder and
    /// those under it.
    pub spec_root: Option<std::path::PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_path_is_relative_to_the_crate() {
        let path = |out: &str, runtime: &str| relative_path(Path::new(out), Path::new(runtime));
        assert_eq!(path("/w/generated", "/w/runtime"), "../runtime");
        assert_eq!(
            path("/w/tests/snapshots/names", "/w/runtime"),
            "../../../runtime"
        );
        assert_eq!(path("/w/target/x/../y", "/w/runtime"), "../../runtime");
        assert_eq!(path("/w", "/w/runtime"), "runtime");
        assert_eq!(
            path("/elsewhere/app/client", "/w/runtime"),
            "../../../w/runtime"
        );
    }
}
