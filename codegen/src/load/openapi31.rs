//! OpenAPI 3.1 (and the parts of 3.2 that cost little) rewritten as the
//! 3.0 the later stages read, in place, so that pointers stay those of the
//! text: `type: [T, "null"]` becomes `type: T` with `nullable: true`,
//! `const` a one-value `enum`, numeric `exclusiveMinimum` a `minimum` with
//! `exclusiveMinimum: true`, a schema's `examples` list its `example`,
//! `contentEncoding: base64` `format: byte`, a `$ref` with sibling keywords
//! an `allOf` of the reference, and so on. What has no 3.0 form (webhooks,
//! mutual TLS) is left out with a warning.

use serde_json::{Map, Value, json};

use super::Note;
use crate::diagnostic::{Code, escape_segment, pointer};

/// What normalizing did beyond rewriting in place: the path items copied
/// from `components/pathItems` (the copy's pointer and the original's), and
/// warnings as code, pointer and message.
#[derive(Debug, Default)]
pub struct Normalized {
    pub renames: Vec<(String, String)>,
    pub warnings: Vec<Note>,
}

/// Rewrites a 3.1 or 3.2 document as 3.0.3.
pub fn normalize(tree: &mut Value) -> Normalized {
    let mut out = Normalized::default();
    let Some(root) = tree.as_object_mut() else {
        return out;
    };
    root.insert("openapi".to_owned(), json!("3.0.3"));
    // 3.1 made `paths` optional.
    root.entry("paths").or_insert_with(|| json!({}));
    if let Some(webhooks) = root.remove("webhooks")
        && webhooks.as_object().is_some_and(|hooks| !hooks.is_empty())
    {
        out.warnings.push((
            Code::ServerRequests,
            "#/webhooks".to_owned(),
            "webhooks are requests the API sends, not operations a client calls; they are left out"
                .to_owned(),
        ));
    }
    for key in ["jsonSchemaDialect", "$self"] {
        root.remove(key);
    }
    let path_items = root
        .get_mut("components")
        .and_then(Value::as_object_mut)
        .and_then(|components| components.remove("pathItems"));
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let at = pointer("#/paths", &[path]);
            let Some(reference) = item.get("$ref").and_then(Value::as_str) else {
                continue;
            };
            if let Some(name) = crate::refs::component_name(reference, "#/components/pathItems/")
                && let Some(found) = path_items
                    .as_ref()
                    .and_then(|items| items.get(name.as_ref()))
            {
                out.renames.push((
                    at,
                    format!("#/components/pathItems/{}", escape_segment(&name)),
                ));
                *item = found.clone();
            }
        }
        for (path, item) in paths.iter_mut() {
            path_item(item, &pointer("#/paths", &[path]), &mut out);
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
            for schema_node in schemas.values_mut() {
                schema(schema_node);
            }
        }
        for kind in ["parameters", "headers"] {
            if let Some(Value::Object(entries)) = components.get_mut(kind) {
                for (name, entry) in entries.iter_mut() {
                    parameter(entry, &pointer("#/components", &[kind, name]), &mut out);
                }
            }
        }
        if let Some(Value::Object(responses)) = components.get_mut("responses") {
            for (name, entry) in responses.iter_mut() {
                response(entry, &pointer("#/components/responses", &[name]), &mut out);
            }
        }
        if let Some(Value::Object(bodies)) = components.get_mut("requestBodies") {
            for (name, entry) in bodies.iter_mut() {
                content_holder(
                    entry,
                    &pointer("#/components/requestBodies", &[name]),
                    &mut out,
                );
            }
        }
        if let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") {
            let unsupported: Vec<String> = schemes
                .iter()
                .filter(|(_, scheme)| {
                    scheme.get("type").and_then(Value::as_str) == Some("mutualTLS")
                })
                .map(|(name, _)| name.clone())
                .collect();
            for name in unsupported {
                schemes.remove(&name);
                out.warnings.push((
                    Code::NoEquivalent,
                    pointer("#/components/securitySchemes", &[&name]),
                    "a mutualTLS scheme has no 3.0 form: give the client certificate to the HTTP client (`ClientBuilder::http_client`); it is left out".to_owned(),
                ));
            }
        }
    }
    out
}

