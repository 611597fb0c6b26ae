//! Does a request that reached the server fit its operation in the spec?

use std::collections::BTreeMap;

use serde_json::{Value, json};
use wiremock::Request;

use super::json_schema::problems;
use super::{OperationRef, Spec};

/// Every way `request` departs from `operation`; empty when it fits.
pub fn departures(spec: &Spec, operation: &OperationRef<'_>, request: &Request) -> Vec<String> {
    let mut out = Vec::new();
    if request.method.as_str() != operation.method {
        out.push(format!(
            "method {} instead of {}",
            request.method, operation.method
        ));
    }
    let parameters = |location: &'static str| {
        operation
            .parameters
            .iter()
            .filter(move |p| p["in"] == location)
            .map(|p| (p["name"].as_str().unwrap_or_default(), *p))
    };

    // The path: the template's literal parts, and each parameter against its schema.
    let mut pattern = String::from("^");
    let mut names = Vec::new();
    for (index, part) in operation.path.split('{').enumerate() {
        match part.split_once('}') {
            Some((name, rest)) if index > 0 => {
                names.push(name.to_owned());
                pattern.push_str("([^/]+)");
                pattern.push_str(&regex::escape(rest));
            }
            _ => pattern.push_str(&regex::escape(part)),
        }
    }
    pattern.push('$');
    let path = request.url.path();
    match regex::Regex::new(&pattern)
        .expect("a path pattern")
        .captures(path)
    {
        None => out.push(format!("path {path} does not fit {}", operation.path)),
        Some(captures) => {
            let declared: BTreeMap<_, _> = parameters("path").collect();
            for (name, raw) in names.iter().zip(captures.iter().skip(1).flatten()) {
                let Some(parameter) = declared.get(name.as_str()) else {
                    continue;
                };
                let schema = spec.resolve(&parameter["schema"]);
                if schema["type"] == "array" {
                    // `simple` style: items joined by commas, each encoded.
                    let items = spec.resolve(&schema["items"]);
                    let list: Vec<Value> = raw
                        .as_str()
                        .split(',')
                        .map(|item| typed(items, &percent_decode(item)))
                        .collect();
                    out.extend(
                        problems(spec, schema, &Value::Array(list))
                            .into_iter()
                            .map(|p| format!("parameter {name}: {p}")),
                    );
                } else {
                    check_value(spec, parameter, &percent_decode(raw.as_str()), &mut out);
                }
            }
        }
    }

    // The query: each declared parameter read back as its `style` writes
    // it and checked against its schema; required ones present; no pair
    // left that no parameter declares.
    let mut pairs: Vec<(String, String, bool)> = request
        .url
        .query_pairs()
        .map(|(key, value)| (key.into_owned(), value.into_owned(), false))
        .collect();
    for (name, parameter) in parameters("query") {
        let schema = spec.resolve(&parameter["schema"]);
        match read_query(spec, name, parameter, &mut pairs) {
            Some(value) => out.extend(
                problems(spec, schema, &value)
                    .into_iter()
                    .map(|p| format!("query {name}: {p}")),
            ),
            None if parameter["required"] == true => {
                out.push(format!("required query parameter {name} is missing"))
            }
            None => {}
        }
    }
    for (name, _, used) in &pairs {
        if !used {
            out.push(format!("query parameter {name} is not declared"));
        }
    }

    // Headers: declared parameters valid; Accept and Content-Type as declared.
    for (name, parameter) in parameters("header") {
        match request.headers.get(name).and_then(|v| v.to_str().ok()) {
            Some(value) => check_header(spec, parameter, value, &mut out),
            None if parameter["required"] == true => {
                out.push(format!("required header {name} is missing"))
            }
            None => {}
        }
    }
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let success = operation.node["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .find(|(status, _)| status.starts_with('2'))
        .map(|(_, response)| spec.resolve(response));
    if let Some(media_type) = success
        .and_then(|r| r["content"].as_object())
        .and_then(|c| c.keys().next())
        && header("accept").as_deref() != Some(media_type.as_str())
    {
        out.push(format!(
            "Accept is {:?}, the spec declares {media_type}",
            header("accept")
        ));
    }
    if let Some(body) = operation.node.get("requestBody").map(|b| spec.resolve(b)) {
        let (media_type, content) = body["content"]
            .as_object()
            .and_then(|c| c.iter().next())
            .expect("a media type");
        if openapi_clientgen::media::is_multipart(media_type) {
            match multipart_fields(spec, &content["schema"], request) {
                Ok(sent) => out.extend(
                    problems(spec, &content["schema"], &sent)
                        .into_iter()
                        .map(|p| format!("body: {p}")),
                ),
                Err(error) => out.push(error),
            }
            return out;
        }
        if header("content-type").as_deref() != Some(media_type.as_str()) {
            out.push(format!(
                "Content-Type is {:?}, the spec declares {media_type}",
                header("content-type")
            ));
        }
        if !openapi_clientgen::media::is_json(media_type) {
            // Raw bytes: only the text the caller gave can be compared, by the caller.
            return out;
        }
        match serde_json::from_slice::<Value>(&request.body) {
            Ok(sent) => out.extend(
                problems(spec, &content["schema"], &sent)
                    .into_iter()
                    .map(|p| format!("body: {p}")),
            ),
            Err(error) => out.push(format!("the body is not JSON: {error}")),
        }
    }
    out
}

