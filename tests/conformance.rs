//! Conformance: driven by the spec itself, the generated types and requests
//! must match it. Read a failure as "path: what the spec says, what the crate does".

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use atlas_admin::types::{self, AiModelApiKeyUpdateRequest, UpdateAtlasOrganizationApiKey};
use atlas_admin::{Client, RetryPolicy};
use client_runtime::__private::{Refusal, TypeEntry};
use proptest::strategy::{BoxedStrategy, Strategy};
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;
use wire_tests::schema::{Spec, canon, generate, json_schema, request, violate, without_nulls};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn described(entries: &[TypeEntry]) -> Vec<(String, String, Value)> {
    entries
        .iter()
        .map(|entry| {
            (
                entry.pointer.to_owned(),
                entry.name.to_owned(),
                (entry.schema)().to_value(),
            )
        })
        .collect()
}

/// A spec and the crate generated from it.
struct Subject {
    name: &'static str,
    spec: Spec,
    entries: Vec<TypeEntry>,
}

impl Subject {
    fn by_pointer(&self) -> BTreeMap<&'static str, TypeEntry> {
        self.entries
            .iter()
            .map(|entry| (entry.pointer, *entry))
            .collect()
    }
}

/// The project's spec and every fixture, each with its generated crate.
fn subjects() -> Vec<Subject> {
    let fixture = |name| Spec::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(name));
    vec![
        Subject {
            name: "spec/openapi.yaml",
            spec: Spec::project(),
            entries: types::described(),
        },
        Subject {
            name: "tests/fixtures/composition.yaml",
            spec: fixture("fixtures/composition.yaml"),
            entries: snapshot_composition::types::described(),
        },
        Subject {
            name: "tests/fixtures/enums.yaml",
            spec: fixture("fixtures/enums.yaml"),
            entries: snapshot_enums::types::described(),
        },
        Subject {
            name: "tests/fixtures/formats.yaml",
            spec: fixture("fixtures/formats.yaml"),
            entries: snapshot_formats::types::described(),
        },
        Subject {
            name: "tests/fixtures/objects.yaml",
            spec: fixture("fixtures/objects.yaml"),
            entries: snapshot_objects::types::described(),
        },
        Subject {
            name: "tests/fixtures/parameters.yaml",
            spec: fixture("fixtures/parameters.yaml"),
            entries: snapshot_parameters::types::described(),
        },
        Subject {
            name: "tests/fixtures/names.yaml",
            spec: fixture("fixtures/names.yaml"),
            entries: snapshot_names::types::described(),
        },
        Subject {
            name: "tests/fixtures/references.yaml",
            spec: fixture("fixtures/references.yaml"),
            entries: snapshot_references::types::described(),
        },
        Subject {
            name: "tests/fixtures/responses.yaml",
            spec: fixture("fixtures/responses.yaml"),
            entries: snapshot_responses::types::described(),
        },
        Subject {
            name: "tests/fixtures/fastapi.json",
            spec: fixture("fixtures/fastapi.json"),
            entries: snapshot_fastapi::types::described(),
        },
        Subject {
            name: "tests/fixtures/axum.json",
            spec: fixture("fixtures/axum.json"),
            entries: snapshot_axum::types::described(),
        },
        Subject {
            name: "tests/fixtures/paging.yaml",
            spec: fixture("fixtures/paging.yaml"),
            entries: snapshot_paging::types::described(),
        },
        Subject {
            name: "tests/fixtures/streams.yaml",
            spec: fixture("fixtures/streams.yaml"),
            entries: snapshot_streams::types::described(),
        },
    ]
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

#[test]
fn every_reachable_schema_matches_its_generated_type() {
    let mut compared = 0;
    for subject in subjects() {
        let spec = &subject.spec;
        let mismatches = canon::compare(spec, &described(&subject.entries));
        assert!(
            mismatches.is_empty(),
            "{}: the generated types differ from the spec:\n{}",
            subject.name,
            mismatches.join("\n")
        );
        compared += spec.reachable_schemas().len();
    }
    assert!(compared >= 25, "only {compared} schemas compared");
}

