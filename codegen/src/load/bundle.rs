//! Multi-file specs: every `$ref` to another file is followed and the
//! node it names brought into the root's tree, so that the later stages
//! see one document with local references only.
//!
//! A node that is a component elsewhere (a schema, parameter, response,
//! request body, header, example or link) becomes a component of the root,
//! named after the fragment's last segment or the file (`Pet.yaml` becomes
//! `Pet`, another `Pet` becomes `Pet_2`), and each place that named it
//! refers to it; the same file and fragment is brought in once. A path
//! item, a callback, or a node that is itself a component's whole content
//! is copied where its `$ref` stood. Files are read relative to the file
//! that names them, only inside the folder tree the caller allows, never
//! over the network. `$ref`s inside extensions (`x-codeSamples`) and
//! descriptions that point at documentation files are left alone, with a
//! warning.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::sources::{Files, Placed};
use crate::diagnostic::{Code, Diagnostic, pointer, unescape_segment};

/// Whether the tree names another file anywhere the bundler would follow
/// it; a spec of one file skips the bundling walk.
pub fn names_other_files(node: &Value) -> bool {
    match node {
        Value::Object(map) => map.iter().any(|(key, child)| match (key.as_str(), child) {
            ("$ref", Value::String(target)) => !target.starts_with('#'),
            ("mapping", Value::Object(mapping)) => mapping
                .values()
                .any(|value| value.as_str().is_some_and(names_a_file)),
            _ => names_other_files(child),
        }),
        Value::Array(items) => items.iter().any(names_other_files),
        _ => false,
    }
}

/// What bundling made: the tree, where its parts came from, warnings, and
/// the references it could not follow.
pub struct Bundled {
    /// The root's tree with every other file's nodes in it.
    pub tree: Value,
    /// Where each part brought in was written.
    pub placed: Vec<Placed>,
    /// What was left alone.
    pub warnings: Vec<Diagnostic>,
    /// Each `$ref` that could not be followed, at the place it is written;
    /// it stays in the tree as written, where nothing follows it, so that
    /// lenient mode loses only what reaches it.
    pub unresolved: Vec<Diagnostic>,
}

/// Bundles the root's tree (given to `files` already parsed).
pub fn bundle(files: &mut Files, swagger2: bool) -> Bundled {
    let mut tree = files.take_root_tree();
    let sections = if swagger2 {
        Sections::SWAGGER2
    } else {
        Sections::OPENAPI3
    };
    let mut bundler = Bundler {
        files,
        sections,
        brought: HashMap::new(),
        taken: HashMap::new(),
        pending: Vec::new(),
        placed: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
        inlining: Vec::new(),
    };
    bundler.take_existing_names(&tree);
    let mut at = Vec::new();
    let mut from = Vec::new();
    bundler.walk(&mut tree, Slot::Document, 0, &mut at, &mut from);
    // Components brought in may bring in more; each is brought in once.
    while let Some(mut component) = bundler.pending.pop() {
        let mut at: Vec<String> = component.section.iter().map(|s| (*s).to_owned()).collect();
        at.push(component.name.clone());
        let mut from = component.from.clone();
        bundler.walk(
            &mut component.value,
            component.slot,
            component.source,
            &mut at,
            &mut from,
        );
        let mut section = &mut tree;
        for segment in component.section {
            if !section.get(*segment).is_some_and(Value::is_object) {
                section[*segment] = Value::Object(Map::new());
            }
            section = &mut section[*segment];
        }
        section[component.name.as_str()] = component.value;
    }
    Bundled {
        tree,
        placed: bundler.placed,
        warnings: bundler.warnings,
        unresolved: bundler.errors,
    }
}

/// Where components of each kind live in the root document.
#[derive(Clone, Copy)]
struct Sections {
    schemas: &'static [&'static str],
    parameters: &'static [&'static str],
    responses: &'static [&'static str],
    request_bodies: &'static [&'static str],
    headers: &'static [&'static str],
    examples: &'static [&'static str],
    links: &'static [&'static str],
}

