//! Local `$ref`s in the untyped document, followed by one rule everywhere:
//! the validation stage, the spec comparison and the tests all ask here.

use serde_json::Value;

/// The most `$ref`s followed in a row; a longer chain is reported as too
/// long, which is not a cycle.
pub const MAX_CHAIN: usize = 64;

/// What a `$ref` chain leads to.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved<'a> {
    /// A node without `$ref`, and the pointer where it lives.
    Node(&'a Value, String),
    /// A reference to nothing in the document.
    Dangling(String),
    /// References that lead back to themselves, in order.
    Cycle(Vec<String>),
    /// More than [`MAX_CHAIN`] references in a row, none repeated: the
    /// first ones.
    TooLong(Vec<String>),
}

/// The name of the component a local reference names under `prefix`
/// (`#/components/schemas/`), its JSON pointer escapes undone: `a~1b`
/// names `a/b`.
pub fn component_name<'r>(reference: &'r str, prefix: &str) -> Option<std::borrow::Cow<'r, str>> {
    let name = reference.strip_prefix(prefix)?;
    let name = percent_decoded(name);
    Some(if name.contains('~') {
        std::borrow::Cow::Owned(name.replace("~1", "/").replace("~0", "~"))
    } else {
        name
    })
}

/// A reference is a URI, so a fragment writes what a URI cannot hold
/// (`Résumé`, a space) percent-encoded (RFC 6901, section 6); text that
/// does not decode to UTF-8 is read as it is.
fn percent_decoded(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('%') {
        return std::borrow::Cow::Borrowed(text);
    }
    match percent_encoding::percent_decode_str(text).decode_utf8() {
        Ok(decoded) => decoded,
        Err(_) => std::borrow::Cow::Borrowed(text),
    }
}

/// The item a reference to a component of one kind leads to, following
/// components that are themselves references (at most [`MAX_CHAIN`]);
/// `get` finds a component of that kind by name. The typed document's
/// one way to follow a `$ref`, for every kind of component.
pub fn component<'a, T>(
    reference: &str,
    prefix: &str,
    get: impl Fn(&str) -> Option<&'a openapiv3::ReferenceOr<T>>,
) -> Option<&'a T> {
    let mut reference = reference.to_owned();
    for _ in 0..MAX_CHAIN {
        match get(&component_name(&reference, prefix)?)? {
            openapiv3::ReferenceOr::Item(item) => return Some(item),
            openapiv3::ReferenceOr::Reference { reference: next } => reference = next.clone(),
        }
    }
    None
}

/// The node a local reference (`#/components/schemas/Pet`) names.
pub fn target<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let path = reference.strip_prefix('#')?;
    if path.is_empty() {
        return Some(root);
    }
    root.pointer(path)
        .or_else(|| root.pointer(&percent_decoded(path)))
}

/// Follows `$ref`s from `node`, which lives at `at`.
pub fn follow<'a>(root: &'a Value, mut node: &'a Value, mut at: String) -> Resolved<'a> {
    let mut chain: Vec<String> = Vec::new();
    while let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        if let Some(start) = chain.iter().position(|seen| seen == reference) {
            let mut cycle = chain.split_off(start);
            cycle.push(reference.to_owned());
            return Resolved::Cycle(cycle);
        }
        chain.push(reference.to_owned());
        if chain.len() > MAX_CHAIN {
            return Resolved::TooLong(chain);
        }
        match target(root, reference) {
            Some(next) => {
                node = next;
                at = reference.to_owned();
            }
            None => return Resolved::Dangling(reference.to_owned()),
        }
    }
    Resolved::Node(node, at)
}

/// The node `node` leads to, or `None` for a dangling or circular chain.
pub fn node<'a>(root: &'a Value, node: &'a Value) -> Option<&'a Value> {
    match follow(root, node, String::new()) {
        Resolved::Node(node, _) => Some(node),
        _ => None,
    }
}

/// Where the node at `pointer` is written, following every `$ref` the
/// pointer passes through: `#/a/schema/properties/x`, where `#/a/schema` is
/// `$ref: '#/components/schemas/S'`, is `#/components/schemas/S/properties/x`.
/// `None` when the pointer leads nowhere.
pub fn follow_pointer(root: &Value, pointer: &str) -> Option<String> {
    let mut at = String::from("#");
    let mut node = root;
    for segment in pointer.strip_prefix('#')?.split('/').skip(1) {
        let key = crate::diagnostic::unescape_segment(segment);
        let child = match node {
            Value::Object(map) => map.get(&key),
            Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        (node, at) = match child {
            Some(child) => (child, format!("{at}/{segment}")),
            None => match follow(root, node, at) {
                Resolved::Node(target, target_at) => {
                    let child = target.get(&key)?;
                    (child, format!("{target_at}/{segment}"))
                }
                _ => return None,
            },
        };
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn chains_end_at_a_node_with_its_place() {
        let root = json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/c"}, "c": {"type": "string"}});
        assert_eq!(
            follow(&root, &root["a"], "#/a".to_owned()),
            Resolved::Node(&root["c"], "#/c".to_owned())
        );
        assert_eq!(node(&root, &root["c"]), Some(&root["c"]));
    }

    #[test]
    fn pointers_are_followed_through_references() {
        let root = json!({
            "a": {"schema": {"$ref": "#/s"}},
            "s": {"$ref": "#/t"},
            "t": {"properties": {"x": {"type": "string"}}, "allOf": [{"$ref": "#/s"}]},
        });
        let follow = |pointer| follow_pointer(&root, pointer);
        assert_eq!(
            follow("#/a/schema/properties/x").as_deref(),
            Some("#/t/properties/x")
        );
        assert_eq!(follow("#/a/schema").as_deref(), Some("#/a/schema"));
        assert_eq!(
            follow("#/t/allOf/0/properties/x/type").as_deref(),
            Some("#/t/properties/x/type")
        );
        assert_eq!(follow("#/a/schema/nothing"), None);
    }

    #[test]
    fn cycles_and_dangling_references_are_named() {
        let root = json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/a"}, "d": {"$ref": "#/nowhere"}});
        assert_eq!(
            follow(&root, &root["a"], "#/a".to_owned()),
            Resolved::Cycle(vec!["#/b".to_owned(), "#/a".to_owned(), "#/b".to_owned()])
        );
        assert_eq!(
            follow(&root, &root["d"], "#/d".to_owned()),
            Resolved::Dangling("#/nowhere".to_owned())
        );
        assert_eq!(node(&root, &root["a"]), None);
    }

    #[test]
    fn percent_encoded_fragments_are_read() {
        let root = json!({"components": {"schemas": {"Résumé": {"type": "string"}, "a b": {"type": "integer"}}}});
        let reference = "#/components/schemas/R%C3%A9sum%C3%A9";
        assert_eq!(target(&root, reference), Some(&json!({"type": "string"})));
        assert_eq!(
            component_name(reference, "#/components/schemas/").as_deref(),
            Some("Résumé")
        );
        assert_eq!(
            target(&root, "#/components/schemas/a%20b"),
            Some(&json!({"type": "integer"}))
        );
    }

    #[test]
    fn escaped_segments_are_read() {
        let root = json!({"paths": {"/a/{id}": {"get": {}}}, "r": {"$ref": "#/paths/~1a~1{id}"}});
        assert_eq!(node(&root, &root["r"]), Some(&root["paths"]["/a/{id}"]));
    }
}
