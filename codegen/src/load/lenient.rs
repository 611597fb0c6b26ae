//! Lenient mode's repairs, made to the tree before validation: a document
//! that is wrong in one place costs that place at most, never the whole
//! document. Where the intent is plain the tree is mended (a path
//! parameter the template names but no one declared, a repeated
//! operationId, a 3.1 `type` list in a 3.0 document, an integer bound
//! beyond 64 bits); what cannot be read is taken out (an operation or a
//! component that is not valid OpenAPI), so that validation and the model
//! leave out only what reaches it. Each repair is a warning with its place.
//!
//! Repairs are a function of the tree alone, so that a tree built again
//! from the text ([`super::LoadedSpec::tree`]) is mended alike.

use std::collections::BTreeSet;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use super::METHODS;
use super::Note;
use crate::diagnostic::{Code, pointer};
use crate::path_template::PathTemplate;

/// Mends `tree` in place; returns what was done, as pointer and message.
pub fn mend(tree: &mut Value) -> Vec<Note> {
    let mut notes = Vec::new();
    schemas(tree, &mut Vec::new(), &mut notes);
    null_scopes(tree, &mut notes);
    responses_given_as_schemas(tree, &mut notes);
    untyped_operations(tree, &mut notes);
    untyped_components(tree, &mut notes);
    undeclared_path_parameters(tree, &mut notes);
    repeated_operation_ids(tree, &mut notes);
    notes
}

/// Walks every schema: a 3.1 `type` list is read as 3.1 reads it, and an
/// integer bound that is not a 64-bit integer becomes the nearest one
/// inside it.
fn schemas(node: &mut Value, path: &mut Vec<String>, notes: &mut Vec<Note>) {
    match node {
        Value::Object(map) => {
            let keywords = path.last().is_none_or(|parent| parent != "properties");
            if keywords {
                if let Some(Value::Array(kinds)) = map.get("type") {
                    let written = Value::Array(kinds.clone()).to_string();
                    super::openapi31::types(map);
                    notes.push((
                        Code::TypeList,
                        at(path, "type"),
                        format!(
                            "`type: {written}` is how OpenAPI 3.1 writes a choice of types, which this document's version does not have; lenient mode reads it as 3.1 does"
                        ),
                    ));
                }
                if map.get("type").and_then(Value::as_str) == Some("integer") {
                    integer_bounds(map, path, notes);
                }
            }
            for (key, child) in map.iter_mut() {
                // Data and extensions hold no schemas.
                if keywords
                    && (matches!(key.as_str(), "example" | "examples" | "default" | "enum")
                        || key.starts_with("x-"))
                {
                    continue;
                }
                path.push(key.clone());
                schemas(child, path, notes);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                path.push(index.to_string());
                schemas(child, path, notes);
                path.pop();
            }
        }
        _ => {}
    }
}

fn integer_bounds(map: &mut Map<String, Value>, path: &[String], notes: &mut Vec<Note>) {
    for (key, upward) in [("minimum", true), ("maximum", false)] {
        let Some(Value::Number(bound)) = map.get(key) else {
            continue;
        };
        if bound.is_i64() {
            continue;
        }
        let float = bound.as_f64().unwrap_or(0.0);
        // `as` saturates at the ends of i64, which is the clamp wanted.
        let nearest = if upward { float.ceil() } else { float.floor() } as i64;
        let why = if float.fract() == 0.0 {
            "is beyond what a 64-bit integer holds"
        } else {
            "is not an integer"
        };
        notes.push((
            Code::IntegerBound,
            at(path, key),
            format!("the integer bound `{key}: {bound}` {why}; lenient mode reads it as {nearest}"),
        ));
        map.insert(key.to_owned(), json!(nearest));
    }
}

fn at(path: &[String], last: &str) -> String {
    let mut segments: Vec<&str> = path.iter().map(String::as_str).collect();
    segments.push(last);
    pointer("#", &segments)
}

