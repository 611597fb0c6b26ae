//! Where each public item comes from (`GeneratedCrate::places`): the
//! names are the ones the other emitters write, read from the model, so
//! the spec diff never guesses a Rust name from a spec name.

use std::collections::BTreeMap;

use crate::generated::Place;
use crate::model::{Api, TypeKind};

/// Every operation's items (its `Client` method, builder, its parameters'
/// setters, success and error enums, mocks), every type and every field, by
/// item path; a parameter and a field at the place it is written.
pub fn places(api: &Api) -> BTreeMap<String, Place> {
    let mut places = BTreeMap::new();
    // Operation pointers with their `/`, to find the operation a type is
    // declared in.
    let mut operations: Vec<(String, &str)> = Vec::with_capacity(api.operations.len());
    for operation in &api.operations {
        let place = Place {
            pointer: operation.pointer(),
            operation: Some(operation.id.clone()),
        };
        let method = &operation.decided.rust_method;
        let builder = &operation.decided.rust_type;
        let items = [
            format!("Client::{method}"),
            format!("operations::{builder}"),
            format!("mock::MockServer::{method}"),
            format!("mock::{}", super::mocks::mock_name(operation)),
        ];
        let enums = [&operation.success_enum, &operation.error_enum]
            .into_iter()
            .flatten()
            .map(|name| format!("operations::{name}"));
        for item in items.into_iter().chain(enums) {
            places.insert(item, place.clone());
        }
        for param in &operation.params {
            places.insert(
                format!("operations::{builder}::{}", param.rust_name),
                Place {
                    pointer: param.pointer.clone(),
                    operation: place.operation.clone(),
                },
            );
        }
        operations.push((format!("{}/", place.pointer), &operation.id));
    }
    for ty in &api.types {
        let operation = operations
            .iter()
            .find(|(inside, _)| ty.pointer.starts_with(inside.as_str()))
            .map(|(_, id)| (*id).to_owned());
        let item = format!("types::{}", ty.name);
        if let TypeKind::Struct(object) = &ty.kind {
            for field in &object.fields {
                places.insert(
                    format!("{item}.{}", field.rust_name),
                    Place {
                        pointer: field.pointer(&ty.pointer),
                        operation: operation.clone(),
                    },
                );
            }
        }
        places.insert(
            item,
            Place {
                pointer: ty.pointer.clone(),
                operation,
            },
        );
    }
    places
}
