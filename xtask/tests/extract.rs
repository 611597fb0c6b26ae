//! `cargo xtask extract` as a user runs it.

mod common;

use common::{root, text, upstream_spec, xtask};

use std::path::{Path, PathBuf};

fn published() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/published.yaml")
        .to_string_lossy()
        .into_owned()
}

/// A fragment with one unrelated operation, in a scratch folder.
fn fragment() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("openapi.yaml");
    std::fs::write(
        &path,
        "openapi: 3.0.3\ninfo: {title: Mine, version: '1'}\npaths:\n  /health:\n    get:\n      operationId: getHealth\n      responses:\n        '204': {description: Up.}\n",
    )
    .expect("write");
    (dir, path)
}

fn yaml(path: &Path) -> serde_json::Value {
    openapi_clientgen::load::load(path)
        .unwrap_or_else(|error| panic!("{error}"))
        .into_tree()
}

#[test]
fn an_operation_comes_with_the_closure_of_what_it_references() {
    let (_dir, path) = fragment();
    let into = path.to_str().unwrap();
    let output = xtask(&[
        "extract",
        "--from",
        &published(),
        "--operation",
        "getPet",
        "--into",
        into,
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let spec = yaml(&path);
    assert!(
        spec.pointer("/paths/~1health/get").is_some(),
        "what was there is kept"
    );
    assert!(spec.pointer("/paths/~1pets~1{petId}/get").is_some());
    assert!(
        spec.pointer("/paths/~1pets~1{petId}/parameters").is_some(),
        "path-level parameters come along"
    );
    assert!(
        spec.pointer("/paths/~1pets~1{petId}/get/x-codeSamples")
            .is_none(),
        "code samples are left out"
    );
    for needed in [
        "parameters/petId",
        "responses/notFound",
        "schemas/Pet",
        "schemas/Owner",
        "schemas/Problem",
        "securitySchemes/Token",
    ] {
        assert!(
            spec.pointer(&format!("/components/{needed}")).is_some(),
            "{needed} is missing"
        );
    }
    for unneeded in ["schemas/Store", "schemas/Unused", "securitySchemes/Basic"] {
        assert!(
            spec.pointer(&format!("/components/{unneeded}")).is_none(),
            "{unneeded} is not needed"
        );
    }
    assert_eq!(
        spec["tags"],
        serde_json::json!([{"name": "Pets", "description": "Pets and their owners."}])
    );
    let generated = tempfile::tempdir().expect("tempdir");
    let out = generated.path().join("client");
    let regen = xtask(&["regen", "--spec", into, "--out", out.to_str().unwrap()]);
    assert!(
        regen.status.success(),
        "the result generates: {}",
        text(&regen.stderr)
    );
}

#[test]
fn output_is_sorted_and_the_same_on_every_run() {
    let (_one_dir, one) = fragment();
    let (_two_dir, two) = fragment();
    for path in [&one, &two] {
        let output = xtask(&[
            "extract",
            "--from",
            &published(),
            "--operation",
            "listStores",
            "--operation",
            "getPet",
            "--into",
            path.to_str().unwrap(),
        ]);
        assert!(output.status.success(), "{}", text(&output.stderr));
    }
    let written = std::fs::read_to_string(&one).expect("read");
    assert_eq!(written, std::fs::read_to_string(&two).expect("read"));
    let top: Vec<&str> = written
        .lines()
        .filter(|line| !line.starts_with(' ') && !line.starts_with('-'))
        .collect();
    let mut sorted = top.clone();
    sorted.sort();
    assert_eq!(top, sorted, "top-level keys are sorted");
    assert!(
        yaml(&one)
            .pointer("/components/securitySchemes/Basic")
            .is_some(),
        "an operation's own security comes along"
    );
}

#[test]
fn repeats_unknown_ids_and_taken_routes_are_explained() {
    let (_dir, path) = fragment();
    let into = path.to_str().unwrap();
    assert!(
        xtask(&[
            "extract",
            "--from",
            &published(),
            "--operation",
            "getPet",
            "--into",
            into
        ])
        .status
        .success()
    );
    let before = std::fs::read(&path).expect("read");

    let again = xtask(&[
        "extract",
        "--from",
        &published(),
        "--operation",
        "getPet",
        "--into",
        into,
    ]);
    assert!(again.status.success());
    assert!(
        text(&again.stderr).contains("`getPet` is already in"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "nothing changes"
    );

    let unknown = xtask(&[
        "extract",
        "--from",
        &published(),
        "--operation",
        "getPett",
        "--into",
        into,
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        text(&unknown.stderr).contains("operation `getPett` is not in"),
        "{}",
        text(&unknown.stderr)
    );

    let renamed = std::fs::read_to_string(&path)
        .expect("read")
        .replace("operationId: getPet", "operationId: fetchPet");
    std::fs::write(&path, renamed).expect("write");
    let taken = xtask(&[
        "extract",
        "--from",
        &published(),
        "--operation",
        "getPet",
        "--into",
        into,
    ]);
    assert_eq!(taken.status.code(), Some(2));
    assert!(
        text(&taken.stderr).contains("already has `GET /pets/{petId}` as `fetchPet`"),
        "{}",
        text(&taken.stderr)
    );
}

#[test]
fn operations_extracted_from_the_published_atlas_spec_generate() {
    let Some(upstream) =
        upstream_spec("operations_extracted_from_the_published_atlas_spec_generate")
    else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("openapi.yaml");
    std::fs::copy(root().join("spec/openapi.yaml"), &path).expect("copy");
    let into = path.to_str().unwrap();
    let from = upstream.to_str().unwrap();
    let output = xtask(&[
        "extract",
        "--from",
        from,
        "--operation",
        "getOrgApiKey",
        "--operation",
        "listGroupModelKeys",
        "--into",
        into,
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let out = dir.path().join("client");
    let regen = xtask(&["regen", "--spec", into, "--out", out.to_str().unwrap()]);
    assert!(regen.status.success(), "{}", text(&regen.stderr));
    assert!(out.join("src/operations/get_org_api_key.rs").exists());
    assert!(
        out.join("src/operations/update_org_api_key.rs").exists(),
        "the fragment's own operations stay"
    );
}
