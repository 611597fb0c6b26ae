//! The whole published Atlas spec through the generator: every operation,
//! and a crate that passes clippy with warnings denied. Skipped, saying so,
//! when ../shared is absent.

mod common;

use common::{root, shared, upstream_spec};

use std::path::PathBuf;
use std::process::Command;

/// Every real document we have: the upstream spec, the fragment, the
/// corpus and the fixtures; `None` when ../shared is absent.
fn real_documents(test: &str) -> Option<Vec<PathBuf>> {
    let upstream = upstream_spec(test)?;
    let corpus = shared("corpus", test)?;
    let mut documents = vec![upstream, root().join("spec/openapi.yaml")];
    for folder in [corpus, root().join("tests/fixtures")] {
        let mut found: Vec<_> = std::fs::read_dir(folder)
            .expect("readable")
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "yaml" || e == "json"))
            .collect();
        found.sort();
        documents.extend(found);
    }
    Some(documents)
}

/// `generate` types the tree part by part, dropping each part; the result
/// must be the document `load` types whole, on every real document we have.
#[test]
fn typing_part_by_part_gives_the_whole_typed_document() {
    let Some(documents) = real_documents("typing_part_by_part_gives_the_whole_typed_document")
    else {
        return;
    };
    let mut typed = 0;
    for document in &documents {
        let name = document.display();
        let whole = openapi_clientgen::load::load(document);
        let parts = openapi_clientgen::load::load_untyped(document).and_then(|mut parts| {
            parts.type_document()?;
            Ok(parts)
        });
        match (whole, parts) {
            (Ok(whole), Ok(parts)) => {
                assert!(parts.document == whole.document, "{name} differs");
                typed += 1;
            }
            // Refused documents (Swagger 2, OpenAPI 3.1) are refused alike.
            (Err(whole), Err(parts)) => {
                assert_eq!(whole.diagnostics(), parts.diagnostics(), "{name}");
            }
            (whole, parts) => panic!(
                "{name}: whole {:?}, part by part {:?}",
                whole.err(),
                parts.err()
            ),
        }
    }
    assert!(typed > 10, "only {typed} documents typed");
}

/// The YAML reader builds its tree from parser events as serde_norway's
/// would from its own: the same tree, keys in the same order, for every
/// YAML document we have (JSON documents are read by serde_json).
#[test]
fn the_yaml_reader_gives_serde_norways_tree() {
    let Some(documents) = real_documents("the_yaml_reader_gives_serde_norways_tree") else {
        return;
    };
    let mut compared = 0;
    for document in documents
        .iter()
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
    {
        let text = std::fs::read_to_string(document).expect("readable");
        let ours = openapi_clientgen::load::yaml::parse(&text)
            .unwrap_or_else(|error| panic!("{}: {error:?}", document.display()));
        let theirs: serde_json::Value =
            serde_norway::from_str(&text).expect("serde_norway reads it");
        // As text, so that the order of keys counts too (and a failure
        // does not print three megabytes).
        let (ours, theirs) = (ours.to_string(), theirs.to_string());
        assert!(ours == theirs, "{} reads differently", document.display());
        compared += 1;
    }
    assert!(compared > 10, "only {compared} YAML documents compared");
}

#[test]
fn the_whole_upstream_spec_generates_a_clean_crate() {
    let Some(upstream) = upstream_spec("the_whole_upstream_spec_generates_a_clean_crate") else {
        return;
    };
    let out = root().join("target/upstream-crate");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["regen", "--spec"])
        .arg(&upstream)
        .arg("--out")
        .arg(&out)
        // The project's settings, whose `sensitive` entries stand in for the
        // markings the published spec lacks.
        .arg("--config")
        .arg(root().join("spec/codegen.toml"))
        .output()
        .expect("xtask runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let text = std::fs::read_to_string(&upstream).expect("upstream");
    let operations = text.matches("\n      operationId: ").count();
    let generated = std::fs::read_dir(out.join("src/operations"))
        .expect("operations")
        .count()
        - 1;
    assert_eq!(
        generated, operations,
        "one file per operation, mod.rs aside"
    );
    assert_eq!(operations, 514);

    // Upstream marks none of these secret; the configuration does.
    for (file, field) in [
        (
            "api_key_user_details.rs",
            "pub private_key: Option<client_runtime::Secret>",
        ),
        (
            "ai_model_api_key_response.rs",
            "pub secret: Option<client_runtime::Secret>",
        ),
        (
            "service_account_secret.rs",
            "pub secret: Option<client_runtime::Secret>",
        ),
    ] {
        let text = std::fs::read_to_string(out.join("src/types").join(file)).expect(file);
        assert!(text.contains(field), "{file} lacks `{field}`");
    }
    let warnings = String::from_utf8_lossy(&output.stderr);
    assert!(
        !warnings.contains("`sensitive` entry"),
        "every sensitive entry matches: {warnings}"
    );

    // The workspace's lock keeps dependency versions equal, and offline.
    std::fs::copy(root().join("Cargo.lock"), out.join("Cargo.lock")).expect("copy lock");
    let clippy = Command::new(env!("CARGO"))
        .args([
            "clippy",
            "--quiet",
            "--offline",
            // Every feature but the other TLS stack, which is checked on the
            // fragment's crate (`cargo xtask test`).
            "--features",
            "schemars,mock",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(&out)
        // The target folder the generated-crate tests share: its
        // dependencies are built already, with these features.
        .env(
            "CARGO_TARGET_DIR",
            root().join("target/generated-crates-build"),
        )
        .output()
        .expect("cargo runs");
    assert!(
        clippy.status.success(),
        "{}",
        String::from_utf8_lossy(&clippy.stderr)
    );
}
