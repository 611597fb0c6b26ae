//! `cargo xtask diff` as a reviewer runs it, on the change MongoDB made to
//! the AI model key update when it left preview.

mod common;

use common::{root, upstream_spec, xtask};

const PREVIEW: &str = "application/vnd.atlas.preview+json";
const VERSIONED: &str = "application/vnd.atlas.2025-03-12+json";

/// The project's spec after the upstream change: the operation is renamed,
/// moves from the preview media type to a dated version, and its response
/// gains the key's scope and endpoint.
fn after_upstream_change() -> String {
    let spec = std::fs::read_to_string(root().join("spec/openapi.yaml")).expect("spec");
    let added = "        cloud:\n          type: string\n          description: Cloud provider the key is scoped to.\n          readOnly: true\n        geography:\n          type: string\n          description: Geography the key is scoped to.\n          readOnly: true\n        endpoint:\n          type: string\n          description: Host name the key is used with.\n          readOnly: true\n";
    let changed = spec
        .replace("operationId: updateGroupAiModelApiKey", "operationId: updateGroupModelKey")
        .replace(PREVIEW, VERSIONED)
        .replace(
            "      description: An AI model API key as Atlas returns it.\n      properties:\n",
            &format!("      description: An AI model API key as Atlas returns it.\n      properties:\n{added}"),
        );
    assert_ne!(changed, spec);
    changed
}

fn write_after() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("openapi.yaml");
    std::fs::write(&path, after_upstream_change()).expect("write");
    let path = path.to_string_lossy().into_owned();
    (dir, path)
}