fn path_item(item: &mut Value, at: &str, out: &mut Normalized) {
    let Some(item) = item.as_object_mut() else {
        return;
    };
    for removed in ["query", "additionalOperations"] {
        if item.remove(removed).is_some() {
            out.warnings.push((
                Code::NoEquivalent,
                pointer(at, &[removed]),
                format!("`{removed}` (OpenAPI 3.2) has no 3.0 form; it is left out"),
            ));
        }
    }
    if let Some(Value::Array(parameters)) = item.get_mut("parameters") {
        for (index, entry) in parameters.iter_mut().enumerate() {
            parameter(
                entry,
                &pointer(at, &["parameters", &index.to_string()]),
                out,
            );
        }
    }
    for (method, operation) in item.iter_mut() {
        if !super::METHODS.contains(&method.as_str()) {
            continue;
        }
        let Some(operation) = operation.as_object_mut() else {
            continue;
        };
        // 3.1 made `responses` optional.
        operation.entry("responses").or_insert_with(|| json!({}));
        let operation_at = pointer(at, &[method]);
        if let Some(Value::Array(parameters)) = operation.get_mut("parameters") {
            for (index, entry) in parameters.iter_mut().enumerate() {
                let entry_at = pointer(&operation_at, &["parameters", &index.to_string()]);
                parameter(entry, &entry_at, out);
            }
        }
        if let Some(body) = operation.get_mut("requestBody") {
            content_holder(body, &pointer(&operation_at, &["requestBody"]), out);
        }
        if let Some(Value::Object(responses)) = operation.get_mut("responses") {
            for (status, entry) in responses.iter_mut() {
                response(entry, &pointer(&operation_at, &["responses", status]), out);
            }
        }
        // Callbacks are requests the API sends, as webhooks are; their
        // schemas are not rewritten, so they go here, with the model's words.
        if operation.remove("callbacks").is_some() {
            out.warnings.push((
                Code::ServerRequests,
                pointer(at, &[method, "callbacks"]),
                "callbacks are not generated: they are requests the API sends, which a client does not receive".to_owned(),
            ));
        }
    }
}

/// A parameter or header at `at`: its schema, or the schemas of its content.
fn parameter(node: &mut Value, at: &str, out: &mut Normalized) {
    drop_reference_siblings(node);
    if let Some(schema_node) = node.get_mut("schema") {
        schema(schema_node);
    }
    content_holder(node, at, out);
}

fn response(node: &mut Value, at: &str, out: &mut Normalized) {
    drop_reference_siblings(node);
    content_holder(node, at, out);
    if let Some(Value::Object(headers)) = node.get_mut("headers") {
        for (name, header) in headers.iter_mut() {
            parameter(header, &pointer(at, &["headers", name]), out);
        }
    }
}

/// A node with `content` (a request body, response or parameter) at `at`.
fn content_holder(node: &mut Value, at: &str, out: &mut Normalized) {
    drop_reference_siblings(node);
    if let Some(Value::Object(content)) = node.get_mut("content") {
        for (media_type, media) in content.iter_mut() {
            let media_at = pointer(at, &["content", media_type]);
            item_schema(media_type, media, &media_at, out);
            if let Some(schema_node) = media.get_mut("schema") {
                schema(schema_node);
            }
            if let Some(Value::Object(encoding)) = media.get_mut("encoding") {
                for (name, entry) in encoding.iter_mut() {
                    if let Some(Value::Object(headers)) = entry.get_mut("headers") {
                        for (header_name, header) in headers.iter_mut() {
                            let header_at =
                                pointer(&media_at, &["encoding", name, "headers", header_name]);
                            parameter(header, &header_at, out);
                        }
                    }
                }
            }
        }
    }
}

/// OpenAPI 3.2's `itemSchema`, each item of a sequence (server-sent events,
/// JSON Lines), becomes the 3.0 form the model reads for those media types:
/// a `schema` that is an array of it. Its pointers lead back to
/// `itemSchema`. Elsewhere it has no 3.0 form and is left out.
fn item_schema(media_type: &str, media: &mut Value, at: &str, out: &mut Normalized) {
    let Some(map) = media.as_object_mut() else {
        return;
    };
    let Some(items) = map.remove("itemSchema") else {
        return;
    };
    if crate::media::sequence(media_type).is_none() {
        out.warnings.push((
            Code::NoEquivalent,
            pointer(at, &["itemSchema"]),
            format!("`itemSchema` of `{media_type}`, not a sequence of items, has no 3.0 form; it is left out"),
        ));
        return;
    }
    // The items' own schema wins over one of the whole sequence.
    map.insert(
        "schema".to_owned(),
        json!({"type": "array", "items": items}),
    );
    out.renames.push((
        pointer(at, &["schema", "items"]),
        pointer(at, &["itemSchema"]),
    ));
}