#[test]
fn every_example_fits_its_schema_and_round_trips() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for subject in subjects() {
        checked += examples_fit_and_round_trip(&subject, &mut failures);
    }
    assert!(checked >= 11, "only {checked} examples found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Checks every example of the subject's spec; returns how many.
fn examples_fit_and_round_trip(subject: &Subject, failures: &mut Vec<String>) -> usize {
    let spec = &subject.spec;
    let entries = subject.by_pointer();
    let mut checked = 0;
    let mut pending = vec![(format!("{}#", subject.name), &spec.root)];
    while let Some((at, node)) = pending.pop() {
        let Some(map) = node.as_object() else {
            if let Some(items) = node.as_array() {
                pending.extend(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| (format!("{at}/{i}"), item)),
                );
            }
            continue;
        };
        for (key, child) in map {
            if key != "example" {
                pending.push((format!("{at}/{key}"), child));
            }
        }
        let Some(example) = map.get("example") else {
            continue;
        };
        // A media type or parameter names its schema; otherwise the node is the schema.
        let schema = map.get("schema").unwrap_or(node);
        checked += 1;
        for problem in json_schema::problems(spec, schema, example) {
            failures.push(format!("{at}/example: {problem}"));
        }
        if let Some(name) = Spec::ref_name(schema) {
            let entry = entries[format!("#/components/schemas/{name}").as_str()];
            match (entry.check)(example.clone()) {
                Ok(back) if without_nulls(&back) == without_nulls(example) => {}
                Ok(back) => failures.push(format!("{at}/example: comes back as {back}")),
                Err(refusal) => failures.push(format!(
                    "{at}/example: refused by {}: {refusal:?}",
                    entry.name
                )),
            }
        }
    }
    checked
}

#[test]
fn generated_instances_round_trip_and_fit_the_spec() {
    for subject in subjects() {
        instances_round_trip(&subject);
    }
}

fn instances_round_trip(subject: &Subject) {
    let spec = &subject.spec;
    let entries = subject.by_pointer();
    for name in spec.reachable_schemas() {
        let schema = spec.schema(&name).clone();
        let entry = entries[format!("#/components/schemas/{name}").as_str()];
        let validator = json_schema::validator(spec, &schema);
        runner(48)
            .run(&generate::instance(spec, &schema, 0), |value| {
                let problems: Vec<String> = validator
                    .iter_errors(&value)
                    .map(|e| e.to_string())
                    .collect();
                if !problems.is_empty() {
                    return Err(TestCaseError::fail(format!(
                        "generator produced an invalid {name}: {problems:?}"
                    )));
                }
                let back = (entry.check)(value.clone()).map_err(|refusal| {
                    TestCaseError::fail(format!("{name} refused a valid {value}: {refusal:?}"))
                })?;
                if without_nulls(&back) != without_nulls(&value) {
                    return Err(TestCaseError::fail(format!(
                        "{name}: {value} came back as {back}"
                    )));
                }
                if !validator.is_valid(&back) {
                    return Err(TestCaseError::fail(format!(
                        "{name}: the re-encoded {back} does not fit the spec"
                    )));
                }
                Ok(())
            })
            .unwrap_or_else(|failure| panic!("{name}: {failure}"));
    }
}

#[test]
fn instances_breaking_one_constraint_are_refused_naming_the_field() {
    let mut rules_seen = std::collections::BTreeSet::new();
    for subject in subjects() {
        rules_seen.extend(violations_are_refused(&subject));
    }
    for rule in [
        "required",
        "minLength",
        "maxLength",
        "pattern",
        "pattern anchors",
        "minimum",
        "maximum",
        "minItems",
        "maxItems",
        "minProperties",
        "maxProperties",
        "enum",
    ] {
        assert!(
            rules_seen.contains(rule),
            "no instance exercised {rule}: {rules_seen:?}"
        );
    }
}

/// Breaks one constraint at a time; returns the rules exercised.
fn violations_are_refused(subject: &Subject) -> std::collections::BTreeSet<&'static str> {
    let spec = &subject.spec;
    let entries = subject.by_pointer();
    let mut rules_seen = std::collections::BTreeSet::new();
    for name in spec.reachable_schemas() {
        let schema = spec.schema(&name).clone();
        let entry = entries[format!("#/components/schemas/{name}").as_str()];
        let seen = std::cell::RefCell::new(Vec::new());
        runner(32)
            .run(&generate::instance(spec, &schema, 0), |value| {
                for broken in violate::violations(spec, &schema, &value, "") {
                    seen.borrow_mut().push(broken.rule);
                    let leaf = broken
                        .field
                        .rsplit(['.', '['])
                        .next()
                        .unwrap_or_default()
                        .to_owned();
                    match (entry.check)(broken.instance.clone()) {
                        Err(Refusal::Invalid(errors))
                            if errors.fields().any(|field| field == broken.field) => {}
                        Err(Refusal::Undecodable(message))
                            if broken.rule == "required"
                                && message.contains(&format!("`{leaf}`")) => {}
                        other => {
                            return Err(TestCaseError::fail(format!(
                                "{name}: breaking {} at `{}` with {} gave {other:?}",
                                broken.rule, broken.field, broken.instance
                            )));
                        }
                    }
                }
                Ok(())
            })
            .unwrap_or_else(|failure| panic!("{name}: {failure}"));
        rules_seen.extend(seen.into_inner());
    }
    rules_seen
}

