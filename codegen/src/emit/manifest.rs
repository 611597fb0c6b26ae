//! The generated crate's `Cargo.toml`.

use crate::model::Api;
use crate::{Config, Settings};

/// The manifest text; versions of shared dependencies follow the runtime's.
pub fn cargo_toml(api: &Api, config: &Config, settings: &Settings) -> String {
    let description = config
        .description
        .clone()
        .unwrap_or_else(|| format!("A typed client for the {}.", api.title));
    format!(
        r#"[package]
name = {name}
version = {version}
edition = "2024"
description = {description}
publish = false

[features]
# JSON Schema of every type, and `types::described()` for conformance tests.
schemars = ["dep:schemars", "client-runtime/schemars"]
# `mock::MockServer`: typed test doubles on a loopback server, for your tests.
mock = ["client-runtime/mock"]

[dependencies]
client-runtime = {{ path = {runtime}{runtime_features} }}
schemars = {{ version = "1.2", optional = true }}
serde = "1"
serde_json = "1"
"#,
        name = toml_string(&config.name),
        version = toml_string(&config.version),
        description = toml_string(&description),
        runtime = toml_string(&settings.runtime_path),
        runtime_features = if sends_multipart(api) {
            r#", features = ["multipart"]"#
        } else {
            ""
        },
    )
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
