//! The generated crate's `README.md`: what the crate is, how to depend on
//! it, and a first call, taken from the spec. The crate compiles its Rust
//! sample as a `no_run` doctest, so the README cannot drift from the code.
//!
//! Spec text enters only as single lines (`one_line`), which Markdown
//! cannot turn into a code block: nothing from the spec is compiled.

use std::fmt::Write as _;

use super::client::{environment_lines, scheme_lines};
use super::manifest::one_line;
use crate::config::DefaultFeatures;
use crate::http_method::HttpMethod;
use crate::model::{Api, Operation, TypeRef};

/// The README text.
pub fn readme(api: &Api) -> String {
    let package = &api.package;
    let library = package.name.replace('-', "_");
    let mut text = String::new();
    let _ = writeln!(text, "# {}\n", package.name);
    let _ = writeln!(text, "{}\n", one_line(&package.description));
    let _ = writeln!(
        text,
        "A typed Rust client for the {} (API version {}), generated from its OpenAPI document by openapi-clientgen. Every call goes through a request builder: set its inputs, then `send().await`. Inputs are checked against the document before anything is sent.\n",
        one_line(&api.title),
        one_line(&api.version)
    );
    let call = first_operation(api);
    // With tag features off by default, the sample's tag is turned on.
    let dependency = match call
        .as_ref()
        .and_then(|(operation, _)| operation.decided.feature.as_ref())
    {
        Some(feature) if api.default_features == DefaultFeatures::None => format!(
            "{{ version = \"{}\", features = [\"{feature}\"] }}",
            package.version
        ),
        _ => format!("\"{}\"", package.version),
    };
    let _ = writeln!(
        text,
        "## Install\n\n```toml\n[dependencies]\n{} = {dependency}\n# Calls are async: they need a Tokio runtime.\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n```\n",
        package.name
    );
    text.push_str("## First call\n\n");
    let (variables, credentials) = environment_lines(api);
    let client = if credentials {
        "Client::from_env()?"
    } else if api.default_server.is_some() {
        "Client::new()?"
    } else {
        "Client::builder().base_url(\"https://api.example.com\").build()?"
    };
    let _ = writeln!(
        text,
        "```rust,no_run\nuse {library}::Client;\n\nasync fn first_call() -> Result<(), Box<dyn std::error::Error>> {{\n    let client = {client};"
    );
    match &call {
        Some((operation, setters)) => {
            let _ = writeln!(
                text,
                "    let response = client.{method}(){setters}.send().await?;\n    println!(\"{method} answered {{}}\", response.status());",
                method = operation.decided.rust_method
            );
        }
        None => text.push_str("    println!(\"calls go to {}\", client.base_url());\n"),
    }
    text.push_str("    Ok(())\n}\n```\n\n");
    if let Some((operation, _)) = &call {
        let _ = writeln!(
            text,
            "`{}` is the operation `{}`; `response.into_inner()` is its decoded body. Each operation is a method of `Client` that returns a request builder.\n",
            operation.decided.rust_method,
            one_line(&operation.id)
        );
    }
    text.push_str("## Credentials\n\n");
    let schemes = scheme_lines(api);
    if schemes.is_empty() {
        text.push_str("The API declares no credentials.\n\n");
    } else {
        let _ = writeln!(
            text,
            "The API's security schemes, each with the `ClientBuilder` methods that give it credentials:\n\n{}\n",
            schemes.join("\n")
        );
    }
    if !variables.is_empty() {
        let _ = writeln!(
            text,
            "`Client::from_env()` reads these variables:\n\n{}\n",
            variables.join("\n")
        );
    }
    text.push_str("## Features\n\n- `rustls` (default) or `native-tls`: the TLS stack.\n- `mock`: `mock::MockServer`, typed test doubles on a loopback server, for your tests.\n- `schemars`: `schemars::JsonSchema` for every type.\n- `middleware`: `ClientBuilder::with_middleware`, reqwest-middleware layers around every attempt.\n");
    if !api.tag_features.is_empty() {
        let _ = writeln!(
            text,
            "\nEach tag's operations, and the types only they use, compile under a feature of their own ({}; `full` is all of them):\n",
            match api.default_features {
                DefaultFeatures::All =>
                    "all on by default: turn off what you do not call with `default-features = false`",
                DefaultFeatures::None => "none on by default: turn on the ones you call",
            }
        );
        for feature in &api.tag_features {
            let count = api
                .operations
                .iter()
                .filter(|operation| operation.decided.feature.as_ref() == Some(&feature.name))
                .count();
            let _ = writeln!(
                text,
                "- `{}`: {count} operation{} {}.",
                feature.name,
                if count == 1 { "" } else { "s" },
                match &feature.tag {
                    Some(tag) => format!("tagged `{}`", one_line(tag).replace('`', "'")),
                    None => "without a tag".to_owned(),
                }
            );
        }
    }
    text
}

/// The feature the README's sample needs, with features per tag.
pub fn sample_feature(api: &Api) -> Option<&str> {
    first_operation(api)?.0.decided.feature.as_deref()
}

/// The operation a sample calls, with the setters that give its required
/// inputs: one that literal values alone can call, not deprecated (a
/// sample should not teach what the API means to retire), a `GET` if there
/// is one (a reader may run the sample as it is), with the fewest required
/// inputs; the first in the crate's order among equals.
fn first_operation(api: &Api) -> Option<(&Operation, String)> {
    let mut operations: Vec<&Operation> = api.operations.iter().collect();
    operations.retain(|operation| {
        !operation.deprecated
            && !operation
                .params
                .iter()
                .any(|param| param.required && param.deprecated)
    });
    operations.sort_by_key(|operation| {
        (
            operation.method != HttpMethod::Get,
            operation
                .params
                .iter()
                .filter(|param| param.required)
                .count(),
        )
    });
    operations.into_iter().find_map(|operation| {
        if operation.body.as_ref().is_some_and(|body| body.required) {
            return None;
        }
        let mut setters = String::new();
        for param in operation.params.iter().filter(|param| param.required) {
            let value = match &param.shape.ty {
                TypeRef::String | TypeRef::Password => "\"...\"",
                TypeRef::Integer(_) => "1",
                TypeRef::Number(_) => "1.0",
                TypeRef::Boolean => "true",
                _ => return None,
            };
            let _ = write!(setters, ".{}({value})", param.rust_name);
        }
        Some((operation, setters))
    })
}
