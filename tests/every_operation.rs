//! Every operation of every fixture spec, and of the project's spec, on the
//! wire, driven from the spec alone: inputs are generated from the
//! parameter and body schemas, the server answers every declared status with
//! a body generated from its schema in its declared media type, and each
//! call must send a request that fits the operation and come back as the
//! declared success or error with the body it was sent. A construct added to
//! a fixture is covered without a test written for it.

use std::collections::BTreeMap;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;

use client_runtime::__private::{OperationEntry, Outcome};
use client_runtime::RetryPolicy;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use serde_json::{Value, json};
use wire_tests::schema::{OperationRef, Spec, generate, request, without_nulls};
use wiremock::{Mock, MockServer, ResponseTemplate};

type Driver = Box<dyn Fn(String, Value) -> Pin<Box<dyn Future<Output = Outcome>>>>;

/// A spec and a way to call each operation of the crate generated from it.
struct Subject {
    name: &'static str,
    spec: Spec,
    drivers: BTreeMap<&'static str, Driver>,
    /// A query parameter that changes the shape of every answer (an
    /// envelope); left unset, since the server here never wraps.
    reshaping: Option<String>,
}

fn drivers<C: 'static>(
    entries: Vec<OperationEntry<C>>,
    build: fn(&str) -> C,
) -> BTreeMap<&'static str, Driver> {
    entries
        .into_iter()
        .map(|entry| {
            let driver: Driver = Box::new(move |url, input| {
                Box::pin(async move {
                    let client = build(&url);
                    (entry.call)(&client, input).await
                })
            });
            (entry.id, driver)
        })
        .collect()
}

macro_rules! client_of {
    ($krate:ident) => {
        |url: &str| {
            $krate::Client::builder()
                .base_url(url)
                .retry(RetryPolicy::disabled())
                .build()
                .expect("a loopback URL is valid")
        }
    };
}

fn subjects() -> Vec<Subject> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixture = |name: &str| Spec::load(&root.join("fixtures").join(name));
    let config =
        openapi_clientgen::Config::read(&root.join("../spec/codegen.toml")).expect("settings");
    vec![
        Subject {
            name: "spec/openapi.yaml",
            spec: Spec::project(),
            drivers: drivers(
                atlas_admin::operations::described(),
                client_of!(atlas_admin),
            ),
            reshaping: config.envelope.map(|envelope| envelope.parameter),
        },
        Subject {
            name: "composition.yaml",
            spec: fixture("composition.yaml"),
            drivers: drivers(
                snapshot_composition::operations::described(),
                client_of!(snapshot_composition),
            ),
            reshaping: None,
        },
        Subject {
            name: "enums.yaml",
            spec: fixture("enums.yaml"),
            drivers: drivers(
                snapshot_enums::operations::described(),
                client_of!(snapshot_enums),
            ),
            reshaping: None,
        },
        Subject {
            name: "formats.yaml",
            spec: fixture("formats.yaml"),
            drivers: drivers(
                snapshot_formats::operations::described(),
                client_of!(snapshot_formats),
            ),
            reshaping: None,
        },
        Subject {
            name: "objects.yaml",
            spec: fixture("objects.yaml"),
            drivers: drivers(
                snapshot_objects::operations::described(),
                client_of!(snapshot_objects),
            ),
            reshaping: None,
        },
        Subject {
            name: "parameters.yaml",
            spec: fixture("parameters.yaml"),
            drivers: drivers(
                snapshot_parameters::operations::described(),
                client_of!(snapshot_parameters),
            ),
            reshaping: None,
        },
        Subject {
            name: "names.yaml",
            spec: fixture("names.yaml"),
            drivers: drivers(
                snapshot_names::operations::described(),
                client_of!(snapshot_names),
            ),
            reshaping: None,
        },
        Subject {
            name: "references.yaml",
            spec: fixture("references.yaml"),
            drivers: drivers(
                snapshot_references::operations::described(),
                client_of!(snapshot_references),
            ),
            reshaping: None,
        },
        Subject {
            name: "responses.yaml",
            spec: fixture("responses.yaml"),
            drivers: drivers(
                snapshot_responses::operations::described(),
                client_of!(snapshot_responses),
            ),
            reshaping: None,
        },
        Subject {
            name: "paging.yaml",
            spec: fixture("paging.yaml"),
            drivers: drivers(
                snapshot_paging::operations::described(),
                client_of!(snapshot_paging),
            ),
            reshaping: None,
        },
        Subject {
            name: "streams.yaml",
            spec: fixture("streams.yaml"),
            drivers: drivers(
                snapshot_streams::operations::described(),
                client_of!(snapshot_streams),
            ),
            reshaping: None,
        },
    ]
}

