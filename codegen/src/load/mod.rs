//! Stage 1: read the spec and parse it, keeping the text for locating errors.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use openapiv3::{OpenAPI, PathItem, ReferenceOr, Schema};
use serde::Deserialize;

use crate::diagnostic::{Code, Diagnostic, Error, escape_segment};
use crate::{locate, refs};

mod bundle;
mod flow;
mod lenient;
mod openapi31;
pub mod sources;
mod swagger2;
pub mod yaml;

pub use sources::Source;
use sources::{Files, Origins};

/// What a step of loading found or did that the user should hear of: the
/// kind, the JSON pointer in the tree it works on, and the message.
pub(crate) type Note = (Code, String, String);

/// A parsed spec with what is needed to report errors against its source.
#[derive(Debug)]
pub struct LoadedSpec {
    /// The file it was read from (the root file of a multi-file spec).
    pub file: PathBuf,
    /// The typed document.
    pub document: OpenAPI,
    /// The untyped tree, for JSON pointer look-ups and `$ref` checks: see
    /// [`LoadedSpec::tree`].
    tree: OnceLock<serde_json::Value>,
    /// Every file the spec was read from, the root first, with its text
    /// for finding the line of a JSON pointer.
    sources: Vec<Source>,
    /// The folder tree the spec may read files from.
    boundary: PathBuf,
    /// Where the tree's parts are written in the sources.
    origins: Origins,
    /// What loading left out or changed, to report with validation's warnings.
    warnings: Vec<Diagnostic>,
    /// The `$ref`s to other files that could not be followed: errors, or
    /// in lenient mode warnings (validation decides).
    unresolved: Vec<Diagnostic>,
    /// Whether the tree is not the root's text as parsed (other files
    /// bundled in, or another version rewritten), so that reading it again
    /// means building it again.
    rewritten: bool,
    /// Whether lenient mode mended the tree ([`LoadedSpec::mend`]), so
    /// that a tree read again is mended again.
    mended: bool,
}

impl LoadedSpec {
    /// The untyped tree. Validation walks it; after that the model reads
    /// the typed document, and the tree is needed only for a `$ref` into
    /// something other than a component or to place a diagnostic. So
    /// [`LoadedSpec::release_tree`] lets it go, and this parses the text
    /// again if it is asked for after that.
    pub fn tree(&self) -> &serde_json::Value {
        self.tree.get_or_init(|| {
            // The same texts read before, so they read again alike.
            let root = &self.sources[0];
            let mut tree = if self.rewritten {
                let files = Files::from_sources(self.sources.clone(), self.boundary.clone());
                build_tree(files)
                    .map(|built| built.tree)
                    .unwrap_or(serde_json::Value::Null)
            } else {
                parse_tree(&root.text, root.json).unwrap_or(serde_json::Value::Null)
            };
            if self.mended {
                lenient::mend(&mut tree);
            }
            tree
        })
    }

    /// Lenient mode's repairs (see [`lenient`]): what the tree gets wrong
    /// in one place is mended, or taken out, so that it costs no more than
    /// that place; each repair is added to [`LoadedSpec::warnings`].
    pub fn mend(&mut self) {
        if self.mended {
            return;
        }
        self.tree();
        let Some(tree) = self.tree.get_mut() else {
            return;
        };
        let notes = lenient::mend(tree);
        self.mended = true;
        let mut found: Vec<Diagnostic> = notes
            .into_iter()
            .map(|(code, pointer, message)| self.diagnostic(code, &pointer, message))
            .collect();
        self.locate(&mut found);
        self.warnings.extend(found);
    }

    /// Names every file and diagnostic anew, for a spec read from a copy
    /// (a git revision written to a temporary folder).
    pub fn relabel(&mut self, rename: impl Fn(&Path) -> PathBuf) {
        self.file = rename(&self.file);
        for source in &mut self.sources {
            source.file = rename(&source.file);
        }
        for diagnostic in self.warnings.iter_mut().chain(&mut self.unresolved) {
            diagnostic.file = rename(&diagnostic.file);
        }
    }

    /// The root file's text.
    pub fn text(&self) -> &str {
        &self.sources[0].text
    }

