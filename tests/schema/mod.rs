//! The spec as the conformance tests read it: resolved references, the
//! schemas operations reach, and the operations themselves.

pub mod canon;
pub mod generate;
pub mod json_schema;
pub mod request;
pub mod violate;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

const SCHEMAS: &str = "#/components/schemas/";

/// A loaded spec.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The whole document as JSON.
    pub root: Value,
}

/// One operation of the spec.
#[derive(Debug, Clone)]
pub struct OperationRef<'a> {
    /// `operationId`.
    pub id: &'a str,
    /// Upper-case method.
    pub method: String,
    /// The path template.
    pub path: &'a str,
    /// Path-level and operation-level parameters, resolved.
    pub parameters: Vec<&'a Value>,
    /// The operation object.
    pub node: &'a Value,
}

impl Spec {
    /// Loads a spec with the generator's own loader.
    pub fn load(path: &Path) -> Self {
        let loaded = openapi_clientgen::load::load(path).unwrap_or_else(|error| panic!("{error}"));
        Self {
            root: loaded.into_tree(),
        }
    }

    /// The checked-in spec.
    pub fn project() -> Self {
        Self::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.yaml"))
    }

    /// Follows `$ref`s to the node they name, with the generator's own rule.
    pub fn resolve<'a>(&'a self, node: &'a Value) -> &'a Value {
        match openapi_clientgen::refs::follow(&self.root, node, String::new()) {
            openapi_clientgen::refs::Resolved::Node(node, _) => node,
            other => panic!("the spec's references do not resolve: {other:?}"),
        }
    }

    /// The component name a schema `$ref` points at.
    pub fn ref_name(node: &Value) -> Option<&str> {
        node.get("$ref")?
            .as_str()?
            .strip_prefix(SCHEMAS)
            .filter(|name| !name.contains('/'))
    }

    /// The component schema called `name`, as a reference writes it
    /// (percent-encoded, `~` and `/` escaped).
    pub fn schema(&self, name: &str) -> &Value {
        &self.root["components"]["schemas"][Self::component_name(name).as_str()]
    }

    /// The component schema whose key is `key`, as written in the document.
    pub fn schema_by_key(&self, key: &str) -> &Value {
        &self.root["components"]["schemas"][key]
    }

    /// A reference's last segment as the component's key.
    pub fn component_name(segment: &str) -> String {
        percent_encoding::percent_decode_str(segment)
            .decode_utf8_lossy()
            .replace("~1", "/")
            .replace("~0", "~")
    }

    /// Every operation, in document order.
    pub fn operations(&self) -> Vec<OperationRef<'_>> {
        let mut out = Vec::new();
        let Some(paths) = self.root["paths"].as_object() else {
            return out;
        };
        for (path, item) in paths {
            for method in [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ] {
                let Some(node) = item.get(method) else {
                    continue;
                };
                let mut parameters: Vec<&Value> = Vec::new();
                for list in [item.get("parameters"), node.get("parameters")]
                    .into_iter()
                    .flatten()
                {
                    for parameter in list.as_array().into_iter().flatten() {
                        let parameter = self.resolve(parameter);
                        parameters.retain(|p| {
                            !(p["name"] == parameter["name"] && p["in"] == parameter["in"])
                        });
                        parameters.push(parameter);
                    }
                }
                out.push(OperationRef {
                    id: node["operationId"].as_str().unwrap_or_default(),
                    method: method.to_uppercase(),
                    path,
                    parameters,
                    node,
                });
            }
        }
        out
    }

    /// The component schemas reachable from the operations.
    pub fn reachable_schemas(&self) -> BTreeSet<String> {
        let mut found = BTreeSet::new();
        for operation in self.operations() {
            for parameter in &operation.parameters {
                self.collect(parameter, &mut found);
            }
            self.collect(operation.node, &mut found);
        }
        found.retain(|name| !name.starts_with('#'));
        found
    }

    fn collect(&self, node: &Value, found: &mut BTreeSet<String>) {
        match node {
            Value::Object(map) => {
                if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                    if let Some(name) = Self::ref_name(node) {
                        if found.insert(name.to_owned()) {
                            self.collect(self.schema(name), found);
                        }
                    } else if found.insert(target.to_owned()) {
                        // Anywhere else; marked by its `#` until the end.
                        self.collect(self.resolve(node), found);
                    }
                }
                for value in map.values() {
                    self.collect(value, found);
                }
            }
            Value::Array(items) => items.iter().for_each(|item| self.collect(item, found)),
            _ => {}
        }
    }
}

