//! Many documents through the generator at once: each is generated in
//! strict and lenient mode; every crate is written into one workspace with
//! a checker binary that depends on all of them, so that one `cargo
//! clippy` and one `cargo build` cover the batch (compiling thousands of
//! crates one by one would take hours on two cores). The checker decodes,
//! validates and encodes generated values of every type; the values come
//! from the spec's schemas (`schema::generate`) and must come back unchanged.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use openapi_clientgen::{Config, Error, GeneratedCrate, Runtime, Settings};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config as RunnerConfig, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Value, json};

use crate::schema::{Spec, generate, json_schema, without_nulls};

/// Values tried per generated type.
const VALUES_PER_TYPE: usize = 8;

/// What went wrong with one document.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Index of the document in the batch.
    pub document: usize,
    /// What kind of failure: `panic`, `unlocated`, `lenient-refused`,
    /// `strict-lenient-differ`, `compile`, `round-trip`.
    pub kind: &'static str,
    /// The evidence (messages, the value and what came back).
    pub detail: String,
}

/// A batch's counts and findings.
#[derive(Debug, Default)]
pub struct Report {
    pub documents: usize,
    /// Strict mode refused with located diagnostics.
    pub strict_refused: usize,
    /// Lenient mode refused with located diagnostics.
    pub lenient_refused: usize,
    /// Lenient mode generated but skipped operations.
    pub lenient_skipped_operations: usize,
    pub crates: usize,
    pub operations: usize,
    pub types: usize,
    /// Values that came back unchanged.
    pub values_round_tripped: usize,
    /// Distinct outlines of the documents' schemas (see [`shapes`]).
    pub shapes: BTreeSet<String>,
    pub findings: Vec<Finding>,
}

/// One document's crate, written into the batch.
struct Written {
    document: usize,
    package: String,
    dir: PathBuf,
    spec: Spec,
    /// Generated in strict mode. A crate only lenient mode generates has
    /// left parts of the spec out (each a warning): it must compile, but
    /// its types need not take every value the spec allows.
    strict: bool,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}

/// Runs the documents through generation, clippy and (with `values`) the
/// value checks, in the folder `work` (emptied first).
pub fn run(work: &Path, documents: &[Value], seed: u64, values: bool) -> Report {
    let _ = std::fs::remove_dir_all(work);
    std::fs::create_dir_all(work.join("specs")).expect("folder");
    let mut report = Report {
        documents: documents.len(),
        ..Report::default()
    };
    let mut written = Vec::new();
    for (index, document) in documents.iter().enumerate() {
        shapes(document, &mut report.shapes);
        if let Some(crate_) = generate_one(work, index, document, &mut report) {
            written.push(crate_);
        }
    }
    report.crates = written.len();
    let started = std::time::Instant::now();
    let failed = compile(work, &written, &mut report);
    let compiled = started.elapsed();
    // Values are drawn from a document's own schemas only where strict
    // mode generated it: a lenient crate may leave parts out.
    let checked: Vec<&Written> = written
        .iter()
        .filter(|crate_| crate_.strict && !failed.contains(&crate_.package))
        .collect();
    prune_artifacts();
    if values {
        // The checker links only the crates whose values it checks, and
        // needs neither their mocks (clippy has seen those), nor debug
        // info, nor a TLS stack (it sends nothing; rustls's C library is
        // minutes to build in a profile of its own): less to build.
        write_checker(work, &checked, &["__conformance"], false);
        round_trips(work, &checked, seed, &mut report);
        prune_artifacts();
    }
    eprintln!(
        "{}: {} crates, clippy {:.1?}, values {:.1?}",
        work.display(),
        written.len(),
        compiled,
        started.elapsed() - compiled
    );
    report
}