    /// Every file the spec was read from, the root first.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// The `$ref`s to other files that could not be followed (a URL, a
    /// missing file, one outside the folder tree, a fragment that names
    /// nothing), each where it is written; they stay in the tree as
    /// written, which nothing follows.
    pub fn unresolved(&self) -> &[Diagnostic] {
        &self.unresolved
    }

    /// What loading left out or rewrote with a consequence for the crate
    /// (webhooks, `$ref`s inside extensions), as warnings with their places.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Drops the tree until [`LoadedSpec::tree`] is next called: it is as
    /// big as the typed document, and keeping both raised regen's peak
    /// memory by its size (docs/BENCHMARKS.md).
    pub fn release_tree(&mut self) {
        self.tree = OnceLock::new();
    }

    /// The untyped tree, kept.
    pub fn into_tree(mut self) -> serde_json::Value {
        self.take_tree()
    }

    /// The tree, taken out (parsed again first if it was released).
    fn take_tree(&mut self) -> serde_json::Value {
        self.tree();
        self.tree.take().unwrap_or_default()
    }

    /// A diagnostic at `pointer`, without its line: a stage gathers its
    /// diagnostics and finds all their lines at once with [`LoadedSpec::locate`].
    pub fn diagnostic(&self, code: Code, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: self.file.clone(),
            line: None,
            pointer: pointer.to_owned(),
            code,
            message: message.into(),
        }
    }

    /// Places every diagnostic that has no line yet, reading the text once
    /// for all of them. A pointer that passes through a `$ref` becomes the
    /// place where the node is written (so a problem in a shared schema
    /// reached from many operations names one place); one that names
    /// nothing in the text gets the line of its nearest ancestor that does
    /// (the object missing a field, say).
    pub fn locate<'d>(&self, diagnostics: impl IntoIterator<Item = &'d mut Diagnostic>) {
        let mut unplaced: Vec<&mut Diagnostic> = diagnostics
            .into_iter()
            .filter(|diagnostic| diagnostic.line.is_none() && diagnostic.file == self.file)
            .collect();
        if unplaced.is_empty() {
            return;
        }
        // Per diagnostic, its source and the places to try, best first.
        let candidates: Vec<(usize, Vec<String>)> = unplaced
            .iter_mut()
            .map(|diagnostic| {
                if let Some(written) = refs::follow_pointer(self.tree(), &diagnostic.pointer) {
                    diagnostic.pointer = written;
                }
                let mut source = 0;
                if !self.origins.is_identity() {
                    (source, diagnostic.pointer) = self.origins.original(&diagnostic.pointer);
                    diagnostic.file = self.sources[source].file.clone();
                }
                let mut tries = vec![diagnostic.pointer.clone()];
                let mut ancestor = diagnostic.pointer.as_str();
                while let Some((parent, _)) = ancestor.rsplit_once('/') {
                    tries.push(parent.to_owned());
                    ancestor = parent;
                }
                (source, tries)
            })
            .collect();
        let mut lines: HashMap<(usize, &str), Option<usize>> = HashMap::new();
        for (index, source) in self.sources.iter().enumerate() {
            let mut asked: Vec<&str> = candidates
                .iter()
                .filter(|(of, _)| *of == index)
                .flat_map(|(_, tries)| tries.iter().map(String::as_str))
                .collect();
            if asked.is_empty() {
                continue;
            }
            asked.sort_unstable();
            asked.dedup();
            let found = locate::lines_of(&source.text, source.json, &asked);
            lines.extend(asked.into_iter().map(|pointer| (index, pointer)).zip(found));
        }
        for (diagnostic, (source, tries)) in unplaced.iter_mut().zip(&candidates) {
            diagnostic.line = tries
                .iter()
                .find_map(|pointer| lines.get(&(*source, pointer.as_str())).copied().flatten());
        }
    }
}

/// Reads and parses the spec at `file`; a multi-file spec reads files in
/// `file`'s folder tree.
pub fn load(file: &Path) -> Result<LoadedSpec, Error> {
    load_within(file, None)
}

