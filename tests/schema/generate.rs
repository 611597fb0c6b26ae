//! Random instances of a spec schema, as proptest strategies.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::Spec;

/// Deeper than this, optional properties are left out, so recursive
/// schemas stay finite.
const MAX_DEPTH: usize = 3;

/// A strategy for valid instances of `node`.
pub fn instance(spec: &Spec, node: &Value, depth: usize) -> BoxedStrategy<Value> {
    // A required property that refers to its own object (a list's `next`)
    // ends in null deep down where it may be null; where it may not, the
    // schema has no finite value, and the generator draws none.
    let nullable = node.get("nullable") == Some(&Value::Bool(true));
    if (depth >= 2 * MAX_DEPTH && nullable)
        || node.get("type").and_then(Value::as_str) == Some("null")
    {
        return Just(Value::Null).boxed();
    }
    if depth > 16 {
        // No value: a validator may accept a null this deep in a recursive
        // schema where the schema forbids it (jsonschema does).
        return Just(Value::Null)
            .prop_filter("a schema with no finite value", |_| false)
            .boxed();
    }
    if node.get("$ref").is_some() {
        return instance(spec, spec.resolve(node), depth + 1);
    }
    if let Some([member]) = node
        .get("allOf")
        .and_then(Value::as_array)
        .map(|members| super::constraining_members(members))
        .as_deref()
    {
        return instance(spec, member, depth + 1);
    }
    if let Some(scalar) = super::narrowed_scalar(spec, node) {
        return instance(spec, &scalar, depth + 1);
    }
    if let Some(alternatives) = super::distributed(spec, node) {
        let members: Vec<_> = alternatives
            .iter()
            .map(|alternative| instance(spec, alternative, depth + 1))
            .collect();
        return proptest::strategy::Union::new(members).boxed();
    }
    if let Some(object) = object_parts(spec, node) {
        return object_instance(spec, object, depth);
    }
    if let Some(members) = node.get("anyOf").and_then(Value::as_array) {
        let members: Vec<_> = deep_enough(members, depth)
            .into_iter()
            .map(|member| instance(spec, member, depth + 1))
            .collect();
        return proptest::strategy::Union::new(members).boxed();
    }
    if let Some(members) = node.get("oneOf").and_then(Value::as_array) {
        // Valid for exactly one member: an instance of a member that another
        // member also accepts is no instance of the `oneOf`.
        let validators: Vec<_> = members
            .iter()
            .map(|member| super::json_schema::validator(spec, member))
            .collect();
        let strategies: Vec<_> = deep_enough(members, depth)
            .into_iter()
            .map(|member| instance(spec, member, depth + 1))
            .collect();
        return proptest::strategy::Union::new(strategies)
            .prop_filter("valid for exactly one member", move |value| {
                validators.iter().filter(|v| v.is_valid(value)).count() == 1
            })
            .boxed();
    }
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        return proptest::sample::select(values.clone()).boxed();
    }
    let number = |key: &str| node.get(key).and_then(Value::as_f64);
    let exclusive = |key: &str| node.get(key) == Some(&Value::Bool(true));
    match node.get("type").and_then(Value::as_str) {
        Some("string") => string(node),
        Some("integer") => {
            let wide = node.get("format").and_then(Value::as_str) != Some("int32");
            let floor = if wide { -1_000_000.0 } else { -30_000.0 };
            let low = number("minimum").map_or(floor, |min| {
                if exclusive("exclusiveMinimum") {
                    min + 1.0
                } else {
                    min
                }
            }) as i64;
            // A bound on one side only: a range of the default width from it.
            let high = number("maximum").map_or((low as f64 - floor).max(-floor), |max| {
                if exclusive("exclusiveMaximum") {
                    max - 1.0
                } else {
                    max
                }
            }) as i64;
            let low = if number("minimum").is_none() {
                low.min(high.saturating_sub(-floor as i64))
            } else {
                low
            };
            (low..=high).prop_map(|n| json!(n)).boxed()
        }
        Some("number") => {
            // Quarters are exact in f32 and f64, so values survive a round trip.
            let low = (number("minimum").unwrap_or(-1000.0) * 4.0).ceil() as i64;
            let high = (number("maximum").unwrap_or(1000.0) * 4.0).floor() as i64;
            let (low, high) = (
                if exclusive("exclusiveMinimum") {
                    low + 1
                } else {
                    low
                },
                if exclusive("exclusiveMaximum") {
                    high - 1
                } else {
                    high
                },
            );
            (low..=high).prop_map(|n| json!(n as f64 / 4.0)).boxed()
        }
        Some("boolean") => any::<bool>().prop_map(Value::Bool).boxed(),
        Some("array") => {
            let min = node.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
            let max = node
                .get("maxItems")
                .and_then(Value::as_u64)
                .map_or(min + 3, |max| max as usize);
            let max = if depth >= MAX_DEPTH { min } else { max };
            let items = match node.get("items") {
                Some(items) => instance(spec, items, depth + 1),
                None => any_value(),
            };
            proptest::collection::vec(items, min..=max)
                .prop_map(Value::Array)
                .boxed()
        }
        Some("object") => {
            let values = match node.get("additionalProperties") {
                Some(schema @ Value::Object(map)) if !map.is_empty() => {
                    instance(spec, schema, depth + 1)
                }
                _ => any_value(),
            };
            let max = if depth >= MAX_DEPTH { 0 } else { 3 };
            proptest::collection::btree_map("[a-z]{1,6}", values, 0..=max)
                .prop_map(|map| Value::Object(map.into_iter().collect()))
                .boxed()
        }
        _ => any_value(),
    }
}