/// One value of `node`, from a runner that is the same on every run.
fn sample(spec: &Spec, node: &Value, runner: &mut TestRunner) -> Value {
    generate::instance(spec, node, 0)
        .new_tree(runner)
        .unwrap_or_else(|e| panic!("a value of {node}: {e}"))
        .current()
}

/// Parameter values the client can send as they are: a path segment that
/// is neither empty nor `.`/`..` (nor a list whose items join into one), a
/// header value of visible ASCII.
fn sendable(location: &str, value: Value) -> Value {
    match (location, value) {
        ("path", Value::String(text)) if matches!(text.as_str(), "" | "." | "..") => {
            json!(format!("p{text}"))
        }
        ("path", Value::Array(items)) => Value::Array(
            items
                .into_iter()
                .map(|item| sendable(location, item))
                .collect(),
        ),
        ("header", Value::String(text)) => Value::String(
            text.chars()
                .map(|c| if c.is_ascii_graphic() { c } else { '-' })
                .collect(),
        ),
        (_, value) => value,
    }
}

/// The inputs of a call: every parameter (or only the required ones) and
/// the body; for an operation offered in several versions, the first one
/// its success response declares, which is what `departures` expects.
fn inputs(
    subject: &Subject,
    operation: &OperationRef<'_>,
    all: bool,
    runner: &mut TestRunner,
) -> Value {
    let spec = &subject.spec;
    let mut input = serde_json::Map::new();
    for parameter in &operation.parameters {
        let name = parameter["name"].as_str().expect("a name");
        let required = parameter["required"] == true;
        if subject.reshaping.as_deref() == Some(name) || !(required || all) {
            continue;
        }
        let location = parameter["in"].as_str().unwrap_or_default();
        let value = sample(spec, &parameter["schema"], runner);
        input.insert(name.to_owned(), sendable(location, value));
    }
    if let Some(body) = operation.node.get("requestBody").map(|b| spec.resolve(b))
        && (body["required"] == true || all)
    {
        let content = body["content"].as_object().expect("content");
        let (_, media) = content.iter().next().expect("a media type");
        input.insert("body".to_owned(), sample(spec, &media["schema"], runner));
    }
    let versions = success_responses(spec, operation)
        .first()
        .and_then(|(_, response)| response["content"].as_object())
        .filter(|content| content.len() > 1)
        .and_then(|content| content.keys().next().cloned());
    if let Some(media_type) = versions {
        input.insert("mediaType".to_owned(), json!(media_type));
    }
    Value::Object(input)
}

fn responses<'s>(spec: &'s Spec, operation: &OperationRef<'s>) -> Vec<(String, &'s Value)> {
    operation.node["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(status, response)| (status.clone(), spec.resolve(response)))
        .collect()
}

fn success_responses<'s>(spec: &'s Spec, operation: &OperationRef<'s>) -> Vec<(String, &'s Value)> {
    responses(spec, operation)
        .into_iter()
        .filter(|(status, _)| status.starts_with('2'))
        .collect()
}

/// A status code for a declared key: itself, or for a class (`5XX`) the
/// first code of it no other key declares.
fn code(key: &str, declared: &[String]) -> u16 {
    if let Ok(code) = key.parse() {
        return code;
    }
    if key == "default" {
        // Success when nothing else is; otherwise an undeclared error status.
        let class = if declared.iter().any(|other| other.starts_with('2')) {
            "4XX"
        } else {
            "2XX"
        };
        return code(class, declared);
    }
    let class: u16 = key[..1].parse().expect("a status class");
    (class * 100..class * 100 + 100)
        .find(|code| !declared.contains(&code.to_string()))
        .expect("a free code")
}