/// Generates one document in both modes; the crate to compile, if any.
fn generate_one(
    work: &Path,
    index: usize,
    document: &Value,
    report: &mut Report,
) -> Option<Written> {
    let name = format!("d{index:05}");
    let spec_path = work.join("specs").join(format!("{name}.json"));
    std::fs::write(
        &spec_path,
        serde_json::to_string_pretty(document).expect("JSON"),
    )
    .expect("spec written");
    let package = format!("fuzz-{name}");
    let dir = work.join(&name);
    let config = Config::new(&package, "0.1.0");
    let outcome = |lenient| {
        let settings = Settings {
            lenient,
            runtime: Runtime::path_between(&dir, &root().join("runtime")),
            ..Settings::default()
        };
        let spec_path = spec_path.clone();
        let config = config.clone();
        std::panic::catch_unwind(move || {
            openapi_clientgen::generate(&spec_path, &config, &settings)
        })
    };
    let mut finding = |kind, detail: String| {
        report.findings.push(Finding {
            document: index,
            kind,
            detail,
        });
    };
    let (strict, lenient) = match (outcome(false), outcome(true)) {
        (Ok(strict), Ok(lenient)) => (strict, lenient),
        (strict, lenient) => {
            let message = |result: std::thread::Result<_>| match result {
                Ok(_) => "returned".to_owned(),
                Err(panic) => panic_text(&*panic),
            };
            finding(
                "panic",
                format!(
                    "strict: {}; lenient: {}",
                    message(strict.map(|_| ())),
                    message(lenient.map(|_| ()))
                ),
            );
            return None;
        }
    };
    for (mode, result) in [("strict", &strict), ("lenient", &lenient)] {
        if let Err(error) = result
            && let Some(problem) = unlocated(error)
        {
            finding("unlocated", format!("{mode}: {problem}"));
        }
    }
    let strict_ok = strict.is_ok();
    let generated: GeneratedCrate = match (strict, lenient) {
        (Ok(strict), Ok(lenient)) => {
            if strict.files != lenient.files {
                finding(
                    "strict-lenient-differ",
                    "lenient mode wrote another crate although strict mode generated".to_owned(),
                );
            }
            strict
        }
        (Err(_), Ok(lenient)) => {
            report.strict_refused += 1;
            report.lenient_skipped_operations += lenient.report.skipped.len();
            lenient
        }
        (Ok(_), Err(error)) => {
            finding("lenient-refused", error.to_string());
            return None;
        }
        (Err(_), Err(_)) => {
            report.strict_refused += 1;
            report.lenient_refused += 1;
            return None;
        }
    };
    report.operations += generated
        .files
        .keys()
        .filter(|path| path.starts_with("src/operations/") && !path.ends_with("mod.rs"))
        .count();
    report.types += generated
        .files
        .keys()
        .filter(|path| path.starts_with("src/types/") && !path.ends_with("mod.rs"))
        .count();
    openapi_clientgen::write::replace_dir(&dir, &generated).expect("crate written");
    Some(Written {
        document: index,
        package,
        dir,
        spec: Spec::load(&spec_path),
        strict: strict_ok,
    })
}

/// A diagnostic that names no place, or an error that is not the spec's.
fn unlocated(error: &Error) -> Option<String> {
    let diagnostics = error.diagnostics();
    if diagnostics.is_empty() {
        return Some(format!("not a diagnostic of the spec: {error}"));
    }
    diagnostics
        .iter()
        .find(|diagnostic| !diagnostic.pointer.starts_with('#') || diagnostic.message.is_empty())
        .map(ToString::to_string)
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "a panic".to_owned())
}

