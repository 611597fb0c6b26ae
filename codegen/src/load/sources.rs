//! The files a spec is read from, and where each part of the tree the
//! later stages see was written: a multi-file spec is bundled into one
//! tree, and a Swagger 2.0 or OpenAPI 3.1 document is rewritten as 3.0,
//! but a diagnostic still names the file, line and pointer of the text.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostic::{Code, Diagnostic};

/// The most files one spec may be read from; every walk must end, and no
/// real API is split into more.
pub const MAX_FILES: usize = 10_000;

/// One file of the spec.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as the caller or a `$ref` gave it, for diagnostics.
    pub file: PathBuf,
    /// Its text, for finding the line of a JSON pointer.
    pub text: String,
    /// Whether the text is JSON, which is located as JSON.
    pub json: bool,
    /// The path with links and `..` resolved, to compare and to check
    /// against the folder tree the spec may read.
    pub canonical: PathBuf,
}

impl Source {
    /// The diagnostic at `pointer` of this file, with its line.
    pub fn diagnostic(&self, code: Code, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: self.file.clone(),
            line: crate::locate::lines_of(&self.text, self.json, &[pointer])[0],
            pointer: pointer.to_owned(),
            code,
            message: message.into(),
        }
    }
}

/// Where a part of the tree came from: the node at pointer `at` (and
/// everything under it) was written at `from` in source `source`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// A pointer into the bundled tree.
    pub at: String,
    /// An index into the spec's sources.
    pub source: usize,
    /// A pointer into that source's text (`#/…`, or `#` for its whole text).
    pub from: String,
}

/// How pointers of the tree the later stages see lead back to the text.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    /// Parts another version's document moved (`#/components/schemas/Pet`
    /// was `#/definitions/Pet`): a pointer of the rewritten tree, and the
    /// pointer of the bundled tree before the rewrite.
    pub renames: Vec<(String, String)>,
    /// Parts bundled from other files; the rest of the tree is the root
    /// file's, where it is written.
    pub placed: Vec<Placed>,
}

impl Origins {
    /// Whether every pointer leads to the same place in the root file.
    pub fn is_identity(&self) -> bool {
        self.renames.is_empty() && self.placed.is_empty()
    }

    /// The source and the pointer in its text where the node at `pointer`
    /// of the tree is written.
    pub fn original(&self, pointer: &str) -> (usize, String) {
        let renamed = match longest_prefix(self.renames.iter().map(|(at, _)| at.as_str()), pointer)
        {
            Some((index, rest)) => format!("{}{rest}", self.renames[index].1),
            None => pointer.to_owned(),
        };
        match longest_prefix(
            self.placed.iter().map(|placed| placed.at.as_str()),
            &renamed,
        ) {
            Some((index, rest)) => {
                let placed = &self.placed[index];
                (placed.source, format!("{}{rest}", placed.from))
            }
            None => (0, renamed),
        }
    }
}

