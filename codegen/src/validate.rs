//! Stage 2: reject what later stages cannot trust, reporting every problem
//! at once with its place.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Error, pointer};
use crate::load::LoadedSpec;
use crate::path_template::PathTemplate;
use crate::path_template::declared_path_parameters;
use crate::refs;
use crate::settings::Settings;

use crate::load::METHODS;

/// Checks the loaded spec; `Ok` means the model stage can rely on it, with
/// warnings. In lenient mode what can be degraded one element at a time is
/// a warning instead of an error (the sink's policy, by each code's
/// class): a pattern that does not compile (the model drops it) and a
/// missing `operationId` (the model derives one), among others.
pub fn validate(spec: &LoadedSpec, settings: &Settings) -> Result<Checked, Error> {
    let mut found = Diagnostics::new(settings.lenient);
    for diagnostic in spec.unresolved() {
        let mut diagnostic = diagnostic.clone();
        if !found.stops(diagnostic.code.class()) {
            diagnostic
                .message
                .push_str("; lenient mode leaves out what reaches it");
        }
        found.push(diagnostic);
    }
    let broken_patterns = check_refs(spec, settings, &mut found);
    check_operations(spec, &mut found, settings.lenient);
    spec.locate(found.all_mut());
    let mut warnings = found.finish()?;
    // What loading left out or rewrote is a warning in either mode.
    warnings.splice(0..0, spec.warnings().iter().cloned());
    Ok(Checked {
        warnings,
        broken_patterns,
    })
}

/// What a spec that passed validation brings to the model.
#[derive(Debug, Default)]
pub struct Checked {
    /// Problems lenient mode went past.
    pub warnings: Vec<Diagnostic>,
    /// Patterns that do not compile, which only lenient mode lets through:
    /// the model leaves them unchecked.
    pub broken_patterns: BTreeSet<String>,
}

/// Every `$ref` must be local and point at something; patterns must compile.
/// The walk keeps the path as segments and writes a pointer only for a
/// problem or a pattern; each distinct pattern is compiled once.
struct RefCheck<'s> {
    spec: &'s LoadedSpec,
    path: Vec<String>,
    /// Every distinct pattern with the places it is written; compiled
    /// after the walk, on every core.
    patterns: BTreeMap<&'s str, Vec<String>>,
    found: Vec<Diagnostic>,
}

impl<'s> RefCheck<'s> {
    fn at(&self, last: &str) -> String {
        let mut segments: Vec<&str> = self.path.iter().map(String::as_str).collect();
        segments.push(last);
        pointer("#", &segments)
    }

    /// The node's own `$ref`, if it has one.
    fn check_ref(&mut self, node: &Value) {
        let Some(Value::String(target)) = node.get("$ref") else {
            return;
        };
        let (code, problem) = if !target.starts_with('#') {
            // Loading followed every reference to a file, and reported
            // each it could not where it is written.
            return;
        } else if !target.starts_with("#/") && target != "#" {
            (
                Code::RefNotPointer,
                format!("`$ref: {target}` is not a JSON pointer into this document"),
            )
        } else if refs::target(self.spec.tree(), target).is_none() {
            // Lenient mode leaves out what reaches it, not the document.
            (
                Code::UnresolvedRef,
                format!("`$ref: {target}` points at nothing in this document"),
            )
        } else {
            return;
        };
        let at = self.at("$ref");
        self.found.push(self.spec.diagnostic(code, &at, problem));
    }

    fn walk(&mut self, node: &'s Value) {
        match node {
            Value::Object(map) => {
                self.check_ref(node);
                if let Some(Value::String(pattern)) = map.get("pattern") {
                    let at = self.at("pattern");
                    self.patterns.entry(pattern.as_str()).or_default().push(at);
                }
                // Property names are names, not keywords.
                let keywords = self.path.last().is_none_or(|parent| parent != "properties");
                if keywords {
                    for keyword in ["allOf", "oneOf", "anyOf"] {
                        if matches!(map.get(keyword), Some(Value::Array(members)) if members.is_empty())
                        {
                            let at = self.at(keyword);
                            self.found.push(self.spec.diagnostic(
                                Code::EmptyComposition,
                                &at,
                                format!("`{keyword}` lists no schemas, and JSON Schema requires at least one; lenient mode accepts any value here"),
                            ));
                        }
                    }
                }
                for (key, child) in map {
                    self.path.push(key.clone());
                    match (keywords, key.as_str(), child) {
                        // Example values are data: a `$ref` key in them is not a reference.
                        (true, "example", _) => {}
                        // Extensions are not OpenAPI: nothing in them is followed.
                        (true, key, _) if key.starts_with("x-") => {}
                        (true, "default" | "enum" | "const", _) => {}
                        (true, "examples", Value::Array(_)) => {}
                        (true, "examples", Value::Object(examples)) => {
                            for (name, example) in examples {
                                self.path.push(name.clone());
                                self.check_ref(example);
                                self.path.pop();
                            }
                        }
                        _ => self.walk(child),
                    }
                    self.path.pop();
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    self.path.push(index.to_string());
                    self.walk(child);
                    self.path.pop();
                }
            }
            _ => {}
        }
    }
}