/// `cargo clippy -D warnings` over every crate and the checker; returns the
/// packages that failed, each a finding.
fn compile(work: &Path, written: &[Written], report: &mut Report) -> BTreeSet<String> {
    write_workspace(work, written);
    let output = cargo(
        work,
        &[
            // The crates have no tests: `--all-targets` would lint each twice.
            "clippy",
            "--offline",
            "--workspace",
            "--keep-going",
            "--message-format=json",
            "--",
            "-D",
            "warnings",
        ],
    );
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for message in String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-message")
    {
        if message["message"]["level"] != "error" {
            continue;
        }
        let package = message["package_id"]
            .as_str()
            .and_then(|id| id.rsplit_once('#').map(|(_, rest)| rest))
            .and_then(|rest| rest.split('@').next())
            .unwrap_or_default()
            .to_owned();
        let rendered = message["message"]["rendered"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        errors.entry(package).or_default().push(rendered);
    }
    let mut failed = BTreeSet::new();
    for crate_ in written {
        let Some(messages) = errors.get(&crate_.package) else {
            continue;
        };
        failed.insert(crate_.package.clone());
        report.findings.push(Finding {
            document: crate_.document,
            kind: "compile",
            detail: messages
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n"),
        });
    }
    if !output.status.success() && failed.is_empty() {
        panic!(
            "cargo clippy failed outside the generated crates:\n{}\n{}",
            errors
                .values()
                .flatten()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n"),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    failed
}

/// Removes the batch's own crates from the shared target folder once
/// they are checked: the next batch's crates have the same names and new
/// contents, so nothing is lost, and a long run's disk use stays that of
/// one batch.
fn prune_artifacts() {
    let target = root().join("target/generated-crates-build");
    for profile in ["debug", "checker"] {
        for folder in ["deps", ".fingerprint", "incremental", "build"] {
            let Ok(entries) = std::fs::read_dir(target.join(profile).join(folder)) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let ours = [
                    "fuzz_d",
                    "libfuzz_d",
                    "fuzz-d",
                    "fuzz_checker",
                    "fuzz-checker",
                ]
                .iter()
                .any(|prefix| name.starts_with(prefix));
                if ours {
                    let path = entry.path();
                    let _ = if path.is_dir() {
                        std::fs::remove_dir_all(&path)
                    } else {
                        std::fs::remove_file(&path)
                    };
                }
            }
        }
    }
}

fn cargo(work: &Path, args: &[&str]) -> std::process::Output {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(args)
        .current_dir(work)
        // Incremental data of crates compiled once is only disk: a long
        // run filled 30 GB with it.
        .env("CARGO_INCREMENTAL", "0")
        .env(
            "CARGO_TARGET_DIR",
            root().join("target/generated-crates-build"),
        )
        .output()
        .expect("cargo runs")
}

/// The workspace: every crate, and the checker depending on them all.
fn write_workspace(work: &Path, written: &[Written]) {
    let members: Vec<String> = written
        .iter()
        .map(|crate_| format!("\"{}\"", crate_.dir.file_name().unwrap().to_string_lossy()))
        .chain(["\"checker\"".to_owned()])
        .collect();
    std::fs::write(
        work.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n[profile.checker]\ninherits = \"dev\"\ndebug = false\nincremental = false\n",
            members.join(", ")
        ),
    )
    .expect("workspace");
    std::fs::copy(root().join("Cargo.lock"), work.join("Cargo.lock")).expect("lock");
    // Clippy sees every crate with its mocks.
    write_checker(
        work,
        &written.iter().collect::<Vec<_>>(),
        &["__conformance", "mock"],
        true,
    );
}

/// A binary that reads `[document, pointer, value]` lines and answers each
/// with the value the type gave back (`{"back": …}`) or its refusal.
fn write_checker(work: &Path, written: &[&Written], features: &[&str], default_features: bool) {
    let dir = work.join("checker");
    std::fs::create_dir_all(dir.join("src")).expect("folder");
    let mut manifest = String::from(
        "[package]\nname = \"fuzz-checker\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nserde_json = \"1\"\n",
    );
    let mut arms = String::new();
    for crate_ in written {
        let library = crate_.package.replace('-', "_");
        let _ = writeln!(
            manifest,
            "{library} = {{ path = \"../{}\", package = \"{}\", default-features = {default_features}, features = [{}] }}",
            crate_.dir.file_name().unwrap().to_string_lossy(),
            crate_.package,
            features
                .iter()
                .map(|feature| format!("\"{feature}\""))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let _ = writeln!(
            arms,
            "        {} => {library}::types::described(),",
            crate_.document
        );
    }
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("manifest");
    let main = format!(
        r#"//! Decodes, validates and encodes each value as its document's type.
use std::io::BufRead;

fn main() {{
    for line in std::io::stdin().lock().lines() {{
        let line = line.expect("a line");
        let request: serde_json::Value = serde_json::from_str(&line).expect("JSON");
        let document = request[0].as_u64().expect("a document");
        let pointer = request[1].as_str().expect("a pointer");
        let entries = match document {{
{arms}            _ => Vec::new(),
        }};
        let answer = match entries.iter().find(|entry| entry.pointer == pointer) {{
            Some(entry) => match (entry.check)(request[2].clone()) {{
                Ok(back) => serde_json::json!({{"back": back}}),
                Err(refusal) => serde_json::json!({{"refused": format!("{{refusal:?}}")}}),
            }},
            None => serde_json::json!({{"refused": "no such type"}}),
        }};
        println!("{{answer}}");
    }}
}}
"#
    );
    std::fs::write(dir.join("src/main.rs"), main).expect("checker");
}

/// Values of every type of each strict crate that compiled, through the checker.
fn round_trips(work: &Path, crates: &[&Written], seed: u64, report: &mut Report) {
    if crates.is_empty() {
        return;
    }
    let mut requests = Vec::new();
    let mut rng_seed = [0u8; 32];
    rng_seed[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        RunnerConfig::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &rng_seed),
    );
    for crate_ in crates {
        let spec = &crate_.spec;
        let unreliable = left_recursive(spec);
        for name in spec.reachable_schemas() {
            // A union that is its own member has no agreed meaning (the
            // generator leaves that member out, JSON Schema validators
            // answer as their recursion limit falls): its values prove nothing.
            if reaches_any(spec, &name, &unreliable) {
                continue;
            }
            let key = Spec::component_name(&name);
            let pointer = openapi_clientgen::diagnostic::pointer("#/components/schemas", &[&key]);
            let schema = spec.schema(&name).clone();
            let validator = json_schema::validator(spec, &schema);
            let strategy = generate::instance(spec, &schema, 0);
            for _ in 0..VALUES_PER_TYPE {
                // A schema no value fits, or one the generator rejects too
                // often (a `oneOf` whose members overlap), gives none.
                let Ok(tree) = strategy.new_tree(&mut runner) else {
                    break;
                };
                let value = tree.current();
                if validator.is_valid(&value) {
                    requests.push((crate_, pointer.clone(), name.clone(), value));
                }
            }
        }
    }
    // A profile of its own without debug info links the batch faster.
    let build = cargo(
        work,
        &[
            "build",
            "--offline",
            "--quiet",
            "-p",
            "fuzz-checker",
            "--profile",
            "checker",
        ],
    );
    assert!(
        build.status.success(),
        "the checker does not build:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let lines: Vec<String> = requests
        .iter()
        .map(|(crate_, pointer, _, value)| json!([crate_.document, pointer, value]).to_string())
        .collect();
    let answers = checker_answers(&lines);
    for ((crate_, pointer, name, value), answer) in requests.iter().zip(answers) {
        let mut fail = |detail: String| {
            report.findings.push(Finding {
                document: crate_.document,
                kind: "round-trip",
                detail: format!("{pointer}: {detail}"),
            });
        };
        let answer = match answer {
            Ok(answer) => answer,
            Err(crash) => {
                fail(format!("the checker crashed on {value}: {crash}"));
                continue;
            }
        };
        let Some(back) = answer.get("back") else {
            fail(format!("refused the valid {value}: {}", answer["refused"]));
            continue;
        };
        if without_nulls(back) != without_nulls(value) {
            fail(format!("{value} came back as {back}"));
            continue;
        }
        let schema = crate_.spec.schema(name).clone();
        if !json_schema::validator(&crate_.spec, &schema).is_valid(back) {
            fail(format!("the re-encoded {back} does not fit the schema"));
            continue;
        }
        report.values_round_tripped += 1;
    }
}

/// The components that lead back to themselves through references and
/// `allOf`/`anyOf`/`oneOf` members alone, without reading into a value.
fn left_recursive(spec: &Spec) -> BTreeSet<String> {
    fn members<'v>(node: &'v Value, out: &mut Vec<&'v Value>) {
        for keyword in ["allOf", "anyOf", "oneOf"] {
            for member in node
                .get(keyword)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                out.push(member);
                members(member, out);
            }
        }
    }
    let names: Vec<String> = spec.root["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, _)| name.clone())
        .collect();
    // Which components each component's own node leads to directly.
    let edges: BTreeMap<String, Vec<String>> = names
        .iter()
        .map(|name| {
            let root = spec.schema_by_key(name);
            let mut nodes = vec![root];
            members(root, &mut nodes);
            let targets = nodes
                .into_iter()
                .filter_map(Spec::ref_name)
                .map(Spec::component_name)
                .collect();
            (name.clone(), targets)
        })
        .collect();
    names
        .iter()
        .filter(|name| {
            let mut pending: Vec<&String> = edges[*name].iter().collect();
            let mut seen = BTreeSet::new();
            while let Some(next) = pending.pop() {
                if next == *name {
                    return true;
                }
                if seen.insert(next) {
                    pending.extend(edges.get(next).into_iter().flatten());
                }
            }
            false
        })
        .cloned()
        .collect()
}

/// Whether the component `name` (as a reference writes it) is one of
/// `targets` or refers to one, anywhere inside.
fn reaches_any(spec: &Spec, name: &str, targets: &BTreeSet<String>) -> bool {
    let mut pending = vec![Spec::component_name(name)];
    let mut seen = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if targets.contains(&name) {
            return true;
        }
        if !seen.insert(name.clone()) {
            continue;
        }
        let mut nodes = vec![spec.schema_by_key(&name)];
        while let Some(node) = nodes.pop() {
            match node {
                Value::Object(map) => {
                    if let Some(target) = Spec::ref_name(node) {
                        pending.push(Spec::component_name(target));
                    }
                    nodes.extend(map.values());
                }
                Value::Array(items) => nodes.extend(items),
                _ => {}
            }
        }
    }
    false
}