/// A security requirement whose scopes are `null` (Square's
/// `POST /oauth2/revoke`: `security: [{oauth2: null}]`) asks for no scope:
/// it is read as `[]`.
fn null_scopes(tree: &mut Value, notes: &mut Vec<Note>) {
    let mut lists: Vec<(String, &mut Value)> = Vec::new();
    let Value::Object(root) = tree else {
        return;
    };
    for (key, value) in root.iter_mut() {
        match key.as_str() {
            "security" => lists.push(("#/security".to_owned(), value)),
            "paths" => {
                for (path, item) in value.as_object_mut().into_iter().flatten() {
                    for (method, operation) in item.as_object_mut().into_iter().flatten() {
                        if !METHODS.contains(&method.as_str()) {
                            continue;
                        }
                        if let Some(security) = operation.get_mut("security") {
                            lists.push((pointer("#/paths", &[path, method, "security"]), security));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for (at, list) in lists {
        for (index, requirement) in list.as_array_mut().into_iter().flatten().enumerate() {
            for (scheme, scopes) in requirement.as_object_mut().into_iter().flatten() {
                if scopes.is_null() {
                    notes.push((
                        Code::NullScopes,
                        pointer(&at, &[&index.to_string(), scheme]),
                        format!(
                            "the scopes of `{scheme}` are `null`, not a list; lenient mode reads them as `[]`, no scope"
                        ),
                    ));
                    *scopes = json!([]);
                }
            }
        }
    }
}

/// A response given as a `$ref` to a schema (Equinix Metal writes `"401":
/// {$ref: Error.yaml}`, a schema file, without a description) is read as
/// a response whose JSON body is that schema.
fn responses_given_as_schemas(tree: &mut Value, notes: &mut Vec<Note>) {
    let Some(Value::Object(paths)) = tree.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        for method in METHODS {
            let Some(Value::Object(responses)) = item
                .get_mut(method)
                .and_then(|operation| operation.get_mut("responses"))
            else {
                continue;
            };
            for (status, response) in responses.iter_mut() {
                let Some(target) = response
                    .get("$ref")
                    .and_then(Value::as_str)
                    .filter(|target| target.starts_with("#/components/schemas/"))
                    .map(str::to_owned)
                else {
                    continue;
                };
                notes.push((
                    Code::SchemaAsResponse,
                    pointer("#/paths", &[path, method, "responses", status, "$ref"]),
                    format!(
                        "`$ref: {target}` gives a response as a schema; lenient mode reads it as a response whose `application/json` body is that schema"
                    ),
                ));
                *response = json!({
                    "description": "",
                    "content": {"application/json": {"schema": {"$ref": target}}},
                });
            }
        }
    }
}

/// Takes out every operation that is not a valid OpenAPI operation, then
/// every path item that still is not a valid path item.
fn untyped_operations(tree: &mut Value, notes: &mut Vec<Note>) {
    let Some(Value::Object(paths)) = tree.get_mut("paths") else {
        return;
    };
    paths.retain(|path, item| {
        let item_at = pointer("#/paths", &[path]);
        if typing_error::<openapiv3::ReferenceOr<openapiv3::PathItem>>(item).is_none() {
            return true;
        }
        if let Value::Object(item) = item {
            for method in METHODS {
                let Some(operation) = item.get(method) else {
                    continue;
                };
                if let Some((inner, message)) = typing_error::<openapiv3::Operation>(operation) {
                    notes.push((
                        Code::InvalidPart,
                        format!("{}{inner}", pointer(&item_at, &[method])),
                        format!(
                            "not a valid OpenAPI operation ({message}); lenient mode leaves out `{} {path}`",
                            method.to_uppercase()
                        ),
                    ));
                    item.remove(method);
                }
            }
        }
        match typing_error::<openapiv3::ReferenceOr<openapiv3::PathItem>>(item) {
            None => true,
            Some((inner, message)) => {
                notes.push((
                    Code::InvalidPart,
                    format!("{item_at}{inner}"),
                    format!(
                        "not a valid OpenAPI path item ({message}); lenient mode leaves out every operation of `{path}`"
                    ),
                ));
                false
            }
        }
    });
}

/// Takes out every component that is not valid as its kind; a `$ref` to
/// it then points at nothing, which validation degrades.
fn untyped_components(tree: &mut Value, notes: &mut Vec<Note>) {
    use openapiv3::*;
    type Check = fn(&Value) -> Option<(String, String)>;
    // Typed as the item, not as `ReferenceOr`, whose untagged enum hides
    // where inside the item typing failed; a `$ref` entry is validation's.
    let kinds: [(&str, Check); 9] = [
        ("schemas", typing_error::<Schema>),
        ("parameters", typing_error::<Parameter>),
        ("responses", typing_error::<Response>),
        ("requestBodies", typing_error::<RequestBody>),
        ("headers", typing_error::<Header>),
        ("securitySchemes", typing_error::<SecurityScheme>),
        ("examples", typing_error::<Example>),
        ("links", typing_error::<Link>),
        ("callbacks", typing_error::<Callback>),
    ];
    let Some(Value::Object(components)) = tree.get_mut("components") else {
        return;
    };
    for (kind, check) in kinds {
        let Some(Value::Object(entries)) = components.get_mut(kind) else {
            continue;
        };
        entries.retain(|name, entry| match entry.get("$ref").map_or_else(|| check(entry), |_| None) {
            None => true,
            Some((inner, message)) => {
                notes.push((
                    Code::InvalidPart,
                    format!("{}{inner}", pointer("#/components", &[kind, name])),
                    format!(
                        "not valid in `components/{kind}` ({message}); lenient mode leaves it out, and what reaches it"
                    ),
                ));
                false
            }
        });
    }
}

/// Why `node` does not deserialize as `T`: the pointer inside it (empty
/// for the node itself) and the message.
fn typing_error<T: DeserializeOwned>(node: &Value) -> Option<(String, String)> {
    // Tracking the path slows every node down; only a failure needs it.
    T::deserialize(node).err()?;
    let error = serde_path_to_error::deserialize::<_, T>(node).err()?;
    let inner = super::pointer_of(error.path())[1..].to_owned();
    Some((inner, error.inner().to_string()))
}

/// A name the path template uses that no parameter declares is declared,
/// as a required string: the template says it is sent there, and a string
/// sends any value.
fn undeclared_path_parameters(tree: &mut Value, notes: &mut Vec<Note>) {
    let mut missing: Vec<(String, &'static str, Vec<String>)> = Vec::new();
    let root = &*tree;
    for (path, item) in root
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        // A path item given by `$ref` is mended where it is written.
        let Value::Object(item) = item else { continue };
        if item.contains_key("$ref") {
            continue;
        }
        let shared = crate::path_template::declared_path_parameters(root, item.get("parameters"));
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let mut declared = shared.clone();
            declared.extend(crate::path_template::declared_path_parameters(
                root,
                operation.get("parameters"),
            ));
            let names: Vec<String> = PathTemplate::parse(path)
                .names()
                .filter(|name| !declared.contains(*name))
                .map(str::to_owned)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            if !names.is_empty() {
                missing.push((path.clone(), method, names));
            }
        }
    }
    for (path, method, names) in missing {
        let operation = &mut tree["paths"][&path][method];
        let Some(operation) = operation.as_object_mut() else {
            continue;
        };
        let parameters = operation
            .entry("parameters")
            .or_insert_with(|| Value::Array(Vec::new()));
        let Value::Array(parameters) = parameters else {
            continue;
        };
        for name in names {
            notes.push((
                Code::UndeclaredPathParameter,
                pointer("#/paths", &[&path, method]),
                format!(
                    "path `{path}` uses `{{{name}}}` but the operation declares no path parameter `{name}`; lenient mode declares it as a required string"
                ),
            ));
            parameters.push(json!({
                "name": name,
                "in": "path",
                "required": true,
                "schema": {"type": "string"},
            }));
        }
    }
}

/// An operationId used before is replaced, on every use after the first,
/// by the id derived from the method and path (the one a missing id gets),
/// or by the id with the first free number after it. An operation without
/// an id whose derived id an operation before it uses gets that id with
/// the first free number, written into the document.
fn repeated_operation_ids(tree: &mut Value, notes: &mut Vec<Note>) {
    let mut operations = Vec::new();
    for (path, item) in tree
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                let id = match operation.get("operationId").and_then(Value::as_str) {
                    Some(id) => (id.to_owned(), true),
                    None => (crate::names::derived_operation_id(method, path), false),
                };
                operations.push((path.clone(), method, id));
            }
        }
    }
    // Every id in use, given or derived, so that no new one takes it.
    let mut taken: BTreeSet<String> = operations
        .iter()
        .map(|(_, _, (id, _))| id.clone())
        .collect();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for (path, method, (id, given)) in operations {
        if seen.insert(id.clone()) {
            continue;
        }
        let derived = crate::names::derived_operation_id(method, &path);
        let new = if given && !taken.contains(&derived) {
            derived
        } else {
            (2..)
                .map(|number| format!("{id}{number}"))
                .find(|candidate| !taken.contains(candidate))
                .expect("some number is free")
        };
        taken.insert(new.clone());
        seen.insert(new.clone());
        let (at, message) = if given {
            (
                pointer("#/paths", &[&path, method, "operationId"]),
                format!(
                    "operationId `{id}` is used by an operation before this one; lenient mode names this one `{new}`"
                ),
            )
        } else {
            (
                pointer("#/paths", &[&path, method]),
                format!(
                    "`{} {path}` has no operationId, and `{id}`, the one its method and path give, is used by an operation before it; lenient mode names this one `{new}`",
                    method.to_uppercase()
                ),
            )
        };
        notes.push((Code::DuplicateOperationId, at, message));
        tree["paths"][&path][method]["operationId"] = json!(new);
    }
}
