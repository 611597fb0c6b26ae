//! Spec schemas as JSON Schema (draft 4, the dialect OpenAPI 3.0 extends),
//! checked by the `jsonschema` crate.

use serde_json::{Value, json};

use super::Spec;

/// A validator for `node`, whose `$ref`s resolve against the spec.
pub fn validator(spec: &Spec, node: &Value) -> jsonschema::Validator {
    let mut document = convert(node);
    // References may point anywhere in the spec (a property, a response's content).
    let object = document.as_object_mut().expect("a schema is an object");
    object.insert("components".to_owned(), convert(&spec.root["components"]));
    object.insert("paths".to_owned(), convert(&spec.root["paths"]));
    jsonschema::draft4::new(&document)
        .unwrap_or_else(|error| panic!("schema does not compile: {error}"))
}

/// The problems of `instance` against `node`, as text.
pub fn problems(spec: &Spec, node: &Value, instance: &Value) -> Vec<String> {
    validator(spec, node)
        .iter_errors(instance)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect()
}

/// `nullable: true` becomes a `null` type; everything else is JSON Schema already.
fn convert(node: &Value) -> Value {
    match node {
        Value::Object(map) => {
            let mut out: serde_json::Map<String, Value> = map
                .iter()
                .filter(|(key, _)| *key != "nullable")
                .map(|(k, v)| (k.clone(), convert(v)))
                .collect();
            if map.get("nullable") == Some(&Value::Bool(true))
                && let Some(Value::String(ty)) = map.get("type")
            {
                out.insert("type".to_owned(), json!([ty, "null"]));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(convert).collect()),
        other => other.clone(),
    }
}