/// Checks references and patterns; returns the patterns that do not compile.
fn check_refs(spec: &LoadedSpec, settings: &Settings, found: &mut Diagnostics) -> BTreeSet<String> {
    let mut check = RefCheck {
        spec,
        path: Vec::new(),
        patterns: BTreeMap::new(),
        found: Vec::new(),
    };
    check.walk(spec.tree());
    found.extend(check.found);
    let patterns: Vec<&str> = check.patterns.keys().copied().collect();
    let failures = crate::patterns::failures(&patterns, settings.cache.as_deref());
    for (pattern, error) in &failures {
        for at in &check.patterns[pattern.as_str()] {
            found.push(spec.diagnostic(
                Code::InvalidPattern,
                at,
                format!("pattern `{pattern}` does not compile: {error}; lenient mode leaves it unchecked"),
            ));
        }
    }
    failures.into_keys().collect()
}

/// `lenient`: whether the model will derive the missing ids, which then
/// must be unique too.
fn check_operations(spec: &LoadedSpec, found: &mut Diagnostics, lenient: bool) {
    let Some(paths) = spec.tree().get("paths").and_then(Value::as_object) else {
        return;
    };
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for (path, item) in paths {
        let item_at = pointer("#/paths", &[path]);
        if !path.starts_with('/') {
            found.push(spec.diagnostic(
                Code::PathWithoutSlash,
                &item_at,
                format!("path `{path}` must start with `/`"),
            ));
        }
        let Some(item) = refs::node(spec.tree(), item) else {
            continue;
        };
        let shared = declared_path_parameters(spec.tree(), item.get("parameters"));
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let at = pointer(&item_at, &[method]);
            let given = operation.get("operationId").and_then(Value::as_str);
            let derived = given
                .is_none()
                .then(|| crate::names::derived_operation_id(method, path));
            if let Some(derived) = &derived {
                found.push(spec.diagnostic(
                    Code::MissingOperationId,
                    &at,
                    format!(
                        "`{} {path}` has no operationId; the generator names methods after it, and lenient mode names this one `{derived}`",
                        method.to_uppercase()
                    ),
                ));
            }
            // Derived ids only count in lenient mode, where they are used.
            match given.or(derived.as_deref().filter(|_| lenient)) {
                None => {}
                Some(id) => {
                    if let Some(first) = ids.get(id) {
                        found.push(spec.diagnostic(
                            Code::DuplicateOperationId,
                            &pointer(&at, &["operationId"]),
                            format!("operationId `{id}` is already used at {first}"),
                        ));
                    } else {
                        ids.insert(id.to_owned(), at.clone());
                    }
                }
            }
            let mut declared = shared.clone();
            declared.extend(declared_path_parameters(
                spec.tree(),
                operation.get("parameters"),
            ));
            check_path_parameters(spec, path, &at, &declared, found);
        }
    }
}