/// The answer for one declared response: status, media type and body (JSON,
/// or text for other media types), and the body the client must report.
fn answer(
    spec: &Spec,
    response: &Value,
    chosen: Option<&str>,
    runner: &mut TestRunner,
) -> (Option<String>, Vec<u8>, Value) {
    let Some(content) = response["content"].as_object().filter(|c| !c.is_empty()) else {
        return (None, Vec::new(), Value::Null);
    };
    let (media_type, media) = chosen
        .and_then(|chosen| content.get_key_value(chosen))
        .unwrap_or_else(|| content.iter().next().expect("a media type"));
    if let Some(sequence) = openapi_clientgen::media::sequence(media_type) {
        let (bytes, items) = sequence_of_items(spec, media.get("schema"), sequence, runner);
        return (Some(media_type.clone()), bytes, items);
    }
    let json = openapi_clientgen::media::is_json(media_type);
    if !json {
        let text = "log line 1\nlog line 2\n";
        return (
            Some(media_type.clone()),
            text.as_bytes().to_vec(),
            json!(text),
        );
    }
    // Without a schema the client reads no body, whatever comes.
    let Some(schema) = media.get("schema") else {
        return (Some(media_type.clone()), Vec::new(), Value::Null);
    };
    let body = sample(spec, schema, runner);
    let bytes = serde_json::to_vec(&body).expect("JSON");
    (Some(media_type.clone()), bytes, body)
}

/// A body that is a sequence of three items generated from `schema` (one
/// item's, or an array's whose items they are), framed as `sequence` says,
/// and the items the client must report: an event's data as text when its
/// schema is a string, else as JSON.
fn sequence_of_items(
    spec: &Spec,
    schema: Option<&Value>,
    sequence: openapi_clientgen::media::Sequence,
    runner: &mut TestRunner,
) -> (Vec<u8>, Value) {
    use openapi_clientgen::media::Sequence;
    let item_schema = schema.map(|schema| {
        let resolved = spec.resolve(schema);
        if resolved["type"] == "array" {
            &resolved["items"]
        } else {
            schema
        }
    });
    let text = item_schema.is_none_or(|schema| schema["type"] == "string");
    let mut body = String::new();
    let mut items = Vec::new();
    for _ in 0..3 {
        let item = match item_schema {
            Some(schema) => sample(spec, schema, runner),
            None => json!("an event"),
        };
        match (sequence, &item) {
            (Sequence::Events, Value::String(data)) if text => {
                // A CR ends a line in an event stream: it cannot be data.
                let data = data.replace('\r', "");
                for line in data.split('\n') {
                    body.push_str(&format!("data: {line}\n"));
                }
                body.push('\n');
                items.push(json!(data));
                continue;
            }
            (Sequence::Events, _) => body.push_str(&format!("data: {item}\n\n")),
            (Sequence::JsonLines, _) => body.push_str(&format!("{item}\n")),
            (Sequence::JsonSequence, _) => body.push_str(&format!("\u{1e}{item}\n")),
        }
        items.push(item);
    }
    (body.into_bytes(), Value::Array(items))
}

