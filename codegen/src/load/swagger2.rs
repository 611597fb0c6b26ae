//! Swagger 2.0 (OpenAPI 2) rewritten as OpenAPI 3.0.3, as the 3.0
//! specification's own migration notes map it: `definitions`, `parameters`,
//! `responses` and `securityDefinitions` become components; a `body`
//! parameter becomes the request body, `formData` parameters a form body,
//! in every media type `consumes` lists; a response's `schema` becomes its
//! content in every type `produces` lists; a non-body parameter's type
//! keywords become its `schema`; `host`, `basePath` and `schemes` become
//! servers. Each part moved is recorded, so that a diagnostic names the
//! place in the 2.0 text.

use serde_json::{Map, Value, json};

use super::Note;
use crate::diagnostic::{Code, escape_segment, pointer};

/// The 3.0 document, and where its moved parts were in the 2.0 one.
#[derive(Debug)]
pub struct Converted {
    pub tree: Value,
    /// A pointer of the 3.0 document, and the 2.0 pointer it came from.
    pub renames: Vec<(String, String)>,
    /// Warnings as pointer (of the 2.0 document) and message.
    pub warnings: Vec<Note>,
}

/// Keywords of a 2.0 non-body parameter, header or `items` that belong to
/// its schema in 3.0.
const SCHEMA_KEYWORDS: [&str; 17] = [
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

/// Converts a Swagger 2.0 tree.
pub fn convert(mut old: Value) -> Converted {
    let mut converter = Converter {
        renames: Vec::new(),
        warnings: Vec::new(),
        consumes: media_list(old.get("consumes"))
            .unwrap_or_else(|| vec!["application/json".to_owned()]),
        produces: media_list(old.get("produces"))
            .unwrap_or_else(|| vec!["application/json".to_owned()]),
        parameters: old.get("parameters").cloned().unwrap_or_default(),
    };
    let Some(root) = old.as_object_mut() else {
        return converter.finish(old);
    };
    let mut new = Map::new();
    new.insert("openapi".to_owned(), json!("3.0.3"));
    for key in ["info", "tags", "externalDocs", "security"] {
        if let Some(value) = root.remove(key) {
            new.insert(key.to_owned(), value);
        }
    }
    if let Some(servers) = servers(root) {
        new.insert("servers".to_owned(), servers);
    }
    for (key, value) in root.iter() {
        if key.starts_with("x-") && !key.starts_with("x-bundled-") {
            new.insert(key.clone(), value.clone());
        }
    }
    let mut components = Map::new();
    if let Some(Value::Object(definitions)) = root.remove("definitions") {
        converter.rename("#/components/schemas", "#/definitions");
        let schemas: Map<String, Value> = definitions
            .into_iter()
            .map(|(name, schema)| (name, converted(schema)))
            .collect();
        components.insert("schemas".to_owned(), Value::Object(schemas));
    }
    if let Some(Value::Object(parameters)) = root.remove("parameters") {
        let mut plain = Map::new();
        let mut bodies = Map::new();
        for (name, parameter) in parameters {
            let at = pointer("#/parameters", &[&name]);
            match parameter.get("in").and_then(Value::as_str) {
                Some("body") => {
                    converter.rename(&pointer("#/components/requestBodies", &[&name]), &at);
                    let body = converter.body(
                        &parameter,
                        &converter.consumes.clone(),
                        &pointer("#/components/requestBodies", &[&name]),
                        &at,
                    );
                    bodies.insert(name, body);
                }
                // A form field is not a component of its own in 3.0; each
                // operation that names it gets it in its form body.
                Some("formData") => {}
                _ => {
                    converter.rename(&pointer("#/components/parameters", &[&name]), &at);
                    plain.insert(name, converter.parameter(parameter));
                }
            }
        }
        if !plain.is_empty() {
            components.insert("parameters".to_owned(), Value::Object(plain));
        }
        if !bodies.is_empty() {
            components.insert("requestBodies".to_owned(), Value::Object(bodies));
        }
    }
    if let Some(Value::Object(responses)) = root.remove("responses") {
        let produces = converter.produces.clone();
        let converted: Map<String, Value> = responses
            .into_iter()
            .map(|(name, response)| {
                let at = pointer("#/components/responses", &[&name]);
                converter.rename(&at, &pointer("#/responses", &[&name]));
                let response = converter.response(response, &produces, &at);
                (name, response)
            })
            .collect();
        components.insert("responses".to_owned(), Value::Object(converted));
    }
    if let Some(Value::Object(schemes)) = root.remove("securityDefinitions") {
        converter.rename("#/components/securitySchemes", "#/securityDefinitions");
        let converted: Map<String, Value> = schemes
            .into_iter()
            .filter_map(|(name, scheme)| {
                let at = pointer("#/securityDefinitions", &[&name]);
                converter
                    .security_scheme(scheme, &at)
                    .map(|scheme| (name, scheme))
            })
            .collect();
        components.insert("securitySchemes".to_owned(), Value::Object(converted));
    }
    let mut paths = Map::new();
    if let Some(Value::Object(old_paths)) = root.remove("paths") {
        for (path, item) in old_paths {
            if path.starts_with("x-") {
                paths.insert(path, item);
                continue;
            }
            let at = pointer("#/paths", &[&path]);
            paths.insert(path, converter.path_item(item, &at));
        }
    }
    new.insert("paths".to_owned(), Value::Object(paths));
    if !components.is_empty() {
        new.insert("components".to_owned(), Value::Object(components));
    }
    let tree = Value::Object(new);
    converter.finish(tree)
}

/// A `consumes` or `produces` list.
fn media_list(value: Option<&Value>) -> Option<Vec<String>> {
    let list: Vec<String> = value?
        .as_array()?
        .iter()
        .filter_map(|media| media.as_str().map(str::to_owned))
        .collect();
    (!list.is_empty()).then_some(list)
}

/// `host`, `basePath` and `schemes` as 3.0 servers: one per scheme.
fn servers(root: &Map<String, Value>) -> Option<Value> {
    let host = root.get("host").and_then(Value::as_str);
    let base = root.get("basePath").and_then(Value::as_str).unwrap_or("");
    let base = base.trim_end_matches('/');
    let Some(host) = host else {
        return (!base.is_empty()).then(|| json!([{ "url": base }]));
    };
    let schemes: Vec<&str> = root
        .get("schemes")
        .and_then(Value::as_array)
        .map(|schemes| schemes.iter().filter_map(Value::as_str).collect())
        .filter(|schemes: &Vec<&str>| !schemes.is_empty())
        .unwrap_or_else(|| vec!["https"]);
    // The secure scheme first: the client uses the first server.
    let mut schemes = schemes;
    schemes.sort_by_key(|scheme| !matches!(*scheme, "https" | "wss"));
    Some(Value::Array(
        schemes
            .iter()
            .map(|scheme| json!({ "url": format!("{scheme}://{host}{base}") }))
            .collect(),
    ))
}

struct Converter {
    renames: Vec<(String, String)>,
    warnings: Vec<Note>,
    consumes: Vec<String>,
    produces: Vec<String>,
    /// The document's own `parameters`, to see whether a `$ref` to one is
    /// a body or form field.
    parameters: Value,
}

impl Converter {
    fn finish(self, mut tree: Value) -> Converted {
        rewrite_references(&mut tree);
        Converted {
            tree,
            renames: self.renames,
            warnings: self.warnings,
        }
    }

    fn rename(&mut self, new: &str, old: &str) {
        if new != old {
            self.renames.push((new.to_owned(), old.to_owned()));
        }
    }

    fn path_item(&mut self, item: Value, at: &str) -> Value {
        let Value::Object(item) = item else {
            return item;
        };
        let mut new = Map::new();
        let shared: Vec<Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (key, value) in item {
            match key.as_str() {
                "parameters" => {
                    // Body and form fields of the path item go to each operation.
                    let kept: Vec<Value> = shared
                        .iter()
                        .filter(|parameter| {
                            !matches!(self.place(parameter).as_deref(), Some("body" | "formData"))
                        })
                        .cloned()
                        .collect();
                    let kept: Vec<Value> = kept
                        .into_iter()
                        .map(|parameter| self.parameter(parameter))
                        .collect();
                    if !kept.is_empty() {
                        new.insert(key, Value::Array(kept));
                    }
                }
                method if super::METHODS.contains(&method) => {
                    let operation_at = pointer(at, &[method]);
                    let operation = self.operation(value, &shared, &operation_at);
                    new.insert(key, operation);
                }
                _ => {
                    new.insert(key, value);
                }
            }
        }
        Value::Object(new)
    }

    /// Where a parameter goes (`in`), following a `$ref` to the document's own.
    fn place(&self, parameter: &Value) -> Option<String> {
        let resolved = match parameter.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let name = crate::refs::component_name(reference, "#/parameters/")?;
                self.parameters.get(name.as_ref())?
            }
            None => parameter,
        };
        resolved
            .get("in")
            .and_then(Value::as_str)
            .map(str::to_owned)
    }

    /// The parameter a `$ref` names, or the parameter itself.
    fn resolved(&self, parameter: &Value) -> Value {
        match parameter
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| crate::refs::component_name(reference, "#/parameters/"))
        {
            Some(name) => self
                .parameters
                .get(name.as_ref())
                .cloned()
                .unwrap_or_default(),
            None => parameter.clone(),
        }
    }

    fn operation(&mut self, operation: Value, shared: &[Value], at: &str) -> Value {
        let Value::Object(mut operation) = operation else {
            return operation;
        };
        let consumes =
            media_list(operation.get("consumes")).unwrap_or_else(|| self.consumes.clone());
        let produces =
            media_list(operation.get("produces")).unwrap_or_else(|| self.produces.clone());
        operation.remove("consumes");
        operation.remove("produces");
        operation.remove("schemes");
        let own: Vec<Value> = operation
            .remove("parameters")
            .and_then(|parameters| parameters.as_array().cloned())
            .unwrap_or_default();
        // Shared body and form fields apply unless the operation has its own of the name.
        let own_names: Vec<(String, String)> = own
            .iter()
            .map(|parameter| name_and_place(&self.resolved(parameter)))
            .collect();
        let mut parameters = Vec::new();
        let mut form: Vec<(Value, String)> = Vec::new();
        let mut body: Option<(Value, String)> = None;
        let mut body_reference: Option<(String, String)> = None;
        let inherited = shared.iter().enumerate().filter_map(|(index, parameter)| {
            let key = name_and_place(&self.resolved(parameter));
            let path_at = at.rsplit_once('/').map_or(at, |(item, _)| item);
            (!own_names.contains(&key) && matches!(key.1.as_str(), "body" | "formData"))
                .then(|| (parameter.clone(), format!("{path_at}/parameters/{index}")))
        });
        let listed: Vec<(Value, String)> = own
            .into_iter()
            .enumerate()
            .map(|(index, parameter)| (parameter, format!("{at}/parameters/{index}")))
            .collect();
        for (parameter, old_at) in listed.into_iter().chain(inherited.collect::<Vec<_>>()) {
            match self.place(&parameter).as_deref() {
                Some("body") => {
                    if let Some(reference) = parameter.get("$ref").and_then(Value::as_str) {
                        let name = crate::refs::component_name(reference, "#/parameters/")
                            .map(|name| name.into_owned())
                            .unwrap_or_default();
                        body_reference = Some((name, old_at));
                    } else {
                        body = Some((parameter, old_at));
                    }
                }
                Some("formData") => form.push((self.resolved(&parameter), old_at)),
                _ => {
                    let index = parameters.len();
                    self.rename(&format!("{at}/parameters/{index}"), &old_at);
                    if parameter.get("$ref").is_some() {
                        parameters.push(parameter);
                    } else {
                        parameters.push(self.parameter(parameter));
                    }
                }
            }
        }
        if !parameters.is_empty() {
            operation.insert("parameters".to_owned(), Value::Array(parameters));
        }
        let body_at = format!("{at}/requestBody");
        if let Some((name, old_at)) = body_reference {
            self.rename(&body_at, &old_at);
            operation.insert(
                "requestBody".to_owned(),
                json!({ "$ref": pointer("#/components/requestBodies", &[&name]) }),
            );
        } else if let Some((parameter, old_at)) = body {
            self.rename(&body_at, &old_at);
            let converted = self.body(&parameter, &consumes, &body_at, &old_at);
            operation.insert("requestBody".to_owned(), converted);
        } else if !form.is_empty() {
            let converted = self.form(form, &consumes, &body_at);
            operation.insert("requestBody".to_owned(), converted);
        }
        if let Some(Value::Object(responses)) = operation.remove("responses") {
            let converted: Map<String, Value> = responses
                .into_iter()
                .map(|(status, response)| {
                    let response_at = pointer(&format!("{at}/responses"), &[&status]);
                    let response = self.response(response, &produces, &response_at);
                    (status, response)
                })
                .collect();
            operation.insert("responses".to_owned(), Value::Object(converted));
        }
        Value::Object(operation)
    }

    /// A `body` parameter as a request body, in every media type `consumes` lists.
    fn body(
        &mut self,
        parameter: &Value,
        consumes: &[String],
        new_at: &str,
        old_at: &str,
    ) -> Value {
        let schema = converted(
            parameter
                .get("schema")
                .cloned()
                .unwrap_or_else(|| json!({})),
        );
        let mut content = Map::new();
        for media in consumes {
            if is_form(media) {
                continue;
            }
            self.rename(
                &format!("{new_at}/content/{}/schema", escape_segment(media)),
                &format!("{old_at}/schema"),
            );
            content.insert(media.clone(), json!({ "schema": schema }));
        }
        if content.is_empty() {
            content.insert("application/json".to_owned(), json!({ "schema": schema }));
        }
        let mut body = Map::new();
        if let Some(description) = parameter.get("description") {
            body.insert("description".to_owned(), description.clone());
        }
        body.insert("content".to_owned(), Value::Object(content));
        if parameter.get("required").and_then(Value::as_bool) == Some(true) {
            body.insert("required".to_owned(), json!(true));
        }
        copy_extensions(parameter, &mut body);
        Value::Object(body)
    }

    /// `formData` parameters as one object schema, in the form media types
    /// `consumes` lists (multipart when a field is a file).
    fn form(&mut self, fields: Vec<(Value, String)>, consumes: &[String], new_at: &str) -> Value {
        let has_file = fields
            .iter()
            .any(|(field, _)| field.get("type").and_then(Value::as_str) == Some("file"));
        let mut media: Vec<String> = consumes
            .iter()
            .filter(|media| is_form(media))
            .cloned()
            .collect();
        if has_file {
            media.retain(|media| media.starts_with("multipart/"));
        }
        if media.is_empty() {
            media.push(if has_file {
                "multipart/form-data".to_owned()
            } else {
                "application/x-www-form-urlencoded".to_owned()
            });
        }
        let mut properties = Map::new();
        let mut required = Vec::new();
        for (field, old_at) in fields {
            let name = field
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            for each in &media {
                self.rename(
                    &pointer(
                        &format!(
                            "{new_at}/content/{}/schema/properties",
                            escape_segment(each)
                        ),
                        &[&name],
                    ),
                    &old_at,
                );
            }
            let mut schema = schema_of(&field);
            if let Some(description) = field.get("description") {
                schema.insert("description".to_owned(), description.clone());
            }
            if field.get("required").and_then(Value::as_bool) == Some(true) {
                required.push(json!(name));
            }
            properties.insert(name, Value::Object(schema));
        }
        let mut schema = json!({ "type": "object", "properties": properties });
        if !required.is_empty() {
            schema["required"] = Value::Array(required.clone());
        }
        let content: Map<String, Value> = media
            .into_iter()
            .map(|media| (media, json!({ "schema": schema })))
            .collect();
        let mut body = json!({ "content": content });
        if !required.is_empty() {
            body["required"] = json!(true);
        }
        body
    }

    /// A non-body parameter: its type keywords as its schema, its
    /// `collectionFormat` as a style.
    fn parameter(&mut self, parameter: Value) -> Value {
        let Value::Object(mut parameter) = parameter else {
            return parameter;
        };
        if parameter.contains_key("$ref") {
            return Value::Object(parameter);
        }
        let schema = schema_of(&Value::Object(parameter.clone()));
        for keyword in SCHEMA_KEYWORDS {
            parameter.remove(keyword);
        }
        let place = parameter
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if let Some(format) = parameter
            .remove("collectionFormat")
            .and_then(|format| format.as_str().map(str::to_owned))
        {
            let (style, explode) = match (format.as_str(), place.as_str()) {
                ("multi", _) => ("form", true),
                ("ssv", _) => ("spaceDelimited", false),
                ("pipes", _) => ("pipeDelimited", false),
                (_, "query" | "cookie") => ("form", false),
                _ => ("simple", false),
            };
            parameter.insert("style".to_owned(), json!(style));
            parameter.insert("explode".to_owned(), json!(explode));
        } else if schema.get("type").and_then(Value::as_str) == Some("array") && place == "query" {
            // 2.0's default is `csv`.
            parameter.insert("style".to_owned(), json!("form"));
            parameter.insert("explode".to_owned(), json!(false));
        }
        parameter.insert("schema".to_owned(), Value::Object(schema));
        Value::Object(parameter)
    }

    /// A response: its schema as content in every media type `produces`
    /// lists, its headers with schemas.
    fn response(&mut self, response: Value, produces: &[String], at: &str) -> Value {
        let Value::Object(mut response) = response else {
            return response;
        };
        if response.contains_key("$ref") {
            return Value::Object(response);
        }
        response.entry("description").or_insert_with(|| json!(""));
        let examples = response.remove("examples");
        if let Some(schema) = response.remove("schema") {
            let schema = converted(schema);
            let media: Vec<String> = if produces.is_empty() {
                vec!["application/json".to_owned()]
            } else {
                produces.to_vec()
            };
            let mut content = Map::new();
            for each in media {
                let mut entry = json!({ "schema": schema });
                if let Some(example) = examples.as_ref().and_then(|examples| examples.get(&each)) {
                    entry["example"] = example.clone();
                }
                self.rename(
                    &format!("{at}/content/{}/schema", escape_segment(&each)),
                    &format!("{at}/schema"),
                );
                content.insert(each, entry);
            }
            response.insert("content".to_owned(), Value::Object(content));
        }
        if let Some(Value::Object(headers)) = response.get_mut("headers") {
            for header in headers.values_mut() {
                let schema = schema_of(header);
                if let Value::Object(map) = header {
                    for keyword in SCHEMA_KEYWORDS {
                        map.remove(keyword);
                    }
                    map.remove("collectionFormat");
                    map.insert("schema".to_owned(), Value::Object(schema));
                }
            }
        }
        Value::Object(response)
    }

    fn security_scheme(&mut self, scheme: Value, at: &str) -> Option<Value> {
        let Value::Object(mut scheme) = scheme else {
            return Some(scheme);
        };
        match scheme.get("type").and_then(Value::as_str) {
            Some("basic") => {
                scheme.insert("type".to_owned(), json!("http"));
                scheme.insert("scheme".to_owned(), json!("basic"));
            }
            Some("oauth2") => {
                let flow = scheme
                    .remove("flow")
                    .and_then(|flow| flow.as_str().map(str::to_owned));
                let mut converted = Map::new();
                for key in ["authorizationUrl", "tokenUrl"] {
                    if let Some(url) = scheme.remove(key) {
                        converted.insert(key.to_owned(), url);
                    }
                }
                converted.insert(
                    "scopes".to_owned(),
                    scheme.remove("scopes").unwrap_or_else(|| json!({})),
                );
                let name = match flow.as_deref() {
                    Some("application") => "clientCredentials",
                    Some("accessCode") => "authorizationCode",
                    Some("password") => "password",
                    Some("implicit") => "implicit",
                    _ => {
                        self.warnings.push((
                            Code::NoEquivalent,
                            at.to_owned(),
                            format!("an OAuth 2.0 scheme with the flow {flow:?} has no 3.0 form; it is left out"),
                        ));
                        return None;
                    }
                };
                scheme.insert("flows".to_owned(), json!({ name: converted }));
            }
            _ => {}
        }
        Some(Value::Object(scheme))
    }
}

