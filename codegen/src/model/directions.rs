//! Which way each named type travels: in requests (parameters and
//! bodies), in responses, or both. A `readOnly` field matters only to a
//! type that requests carry, which leave it out; a `writeOnly` field only
//! to a type that responses carry, which leave it out. Anywhere else each
//! is an ordinary field: a type that only answers keeps its `readOnly`
//! fields required, so a response missing one is still refused. In a type
//! that a `PATCH` or `PUT` body carries, an optional nullable field has
//! three states, since leaving it out keeps the server's value and `null`
//! clears it.

use std::collections::BTreeSet;

use super::{Operation, Shape, TypeId, TypeKind, TypeRef, Types};
use crate::http_method::HttpMethod;

/// Marks each struct field that one direction leaves out.
pub fn decide(types: &mut Types<()>, operations: &[Operation<()>]) {
    let holds_null = null_holders(types);
    let mut requests = BTreeSet::new();
    let mut responses = BTreeSet::new();
    let mut replaced = BTreeSet::new();
    for operation in operations {
        for param in &operation.params {
            types.reach(&param.shape, &mut requests);
        }
        if let Some(body) = &operation.body {
            types.reach(&body.content.shape, &mut requests);
            if matches!(operation.method, HttpMethod::Patch | HttpMethod::Put) {
                types.reach(&body.content.shape, &mut replaced);
            }
        }
        for content in operation.response_bodies() {
            types.reach(&content.shape, &mut responses);
        }
    }
    let ids: Vec<TypeId> = types.with_ids().map(|(id, _)| id).collect();
    for id in ids {
        let TypeKind::Struct(object) = &mut types.get_mut(id).kind else {
            continue;
        };
        let (sent, received) = (requests.contains(&id), responses.contains(&id));
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
                    TypeRef::Named(held) => holds_null.contains(held),
                    _ => false,
                };
            field.tri_state = replaced.contains(&id)
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
fn null_holders(types: &Types<()>) -> BTreeSet<TypeId> {
    let mut holders = BTreeSet::new();
    loop {
        let before = holders.len();
        for (id, def) in types.with_ids() {
            let holds = |shape: &Shape| {
                shape.nullable
                    || match &shape.ty {
                        TypeRef::Any => true,
                        TypeRef::Named(held) => holders.contains(held),
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
            if holds_null {
                holders.insert(id);
            }
        }
        if holders.len() == before {
            return holders;
        }
    }
}