/// The checker's answer to each line; a line it crashed on (a stack
/// overflow, a panic) is an error with what it printed, and the lines
/// after it are sent to a new checker.
fn checker_answers(lines: &[String]) -> Vec<Result<Value, String>> {
    let binary = root().join("target/generated-crates-build/checker/fuzz-checker");
    let mut answers = Vec::with_capacity(lines.len());
    while answers.len() < lines.len() {
        let input: String = lines[answers.len()..]
            .iter()
            .map(|line| format!("{line}\n"))
            .collect();
        let mut child = Command::new(&binary)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("checker runs");
        let mut stdin = child.stdin.take().expect("stdin");
        let writer = std::thread::spawn(move || {
            use std::io::Write as _;
            // A checker that crashed stops reading: the rest is sent again.
            let _ = stdin.write_all(input.as_bytes());
        });
        let output = child.wait_with_output().expect("checker ends");
        writer.join().expect("writer");
        answers.extend(
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .map(|line| Ok(serde_json::from_str(line).expect("an answer"))),
        );
        if !output.status.success() && answers.len() < lines.len() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            answers.push(Err(format!(
                "{}: {}",
                output.status,
                stderr.lines().take(3).collect::<Vec<_>>().join(" ")
            )));
        }
    }
    answers
}

/// The outline of every schema in a document, names and values left out:
/// which keywords meet where (`object{properties:[string|nullable,$ref]}`),
/// so that a run can say how many distinct shapes it covered.
pub fn shapes(document: &Value, out: &mut BTreeSet<String>) {
    fn outline(node: &Value) -> String {
        let Some(map) = node.as_object() else {
            return String::new();
        };
        let mut parts = Vec::new();
        for (key, value) in map {
            match key.as_str() {
                "$ref" => parts.push("$ref".to_owned()),
                "type" => parts.push(format!("type={value}")),
                "nullable" | "readOnly" | "writeOnly" | "format" | "default" | "enum"
                | "pattern" | "minimum" | "maximum" => parts.push(key.clone()),
                "properties" => {
                    let mut inner: Vec<String> = value
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(_, v)| outline(v))
                        .collect();
                    inner.sort();
                    parts.push(format!("properties[{}]", inner.join(",")));
                }
                "items" | "additionalProperties" => {
                    parts.push(format!("{key}({})", outline(value)));
                }
                "oneOf" | "anyOf" | "allOf" => {
                    let inner: Vec<String> = value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(outline)
                        .collect();
                    parts.push(format!("{key}[{}]", inner.join(",")));
                }
                "required" => parts.push("required".to_owned()),
                _ => {}
            }
        }
        format!("{{{}}}", parts.join(" "))
    }
    for schema in document["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, schema)| schema)
    {
        out.insert(outline(schema));
    }
}

/// `count` documents drawn with `seed`, each with the value tree proptest
/// shrinks it by.
pub fn documents(count: usize, seed: u64) -> Vec<Box<dyn ValueTree<Value = super::Plan>>> {
    let mut rng_seed = [0u8; 32];
    rng_seed[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        RunnerConfig::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &rng_seed),
    );
    let strategy = super::plan().boxed();
    (0..count)
        .map(|_| {
            Box::new(strategy.new_tree(&mut runner).expect("a plan"))
                as Box<dyn ValueTree<Value = super::Plan>>
        })
        .collect()
}