fn check_path_parameters(
    spec: &LoadedSpec,
    path: &str,
    at: &str,
    declared: &BTreeSet<String>,
    found: &mut Diagnostics,
) {
    let in_template: BTreeSet<String> = PathTemplate::parse(path)
        .names()
        .map(str::to_owned)
        .collect();
    for name in in_template.difference(declared) {
        found.push(spec.diagnostic(
            Code::UndeclaredPathParameter,
            at,
            format!("path `{path}` uses `{{{name}}}` but the operation declares no path parameter `{name}`"),
        ));
    }
    for name in declared.difference(&in_template) {
        found.push(spec.diagnostic(
            Code::UnusedPathParameter,
            &pointer(at, &["parameters"]),
            format!("path parameter `{name}` does not appear in the path `{path}`"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::load::parse;

    fn lenient(lenient: bool) -> Settings {
        Settings {
            lenient,
            ..Settings::default()
        }
    }

    fn problems(text: &str) -> Vec<Diagnostic> {
        let spec = parse(Path::new("spec.yaml"), text.to_owned()).expect("parses");
        match validate(&spec, &lenient(false)) {
            Ok(_) => Vec::new(),
            Err(error) => error.diagnostics().to_vec(),
        }
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\n";

    #[test]
    fn a_ref_key_in_example_data_is_not_a_reference() {
        let text = format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      example: {{$ref: 'not/a/reference'}}\n      examples: [{{$ref: data}}]\n      properties:\n        example: {{$ref: '#/components/schemas/Missing'}}\n  examples:\n    Given: {{value: {{$ref: also-data}}}}\n    Linked: {{$ref: '#/components/examples/Nowhere'}}\n"
        );
        let found: Vec<String> = problems(&text).iter().map(|d| d.pointer.clone()).collect();
        // In document order.
        assert_eq!(
            found,
            [
                "#/components/schemas/A/properties/example/$ref",
                "#/components/examples/Linked/$ref",
            ]
        );
    }

    #[test]
    fn dangling_refs_are_named_with_pointer_and_line() {
        let text = format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/Missing'\n"
        );
        let found = problems(&text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].pointer, "#/components/schemas/A/$ref");
        assert_eq!(found[0].line, Some(9));
        assert!(found[0].message.contains("#/components/schemas/Missing"));
    }

    #[test]
    fn duplicate_and_missing_operation_ids_are_refused() {
        let ok = "responses:\n        '204':\n          description: done\n";
        let text = format!(
            "{HEAD}paths:\n  /a:\n    get:\n      operationId: same\n      {ok}    put:\n      operationId: same\n      {ok}    post:\n      {ok}"
        );
        let found = problems(&text);
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(found.len(), 2, "{messages:?}");
        assert!(
            messages[0].contains("already used at #/paths/~1a/get"),
            "{messages:?}"
        );
        assert_eq!(found[0].pointer, "#/paths/~1a/put/operationId");
        assert!(messages[1].contains("no operationId"), "{messages:?}");
    }

    #[test]
    fn path_parameters_must_match_the_template() {
        let text = format!(
            "{HEAD}paths:\n  /a/{{id}}:\n    get:\n      operationId: a\n      parameters:\n        - name: other\n          in: path\n          required: true\n          schema: {{type: string}}\n      responses:\n        '204':\n          description: done\n"
        );
        let found = problems(&text);
        assert_eq!(found.len(), 2, "{found:?}");
    }

    #[test]
    fn lenient_mode_degrades_bad_patterns_and_missing_ids_to_warnings() {
        let text = format!(
            "{HEAD}paths:\n  /pets/{{petId}}:\n    get:\n      parameters: [{{name: petId, in: path, required: true, schema: {{type: string, pattern: '(['}}}}]\n      responses: {{'200': {{description: OK}}}}\n"
        );
        let spec = parse(Path::new("spec.yaml"), text).expect("parses");
        let strict = validate(&spec, &lenient(false)).expect_err("strict refuses both");
        let messages: Vec<&str> = strict
            .diagnostics()
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages
                .iter()
                .any(|m| m.contains("lenient mode names this one `getPetsByPetId`")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("does not compile")),
            "{messages:?}"
        );
        let checked = validate(&spec, &lenient(true)).expect("lenient goes past both");
        assert_eq!(checked.warnings.len(), 2, "{:?}", checked.warnings);
        // The model leaves the pattern unchecked.
        assert_eq!(
            checked.broken_patterns.into_iter().collect::<Vec<_>>(),
            ["(["]
        );
    }

    #[test]
    fn empty_compositions_are_refused_and_lenient_mode_accepts_any_value() {
        let text = format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{allOf: []}}\n    B:\n      type: object\n      properties:\n        oneOf: {{oneOf: []}}\n        c: {{anyOf: []}}\n"
        );
        let found: Vec<String> = problems(&text).iter().map(|d| d.pointer.clone()).collect();
        assert_eq!(
            found,
            [
                "#/components/schemas/A/allOf",
                "#/components/schemas/B/properties/oneOf/oneOf",
                "#/components/schemas/B/properties/c/anyOf",
            ]
        );
        let spec = parse(Path::new("spec.yaml"), text).expect("parses");
        let warnings = validate(&spec, &lenient(true))
            .expect("lenient goes past them")
            .warnings;
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(
            warnings[0].message.contains("lists no schemas"),
            "{warnings:?}"
        );
    }

    #[test]
    fn bad_patterns_are_refused() {
        let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: string\n      pattern: '(['\n";
        let found = problems(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].pointer, "#/components/schemas/A/pattern");
    }
}
