//! Instances that break exactly one constraint of a valid instance.

use serde_json::{Value, json};

use super::Spec;
use super::generate::object_parts;

/// One broken constraint.
#[derive(Debug, Clone)]
pub struct Broken {
    /// The field the refusal must name, as the client's validator writes paths.
    pub field: String,
    /// Which rule.
    pub rule: &'static str,
    /// The whole instance with the one change.
    pub instance: Value,
}

/// Whether `node` admits `null`: `nullable`, a `null` type, or a union
/// with such a member (how OpenAPI 3.1 documents write an optional value).
fn admits_null(spec: &Spec, node: &Value) -> bool {
    let node = spec.resolve(node);
    node.get("nullable") == Some(&Value::Bool(true))
        || match node.get("type") {
            Some(Value::String(name)) => name == "null",
            Some(Value::Array(names)) => names.iter().any(|name| name == "null"),
            _ => false,
        }
        || ["anyOf", "oneOf"].iter().any(|key| {
            node.get(*key)
                .and_then(Value::as_array)
                .is_some_and(|members| members.iter().any(|member| admits_null(spec, member)))
        })
}

/// Whether `node` is `readOnly` or `writeOnly`.
fn one_way(spec: &Spec, node: &Value) -> bool {
    let node = spec.resolve(node);
    ["readOnly", "writeOnly"]
        .iter()
        .any(|key| node.get(*key) == Some(&Value::Bool(true)))
}