/// Everything wrong with one call of `operation` answered with `key`.
async fn call_once(
    subject: &Subject,
    server: &MockServer,
    operation: &OperationRef<'_>,
    key: &str,
    input: &Value,
    runner: &mut TestRunner,
) -> Vec<String> {
    let spec = &subject.spec;
    let declared: Vec<String> = responses(spec, operation)
        .into_iter()
        .map(|(status, _)| status)
        .collect();
    let response = spec.resolve(&operation.node["responses"][key]);
    let status = code(key, &declared);
    let chosen = input.get("mediaType").and_then(Value::as_str);
    let (media_type, bytes, expected) = answer(spec, response, chosen, runner);
    server.reset().await;
    let mut template = ResponseTemplate::new(status);
    if let Some(media_type) = &media_type {
        template = template.set_body_raw(bytes, media_type.as_str());
    }
    Mock::given(wiremock::matchers::any())
        .respond_with(template)
        .mount(server)
        .await;
    let outcome = (subject.drivers[operation.id])(server.uri(), input.clone()).await;
    let at = format!("{} {} answered {status}", subject.name, operation.id);
    let mut problems = Vec::new();
    let expected_outcome = if (200..300).contains(&status) {
        Outcome::Success {
            status,
            body: expected.clone(),
        }
    } else {
        Outcome::ErrorResponse {
            status,
            body: expected.clone(),
        }
    };
    let matches = match (&outcome, &expected_outcome) {
        (
            Outcome::Success { status, body } | Outcome::ErrorResponse { status, body },
            Outcome::Success {
                status: want,
                body: wanted,
            }
            | Outcome::ErrorResponse {
                status: want,
                body: wanted,
            },
        ) => {
            std::mem::discriminant(&outcome) == std::mem::discriminant(&expected_outcome)
                && status == want
                && without_nulls(body) == without_nulls(wanted)
        }
        _ => false,
    };
    if !matches {
        problems.push(format!(
            "{at} with {input}: came back as {outcome:?}, expected {expected_outcome:?}"
        ));
    }
    let requests = server.received_requests().await.unwrap_or_default();
    match requests.as_slice() {
        [request] => {
            for departure in request::departures(spec, operation, request) {
                problems.push(format!(
                    "{at}: the request departs from the spec: {departure}"
                ));
            }
            for problem in inputs_on_the_wire(spec, operation, input, request) {
                problems.push(format!("{at}: {problem}"));
            }
        }
        other => problems.push(format!("{at}: {} requests instead of one", other.len())),
    }
    problems
}

