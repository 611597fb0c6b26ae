//! The generated crate's `Cargo.toml`.

use super::EmittedFile;
use crate::model::Api;
use crate::settings::Runtime;
use crate::{Config, Settings};

/// The manifest text; versions of shared dependencies follow the runtime's.
/// `files` are the crate's other files, whose code decides which optional
/// parts of the runtime it asks for.
pub fn cargo_toml(
    api: &Api,
    config: &Config,
    settings: &Settings,
    files: &[EmittedFile],
) -> String {
    let description = config
        .description
        .clone()
        .unwrap_or_else(|| format!("A typed client for the {}.", api.title));
    format!(
        r#"[package]
name = {name}
version = {version}
edition = "2024"
rust-version = "{msrv}"
description = {description}
publish = false

[features]
default = ["rustls"]
# The TLS stack: rustls with aws-lc-rs (its first build compiles a C
# library), or the system's TLS through native-tls (OpenSSL on Linux).
rustls = ["client-runtime/rustls"]
native-tls = ["client-runtime/native-tls"]
# JSON Schema of every type, and `types::described()` for conformance tests.
schemars = ["dep:schemars", "client-runtime/schemars"]
# `mock::MockServer`: typed test doubles on a loopback server, for your tests.
mock = ["client-runtime/mock"]

[dependencies]
client-runtime = {{ {runtime}, default-features = false{runtime_features} }}
schemars = {{ version = "1.2", optional = true }}
serde = "1"
serde_json = "1"
"#,
        name = toml_string(&config.name),
        msrv = crate::settings::RUNTIME_MSRV,
        version = toml_string(&config.version),
        description = toml_string(&description),
        runtime = match config.runtime.as_ref().unwrap_or(&settings.runtime) {
            Runtime::Version(version) => format!("version = {}", toml_string(version)),
            Runtime::Path(path) => format!("path = {}", toml_string(path)),
        },
        runtime_features = runtime_features(api, files),
    )
}

/// `, features = [...]` for the runtime dependency, or nothing: each
/// optional part of the runtime that this crate needs, so that a crate
/// depends on nothing its spec does not use.
fn runtime_features(api: &Api, files: &[EmittedFile]) -> String {
    // What the emitted code names, as `TokenStream`'s text writes paths.
    let names = |needles: &[&str]| {
        files.iter().any(|file| match file {
            EmittedFile::Rust { source, .. } => {
                needles.iter().any(|needle| source.contains(needle))
            }
            EmittedFile::Text { .. } => false,
        })
    };
    let features: Vec<&str> = [
        (
            "chrono",
            names(&[
                "client_runtime :: chrono ::",
                "client_runtime :: date_time_text",
            ]),
        ),
        ("multipart", sends_multipart(api)),
        ("patterns", names(&["client_runtime :: Pattern"])),
        ("uuid", names(&["client_runtime :: uuid ::"])),
    ]
    .into_iter()
    .filter_map(|(feature, needed)| needed.then_some(feature))
    .collect();
    if features.is_empty() {
        return String::new();
    }
    let quoted: Vec<String> = features
        .iter()
        .map(|feature| format!("{feature:?}"))
        .collect();
    format!(", features = [{}]", quoted.join(", "))
}

/// Whether an operation sends a `multipart/form-data` body, which the
/// runtime encodes only with its `multipart` feature (and its dependencies).
fn sends_multipart(api: &Api) -> bool {
    api.operations.iter().any(|operation| {
        operation
            .body
            .as_ref()
            .is_some_and(|body| crate::media::is_multipart(&body.content.media_type))
    })
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
