//! Mutated specs through load, validate, model and emit: every rejection
//! must be a diagnostic with a place, never a panic, and whatever the model
//! accepts must emit Rust that parses.
//!
//! `cargo xtask fuzz --cases N` runs it longer; the suite runs a bounded number of cases.

use std::path::{Path, PathBuf};

use openapi_clientgen::{Config, Error};
use proptest::prelude::*;
use serde_json::{Value, json};

fn corpus() -> Vec<(PathBuf, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = vec![root.join("spec/openapi.yaml")];
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures"))
        .expect("fixtures")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        // The documents; a fixture's settings (`<stem>.toml`) sit beside it.
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "yaml" || ext == "json")
        })
        .collect();
    fixtures.sort();
    files.extend(fixtures);
    files
        .into_iter()
        .map(|path| {
            let value = openapi_clientgen::load::load(&path)
                .unwrap_or_else(|error| panic!("{error}"))
                .into_tree();
            (path, value)
        })
        .collect()
}

/// Every node's JSON pointer, in a stable order.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                pointers(
                    child,
                    format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
}

/// Where both serde_norway and the YAML reader accept the text, they read
/// the same tree, keys in the same order. (Where libyaml and yaml-rust2
/// disagree on what is valid YAML, one refuses; that is not compared.)
fn same_tree_as_serde_norway(text: &str) {
    // YAML 1.2 lets an anchor or alias name hold `:` (`&description: x` is
    // the anchor `description:` on `x`), which yaml-rust2 follows; libyaml
    // reads YAML 1.1, whose names stop there (an anchored empty key). Both
    // accept such text and read it differently, by their specifications.
    let colon_in_a_name = text
        .split_whitespace()
        .any(|word| (word.starts_with('&') || word.starts_with('*')) && word[1..].contains(':'));
    if colon_in_a_name {
        return;
    }
    if let (Ok(ours), Ok(theirs)) = (
        openapi_clientgen::load::yaml::parse(text),
        serde_norway::from_str::<Value>(text),
    ) {
        assert_eq!(ours.to_string(), theirs.to_string(), "{text}");
    }
}

/// One edit at one node.
#[derive(Debug, Clone)]
enum Mutation {
    Remove,
    Replace(Value),
    Reference(String),
    Copy(u64),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let scalar = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "[a-zA-Z0-9#/{}_ .+-]{0,12}".prop_map(Value::String),
        Just(json!("object")),
        Just(json!("array")),
        Just(json!("integer")),
        Just(json!([])),
        Just(json!({})),
        Just(json!({"type": "string", "enum": [null, "A"]})),
        Just(json!({"oneOf": [{"type": "integer"}, {}]})),
        Just(json!({"$ref": "#/components/schemas/Missing"})),
    ];
    prop_oneof![
        Just(Mutation::Remove),
        scalar.prop_map(Mutation::Replace),
        "#/components/(schemas|parameters|responses)/[A-Za-z]{1,12}".prop_map(Mutation::Reference),
        any::<u64>().prop_map(Mutation::Copy),
    ]
}

