//! Errors that name the place (file, line where known, JSON pointer) and
//! the kind ([`Code`]), and the one sink whose policy decides which stop a
//! run ([`Diagnostics`]).

use std::fmt;
use std::path::PathBuf;

pub use crate::diagnostic_codes::{Class, Code};

/// A problem at one place in the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file.
    pub file: PathBuf,
    /// 1-based line of the offending node, when it could be found.
    pub line: Option<usize>,
    /// JSON pointer to the offending node (`#/paths/~1pets/get`).
    pub pointer: String,
    /// What kind of problem: stable across releases, whatever the message
    /// says (docs/diagnostics.md lists them).
    pub code: Code,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(
            f,
            ": {} (at {}) [{}]",
            self.message,
            self.pointer,
            self.code.id()
        )
    }
}

/// Where a stage puts what it finds. Each code's [`Class`] and the run's
/// policy decide whether a diagnostic stops the run or travels with the
/// crate as a warning: lenient mode is this policy, not a flag each stage
/// reads.
#[derive(Debug, Default)]
pub struct Diagnostics {
    lenient: bool,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty sink; `lenient` makes [`Class::Degradable`] problems warnings.
    pub fn new(lenient: bool) -> Self {
        Self {
            lenient,
            ..Self::default()
        }
    }

    /// Whether a problem of this class stops the run under this policy.
    pub fn stops(&self, class: Class) -> bool {
        match class {
            Class::Error => true,
            Class::Degradable => !self.lenient,
            Class::Warning => false,
        }
    }

    /// Records one diagnostic where its code and the policy say.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        if self.stops(diagnostic.code.class()) {
            self.errors.push(diagnostic);
        } else {
            self.warnings.push(diagnostic);
        }
    }

    /// Every diagnostic recorded so far, to place them all at once
    /// (`LoadedSpec::locate`).
    pub fn all_mut(&mut self) -> impl Iterator<Item = &mut Diagnostic> {
        self.errors.iter_mut().chain(&mut self.warnings)
    }

    /// Drops repeats: a problem in a schema reached from many places,
    /// once located, has one pointer and is reported once.
    pub fn dedup(&mut self) {
        for list in [&mut self.errors, &mut self.warnings] {
            let mut seen = std::collections::HashSet::new();
            list.retain(|diagnostic| {
                seen.insert((
                    diagnostic.code,
                    diagnostic.pointer.clone(),
                    diagnostic.message.clone(),
                ))
            });
        }
    }

    /// The warnings, or every error when there is one.
    pub fn finish(self) -> Result<Vec<Diagnostic>, Error> {
        Error::spec(self.errors)?;
        Ok(self.warnings)
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, diagnostics: I) {
        for diagnostic in diagnostics {
            self.push(diagnostic);
        }
    }
}

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec says something wrong or something the generator cannot
    /// represent: every such problem found, all reported at once (one at
    /// least; build it with [`Error::spec`] or [`Error::from`] a diagnostic).
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Spec(Vec<Diagnostic>),
    /// A file could not be read or written. The reason is part of the
    /// message and not a `source`, so that a chain of causes prints it once.
    #[error("{}: {reason}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's reason.
        reason: std::io::Error,
    },
    /// The generator configuration is invalid.
    #[error("{path}: {message}")]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The caller's settings cannot make a crate that builds elsewhere.
    #[error("{0}")]
    Settings(String),
    /// Emitted code did not parse; a bug in the generator, reported rather than written.
    #[error("internal error: generated `{file}` does not parse: {message}")]
    Emit {
        /// The generated file.
        file: String,
        /// The parser's message.
        message: String,
    },
}

impl From<Diagnostic> for Error {
    fn from(diagnostic: Diagnostic) -> Self {
        Error::Spec(vec![diagnostic])
    }
}

impl Error {
    /// The spec's problems as an error, or `Ok` when there are none.
    pub fn spec(found: Vec<Diagnostic>) -> Result<(), Error> {
        if found.is_empty() {
            Ok(())
        } else {
            Err(Error::Spec(found))
        }
    }

    /// Names the file of every diagnostic anew (see `LoadedSpec::relabel`).
    pub fn relabel(&mut self, rename: impl Fn(&std::path::Path) -> PathBuf) {
        if let Error::Spec(diagnostics) = self {
            for diagnostic in diagnostics {
                diagnostic.file = rename(&diagnostic.file);
            }
        }
    }

    /// The diagnostics, when the spec is at fault.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Spec(diagnostics) => diagnostics,
            _ => &[],
        }
    }

    /// The codes of the diagnostics, in order: what tests and tools match.
    pub fn codes(&self) -> Vec<Code> {
        self.diagnostics().iter().map(|found| found.code).collect()
    }
}

/// Escapes one JSON pointer segment (RFC 6901).
pub fn escape_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`escape_segment`]: `~1` is `/`, then `~0` is `~` (RFC 6901's order).
pub fn unescape_segment(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Appends segments to a pointer.
pub fn pointer(base: &str, segments: &[&str]) -> String {
    let mut out = base.to_owned();
    for segment in segments {
        out.push('/');
        out.push_str(&escape_segment(segment));
    }
    out
}