/// An object's properties and rules, with `allOf` members merged.
#[derive(Debug, Clone)]
pub struct ObjectParts {
    /// Name and schema, in order.
    pub properties: Vec<(String, Value)>,
    /// Required names.
    pub required: Vec<String>,
    /// `minProperties`.
    pub min_properties: usize,
}

/// The properties of an object schema; `None` for other schemas and maps.
pub fn object_parts(spec: &Spec, node: &Value) -> Option<ObjectParts> {
    merged_parts(spec, node, 0)
}

/// [`object_parts`], `depth` `allOf`s down: an `allOf` that includes
/// itself has no parts.
fn merged_parts(spec: &Spec, node: &Value, depth: usize) -> Option<ObjectParts> {
    if depth > 16 {
        return None;
    }
    if let Some(members) = node.get("allOf").and_then(Value::as_array) {
        let mut merged = ObjectParts {
            properties: Vec::new(),
            required: Vec::new(),
            min_properties: 0,
        };
        for member in members {
            if super::only_requires(spec, member) {
                continue;
            }
            let part = merged_parts(spec, spec.resolve(member), depth + 1)?;
            merged.properties.extend(part.properties);
            merged.required.extend(part.required);
            merged.min_properties = merged.min_properties.max(part.min_properties);
        }
        return Some(merged);
    }
    let properties = node.get("properties")?.as_object()?;
    if properties.is_empty() {
        return None;
    }
    Some(ObjectParts {
        properties: properties
            .iter()
            .map(|(name, schema)| (name.clone(), schema.clone()))
            .collect(),
        required: node
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|name| name.as_str().map(str::to_owned))
            .collect(),
        min_properties: node
            .get("minProperties")
            .and_then(Value::as_u64)
            .unwrap_or(0) as usize,
    })
}

/// The members to draw from: all of them, or deep in a recursive value the
/// ones that refer to nothing, so that generation ends.
fn deep_enough(members: &[Value], depth: usize) -> Vec<&Value> {
    let plain: Vec<&Value> = members.iter().filter(|m| m.get("$ref").is_none()).collect();
    if depth >= MAX_DEPTH * 2 && !plain.is_empty() {
        plain
    } else {
        members.iter().collect()
    }
}

fn object_instance(spec: &Spec, object: ObjectParts, depth: usize) -> BoxedStrategy<Value> {
    let fields: Vec<BoxedStrategy<Option<(String, Value)>>> = object
        .properties
        .iter()
        .map(|(name, schema)| {
            let name = name.clone();
            // Deep enough, optional properties are left out before their
            // strategy is built: a recursive schema would never end.
            if object.required.contains(&name) {
                instance(spec, schema, depth + 1)
                    .prop_map(move |value| Some((name.clone(), value)))
                    .boxed()
            } else if depth >= MAX_DEPTH {
                Just(None).boxed()
            } else {
                let value = instance(spec, schema, depth + 1);
                proptest::option::of(value.prop_map(move |value| (name.clone(), value))).boxed()
            }
        })
        .collect();
    let min = object.min_properties;
    fields
        .prop_map(|fields| {
            Value::Object(fields.into_iter().flatten().collect::<Map<String, Value>>())
        })
        .prop_filter("minProperties", move |value| {
            value.as_object().is_some_and(|map| map.len() >= min)
        })
        .boxed()
}

fn string(node: &Value) -> BoxedStrategy<Value> {
    match node.get("format").and_then(Value::as_str) {
        // Written as chrono and uuid write them, so that a round trip keeps the text.
        Some("date-time") => {
            return (0_i64..7_258_118_400, 0_u32..4, 0_u32..1_000_000_000)
                .prop_map(|(seconds, precision, nanos)| {
                    let nanos = match precision {
                        0 => 0,
                        1 => nanos / 1_000_000 * 1_000_000,
                        2 => nanos / 1_000 * 1_000,
                        _ => nanos,
                    };
                    let instant =
                        chrono::DateTime::from_timestamp(seconds, nanos).expect("in range");
                    json!(instant.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
                })
                .boxed();
        }
        Some("date") => {
            return (1900_i32..2200, 1_u32..=365)
                .prop_map(|(year, day)| {
                    let date =
                        chrono::NaiveDate::from_yo_opt(year, day).expect("a day of the year");
                    json!(date.format("%Y-%m-%d").to_string())
                })
                .boxed();
        }
        Some("uuid") => {
            return proptest::array::uniform16(proptest::num::u8::ANY)
                .prop_map(|bytes| json!(uuid::Uuid::from_bytes(bytes).to_string()))
                .boxed();
        }
        _ => {}
    }
    let min = node.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let given_max = node
        .get("maxLength")
        .and_then(Value::as_u64)
        .map(|max| max as usize);
    let (pattern, max) = match node.get("pattern").and_then(Value::as_str) {
        // proptest generates from the regex itself; anchors only mark its ends.
        Some(pattern) => (
            pattern
                .trim_start_matches('^')
                .trim_end_matches('$')
                .to_owned(),
            given_max.unwrap_or(usize::MAX),
        ),
        None => {
            let max = given_max.unwrap_or(min + 20);
            (format!("[a-zA-Z0-9 éß_-]{{{min},{max}}}"), max)
        }
    };
    proptest::string::string_regex(&pattern)
        .unwrap_or_else(|error| panic!("pattern {pattern}: {error}"))
        .prop_filter("length", move |text| {
            (min..=max).contains(&text.chars().count())
        })
        .prop_map(Value::String)
        .boxed()
}

fn any_value() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(json!(null)),
        any::<bool>().prop_map(Value::Bool),
        (-100i64..100).prop_map(|n| json!(n)),
        "[a-z]{0,8}".prop_map(Value::String),
        Just(json!({"nested": [1, "two"]})),
    ]
    .boxed()
}