/// A 3.1 Reference Object may carry `summary` and `description`; 3.0's may not.
fn drop_reference_siblings(node: &mut Value) {
    if let Some(map) = node.as_object_mut()
        && map.contains_key("$ref")
    {
        map.retain(|key, _| key == "$ref");
    }
}

/// Keywords that only describe a schema; beside a `$ref` they need no `allOf`.
const ANNOTATIONS: [&str; 4] = ["$comment", "$id", "$schema", "$anchor"];

/// Rewrites one schema and every schema inside it.
pub fn schema(node: &mut Value) {
    let Some(map) = node.as_object_mut() else {
        return;
    };
    for keyword in ANNOTATIONS {
        map.remove(keyword);
    }
    if map.contains_key("$ref") && map.len() > 1 {
        // Siblings of a 3.1 `$ref` apply; 3.0 ignores them, and says the
        // same with an `allOf` of the reference.
        let reference = map.remove("$ref").expect("checked above");
        let mut all_of = vec![json!({ "$ref": reference })];
        if let Some(Value::Array(more)) = map.remove("allOf") {
            all_of.extend(more);
        }
        map.insert("allOf".to_owned(), Value::Array(all_of));
    }
    types(map);
    if let Some(value) = map.remove("const")
        && !map.contains_key("enum")
    {
        if !map.contains_key("type")
            && let Some(kind) = json_type(&value)
        {
            map.insert("type".to_owned(), json!(kind));
        }
        map.insert("enum".to_owned(), json!([value]));
    }
    if let Some(Value::Array(mut examples)) = map.remove("examples")
        && !examples.is_empty()
    {
        map.entry("example")
            .or_insert_with(|| examples.swap_remove(0));
    }
    for (exclusive, inclusive) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(bound) = map
            .get(exclusive)
            .filter(|bound| bound.is_number())
            .cloned()
        {
            map.insert(inclusive.to_owned(), bound);
            map.insert(exclusive.to_owned(), json!(true));
        }
    }
    let encoding = map.remove("contentEncoding");
    let media = map.remove("contentMediaType");
    if !map.contains_key("format") && map.get("type").and_then(Value::as_str) == Some("string") {
        if encoding.as_ref().and_then(Value::as_str) == Some("base64") {
            map.insert("format".to_owned(), json!("byte"));
        } else if media.is_some() && encoding.is_none() {
            map.insert("format".to_owned(), json!("binary"));
        }
    }
    if let Some(Value::Array(mut prefix)) = map.remove("prefixItems") {
        // A tuple is a list of its members' one type when they agree, else
        // of any value.
        if !matches!(map.get("items"), Some(Value::Object(_))) {
            let first = prefix.first().cloned().unwrap_or_else(|| json!({}));
            let items = if prefix.iter().all(|member| *member == first) {
                prefix.swap_remove(0)
            } else {
                json!({})
            };
            map.insert("items".to_owned(), items);
        }
    }
    if matches!(map.get("items"), Some(Value::Bool(_))) {
        map.remove("items");
    }
    if matches!(map.get("additionalProperties"), Some(Value::Bool(true))) {
        map.remove("additionalProperties");
    }
    for key in [
        "$defs",
        "dependentSchemas",
        "patternProperties",
        "unevaluatedProperties",
        "unevaluatedItems",
        "propertyNames",
        "contains",
        "if",
        "then",
        "else",
        "dependentRequired",
    ] {
        map.remove(key);
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = map.get_mut(key) {
            schema(child);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = map.get_mut(key) {
            members.iter_mut().for_each(schema);
        }
    }
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        properties.values_mut().for_each(schema);
    }
    null_members(map);
}

