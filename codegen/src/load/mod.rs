//! Stage 1: read the spec and parse it, keeping the text for locating errors.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use openapiv3::{OpenAPI, PathItem, ReferenceOr, Schema};
use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Error, escape_segment};
use crate::{locate, refs};

pub mod yaml;

/// A parsed spec with what is needed to report errors against its source.
#[derive(Debug)]
pub struct LoadedSpec {
    /// The file it was read from.
    pub file: PathBuf,
    /// Its text, for finding the line of a JSON pointer.
    pub text: String,
    /// The typed document.
    pub document: OpenAPI,
    /// The untyped tree, for JSON pointer look-ups and `$ref` checks: see
    /// [`LoadedSpec::tree`].
    tree: OnceLock<serde_json::Value>,
    /// Whether the text is JSON, which is located as JSON.
    json: bool,
}

impl LoadedSpec {
    /// The untyped tree. Validation walks it; after that the model reads
    /// the typed document, and the tree is needed only for a `$ref` into
    /// something other than a component or to place a diagnostic. So
    /// [`LoadedSpec::release_tree`] lets it go, and this parses the text
    /// again if it is asked for after that.
    pub fn tree(&self) -> &serde_json::Value {
        self.tree.get_or_init(|| {
            // The same text parsed before, so it parses again.
            parse_tree(&self.text, self.json).unwrap_or(serde_json::Value::Null)
        })
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
    pub fn diagnostic(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: self.file.clone(),
            line: None,
            pointer: pointer.to_owned(),
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
        // Per diagnostic, the places to try, best first.
        let candidates: Vec<Vec<String>> = unplaced
            .iter_mut()
            .map(|diagnostic| {
                if let Some(written) = refs::follow_pointer(self.tree(), &diagnostic.pointer) {
                    diagnostic.pointer = written;
                }
                let mut tries = vec![diagnostic.pointer.clone()];
                let mut ancestor = diagnostic.pointer.as_str();
                while let Some((parent, _)) = ancestor.rsplit_once('/') {
                    tries.push(parent.to_owned());
                    ancestor = parent;
                }
                tries
            })
            .collect();
        let mut asked: Vec<&str> = candidates.iter().flatten().map(String::as_str).collect();
        asked.sort_unstable();
        asked.dedup();
        let lines: HashMap<&str, Option<usize>> = asked
            .iter()
            .copied()
            .zip(locate::lines_of(&self.text, self.json, &asked))
            .collect();
        for (diagnostic, tries) in unplaced.iter_mut().zip(&candidates) {
            diagnostic.line = tries
                .iter()
                .find_map(|pointer| lines.get(pointer.as_str()).copied().flatten());
        }
    }
}

/// Reads and parses the spec at `file`.
pub fn load(file: &Path) -> Result<LoadedSpec, Error> {
    let text = std::fs::read_to_string(file).map_err(|reason| Error::Io {
        path: file.to_owned(),
        reason,
    })?;
    parse(file, text)
}

/// How deeply collections may nest; the YAML parser refuses deeper ones
/// too, but only after work that grows with the square of the depth.
pub const MAX_NESTING: usize = 128;

/// Parses spec text; `file` only names the source in diagnostics.
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
    let text = std::fs::read_to_string(file).map_err(|reason| Error::Io {
        path: file.to_owned(),
        reason,
    })?;
    parse_untyped(file, text)
}