/// A parameter's `name` and `in`, which together identify it.
fn name_and_place(parameter: &Value) -> (String, String) {
    let text = |key: &str| {
        parameter
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    (text("name"), text("in"))
}

fn is_form(media: &str) -> bool {
    media.starts_with("multipart/") || media.starts_with("application/x-www-form-urlencoded")
}

/// The schema a 2.0 non-body parameter or header states with its own keywords.
fn schema_of(node: &Value) -> Map<String, Value> {
    let mut schema = Map::new();
    for keyword in SCHEMA_KEYWORDS {
        if let Some(value) = node.get(keyword) {
            schema.insert(keyword.to_owned(), value.clone());
        }
    }
    let mut schema = Value::Object(schema);
    convert_schema(&mut schema);
    match schema {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// A 2.0 schema as 3.0 writes it (see [`convert_schema`]).
fn converted(mut schema: Value) -> Value {
    convert_schema(&mut schema);
    schema
}

/// The parts of a 2.0 schema that 3.0 writes differently, everywhere in it:
/// `type: file` is binary, `x-nullable` is `nullable`, the discriminator
/// names its property.
fn convert_schema(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map.get("type").and_then(Value::as_str) == Some("file") {
                map.insert("type".to_owned(), json!("string"));
                map.insert("format".to_owned(), json!("binary"));
            }
            if let Some(nullable) = map.remove("x-nullable") {
                map.insert("nullable".to_owned(), nullable);
            }
            if let Some(Value::String(property)) = map.get("discriminator") {
                let property = property.clone();
                map.insert(
                    "discriminator".to_owned(),
                    json!({ "propertyName": property }),
                );
            }
            if let Some(Value::Array(items)) = map.get("items") {
                // 2.0 allowed a list of schemas here; 3.0 one.
                let first = items.first().cloned().unwrap_or_else(|| json!({}));
                map.insert("items".to_owned(), first);
            }
            for (key, child) in map.iter_mut() {
                match key.as_str() {
                    "properties" => {
                        if let Value::Object(properties) = child {
                            properties.values_mut().for_each(convert_schema);
                        }
                    }
                    "items" | "additionalProperties" | "not" => convert_schema(child),
                    "allOf" | "oneOf" | "anyOf" => {
                        if let Value::Array(members) = child {
                            members.iter_mut().for_each(convert_schema);
                        }
                    }
                    _ => {}
                }
            }
        }
        Value::Array(_) | Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
    }
}

/// Extensions of a 2.0 node kept on its 3.0 form.
fn copy_extensions(from: &Value, to: &mut Map<String, Value>) {
    if let Some(map) = from.as_object() {
        for (key, value) in map {
            if key.starts_with("x-") {
                to.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Every `$ref` to a 2.0 component, pointed at its 3.0 place.
fn rewrite_references(node: &mut Value) {
    match node {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match (key.as_str(), child) {
                    ("$ref", Value::String(reference)) => {
                        for (old, new) in [
                            ("#/definitions/", "#/components/schemas/"),
                            ("#/parameters/", "#/components/parameters/"),
                            ("#/responses/", "#/components/responses/"),
                        ] {
                            if let Some(rest) = reference.strip_prefix(old) {
                                *reference = format!("{new}{rest}");
                                break;
                            }
                        }
                    }
                    (key, _) if key.starts_with("x-") || key == "example" => {}
                    (_, child) => rewrite_references(child),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite_references),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::json;

    use crate::load::parse;

    const SWAGGER: &str = r#"swagger: "2.0"
info: {title: t, version: '1'}
host: api.example.com
basePath: /v1/
schemes: [http, https]
consumes: [application/json]
produces: [application/json]
securityDefinitions:
  key: {type: apiKey, in: header, name: X-Key}
  login: {type: basic}
  oauth: {type: oauth2, flow: application, tokenUrl: 'https://id.example.com/token', scopes: {read: Read}}
parameters:
  Limit: {name: limit, in: query, type: integer, format: int32, maximum: 100}
  Body: {name: body, in: body, required: true, schema: {$ref: '#/definitions/Pet'}}
responses:
  NotFound: {description: missing, schema: {$ref: '#/definitions/Error'}}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - $ref: '#/parameters/Limit'
        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: multi}
      responses:
        '200': {description: ok, schema: {type: array, items: {$ref: '#/definitions/Pet'}}, headers: {X-Total: {type: integer}}}
        '404': {$ref: '#/responses/NotFound'}
    post:
      operationId: addPet
      parameters: [{$ref: '#/parameters/Body'}]
      responses: {'204': {description: added}}
  /pets/{id}/photo:
    post:
      operationId: uploadPhoto
      consumes: [multipart/form-data]
      parameters:
        - {name: id, in: path, required: true, type: string}
        - {name: file, in: formData, required: true, type: file}
        - {name: note, in: formData, type: string}
      responses: {'204': {description: sent}}
definitions:
  Pet:
    type: object
    discriminator: kind
    required: [kind]
    properties:
      kind: {type: string}
      nick: {type: string, x-nullable: true}
  Error: {type: object, properties: {message: {type: string}}}
"#;

    #[test]
    fn a_swagger_2_document_reads_as_its_3_0_form() {
        let loaded = parse(Path::new("spec.yaml"), SWAGGER.to_owned()).expect("converts");
        let tree = loaded.tree();
        assert_eq!(
            tree["servers"],
            json!([{"url": "https://api.example.com/v1"}, {"url": "http://api.example.com/v1"}])
        );
        let list = &tree["paths"]["/pets"]["get"];
        assert_eq!(
            list["parameters"][0],
            json!({"$ref": "#/components/parameters/Limit"})
        );
        assert_eq!(
            list["parameters"][1],
            json!({"name": "tags", "in": "query", "style": "form", "explode": true, "schema": {"type": "array", "items": {"type": "string"}}})
        );
        assert_eq!(
            list["responses"]["200"]["content"]["application/json"]["schema"]["items"],
            json!({"$ref": "#/components/schemas/Pet"})
        );
        assert_eq!(
            list["responses"]["200"]["headers"]["X-Total"],
            json!({"schema": {"type": "integer"}})
        );
        assert_eq!(
            list["responses"]["404"],
            json!({"$ref": "#/components/responses/NotFound"})
        );
        assert_eq!(
            tree["paths"]["/pets"]["post"]["requestBody"],
            json!({"$ref": "#/components/requestBodies/Body"})
        );
        let components = &tree["components"];
        assert_eq!(
            components["parameters"]["Limit"],
            json!({"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32", "maximum": 100}})
        );
        assert_eq!(
            components["requestBodies"]["Body"],
            json!({"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}})
        );
        assert_eq!(
            components["responses"]["NotFound"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/Error"})
        );
        assert_eq!(
            components["schemas"]["Pet"]["discriminator"],
            json!({"propertyName": "kind"})
        );
        assert_eq!(
            components["schemas"]["Pet"]["properties"]["nick"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            components["securitySchemes"]["login"],
            json!({"type": "http", "scheme": "basic"})
        );
        assert_eq!(
            components["securitySchemes"]["oauth"]["flows"],
            json!({"clientCredentials": {"tokenUrl": "https://id.example.com/token", "scopes": {"read": "Read"}}})
        );
        let upload = &tree["paths"]["/pets/{id}/photo"]["post"];
        assert_eq!(upload["parameters"][0]["schema"], json!({"type": "string"}));
        assert_eq!(
            upload["requestBody"],
            json!({"required": true, "content": {"multipart/form-data": {"schema": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}, "note": {"type": "string"}},
            }}}})
        );
        assert!(tree.get("definitions").is_none() && tree.get("swagger").is_none());
    }

    #[test]
    fn diagnostics_name_the_place_in_the_2_0_text() {
        let loaded = parse(Path::new("spec.yaml"), SWAGGER.to_owned()).expect("converts");
        for (pointer, written, line) in [
            (
                "#/components/schemas/Pet/properties/nick",
                "#/definitions/Pet/properties/nick",
                47,
            ),
            (
                "#/components/requestBodies/Body/content/application~1json/schema",
                "#/parameters/Body/schema",
                14,
            ),
            (
                "#/paths/~1pets/get/responses/200/content/application~1json/schema",
                "#/paths/~1pets/get/responses/200/schema",
                25,
            ),
            (
                "#/paths/~1pets~1{id}~1photo/post/requestBody/content/multipart~1form-data/schema/properties/file",
                "#/paths/~1pets~1{id}~1photo/post/parameters/1",
                37,
            ),
            (
                "#/components/securitySchemes/login",
                "#/securityDefinitions/login",
                10,
            ),
        ] {
            let mut diagnostic = loaded.diagnostic(crate::Code::NotOpenApi, pointer, "x");
            loaded.locate([&mut diagnostic]);
            assert_eq!(
                (diagnostic.pointer.as_str(), diagnostic.line),
                (written, Some(line)),
                "{pointer}"
            );
        }
    }
}