impl Sections {
    const OPENAPI3: Sections = Sections {
        schemas: &["components", "schemas"],
        parameters: &["components", "parameters"],
        responses: &["components", "responses"],
        request_bodies: &["components", "requestBodies"],
        headers: &["components", "headers"],
        examples: &["components", "examples"],
        links: &["components", "links"],
    };
    // Swagger 2.0 has no components for the last four; the 2.0 converter
    // moves what lands here.
    const SWAGGER2: Sections = Sections {
        schemas: &["definitions"],
        parameters: &["parameters"],
        responses: &["responses"],
        request_bodies: &["x-bundled-requestBodies"],
        headers: &["x-bundled-headers"],
        examples: &["x-bundled-examples"],
        links: &["x-bundled-links"],
    };

    fn all(self) -> [&'static [&'static str]; 7] {
        [
            self.schemas,
            self.parameters,
            self.responses,
            self.request_bodies,
            self.headers,
            self.examples,
            self.links,
        ]
    }

    /// The section a node of `slot` is brought into, or `None` when it is
    /// copied where its `$ref` stands.
    fn of(self, slot: Slot) -> Option<&'static [&'static str]> {
        Some(match slot {
            // A map of schemas given by `$ref` (DigitalOcean writes
            // `properties: {$ref: attributes.yml#/…}`) is not itself a
            // schema: it is copied in place, as JSON Reference says.
            Slot::Schema => self.schemas,
            Slot::Parameter => self.parameters,
            Slot::Response => self.responses,
            Slot::RequestBody => self.request_bodies,
            Slot::Header => self.headers,
            Slot::Example => self.examples,
            Slot::Link => self.links,
            _ => return None,
        })
    }
}

/// What the node at a place of the document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Document,
    PathItem,
    Callback,
    Parameter,
    Response,
    RequestBody,
    Header,
    Example,
    Link,
    Schema,
    /// A map of names to schemas (`properties`), whose keys are not keywords.
    Schemas,
    /// A map or list whose every entry is of the slot held.
    Each(&'static Slot),
}

/// The slot of `key`'s value in a node of `slot`; `None` for data and
/// extensions, which are not walked.
fn child_slot(slot: Slot, key: &str) -> Option<Slot> {
    if key.starts_with("x-") {
        return None;
    }
    Some(match slot {
        Slot::Each(each) => *each,
        Slot::Schemas => Slot::Schema,
        Slot::Schema => match key {
            "example" | "examples" | "default" | "enum" | "const" | "discriminator" | "xml"
            | "externalDocs" => return None,
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                Slot::Schemas
            }
            _ => Slot::Schema,
        },
        Slot::Example => return None,
        Slot::Callback => Slot::PathItem,
        _ => match key {
            "example" | "default" | "enum" => return None,
            "schema" => Slot::Schema,
            "schemas" | "definitions" => Slot::Each(&Slot::Schema),
            "paths" | "webhooks" | "pathItems" => Slot::Each(&Slot::PathItem),
            "parameters" => Slot::Each(&Slot::Parameter),
            "responses" => Slot::Each(&Slot::Response),
            "requestBody" => Slot::RequestBody,
            "requestBodies" => Slot::Each(&Slot::RequestBody),
            "headers" => Slot::Each(&Slot::Header),
            "examples" => Slot::Each(&Slot::Example),
            "links" => Slot::Each(&Slot::Link),
            "callbacks" => Slot::Each(&Slot::Callback),
            // A 2.0 non-body parameter or header carries its own schema keywords.
            "items" => Slot::Schema,
            _ => Slot::Document,
        },
    })
}

/// Whether a discriminator mapping value names a file rather than a schema.
fn names_a_file(value: &str) -> bool {
    !value.starts_with('#')
        && (value.contains('/') || value.contains('#') || has_file_extension(value))
}

fn has_file_extension(value: &str) -> bool {
    let file = value
        .split('#')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    [".yaml", ".yml", ".json"]
        .iter()
        .any(|extension| file.ends_with(extension))
}

/// A component brought in, waiting to be walked and placed.
struct Pending {
    section: &'static [&'static str],
    name: String,
    value: Value,
    slot: Slot,
    source: usize,
    from: Vec<String>,
}

