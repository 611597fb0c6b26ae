//! Heap memory of regen on the upstream spec, next to the parsed document
//! (the YAML as a tree, as the time floor parses it). Counts every live
//! byte the allocator hands out, so the figures do not depend on how the
//! allocator keeps freed memory. Prints a Markdown table; `cargo xtask
//! bench` collects it.

use std::path::Path;

use openapi_clientgen::{Config, Settings};
use peak_alloc::PeakAlloc;

#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

/// Runs `work`, returning its result and the peak of live bytes it added.
fn peak_of<T>(work: impl FnOnce() -> T) -> (T, usize) {
    let base = HEAP.current_usage();
    HEAP.reset_peak_usage();
    let result = work();
    (result, HEAP.peak_usage() - base)
}

fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = root.join("../shared/upstream/atlas-api-transformed.yaml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipped: {} is absent", path.display());
        return;
    };
    let base = HEAP.current_usage();
    HEAP.reset_peak_usage();
    let tree: serde_json::Value = serde_norway::from_str(&text).expect("YAML");
    let document = HEAP.current_usage() - base;
    // serde_norway holds every event of the document while it builds the tree.
    let parsing = HEAP.peak_usage() - base;
    // The reader `load` uses, which builds the same tree from a stream.
    let before_reader = HEAP.current_usage();
    HEAP.reset_peak_usage();
    let read = openapi_clientgen::load::yaml::parse(&text).expect("YAML");
    let reading = HEAP.peak_usage() - before_reader;
    assert!(read == tree, "the reader gives serde_norway's tree");
    drop(read);
    // The typed form the model reads (`openapiv3`), for comparison.
    let before_typed = HEAP.current_usage();
    let typed: openapiv3::OpenAPI = serde::Deserialize::deserialize(&tree).expect("OpenAPI");
    let typed_size = HEAP.current_usage() - before_typed;
    drop((typed, tree));

    let config = Config::new("bench", "0.1.0");
    // Warm, as in the time table: formatting reads rustfmt's results from
    // the cache an earlier run left.
    let cache = tempfile::tempdir().expect("a cache folder");
    let settings = Settings {
        runtime: openapi_clientgen::Runtime::Path("../runtime".to_owned()),
        cache: Some(cache.path().to_owned()),
        ..Settings::default()
    };
    let run = || openapi_clientgen::generate(&path, &config, &settings).expect("generates");
    drop(run());
    let (generated, peak) = peak_of(run);
    let files = generated.files;
    let output: usize = files.values().map(String::len).sum();
    println!("| measurement | heap |\n| --- | ---: |");
    println!(
        "| the spec's text ({} bytes) | {} |",
        text.len(),
        mib(text.len())
    );
    println!(
        "| the parsed document (the YAML as a tree) | {} |",
        mib(document)
    );
    println!(
        "| peak while serde_norway parses the text into that tree (the time floor's parse) | {} ({:.2}× the parsed document) |",
        mib(parsing),
        parsing as f64 / document as f64
    );
    println!(
        "| peak while `load::yaml` reads the text into the same tree, from yaml-rust2's events as they come | {} ({:.2}× the parsed document) |",
        mib(reading),
        reading as f64 / document as f64
    );
    println!(
        "| the typed document (`openapiv3`, what the model reads) | {} |",
        mib(typed_size)
    );
    println!(
        "| the generated files ({}) | {} |",
        files.len(),
        mib(output)
    );
    // Stage by stage, each peak counted from the start of the regen, so a
    // row shows what is alive while that stage runs.
    let start = HEAP.current_usage();
    HEAP.reset_peak_usage();
    // As `openapi_clientgen::generate` runs the stages.
    let mut loaded = openapi_clientgen::load::load_untyped(&path).expect("loads");
    let after_load = HEAP.peak_usage() - start;
    HEAP.reset_peak_usage();
    let checked = openapi_clientgen::validate::validate(&loaded, &settings).expect("valid");
    let after_validate = HEAP.peak_usage() - start;
    HEAP.reset_peak_usage();
    loaded.type_document().expect("types");
    let after_typing = HEAP.peak_usage() - start;
    HEAP.reset_peak_usage();
    let api =
        openapi_clientgen::model::build(&mut loaded, &checked.broken_patterns, &config, &settings)
            .expect("models");
    let after_model = HEAP.peak_usage() - start;
    let held = HEAP.current_usage() - start;
    drop(loaded);
    let model_alone = HEAP.current_usage() - start;
    HEAP.reset_peak_usage();
    let emitted = openapi_clientgen::emit::emit(&api);
    let after_emit = HEAP.peak_usage() - start;
    HEAP.reset_peak_usage();
    let formatted = openapi_clientgen::format::format(emitted, settings.cache.as_deref(), None)
        .expect("formats");
    let after_format = HEAP.peak_usage() - start;
    drop((formatted, api, checked));
    for (stage, bytes) in [
        ("load (text, tree)", after_load),
        ("validate (verdicts of patterns cached)", after_validate),
        (
            "type (the tree into the typed document, part by part)",
            after_typing,
        ),
        (
            "model (text, typed document without paths, model)",
            after_model,
        ),
        ("the rest of the loaded spec and the model, held", held),
        ("the model alone", model_alone),
        ("emit", after_emit),
        ("format", after_format),
    ] {
        println!("| stage: {stage} | {} |", mib(bytes));
    }
    println!(
        "| peak of a warm regen (`openapi_clientgen::generate`: read, load to format) | {} ({:.2}× the parsed document; {:.2}× the typed document) |",
        mib(peak),
        peak as f64 / document as f64,
        peak as f64 / typed_size as f64
    );
}
