//! One shape for a schema, whether it comes from the spec (OpenAPI 3.0) or
//! from a generated type (JSON Schema 2020-12 by `schemars`), so that the two
//! can be compared property by property.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::Spec;

/// A schema reduced to what the generated types must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Canon {
    /// Any JSON value.
    Any,
    /// `boolean`.
    Boolean,
    /// `integer` with its format (`int32` or `int64`).
    Integer(String),
    /// `number` with its format (`float` or `double`).
    Number(String),
    /// A plain string.
    String,
    /// A string of a format the generator types (`date-time`, `date`, `uuid`, `binary`).
    Formatted(String),
    /// A string that must be a secret type.
    Secret,
    /// A string enum's values.
    Enum(BTreeSet<String>),
    /// An array of.
    Array(Box<Canon>),
    /// An object with arbitrary keys.
    Map(Box<Canon>),
    /// Properties by JSON name, with their shape and whether they are
    /// required, and whether only one direction carries them (`readOnly`
    /// or `writeOnly`: a type that travels the other way too holds them as
    /// optional).
    Object(BTreeMap<String, (Canon, bool, bool)>),
    /// `oneOf` / `anyOf` alternatives, in order.
    Union(Vec<Canon>),
    /// A reference back to a schema being described.
    Cycle,
}

/// The canonical form of a spec schema.
pub fn from_spec(spec: &Spec, node: &Value, visiting: &mut Vec<String>) -> Canon {
    if let Some(name) = Spec::ref_name(node) {
        if visiting.iter().any(|seen| seen == name) {
            return Canon::Cycle;
        }
        visiting.push(name.to_owned());
        let canon = from_spec(spec, spec.schema(name), visiting);
        visiting.pop();
        return canon;
    }
    // A `$ref` to a schema elsewhere in the document (a property, a response).
    if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        if visiting.iter().any(|seen| seen == reference) {
            return Canon::Cycle;
        }
        visiting.push(reference.to_owned());
        let canon = from_spec(spec, spec.resolve(node), visiting);
        visiting.pop();
        return canon;
    }
    if let Some(alternatives) = super::distributed(spec, node) {
        return Canon::Union(
            alternatives
                .iter()
                .map(|alternative| from_spec(spec, alternative, visiting))
                .collect(),
        );
    }
    if let Some(scalar) = super::narrowed_scalar(spec, node) {
        return from_spec(spec, &scalar, visiting);
    }
    if let Some(members) = node.get("allOf").and_then(Value::as_array) {
        // One member is that member, whatever it is (the generator's rule
        // too); so is one beside members that only annotate it.
        if let [member] = super::constraining_members(members).as_slice() {
            return from_spec(spec, member, visiting);
        }
        let mut merged = BTreeMap::new();
        for member in members {
            if let Canon::Object(properties) = from_spec(spec, member, visiting) {
                merged.extend(properties);
            }
        }
        return Canon::Object(merged);
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(members) = node.get(keyword).and_then(Value::as_array) {
            return Canon::Union(
                members
                    .iter()
                    .map(|member| from_spec(spec, member, visiting))
                    .collect(),
            );
        }
    }
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        return Canon::Enum(
            values
                .iter()
                .filter_map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .or_else(|| v.as_f64().map(|n| n.to_string()))
                })
                .collect(),
        );
    }
    let format = node.get("format").and_then(Value::as_str);
    match node.get("type").and_then(Value::as_str) {
        Some("string")
            if format == Some("password")
                || node.get("x-sensitive") == Some(&Value::Bool(true)) =>
        {
            Canon::Secret
        }
        Some("string") => typed_format(format),
        Some("integer") => Canon::Integer(
            if format == Some("int32") {
                "int32"
            } else {
                "int64"
            }
            .to_owned(),
        ),
        Some("number") => Canon::Number(
            if format == Some("float") {
                "float"
            } else {
                "double"
            }
            .to_owned(),
        ),
        Some("boolean") => Canon::Boolean,
        Some("array") => Canon::Array(Box::new(match node.get("items") {
            Some(items) => from_spec(spec, items, visiting),
            None => Canon::Any,
        })),
        Some("object") | None
            if node
                .get("properties")
                .is_some_and(|p| p.as_object().is_some_and(|p| !p.is_empty())) =>
        {
            object(node, |schema| from_spec(spec, schema, visiting))
        }
        Some("object") => Canon::Map(Box::new(match node.get("additionalProperties") {
            Some(Value::Object(schema)) if !schema.is_empty() => {
                from_spec(spec, &Value::Object(schema.clone()), visiting)
            }
            _ => Canon::Any,
        })),
        _ => Canon::Any,
    }
}

/// A string, typed when its format is one the generator types.
fn typed_format(format: Option<&str>) -> Canon {
    match format {
        Some(format @ ("date-time" | "date" | "uuid" | "binary")) => {
            Canon::Formatted(format.to_owned())
        }
        _ => Canon::String,
    }
}