/// `anyOf: [T, {type: "null"}]` (or `oneOf`) is how 3.1 writes "T or
/// null" (pydantic and FastAPI do it for every optional field): it means
/// what `nullable: true` means in 3.0, so it is written that way, never
/// as a union with a member of any value. The only other member is merged
/// into the schema when it is inline and no keyword of it is there
/// already, and is otherwise the schema's `allOf`.
fn null_members(map: &mut Map<String, Value>) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = map.get_mut(key) else {
            continue;
        };
        let before = members.len();
        members.retain(|member| !is_null_only(member));
        if members.len() == before {
            continue;
        }
        map.insert("nullable".to_owned(), json!(true));
        let Some(Value::Array(members)) = map.get(key) else {
            unreachable!("checked above")
        };
        match members.len() {
            0 => {
                map.remove(key);
            }
            1 => {
                let Some(Value::Array(mut members)) = map.remove(key) else {
                    unreachable!("checked above")
                };
                let member = members.remove(0);
                let Value::Object(member) = member else {
                    continue;
                };
                let inline = !member.contains_key("$ref");
                let free = member.keys().all(|keyword| !map.contains_key(keyword));
                if inline && free {
                    map.extend(member);
                } else {
                    match map.get_mut("allOf") {
                        Some(Value::Array(all_of)) => all_of.push(Value::Object(member)),
                        _ => {
                            map.insert("allOf".to_owned(), json!([member]));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// A schema that admits `null` and nothing else, as [`types`] leaves
/// `{type: "null"}`.
fn is_null_only(member: &Value) -> bool {
    member.as_object().is_some_and(|map| {
        map.get("nullable") == Some(&Value::Bool(true))
            && map
                .keys()
                .all(|key| matches!(key.as_str(), "nullable" | "description" | "title"))
    })
}

/// `type` as 3.0 writes it: one type, `nullable` for `null`; several
/// types become a `oneOf` of one schema per type.
pub(super) fn types(map: &mut Map<String, Value>) {
    let mut kinds: Vec<String> = match map.get("type") {
        Some(Value::String(kind)) => vec![kind.clone()],
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(|kind| kind.as_str().map(str::to_owned))
            .collect(),
        _ => return,
    };
    let nullable = kinds.iter().any(|kind| kind == "null");
    kinds.retain(|kind| kind != "null");
    kinds.dedup();
    if nullable {
        map.insert("nullable".to_owned(), json!(true));
    }
    match kinds.len() {
        0 => {
            map.remove("type");
        }
        1 => {
            map.insert("type".to_owned(), json!(kinds[0]));
        }
        _ => {
            map.remove("type");
            let members: Vec<Value> = kinds
                .iter()
                .map(|kind| {
                    let mut member = Map::new();
                    member.insert("type".to_owned(), json!(kind));
                    let moved = type_keywords(kind);
                    for key in moved {
                        if let Some(value) = map.get(*key) {
                            member.insert((*key).to_owned(), value.clone());
                        }
                    }
                    Value::Object(member)
                })
                .collect();
            // Each type's keywords now live in its member only.
            for kind in ["array", "object", "string", "integer"] {
                for key in type_keywords(kind) {
                    map.remove(*key);
                }
            }
            map.insert("oneOf".to_owned(), Value::Array(members));
        }
    }
}

/// The keywords that apply to values of one JSON type, which move into
/// that type's member when `type` lists several.
fn type_keywords(kind: &str) -> &'static [&'static str] {
    match kind {
        "array" => &["items", "minItems", "maxItems", "uniqueItems"],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
        "string" => &["format", "pattern", "minLength", "maxLength", "enum"],
        "integer" | "number" => &["format", "minimum", "maximum", "multipleOf"],
        _ => &[],
    }
}

/// The JSON Schema type of a `const` value.
fn json_type(value: &Value) -> Option<&'static str> {
    Some(match value {
        Value::String(_) => "string",
        Value::Bool(_) => "boolean",
        Value::Number(number) if number.is_f64() => "number",
        Value::Number(_) => "integer",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn normalized_schema(mut node: Value) -> Value {
        schema(&mut node);
        node
    }

    #[test]
    fn a_null_member_of_any_of_or_one_of_makes_the_schema_nullable() {
        assert_eq!(
            normalized_schema(
                json!({"anyOf": [{"type": "string", "maxLength": 3}, {"type": "null"}], "description": "Maybe."})
            ),
            json!({"type": "string", "maxLength": 3, "nullable": true, "description": "Maybe."})
        );
        assert_eq!(
            normalized_schema(
                json!({"oneOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "null"}]})
            ),
            json!({"allOf": [{"$ref": "#/components/schemas/Pet"}], "nullable": true})
        );
        assert_eq!(
            normalized_schema(
                json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]})
            ),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
        );
        // A member that holds a keyword the schema has already stays apart.
        assert_eq!(
            normalized_schema(
                json!({"anyOf": [{"type": "string", "description": "Inner."}, {"type": "null"}], "description": "Outer."})
            ),
            json!({"allOf": [{"type": "string", "description": "Inner."}], "nullable": true, "description": "Outer."})
        );
    }

    #[test]
    fn type_lists_become_one_type_with_nullable() {
        assert_eq!(
            normalized_schema(json!({"type": ["string", "null"], "maxLength": 3})),
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        assert_eq!(
            normalized_schema(json!({"type": "null"})),
            json!({"nullable": true})
        );
        assert_eq!(
            normalized_schema(
                json!({"type": ["integer", "string"], "format": "int64", "description": "d"})
            ),
            json!({"description": "d", "oneOf": [{"type": "integer", "format": "int64"}, {"type": "string", "format": "int64"}]})
        );
    }

    #[test]
    fn keywords_without_a_3_0_form_take_theirs() {
        assert_eq!(
            normalized_schema(json!({"const": "order", "examples": ["a", "b"]})),
            json!({"type": "string", "enum": ["order"], "example": "a"})
        );
        assert_eq!(
            normalized_schema(
                json!({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 100})
            ),
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 100, "exclusiveMaximum": true})
        );
        assert_eq!(
            normalized_schema(json!({"type": "string", "contentEncoding": "base64"})),
            json!({"type": "string", "format": "byte"})
        );
        assert_eq!(
            normalized_schema(json!({"type": "string", "contentMediaType": "image/png"})),
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(
            normalized_schema(
                json!({"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}]})
            ),
            json!({"type": "array", "items": {"type": "number"}})
        );
        assert_eq!(
            normalized_schema(
                json!({"type": "array", "prefixItems": [{"type": "number"}, {"type": "string"}], "items": false})
            ),
            json!({"type": "array", "items": {}})
        );
    }

    #[test]
    fn a_reference_with_siblings_becomes_an_all_of() {
        assert_eq!(
            normalized_schema(
                json!({"$ref": "#/components/schemas/S", "readOnly": true, "description": "d"})
            ),
            json!({"allOf": [{"$ref": "#/components/schemas/S"}], "readOnly": true, "description": "d"})
        );
        assert_eq!(
            normalized_schema(json!({"$ref": "#/components/schemas/S"})),
            json!({"$ref": "#/components/schemas/S"})
        );
    }

    #[test]
    fn schemas_are_found_everywhere_and_what_has_no_3_0_form_is_left_out_with_a_warning() {
        let mut tree = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1", "summary": "s"},
            "webhooks": {"hook": {"post": {}}},
            "components": {
                "pathItems": {"Item": {"get": {"parameters": [{"name": "q", "in": "query", "schema": {"type": ["string", "null"]}}]}}},
                "securitySchemes": {"tls": {"type": "mutualTLS"}},
                "schemas": {"S": {"type": "object", "properties": {"a": {"const": 1}}}},
            },
            "paths": {"/a": {"$ref": "#/components/pathItems/Item"}},
        });
        let normalized = normalize(&mut tree);
        assert_eq!(tree["openapi"], "3.0.3");
        assert_eq!(
            tree["paths"]["/a"]["get"]["parameters"][0]["schema"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(tree["paths"]["/a"]["get"]["responses"], json!({}));
        assert_eq!(
            tree["components"]["schemas"]["S"]["properties"]["a"],
            json!({"type": "integer", "enum": [1]})
        );
        assert!(tree.get("webhooks").is_none());
        assert!(tree["components"].get("pathItems").is_none());
        assert_eq!(
            normalized.renames,
            [(
                "#/paths/~1a".to_owned(),
                "#/components/pathItems/Item".to_owned()
            )]
        );
        let warned: Vec<&str> = normalized
            .warnings
            .iter()
            .map(|(_, at, _)| at.as_str())
            .collect();
        assert_eq!(warned, ["#/webhooks", "#/components/securitySchemes/tls"]);
    }

    #[test]
    fn an_item_schema_of_a_sequence_is_its_items_and_leads_back_to_itself() {
        let mut tree = json!({
            "openapi": "3.2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/e": {"get": {"responses": {"200": {"description": "d", "content": {
                "text/event-stream": {"itemSchema": {"type": ["object", "null"]}},
                "application/json": {"itemSchema": {"type": "string"}, "schema": {"type": "string"}},
            }}}}}},
        });
        let normalized = normalize(&mut tree);
        let content = &tree["paths"]["/e"]["get"]["responses"]["200"]["content"];
        assert_eq!(
            content["text/event-stream"],
            json!({"schema": {"type": "array", "items": {"type": "object", "nullable": true}}})
        );
        assert_eq!(
            content["application/json"],
            json!({"schema": {"type": "string"}})
        );
        let at = "#/paths/~1e/get/responses/200/content";
        assert_eq!(
            normalized.renames,
            [(
                format!("{at}/text~1event-stream/schema/items"),
                format!("{at}/text~1event-stream/itemSchema")
            )]
        );
        assert_eq!(
            normalized.warnings[0].1,
            format!("{at}/application~1json/itemSchema")
        );
    }
}
