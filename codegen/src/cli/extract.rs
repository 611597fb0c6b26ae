//! `extract`: copy operations from a published spec into a fragment, with
//! everything they reference.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{Map, Value};

use super::Error;

type Result<T> = std::result::Result<T, Error>;

use crate::load::METHODS;

/// `openapi-clientgen extract`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The published spec to copy from.
    #[arg(long, value_name = "UPSTREAM.yaml")]
    pub from: PathBuf,
    /// An operationId to copy; repeat for more.
    #[arg(long = "operation", value_name = "ID", required = true)]
    pub operations: Vec<String>,
    /// The fragment to copy into.
    #[arg(long, value_name = "FILE")]
    pub into: PathBuf,
}

/// Copies each operation, naming what it adds on stdout and what it keeps
/// on stderr; the fragment is rewritten only when something was added.
pub fn run(options: &Args) -> Result<ExitCode> {
    let into = options.into.clone();
    let upstream = load(&options.from)?;
    let mut fragment = load(&into)?;
    let mut added = 0;
    for id in &options.operations {
        let Some((path, method)) = find(&upstream, |op| {
            op.get("operationId").and_then(Value::as_str) == Some(id)
        }) else {
            return Err(Error::Refused(format!(
                "operation `{id}` is not in {}",
                options.from.display()
            )));
        };
        if find(&fragment, |op| {
            op.get("operationId").and_then(Value::as_str) == Some(id)
        })
        .is_some()
        {
            eprintln!(
                "note: `{id}` is already in {}; left as it is",
                into.display()
            );
            continue;
        }
        if let Some(existing) = fragment.pointer(&format!("/paths/{}/{method}", escape(&path))) {
            let name = existing
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or("an operation without id");
            return Err(Error::Refused(format!(
                "{} already has `{} {path}` as `{name}`; remove it first to take `{id}` from upstream",
                into.display(),
                method.to_uppercase()
            )));
        }
        copy_operation(&upstream, &mut fragment, &path, method);
        added += 1;
        println!("added `{id}` ({} {path})", method.to_uppercase());
    }
    if added > 0 {
        write(&into, &fragment)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn load(path: &Path) -> Result<Value> {
    Ok(crate::load::load(path)?.into_tree())
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The (path, method) of the first operation that `matches`.
fn find(document: &Value, matches: impl Fn(&Value) -> bool) -> Option<(String, &'static str)> {
    let paths = document.get("paths")?.as_object()?;
    paths.iter().find_map(|(path, item)| {
        METHODS
            .iter()
            .find(|method| item.get(**method).is_some_and(&matches))
            .map(|method| (path.clone(), *method))
    })
}

/// Copies one operation, its path-level parameters, the closure of its
/// `$ref`s, its security schemes and its tags; what the fragment already
/// has is kept.
fn copy_operation(upstream: &Value, fragment: &mut Value, path: &str, method: &str) {
    let item = &upstream["paths"][path];
    let mut operation = item[method].clone();
    if let Some(samples) = operation.as_object_mut() {
        // Code samples in other languages say nothing the generated crate uses.
        samples.remove("x-codeSamples");
    }
    let target = ensure_path(fragment, &["paths".to_owned(), path.to_owned()]);
    if let Some(parameters) = item.get("parameters")
        && !target.contains_key("parameters")
    {
        target.insert("parameters".to_owned(), parameters.clone());
    }
    target.insert(method.to_owned(), operation.clone());

    let mut pending: Vec<Value> = vec![
        operation.clone(),
        item.get("parameters").cloned().unwrap_or(Value::Null),
    ];
    let mut seen = BTreeSet::new();
    while let Some(node) = pending.pop() {
        for reference in references(&node) {
            if !seen.insert(reference.clone()) {
                continue;
            }
            let Some(pointer) = reference.strip_prefix('#') else {
                continue;
            };
            let Some(value) = upstream.pointer(pointer) else {
                continue;
            };
            let mut parts: Vec<String> = pointer
                .split('/')
                .skip(1)
                .map(crate::diagnostic::unescape_segment)
                .collect();
            let Some(name) = parts.pop() else { continue };
            let map = ensure_path(fragment, &parts);
            if !map.contains_key(&name) {
                map.insert(name, value.clone());
                pending.push(value.clone());
            }
        }
    }

    let schemes = match operation
        .get("security")
        .or_else(|| upstream.get("security"))
    {
        Some(Value::Array(requirements)) => requirements
            .iter()
            .filter_map(Value::as_object)
            .flat_map(|requirement| requirement.keys().cloned())
            .collect::<BTreeSet<String>>(),
        _ => BTreeSet::new(),
    };
    for scheme in schemes {
        if let Some(value) =
            upstream.pointer(&format!("/components/securitySchemes/{}", escape(&scheme)))
        {
            let map = ensure_path(
                fragment,
                &["components".to_owned(), "securitySchemes".to_owned()],
            );
            map.entry(scheme).or_insert_with(|| value.clone());
        }
    }
    for tag in operation
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let definition = upstream
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|t| t.get("name") == Some(tag));
        let tags = fragment.as_object_mut().map(|root| {
            root.entry("tags")
                .or_insert_with(|| Value::Array(Vec::new()))
        });
        if let (Some(definition), Some(Value::Array(tags))) = (definition, tags)
            && !tags.iter().any(|t| t.get("name") == Some(tag))
        {
            tags.push(definition.clone());
            tags.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
        }
    }
}

/// The object at `parts` below `root`, created (and made an object) as needed.
fn ensure_path<'a>(root: &'a mut Value, parts: &[String]) -> &'a mut Map<String, Value> {
    let mut node = root;
    for part in parts {
        if !node.is_object() {
            *node = Value::Object(Map::new());
        }
        node = node
            .as_object_mut()
            .map(|map| {
                map.entry(part.clone())
                    .or_insert_with(|| Value::Object(Map::new()))
            })
            .unwrap_or_else(|| unreachable!("made an object above"));
    }
    if !node.is_object() {
        *node = Value::Object(Map::new());
    }
    match node {
        Value::Object(map) => map,
        _ => unreachable!("made an object above"),
    }
}

/// Every `$ref` target below `node`.
fn references(node: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = vec![node];
    while let Some(node) = pending.pop() {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    out.push(target.clone());
                }
                pending.extend(map.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    out
}

/// Writes the fragment with sorted keys, atomically: a failure leaves the old file.
fn write(path: &Path, fragment: &Value) -> Result<()> {
    let text = serde_norway::to_string(&sorted(fragment))
        .map_err(|error| Error::Refused(format!("{}: {error}", path.display())))?;
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut staging = tempfile::NamedTempFile::new_in(folder).map_err(Error::io(folder))?;
    std::io::Write::write_all(&mut staging, text.as_bytes()).map_err(Error::io(path))?;
    staging
        .persist(path)
        .map_err(|error| Error::io(path)(error.error))?;
    Ok(())
}

/// A copy with every object's keys in order, so output never depends on input order.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|key| (key.clone(), sorted(&map[key])))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}