/// One part of a `multipart/form-data` body: its name, media type and content.
pub type Part = (String, Option<String>, Vec<u8>);

/// Every part of a `multipart/form-data` body, read by `multer`.
pub fn multipart_parts(request: &Request) -> Result<Vec<Part>, String> {
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let boundary = multer::parse_boundary(content_type).map_err(|error| {
        format!("Content-Type {content_type:?} is no multipart/form-data: {error}")
    })?;
    let body = request.body.clone();
    let stream = futures::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    futures::executor::block_on(async {
        let mut parts = Vec::new();
        while let Some(field) = multipart.next_field().await.map_err(|e| e.to_string())? {
            let name = field.name().unwrap_or_default().to_owned();
            let media_type = field.content_type().map(ToString::to_string);
            let bytes = field.bytes().await.map_err(|e| e.to_string())?;
            parts.push((name, media_type, bytes.to_vec()));
        }
        Ok(parts)
    })
}

/// A `multipart/form-data` body as the JSON object its schema describes:
/// JSON parts parsed, text parts typed by their property, repeated names
/// of an array property gathered.
fn multipart_fields(spec: &Spec, schema: &Value, request: &Request) -> Result<Value, String> {
    let schema = spec.resolve(schema);
    let mut object = serde_json::Map::new();
    for (name, media_type, bytes) in multipart_parts(request)? {
        let property = spec.resolve(property_of(spec, schema, &name));
        let (array, item) = if property["type"] == "array" {
            (true, spec.resolve(&property["items"]))
        } else {
            (false, property)
        };
        let value = if media_type.as_deref() == Some("application/json") {
            serde_json::from_slice(&bytes)
                .map_err(|error| format!("part {name} is not JSON: {error}"))?
        } else {
            typed(item, &String::from_utf8_lossy(&bytes))
        };
        if array {
            let items = object.entry(name).or_insert_with(|| json!([]));
            if let Some(items) = items.as_array_mut() {
                items.push(value);
            }
        } else if object.insert(name.clone(), value).is_some() {
            return Err(format!("part {name} is sent twice"));
        }
    }
    Ok(Value::Object(object))
}

/// The schema of the property `name` of an object schema, or of the first
/// alternative of a `oneOf`/`anyOf` (or member of an `allOf`) that has it.
fn property_of<'s>(spec: &'s Spec, schema: &'s Value, name: &str) -> &'s Value {
    if let Some(property) = schema["properties"].get(name) {
        return property;
    }
    ["oneOf", "anyOf", "allOf"]
        .iter()
        .filter_map(|keyword| schema[*keyword].as_array())
        .flatten()
        .map(|member| property_of(spec, spec.resolve(member), name))
        .find(|property| !property.is_null())
        .unwrap_or(&Value::Null)
}

