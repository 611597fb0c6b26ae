//! The spec fuzzer: documents drawn from the space of schemas the model
//! handles (`wire_tests::documents`), each generated in strict and lenient
//! mode. Each mode either refuses with located diagnostics or writes a
//! crate that compiles and is clippy-clean, and valid values of every type
//! round-trip through it. A fixed seed in the suite; `cargo xtask fuzz
//! --specs N` runs more, shrinks what fails and writes each shrunk document
//! to `target/spec-fuzz/findings/`, to be kept in `tests/fuzz-findings/`.
//!
//! Environment: `SPEC_FUZZ_DOCUMENTS` (default 160), `SPEC_FUZZ_SEED`,
//! `SPEC_FUZZ_BATCH` (documents per workspace, default 80),
//! `SPEC_FUZZ_VALUES_EVERY` (round-trip values in every Nth batch only,
//! default 2: the suite compiles and lints 160 documents and round-trips
//! the values of the first 80, since building the checker costs three
//! times the lint), `SPEC_FUZZ_START` (skip the batches before this document,
//! to go on with a run cut short), `SPEC_FUZZ_SHRINK=1` to shrink failures,
//! `SPEC_FUZZ_FINDINGS` (the kept documents' folder, default
//! `tests/fuzz-findings`; point it at `target/spec-fuzz/failed` to run a
//! long run's failures again) and `SPEC_FUZZ_WORK` (default
//! `target/spec-fuzz`). One run at a time: every run compiles in the
//! target folder the generated-crate tests share, and removes its crates'
//! artifacts there after each batch.

use std::path::{Path, PathBuf};

use proptest::strategy::ValueTree;
use serde_json::Value;
use wire_tests::documents::{self, Location, Plan, batch};

const DEFAULT_SEED: u64 = 0x5eed_0a91;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .map(|text| {
            let text = text.trim();
            text.strip_prefix("0x")
                .map_or_else(|| text.parse(), |hex| u64::from_str_radix(hex, 16))
                .unwrap_or_else(|_| panic!("{name} is not a number: {text}"))
        })
        .unwrap_or(default)
}

/// The documents kept from earlier findings, each once a failure.
fn findings_kept() -> Vec<(String, Value)> {
    let folder = std::env::var_os("SPEC_FUZZ_FINDINGS")
        .map_or_else(|| root().join("tests/fuzz-findings"), PathBuf::from);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .expect("tests/fuzz-findings")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("finding");
            let value = serde_json::from_str(&text)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            (path.display().to_string(), value)
        })
        .collect()
}