/// [`parse`] without the typed document; see [`load_untyped`].
pub fn parse_untyped(file: &Path, text: String) -> Result<LoadedSpec, Error> {
    let at_root = |line: Option<usize>, message: String| {
        Error::Spec(Diagnostic {
            file: file.to_owned(),
            line,
            pointer: "#".to_owned(),
            message,
        })
    };
    if let Some((line, column)) = too_deep(&text) {
        return Err(at_root(
            Some(line),
            format!(
                "collections nest deeper than {MAX_NESTING} levels at line {line}, column {column}; no API document needs that"
            ),
        ));
    }
    // JSON is read as JSON: a valid JSON string escape such as `\/` is not
    // valid YAML.
    let json = file
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{');
    let value = parse_tree(&text, json).map_err(|(line, message)| at_root(line, message))?;
    if let Some((pointer, message)) = other_version(&value) {
        return Err(Error::Spec(Diagnostic {
            file: file.to_owned(),
            line: locate::lines_of(&text, json, &[pointer])[0],
            pointer: pointer.to_owned(),
            message,
        }));
    }
    Ok(LoadedSpec {
        file: file.to_owned(),
        text,
        document: OpenAPI::default(),
        tree: OnceLock::from(value),
        json,
    })
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
            let message = format!("not a valid OpenAPI document: {message}");
            Error::Spec(Diagnostic {
                file: self.file.clone(),
                line: locate::lines_of(&self.text, self.json, &[&pointer])[0],
                pointer,
                message,
            })
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

/// A document of another version than 3.0, refused before its structure is
/// read (3.1's optional `paths` would otherwise be reported as missing),
/// with what to do about it.
fn other_version(value: &serde_json::Value) -> Option<(&'static str, String)> {
    if let Some(swagger) = value.get("swagger") {
        let version = swagger
            .as_str()
            .map_or_else(|| swagger.to_string(), str::to_owned);
        return Some((
            "#/swagger",
            format!(
                "this is a Swagger {version} (OpenAPI 2) document; the generator reads OpenAPI 3.0.x: convert it first, for example with `npx swagger2openapi`"
            ),
        ));
    }
    let version = match value.get("openapi") {
        None => {
            return Some((
                "#",
                "no `openapi` field: this is not an OpenAPI 3.0 document".to_owned(),
            ));
        }
        Some(serde_json::Value::String(version)) => version.clone(),
        Some(other) => other.to_string(),
    };
    if version.starts_with("3.0.") {
        return None;
    }
    let advice = if version.starts_with("3.1") {
        "; many 3.1 documents read as 3.0.3 once `type: [T, \"null\"]` becomes `type: T` with `nullable: true` (webhooks have no 3.0 form)"
    } else {
        ""
    };
    Some((
        "#/openapi",
        format!("OpenAPI {version} is not supported; the generator reads 3.0.x{advice}"),
    ))
}

/// Where flow collections (`[`, `{`, as JSON writes them) first nest deeper
/// than [`MAX_NESTING`], as 1-based line and column; a scan in linear time.
/// Block collections are bounded by their indentation, which the parser
/// reads in linear time.
///
/// Only a bracket that starts a collection counts: inside a flow
/// collection any unquoted one, outside one only where a node starts (the
/// start of a line, or after `:`, `-` or `?`); never one inside a quoted
/// string, a comment, a plain scalar (`a[0]`) or a block scalar (`|` or
/// `>`, as code samples in descriptions are written).
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    // Inside a block scalar: the indentation its lines must exceed.
    let mut block: Option<usize> = None;
    for (number, line) in text.split('\n').enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(limit) = block {
            if line.trim().is_empty() || indent > limit {
                continue;
            }
            block = None;
        }
        let bytes = line.as_bytes();
        // The last byte that was not a space; a line starts a node.
        let mut previous = b'\n';
        let mut index = 0;
        while index < bytes.len() {
            let byte = bytes[index];
            match (quote, byte) {
                (Some(b'"'), b'\\') => index += 1,
                (Some(open), _) if byte == open => quote = None,
                (Some(_), _) => {}
                // A quote opens a string only where a scalar can start (not in `it's`).
                (None, b'"' | b'\'')
                    if index == 0
                        || bytes[index - 1].is_ascii_whitespace()
                        || b"[{,:".contains(&bytes[index - 1]) =>
                {
                    quote = Some(byte)
                }
                (None, b'#') if index == 0 || bytes[index - 1].is_ascii_whitespace() => break,
                (None, b'[' | b'{') if depth > 0 || b"\n:-?".contains(&previous) => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Some((number + 1, line[..index].chars().count() + 1));
                    }
                }
                (None, b']' | b'}') if depth > 0 => depth -= 1,
                _ => {}
            }
            if !byte.is_ascii_whitespace() {
                previous = byte;
            }
            index += 1;
        }
        if quote.is_none() && depth == 0 && starts_block_scalar(line) {
            block = Some(indent);
        }
    }
    None
}

/// Whether `line` ends in a block scalar's header (`key: |`, `- >-`,
/// `key: |2+ # note`), so that the lines after it are its text.
fn starts_block_scalar(line: &str) -> bool {
    let content = match line.find(" #") {
        Some(comment) => &line[..comment],
        None => line,
    };
    let Some(last) = content.split_whitespace().last() else {
        return false;
    };
    let mut chars = last.chars();
    matches!(chars.next(), Some('|' | '>'))
        && chars.all(|c| c.is_ascii_digit() || c == '+' || c == '-')
        && content.trim_end().len() > last.len()
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
            Err(Error::Spec(diagnostic)) => diagnostic,
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
            let mut diagnostic = loaded.diagnostic("#/components/schemas/A/type", "x");
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
    fn other_versions_are_refused_naming_the_version_and_what_to_do() {
        let swagger = error_of("swagger: \"2.0\"\ninfo: {title: t, version: '1'}\npaths: {}\n");
        assert_eq!(swagger.pointer, "#/swagger");
        assert_eq!(swagger.line, Some(1));
        assert!(
            swagger.message.contains("Swagger 2.0") && swagger.message.contains("convert"),
            "{swagger}"
        );
        let webhooks = error_of("openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks: {}\n");
        assert_eq!(webhooks.pointer, "#/openapi");
        assert!(
            webhooks.message.contains("OpenAPI 3.1.0 is not supported")
                && webhooks.message.contains("nullable"),
            "{webhooks}"
        );
        let neither = error_of("info: {title: t, version: '1'}\n");
        assert!(neither.message.contains("no `openapi` field"), "{neither}");
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