/// Every query and header input set must be on the wire.
fn inputs_on_the_wire(
    spec: &Spec,
    operation: &OperationRef<'_>,
    input: &Value,
    request: &wiremock::Request,
) -> Vec<String> {
    let mut out = Vec::new();
    for parameter in &operation.parameters {
        let name = parameter["name"].as_str().unwrap_or_default();
        // An empty array has no pairs to send (`form`, exploded).
        match input.get(name) {
            None => continue,
            Some(Value::Array(items)) if items.is_empty() => continue,
            // Nor an object without fields (`deepObject`, exploded `form`).
            Some(Value::Object(fields)) if fields.values().all(Value::is_null) => continue,
            Some(_) => {}
        }
        let present = match parameter["in"].as_str() {
            Some("query") => {
                let mut pairs: Vec<(String, String, bool)> = request
                    .url
                    .query_pairs()
                    .map(|(key, value)| (key.into_owned(), value.into_owned(), false))
                    .collect();
                request::read_query(spec, name, parameter, &mut pairs).is_some()
            }
            Some("header") => request.headers.contains_key(name),
            Some("cookie") => request
                .headers
                .get_all("cookie")
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(|header| header.split(';'))
                .any(|pair| {
                    pair.trim()
                        .split_once('=')
                        .is_some_and(|(key, _)| key == name)
                }),
            _ => true,
        };
        if !present {
            out.push(format!("the input `{name}` was not sent"));
        }
    }
    // A form body: every field given, as its text.
    let form = operation.node["requestBody"]["content"]
        .as_object()
        .and_then(|content| content.keys().next())
        .is_some_and(|media_type| openapi_clientgen::media::is_form(media_type));
    if let (true, Some(Value::Object(fields))) = (form, input.get("body")) {
        let mut sent: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, value) in url::form_urlencoded::parse(&request.body).into_owned() {
            sent.entry(name).or_default().push(value);
        }
        let encoding = operation.node["requestBody"]["content"]
            .as_object()
            .and_then(|content| content.values().next())
            .map(|media| &media["encoding"]);
        for (name, value) in fields {
            // A list is one pair per item (`form`, exploded by default), or
            // one pair of its items joined by commas with `explode: false`.
            let explode = encoding
                .and_then(|encoding| encoding[name]["explode"].as_bool())
                .unwrap_or(true);
            let given: Vec<String> = match value {
                Value::Null => Vec::new(),
                Value::Array(items) if explode => items.iter().map(text_of).collect(),
                Value::Array(items) if items.is_empty() => Vec::new(),
                Value::Array(items) => {
                    vec![items.iter().map(text_of).collect::<Vec<_>>().join(",")]
                }
                other => vec![text_of(other)],
            };
            let pairs = sent.get(name).cloned().unwrap_or_default();
            if pairs != given {
                out.push(format!(
                    "form field `{name}` sent as {pairs:?}, given {given:?}"
                ));
            }
        }
    }
    // A multipart body: every field given, each item of an array a part,
    // text and files as the very text given.
    let multipart = operation.node["requestBody"]["content"]
        .as_object()
        .and_then(|content| content.keys().next())
        .is_some_and(|media_type| openapi_clientgen::media::is_multipart(media_type));
    if let (true, Some(Value::Object(fields))) = (multipart, input.get("body")) {
        let parts = request::multipart_parts(request).unwrap_or_default();
        for (name, value) in fields {
            let sent: Vec<String> = parts
                .iter()
                .filter(|(part, _, _)| part == name)
                .map(|(_, _, bytes)| String::from_utf8_lossy(bytes).into_owned())
                .collect();
            let given: Vec<String> = match value {
                Value::Null => Vec::new(),
                Value::Array(items) => items.iter().map(text_of).collect(),
                other => vec![text_of(other)],
            };
            if sent != given {
                out.push(format!(
                    "multipart field `{name}` sent as {sent:?}, given {given:?}"
                ));
            }
        }
    }
    // A body that is not JSON must arrive as the very text given.
    let raw = operation.node["requestBody"]["content"]
        .as_object()
        .and_then(|content| content.keys().next())
        .is_some_and(|media_type| {
            !openapi_clientgen::media::is_json(media_type)
                && !openapi_clientgen::media::is_form(media_type)
        });
    if let Some(Value::String(text)) = input.get("body")
        && raw
        && request.body != text.as_bytes()
    {
        out.push(format!(
            "the body {:?} arrived as {:?}",
            text,
            String::from_utf8_lossy(&request.body)
        ));
    }
    out
}