#[test]
fn the_upstream_ai_key_change_is_reported_right() {
    let (_dir, after) = write_after();
    let output = xtask(&[
        "diff",
        "--old",
        "spec/openapi.yaml",
        "--new",
        &after,
        "--format",
        "json",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let changes = report["changes"].as_array().expect("changes");
    let find = |kind: &str| {
        changes
            .iter()
            .filter(|c| c["kind"] == kind)
            .collect::<Vec<_>>()
    };

    let renamed = find("operation-renamed");
    assert_eq!(renamed.len(), 1, "{changes:#?}");
    assert_eq!(renamed[0]["severity"], "breaking");
    assert_eq!(
        renamed[0]["operations"],
        serde_json::json!(["updateGroupModelKey"])
    );
    assert!(
        renamed[0]["message"]
            .as_str()
            .unwrap()
            .contains("updateGroupAiModelApiKey")
    );

    for kind in ["request-media-type-changed", "response-media-type-changed"] {
        let found = find(kind);
        assert_eq!(found.len(), 1, "{kind}: {changes:#?}");
        assert_eq!(found[0]["severity"], "attention");
        let message = found[0]["message"].as_str().unwrap();
        assert!(
            message.contains(PREVIEW) && message.contains(VERSIONED),
            "{message}"
        );
    }
    let added: Vec<&str> = find("response-property-added")
        .iter()
        .map(|c| c["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(
        added,
        [
            "#/components/schemas/AiModelApiKeyResponse/properties/cloud",
            "#/components/schemas/AiModelApiKeyResponse/properties/endpoint",
            "#/components/schemas/AiModelApiKeyResponse/properties/geography",
        ]
    );
    // One entry per change to the shared schema, naming every operation
    // that returns it.
    assert_eq!(
        find("response-property-added")[0]["operations"],
        serde_json::json!([
            "createGroupModelKey",
            "getGroupModelKey",
            "listGroupModelKeys",
            "updateGroupModelKey"
        ])
    );
    assert_eq!(changes.len(), 6, "nothing else changed: {changes:#?}");
    let removed = report["items"]["removed"]
        .as_array()
        .expect("removed")
        .len();
    assert_eq!(
        report["summary"],
        serde_json::json!({"breaking": 1, "attention": 2, "non-breaking": 3, "items-breaking": removed})
    );
    // Every item the rename removes is traced to it.
    for item in report["items"]["removed"].as_array().unwrap() {
        let cause = report["items"]["causes"][item.as_str().unwrap()]
            .as_str()
            .unwrap_or_else(|| panic!("{item} has no cause"));
        assert!(
            cause.contains("operationId `updateGroupAiModelApiKey` became"),
            "{item}: {cause}"
        );
    }

    let items = &report["items"];
    assert!(
        items["removed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i == "operations::UpdateGroupAiModelApiKey"),
        "{items}"
    );
    assert!(
        items["added"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i == "operations::UpdateGroupModelKey"),
        "{items}"
    );
    assert!(
        items["added"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i == "types::AiModelApiKeyResponse.cloud"),
        "{items}"
    );
    let diff = report["code_diff"].as_str().unwrap();
    assert!(
        diff.contains("+++ b/src/operations/update_group_model_key.rs"),
        "{diff}"
    );
}

#[test]
fn markdown_and_text_reports_are_readable() {
    let (_dir, after) = write_after();
    let markdown =
        String::from_utf8(xtask(&["diff", "--old", "spec/openapi.yaml", "--new", &after]).stdout)
            .expect("UTF-8");
    assert!(
        markdown.starts_with("## API changes\n\n**1 breaking, 2 attention, 3 non-breaking; 19 changes to the crate's public items break code that uses them.**"),
        "{markdown}"
    );
    assert!(markdown.contains("### 🔴 breaking"));
    assert!(markdown.contains("| `updateGroupModelKey` | operationId `updateGroupAiModelApiKey` became `updateGroupModelKey` |"), "{markdown}");
    assert!(markdown.contains("<details><summary>Generated code diff</summary>"));
    let text = String::from_utf8(
        xtask(&[
            "diff",
            "--old",
            "spec/openapi.yaml",
            "--new",
            &after,
            "--format",
            "text",
        ])
        .stdout,
    )
    .expect("UTF-8");
    assert!(
        text.contains("[breaking] updateGroupModelKey: operationId"),
        "{text}"
    );
    assert!(text.contains("    why: "), "{text}");
}

#[test]
fn fail_on_breaking_sets_the_exit_code() {
    let (_dir, after) = write_after();
    assert_eq!(
        xtask(&[
            "diff",
            "--old",
            "spec/openapi.yaml",
            "--new",
            &after,
            "--fail-on",
            "breaking"
        ])
        .status
        .code(),
        Some(1)
    );
    let same = xtask(&[
        "diff",
        "--old",
        "spec/openapi.yaml",
        "--new",
        "spec/openapi.yaml",
        "--fail-on",
        "breaking",
    ]);
    assert_eq!(same.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&same.stdout).contains("No API changes."));
}

#[test]
fn errors_exit_with_2_and_say_why() {
    let missing = xtask(&["diff", "--old", "/nonexistent/old.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/old.yaml"));
    let bad_rev = xtask(&["diff", "--base", "no-such-revision-anywhere"]);
    assert_eq!(bad_rev.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_rev.stderr).contains("no-such-revision-anywhere"));
    assert_eq!(xtask(&["diff", "--format", "yaml"]).status.code(), Some(2));
}

/// The case above is modelled on MongoDB's published spec; check it still says so.
#[test]
fn the_modelled_change_matches_the_published_spec() {
    let Some(upstream) = upstream_spec("the_modelled_change_matches_the_published_spec") else {
        return;
    };
    let text = std::fs::read_to_string(&upstream).expect("the published spec");
    let start = text
        .find("  /api/atlas/v2/groups/{groupId}/aiModelApiKeys/{apiKeyId}:")
        .expect("the path");
    let item = &text[start..];
    let patch = &item[item.find("    patch:").expect("a patch operation")..];
    assert!(patch.contains("operationId: updateGroupModelKey"));
    assert!(patch[..patch.find("x-codeSamples").unwrap_or(patch.len())].contains(VERSIONED));
    let schema = &text[text.find("    AiModelApiKeyResponse:").expect("the schema")..];
    let schema = &schema[..schema[5..]
        .find("\n    A")
        .map_or(schema.len(), |end| end + 5)];
    for property in ["        cloud:", "        geography:", "        endpoint:"] {
        assert!(
            schema.contains(property),
            "{property} not in upstream AiModelApiKeyResponse"
        );
    }
}

/// A small spec of its own, for changes the project's spec cannot show.
const ERRORS: &str = r#"
openapi: 3.0.3
info: {title: Errors, version: "1"}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {type: object, properties: {name: {type: string}}}
        "404":
          description: Missing
          content:
            application/json:
              schema: {type: object, properties: {title: {type: string}}}
        "409":
          description: Busy
          content:
            application/json:
              schema: {type: object, properties: {code: {type: integer}}}
"#;

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write");
    path.to_string_lossy().into_owned()
}

fn diff_json(old: &str, new: &str) -> (Option<i32>, serde_json::Value) {
    let output = xtask(&[
        "diff",
        "--old",
        old,
        "--new",
        new,
        "--format",
        "json",
        "--fail-on",
        "breaking",
    ]);
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "no JSON report: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code(), report)
}

#[test]
fn a_removed_public_item_counts_even_when_the_spec_change_is_not_breaking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = write(&dir, "old.yaml", ERRORS);
    let without_409 = ERRORS[..ERRORS.find("        \"409\":").expect("409")].to_owned();
    let new = write(&dir, "new.yaml", &without_409);
    let (code, report) = diff_json(&old, &new);
    assert_eq!(report["summary"]["breaking"], 0, "{report:#}");
    assert_eq!(
        report["summary"]["attention"], 1,
        "the status is no longer declared"
    );
    let removed = report["items"]["removed"].as_array().expect("removed");
    assert!(
        !removed.is_empty(),
        "the error enum loses its 409 variant: {report:#}"
    );
    assert_eq!(
        report["summary"]["items-breaking"],
        removed.len() + report["items"]["changed"].as_array().unwrap().len()
    );
    assert_eq!(code, Some(1), "--fail-on breaking counts removed items");
    let cause = report["items"]["causes"].as_object().expect("causes");
    assert!(
        cause.values().any(|c| c
            .as_str()
            .unwrap()
            .contains("status 409 is no longer declared")),
        "{report:#}"
    );
    let markdown =
        String::from_utf8(xtask(&["diff", "--old", &old, "--new", &new]).stdout).expect("UTF-8");
    assert!(
        markdown.contains("changes to the crate's public items break code that uses them"),
        "{markdown}"
    );
    assert!(
        markdown.contains("← `getThing`: status 409 is no longer declared"),
        "{markdown}"
    );
}