struct Bundler<'f> {
    files: &'f mut Files,
    sections: Sections,
    /// Each file and fragment brought in, and the local `$ref` that names it now.
    brought: HashMap<(usize, String), String>,
    /// The names used in each section.
    taken: HashMap<&'static [&'static str], HashSet<String>>,
    pending: Vec<Pending>,
    placed: Vec<Placed>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// The nodes being copied in place, to refuse one that contains itself.
    inlining: Vec<(usize, String)>,
}

impl Bundler<'_> {
    fn take_existing_names(&mut self, tree: &Value) {
        for section in self.sections.all() {
            let mut node = Some(tree);
            for segment in section {
                node = node.and_then(|node| node.get(*segment));
            }
            let names = node
                .and_then(Value::as_object)
                .map(|map| map.keys().cloned().collect())
                .unwrap_or_default();
            self.taken.insert(section, names);
        }
    }

    fn error(&mut self, code: Code, source: usize, from: &[String], message: String) {
        let at = pointer("#", &from.iter().map(String::as_str).collect::<Vec<_>>());
        self.errors
            .push(self.files.sources[source].diagnostic(code, &at, message));
    }

    fn warn(&mut self, code: Code, source: usize, from: &[String], message: String) {
        let at = pointer("#", &from.iter().map(String::as_str).collect::<Vec<_>>());
        self.warnings
            .push(self.files.sources[source].diagnostic(code, &at, message));
    }

    /// Walks `node`, which sits at `at` in the bundled tree and was written
    /// at `from` in `source`.
    fn walk(
        &mut self,
        node: &mut Value,
        slot: Slot,
        source: usize,
        at: &mut Vec<String>,
        from: &mut Vec<String>,
    ) {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    let target = target.clone();
                    if source != 0 || !target.starts_with('#') {
                        self.follow(node, &target, slot, source, at, from);
                    }
                    return;
                }
                if slot == Slot::Schema
                    && let Some(Value::Object(mapping)) = map
                        .get_mut("discriminator")
                        .and_then(|discriminator| discriminator.get_mut("mapping"))
                {
                    for (key, value) in mapping.iter_mut() {
                        let Some(target) = value.as_str().map(str::to_owned) else {
                            continue;
                        };
                        if names_a_file(&target) || (source != 0 && target.starts_with('#')) {
                            from.extend([
                                "discriminator".to_owned(),
                                "mapping".to_owned(),
                                key.clone(),
                            ]);
                            if let Some(local) = self.bring_in(&target, Slot::Schema, source, from)
                            {
                                *value = Value::String(local);
                            }
                            from.truncate(from.len() - 3);
                        }
                    }
                }
                let mut documentation = Vec::new();
                for (key, child) in map.iter_mut() {
                    at.push(key.clone());
                    from.push(key.clone());
                    if key.starts_with("x-") {
                        if names_other_files(child) {
                            self.warn(
                                Code::ExtensionRef,
                                source,
                                from,
                                format!("`$ref`s inside the extension `{key}` are not followed: extensions are documentation, not part of the API"),
                            );
                        }
                    } else if let Some(target) = documentation_pointer(slot, key, child) {
                        self.warn(
                            Code::DocumentationFile,
                            source,
                            from,
                            format!("`{key}` points at the documentation file `{target}`, which is not read; the {key} is left empty"),
                        );
                        documentation.push(key.clone());
                    } else if let Some(child_slot) = child_slot(slot, key) {
                        match child {
                            Value::Array(items)
                                if matches!(child_slot, Slot::Each(_)) || slot == Slot::Schema =>
                            {
                                for (index, item) in items.iter_mut().enumerate() {
                                    at.push(index.to_string());
                                    from.push(index.to_string());
                                    let item_slot = match child_slot {
                                        Slot::Each(each) => *each,
                                        other => other,
                                    };
                                    self.walk(item, item_slot, source, at, from);
                                    at.pop();
                                    from.pop();
                                }
                            }
                            _ => self.walk(child, child_slot, source, at, from),
                        }
                    }
                    at.pop();
                    from.pop();
                }
                for key in documentation {
                    // Left empty rather than out: a response needs its description.
                    map.insert(key, Value::String(String::new()));
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter_mut().enumerate() {
                    at.push(index.to_string());
                    from.push(index.to_string());
                    self.walk(item, slot, source, at, from);
                    at.pop();
                    from.pop();
                }
            }
            _ => {}
        }
    }

    /// Follows the `$ref` of `node`: copies the target in place, or brings
    /// it in as a component and points the `$ref` at it.
    fn follow(
        &mut self,
        node: &mut Value,
        target: &str,
        slot: Slot,
        source: usize,
        at: &mut Vec<String>,
        from: &mut Vec<String>,
    ) {
        from.push("$ref".to_owned());
        // A component whose whole content is elsewhere keeps its own name.
        let component_content = match at.as_slice() {
            [first, _, _] if first == "components" => true,
            [first, _] => matches!(first.as_str(), "definitions" | "parameters" | "responses"),
            _ => false,
        };
        let section = if component_content {
            None
        } else {
            self.sections.of(slot)
        };
        if section.is_some() {
            if let Some(local) = self.bring_in(target, slot, source, from) {
                *node = serde_json::json!({ "$ref": local });
            }
            from.pop();
            return;
        }
        let Some((target_source, fragment)) = self.resolve(target, source, from) else {
            from.pop();
            return;
        };
        from.pop();
        if target_source == 0 && !fragment.is_empty() && source != 0 {
            // Back into the root: a local reference there.
            *node = serde_json::json!({ "$ref": format!("#{fragment}") });
            return;
        }
        let identity = (target_source, fragment.clone());
        if self.inlining.contains(&identity) {
            from.push("$ref".to_owned());
            self.error(
                Code::RefCycle,
                source,
                from,
                format!("`$ref: {target}` contains itself, so copying it in place never ends"),
            );
            from.pop();
            return;
        }
        let Some(content) = self.node_at(target_source, &fragment, target, source, from) else {
            return;
        };
        if component_content && slot != Slot::PathItem {
            let local = pointer("#", &at.iter().map(String::as_str).collect::<Vec<_>>());
            self.brought.insert(identity.clone(), local);
        }
        *node = content;
        self.placed.push(Placed {
            at: pointer("#", &at.iter().map(String::as_str).collect::<Vec<_>>()),
            source: target_source,
            from: format!("#{fragment}"),
        });
        self.inlining.push(identity);
        let mut target_from = fragment_segments(&fragment);
        self.walk(node, slot, target_source, at, &mut target_from);
        self.inlining.pop();
    }

    /// Brings the node `target` names in as a component (once), returning
    /// the local `$ref` that names it.
    fn bring_in(
        &mut self,
        target: &str,
        slot: Slot,
        source: usize,
        from: &[String],
    ) -> Option<String> {
        let (target_source, fragment) = self.resolve(target, source, from)?;
        if target_source == 0 {
            return Some(format!("#{fragment}"));
        }
        let identity = (target_source, fragment.clone());
        if let Some(local) = self.brought.get(&identity) {
            return Some(local.clone());
        }
        let value = self.node_at(target_source, &fragment, target, source, from)?;
        let section = self.sections.of(slot).unwrap_or(self.sections.schemas);
        let name = self.name_for(section, target_source, &fragment);
        let mut segments: Vec<&str> = section.to_vec();
        segments.push(&name);
        let local = pointer("#", &segments);
        self.placed.push(Placed {
            at: local.clone(),
            source: target_source,
            from: format!("#{fragment}"),
        });
        self.brought.insert(identity, local.clone());
        self.pending.push(Pending {
            section,
            name,
            value,
            slot: if slot == Slot::Schemas {
                Slot::Schema
            } else {
                slot
            },
            source: target_source,
            from: fragment_segments(&fragment),
        });
        Some(local)
    }

    /// The source and fragment (`""` or `/a/b`) that `target` names from
    /// `source`, or `None` after reporting why not.
    fn resolve(&mut self, target: &str, source: usize, from: &[String]) -> Option<(usize, String)> {
        let (file, fragment) = match target.split_once('#') {
            Some((file, fragment)) => (file, fragment),
            None => (target, ""),
        };
        let fragment = super::sources::percent_decode(fragment);
        if file.is_empty() {
            return Some((source, fragment));
        }
        if file.contains("://") || file.starts_with("//") {
            self.error(
                Code::RefUrl,
                source,
                from,
                format!("`$ref: {target}` is a URL; references are followed only to files beside the spec, never over the network: save the document and refer to the file"),
            );
            return None;
        }
        match self.files.open(source, file) {
            Ok(index) => Some((index, fragment)),
            Err(why) => {
                self.error(
                    Code::RefFile,
                    source,
                    from,
                    format!("`$ref: {target}` {why}"),
                );
                None
            }
        }
    }

    /// A copy of the node at `fragment` of source `index`.
    fn node_at(
        &mut self,
        index: usize,
        fragment: &str,
        target: &str,
        source: usize,
        from: &[String],
    ) -> Option<Value> {
        match self.files.tree(index) {
            Err(diagnostic) => {
                self.errors.push(diagnostic);
                None
            }
            Ok(tree) => match tree.pointer(fragment) {
                Some(node) => Some(node.clone()),
                None => {
                    let file = self.files.sources[index].file.display().to_string();
                    self.error(
                        Code::UnresolvedRef,
                        source,
                        from,
                        format!("`$ref: {target}` points at nothing in `{file}`"),
                    );
                    None
                }
            },
        }
    }

    /// A component name for the node at `fragment` of source `index`: the
    /// fragment's last segment, else the file's name; unique in `section`.
    fn name_for(
        &mut self,
        section: &'static [&'static str],
        index: usize,
        fragment: &str,
    ) -> String {
        let base = match fragment.rsplit_once('/') {
            Some((_, last)) if !last.is_empty() => unescape_segment(last),
            _ => {
                let file = self.files.sources[index]
                    .file
                    .file_name()
                    .map(|name| name.to_string_lossy().into_owned())
                    .unwrap_or_default();
                file.split('.').next().unwrap_or_default().to_owned()
            }
        };
        // The characters a 3.0 component name may hold.
        let mut base: String = base
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if base.is_empty() {
            base = "Component".to_owned();
        }
        let taken = self.taken.entry(section).or_default();
        let mut name = base.clone();
        let mut counter = 2;
        while taken.contains(&name) {
            name = format!("{base}_{counter}");
            counter += 1;
        }
        taken.insert(name.clone());
        name
    }
}

