//! The spec diff's verdict on the generated crate agrees with the compiler.
//!
//! For every rule of the diff's table (`Kind::ALL`), an example change to
//! one base spec: both crates are generated, the diff compares them, and a
//! user crate written against the old crate (every operation called with
//! every input and its result's type named, every type built with `new`
//! and every `with_` method, every field read, every enum matched, a
//! wildcard arm only where the enum is `#[non_exhaustive]`) is compiled
//! against the new one. It must compile exactly when the diff's public
//! items say nothing breaks, and when the rule's "old code compiles" says
//! so. A new rule fails here until it has an example.
//!
//! Every crate is checked in one `cargo check` of a workspace under
//! `target/diff-compiles/`, offline, in the target folder the other
//! generated-crate tests share.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use openapi_clientgen::compare::{Build, Kind, Report};
use openapi_clientgen::{Config, GeneratedCrate, Runtime, Settings};
use quote::ToTokens;
use serde_json::{Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}

/// The spec every example changes: operations with path, query and body
/// inputs, request-only and response-only types, a string enum on each
/// side, a union, an inline object, an error type and a security scheme.
fn base() -> Value {
    let string = json!({"type": "string"});
    let thing = json!({"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}});
    let problem = json!({"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}});
    let thing_id = json!({"name": "thingId", "in": "path", "required": true, "schema": string});
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Diff", "version": "1"},
        "servers": [{"url": "https://diff.example.com"}],
        "security": [{"key": []}],
        "paths": {
            "/things/{thingId}": {
                "get": {
                    "operationId": "getThing",
                    "parameters": [
                        thing_id,
                        {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
                        {"name": "scope", "in": "query", "required": true, "schema": string},
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100, "default": 10}},
                        {"name": "tag", "in": "query", "schema": {"type": "string", "pattern": "^[a-z]+$"}},
                        {"name": "ids", "in": "query", "schema": {"type": "array", "items": string}},
                    ],
                    "responses": {
                        "200": {"description": "The thing.", "content": thing},
                        "404": {"description": "Missing.", "content": problem},
                        "409": {"description": "Conflict.", "content": problem},
                    },
                },
                "put": {
                    "operationId": "putThing",
                    "parameters": [thing_id],
                    "requestBody": {
                        "required": true,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ThingInput"}}},
                    },
                    "responses": {"200": {"description": "Stored.", "content": thing}},
                },
                "delete": {
                    "operationId": "deleteThing",
                    "parameters": [thing_id],
                    "responses": {"200": {"description": "Deleted."}},
                },
            },
            "/ping": {
                "get": {"operationId": "ping", "responses": {"204": {"description": "Pong."}}},
            },
        },
        "components": {
            "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
            "schemas": {
                "Thing": {
                    "type": "object",
                    "required": ["id", "kind"],
                    "properties": {
                        "id": string,
                        "kind": {"$ref": "#/components/schemas/Kind"},
                        "label": string,
                        "shape": {"$ref": "#/components/schemas/Shape"},
                        "size": {"type": "integer"},
                        "note": {"type": "string", "nullable": true},
                        "extra": {"$ref": "#/components/schemas/Extra"},
                    },
                },
                "ThingInput": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string", "maxLength": 10},
                        "color": {"$ref": "#/components/schemas/Color"},
                        "dims": {"type": "object", "properties": {"w": {"type": "integer"}, "h": {"type": "integer"}}},
                    },
                },
                "Kind": {"type": "string", "enum": ["small", "large"]},
                "Color": {"type": "string", "enum": ["red", "blue"]},
                "Shape": {"oneOf": [
                    {"$ref": "#/components/schemas/Circle"},
                    {"$ref": "#/components/schemas/Square"},
                ]},
                "Circle": {"type": "object", "required": ["radius"], "properties": {"radius": {"type": "number"}}},
                "Square": {"type": "object", "required": ["side"], "properties": {"side": {"type": "number"}}},
                "Extra": {"type": "string"},
                "Problem": {"type": "object", "required": ["message"], "properties": {"message": string}},
            },
        },
    })
}