#[test]
fn an_operation_the_generator_refuses_is_reported_as_breaking_not_as_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = write(&dir, "old.yaml", ERRORS);
    let with_cookie = ERRORS.replacen(
        "        - {name: id, in: path, required: true, schema: {type: string}}\n",
        "        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: session, in: cookie, schema: {type: array, items: {type: string}}}\n",
        1,
    );
    let new = write(&dir, "new.yaml", &with_cookie);
    let (code, report) = diff_json(&old, &new);
    assert_eq!(code, Some(1), "{report:#}");
    let changes = report["changes"].as_array().expect("changes");
    let refused = changes
        .iter()
        .find(|c| c["kind"] == "operation-refused")
        .expect("refused");
    assert_eq!(refused["operations"], serde_json::json!(["getThing"]));
    assert_eq!(refused["severity"], "breaking");
    assert!(
        refused["message"].as_str().unwrap().contains("cookie"),
        "{refused}"
    );
    assert!(
        changes
            .iter()
            .any(|c| c["kind"] == "parameter-added-optional"),
        "the spec change itself is reported too: {changes:#?}"
    );
    assert!(
        report["items"]["removed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i == "Client::get_thing"),
        "{report:#}"
    );

    // A document the generator refuses whole still gets a report.
    let dangling = ERRORS.replacen(
        "schema: {type: object, properties: {code: {type: integer}}}",
        "schema: {$ref: \"#/components/schemas/Nowhere\"}",
        1,
    );
    let new = write(&dir, "dangling.yaml", &dangling);
    let (code, report) = diff_json(&old, &new);
    assert_eq!(code, Some(1), "{report:#}");
    let refused = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "operation-refused")
        .expect("the refusal");
    assert!(
        refused["message"].as_str().unwrap().contains("Nowhere"),
        "{refused}"
    );
}