/// A fragment's segments, escapes undone.
fn fragment_segments(fragment: &str) -> Vec<String> {
    fragment.split('/').skip(1).map(unescape_segment).collect()
}

/// The file a `description` or `summary` given as `{$ref: intro.md}`
/// points at: documentation, not a node of the API.
fn documentation_pointer(slot: Slot, key: &str, child: &Value) -> Option<String> {
    if matches!(slot, Slot::Schemas) || !matches!(key, "description" | "summary") {
        return None;
    }
    let target = child.get("$ref")?.as_str()?;
    (!target.starts_with('#')).then(|| target.to_owned())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::json;

    use crate::load::{load, load_within};

    /// Writes `files` (path, text) under a new temporary folder.
    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("folders");
            std::fs::write(path, text).expect("written");
        }
        dir
    }

    const ROOT: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    $ref: paths/pets.yaml
components:
  schemas:
    Pet: {type: string}
    Owner:
      $ref: schemas/owner.yaml
";

    const PETS: &str = "get:
  operationId: listPets
  parameters:
    - $ref: ../parameters.yaml#/limit
  x-codeSamples:
    - lang: sh
      source: {$ref: ../samples/list.sh}
  responses:
    '200':
      description: {$ref: ../docs/pets.md}
      content:
        application/json:
          schema:
            type: array
            items: {$ref: ../schemas/pet.yaml}
