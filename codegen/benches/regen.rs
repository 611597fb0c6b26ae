//! Regen time by stage, next to merely parsing the YAML (the floor), for the
//! project's fragment and, when ../shared is present, the whole upstream
//! spec. Prints Markdown table rows; `cargo xtask bench` collects them.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use openapi_clientgen::{Config, Settings, emit, format, load, model, validate};

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
            11,
        ),
    ];
    println!(
        "| spec | parse YAML into a tree (the floor) | load | validate, cold | validate, warm | model | emit | format, cold | format, warm | whole regen, cold | whole regen, warm | warm ÷ floor |"
    );
    println!(
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for (label, path, runs) in specs {
        let Ok(text) = std::fs::read_to_string(&path) else {
            println!(
                "| {label} | skipped: {} is absent | | | | | | | | | | |",
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
            runtime: openapi_clientgen::Runtime::Path("../runtime".to_owned()),
            ..Settings::default()
        };
        // Warm: rustfmt's results and pattern verdicts from an earlier run
        // of the same spec; cold: none.
        let cache = tempfile::tempdir().expect("a cache folder");
        let warm_settings = Settings {
            cache: Some(cache.path().to_owned()),
            ..settings.clone()
        };
        let mut stages: [Vec<Duration>; 10] = Default::default();
        let mut typing = Vec::new();
        let mut time = |stage: usize, work: &mut dyn FnMut()| {
            let start = Instant::now();
            work();
            stages[stage].push(start.elapsed());
        };
        for _ in 0..runs {
            // The floor: YAML into a tree, the fastest way serde_norway offers.
            time(0, &mut || {
                let _: serde_json::Value = serde_norway::from_str(&text).expect("YAML");
            });
            // As `openapi_clientgen::generate` runs the stages: `load` is reading the
            // tree and, after validation, typing it.
            let mut loaded = None;
            time(1, &mut || {
                loaded = Some(load::parse_untyped(&path, text.clone()).expect("loads"))
            });
            let mut loaded = loaded.expect("loaded");
            time(2, &mut || {
                validate::validate(&loaded, &settings).expect("valid");
            });
            validate::validate(&loaded, &warm_settings).expect("valid");
            let mut checked = None;
            time(3, &mut || {
                checked = Some(validate::validate(&loaded, &warm_settings).expect("valid"));
            });
            let checked = checked.expect("checked");
            let start = Instant::now();
            loaded.type_document().expect("types");
            typing.push(start.elapsed());
            let mut api = None;
            time(4, &mut || {
                api = Some(
                    model::build(&mut loaded, &checked.broken_patterns, &config, &settings)
                        .expect("models"),
                );
            });
            let api = api.expect("modelled");
            let mut files = Vec::new();
            time(5, &mut || files = emit::emit(&api));
            let mut cold = Default::default();
            time(6, &mut || {
                cold = format::format(files.clone(), None, None).expect("formats")
            });
            let _ = format::format(files.clone(), Some(cache.path()), None);
            let mut warm = Default::default();
            time(7, &mut || {
                warm = format::format(files.clone(), Some(cache.path()), None).expect("formats");
            });
            assert_eq!(cold, warm, "the cache gives rustfmt's own output");
        }
        // Whole regens, run by run: load, model and emit, with validate and
        // format cold or warm.
        for (run, typing) in typing.into_iter().enumerate() {
            stages[1][run] += typing;
        }
        for run in 0..runs {
            let common = stages[1][run] + stages[4][run] + stages[5][run];
            let cold = common + stages[2][run] + stages[6][run];
            let warm = common + stages[3][run] + stages[7][run];
            stages[8].push(cold);
            stages[9].push(warm);
        }
        // Run by run, so that a slow moment of a shared machine slows the
        // floor and the regen alike.
        let ratio = {
            let mut ratios: Vec<f64> = (0..runs)
                .map(|run| stages[9][run].as_secs_f64() / stages[0][run].as_secs_f64())
                .collect();
            ratios.sort_by(f64::total_cmp);
            ratios[runs / 2]
        };
        let cells: Vec<String> = stages[..10].iter().cloned().map(median).map(ms).collect();
        println!("| {label} | {} ms | {ratio:.1}× |", cells.join(" ms | "));
    }
}