/// Runs the workflow's report script as the workflow does, with this build's xtask.
fn workflow_report(args: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = dir.path().join("github-output");
    let status = std::process::Command::new("bash")
        .arg(root().join(".github/scripts/spec-diff.sh"))
        .args(args)
        .current_dir(dir.path())
        .env("XTASK", env!("CARGO_BIN_EXE_xtask"))
        .env("GITHUB_OUTPUT", &output)
        .status()
        .expect("bash runs");
    assert!(
        status.success(),
        "the script reports through its output, not its exit code"
    );
    let result = std::fs::read_to_string(&output).expect("an output");
    let comment = std::fs::read_to_string(dir.path().join("spec-diff.md")).expect("a comment");
    (result.trim().to_owned(), comment)
}

#[test]
fn the_pull_request_workflow_tells_clean_breaking_and_failed_apart() {
    let spec = root().join("spec/openapi.yaml");
    let spec = spec.to_string_lossy();
    let (result, comment) = workflow_report(&["--old", &spec, "--new", &spec]);
    assert_eq!(result, "result=clean");
    assert!(comment.contains("No API changes."), "{comment}");

    let (_dir, after) = write_after();
    let (result, comment) = workflow_report(&["--old", &spec, "--new", &after]);
    assert_eq!(result, "result=breaking");
    assert!(comment.contains("### 🔴 breaking"), "{comment}");

    let (result, comment) = workflow_report(&["--old", "/nonexistent/old.yaml", "--new", &spec]);
    assert_eq!(result, "result=error");
    assert!(
        comment.contains("The spec diff failed") && comment.contains("/nonexistent/old.yaml"),
        "{comment}"
    );

    let workflow =
        std::fs::read_to_string(root().join(".github/workflows/spec-diff.yml")).expect("workflow");
    for step in [
        "cargo xtask regen --check",
        "bash .github/scripts/spec-diff.sh --base \"$base\"",
        "if: steps.report.outputs.result == 'error'",
        "if: steps.report.outputs.result == 'breaking'",
    ] {
        assert!(workflow.contains(step), "the workflow lacks `{step}`");
    }
}