/// The node at a JSON pointer written with `/` between plain segments
/// (`paths./things/{thingId}.get` is written `["paths", "/things/{thingId}", "get"]`).
fn at<'v>(spec: &'v mut Value, path: &[&str]) -> &'v mut Value {
    path.iter().fold(spec, |node, key| match node {
        Value::Array(items) => &mut items[key.parse::<usize>().expect("index")],
        _ => &mut node[*key],
    })
}

const GET: [&str; 3] = ["paths", "/things/{thingId}", "get"];
const PUT: [&str; 3] = ["paths", "/things/{thingId}", "put"];
const DELETE: [&str; 3] = ["paths", "/things/{thingId}", "delete"];

fn schema<'s>(spec: &'s mut Value, name: &str) -> &'s mut Value {
    at(spec, &["components", "schemas", name])
}

fn get_parameters(spec: &mut Value) -> &mut Vec<Value> {
    at(spec, &[GET[0], GET[1], GET[2], "parameters"])
        .as_array_mut()
        .expect("parameters")
}

fn get_parameter<'s>(spec: &'s mut Value, name: &str) -> &'s mut Value {
    get_parameters(spec)
        .iter_mut()
        .find(|parameter| parameter["name"] == name)
        .expect("parameter")
}

fn remove(node: &mut Value, key: &str) {
    node.as_object_mut().expect("object").remove(key);
}