/// A strategy for one parameter of an operation, from its schema.
fn parameter(spec: &Spec, operation: &str, name: &str) -> BoxedStrategy<Value> {
    let operations = spec.operations();
    let operation = operations
        .iter()
        .find(|op| op.id == operation)
        .expect("operation");
    let parameter = operation
        .parameters
        .iter()
        .find(|p| p["name"] == name)
        .expect("parameter");
    generate::instance(spec, &parameter["schema"], 0)
}

fn body(spec: &Spec, operation: &str) -> BoxedStrategy<Value> {
    let operations = spec.operations();
    let operation = operations
        .iter()
        .find(|op| op.id == operation)
        .expect("operation");
    let content = spec.resolve(&operation.node["requestBody"])["content"]
        .as_object()
        .expect("content")
        .clone();
    let schema = content.values().next().expect("a media type")["schema"].clone();
    generate::instance(spec, &schema, 0)
}

fn text(value: &Value) -> &str {
    value.as_str().expect("a string parameter")
}

#[test]
fn requests_for_generated_inputs_fit_their_operation() {
    let spec = Spec::project();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = runtime.block_on(MockServer::start());
    let client = Client::builder()
        .base_url(server.uri())
        .retry(RetryPolicy::disabled())
        .build()
        .expect("valid");
    let operations = spec.operations();
    let flag = || proptest::option::of(proptest::bool::ANY);

    let check = |id: &str| -> Result<(), TestCaseError> {
        let operation = operations.iter().find(|op| op.id == id).expect("operation");
        let requests = runtime
            .block_on(server.received_requests())
            .unwrap_or_default();
        let [request] = requests.as_slice() else {
            return Err(TestCaseError::fail(format!(
                "{id}: expected one request, got {}",
                requests.len()
            )));
        };
        let departures = request::departures(&spec, operation, request);
        if departures.is_empty() {
            Ok(())
        } else {
            Err(TestCaseError::fail(format!("{id}: {departures:?}")))
        }
    };
    let reset = |media_type: &'static str, body: &'static str| {
        runtime.block_on(async {
            server.reset().await;
            Mock::given(wiremock::matchers::any())
                .respond_with(ResponseTemplate::new(200).set_body_raw(body, media_type))
                .mount(&server)
                .await;
        });
    };

    let strategy = (
        parameter(&spec, "updateOrgApiKey", "orgId"),
        parameter(&spec, "updateOrgApiKey", "apiUserId"),
        flag(),
        flag(),
        body(&spec, "updateOrgApiKey"),
    );
    runner(32)
        .run(&strategy, |(org, user, envelope, pretty, body)| {
            // A call that asks for an envelope must get one back.
            let answer = if envelope == Some(true) {
                r#"{"status": 200, "content": {}}"#
            } else {
                "{}"
            };
            reset("application/json", answer);
            let body: UpdateAtlasOrganizationApiKey =
                serde_json::from_value(body).expect("a generated body decodes");
            let mut call = client
                .update_org_api_key()
                .org_id(text(&org))
                .api_user_id(text(&user))
                .body(body);
            if let Some(envelope) = envelope {
                call = call.envelope(envelope);
            }
            if let Some(pretty) = pretty {
                call = call.pretty(pretty);
            }
            runtime
                .block_on(call.send())
                .map_err(|error| TestCaseError::fail(format!("{error}")))?;
            check("updateOrgApiKey")
        })
        .unwrap_or_else(|failure| panic!("{failure}"));

    let strategy = (
        parameter(&spec, "updateGroupAiModelApiKey", "groupId"),
        "[a-zA-Z0-9 ./?#%é-]{3,30}"
            .prop_filter("a segment", |id| !matches!(id.as_str(), "." | "..")),
        flag(),
        body(&spec, "updateGroupAiModelApiKey"),
    );
    runner(32)
        .run(&strategy, |(group, key, pretty, body)| {
            reset("application/vnd.atlas.preview+json", "{}");
            let body: AiModelApiKeyUpdateRequest =
                serde_json::from_value(body).expect("a generated body decodes");
            let mut call = client
                .update_group_ai_model_api_key()
                .group_id(text(&group))
                .api_key_id(&key)
                .body(body);
            if let Some(pretty) = pretty {
                call = call.pretty(pretty);
            }
            runtime
                .block_on(call.send())
                .map_err(|error| TestCaseError::fail(format!("{error}")))?;
            check("updateGroupAiModelApiKey")?;
            let requests = runtime
                .block_on(server.received_requests())
                .unwrap_or_default();
            let sent = percent_encoding::percent_decode_str(
                requests[0]
                    .url
                    .path()
                    .rsplit('/')
                    .next()
                    .unwrap_or_default(),
            )
            .decode_utf8_lossy()
            .into_owned();
            if sent != key {
                return Err(TestCaseError::fail(format!(
                    "apiKeyId {key:?} arrived as {sent:?}"
                )));
            }
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
}

/// The conformance comparison run on a crate generated from a changed spec,
/// compiled in a scratch folder, against the unchanged spec.
fn mismatches_of_crate_generated_from(spec_text: &str, scratch: &Path) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_owned();
    let spec_path = scratch.join("openapi.yaml");
    std::fs::write(&spec_path, spec_text).expect("write spec");
    let config = openapi_clientgen::Config::new("mutant", "0.1.0");
    let settings = openapi_clientgen::Settings {
        lenient: false,
        runtime: openapi_clientgen::Runtime::path_between(
            &scratch.join("mutant"),
            &root.join("runtime"),
        ),
        cache: None,
        previous: None,
        spec_root: None,
    };
    let generated = openapi_clientgen::generate(&spec_path, &config, &settings)
        .unwrap_or_else(|error| panic!("{error}"));
    let out = scratch.join("mutant");
    openapi_clientgen::write::replace_dir(&out, &generated).expect("write crate");
    std::fs::create_dir_all(out.join("examples")).expect("mkdir");
    std::fs::write(
        out.join("examples/describe.rs"),
        "fn main() {\n    let described: Vec<_> = mutant::types::described().iter().map(|e| (e.pointer, e.name, (e.schema)().to_value())).collect();\n    println!(\"{}\", serde_json::to_string(&described).unwrap());\n}\n",
    )
    .expect("write example");
    // The workspace's lock keeps versions equal; the target folder the
    // generated-crate tests share has the dependencies built already.
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).expect("copy lock");
    let output = Command::new(env!("CARGO"))
        .args([
            "run",
            "--quiet",
            "--offline",
            "--features",
            "__conformance",
            "--example",
            "describe",
        ])
        .current_dir(&out)
        .env(
            "CARGO_TARGET_DIR",
            root.join("target/generated-crates-build"),
        )
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the mutant crate failed to build:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let described: Vec<(String, String, Value)> =
        serde_json::from_slice(&output.stdout).expect("described types");
    canon::compare(&Spec::project(), &described)
}