/// The canonical form of a `schemars` schema; `root` holds the `$defs`.
pub fn from_schemars(root: &Value, node: &Value, visiting: &mut Vec<String>) -> Canon {
    if node == &Value::Bool(true) || node.as_object().is_some_and(|map| map.is_empty()) {
        return Canon::Any;
    }
    if let Some(target) = node.get("$ref").and_then(Value::as_str) {
        let name = target.strip_prefix("#/$defs/").unwrap_or("#");
        if visiting.iter().any(|seen| seen == name) {
            return Canon::Cycle;
        }
        let target_node = if name == "#" {
            root
        } else {
            &root["$defs"][name]
        };
        visiting.push(name.to_owned());
        let canon = from_schemars(root, target_node, visiting);
        visiting.pop();
        return canon;
    }
    for keyword in ["anyOf", "oneOf"] {
        if let Some(members) = node.get(keyword).and_then(Value::as_array) {
            let mut members: Vec<Canon> = members
                .iter()
                .filter(|member| member.get("type") != Some(&Value::String("null".to_owned())))
                .map(|member| from_schemars(root, member, visiting))
                .collect();
            return if members.len() == 1 {
                members.remove(0)
            } else {
                Canon::Union(members)
            };
        }
    }
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        return Canon::Enum(
            values
                .iter()
                .filter_map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .or_else(|| v.as_f64().map(|n| n.to_string()))
                })
                .collect(),
        );
    }
    let ty = match node.get("type") {
        Some(Value::String(ty)) => Some(ty.as_str()),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|ty| *ty != "null"),
        _ => None,
    };
    let format = node.get("format").and_then(Value::as_str);
    match ty {
        Some("string") if format == Some("password") => Canon::Secret,
        Some("string") => typed_format(format),
        Some("integer") => Canon::Integer(format.unwrap_or("int64").to_owned()),
        Some("number") => Canon::Number(format.unwrap_or("double").to_owned()),
        Some("boolean") => Canon::Boolean,
        Some("array") => Canon::Array(Box::new(match node.get("items") {
            Some(items) => from_schemars(root, items, visiting),
            None => Canon::Any,
        })),
        Some("object") if node.get("properties").is_some() => {
            object(node, |schema| from_schemars(root, schema, visiting))
        }
        Some("object") => Canon::Map(Box::new(match node.get("additionalProperties") {
            Some(schema) => from_schemars(root, schema, visiting),
            None => Canon::Any,
        })),
        _ => Canon::Any,
    }
}

/// An object's properties in canonical form, with their required flags; the
/// same keywords in both dialects.
fn object(node: &Value, mut canon: impl FnMut(&Value) -> Canon) -> Canon {
    let required: BTreeSet<&str> = node
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let properties = node["properties"].as_object().into_iter().flatten();
    Canon::Object(
        properties
            .map(|(name, schema)| {
                let one_way = ["readOnly", "writeOnly"]
                    .iter()
                    .any(|key| schema.get(*key) == Some(&Value::Bool(true)));
                (
                    name.clone(),
                    (canon(schema), required.contains(name.as_str()), one_way),
                )
            })
            .collect(),
    )
}

/// Every difference between what the spec expects and what a type is, by path.
pub fn differences(expected: &Canon, actual: &Canon, at: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        // The two sides notice a cycle one step apart (the spec by schema
        // name, `schemars` by Rust type, with the root inlined); the shape
        // it closes was compared on the way in.
        (Canon::Cycle, Canon::Object(_) | Canon::Array(_) | Canon::Union(_) | Canon::Cycle)
        | (Canon::Object(_) | Canon::Array(_) | Canon::Union(_), Canon::Cycle) => {}
        (Canon::Object(want), Canon::Object(have)) => {
            for (name, (want_shape, want_required, one_way)) in want {
                let here = format!("{at}.{name}");
                match have.get(name) {
                    None => out.push(format!("{here}: property missing from the generated type")),
                    Some((have_shape, have_required, _)) => {
                        // A one-way field may be optional in a type that
                        // travels the other way too.
                        let excused = *one_way && !have_required;
                        if want_required != have_required && !excused {
                            let state =
                                |required: &bool| if *required { "required" } else { "optional" };
                            out.push(format!(
                                "{here}: {} in the spec, {} in the type",
                                state(want_required),
                                state(have_required)
                            ));
                        }
                        differences(want_shape, have_shape, &here, out);
                    }
                }
            }
            for name in have.keys().filter(|name| !want.contains_key(*name)) {
                out.push(format!("{at}.{name}: property the spec does not define"));
            }
        }
        (Canon::Enum(want), Canon::Enum(have)) => {
            for value in want.difference(have) {
                out.push(format!("{at}: enum value {value:?} missing from the type"));
            }
            for value in have.difference(want) {
                out.push(format!("{at}: enum value {value:?} the spec does not list"));
            }
        }
        (Canon::Array(want), Canon::Array(have)) => {
            differences(want, have, &format!("{at}[]"), out)
        }
        (Canon::Map(want), Canon::Map(have)) => differences(want, have, &format!("{at}{{}}"), out),
        (Canon::Union(want), Canon::Union(have)) if want.len() == have.len() => {
            for (index, (want, have)) in want.iter().zip(have).enumerate() {
                differences(want, have, &format!("{at}|{index}"), out);
            }
        }
        (want, have) if want == have => {}
        (want, have) => out.push(format!(
            "{at}: the spec calls for {want:?}, the type is {have:?}"
        )),
    }
}

/// Compares every schema the operations reach with the generated type that
/// claims its pointer: `described` holds (pointer, Rust name, `schemars` schema).
pub fn compare(spec: &Spec, described: &[(String, String, Value)]) -> Vec<String> {
    let mut out = Vec::new();
    for name in spec.reachable_schemas() {
        let pointer = format!("#/components/schemas/{name}");
        let Some((_, rust, schema)) = described.iter().find(|(p, ..)| *p == pointer) else {
            out.push(format!("{name}: no generated type describes {pointer}"));
            continue;
        };
        let expected = from_spec(spec, spec.schema(&name), &mut vec![name.clone()]);
        let actual = from_schemars(schema, schema, &mut vec![rust.clone()]);
        differences(&expected, &actual, &name, &mut out);
    }
    out
}