/// The example change for each rule: the base spec, changed.
fn example(kind: Kind, spec: &mut Value) {
    let string = json!({"type": "string"});
    match kind {
        Kind::OperationAdded => {
            spec["paths"]["/extra"] = json!({"get": {"operationId": "getExtra", "responses": {"204": {"description": "Done."}}}});
        }
        Kind::OperationRemoved => remove(&mut spec["paths"], "/ping"),
        Kind::OperationRenamed => {
            spec["paths"]["/ping"]["get"]["operationId"] = json!("pingServer")
        }
        Kind::OperationRouteChanged => {
            let ping = spec["paths"]["/ping"].take();
            remove(&mut spec["paths"], "/ping");
            spec["paths"]["/health"] = ping;
        }
        Kind::ParameterAddedRequired => get_parameters(spec)
            .push(json!({"name": "region", "in": "query", "required": true, "schema": string})),
        Kind::ParameterAddedOptional => {
            get_parameters(spec)
                .push(json!({"name": "page", "in": "query", "schema": {"type": "integer"}}));
        }
        Kind::ParameterRemoved => {
            get_parameters(spec).retain(|parameter| parameter["name"] != "verbose")
        }
        Kind::ParameterBecameRequired => get_parameter(spec, "verbose")["required"] = json!(true),
        Kind::ParameterBecameOptional => get_parameter(spec, "scope")["required"] = json!(false),
        Kind::ParameterTypeChanged => {
            get_parameter(spec, "limit")["schema"]["type"] = json!("string")
        }
        Kind::ParameterConstraintTightened => {
            get_parameter(spec, "limit")["schema"]["maximum"] = json!(50)
        }
        Kind::ParameterConstraintLoosened => {
            get_parameter(spec, "limit")["schema"]["maximum"] = json!(200)
        }
        Kind::ParameterDefaultChanged => {
            get_parameter(spec, "limit")["schema"]["default"] = json!(20)
        }
        Kind::ParameterStyleChanged => get_parameter(spec, "ids")["explode"] = json!(false),
        Kind::RequestBodyAdded => {
            at(spec, &DELETE)["requestBody"] = json!({
                "required": true,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
            });
        }
        Kind::RequestBodyRemoved => remove(at(spec, &PUT), "requestBody"),
        Kind::RequestMediaTypeChanged => {
            let content = &mut at(spec, &PUT)["requestBody"]["content"];
            let json = content["application/json"].take();
            *content = json!({"application/vnd.diff.v2+json": json});
        }
        Kind::ResponseMediaTypeChanged => {
            let content = &mut at(spec, &GET)["responses"]["200"]["content"];
            let json = content["application/json"].take();
            *content = json!({"application/vnd.diff.v2+json": json});
        }
        Kind::ResponseStatusAdded => {
            at(spec, &GET)["responses"]["422"] = json!({
                "description": "Unprocessable.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
            });
        }
        Kind::ResponseStatusRemoved => remove(&mut at(spec, &GET)["responses"], "404"),
        Kind::SuccessStatusChanged => {
            spec["paths"]["/ping"]["get"]["responses"] =
                json!({"202": {"description": "Accepted."}});
        }
        Kind::RequestPropertyAddedRequired => {
            let input = schema(spec, "ThingInput");
            input["properties"]["weight"] = json!({"type": "integer"});
            input["required"] = json!(["name", "weight"]);
        }
        Kind::RequestPropertyAddedOptional => {
            schema(spec, "ThingInput")["properties"]["comment"] = string;
        }
        Kind::ResponsePropertyAdded => schema(spec, "Thing")["properties"]["created"] = string,
        Kind::PropertyRemoved => remove(&mut schema(spec, "Thing")["properties"], "label"),
        Kind::PropertyBecameRequired => {
            schema(spec, "Thing")["required"] = json!(["id", "kind", "label"])
        }
        Kind::PropertyBecameOptional => schema(spec, "Thing")["required"] = json!(["id"]),
        Kind::TypeChanged => schema(spec, "Thing")["properties"]["size"]["type"] = json!("string"),
        // A required property: an optional one is an `Option` either way.
        Kind::NullableChanged => {
            schema(spec, "Thing")["properties"]["id"]["nullable"] = json!(true);
        }
        Kind::RequestEnumValueAdded => {
            schema(spec, "Color")["enum"] = json!(["red", "blue", "green"])
        }
        Kind::ResponseEnumValueAdded => {
            schema(spec, "Kind")["enum"] = json!(["small", "large", "medium"])
        }
        Kind::EnumValueRemoved => schema(spec, "Kind")["enum"] = json!(["small"]),
        Kind::EnumVariantRenamed => {
            schema(spec, "Kind")["x-enum-varnames"] = json!(["little", "large"]);
        }
        Kind::RequestConstraintTightened => {
            schema(spec, "ThingInput")["properties"]["name"]["maxLength"] = json!(5);
        }
        Kind::RequestConstraintLoosened => {
            schema(spec, "ThingInput")["properties"]["name"]["maxLength"] = json!(20);
        }
        Kind::ResponseConstraintChanged => {
            schema(spec, "Thing")["properties"]["size"]["maximum"] = json!(5);
        }
        Kind::RequestDefaultChanged => {
            schema(spec, "ThingInput")["properties"]["name"]["default"] = json!("unnamed");
        }
        // One of each: `deprecated_uses_are_warned` below names them.
        Kind::BecameDeprecated => {
            spec["paths"]["/ping"]["get"]["deprecated"] = json!(true);
            get_parameter(spec, "verbose")["deprecated"] = json!(true);
            schema(spec, "Thing")["properties"]["label"]["deprecated"] = json!(true);
            schema(spec, "Circle")["deprecated"] = json!(true);
        }
        Kind::AccessChanged => {
            schema(spec, "Thing")["properties"]["label"]["readOnly"] = json!(true)
        }
        Kind::SecuritySchemeAdded => {
            spec["components"]["securitySchemes"]["token"] =
                json!({"type": "http", "scheme": "bearer"});
        }
        Kind::SecuritySchemeRemoved => {
            remove(&mut spec["components"], "securitySchemes");
            remove(spec, "security");
        }
        Kind::SecuritySchemeChanged => {
            spec["components"]["securitySchemes"]["key"]["name"] = json!("X-Api-Key");
        }
        Kind::ServerChanged => spec["servers"] = json!([{"url": "https://other.example.com"}]),
        Kind::PatternChanged => get_parameter(spec, "tag")["schema"]["pattern"] = json!("^[0-9]+$"),
        Kind::ResponseBodyAdded => {
            at(spec, &DELETE)["responses"]["200"]["content"] =
                json!({"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}});
        }
        Kind::ResponseBodyRemoved => remove(&mut at(spec, &PUT)["responses"]["200"], "content"),
        Kind::ErrorMediaTypeChanged => {
            for status in ["404", "409"] {
                let content = &mut at(spec, &GET)["responses"][status]["content"];
                let json = content["application/json"].take();
                *content = json!({"application/problem+json": json});
            }
        }
        Kind::UnionMemberAdded => {
            schema(spec, "Triangle").clone_from(
                &json!({"type": "object", "required": ["base"], "properties": {"base": {"type": "number"}}}),
            );
            schema(spec, "Shape")["oneOf"]
                .as_array_mut()
                .expect("members")
                .push(json!({"$ref": "#/components/schemas/Triangle"}));
        }
        Kind::UnionMemberRemoved => {
            schema(spec, "Shape")["oneOf"] = json!([{"$ref": "#/components/schemas/Circle"}]);
        }
        Kind::SchemaBecameNamed => {
            let dims = schema(spec, "ThingInput")["properties"]["dims"].take();
            schema(spec, "ThingInput")["properties"]["dims"] =
                json!({"$ref": "#/components/schemas/Dims"});
            *schema(spec, "Dims") = dims;
        }
        Kind::SchemaBecameInline => {
            let problem = schema(spec, "Problem").clone();
            for status in ["404", "409"] {
                at(spec, &GET)["responses"][status]["content"]["application/json"]["schema"] =
                    problem.clone();
            }
            remove(&mut spec["components"]["schemas"], "Problem");
        }
        Kind::ReferenceCycle => {
            *schema(spec, "Extra") = json!({"$ref": "#/components/schemas/Extra"});
        }
        Kind::OperationRefused => {
            spec["paths"]["/ping"]["get"]["parameters"] = json!([{"name": "session", "in": "cookie", "schema": {"type": "array", "items": {"type": "string"}}}]);
        }
    }
}

/// Where a crate is written and what it is called.
struct Crate {
    dir: PathBuf,
    package: String,
}

fn generate(spec: &Value, package: &str, dir: &Path) -> (GeneratedCrate, Crate) {
    let source = dir.with_extension("json");
    std::fs::create_dir_all(dir.parent().expect("parent")).expect("folder");
    std::fs::write(&source, serde_json::to_string_pretty(spec).expect("JSON")).expect("spec");
    let settings = Settings {
        lenient: true,
        runtime: Runtime::path_between(dir, &root().join("runtime")),
        ..Settings::default()
    };
    let generated = openapi_clientgen::generate(&source, &Config::new(package, "0.1.0"), &settings)
        .unwrap_or_else(|error| panic!("{package}: {error}"));
    openapi_clientgen::write::replace_dir(dir, &generated).expect("written");
    let written = Crate {
        dir: dir.to_owned(),
        package: package.to_owned(),
    };
    (generated, written)
}

/// A user crate that uses every public item of `generated` (as `api`),
/// the README's way, naming every type as the old crate names it.
fn user_code(generated: &GeneratedCrate) -> String {
    let mut out = String::from(
        "#![allow(unused, clippy::all)]\n//! Uses every public item of the old crate.\n\nfn any<T>() -> T {\n    unimplemented!()\n}\n\n",
    );
    let api = |tokens: &dyn ToTokens| {
        tokens
            .to_token_stream()
            .to_string()
            .replace("crate :: ", "api :: ")
    };
    let mut exhaustive: BTreeSet<String> = BTreeSet::new();
    let mut functions = 0;
    for (path, text) in &generated.files {
        let module = match path
            .strip_prefix("src/")
            .and_then(|p| p.strip_suffix(".rs"))
        {
            Some(file) if file.starts_with("types/") && !file.ends_with("mod") => "types",
            Some(file) if file.starts_with("operations/") && !file.ends_with("mod") => "operations",
            _ => continue,
        };
        let file = syn::parse_file(text).expect("generated code parses");
        for item in &file.items {
            functions += 1;
            match item {
                syn::Item::Struct(item) => {
                    let name = format!("api::{module}::{}", item.ident);
                    if module == "operations" {
                        continue;
                    }
                    let reads: Vec<String> = item
                        .fields
                        .iter()
                        .enumerate()
                        .filter(|(_, field)| matches!(field.vis, syn::Visibility::Public(_)))
                        .map(|(index, field)| {
                            let member = field
                                .ident
                                .as_ref()
                                .map_or_else(|| index.to_string(), ToString::to_string);
                            format!("    let _: &{} = &value.{member};\n", api(&field.ty))
                        })
                        .collect();
                    let _ = writeln!(
                        out,
                        "pub fn read_{functions}(value: &{name}) {{\n{}}}\n",
                        reads.concat()
                    );
                }
                syn::Item::Enum(item) => {
                    let name = format!("api::{module}::{}", item.ident);
                    let non_exhaustive = item
                        .attrs
                        .iter()
                        .any(|attribute| attribute.path().is_ident("non_exhaustive"));
                    if !non_exhaustive {
                        exhaustive.insert(name.clone());
                    }
                    let arms: Vec<String> = item
                        .variants
                        .iter()
                        .map(|variant| {
                            let pattern = match variant.fields {
                                syn::Fields::Unit => String::new(),
                                syn::Fields::Unnamed(_) => "(..)".to_owned(),
                                syn::Fields::Named(_) => " { .. }".to_owned(),
                            };
                            format!("        {name}::{}{pattern} => {{}}\n", variant.ident)
                        })
                        .collect();
                    let wildcard = if non_exhaustive {
                        "        _ => {}\n"
                    } else {
                        ""
                    };
                    let _ = writeln!(
                        out,
                        "pub fn match_{functions}(value: &{name}) {{\n    match value {{\n{}{wildcard}    }}\n}}\n",
                        arms.concat()
                    );
                }
                syn::Item::Impl(item) if item.trait_.is_none() => {
                    let owner = api(&item.self_ty)
                        .replace(" < '_ >", "")
                        .replace(" < 'a >", "");
                    let methods: Vec<&syn::ImplItemFn> = item
                        .items
                        .iter()
                        .filter_map(|inner| match inner {
                            syn::ImplItem::Fn(function)
                                if matches!(function.vis, syn::Visibility::Public(_)) =>
                            {
                                Some(function)
                            }
                            _ => None,
                        })
                        .collect();
                    let arguments = |function: &syn::ImplItemFn| -> Vec<String> {
                        function
                            .sig
                            .inputs
                            .iter()
                            .filter_map(|input| match input {
                                syn::FnArg::Typed(typed) => {
                                    Some(format!("any::<{}>()", api(&argument_type(&typed.ty))))
                                }
                                syn::FnArg::Receiver(_) => None,
                            })
                            .collect()
                    };
                    // `start`, then a call of each method with an argument of each type.
                    let calls =
                        |start: String, setters: &mut dyn Iterator<Item = &&syn::ImplItemFn>| {
                            let mut chain = start;
                            for setter in setters {
                                let _ = write!(
                                    chain,
                                    "\n        .{}({})",
                                    setter.sig.ident,
                                    arguments(setter).join(", ")
                                );
                            }
                            chain
                        };
                    if owner == "Client" {
                        // `impl Client { pub fn op(&self) -> Op<'_> }`: calls are written below.
                        continue;
                    }
                    if module == "types" {
                        let Some(new) = methods.iter().find(|f| f.sig.ident == "new") else {
                            continue;
                        };
                        let start =
                            format!("api::types::{owner}::new({})", arguments(new).join(", "));
                        let chain =
                            calls(start, &mut methods.iter().filter(|f| f.sig.ident != "new"));
                        let _ = writeln!(
                            out,
                            "pub fn build_{functions}() -> api::types::{owner} {{\n    {chain}\n}}\n"
                        );
                    } else {
                        // A request builder: every setter, then `send` with its result's type.
                        let Some(send) = methods.iter().find(|f| f.sig.ident == "send") else {
                            continue;
                        };
                        let syn::ReturnType::Type(_, result) = &send.sig.output else {
                            continue;
                        };
                        let method = to_snake(&owner);
                        let chain = calls(
                            format!("client.{method}()"),
                            &mut methods.iter().filter(|f| {
                                let name = f.sig.ident.to_string();
                                !matches!(name.as_str(), "send" | "pages" | "stream" | "new")
                            }),
                        );
                        let _ = writeln!(
                            out,
                            "pub async fn call_{functions}(client: &api::Client) {{\n    let _: {} = {chain}\n        .send()\n        .await;\n}}\n",
                            api(result).replace("client_runtime :: ", "api :: ")
                        );
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The type a caller passes: `T` for `impl Into<T>`.
fn argument_type(ty: &syn::Type) -> syn::Type {
    if let syn::Type::ImplTrait(bounds) = ty
        && let Some(syn::TypeParamBound::Trait(bound)) = bounds.bounds.first()
        && let Some(segment) = bound.path.segments.last()
        && let syn::PathArguments::AngleBracketed(arguments) = &segment.arguments
        && let Some(syn::GenericArgument::Type(inner)) = arguments.args.first()
    {
        return inner.clone();
    }
    ty.clone()
}

/// `GetThing` → `get_thing`, as the client's method for a builder is named.
fn to_snake(name: &str) -> String {
    let mut out = String::new();
    for (index, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if index > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn write_user_crate(dir: &Path, package: &str, api: &Crate, code: &str) {
    std::fs::create_dir_all(dir.join("src")).expect("folder");
    let relative = |path: &Path| {
        Runtime::path_between(dir, path)
            .path()
            .expect("a path")
            .to_owned()
    };
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\napi = {{ path = \"{}\", package = \"{}\" }}\n",
            relative(&api.dir),
            api.package
        ),
    )
    .expect("manifest");
    std::fs::write(dir.join("src/lib.rs"), code).expect("code");
}

#[test]
fn the_diffs_verdict_on_the_crate_is_the_compilers() {
    let work = root().join("target/diff-compiles");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("folder");
    let base = base();
    let (old_crate, old) = generate(&base, "diff-old", &work.join("old"));
    let code = user_code(&old_crate);
    assert!(code.contains("pub async fn call_"), "{code}");
    let mut members = vec!["user-old".to_owned()];
    write_user_crate(&work.join("user-old"), "user-old", &old, &code);
    let config = Config::new("diff-old", "0.1.0");
    let mut verdicts = BTreeMap::new();
    for kind in Kind::ALL {
        let mut spec = base.clone();
        example(*kind, &mut spec);
        let id = kind.id();
        let (new_crate, new) = generate(
            &spec,
            &format!("diff-{id}"),
            &work.join(format!("new-{id}")),
        );
        let report = Report::new(&base, &spec, &old_crate, &new_crate, &config);
        assert!(
            report.changes.iter().any(|change| change.kind == *kind),
            "the example of `{id}` is not reported as one: {:#?}",
            report.changes
        );
        let user = format!("user-{id}");
        write_user_crate(&work.join(&user), &user, &new, &code);
        members.push(user.clone());
        verdicts.insert(user, (*kind, report.items.breaking() == 0, report.items));
    }
    std::fs::write(
        work.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members
                .iter()
                .map(|m| format!("\"{m}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
    .expect("workspace");
    std::fs::copy(root().join("Cargo.lock"), work.join("Cargo.lock")).expect("lock");
    let output = Command::new(env!("CARGO"))
        .args([
            "check",
            "--offline",
            "--workspace",
            "--keep-going",
            "--message-format=json",
        ])
        .current_dir(&work)
        .env(
            "CARGO_TARGET_DIR",
            root().join("target/generated-crates-build"),
        )
        .output()
        .expect("cargo runs");
    // Each user crate that compiled left an artifact of its library.
    let compiled: BTreeSet<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact")
        .filter_map(|message| {
            message["target"]["name"]
                .as_str()
                .map(|name| name.replace('_', "-"))
        })
        .collect();
    let errors = |crate_name: &str| -> String {
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter(|message| {
                message["reason"] == "compiler-message"
                    && message["target"]["name"]
                        .as_str()
                        .map(|n| n.replace('_', "-"))
                        .as_deref()
                        == Some(crate_name)
            })
            .filter_map(|message| message["message"]["rendered"].as_str().map(str::to_owned))
            .take(3)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        compiled.contains("user-old"),
        "the user crate does not compile against the crate it was written for:\n{}\n{}",
        errors("user-old"),
        String::from_utf8_lossy(&output.stderr)
    );
    // For `cargo xtask semver-compare`, which asks cargo-semver-checks about the same pairs.
    let record: Vec<Value> = verdicts
        .iter()
        .map(|(user, (kind, diff_says_compiles, _))| {
            json!({
                "kind": kind.id(),
                "new": format!("new-{}", kind.id()),
                "diff_compiles": diff_says_compiles,
                "compiler_compiles": compiled.contains(user),
            })
        })
        .collect();
    std::fs::write(
        work.join("verdicts.json"),
        serde_json::to_string_pretty(&record).expect("JSON"),
    )
    .expect("verdicts");
    let mut disagreements = Vec::new();
    for (user, (kind, diff_says_compiles, items)) in &verdicts {
        let api = format!("diff-{}", kind.id());
        assert!(
            compiled.contains(&api),
            "the crate generated for `{}` does not compile:\n{}",
            kind.id(),
            errors(&api)
        );
        let compiles = compiled.contains(user);
        if compiles != *diff_says_compiles {
            disagreements.push(format!(
                "`{}`: the compiler says {}, the diff's items say {} (removed {:?}, changed {:?}, added-breaking {:?})\n{}",
                kind.id(),
                if compiles { "it compiles" } else { "it breaks" },
                if *diff_says_compiles { "nothing breaks" } else { "it breaks" },
                items.removed,
                items.changed,
                items.added_breaking,
                errors(user)
            ));
        }
        if compiles != (kind.build() == Build::Compiles) {
            disagreements.push(format!(
                "`{}`: the compiler says {}, the rules table says {}",
                kind.id(),
                if compiles { "it compiles" } else { "it breaks" },
                kind.build().as_str()
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n\n"));
    deprecated_uses_are_warned(&output.stdout);
}

/// The old code compiles against a crate whose API deprecates what it
/// uses, and the compiler warns at each use: the operation `ping`, the
/// parameter `verbose`, the property `label` (read and set) and the schema
/// `Circle`.
fn deprecated_uses_are_warned(cargo_messages: &[u8]) {
    let user = format!("user-{}", Kind::BecameDeprecated.id()).replace('-', "_");
    let warnings: Vec<String> = String::from_utf8_lossy(cargo_messages)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| {
            message["reason"] == "compiler-message"
                && message["target"]["name"] == user.as_str()
                && message["message"]["code"]["code"] == "deprecated"
        })
        .filter_map(|message| message["message"]["message"].as_str().map(str::to_owned))
        .collect();
    for used in [
        "::ping`",
        "::verbose`",
        "::label`",
        "::with_label`",
        "::Circle`",
    ] {
        assert!(
            warnings.iter().any(|warning| warning.contains(used)),
            "no deprecation warning names `{used}`: {warnings:#?}"
        );
    }
}
