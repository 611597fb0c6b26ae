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
publish = false

[features]
default = ["rustls"]
# The TLS stack: rustls with aws-lc-rs (its first build compiles a C
# library), or the system's TLS through native-tls (OpenSSL on Linux).
rustls = ["client-runtime/rustls"]
native-tls = ["client-runtime/native-tls"]
# `schemars::JsonSchema` for every type.
schemars = ["dep:schemars", "client-runtime/schemars"]
# Internal: the generator's conformance harness. Not for use.
__conformance = ["schemars", "client-runtime/__conformance"]
# `mock::MockServer`: typed test doubles on a loopback server, for your tests.
mock = ["client-runtime/mock"]

[dependencies]
client-runtime = {{ {runtime}, default-features = false{runtime_features} }}
schemars = {{ version = "1.2", optional = true }}
serde = "1"
serde_json = "1"
"#,
        name = toml_string(&package.name),
        msrv = crate::settings::RUNTIME_MSRV,
        version = toml_string(&package.version),
        description = toml_string(&one_line(&package.description)),
        runtime = match &api.runtime {
            Runtime::Version(version) => format!("version = {}", toml_string(version)),
            Runtime::Path(path) => format!("path = {}", toml_string(path)),
        },
        runtime_features = runtime_features(api),
    )
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
fn one_line(text: &str) -> String {
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
