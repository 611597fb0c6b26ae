//! What generation produces: the crate's files, and a report of what it left
//! out or went past. Built by [`crate::generate`], written or compared by
//! [`crate::write`], compared between versions by [`crate::compare`].

use std::collections::BTreeMap;

/// A generated crate in memory.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GeneratedCrate {
    /// Relative path (with `/`) to content, sorted by path.
    pub files: BTreeMap<String, String>,
    /// What did not stop generation but is worth knowing.
    pub report: GenerationReport,
    /// The crate it replaces, as generation read it from its folder
    /// ([`crate::Settings::previous`]): [`crate::write::replace_dir`] of
    /// that folder compares with it instead of reading the folder again.
    pub previous: Option<PreviousCrate>,
    /// Where its public items come from, by the path the spec diff names
    /// them with (`Client::get_pet`, `types::Pet.name`), as the model named
    /// them: the diff joins a changed item to the spec change at its place.
    pub places: BTreeMap<String, Place>,
    /// The model it was emitted from: the spec diff reads the generator's
    /// decisions from it (the named type at each place, how a parameter is
    /// written, each enum value's variant) instead of deciding them again.
    /// Its warnings and skipped operations have moved to `report`.
    pub model: std::sync::Arc<crate::model::Api>,
}

/// The spec node a public item is written from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Place {
    /// Its JSON pointer: an operation, a schema, a property.
    pub pointer: String,
    /// The operationId of the operation it belongs to, if one: an
    /// operation's own items, and the types declared inside it.
    pub operation: Option<String>,
}

/// A crate's folder and its files' texts, read once.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PreviousCrate {
    /// The folder.
    pub folder: std::path::PathBuf,
    /// Relative path (with `/`) to text.
    pub files: BTreeMap<String, String>,
}

/// What generation left out or went past.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GenerationReport {
    /// Operations lenient mode left out, with why.
    pub skipped: Vec<crate::model::Skipped>,
    /// Warnings, and in lenient mode the problems it went past.
    pub warnings: Vec<crate::Diagnostic>,
    /// How many operations the crate has.
    pub operations: usize,
    /// How many named types it has.
    pub types: usize,
}