/// [`load`], reading the files of a multi-file spec within `boundary`
/// (`None`: the root file's folder).
pub fn load_within(file: &Path, boundary: Option<&Path>) -> Result<LoadedSpec, Error> {
    let mut spec = load_untyped_within(file, boundary)?;
    spec.document = spec.typed_whole(spec.tree())?;
    Ok(spec)
}

/// How deeply collections may nest; the YAML parser refuses deeper ones
/// too, but only after work that grows with the square of the depth.
pub const MAX_NESTING: usize = 128;

/// The HTTP methods an OpenAPI path item can hold, as its keys, in the
/// spec's order ([`HttpMethod::KEYS`](crate::http_method::HttpMethod::KEYS)).
pub const METHODS: [&str; 8] = crate::http_method::HttpMethod::KEYS;

/// Parses spec text; `file` names the source in diagnostics, and the files
/// a multi-file spec names are read relative to it.
pub fn parse(file: &Path, text: String) -> Result<LoadedSpec, Error> {
    let mut spec = parse_untyped(file, text)?;
    spec.document = spec.typed_whole(spec.tree())?;
    Ok(spec)
}

/// Reads the spec as [`load`] does, but leaves its typed document empty
/// until [`LoadedSpec::type_document`]: `generate` validates the tree first
/// and then types it part by part, so that the tree and the typed document
/// are never both whole in memory.
pub fn load_untyped(file: &Path) -> Result<LoadedSpec, Error> {
    load_untyped_within(file, None)
}

/// [`load_untyped`], reading within `boundary` as [`load_within`] does.
pub fn load_untyped_within(file: &Path, boundary: Option<&Path>) -> Result<LoadedSpec, Error> {
    let text = std::fs::read_to_string(file).map_err(|reason| Error::Io {
        path: file.to_owned(),
        reason,
    })?;
    parse_untyped_within(file, text, boundary)
}

/// [`parse`] without the typed document; see [`load_untyped`].
pub fn parse_untyped(file: &Path, text: String) -> Result<LoadedSpec, Error> {
    parse_untyped_within(file, text, None)
}

fn parse_untyped_within(
    file: &Path,
    text: String,
    boundary: Option<&Path>,
) -> Result<LoadedSpec, Error> {
    let root = Source {
        json: is_json(file, &text),
        canonical: file.canonicalize().unwrap_or_else(|_| file.to_owned()),
        file: file.to_owned(),
        text,
    };
    let mut files = Files::new(root, boundary);
    let (tree, read) = parse_text(file, &files.sources[0].text)?;
    if let Some(read) = read {
        files.sources[0].text = read;
    }
    files.set_root_tree(tree);
    let boundary = files.boundary().to_owned();
    let built = build_tree(files)?;
    Ok(LoadedSpec {
        file: file.to_owned(),
        document: OpenAPI::default(),
        tree: OnceLock::from(built.tree),
        sources: built.sources,
        boundary,
        origins: built.origins,
        warnings: built.warnings,
        unresolved: built.unresolved,
        rewritten: built.rewritten,
        mended: false,
    })
}

/// Whether the spec text names another file in a `$ref` that loading
/// follows (false when the text does not parse: loading will say why).
pub fn names_other_files(file: &Path, text: &str) -> bool {
    parse_text(file, text).is_ok_and(|(tree, _)| bundle::names_other_files(&tree))
}