/// An operation that starts to accept the paging parameter gains `pages()`
/// and `stream()`: added items and an optional parameter, nothing breaking.
#[test]
fn gaining_pagination_is_not_breaking() {
    let spec = std::fs::read_to_string(root().join("spec/openapi.yaml")).expect("spec");
    let mut before: serde_norway::Value = serde_norway::from_str(&spec).expect("YAML");
    let parameters = before["paths"]["/api/atlas/v2/orgs/{orgId}/apiKeys"]["get"]["parameters"]
        .as_sequence_mut()
        .expect("listOrgApiKeys has parameters");
    let count = parameters.len();
    parameters.retain(|parameter| parameter["$ref"] != "#/components/parameters/pageNum");
    assert_eq!(parameters.len(), count - 1, "pageNum was a parameter");
    let dir = tempfile::tempdir().expect("tempdir");
    let old = dir.path().join("before.yaml");
    std::fs::write(&old, serde_norway::to_string(&before).expect("YAML")).expect("write");
    let output = xtask(&[
        "diff",
        "--old",
        old.to_str().expect("UTF-8 path"),
        "--new",
        "spec/openapi.yaml",
        "--format",
        "json",
        "--fail-on",
        "breaking",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(output.status.code(), Some(0), "{report:#}");
    assert_eq!(report["summary"]["breaking"], 0);
    let added = report["items"]["added"].to_string();
    assert!(
        added.contains("ListOrgApiKeys::pages") && added.contains("ListOrgApiKeys::stream"),
        "{added}"
    );
}

/// Two schemas whose Rust names meet (`Page` and `page`): the model names
/// the second `Page2`, and a change to it is traced by where the item
/// comes from, not by a name guessed from the schema's.
const CLASHING: &str = r##"
openapi: 3.0.3
info: {title: Clash, version: "1"}
paths:
  /pages:
    get:
      operationId: listPages
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Page"}
  /small-pages:
    get:
      operationId: listSmallPages
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: "#/components/schemas/page"}
components:
  schemas:
    Page:
      type: object
      properties:
        total: {type: integer}
    page:
      type: object
      properties:
        next: {type: string}
        size: {type: integer}
"##;

#[test]
fn a_changed_item_is_traced_to_its_schema_even_when_names_clash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = write(&dir, "old.yaml", CLASHING);
    let new = write(
        &dir,
        "new.yaml",
        &CLASHING.replace("        next: {type: string}\n", ""),
    );
    let (_, report) = diff_json(&old, &new);
    let removed: Vec<&str> = report["items"]["removed"]
        .as_array()
        .expect("removed")
        .iter()
        .filter_map(serde_json::Value::as_str)
        .filter(|item| item.ends_with(".next"))
        .collect();
    assert_eq!(removed, ["types::Page2.next"], "{report:#}");
    let cause = report["items"]["causes"]["types::Page2.next"]
        .as_str()
        .unwrap_or_else(|| panic!("no cause: {report:#}"));
    assert!(
        cause.contains("`listSmallPages`") && cause.contains("next"),
        "{cause}"
    );
}

/// A field merged from an `allOf` member and a parameter from
/// `components/parameters`, both changed in one operation: each change is
/// placed where the property or parameter is written (the model's place for
/// the field and the setter), and each changed item traced to its own.
const SHARED_PARTS: &str = r##"
openapi: 3.0.3
info: {title: Shared, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - $ref: "#/components/parameters/limit"
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
components:
  parameters:
    limit: {name: limit, in: query, schema: {type: integer, format: int32}}
  schemas:
    Base:
      type: object
      properties:
        id: {type: string}
    Thing:
      allOf:
        - $ref: "#/components/schemas/Base"
        - type: object
          properties:
            name: {type: string}
"##;

#[test]
fn each_changed_item_is_traced_to_where_its_part_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = write(&dir, "old.yaml", SHARED_PARTS);
    let new = write(
        &dir,
        "new.yaml",
        &SHARED_PARTS
            .replace("id: {type: string}", "id: {type: integer}")
            .replace(
                "schema: {type: integer, format: int32}}",
                "schema: {type: string}}",
            ),
    );
    let (_, report) = diff_json(&old, &new);
    let causes = &report["items"]["causes"];
    let cause = |item: &str| {
        causes[item]
            .as_str()
            .unwrap_or_else(|| panic!("no cause of {item}: {report:#}"))
            .to_owned()
    };
    let limit = cause("operations::ListThings::limit");
    assert!(limit.contains("parameter `limit`"), "{limit}");
    let id = cause("types::Thing.id");
    assert!(
        id.contains("type string became integer") && !id.contains("limit"),
        "{id}"
    );
    let change = report["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|change| change["kind"] == "type-changed")
        .unwrap_or_else(|| panic!("{report:#}"));
    assert_eq!(change["pointer"], "#/components/schemas/Base/properties/id");
}
