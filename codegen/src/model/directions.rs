//! Which way each named type travels: in requests (parameters and
//! bodies), in responses, or both. A `readOnly` field matters only to a
//! type that requests carry, which leave it out; a `writeOnly` field only
//! to a type that responses carry, which leave it out. Anywhere else each
//! is an ordinary field: a type that only answers keeps its `readOnly`
//! fields required, so a response missing one is still refused. In a type
//! that a `PATCH` or `PUT` body carries, an optional nullable field has
//! three states, since leaving it out keeps the server's value and `null`
//! clears it.

use std::collections::{BTreeMap, BTreeSet};

use super::{Operation, Shape, TypeDef, TypeKind, TypeRef};
use crate::http_method::HttpMethod;

/// Marks each struct field that one direction leaves out.
pub fn decide(types: &mut [TypeDef], operations: &[Operation]) {
    let holds_null: BTreeSet<String> = null_holders(types);
    let (requests, responses, replaced) = {
        let by_name: BTreeMap<&str, &TypeDef> =
            types.iter().map(|def| (def.name.as_str(), def)).collect();
        let mut requests = BTreeSet::new();
        let mut responses = BTreeSet::new();
        let mut replaced = BTreeSet::new();
        for operation in operations {
            for param in &operation.params {
                reach(&param.shape, &by_name, &mut requests);
            }
            if let Some(body) = &operation.body {
                reach(&body.content.shape, &by_name, &mut requests);
                if matches!(operation.method, HttpMethod::Patch | HttpMethod::Put) {
                    reach(&body.content.shape, &by_name, &mut replaced);
                }
            }
            let answers = operation
                .success
                .iter()
                .filter_map(|success| success.body.as_ref())
                .chain(
                    operation
                        .errors
                        .iter()
                        .filter_map(|error| error.body.as_ref()),
                );
            for content in answers {
                reach(&content.shape, &by_name, &mut responses);
            }
        }
        let owned = |names: BTreeSet<&str>| -> BTreeSet<String> {
            names.into_iter().map(str::to_owned).collect()
        };
        (owned(requests), owned(responses), owned(replaced))
    };
    for def in types {
        let TypeKind::Struct(object) = &mut def.kind else {
            continue;
        };
        let (sent, received) = (requests.contains(&def.name), responses.contains(&def.name));
        let mut setters: BTreeSet<String> = object
            .fields
            .iter()
            .map(|field| field.setter.clone())
            .collect();
        for field in &mut object.fields {
            field.omitted_from_requests = field.read_only && sent;
            field.omitted_from_responses = field.write_only && received;
            field.unset_is_refused = field.required
                && field.omitted_from_responses
                && !field.shape.nullable
                && !match &field.shape.ty {
                    TypeRef::Any => true,
                    TypeRef::Named(name) => holds_null.contains(name),
                    _ => false,
                };
            field.tri_state = replaced.contains(&def.name)
                && !field.required
                && field.shape.nullable
                && field.shape.ty != TypeRef::Any
                && !field.omitted_from_requests;
            if field.tri_state {
                field.null_setter =
                    crate::names::unique_in(&mut setters, format!("{}_null", field.setter));
            }
        }
    }
}

/// The named types a JSON `null` may be a value of (newtypes and unions of
/// any value or of something nullable), which an `Option` of them reads
/// as `None`. A fixed point, since they name each other.
fn null_holders(types: &[TypeDef]) -> BTreeSet<String> {
    let mut holders = BTreeSet::new();
    loop {
        let before = holders.len();
        for def in types {
            let holds = |shape: &Shape| {
                shape.nullable
                    || match &shape.ty {
                        TypeRef::Any => true,
                        TypeRef::Named(name) => holders.contains(name),
                        _ => false,
                    }
            };
            let holds_null = match &def.kind {
                TypeKind::Newtype(inner) => holds(inner),
                TypeKind::Union(variants) => variants.iter().any(|variant| holds(&variant.shape)),
                TypeKind::Struct(_)
                | TypeKind::Replaced(_)
                | TypeKind::Enum(_)
                | TypeKind::IntegerEnum(_)
                | TypeKind::NumberEnum(_) => false,
            };
            if holds_null && !holders.contains(&def.name) {
                holders.insert(def.name.clone());
            }
        }
        if holders.len() == before {
            return holders;
        }
    }
}

/// Adds every named type a value of `shape` may hold to `reached`.
fn reach<'a>(
    shape: &'a Shape,
    by_name: &BTreeMap<&str, &'a TypeDef>,
    reached: &mut BTreeSet<&'a str>,
) {
    match &shape.ty {
        TypeRef::Named(name) => {
            let Some(def) = by_name.get(name.as_str()) else {
                return;
            };
            if !reached.insert(def.name.as_str()) {
                return;
            }
            match &def.kind {
                TypeKind::Struct(object) => {
                    for field in &object.fields {
                        reach(&field.shape, by_name, reached);
                    }
                }
                TypeKind::Union(variants) => {
                    for variant in variants {
                        reach(&variant.shape, by_name, reached);
                    }
                }
                TypeKind::Newtype(inner) => reach(inner, by_name, reached),
                TypeKind::Enum(_)
                | TypeKind::IntegerEnum(_)
                | TypeKind::NumberEnum(_)
                | TypeKind::Replaced(_) => {}
            }
        }
        TypeRef::Array(items) | TypeRef::Map(items) => reach(items, by_name, reached),
        _ => {}
    }
}