/// Whether a file is read as JSON: by its extension, or text starting
/// with `{`. A valid JSON string escape such as `\/` is not valid YAML.
fn is_json(file: &Path, text: &str) -> bool {
    file.extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{')
}

/// One file's text as a tree, refused when it nests too deeply or does not
/// parse; with the text the tree was read from when it is not `text`
/// (YAML whose flow collections continue at too small an indent, which
/// is read as libyaml reads it: [`flow::reindent`]), for the file's
/// source to hold so that its lines are found in what was read.
fn parse_text(file: &Path, text: &str) -> Result<(serde_json::Value, Option<String>), Error> {
    let at_root = |code: Code, line: Option<usize>, message: String| {
        Error::from(Diagnostic {
            file: file.to_owned(),
            line,
            pointer: "#".to_owned(),
            code,
            message,
        })
    };
    if let Some((line, column)) = flow::too_deep(text) {
        return Err(at_root(
            Code::NestingTooDeep,
            Some(line),
            format!(
                "collections nest deeper than {MAX_NESTING} levels at line {line}, column {column}; no API document needs that"
            ),
        ));
    }
    let json = is_json(file, text);
    match parse_tree(text, json) {
        Ok(tree) => Ok((tree, None)),
        Err((line, message)) => {
            if !json
                && let Some(reindented) = flow::reindent(text)
                && let Ok(tree) = parse_tree(&reindented, false)
            {
                return Ok((tree, Some(reindented)));
            }
            Err(at_root(Code::Syntax, line, message))
        }
    }
}

/// The tree the later stages read, with what is needed to place it.
struct Built {
    tree: serde_json::Value,
    sources: Vec<Source>,
    origins: Origins,
    warnings: Vec<Diagnostic>,
    unresolved: Vec<Diagnostic>,
    rewritten: bool,
}

/// The root's tree (given to `files`) as one OpenAPI 3.0 document: other
/// files bundled in, then a Swagger 2.0 or OpenAPI 3.1 document rewritten.
fn build_tree(mut files: Files) -> Result<Built, Error> {
    // Parsed here when the caller has not (building again from the texts).
    files.tree(0).map_err(Error::from)?;
    let mut tree = files.take_root_tree();
    let version = match version(&tree) {
        Ok(version) => version,
        Err((pointer, message)) => {
            return Err(files.sources[0]
                .diagnostic(Code::UnknownVersion, pointer, message)
                .into());
        }
    };
    let mut origins = Origins::default();
    let mut warnings = Vec::new();
    let mut unresolved = Vec::new();
    let bundled = bundle::names_other_files(&tree);
    if bundled {
        files.set_root_tree(tree);
        let bundled = bundle::bundle(&mut files, version == Version::Swagger2);
        tree = bundled.tree;
        origins.placed = bundled.placed;
        warnings = bundled.warnings;
        unresolved = bundled.unresolved;
    }
    let converted_warnings = match version {
        Version::OpenApi30 => Vec::new(),
        Version::Swagger2 => {
            let converted = swagger2::convert(tree);
            tree = converted.tree;
            origins.renames = converted.renames;
            converted.warnings
        }
        Version::OpenApi31 => {
            let normalized = openapi31::normalize(&mut tree);
            origins.renames = normalized.renames;
            normalized.warnings
        }
    };
    for (code, pointer, message) in converted_warnings {
        let (source, pointer) = origins.original(&pointer);
        warnings.push(files.sources[source].diagnostic(code, &pointer, message));
    }
    Ok(Built {
        tree,
        sources: files.sources,
        origins,
        warnings,
        unresolved,
        rewritten: bundled || version != Version::OpenApi30,
    })
}

/// The versions read, each rewritten as 3.0 before the later stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    Swagger2,
    OpenApi30,
    /// 3.1, and 3.2, which adds little a client needs.
    OpenApi31,
}

impl LoadedSpec {
    /// Makes the typed document from the tree, taking the tree: the paths
    /// and the component schemas, most of a large spec, are typed one entry
    /// at a time, each part of the tree dropped once typed, so that the two
    /// forms are never both whole (regen's peak memory, docs/BENCHMARKS.md).
    /// The document and any error are those [`parse`] gives: a part that
    /// does not type sends the whole tree, parsed again, through `parse`'s
    /// path, which finds the place.
    pub fn type_document(&mut self) -> Result<(), Error> {
        let tree = self.take_tree();
        match type_in_parts(tree) {
            Some(document) => self.document = document,
            None => {
                // The whole tree again, for `parse`'s error and its place.
                let document = self.typed_whole(self.tree());
                self.release_tree();
                self.document = document?;
            }
        }
        Ok(())
    }

