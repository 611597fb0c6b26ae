//! How one run generates, as opposed to what the crate is ([`crate::Config`],
//! read from `codegen.toml`): set by the caller, never read from a file.

/// Settings of one generation run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Skip operations that cannot be represented, with their reasons,
    /// instead of failing the whole run.
    pub lenient: bool,
    /// Where the generated crate finds `client-runtime`, as its manifest
    /// writes it; the caller works it out from the output folder.
    pub runtime_path: String,
    /// A folder of this crate's own where results are kept between runs:
    /// rustfmt's output and whether each pattern compiles. `None` formats
    /// every file and compiles every pattern every time.
    pub cache: Option<std::path::PathBuf>,
    /// The folder of the crate this run replaces, if there is one: a file
    /// there whose tokens did not change (its fingerprint line says so) is
    /// kept as it is, without rustfmt, even when `cache` is empty.
    pub previous: Option<std::path::PathBuf>,
}
