//! `cargo xtask corpus` on the public documents of `../shared/corpus/`:
//! every one the generator accepts generates, its crate compiles and is
//! clippy-clean, and an operation is left out only for a reason it names.

mod common;

use common::{shared, xtask};

#[test]
fn every_corpus_document_generates_a_clean_crate() {
    let Some(dir) = shared("corpus", "every_corpus_document_generates_a_clean_crate") else {
        return;
    };
    let output = xtask(&["corpus", "--dir", dir.to_str().expect("UTF-8 path")]);
    let table = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{table}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows: Vec<Vec<&str>> = table
        .lines()
        .skip(2)
        .map(|line| line.split(" | ").collect())
        .collect();
    assert!(rows.len() >= 16, "{table}");
    for row in &rows {
        let document = row[0].trim_start_matches("| ");
        if document.starts_with("refuse-") {
            // Documents of another OpenAPI version: refused, naming it.
            assert_eq!(row[1], "refused", "{document}");
            assert!(
                row[2].contains("OpenAPI 3.1") || row[2].contains("Swagger 2.0"),
                "{document}: {}",
                row[2]
            );
            continue;
        }
        assert_eq!(row[4], "yes", "{document} compiles");
        assert_eq!(row[5], "yes", "{document} is clippy-clean");
        let generated: usize = row[1]
            .parse()
            .unwrap_or_else(|_| panic!("{document}: {}", row[1]));
        assert!(generated > 0, "{document}");
        // Anything left out says which operation and why.
        assert!(
            row[2] == "none" || row[2].contains("`: "),
            "{document}: {}",
            row[2]
        );
    }
    let skipped: usize = rows
        .iter()
        .filter_map(|row| row[2].split(':').next()?.parse::<usize>().ok())
        .sum();
    assert_eq!(skipped, 0, "operations skipped:\n{table}");
}