#[test]
fn the_comparison_catches_a_crate_that_drifted_from_the_spec() {
    let original = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.yaml"),
    )
    .expect("spec");
    let scratch = tempfile::tempdir().expect("tempdir");
    let baseline = mismatches_of_crate_generated_from(&original, scratch.path());
    assert!(
        baseline.is_empty(),
        "the unchanged spec must pass: {baseline:?}"
    );

    let document: serde_norway::Value = serde_norway::from_str(&original).expect("spec parses");
    let mutate = |change: &dyn Fn(&mut serde_norway::Value)| {
        let mut copy = document.clone();
        change(&mut copy);
        serde_norway::to_string(&copy).expect("spec serializes")
    };
    fn schema<'a>(
        document: &'a mut serde_norway::Value,
        name: &str,
    ) -> &'a mut serde_norway::Value {
        &mut document["components"]["schemas"][name]
    }
    let mutants = [
        (
            "a property dropped",
            mutate(&|d| {
                let properties = schema(d, "AiModelApiKeyResponse")["properties"]
                    .as_mapping_mut()
                    .expect("properties");
                properties.remove("maskedSecret").expect("maskedSecret");
            }),
            "AiModelApiKeyResponse.maskedSecret: property missing",
        ),
        (
            "an enum value added",
            mutate(&|d| {
                schema(d, "CloudAccessRoleAssignment")["properties"]["roleName"]["enum"]
                    .as_sequence_mut()
                    .expect("enum")
                    .push("ORG_SUPERUSER".into());
            }),
            "enum value \"ORG_SUPERUSER\" the spec does not list",
        ),
        (
            "a field made required",
            mutate(&|d| {
                schema(d, "AiModelApiKeyResponse")["required"] = vec!["name"].into();
            }),
            "AiModelApiKeyResponse.name: optional in the spec, required in the type",
        ),
    ];
    for (label, text, expected) in mutants {
        assert_ne!(
            serde_norway::from_str::<serde_norway::Value>(&text).expect("mutant parses"),
            document,
            "{label}: the mutation must change the spec"
        );
        let found = mismatches_of_crate_generated_from(&text, scratch.path());
        assert!(
            found.iter().any(|m| m.contains(expected)),
            "{label}: expected `{expected}` among {found:?}"
        );
    }
}