/// The index of the longest of `prefixes` that is `pointer` or an
/// ancestor of it, and the rest of `pointer` after it.
fn longest_prefix<'p, 'q>(
    prefixes: impl Iterator<Item = &'p str>,
    pointer: &'q str,
) -> Option<(usize, &'q str)> {
    prefixes
        .enumerate()
        .filter(|(_, prefix)| {
            pointer
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
        .max_by_key(|(_, prefix)| prefix.len())
        .map(|(index, prefix)| (index, &pointer[prefix.len()..]))
}

/// Reads the files of one spec, each once, never outside `boundary`.
#[derive(Debug)]
pub struct Files {
    /// Every file read so far; the first is the root.
    pub sources: Vec<Source>,
    /// Each source's tree, parsed once.
    trees: Vec<Option<Value>>,
    /// The folder tree the spec may read, canonical.
    boundary: PathBuf,
}

impl Files {
    /// The files of a spec whose root is `root`, reading within `boundary`
    /// (`None`: the root file's folder).
    pub fn new(root: Source, boundary: Option<&Path>) -> Files {
        let boundary = match boundary {
            Some(folder) => folder.canonicalize().unwrap_or_else(|_| folder.to_owned()),
            None => root
                .canonical
                .parent()
                .map(Path::to_owned)
                .unwrap_or_default(),
        };
        Files {
            sources: vec![root],
            trees: vec![None],
            boundary,
        }
    }

    /// Files already read, to bundle again without reading the disk.
    pub fn from_sources(sources: Vec<Source>, boundary: PathBuf) -> Files {
        Files {
            trees: vec![None; sources.len()],
            sources,
            boundary,
        }
    }

    /// The folder tree the spec may read.
    pub fn boundary(&self) -> &Path {
        &self.boundary
    }

    /// The source that `relative` (a `$ref`'s file part) names, seen from
    /// source `from`; read and parsed the first time. The error says why
    /// not, in words for a diagnostic at the `$ref`.
    pub fn open(&mut self, from: usize, relative: &str) -> Result<usize, String> {
        let folder = self.sources[from]
            .file
            .parent()
            .map(Path::to_owned)
            .unwrap_or_default();
        let file = folder.join(percent_decode(relative));
        let canonical = file.canonicalize().map_err(|reason| {
            format!(
                "names the file `{}`, which cannot be read: {reason}",
                file.display()
            )
        })?;
        if let Some(index) = self
            .sources
            .iter()
            .position(|source| source.canonical == canonical)
        {
            return Ok(index);
        }
        if !canonical.starts_with(&self.boundary) {
            return Err(format!(
                "leads outside the folder tree the spec may read ({}); name a wider one with `--spec-root`",
                self.boundary.display()
            ));
        }
        if self.sources.len() >= MAX_FILES {
            return Err(format!(
                "would make the spec more than {MAX_FILES} files; no API needs that"
            ));
        }
        let text = std::fs::read_to_string(&canonical).map_err(|reason| {
            format!(
                "names the file `{}`, which cannot be read: {reason}",
                file.display()
            )
        })?;
        self.sources.push(Source {
            json: super::is_json(&file, &text),
            file,
            text,
            canonical,
        });
        self.trees.push(None);
        Ok(self.sources.len() - 1)
    }

    /// Source `index`'s tree, parsed the first time it is asked for.
    pub fn tree(&mut self, index: usize) -> Result<&Value, Diagnostic> {
        if self.trees[index].is_none() {
            let (tree, read) =
                super::parse_text(&self.sources[index].file, &self.sources[index].text).map_err(
                    |error| match error {
                        crate::Error::Spec(mut diagnostics) if diagnostics.len() == 1 => {
                            diagnostics.remove(0)
                        }
                        other => Diagnostic {
                            file: self.sources[index].file.clone(),
                            line: None,
                            pointer: "#".to_owned(),
                            code: Code::Syntax,
                            message: other.to_string(),
                        },
                    },
                )?;
            if let Some(read) = read {
                self.sources[index].text = read;
            }
            self.trees[index] = Some(tree);
        }
        Ok(self.trees[index].as_ref().expect("parsed above"))
    }

    /// Gives the root's tree, parsed by the caller, so it is not parsed twice.
    pub fn set_root_tree(&mut self, tree: Value) {
        self.trees[0] = Some(tree);
    }

    /// Takes the root's tree out.
    pub fn take_root_tree(&mut self) -> Value {
        self.trees[0].take().unwrap_or_default()
    }
}

/// `%xx` escapes undone (a `$ref` is a URI reference); anything that is not
/// a valid escape is kept as written.
pub fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_lead_back_through_renames_and_files() {
        let origins = Origins {
            renames: vec![
                (
                    "#/components/schemas".to_owned(),
                    "#/definitions".to_owned(),
                ),
                (
                    "#/paths/~1a/post/requestBody".to_owned(),
                    "#/paths/~1a/post/parameters/1".to_owned(),
                ),
            ],
            placed: vec![
                Placed {
                    at: "#/definitions/Pet".to_owned(),
                    source: 2,
                    from: "#".to_owned(),
                },
                Placed {
                    at: "#/definitions/Pets".to_owned(),
                    source: 3,
                    from: "#/x".to_owned(),
                },
            ],
        };
        assert_eq!(
            origins.original("#/components/schemas/Pet/properties/id"),
            (2, "#/properties/id".to_owned())
        );
        assert_eq!(
            origins.original("#/components/schemas/Pets"),
            (3, "#/x".to_owned())
        );
        // `Pet` is not an ancestor of `PetX`.
        assert_eq!(
            origins.original("#/components/schemas/PetX"),
            (0, "#/definitions/PetX".to_owned())
        );
        assert_eq!(
            origins.original("#/paths/~1a/post/requestBody/required"),
            (0, "#/paths/~1a/post/parameters/1/required".to_owned())
        );
    }

    #[test]
    fn percent_escapes_are_undone_and_broken_ones_kept() {
        assert_eq!(percent_decode("a%20b%7Bid%7D.yaml"), "a b{id}.yaml");
        assert_eq!(percent_decode("100%.yaml%"), "100%.yaml%");
    }
}