/// JSON without `null` members, since absent and null mean the same to
/// optional fields.
pub fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// The members of an `allOf` that say something of the value: a member
/// that only annotates (a description, `readOnly`, an example) constrains
/// nothing, as JSON Schema says, so `allOf: [$ref: Enum, {description}]`
/// is the enum.
pub fn constraining_members(members: &[Value]) -> Vec<&Value> {
    const ANNOTATIONS: [&str; 8] = [
        "description",
        "title",
        "readOnly",
        "writeOnly",
        "deprecated",
        "example",
        "examples",
        "externalDocs",
    ];
    members
        .iter()
        .filter(|member| {
            !member.as_object().is_some_and(|map| {
                map.keys()
                    .all(|key| ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-"))
            })
        })
        .collect()
}

/// An `allOf` of objects and one `oneOf`/`anyOf` whose every alternative is
/// an object, as one schema per alternative (`allOf` of the other members
/// and that alternative): the value is one of them, as the generator reads
/// it (lichess's seek and challenge forms).
pub fn distributed(spec: &Spec, node: &Value) -> Option<Vec<Value>> {
    let members = node.get("allOf")?.as_array()?;
    let object = |schema: &Value| {
        schema.get("properties").is_some() || schema.get("type") == Some(&Value::from("object"))
    };
    let mut found = None;
    for (index, member) in members.iter().enumerate() {
        let resolved = spec.resolve(member);
        let alternatives = resolved
            .get("oneOf")
            .or_else(|| resolved.get("anyOf"))
            .and_then(Value::as_array);
        match alternatives {
            Some(alternatives)
                if found.is_none()
                    && resolved.get("properties").is_none()
                    && alternatives
                        .iter()
                        .all(|alternative| object(spec.resolve(alternative))) =>
            {
                found = Some((index, alternatives));
            }
            _ => {}
        }
    }
    let (index, alternatives) = found?;
    Some(
        alternatives
            .iter()
            .map(|alternative| {
                let mut all_of: Vec<Value> = members
                    .iter()
                    .enumerate()
                    .filter(|(other, _)| *other != index)
                    .map(|(_, member)| member.clone())
                    .collect();
                all_of.push(alternative.clone());
                serde_json::json!({ "allOf": all_of })
            })
            .collect(),
    )
}

/// An `allOf` of one scalar schema and members that only narrow it
/// (`[$ref: Label, {maxLength: 16}]`), as one schema with every bound:
/// the generator reads it as that scalar.
pub fn narrowed_scalar(spec: &Spec, node: &Value) -> Option<Value> {
    const SCALAR: [&str; 3] = ["string", "integer", "number"];
    const BOUNDS: [&str; 5] = ["minLength", "maxLength", "pattern", "minimum", "maximum"];
    let members = node.get("allOf")?.as_array()?;
    let mut scalar: Option<serde_json::Map<String, Value>> = None;
    let mut bounds = Vec::new();
    for member in constraining_members(members) {
        let resolved = spec.resolve(member).as_object()?;
        let typed = resolved
            .get("type")
            .and_then(Value::as_str)
            .is_some_and(|kind| SCALAR.contains(&kind));
        if typed && resolved.get("enum").is_none() && scalar.is_none() {
            scalar = Some(resolved.clone());
        } else if resolved
            .keys()
            .all(|key| BOUNDS.contains(&key.as_str()) || key == "type")
        {
            bounds.push(resolved);
        } else {
            return None;
        }
    }
    let mut scalar = scalar?;
    if bounds.is_empty() {
        return None;
    }
    for bound in bounds {
        for (key, value) in bound {
            let tighter = match (key.as_str(), scalar.get(key)) {
                (_, None) => true,
                ("minLength" | "minimum", Some(old)) => value.as_f64() > old.as_f64(),
                ("maxLength" | "maximum", Some(old)) => value.as_f64() < old.as_f64(),
                _ => false,
            };
            if tighter {
                scalar.insert(key.clone(), value.clone());
            }
        }
    }
    if let Some(nullable) = node.get("nullable") {
        scalar.insert("nullable".to_owned(), nullable.clone());
    }
    Some(Value::Object(scalar))
}

/// Whether an `allOf` member only requires fields, one set or another
/// (`anyOf: [{required: [a]}, {required: [b]}]`): a rule between fields
/// that the generated types leave to the server.
pub fn only_requires(spec: &Spec, member: &Value) -> bool {
    let member = spec.resolve(member);
    ["anyOf", "oneOf"].iter().any(|keyword| {
        member
            .get(*keyword)
            .and_then(Value::as_array)
            .is_some_and(|alternatives| {
                alternatives.iter().all(|alternative| {
                    spec.resolve(alternative).as_object().is_some_and(|map| {
                        map.keys()
                            .all(|key| matches!(key.as_str(), "required" | "title" | "description"))
                    })
                })
            })
    })
}