post:
  operationId: addPet
  requestBody:
    content:
      application/json:
        schema: {$ref: '../schemas/pet.yaml'}
  responses:
    '204': {description: added}
";

    const PET: &str = "type: object
discriminator:
  propertyName: kind
  mapping:
    cat: ./cat.yaml
properties:
  kind: {type: string}
  owner: {$ref: '../openapi.yaml#/components/schemas/Owner'}
  parent: {$ref: '#'}
  friends:
    type: array
    items: {$ref: pet.yaml}
";

    fn spec() -> tempfile::TempDir {
        folder(&[
            ("openapi.yaml", ROOT),
            ("paths/pets.yaml", PETS),
            (
                "parameters.yaml",
                "limit: {name: limit, in: query, schema: {type: integer}}\n",
            ),
            ("schemas/pet.yaml", PET),
            (
                "schemas/cat.yaml",
                "type: object\nproperties: {lives: {type: integer}}\n",
            ),
            (
                "schemas/owner.yaml",
                "type: object\nproperties:\n  pets:\n    type: array\n    items: {$ref: pet.yaml}\n",
            ),
        ])
    }

    #[test]
    fn other_files_become_components_and_path_items_once_each() {
        let dir = spec();
        let loaded = load(&dir.path().join("openapi.yaml")).expect("bundles");
        let tree = loaded.tree();
        let item = &tree["paths"]["/pets"];
        assert_eq!(item["get"]["operationId"], "listPets");
        assert_eq!(
            item["get"]["parameters"][0],
            json!({"$ref": "#/components/parameters/limit"})
        );
        // Two places, one component; the root's own `Pet` keeps its name.
        let pet = json!({"$ref": "#/components/schemas/pet"});
        assert_eq!(
            item["get"]["responses"]["200"]["content"]["application/json"]["schema"]["items"],
            pet
        );
        assert_eq!(
            item["post"]["requestBody"]["content"]["application/json"]["schema"],
            pet
        );
        let schemas = &tree["components"]["schemas"];
        assert_eq!(schemas["Pet"], json!({"type": "string"}));
        // A component whose content is elsewhere keeps its name, and what
        // refers to it from the other files points at it.
        assert_eq!(schemas["Owner"]["properties"]["pets"]["items"], pet);
        assert_eq!(
            schemas["pet"]["properties"]["owner"],
            json!({"$ref": "#/components/schemas/Owner"})
        );
        // Recursion, by the file's name and by `#`, ends at the component.
        assert_eq!(schemas["pet"]["properties"]["friends"]["items"], pet);
        assert_eq!(schemas["pet"]["properties"]["parent"], pet);
        assert_eq!(
            schemas["pet"]["discriminator"]["mapping"]["cat"],
            "#/components/schemas/cat"
        );
        assert_eq!(schemas["cat"]["properties"]["lives"]["type"], "integer");
        // Documentation pointers are dropped, extensions left as written.
        assert_eq!(item["get"]["responses"]["200"]["description"], "");
        assert_eq!(
            item["get"]["x-codeSamples"][0]["source"],
            json!({"$ref": "../samples/list.sh"})
        );
        let warnings: Vec<String> = loaded.warnings().iter().map(ToString::to_string).collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].contains(
                "paths/pets.yaml:5: `$ref`s inside the extension `x-codeSamples` are not followed"
            ),
            "{warnings:?}"
        );
        assert!(
            warnings[1].contains("paths/pets.yaml:10: `description` points at the documentation file `../docs/pets.md`"),
            "{warnings:?}"
        );
    }

    #[test]
    fn diagnostics_in_other_files_name_the_file_line_and_pointer_there() {
        let dir = spec();
        let loaded = load(&dir.path().join("openapi.yaml")).expect("bundles");
        let mut diagnostic = loaded.diagnostic(
            crate::Code::NotOpenApi,
            "#/components/schemas/pet/properties/friends/items",
            "x",
        );
        loaded.locate([&mut diagnostic]);
        assert!(
            diagnostic.file.ends_with("schemas/pet.yaml"),
            "{diagnostic}"
        );
        assert_eq!(diagnostic.pointer, "#/properties/friends/items");
        assert_eq!(diagnostic.line, Some(12));
        // Reached through a path item's `$ref`.
        let mut through = loaded.diagnostic(
            crate::Code::NotOpenApi,
            "#/paths/~1pets/post/requestBody/content/application~1json",
            "x",
        );
        loaded.locate([&mut through]);
        assert!(through.file.ends_with("paths/pets.yaml"), "{through}");
        assert_eq!(
            through.pointer,
            "#/post/requestBody/content/application~1json"
        );
        assert_eq!(through.line, Some(20));
        // Brought in from a fragment of another file: the pointer is the
        // fragment's, `#` and all, and so has its line.
        let mut fragment = loaded.diagnostic(
            crate::Code::NotOpenApi,
            "#/components/parameters/limit/schema",
            "x",
        );
        loaded.locate([&mut fragment]);
        assert!(fragment.file.ends_with("parameters.yaml"), "{fragment}");
        assert_eq!(fragment.pointer, "#/limit/schema");
        assert_eq!(fragment.line, Some(1));
        // The tree comes back alike once released.
        let before = loaded.tree().clone();
        let mut loaded = loaded;
        loaded.release_tree();
        assert_eq!(loaded.tree(), &before);
    }

    /// The references loading could not follow, as `file:line: message (pointer)`.
    fn refusal(files: &[(&str, &str)], root: &str, boundary: Option<&Path>) -> Vec<String> {
        let dir = folder(files);
        let boundary = boundary.map(|folder| dir.path().join(folder));
        let loaded = load_within(&dir.path().join(root), boundary.as_deref()).expect("loads");
        loaded
            .unresolved()
            .iter()
            .map(|diagnostic| {
                let file = diagnostic
                    .file
                    .strip_prefix(dir.path())
                    .unwrap_or(&diagnostic.file);
                format!(
                    "{}:{:?}: {} ({})",
                    file.display(),
                    diagnostic.line,
                    diagnostic.message,
                    diagnostic.pointer
                )
            })
            .collect()
    }

    #[test]
    fn urls_missing_files_dangling_fragments_and_escapes_are_refused_where_written() {
        let found = refusal(
            &[
                (
                    "spec/openapi.yaml",
                    "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: array, items: {$ref: 'https://example.com/a.yaml'}}\n    B: {type: array, items: {$ref: 'missing.yaml'}}\n    C: {type: array, items: {$ref: 'other.yaml#/nowhere'}}\n    D: {type: array, items: {$ref: '../outside.yaml'}}\n",
                ),
                ("spec/other.yaml", "somewhere: {type: string}\n"),
                ("outside.yaml", "type: string\n"),
            ],
            "spec/openapi.yaml",
            None,
        );
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(
            found[0].starts_with(
                "spec/openapi.yaml:Some(6): `$ref: https://example.com/a.yaml` is a URL"
            ),
            "{found:#?}"
        );
        assert!(
            found[0].ends_with("(#/components/schemas/A/items/$ref)"),
            "{found:#?}"
        );
        assert!(
            found[1].contains(":Some(7): `$ref: missing.yaml` names the file"),
            "{found:#?}"
        );
        assert!(
            found[2].contains(":Some(8): `$ref: other.yaml#/nowhere` points at nothing in"),
            "{found:#?}"
        );
        assert!(
            found[3].contains(":Some(9): `$ref: ../outside.yaml` leads outside the folder tree"),
            "{found:#?}"
        );
        // A wider folder tree, named by the caller, lets the last one in.
        let dir = folder(&[
            (
                "spec/openapi.yaml",
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    D: {type: array, items: {$ref: '../outside.yaml'}}\n",
            ),
            ("outside.yaml", "type: string\n"),
        ]);
        let loaded = load_within(&dir.path().join("spec/openapi.yaml"), Some(dir.path()))
            .expect("inside the wider tree");
        assert_eq!(
            loaded.tree()["components"]["schemas"]["outside"],
            json!({"type": "string"})
        );
    }

    #[test]
    fn a_path_item_that_contains_itself_is_refused() {
        let found = refusal(
            &[
                (
                    "openapi.yaml",
                    "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a: {$ref: 'a.yaml'}\n",
                ),
                (
                    "a.yaml",
                    "get:\n  callbacks:\n    again:\n      '{$request.body#/url}': {$ref: 'a.yaml'}\n  responses: {'200': {description: ok}}\n",
                ),
            ],
            "openapi.yaml",
            None,
        );
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].starts_with("a.yaml:Some(4): `$ref: a.yaml` contains itself"),
            "{found:#?}"
        );
    }
}