#[test]
fn documents_that_generate_compile_clippy_clean_and_round_trip() {
    let count = setting("SPEC_FUZZ_DOCUMENTS", 160) as usize;
    let seed = setting("SPEC_FUZZ_SEED", DEFAULT_SEED);
    let batch_size = setting("SPEC_FUZZ_BATCH", 80).max(1) as usize;
    // Building the checker costs more than clippy: a long run may check
    // values in every Nth batch only (every batch compiles and is linted).
    let values_every = setting("SPEC_FUZZ_VALUES_EVERY", 2).max(1) as usize;
    let shrink = std::env::var_os("SPEC_FUZZ_SHRINK").is_some();
    let work = std::env::var_os("SPEC_FUZZ_WORK")
        .map_or_else(|| root().join("target/spec-fuzz"), PathBuf::from);
    let _ = std::fs::remove_dir_all(work.join("failed"));

    // The kept findings first, as a batch of their own.
    let kept = findings_kept();
    assert!(!kept.is_empty(), "tests/fuzz-findings holds no document");
    let documents: Vec<Value> = kept.iter().map(|(_, value)| value.clone()).collect();
    let report = batch::run(&work.join("kept"), &documents, seed, true);
    let failures: Vec<String> = report
        .findings
        .iter()
        .map(|finding| {
            format!(
                "{} ({}): {}",
                kept[finding.document].0, finding.kind, finding.detail
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "kept findings fail again:\n{}",
        failures.join("\n\n")
    );
    // Each is kept for what its crate does: it must still generate.
    assert_eq!(
        report.strict_refused, 0,
        "a kept finding no longer generates in strict mode"
    );

    let mut trees = batch::documents(count, seed);
    let mut totals = batch::Report::default();
    let mut failures = Vec::new();
    // A long run cut short goes on from where it stopped.
    let first = setting("SPEC_FUZZ_START", 0) as usize;
    for (number, start) in (0..count).step_by(batch_size).enumerate() {
        if start + batch_size <= first {
            continue;
        }
        let end = (start + batch_size).min(count);
        let documents: Vec<Value> = trees[start..end]
            .iter()
            .map(|tree| tree.current().render())
            .collect();
        // One folder for every batch, so that cargo rebuilds the crates
        // in place rather than keeping every batch's artifacts.
        let folder = work.join("batch");
        let values = number % values_every == 0;
        let report = batch::run(&folder, &documents, seed ^ number as u64, values);
        for finding in &report.findings {
            let index = start + finding.document;
            let failed = work
                .join("failed")
                .join(format!("document-{index:05}.json"));
            std::fs::create_dir_all(work.join("failed")).expect("folder");
            std::fs::copy(
                folder.join(format!("specs/d{:05}.json", finding.document)),
                &failed,
            )
            .expect("failed document kept");
            let mut text = format!(
                "document {index} ({}, {}): {}",
                finding.kind,
                failed.display(),
                finding.detail
            );
            if shrink {
                let path = shrunk(&mut *trees[index], finding.kind, &work, index, seed);
                text.push_str(&format!("\n  shrunk to {}", path.display()));
            }
            failures.push(text);
        }
        add(&mut totals, report);
        eprintln!(
            "spec fuzz: {end}/{count} documents, {} findings so far",
            failures.len()
        );
    }
    eprintln!(
        "spec fuzz (seed {seed:#x}): {} documents ({} distinct schema shapes): {} crates compiled, {} operations, {} types, {} values round-tripped; strict refused {}, lenient refused {}, lenient skipped {} operations; {} findings",
        totals.documents,
        totals.shapes.len(),
        totals.crates,
        totals.operations,
        totals.types,
        totals.values_round_tripped,
        totals.strict_refused,
        totals.lenient_refused,
        totals.lenient_skipped_operations,
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The harness must have reached the compiler and the types at all.
    assert!(
        totals.crates * 2 >= totals.documents,
        "only {} of {} documents generated",
        totals.crates,
        totals.documents
    );
    assert!(
        totals.values_round_tripped >= totals.crates,
        "only {} values round-tripped",
        totals.values_round_tripped
    );
}

fn add(totals: &mut batch::Report, report: batch::Report) {
    totals.documents += report.documents;
    totals.strict_refused += report.strict_refused;
    totals.lenient_refused += report.lenient_refused;
    totals.lenient_skipped_operations += report.lenient_skipped_operations;
    totals.crates += report.crates;
    totals.operations += report.operations;
    totals.types += report.types;
    totals.values_round_tripped += report.values_round_tripped;
    totals.shapes.extend(report.shapes);
}

/// Shrinks a failing plan while it still fails the same way (each step one
/// crate through the whole harness), and writes the smallest document.
fn shrunk(
    tree: &mut dyn ValueTree<Value = Plan>,
    kind: &str,
    work: &Path,
    index: usize,
    seed: u64,
) -> PathBuf {
    let fails = |plan: &Plan| {
        batch::run(&work.join("shrink"), &[plan.render()], seed, true)
            .findings
            .iter()
            .any(|finding| finding.kind == kind)
    };
    // Each step compiles a crate: bounded, so a finding costs minutes.
    let smallest = documents::shrink(tree, 150, fails);
    let folder = work.join("findings");
    std::fs::create_dir_all(&folder).expect("folder");
    let path = folder.join(format!("{kind}-{index:05}.json"));
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&smallest.render()).expect("JSON"),
    )
    .expect("finding written");
    path
}

#[test]
fn shrinking_keeps_the_failure_and_drops_the_rest() {
    // The shrinker, on a failure that needs no compiler: "an operation
    // takes a cookie parameter". It must end at one operation with one
    // parameter, whatever else the first document held.
    let mut trees = batch::documents(200, DEFAULT_SEED);
    let fails = |plan: &Plan| {
        plan.operations.iter().any(|operation| {
            operation
                .parameters
                .iter()
                .any(|parameter| parameter.location == Location::Cookie)
        })
    };
    let tree = trees
        .iter_mut()
        .find(|tree| {
            let plan = tree.current();
            fails(&plan) && plan.operations.len() > 1 && plan.components.len() > 1
        })
        .expect("a document with a cookie parameter among several operations");
    let smallest = documents::shrink(&mut **tree, 10_000, fails);
    assert!(fails(&smallest), "the shrunk plan no longer fails");
    assert_eq!(smallest.operations.len(), 1, "{smallest:#?}");
    assert_eq!(smallest.operations[0].parameters.len(), 1, "{smallest:#?}");
    assert_eq!(smallest.components.len(), 1, "{smallest:#?}");
}
