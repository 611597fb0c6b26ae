//! `cargo xtask corpus` on the public documents of `../shared/corpus/` and
//! the project's `tests/corpus/`: every one generates, its crate compiles
//! and is clippy-clean, and an operation is left out only for a reason it
//! names.

mod common;

use std::path::Path;

use common::{root, shared, xtask};

/// The table's rows, split into cells, after `cargo xtask corpus --dir DIR`
/// passed (every crate compiles and is clippy-clean).
fn rows_of(dir: &Path) -> Vec<Vec<String>> {
    let output = xtask(&["corpus", "--dir", dir.to_str().expect("UTF-8 path")]);
    let table = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{table}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    table
        .lines()
        .skip(2)
        .map(|line| line.split(" | ").map(str::to_owned).collect())
        .collect()
}

/// Every document generates (Swagger 2.0 and OpenAPI 3.1 too, rewritten
/// as 3.0), its crate compiles and is clippy-clean, and anything left out
/// says which operation and why. Returns how many operations were skipped.
fn check(rows: &[Vec<String>]) -> usize {
    for row in rows {
        let document = row[0].trim_start_matches("| ");
        assert_eq!(row[4], "yes", "{document} compiles");
        assert_eq!(row[5], "yes", "{document} is clippy-clean");
        let generated: usize = row[1]
            .parse()
            .unwrap_or_else(|_| panic!("{document}: {}", row[1]));
        // That example declares webhooks only, which a client does not call.
        assert!(
            generated > 0 || document == "refuse-oas31-webhook-example.yaml",
            "{document}"
        );
        assert!(
            row[2] == "none" || row[2].contains("`: "),
            "{document}: {}",
            row[2]
        );
    }
    rows.iter()
        .filter_map(|row| row[2].split(':').next()?.parse::<usize>().ok())
        .sum()
}

#[test]
fn every_shared_corpus_document_generates_a_clean_crate() {
    let Some(dir) = shared(
        "corpus",
        "every_shared_corpus_document_generates_a_clean_crate",
    ) else {
        return;
    };
    let rows = rows_of(&dir);
    assert!(rows.len() >= 16, "{rows:?}");
    assert_eq!(check(&rows), 0, "operations skipped:\n{rows:?}");
}

#[test]
fn the_projects_corpus_of_multi_file_swagger_2_and_3_1_documents_generates_clean_crates() {
    let rows = rows_of(&root().join("tests/corpus"));
    let documents: Vec<&str> = rows
        .iter()
        .map(|row| row[0].trim_start_matches("| "))
        .collect();
    assert_eq!(
        documents,
        [
            "equinix-metal",
            "moby-docker-swagger.yaml",
            "oai-v2-petstore-expanded.yaml",
            "oai-v2-petstore-separate",
            "oai-v2-uber.yaml",
            "oai-v31-mega.yaml",
            "redocly-cafe",
            "redocly-museum.yaml",
            "slack-web-openapi-v2.json",
        ]
    );
    // Every operation, the cafe's menu item form too: a multipart body
    // that is a `oneOf` of objects, each with a file.
    assert_eq!(check(&rows), 0, "operations skipped:\n{rows:?}");
}