fn check_value(spec: &Spec, parameter: &Value, raw: &str, out: &mut Vec<String>) {
    let schema = spec.resolve(&parameter["schema"]);
    let name = parameter["name"].as_str().unwrap_or_default();
    out.extend(
        problems(spec, schema, &typed(schema, raw))
            .into_iter()
            .map(|p| format!("parameter {name}: {p}")),
    );
}

/// A header read back as its `simple` style wrote it (a list as `a,b`, an
/// object as `k,v` pairs, or `k=v` when exploded; each member of a
/// `oneOf` tried in turn) and checked against its schema.
fn check_header(spec: &Spec, parameter: &Value, raw: &str, out: &mut Vec<String>) {
    let schema = spec.resolve(&parameter["schema"]);
    let name = parameter["name"].as_str().unwrap_or_default();
    let explode = parameter["explode"].as_bool().unwrap_or(false);
    let members: Vec<&Value> = match schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        Some(members) => members.iter().map(|member| spec.resolve(member)).collect(),
        None => vec![schema],
    };
    let mut first = None;
    for member in members {
        let found = problems(spec, schema, &simple_value(spec, member, raw, explode));
        if found.is_empty() {
            return;
        }
        first.get_or_insert(found);
    }
    out.extend(
        first
            .unwrap_or_default()
            .into_iter()
            .map(|p| format!("parameter {name}: {p}")),
    );
}

/// `raw` as the value of `schema` the `simple` style wrote.
fn simple_value(spec: &Spec, schema: &Value, raw: &str, explode: bool) -> Value {
    let object = schema["type"] == "object" || schema.get("properties").is_some();
    if schema["type"] == "array" {
        let items = spec.resolve(&schema["items"]);
        return Value::Array(raw.split(',').map(|item| typed(items, item)).collect());
    }
    if object {
        let property = |key: &str| spec.resolve(&schema["properties"][key]).clone();
        let mut fields = serde_json::Map::new();
        if explode {
            for pair in raw.split(',') {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                fields.insert(key.to_owned(), typed(&property(key), value));
            }
        } else {
            let parts: Vec<&str> = raw.split(',').collect();
            for pair in parts.chunks(2) {
                let value = pair.get(1).copied().unwrap_or_default();
                fields.insert(pair[0].to_owned(), typed(&property(pair[0]), value));
            }
        }
        return Value::Object(fields);
    }
    typed(schema, raw)
}