    /// The typed document of `tree`, or the diagnostic of where it is not one.
    fn typed_whole(&self, tree: &serde_json::Value) -> Result<OpenAPI, Error> {
        // Tracking the path slows every node down; only a failure needs it.
        let document = match OpenAPI::deserialize(tree) {
            Ok(document) => Ok(document),
            Err(_) => serde_path_to_error::deserialize::<_, OpenAPI>(tree),
        };
        document.map_err(|error| {
            let (pointer, message) = refine(tree)
                .unwrap_or_else(|| (pointer_of(error.path()), error.inner().to_string()));
            let mut diagnostic = self.diagnostic(
                Code::NotOpenApi,
                &pointer,
                format!("not a valid OpenAPI document: {message}"),
            );
            self.locate([&mut diagnostic]);
            Error::from(diagnostic)
        })
    }
}

/// The typed document of `tree`, typing `paths` and `components/schemas`
/// one entry at a time and dropping each entry's tree as it goes; `None`
/// when any part does not type.
fn type_in_parts(mut tree: serde_json::Value) -> Option<OpenAPI> {
    // Left as empty objects, so that the rest types as it would whole.
    let paths = take_object(&mut tree, "paths");
    let schemas = tree
        .get_mut("components")
        .and_then(|components| take_object(components, "schemas"));
    let mut document = OpenAPI::deserialize(&tree).ok()?;
    drop(tree);
    for (key, value) in paths.into_iter().flatten() {
        // As `openapiv3::Paths` reads its map: paths and extensions.
        if key.starts_with('/') {
            let item = ReferenceOr::<PathItem>::deserialize(&value).ok()?;
            document.paths.paths.insert(key, item);
        } else if key.starts_with("x-") {
            document.paths.extensions.insert(key, value);
        }
    }
    if let Some(schemas) = schemas {
        let components = document.components.as_mut()?;
        for (key, value) in schemas {
            let schema = ReferenceOr::<Schema>::deserialize(&value).ok()?;
            components.schemas.insert(key, schema);
        }
    }
    Some(document)
}

/// The object at `key` of `node`, replaced by an empty one; `None` when
/// there is no object there.
fn take_object(
    node: &mut serde_json::Value,
    key: &str,
) -> Option<serde_json::Map<String, serde_json::Value>> {
    match node.get_mut(key)? {
        serde_json::Value::Object(map) => Some(std::mem::take(map)),
        _ => None,
    }
}

/// The text as a JSON tree, or the line and message of why not.
fn parse_tree(text: &str, json: bool) -> Result<serde_json::Value, (Option<usize>, String)> {
    if json {
        serde_json::from_str(text)
            .map_err(|error| (Some(error.line()), format!("not valid JSON: {error}")))
    } else {
        // Straight into the JSON tree, node by node (see `yaml`).
        yaml::parse(text)
            .map_err(|error| (error.line, format!("not valid YAML: {}", error.message)))
    }
}

/// The document's version, or why it is not one the generator reads (as
/// a pointer and a message), found before its structure is read.
fn version(value: &serde_json::Value) -> Result<Version, (&'static str, String)> {
    if let Some(swagger) = value.get("swagger") {
        return match swagger.as_str() {
            Some("2.0") => Ok(Version::Swagger2),
            _ => Err((
                "#/swagger",
                format!(
                    "Swagger {swagger} is not supported; the generator reads Swagger 2.0 and OpenAPI 3.0 to 3.2"
                ),
            )),
        };
    }
    let version = match value.get("openapi") {
        None => {
            return Err((
                "#",
                "no `openapi` or `swagger` field: this is not an OpenAPI document".to_owned(),
            ));
        }
        Some(serde_json::Value::String(version)) => version.clone(),
        Some(other) => other.to_string(),
    };
    if version.starts_with("3.0.") {
        Ok(Version::OpenApi30)
    } else if version.starts_with("3.1.") || version.starts_with("3.2.") {
        Ok(Version::OpenApi31)
    } else {
        Err((
            "#/openapi",
            format!(
                "OpenAPI {version} is not supported; the generator reads Swagger 2.0 and OpenAPI 3.0 to 3.2"
            ),
        ))
    }
}