fn apply(document: &mut Value, selector: u64, mutation: &Mutation) {
    let mut all = Vec::new();
    pointers(document, String::new(), &mut all);
    let target = all[(selector % all.len() as u64) as usize].clone();
    let replacement = match mutation {
        Mutation::Remove => None,
        Mutation::Replace(value) => Some(value.clone()),
        Mutation::Reference(target) => Some(json!({ "$ref": target })),
        Mutation::Copy(source) => document
            .pointer(&all[(*source % all.len() as u64) as usize])
            .cloned(),
    };
    let Some((parent, key)) = target.rsplit_once('/') else {
        return;
    };
    match (document.pointer_mut(parent), replacement) {
        (Some(Value::Object(map)), None) => {
            map.remove(&key.replace("~1", "/").replace("~0", "~"));
        }
        (Some(Value::Object(map)), Some(value)) => {
            map.insert(key.replace("~1", "/").replace("~0", "~"), value);
        }
        (Some(Value::Array(items)), replacement) => {
            if let Ok(index) = key.parse::<usize>()
                && index < items.len()
            {
                match replacement {
                    Some(value) => items[index] = value,
                    None => {
                        items.remove(index);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Runs the stages up to emitting, in `openapi_clientgen::generate`'s order (the
/// tree validated, then typed part by part); panics only on a broken
/// promise. Typing part by part must give what typing whole gives.
fn run_stages(file: &Path, text: String) {
    same_tree_as_serde_norway(&text);
    let whole = openapi_clientgen::load::parse(file, text.clone());
    let mut loaded = match openapi_clientgen::load::parse_untyped(file, text) {
        Ok(loaded) => loaded,
        Err(error) => {
            let whole = whole.expect_err("both refuse the text");
            assert_eq!(error.diagnostics(), whole.diagnostics());
            return assert_located(&error);
        }
    };
    if let Err(error) =
        openapi_clientgen::validate::validate(&loaded, &openapi_clientgen::Settings::default())
    {
        assert_located(&error);
    }
    // Lenient mode lets more through to the model, which must cope with it.
    let settings = openapi_clientgen::Settings {
        lenient: true,
        ..openapi_clientgen::Settings::default()
    };
    let checked = match openapi_clientgen::validate::validate(&loaded, &settings) {
        Ok(checked) => checked,
        Err(error) => return assert_located(&error),
    };
    match (loaded.type_document(), &whole) {
        (Ok(()), Ok(whole)) => assert_eq!(loaded.document, whole.document),
        (Err(parts), Err(whole)) => {
            assert_eq!(parts.diagnostics(), whole.diagnostics());
            return assert_located(&parts);
        }
        (parts, whole) => panic!(
            "typed part by part: {parts:?}; whole: {:?}",
            whole.as_ref().map(|_| ())
        ),
    }
    let config = Config::new("fuzzed", "0.1.0");
    let api = match openapi_clientgen::model::build(
        &mut loaded,
        &checked.broken_patterns,
        &config,
        &settings,
    ) {
        Ok(api) => api,
        Err(error) => return assert_located(&error),
    };
    for file in openapi_clientgen::emit::emit(&api) {
        if let openapi_clientgen::emit::EmittedFile::Rust { path, source } = file
            && let Err(error) = syn::parse_file(&source)
        {
            panic!("the model accepted the spec but {path} does not parse: {error}");
        }
    }
}

fn assert_located(error: &Error) {
    let diagnostics = error.diagnostics();
    assert!(
        !diagnostics.is_empty(),
        "a spec problem without a diagnostic: {error}"
    );
    for diagnostic in diagnostics {
        assert!(
            diagnostic.pointer.starts_with('#'),
            "no JSON pointer: {diagnostic}"
        );
        assert!(!diagnostic.message.is_empty(), "no message: {diagnostic:?}");
        assert!(
            diagnostic
                .file
                .extension()
                .is_some_and(|extension| extension == "yaml" || extension == "json"),
            "no file: {diagnostic:?}"
        );
    }
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(192)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_specs_never_panic(
        seed in any::<usize>(),
        edits in proptest::collection::vec((any::<u64>(), mutation()), 1..4),
    ) {
        let corpus = corpus();
        let (path, document) = &corpus[seed % corpus.len()];
        let mut document = document.clone();
        for (selector, mutation) in &edits {
            apply(&mut document, *selector, mutation);
        }
        let text = serde_norway::to_string(&document).expect("JSON is YAML");
        run_stages(path, text);
    }

    #[test]
    fn truncated_and_garbled_text_never_panics(seed in any::<usize>(), cut in any::<usize>(), junk in "[\\[\\]{}:\\-#&*!|> \n\"']{0,6}") {
        let corpus = corpus();
        let (path, document) = &corpus[seed % corpus.len()];
        let text = serde_norway::to_string(document).expect("JSON is YAML");
        let mut cut = cut % (text.len() + 1);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        run_stages(path, format!("{}{junk}{}", &text[..cut], &text[cut..]));
    }
}
