//! Which spec change made a public item of the crate disappear or change,
//! found by where the item comes from (`GeneratedCrate::places`, names as
//! the model decided them): a change at the item's spec node or inside it,
//! else one around it (its schema removed), else one of its operation.

use std::collections::BTreeMap;

use super::Change;
use crate::generated::Place;

/// The most severe change that explains `item`, looked up in `places` in
/// order (the old crate's first for an item that is gone).
pub fn cause<'c>(
    item: &str,
    changes: &'c [Change],
    places: &[&BTreeMap<String, Place>],
) -> Option<&'c Change> {
    let found: Vec<&Place> = enclosing(item)
        .filter_map(|path| places.iter().find_map(|places| places.get(path)))
        .collect();
    let most_severe = |matches: &dyn Fn(&Change) -> bool| {
        changes
            .iter()
            .filter(|change| matches(change))
            .min_by_key(|change| change.kind.severity())
    };
    // From the item's own place out to its type's: a change inside it,
    // else the innermost change around it.
    for place in &found {
        let at = place.pointer.as_str();
        if let Some(change) = most_severe(&|change| within(&change.pointer, at)) {
            return Some(change);
        }
        let around = changes
            .iter()
            .filter(|change| within(at, &change.pointer))
            .max_by_key(|change| {
                (
                    change.pointer.len(),
                    std::cmp::Reverse(change.kind.severity()),
                )
            });
        if around.is_some() {
            return around;
        }
    }
    // A shared schema's change names the operations that use it.
    let operation = found.iter().find_map(|place| place.operation.as_deref())?;
    most_severe(&|change| change.operations.iter().any(|id| id == operation))
}

/// `pointer` is `at` or lies inside it.
fn within(pointer: &str, at: &str) -> bool {
    pointer
        .strip_prefix(at)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// `item`, then the items that hold it: `types::Pet.name`, `types::Pet`;
/// `operations::GetPet::limit`, `operations::GetPet`.
fn enclosing(item: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(item), |path| {
        let cut = path.rfind(['.', ':'])?;
        let parent = path[..cut].trim_end_matches(':');
        // A module or `Client` alone has no place.
        parent.contains("::").then_some(parent)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::Kind;

    fn change(kind: Kind, operation: &str, pointer: &str, message: &str) -> Change {
        Change {
            kind,
            operations: vec![operation.to_owned()],
            pointer: pointer.to_owned(),
            message: message.to_owned(),
        }
    }

    fn places(entries: &[(&str, &str, Option<&str>)]) -> BTreeMap<String, Place> {
        entries
            .iter()
            .map(|(item, pointer, operation)| {
                (
                    (*item).to_owned(),
                    Place {
                        pointer: (*pointer).to_owned(),
                        operation: operation.map(str::to_owned),
                    },
                )
            })
            .collect()
    }

    #[test]
    fn items_are_traced_to_the_change_at_their_place() {
        let changes = [
            change(
                Kind::OperationRenamed,
                "updateKeyV2",
                "#/paths/~1k/patch/operationId",
                "operationId `updateKey` became `updateKeyV2`",
            ),
            change(
                Kind::PropertyRemoved,
                "getKey",
                "#/components/schemas/ApiKey/properties/roleNames",
                "property `roleNames` was removed",
            ),
            change(
                Kind::EnumValueRemoved,
                "getKey",
                "#/components/schemas/KeyStatus",
                "enum value `ACTIVE` was removed",
            ),
            change(
                Kind::ResponseStatusRemoved,
                "deleteKey",
                "#/paths/~1k/delete/responses/409",
                "status 409 is no longer declared",
            ),
            change(
                Kind::SchemaBecameInline,
                "listKeys",
                "#/components/schemas/Page",
                "schema `Page` became inline",
            ),
        ];
        // The old crate's names: `update_key`, `ApiKey.role_names`, and a
        // second `Page` schema the model named `Page2`.
        let old = places(&[
            ("Client::update_key", "#/paths/~1k/patch", Some("updateKey")),
            (
                "operations::UpdateKey",
                "#/paths/~1k/patch",
                Some("updateKey"),
            ),
            (
                "types::ApiKey.role_names",
                "#/components/schemas/ApiKey/properties/roleNames",
                None,
            ),
            ("types::ApiKey", "#/components/schemas/ApiKey", None),
            ("types::KeyStatus", "#/components/schemas/KeyStatus", None),
            (
                "operations::DeleteKeyError",
                "#/paths/~1k/delete",
                Some("deleteKey"),
            ),
            ("types::Page2", "#/components/schemas/Page", None),
            (
                "types::Page2.next",
                "#/components/schemas/Page/properties/next",
                None,
            ),
            ("types::Page", "#/components/schemas/page", None),
            (
                "types::ListKeysResponse",
                "#/paths/~1k/get/responses/200/content/application~1json/schema",
                Some("listKeys"),
            ),
        ]);
        let new = places(&[(
            "Client::update_key_v2",
            "#/paths/~1k/patch",
            Some("updateKeyV2"),
        )]);
        let of = |item: &str| cause(item, &changes, &[&old, &new]).map(|change| change.kind);
        assert_eq!(of("Client::update_key_v2"), Some(Kind::OperationRenamed));
        assert_eq!(of("Client::update_key"), Some(Kind::OperationRenamed));
        assert_eq!(
            of("operations::UpdateKey::body"),
            Some(Kind::OperationRenamed)
        );
        assert_eq!(of("types::ApiKey.role_names"), Some(Kind::PropertyRemoved));
        assert_eq!(of("types::KeyStatus::Active"), Some(Kind::EnumValueRemoved));
        assert_eq!(
            of("operations::DeleteKeyError::Status409"),
            Some(Kind::ResponseStatusRemoved)
        );
        // By place, not by name: `Page2` is the removed `Page`, and the
        // `Page` item is another schema the change does not touch.
        assert_eq!(of("types::Page2.next"), Some(Kind::SchemaBecameInline));
        assert_eq!(of("types::Page"), None);
        // A type inside an operation: that operation's changes.
        assert_eq!(
            of("types::ListKeysResponse.items"),
            Some(Kind::SchemaBecameInline)
        );
        assert_eq!(of("types::Unrelated.x"), None);
    }
}