/// The query parameter `name` as the JSON value its `style` wrote, taking
/// (marking used) the pairs that carry it; `None` when none do.
pub fn read_query(
    spec: &Spec,
    name: &str,
    parameter: &Value,
    pairs: &mut [(String, String, bool)],
) -> Option<Value> {
    let schema = spec.resolve(&parameter["schema"]);
    let style = parameter["style"].as_str().unwrap_or("form");
    let explode = parameter["explode"].as_bool().unwrap_or(style == "form");
    let mut take = |wanted: &dyn Fn(&str) -> bool| -> Vec<(String, String)> {
        pairs
            .iter_mut()
            .filter(|(key, _, used)| !used && wanted(key))
            .map(|(key, value, used)| {
                *used = true;
                (key.clone(), value.clone())
            })
            .collect()
    };
    let properties = |schema: &Value| {
        schema["properties"]
            .as_object()
            .cloned()
            .unwrap_or_default()
    };
    let object = schema["type"] == "object" || schema.get("properties").is_some();
    let values = |taken: Vec<(String, String)>| {
        taken
            .into_iter()
            .map(|(_, value)| value)
            .collect::<Vec<_>>()
    };
    if object && style == "deepObject" {
        let prefix = format!("{name}[");
        let taken = take(&|key: &str| key.starts_with(&prefix));
        let mut out = json!({});
        for (key, raw) in &taken {
            let path: Vec<&str> = key[name.len()..]
                .split('[')
                .skip(1)
                .map(|segment| segment.trim_end_matches(']'))
                .collect();
            let mut node = &mut out;
            let mut at = schema;
            for (index, segment) in path.iter().enumerate() {
                at = spec.resolve(&at["properties"][*segment]);
                if index + 1 < path.len() {
                    node = node
                        .as_object_mut()?
                        .entry(segment.to_string())
                        .or_insert_with(|| json!({}));
                } else if at["type"] == "array" {
                    let items = node
                        .as_object_mut()?
                        .entry(segment.to_string())
                        .or_insert_with(|| json!([]));
                    items
                        .as_array_mut()?
                        .push(typed(spec.resolve(&at["items"]), raw));
                } else {
                    node.as_object_mut()?
                        .insert(segment.to_string(), typed(at, raw));
                }
            }
        }
        (!taken.is_empty()).then_some(out)
    } else if object && explode {
        let fields = properties(schema);
        let taken = take(&|key: &str| fields.contains_key(key));
        let read: serde_json::Map<String, Value> = taken
            .iter()
            .map(|(key, raw)| (key.clone(), typed(spec.resolve(&fields[key]), raw)))
            .collect();
        (!read.is_empty()).then_some(Value::Object(read))
    } else if object {
        let fields = properties(schema);
        let raw = values(take(&|key: &str| key == name)).pop()?;
        let parts: Vec<&str> = raw.split(',').collect();
        Some(Value::Object(
            parts
                .chunks(2)
                .map(|pair| {
                    let key = pair[0].to_owned();
                    let raw = pair.get(1).copied().unwrap_or_default();
                    let field = fields.get(&key).cloned().unwrap_or_default();
                    let value = typed(spec.resolve(&field), raw);
                    (key, value)
                })
                .collect(),
        ))
    } else {
        let raw = values(take(&|key: &str| key == name));
        if raw.is_empty() {
            return None;
        }
        let members: Vec<&Value> = ["oneOf", "anyOf"]
            .iter()
            .filter_map(|keyword| schema[*keyword].as_array())
            .flatten()
            .map(|member| spec.resolve(member))
            .collect();
        let array = if schema["type"] == "array" {
            Some(schema)
        } else {
            members
                .iter()
                .copied()
                .find(|member| member["type"] == "array")
        };
        let scalar = members
            .iter()
            .copied()
            .find(|member| member["type"] != "array");
        match (array, raw.as_slice()) {
            // One value of a union with a scalar member is that scalar.
            (Some(_), [one]) if scalar.is_some() => Some(typed(scalar?, one)),
            (Some(array), _) => {
                let items = spec.resolve(&array["items"]);
                let split: Vec<String> = match (style, explode) {
                    ("form", true) => raw,
                    _ => {
                        let separator = match style {
                            "spaceDelimited" => ' ',
                            "pipeDelimited" => '|',
                            _ => ',',
                        };
                        raw.iter()
                            // An empty array is written as an empty value.
                            .filter(|joined| !joined.is_empty())
                            .flat_map(|joined| joined.split(separator).map(str::to_owned))
                            .collect()
                    }
                };
                Some(Value::Array(
                    split.iter().map(|v| typed(items, v)).collect(),
                ))
            }
            (None, [one]) => Some(typed(schema, one)),
            (None, _) => Some(Value::Array(raw.iter().map(|v| json!(v)).collect())),
        }
    }
}

/// A wire string as the JSON value its schema describes.
fn typed(schema: &Value, raw: &str) -> Value {
    match schema["type"].as_str() {
        Some("integer") => raw.parse::<i64>().map_or_else(|_| json!(raw), |n| json!(n)),
        Some("number") => raw.parse::<f64>().map_or_else(|_| json!(raw), |n| json!(n)),
        Some("boolean") => raw.parse::<bool>().map_or_else(|_| json!(raw), Value::Bool),
        _ => json!(raw),
    }
}

fn percent_decode(raw: &str) -> String {
    percent_encoding::percent_decode_str(raw)
        .decode_utf8_lossy()
        .into_owned()
}
