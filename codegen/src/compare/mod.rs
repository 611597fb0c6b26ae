//! Comparing two versions of a spec, for review: what changed in the API,
//! how much it matters to code using the generated crate, and what changed
//! in the crate itself. Used by `cargo xtask diff`.

mod causes;
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
pub use rules::{Build, Kind, Severity};

use crate::{Config, GeneratedCrate};

/// One change between the two documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What kind, which fixes severity and reason.
    pub kind: Kind,
    /// The operations it affects, sorted: one change to a shared schema is
    /// reported once, naming every operation that uses it.
    pub operations: Vec<String>,
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
        out.serialize_field("operations", &self.operations)?;
        out.serialize_field("pointer", &self.pointer)?;
        out.serialize_field("message", &self.message)?;
        out.serialize_field("reason", self.kind.reason())?;
        out.end()
    }
}

/// Counts by severity, and of public items that code may be using and that
/// are gone or different.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Summary {
    /// Breaking changes.
    pub breaking: usize,
    /// Changes worth a look.
    pub attention: usize,
    /// Safe changes.
    pub non_breaking: usize,
    /// Changes to the generated crate's public items that break code
    /// written against it (removed or changed items, a field or variant
    /// added where literals or matches must name every one), whether or
    /// not a spec change explains them: what the compiler would refuse.
    pub items_breaking: usize,
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
    /// Compares the documents and the crates generated from them; an
    /// operation the new crate had to leave out (lenient generation) and the
    /// old one had counts as a breaking change.
    pub fn new(
        old: &serde_json::Value,
        new: &serde_json::Value,
        old_crate: &GeneratedCrate,
        new_crate: &GeneratedCrate,
        config: &Config,
    ) -> Self {
        let mut changes = spec::compare(
            (old, &old_crate.model),
            (new, Some(&new_crate.model)),
            &config.media_types.unstable,
        );
        changes.extend(refused(old_crate, new_crate));
        let mut items = item_changes(&public_items(old_crate), &public_items(new_crate));
        // An item that is gone has its place in the old crate; one that
        // changed or is new, in the new crate first.
        let (old_places, new_places) = (&old_crate.places, &new_crate.places);
        let gone = items
            .removed
            .iter()
            .map(|item| (item, [old_places, new_places]));
        let present = items
            .changed
            .iter()
            .map(|(item, ..)| item)
            .chain(&items.added_breaking)
            .map(|item| (item, [new_places, old_places]));
        items.causes = gone
            .chain(present)
            .filter_map(|(item, places)| {
                let change = causes::cause(item, &changes, &places)?;
                let operation = render::operations_prefix(&change.operations);
                Some((item.clone(), format!("{operation}{}", change.message)))
            })
            .collect();
        Self::assemble(changes, items, code_diff(old_crate, new_crate))
    }

    /// Sorts the changes, most severe first, and counts.
    fn assemble(mut changes: Vec<Change>, items: ItemChanges, code_diff: String) -> Self {
        changes.sort_by(|a, b| {
            (a.kind.severity(), &a.operations, &a.pointer).cmp(&(
                b.kind.severity(),
                &b.operations,
                &b.pointer,
            ))
        });
        let mut summary = Summary {
            items_breaking: items.breaking(),
            ..Summary::default()
        };
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
            items,
            code_diff,
        }
    }

    /// Whether anything breaks: a breaking spec change, or a public item
    /// removed or changed.
    pub fn has_breaking(&self) -> bool {
        self.summary.breaking > 0 || self.summary.items_breaking > 0
    }
}

impl Report {
    /// The report when the new document cannot be generated at all: the
    /// spec changes, and the refusal as a breaking change; no crate items.
    /// With no model of the new document, the changes that rest on the
    /// generator's decisions (a schema given an inline type, a parameter
    /// written another way) cannot be told and are left out.
    pub fn refused(
        (old, old_crate): (&serde_json::Value, &GeneratedCrate),
        new: &serde_json::Value,
        refusal: &crate::Error,
        config: &Config,
    ) -> Self {
        let diagnostics = refusal.diagnostics();
        let mut changes = spec::compare(
            (old, &old_crate.model),
            (new, None),
            &config.media_types.unstable,
        );
        changes.push(Change {
            kind: Kind::OperationRefused,
            operations: Vec::new(),
            pointer: diagnostics
                .first()
                .map_or_else(|| "#".to_owned(), |diagnostic| diagnostic.pointer.clone()),
            message: format!("the generator refuses the new document: {refusal}"),
        });
        Self::assemble(changes, ItemChanges::default(), String::new())
    }
}

/// Operations the new crate leaves out that the old one did not.
fn refused(old: &GeneratedCrate, new: &GeneratedCrate) -> Vec<Change> {
    new.report
        .skipped
        .iter()
        .filter(|skipped| {
            !old.report
                .skipped
                .iter()
                .any(|before| before.operation == skipped.operation)
        })
        .map(|skipped| {
            let reasons: Vec<&str> = skipped
                .reasons
                .iter()
                .map(|reason| reason.message.as_str())
                .collect();
            Change {
                kind: Kind::OperationRefused,
                operations: vec![skipped.operation.clone()],
                pointer: skipped
                    .reasons
                    .first()
                    .map_or_else(|| "#".to_owned(), |reason| reason.pointer.clone()),
                message: format!("the generator leaves it out: {}", reasons.join("; ")),
            }
        })
        .collect()
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

/// The semantic changes alone, for callers that do not generate crates:
/// each document with its model ([`crate::model_from`]); `unstable` as in
/// [`crate::config::MediaTypesConfig`].
pub fn changes(
    old: (&serde_json::Value, &crate::model::Api),
    new: (&serde_json::Value, &crate::model::Api),
    unstable: &[String],
) -> Vec<Change> {
    spec::compare(old, (new.0, Some(new.1)), unstable)
}
