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
    assert_eq!(renamed[0]["operation"], "updateGroupModelKey");
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
    assert_eq!(changes.len(), 6, "nothing else changed: {changes:#?}");
    assert_eq!(
        report["summary"],
        serde_json::json!({"breaking": 1, "attention": 2, "non-breaking": 3})
    );

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
        markdown.starts_with("## API changes\n\n**1 breaking, 2 attention, 3 non-breaking.**"),
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

#[test]
fn the_pull_request_workflow_checks_freshness_and_reports() {
    let workflow =
        std::fs::read_to_string(root().join(".github/workflows/spec-diff.yml")).expect("workflow");
    for step in [
        "cargo xtask regen --check",
        "cargo xtask diff --base",
        "--format markdown",
        "--fail-on breaking",
        "- \"spec/**\"",
    ] {
        assert!(workflow.contains(step), "the workflow lacks `{step}`");
    }
}
