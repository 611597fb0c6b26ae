//! Comparing two versions of a spec, for review: what changed in the API,
//! how much it matters to code using the generated crate, and what changed
//! in the crate itself. Used by `cargo xtask diff`.

mod items;
mod pattern;
mod render;
mod rules;
mod spec;

use serde::Serialize;
use serde::ser::SerializeStruct;
use similar::TextDiff;

pub use items::{ItemChanges, item_changes, public_items};
pub use render::{Format, render};
pub use rules::{Kind, Severity};

use crate::GeneratedCrate;

/// One change between the two documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What kind, which fixes severity and reason.
    pub kind: Kind,
    /// The operation it affects, when it affects one.
    pub operation: Option<String>,
    /// Where: a JSON pointer into the new document, or the old one for removals.
    pub pointer: String,
    /// What changed, specifically.
    pub message: String,
}

impl Serialize for Change {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("Change", 6)?;
        out.serialize_field("severity", self.kind.severity().as_str())?;
        out.serialize_field("kind", self.kind.id())?;
        out.serialize_field("operation", &self.operation)?;
        out.serialize_field("pointer", &self.pointer)?;
        out.serialize_field("message", &self.message)?;
        out.serialize_field("reason", self.kind.reason())?;
        out.end()
    }
}

/// Counts by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Breaking changes.
    pub breaking: usize,
    /// Changes worth a look.
    pub attention: usize,
    /// Safe changes.
    #[serde(rename = "non-breaking")]
    pub non_breaking: usize,
}

/// Everything a reviewer needs.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Changes, most severe first.
    pub changes: Vec<Change>,
    /// Counts by severity.
    pub summary: Summary,
    /// The crate's public items that changed.
    pub items: ItemChanges,
    /// The unified diff of the generated code.
    pub code_diff: String,
}

impl Report {
    /// Compares the documents and the crates generated from them.
    pub fn new(
        old: &serde_json::Value,
        new: &serde_json::Value,
        old_crate: &GeneratedCrate,
        new_crate: &GeneratedCrate,
    ) -> Self {
        let mut changes = spec::compare(old, new);
        changes.sort_by(|a, b| {
            (a.kind.severity(), &a.operation, &a.pointer).cmp(&(
                b.kind.severity(),
                &b.operation,
                &b.pointer,
            ))
        });
        let mut summary = Summary::default();
        for change in &changes {
            match change.kind.severity() {
                Severity::Breaking => summary.breaking += 1,
                Severity::Attention => summary.attention += 1,
                Severity::NonBreaking => summary.non_breaking += 1,
            }
        }
        Self {
            changes,
            summary,
            items: item_changes(&public_items(old_crate), &public_items(new_crate)),
            code_diff: code_diff(old_crate, new_crate),
        }
    }

    /// Whether anything breaks.
    pub fn has_breaking(&self) -> bool {
        self.summary.breaking > 0
    }
}

/// The unified diff between two generated crates, file by file.
pub fn code_diff(old: &GeneratedCrate, new: &GeneratedCrate) -> String {
    let mut paths: Vec<&String> = old.files.keys().chain(new.files.keys()).collect();
    paths.sort();
    paths.dedup();
    let mut out = String::new();
    for path in paths {
        let (before, after) = (old.files.get(path), new.files.get(path));
        if before == after {
            continue;
        }
        let old_name = if before.is_some() {
            format!("a/{path}")
        } else {
            "/dev/null".to_owned()
        };
        let new_name = if after.is_some() {
            format!("b/{path}")
        } else {
            "/dev/null".to_owned()
        };
        let diff = TextDiff::from_lines(
            before.map_or("", String::as_str),
            after.map_or("", String::as_str),
        );
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(&old_name, &new_name)
                .to_string(),
        );
    }
    out
}

/// The semantic changes alone, for callers that do not generate crates.
pub fn changes(old: &serde_json::Value, new: &serde_json::Value) -> Vec<Change> {
    spec::compare(old, new)
}