/// `openapiv3` reads `$ref`-or-object nodes as untagged enums, which hide
/// where inside them deserialization failed. Deserializing each path item
/// and component on its own finds the deeper place.
fn refine(value: &serde_json::Value) -> Option<(String, String)> {
    fn first_error<T: serde::de::DeserializeOwned>(
        base: &str,
        entries: Option<&serde_json::Value>,
    ) -> Option<(String, String)> {
        for (name, entry) in entries?.as_object()? {
            if entry.get("$ref").is_some() {
                continue;
            }
            if let Err(error) = serde_path_to_error::deserialize::<_, T>(entry.clone()) {
                let pointer = format!(
                    "{base}/{}{}",
                    escape_segment(name),
                    &pointer_of(error.path())[1..]
                );
                return Some((pointer, error.inner().to_string()));
            }
        }
        None
    }
    let components = value.get("components");
    let part = |name: &str| components.and_then(|components| components.get(name));
    first_error::<openapiv3::PathItem>("#/paths", value.get("paths"))
        .or_else(|| first_error::<openapiv3::Schema>("#/components/schemas", part("schemas")))
        .or_else(|| {
            first_error::<openapiv3::Parameter>("#/components/parameters", part("parameters"))
        })
        .or_else(|| first_error::<openapiv3::Response>("#/components/responses", part("responses")))
        .or_else(|| {
            first_error::<openapiv3::RequestBody>(
                "#/components/requestBodies",
                part("requestBodies"),
            )
        })
}