/// Every single-constraint violation of `value`, a valid instance of `node`.
pub fn violations(spec: &Spec, node: &Value, value: &Value, field: &str) -> Vec<Broken> {
    let node = spec.resolve(node);
    let mut out = Vec::new();
    let at = |rule, instance| Broken {
        field: field.to_owned(),
        rule,
        instance,
    };
    if let Some(object) = object_parts(spec, node) {
        let Some(map) = value.as_object() else {
            return out;
        };
        for required in &object.required {
            // A required field that may be null decodes as absent too (as
            // `None`, like serde's derive): leaving it out breaks nothing.
            // Nor does a one-way field (`readOnly`, `writeOnly`), which the
            // other direction leaves out.
            let excused = object.properties.iter().any(|(name, schema)| {
                name == required && (admits_null(spec, schema) || one_way(spec, schema))
            });
            if excused {
                continue;
            }
            let mut without = map.clone();
            without.remove(required);
            out.push(Broken {
                field: join(field, required),
                rule: "required",
                instance: Value::Object(without),
            });
        }
        if object.min_properties > 0 && object.required.len() < object.min_properties {
            let kept = map
                .iter()
                .filter(|(name, _)| object.required.contains(name));
            out.push(at(
                "minProperties",
                Value::Object(kept.map(|(k, v)| (k.clone(), v.clone())).collect()),
            ));
        }
        for (name, schema) in &object.properties {
            if let Some(child) = map.get(name) {
                for broken in violations(spec, schema, child, &join(field, name)) {
                    let mut whole = map.clone();
                    whole.insert(name.clone(), broken.instance);
                    out.push(Broken {
                        instance: Value::Object(whole),
                        ..broken
                    });
                }
            }
        }
        return out;
    }
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        let integers: Vec<i64> = values.iter().filter_map(Value::as_i64).collect();
        let numbers: Vec<f64> = values.iter().filter_map(Value::as_f64).collect();
        let unlisted = if integers.len() == values.len() {
            json!(integers.iter().max().copied().unwrap_or(0) + 1)
        } else if numbers.len() == values.len() {
            json!(numbers.iter().copied().fold(0.0_f64, f64::max) + 0.125)
        } else {
            json!("NOT_A_LISTED_VALUE")
        };
        if !values.contains(&unlisted) {
            out.push(at("enum", unlisted));
        }
        return out;
    }
    let number = |key: &str| node.get(key).and_then(Value::as_f64);
    let exclusive = |key: &str| node.get(key) == Some(&Value::Bool(true));
    match (node.get("type").and_then(Value::as_str), value) {
        (Some("string"), Value::String(text)) => {
            let length = text.chars().count();
            let min = node
                .get("minLength")
                .and_then(Value::as_u64)
                .map(|n| n as usize);
            let max = node
                .get("maxLength")
                .and_then(Value::as_u64)
                .map(|n| n as usize);
            if let Some(min) = min.filter(|min| *min > 0) {
                out.push(at(
                    "minLength",
                    json!(text.chars().take(min - 1).collect::<String>()),
                ));
            }
            if let Some(max) = max {
                let last = text.chars().last().unwrap_or('a');
                let longer: String = text
                    .chars()
                    .chain(std::iter::repeat(last))
                    .take(max + 1)
                    .collect();
                out.push(at("maxLength", json!(longer)));
            }
            if let Some(pattern) = node.get("pattern").and_then(Value::as_str) {
                let regex = regex::Regex::new(pattern).expect("patterns compile");
                let length = length.clamp(min.unwrap_or(0).max(1), max.unwrap_or(usize::MAX));
                let candidate = "!".repeat(length);
                if !regex.is_match(&candidate) {
                    out.push(at("pattern", json!(candidate)));
                }
                // The valid value with one character more at either end:
                // refused only when the pattern keeps its anchors.
                let inner =
                    regex::Regex::new(pattern.trim_start_matches('^').trim_end_matches('$'))
                        .expect("patterns compile");
                if text.chars().count() < max.unwrap_or(usize::MAX) {
                    for extra in ["!", "x", "0", "-", " "] {
                        for candidate in [format!("{text}{extra}"), format!("{extra}{text}")] {
                            if !regex.is_match(&candidate) && inner.is_match(&candidate) {
                                out.push(at("pattern anchors", json!(candidate)));
                            }
                        }
                    }
                }
            }
        }
        (Some("integer" | "number"), Value::Number(_)) => {
            if let Some(min) = number("minimum") {
                let below = if exclusive("exclusiveMinimum") {
                    min
                } else {
                    min - 1.0
                };
                out.push(at(
                    "minimum",
                    if node["type"] == "integer" {
                        json!(below as i64)
                    } else {
                        json!(below)
                    },
                ));
            }
            if let Some(max) = number("maximum") {
                let above = if exclusive("exclusiveMaximum") {
                    max
                } else {
                    max + 1.0
                };
                out.push(at(
                    "maximum",
                    if node["type"] == "integer" {
                        json!(above as i64)
                    } else {
                        json!(above)
                    },
                ));
            }
        }
        (Some("object"), Value::Object(map)) => {
            // A map: bounds on its entries, then each value.
            if let (Some(max), Some((_, first))) = (
                node.get("maxProperties").and_then(Value::as_u64),
                map.iter().next(),
            ) {
                let mut larger = map.clone();
                for index in 0.. {
                    if larger.len() > max as usize {
                        break;
                    }
                    larger.insert(format!("extra{index}"), first.clone());
                }
                out.push(at("maxProperties", Value::Object(larger)));
            }
            if let (Some(schema), Some((key, first))) = (
                node.get("additionalProperties").filter(|s| s.is_object()),
                map.iter().next(),
            ) {
                for broken in violations(spec, schema, first, &format!("{field}.{key}")) {
                    let mut whole = map.clone();
                    whole.insert(key.clone(), broken.instance);
                    out.push(Broken {
                        instance: Value::Object(whole),
                        ..broken
                    });
                }
            }
        }
        (Some("array"), Value::Array(items)) => {
            if let Some(min) = node
                .get("minItems")
                .and_then(Value::as_u64)
                .filter(|min| *min > 0)
            {
                out.push(at(
                    "minItems",
                    Value::Array(items[..min as usize - 1].to_vec()),
                ));
            }
            if let (Some(max), Some(first)) =
                (node.get("maxItems").and_then(Value::as_u64), items.first())
            {
                let mut longer = items.clone();
                longer.resize(max as usize + 1, first.clone());
                out.push(at("maxItems", Value::Array(longer)));
            }
            if let (Some(schema), Some(first)) = (node.get("items"), items.first()) {
                for broken in violations(spec, schema, first, &format!("{field}[0]")) {
                    let mut whole = items.clone();
                    whole[0] = broken.instance;
                    out.push(Broken {
                        instance: Value::Array(whole),
                        ..broken
                    });
                }
            }
        }
        _ => {}
    }
    out
}

fn join(field: &str, name: &str) -> String {
    if field.is_empty() {
        name.to_owned()
    } else {
        format!("{field}.{name}")
    }
}
