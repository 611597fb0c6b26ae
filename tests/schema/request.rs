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
                let decoded = percent_decode(raw.as_str());
                if let Some(parameter) = declared.get(name.as_str()) {
                    check_value(spec, parameter, &decoded, &mut out);
                }
            }
        }
    }

    // The query: only declared parameters, each valid, required ones present.
    let declared: BTreeMap<_, _> = parameters("query").collect();
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, value) in request.url.query_pairs() {
        seen.entry(name.into_owned())
            .or_default()
            .push(value.into_owned());
    }
    for (name, values) in &seen {
        match declared.get(name.as_str()) {
            None => out.push(format!("query parameter {name} is not declared")),
            Some(parameter) if parameter["schema"]["type"] == "array" => {
                let items: Vec<Value> = values
                    .iter()
                    .map(|v| typed(&parameter["schema"]["items"], v))
                    .collect();
                out.extend(
                    problems(spec, &parameter["schema"], &Value::Array(items))
                        .into_iter()
                        .map(|p| format!("query {name}: {p}")),
                );
            }
            Some(parameter) => values
                .iter()
                .for_each(|value| check_value(spec, parameter, value, &mut out)),
        }
    }
    for (name, parameter) in &declared {
        if parameter["required"] == true && !seen.contains_key(*name) {
            out.push(format!("required query parameter {name} is missing"));
        }
    }

    // Headers: declared parameters valid; Accept and Content-Type as declared.
    for (name, parameter) in parameters("header") {
        match request.headers.get(name).and_then(|v| v.to_str().ok()) {
            Some(value) => check_value(spec, parameter, value, &mut out),
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
    {
        if header("accept").as_deref() != Some(media_type.as_str()) {
            out.push(format!(
                "Accept is {:?}, the spec declares {media_type}",
                header("accept")
            ));
        }
    }
    if let Some(body) = operation.node.get("requestBody").map(|b| spec.resolve(b)) {
        let (media_type, content) = body["content"]
            .as_object()
            .and_then(|c| c.iter().next())
            .expect("a media type");
        if header("content-type").as_deref() != Some(media_type.as_str()) {
            out.push(format!(
                "Content-Type is {:?}, the spec declares {media_type}",
                header("content-type")
            ));
        }
        if !codegen::media::is_json(media_type) {
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

fn check_value(spec: &Spec, parameter: &Value, raw: &str, out: &mut Vec<String>) {
    let schema = spec.resolve(&parameter["schema"]);
    let name = parameter["name"].as_str().unwrap_or_default();
    out.extend(
        problems(spec, schema, &typed(schema, raw))
            .into_iter()
            .map(|p| format!("parameter {name}: {p}")),
    );
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