/// The JSON pointer of a deserialization error's place.
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = "#".to_owned();
    for segment in path.iter() {
        match segment {
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&escape_segment(key));
            }
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> Diagnostic {
        match parse(Path::new("spec.yaml"), text.to_owned()) {
            Err(Error::Spec(mut diagnostics)) if diagnostics.len() == 1 => diagnostics.remove(0),
            other => panic!("expected a diagnostic, got {other:?}"),
        }
    }

    #[test]
    fn a_released_tree_comes_back_from_the_text_and_still_places_diagnostics() {
        for (name, text) in [
            (
                "spec.yaml",
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: string}\n",
            ),
            (
                "spec.json",
                r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": {"A": {"type": "string"}}}}"#,
            ),
        ] {
            let mut loaded = parse(Path::new(name), text.to_owned()).expect("parses");
            let before = loaded.tree().clone();
            loaded.release_tree();
            assert!(loaded.tree.get().is_none(), "released");
            assert_eq!(loaded.tree(), &before, "{name}");
            loaded.release_tree();
            let mut diagnostic =
                loaded.diagnostic(Code::NotOpenApi, "#/components/schemas/A/type", "x");
            loaded.locate([&mut diagnostic]);
            assert_eq!(
                diagnostic.line,
                Some(if name == "spec.yaml" { 6 } else { 1 }),
                "{name}"
            );
        }
    }

    #[test]
    fn yaml_syntax_errors_carry_the_line() {
        let diagnostic = error_of("openapi: 3.0.3\ninfo:\n  title: [unclosed\n");
        assert!(
            diagnostic.message.starts_with("not valid YAML"),
            "{diagnostic}"
        );
        assert!(diagnostic.line.is_some(), "{diagnostic}");
    }

    #[test]
    fn deep_nesting_is_refused_early_with_its_place() {
        let deep = format!(
            "{{\"openapi\": \"3.0.3\",\n \"x\": {}{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let started = std::time::Instant::now();
        let diagnostic = error_of(&deep);
        assert!(
            diagnostic
                .message
                .contains("deeper than 128 levels at line 2, column 134"),
            "{diagnostic}"
        );
        assert_eq!(diagnostic.line, Some(2));
        // Not a timing assertion: a quadratic parse of this input takes minutes.
        assert!(started.elapsed().as_secs() < 60);
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let nested = "[".repeat(200);
        for text in [
            format!(
                "openapi: 3.0.3\ninfo: {{title: \"{nested}\", version: '1'}} # {nested}\npaths: {{}}\n"
            ),
            format!("openapi: 3.0.3\ninfo: {{title: '{nested}', version: '1'}}\npaths: {{}}\n"),
            format!(
                "openapi: 3.0.3\ninfo: {{title: it's, description: '{nested}', version: '1'}}\npaths: {{}}\n"
            ),
            format!(
                "openapi: 3.0.3\ninfo: {{title: \"a\\\"{nested}\", version: '1'}}\npaths: {{}}\n"
            ),
            // A code sample in a block scalar, and brackets in plain text.
            format!(
                "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\n  description: |\n    ```js\n    f({nested}\n    ```\n\n    more {nested}\n  x-note: a{nested} b\npaths: {{}}\n"
            ),
            format!(
                "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\n  description: >-\n    {{{{{{{nested}\npaths: {{}}\n"
            ),
        ] {
            parse(Path::new("spec.yaml"), text.clone())
                .unwrap_or_else(|error| panic!("{text}: {error}"));
        }
    }

    #[test]
    fn a_flow_mapping_at_the_margin_is_read_and_lines_still_point_at_the_text() {
        // As Docker's `swagger.yaml` writes an example (line 1376 there).
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Port:\n      type: object\n      example: {\n  \"PrivatePort\": 8080,\n  \"Type\": \"tcp\"\n}\n      properties:\n        Type: {$ref: '#/components/schemas/Missing'}\n";
        assert!(
            yaml::parse(text).is_err(),
            "yaml-rust2 refuses it as written"
        );
        let spec =
            parse(Path::new("spec.yaml"), text.to_owned()).expect("read as libyaml reads it");
        let example = &spec.tree()["components"]["schemas"]["Port"]["example"];
        assert_eq!(example["PrivatePort"], 8080);
        let mut diagnostic = spec.diagnostic(
            Code::UnresolvedRef,
            "#/components/schemas/Port/properties/Type/$ref",
            "dangling",
        );
        spec.locate([&mut diagnostic]);
        assert_eq!(diagnostic.line, Some(13));
    }

    #[test]
    fn other_versions_are_refused_naming_the_version_and_what_to_do() {
        let old = error_of("swagger: \"1.2\"\ninfo: {title: t, version: '1'}\npaths: {}\n");
        assert_eq!(old.pointer, "#/swagger");
        assert_eq!(old.line, Some(1));
        assert!(
            old.message.contains("Swagger \"1.2\" is not supported")
                && old.message.contains("Swagger 2.0 and OpenAPI 3.0 to 3.2"),
            "{old}"
        );
        let newer = error_of("openapi: 4.0.0\ninfo: {title: t, version: '1'}\n");
        assert_eq!(newer.pointer, "#/openapi");
        assert!(
            newer.message.contains("OpenAPI 4.0.0 is not supported"),
            "{newer}"
        );
        let neither = error_of("info: {title: t, version: '1'}\n");
        assert!(
            neither.message.contains("no `openapi` or `swagger` field"),
            "{neither}"
        );
    }

    #[test]
    fn swagger_2_and_openapi_3_1_are_read_as_3_0_and_read_again_alike() {
        for text in [
            "swagger: \"2.0\"\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n",
        ] {
            let mut loaded = parse(Path::new("spec.yaml"), text.to_owned()).expect("reads");
            assert_eq!(loaded.document.openapi, "3.0.3");
            let before = loaded.tree().clone();
            loaded.release_tree();
            assert_eq!(loaded.tree(), &before, "{text}");
        }
    }

    #[test]
    fn json_is_read_as_json() {
        // `\/` is a valid JSON escape and not a valid YAML one.
        let text =
            r#"{"openapi": "3.0.3", "info": {"title": "a\/b", "version": "1"}, "paths": {}}"#;
        let loaded = parse(Path::new("spec.json"), text.to_owned()).expect("valid JSON");
        assert_eq!(loaded.document.info.title, "a/b");
        let broken = error_of("{\"openapi\": \"3.0.3\",\n \"info\": }");
        assert!(broken.message.starts_with("not valid JSON"), "{broken}");
        assert_eq!(broken.line, Some(2));
    }

    #[test]
    fn schema_errors_carry_the_pointer_and_line() {
        let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      operationId: a\n";
        let diagnostic = error_of(text);
        assert_eq!(diagnostic.pointer, "#/paths/~1a/get");
        assert_eq!(diagnostic.line, Some(7));
        assert!(diagnostic.message.contains("responses"), "{diagnostic}");
    }
}