#[tokio::test]
async fn every_operation_sends_what_it_declares_and_decodes_every_declared_answer() {
    let server = MockServer::start().await;
    let mut runner = TestRunner::deterministic();
    let mut problems = Vec::new();
    let mut calls = 0;
    for subject in subjects() {
        let operations = subject.spec.operations();
        assert_eq!(
            operations.len(),
            subject.drivers.len(),
            "{}: one driver per operation",
            subject.name
        );
        for operation in &operations {
            let keys: Vec<String> = responses(&subject.spec, operation)
                .into_iter()
                .map(|(status, _)| status)
                .collect();
            for key in &keys {
                for all in [true, false] {
                    let input = inputs(&subject, operation, all, &mut runner);
                    problems.extend(
                        call_once(&subject, &server, operation, key, &input, &mut runner).await,
                    );
                    calls += 1;
                }
            }
        }
    }
    assert!(calls > 40, "only {calls} calls");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn a_missing_required_input_is_refused_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let mut runner = TestRunner::deterministic();
    let mut problems = Vec::new();
    let mut checked = 0;
    for subject in subjects() {
        for operation in &subject.spec.operations() {
            let full = inputs(&subject, operation, true, &mut runner);
            let required: Vec<String> = operation
                .parameters
                .iter()
                .filter(|p| p["required"] == true)
                .filter_map(|p| p["name"].as_str().map(str::to_owned))
                .chain(
                    operation
                        .node
                        .get("requestBody")
                        .map(|b| subject.spec.resolve(b))
                        .filter(|b| b["required"] == true)
                        .map(|_| "body".to_owned()),
                )
                .collect();
            for name in required {
                let mut input = full.clone();
                input.as_object_mut().expect("an object").remove(&name);
                server.reset().await;
                let outcome = (subject.drivers[operation.id])(server.uri(), input).await;
                let sent = server.received_requests().await.unwrap_or_default().len();
                checked += 1;
                match outcome {
                    Outcome::Refused(message) if sent == 0 && message.contains(&name) => {}
                    other => problems.push(format!(
                        "{} {} without `{name}`: {other:?}, {sent} requests sent",
                        subject.name, operation.id
                    )),
                }
            }
        }
    }
    assert!(checked > 15, "only {checked} required inputs");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn dot_segments_in_any_string_path_parameter_are_refused_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let mut runner = TestRunner::deterministic();
    let mut problems = Vec::new();
    let mut checked = 0;
    for subject in subjects() {
        for operation in &subject.spec.operations() {
            let full = inputs(&subject, operation, false, &mut runner);
            let strings = operation.parameters.iter().filter(|p| {
                p["in"] == "path" && subject.spec.resolve(&p["schema"])["type"] == "string"
            });
            for parameter in strings {
                let name = parameter["name"].as_str().unwrap_or_default();
                for segment in ["", ".", ".."] {
                    let mut input = full.clone();
                    input[name] = json!(segment);
                    server.reset().await;
                    let outcome = (subject.drivers[operation.id])(server.uri(), input).await;
                    let sent = server.received_requests().await.unwrap_or_default().len();
                    checked += 1;
                    if !matches!(&outcome, Outcome::Refused(message) if message.contains(name))
                        || sent != 0
                    {
                        problems.push(format!(
                            "{} {} with `{name}` = {segment:?}: {outcome:?}, {sent} requests sent",
                            subject.name, operation.id
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 30, "only {checked} path parameters");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A field's value as a form or text part carries it: a string as it is,
/// anything else as its JSON text.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[tokio::test]
async fn headers_that_hold_lists_and_objects_are_written_in_the_simple_style() {
    use snapshot_parameters::types::{GetBookXFilter, GetBookXFilterOption1};
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"title": "t"})))
        .mount(&server)
        .await;
    let client = snapshot_parameters::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("builds");
    let filter =
        GetBookXFilter::GetBookXFilterOption1(GetBookXFilterOption1::new("admin".to_owned()));
    client
        .get_book()
        .shelf_id("AB1")
        .index(0)
        .limit(1)
        .x_api_secret("s")
        .x_tags(vec!["red".to_owned(), "blue".to_owned()])
        .x_filter(filter)
        .send()
        .await
        .expect("sent");
    let received = server.received_requests().await.expect("recorded");
    let header = |name: &str| {
        received[0]
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(header("x-tags").as_deref(), Some("red,blue"));
    // `explode: true`: key=value pairs.
    assert_eq!(header("x-filter").as_deref(), Some("role=admin"));
    // A value a header cannot carry is refused before anything is sent.
    let refused = client
        .get_book()
        .shelf_id("AB1")
        .index(0)
        .limit(1)
        .x_api_secret("s")
        .x_filter(GetBookXFilter::GetBookXFilterOption1(
            GetBookXFilterOption1::new("a\nb".to_owned()),
        ))
        .send()
        .await;
    assert!(
        matches!(refused, Err(snapshot_parameters::Error::InvalidRequest(_))),
        "{refused:?}"
    );
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1);
}

#[tokio::test]
async fn a_list_in_a_path_segment_is_its_items_encoded_and_joined_by_commas() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path(
        "/shelves/logs,metrics-%2A,a%2Cb/count",
    ))
    .respond_with(ResponseTemplate::new(200).set_body_json(json!(7)))
    .mount(&server)
    .await;
    let client = snapshot_parameters::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("builds");
    let shelves = ["logs", "metrics-*", "a,b"].map(str::to_owned).to_vec();
    let count = client
        .count_books()
        .shelf_ids(shelves.clone())
        .send()
        .await
        .expect("the server answers the joined list");
    assert_eq!(count.into_inner(), 7);
    // An empty list would leave an empty segment, which changes the path:
    // refused before anything is sent (and `minItems: 1` says so too).
    let refused = client.count_books().shelf_ids(Vec::new()).send().await;
    assert!(
        matches!(refused, Err(snapshot_parameters::Error::InvalidRequest(_))),
        "{refused:?}"
    );
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1);
    // The crate's own mock matches the list as the server reads it.
    let mock = snapshot_parameters::mock::MockServer::start().await;
    mock.count_books()
        .shelf_ids(shelves.clone())
        .responds(3)
        .await;
    let count = mock.client().count_books().shelf_ids(shelves).send().await;
    assert_eq!(count.expect("matched").into_inner(), 3);
}

