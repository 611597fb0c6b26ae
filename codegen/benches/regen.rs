//! Regen time by stage, next to merely parsing the YAML (the floor), for the
//! project's fragment and, when ../shared is present, the whole upstream
//! spec. Prints Markdown table rows; `cargo xtask bench` collects them.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use codegen::{Config, Settings, emit, format, load, model, validate};

// The allocator of `cargo xtask regen`, so that the times are its times.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(duration: Duration) -> String {
    format!("{:.1}", duration.as_secs_f64() * 1000.0)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let specs: [(&str, PathBuf, usize); 2] = [
        ("fragment", root.join("spec/openapi.yaml"), 15),
        (
            "upstream",
            root.join("../shared/upstream/atlas-api-transformed.yaml"),
            7,
        ),
    ];
    println!(
        "| spec | parse YAML into a tree (the floor) | load | validate | model | emit | format, cold | format, warm | whole regen, cold | whole regen, warm | warm ÷ floor |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (label, path, runs) in specs {
        let Ok(text) = std::fs::read_to_string(&path) else {
            println!(
                "| {label} | skipped: {} is absent | | | | | | | | | |",
                path.display()
            );
            continue;
        };
        let operations = load::parse(&path, text.clone())
            .expect("loads")
            .document
            .operations()
            .count();
        let label = format!("{label} ({operations} operations)");
        let config = Config::new("bench", "0.1.0");
        let settings = Settings {
            runtime_path: "../runtime".to_owned(),
            ..Settings::default()
        };
        // Warm: rustfmt's results from an earlier run of the same spec.
        let cache = tempfile::tempdir().expect("a cache folder");
        let mut stages: [Vec<Duration>; 9] = Default::default();
        for _ in 0..runs {
            let start = Instant::now();
            // The floor: YAML into a tree, the fastest way serde_yaml offers.
            let _: serde_json::Value = serde_yaml::from_str(&text).expect("YAML");
            stages[0].push(start.elapsed());

            let whole = Instant::now();
            let start = Instant::now();
            let loaded = load::parse(&path, text.clone()).expect("loads");
            stages[1].push(start.elapsed());
            let start = Instant::now();
            validate::validate(&loaded, false).expect("valid");
            stages[2].push(start.elapsed());
            let start = Instant::now();
            let api = model::build(
                &loaded,
                &Config::new("bench", "0.1.0"),
                &Settings::default(),
            )
            .expect("models");
            stages[3].push(start.elapsed());
            let start = Instant::now();
            let files = emit::emit(&api, &config, &settings);
            stages[4].push(start.elapsed());
            let before_format = whole.elapsed();
            let start = Instant::now();
            let cold = format::format(files.clone(), None).expect("formats");
            stages[5].push(start.elapsed());
            let _ = format::format(files.clone(), Some(cache.path()));
            let start = Instant::now();
            let warm = format::format(files, Some(cache.path())).expect("formats");
            stages[6].push(start.elapsed());
            stages[7].push(before_format + stages[5][stages[5].len() - 1]);
            stages[8].push(before_format + stages[6][stages[6].len() - 1]);
            assert_eq!(cold, warm, "the cache gives rustfmt's own output");
        }
        let medians: Vec<Duration> = stages.into_iter().map(median).collect();
        let cells: Vec<String> = medians.iter().copied().map(ms).collect();
        println!(
            "| {label} | {} ms | {:.1}× |",
            cells.join(" ms | "),
            medians[8].as_secs_f64() / medians[0].as_secs_f64()
        );
    }
}
