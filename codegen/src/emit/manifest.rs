//! The generated crate's `Cargo.toml`.

use crate::model::Api;
use crate::settings::Runtime;

/// The manifest text; versions of shared dependencies follow the runtime's.
pub fn cargo_toml(api: &Api) -> String {
    let package = &api.package;
    format!(
        r#"[package]
name = {name}
version = {version}
edition = "2024"
rust-version = "{msrv}"
description = {description}
{publishing}readme = "README.md"
{publish}
[features]
default = ["rustls"{default_tags}]
# The TLS stack: rustls with aws-lc-rs (its first build compiles a C
# library), or the system's TLS through native-tls (OpenSSL on Linux).
rustls = ["client-runtime/rustls"]
native-tls = ["client-runtime/native-tls"]
# `schemars::JsonSchema` for every type.
schemars = ["dep:schemars", "client-runtime/schemars"{replacement_schemars}]
# Internal: the generator's conformance harness. Not for use.
__conformance = ["schemars", "client-runtime/__conformance"]
# `mock::MockServer`: typed test doubles on a loopback server, for your tests.
mock = ["client-runtime/mock"]
# `ClientBuilder::with_middleware`: reqwest-middleware layers (tracing,
# caching, signing) around every attempt.
middleware = ["client-runtime/middleware"]
{tag_features}
[dependencies]
client-runtime = {{ {runtime}, default-features = false{runtime_features} }}
schemars = {{ version = "1.2", optional = true }}
serde = "1"
serde_json = "1"
{replacement_dependencies}
# docs.rs documents the test doubles, the schemas and the layers too.
[package.metadata.docs.rs]
features = ["mock", "schemars", "middleware"{docs_tags}]
"#,
        name = toml_string(&package.name),
        msrv = crate::settings::RUNTIME_MSRV,
        version = toml_string(&package.version),
        description = toml_string(&one_line(&package.description)),
        publishing = publishing_keys(api),
        publish = if package.publish {
            ""
        } else {
            "publish = false\n"
        },
        runtime = match &api.runtime {
            Runtime::Version(version) => format!("version = {}", toml_string(version)),
            Runtime::Path(path) => format!("path = {}", toml_string(path)),
            Runtime::PathAndVersion { path, version } => format!(
                "path = {}, version = {}",
                toml_string(path),
                toml_string(version)
            ),
        },
        runtime_features = runtime_features(api),
        default_tags = default_tags(api),
        docs_tags = if api.tag_features.is_empty() {
            ""
        } else {
            ", \"full\""
        },
        tag_features = tag_features(api),
        replacement_schemars = api
            .replacement_crates
            .iter()
            .filter_map(|replacement| Some(format!(
                ", {}",
                toml_string(replacement.schemars.as_ref()?)
            )))
            .collect::<String>(),
        replacement_dependencies = replacement_dependencies(api),
    )
}

/// A line for each crate a `[replace]` type comes from, as `cargo add`
/// writes one: `url = { version = "2", features = ["serde"] }`.
fn replacement_dependencies(api: &Api) -> String {
    let mut lines = String::new();
    for replacement in &api.replacement_crates {
        let mut keys = Vec::new();
        if let Some(version) = &replacement.version {
            keys.push(format!("version = {}", toml_string(version)));
        }
        if !replacement.features.is_empty() {
            let features = toml::Value::Array(
                replacement
                    .features
                    .iter()
                    .cloned()
                    .map(toml::Value::String)
                    .collect(),
            );
            keys.push(format!("features = {features}"));
        }
        lines.push_str(&format!(
            "{} = {{ {} }}\n",
            replacement.crate_name(),
            keys.join(", ")
        ));
    }
    lines
}

/// The `[package]` lines the configuration asks for beyond name, version
/// and description, in the order `cargo new` and crates.io's guide use.
fn publishing_keys(api: &Api) -> String {
    let package = &api.package;
    let mut lines = String::new();
    let mut line = |key: &str, value: toml::Value| {
        lines.push_str(&format!("{key} = {value}\n"));
    };
    let list = |items: &[String]| {
        toml::Value::Array(items.iter().cloned().map(toml::Value::String).collect())
    };
    if !package.authors.is_empty() {
        line("authors", list(&package.authors));
    }
    for (key, value) in [
        ("license", &package.license),
        ("repository", &package.repository),
        ("homepage", &package.homepage),
        ("documentation", &package.documentation),
    ] {
        if let Some(value) = value {
            line(key, toml::Value::String(one_line(value)));
        }
    }
    if !package.keywords.is_empty() {
        line("keywords", list(&package.keywords));
    }
    if !package.categories.is_empty() {
        line("categories", list(&package.categories));
    }
    lines
}

/// `, "pets", "store"` after `"rustls"` in `default`, when every tag is on
/// by default.
fn default_tags(api: &Api) -> String {
    if api.default_features == crate::config::DefaultFeatures::None {
        return String::new();
    }
    api.tag_features
        .iter()
        .map(|feature| format!(", {}", toml_string(&feature.name)))
        .collect()
}

/// One feature per tag, and `full` for all of them; nothing without
/// features per tag.
fn tag_features(api: &Api) -> String {
    if api.tag_features.is_empty() {
        return String::new();
    }
    let mut text = String::from(
        "# The operations of each tag, and the types only they use (README, \"Features\").\n",
    );
    let names: Vec<String> = api
        .tag_features
        .iter()
        .map(|feature| toml_string(&feature.name))
        .collect();
    text.push_str(&format!("full = [{}]\n", names.join(", ")));
    // Feature names are made of `a-z`, `0-9` and `-`: bare keys.
    for feature in &api.tag_features {
        text.push_str(&format!("{} = []\n", feature.name));
    }
    text
}

/// `, features = [...]` for the runtime dependency, or nothing: each
/// optional part of the runtime that this crate needs, as the model
/// decided, so that a crate depends on nothing its spec does not use.
fn runtime_features(api: &Api) -> String {
    if api.runtime_features.is_empty() {
        return String::new();
    }
    let quoted: Vec<String> = api
        .runtime_features
        .iter()
        .map(|feature| format!("{feature:?}"))
        .collect();
    format!(", features = [{}]", quoted.join(", "))
}

/// Text from the spec as one line of plain text: cargo hands the
/// description to rustc in an environment variable, which cannot hold a
/// NUL ("nul byte found in provided data"), and `cargo publish` shows it
/// on one line. Control characters and those that reorder text become
/// spaces; runs of white space one space.
pub(super) fn one_line(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| match c {
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A TOML string.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}