#[tokio::test]
async fn a_multipart_body_that_is_one_of_two_objects_sends_the_parts_of_the_one_it_holds() {
    use snapshot_parameters::types::{
        AudioReview, AudioReviewKind, PostReviewBody, TextReview, TextReviewKind,
    };
    let (server, client) = answering_204().await;
    let recording =
        client_runtime::Binary::from(b"RIFF-audio".to_vec()).with_file_name("take1.wav");
    let audio = AudioReview::new(AudioReviewKind::Audio, recording).with_minutes(3);
    client
        .post_review()
        .isbn("978")
        .body(PostReviewBody::from(audio))
        .send()
        .await
        .expect("sent");
    client
        .post_review()
        .isbn("978")
        .body(PostReviewBody::TextReview(TextReview::new(
            TextReviewKind::Text,
            "Gripping.".to_owned(),
        )))
        .send()
        .await
        .expect("sent");
    let received = server.received_requests().await.expect("recorded");
    let parts = |index: usize| {
        request::multipart_parts(&received[index])
            .expect("multipart")
            .into_iter()
            .map(|(name, media_type, bytes)| {
                (
                    name,
                    media_type,
                    String::from_utf8_lossy(&bytes).into_owned(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        parts(0),
        [
            ("kind".to_owned(), None, "audio".to_owned()),
            (
                "recording".to_owned(),
                Some("application/octet-stream".to_owned()),
                "RIFF-audio".to_owned()
            ),
            ("minutes".to_owned(), None, "3".to_owned()),
        ]
    );
    assert_eq!(
        parts(1),
        [
            ("kind".to_owned(), None, "text".to_owned()),
            ("text".to_owned(), None, "Gripping.".to_owned()),
        ]
    );
}

#[tokio::test]
async fn one_value_or_a_list_in_a_path_segment_is_written_from_what_it_holds() {
    use snapshot_parameters::types::RefreshShelvesShelves;
    let (server, client) = answering_204().await;
    let list = RefreshShelvesShelves::List(["logs", "a,b"].map(str::to_owned).to_vec());
    client
        .refresh_shelves()
        .shelves(list.clone())
        .send()
        .await
        .expect("sent");
    client
        .refresh_shelves()
        .shelves(RefreshShelvesShelves::String("x/y".to_owned()))
        .send()
        .await
        .expect("sent");
    // An empty list leaves no segment: refused, naming the parameter.
    let refused = client
        .refresh_shelves()
        .shelves(RefreshShelvesShelves::List(Vec::new()))
        .send()
        .await;
    assert!(
        matches!(&refused, Err(snapshot_parameters::Error::InvalidRequest(problem)) if problem.to_string().contains("shelves")),
        "{refused:?}"
    );
    let paths: Vec<String> = server
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .map(|request| request.url.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        ["/shelves/logs,a%2Cb/refresh", "/shelves/x%2Fy/refresh"]
    );
    // The crate's mock matches the value as the request writes it.
    let mock = snapshot_parameters::mock::MockServer::start().await;
    mock.refresh_shelves()
        .shelves(list.clone())
        .responds()
        .await;
    mock.client()
        .refresh_shelves()
        .shelves(list)
        .send()
        .await
        .expect("matched");
}

/// A loopback server that answers 204 to anything, and a client of the
/// parameters fixture pointed at it.
async fn answering_204() -> (MockServer, snapshot_parameters::Client) {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = snapshot_parameters::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("builds");
    (server, client)
}
