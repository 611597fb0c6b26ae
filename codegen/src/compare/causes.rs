//! Which spec change made a public item of the crate disappear or change,
//! found by the names the generator gives: `Client::method` and
//! `operations::Type` come from an operationId, `types::Type.field` from a
//! component schema and its property; the `mock` module mirrors the first two.

use crate::names::{field_name, type_name};

use super::{Change, Kind};

/// The most severe change that explains `item`, if one does.
pub fn cause<'c>(item: &str, changes: &'c [Change]) -> Option<&'c Change> {
    let by_operation = |matches: &dyn Fn(&str) -> bool| {
        changes
            .iter()
            .filter(|change| operation_ids(change).any(matches))
            .min_by_key(|change| change.kind.severity())
    };
    // Mocks mirror the client: `mock::MockServer::method` and `mock::TypeMock`.
    let item = item
        .strip_prefix("mock::MockServer::")
        .map(|method| format!("Client::{method}"))
        .or_else(|| {
            item.strip_prefix("mock::")
                .map(|rest| format!("operations::{rest}"))
        })
        .unwrap_or_else(|| item.to_owned());
    let item = item.as_str();
    if let Some(method) = item.strip_prefix("Client::") {
        return by_operation(&|id| field_name(id) == method);
    }
    if let Some(rest) = item.strip_prefix("operations::") {
        // `UpdateKey`, `UpdateKeyError`, `UpdateKey::body`: the longest operation name that prefixes it.
        let head = leading_name(rest);
        let best = changes
            .iter()
            .filter_map(|change| {
                let length = operation_ids(change)
                    .map(type_name)
                    .filter(|name| head.starts_with(name.as_str()))
                    .map(|name| name.len())
                    .max()?;
                Some((length, change))
            })
            .max_by_key(|(length, change)| (*length, std::cmp::Reverse(change.kind.severity())));
        return best.map(|(_, change)| change);
    }
    let rest = item.strip_prefix("types::")?;
    let ty = leading_name(rest);
    let member = rest[ty.len()..].trim_start_matches(['.', ':']);
    let at_schema: Vec<&Change> = changes
        .iter()
        .filter(|change| schema_of(&change.pointer).is_some_and(|schema| type_name(&schema) == ty))
        .collect();
    let at_member = at_schema
        .iter()
        .copied()
        .filter(|change| {
            !member.is_empty()
                && (property_of(&change.pointer).is_some_and(|p| field_name(&p) == member)
                    || change.message.contains(&format!("`{member}`")))
        })
        .min_by_key(|change| change.kind.severity());
    at_member
        .or_else(|| {
            at_schema
                .into_iter()
                .min_by_key(|change| change.kind.severity())
        })
        // Inline types are named after their operation.
        .or_else(|| by_operation(&|id| ty.starts_with(&type_name(id))))
}

/// The operationIds a change concerns: its operation, and for a rename the old id too.
fn operation_ids(change: &Change) -> impl Iterator<Item = &str> {
    let old_id = (change.kind == Kind::OperationRenamed)
        .then(|| change.message.split('`').nth(1))
        .flatten();
    change.operations.iter().map(String::as_str).chain(old_id)
}

/// `Type` of `Type.field` or `Type::Variant`.
fn leading_name(path: &str) -> &str {
    let end = path.find(['.', ':']).unwrap_or(path.len());
    &path[..end]
}

fn segments(pointer: &str) -> Vec<String> {
    pointer
        .trim_start_matches("#/")
        .split('/')
        .map(crate::diagnostic::unescape_segment)
        .collect()
}

/// The component schema a pointer lies in.
fn schema_of(pointer: &str) -> Option<String> {
    match segments(pointer).as_slice() {
        [components, schemas, name, ..] if components == "components" && schemas == "schemas" => {
            Some(name.clone())
        }
        _ => None,
    }
}

/// The property a pointer ends in.
fn property_of(pointer: &str) -> Option<String> {
    match segments(pointer).as_slice() {
        [.., properties, name] if properties == "properties" => Some(name.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(kind: Kind, operation: &str, pointer: &str, message: &str) -> Change {
        Change {
            kind,
            operations: vec![operation.to_owned()],
            pointer: pointer.to_owned(),
            message: message.to_owned(),
        }
    }

    #[test]
    fn items_are_traced_to_the_change_that_names_them() {
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
        ];
        let of = |item: &str| cause(item, &changes).map(|change| change.kind);
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
        assert_eq!(of("types::Unrelated.x"), None);
    }
}
