//! Time before formatting against document size: load, validate, model and
//! emit (formatting is per file and cached) for the three largest documents
//! of `../shared/corpus/` and the upstream spec, per 1,000 schemas and per
//! MiB. Prints a Markdown table; `cargo xtask bench` collects it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use openapi_clientgen::{Config, Settings};

// The allocator of `cargo xtask regen`, so that the times are its times.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut documents: Vec<PathBuf> = std::fs::read_dir(root.join("../shared/corpus"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json" || extension == "yaml")
                && !path.to_string_lossy().contains("refuse-")
        })
        .collect();
    documents.sort_by_key(|path| std::cmp::Reverse(std::fs::metadata(path).map_or(0, |m| m.len())));
    documents.truncate(3);
    let upstream = root.join("../shared/upstream/atlas-api-transformed.yaml");
    if upstream.exists() {
        documents.push(upstream);
    }
    let config = Config::new("bench-scaling", "0.1.0");
    let settings = Settings {
        lenient: true,
        runtime: openapi_clientgen::Runtime::Path("../runtime".to_owned()),
        cache: None,
        previous: None,
        spec_root: None,
    };
    let mut table = String::from(
        "| document | size | schemas | operations | load to emit | per 1,000 schemas | per MiB |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for document in documents {
        let text = std::fs::read_to_string(&document).expect("readable");
        let mut samples = Vec::new();
        let mut counts = (0, 0);
        for _ in 0..5 {
            let start = Instant::now();
            // As `openapi_clientgen::generate` runs the stages.
            let mut loaded =
                openapi_clientgen::load::parse_untyped(&document, text.clone()).expect("loads");
            let checked = openapi_clientgen::validate::validate(&loaded, &settings).expect("valid");
            loaded.type_document().expect("types");
            let api = openapi_clientgen::model::build(
                &mut loaded,
                &checked.broken_patterns,
                &config,
                &settings,
            )
            .expect("models");
            let files = openapi_clientgen::emit::emit(&api);
            samples.push(start.elapsed());
            counts = (
                loaded
                    .document
                    .components
                    .as_ref()
                    .map_or(0, |components| components.schemas.len()),
                api.operations.len(),
            );
            drop(files);
        }
        let ms = median(samples).as_secs_f64() * 1000.0;
        let mib = text.len() as f64 / 1_048_576.0;
        let name = document
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let _ = writeln!(
            table,
            "| {name} | {:.0} KiB | {} | {} | {ms:.1} ms | {:.0} ms | {:.0} ms |",
            text.len() as f64 / 1024.0,
            counts.0,
            counts.1,
            ms * 1000.0 / counts.0.max(1) as f64,
            ms / mib
        );
    }
    print!("{table}");
}
