//! Unions that reach themselves without reading anything: `A: anyOf [A,
//! string]`, or `A: anyOf [B, string]` with `B: oneOf [A, integer]`.
//! Decoding such a member would try the union again on the same value, for
//! ever (a stack overflow on the first value that matches no earlier
//! member), and the member adds no value the others do not accept: `A` or
//! `A` is `A`. A member that leads straight back is left out; one that is
//! another union leading back is replaced by that union's own members that
//! do not, so that `A` above becomes `integer | string`. Each is a warning.

use std::collections::BTreeSet;

use super::{TypeId, TypeKind, TypeRef, Types, Variant};

/// Rewrites the unions of `types` so that none reaches itself through
/// union members and newtypes alone; returns a warning (pointer, message)
/// for each union changed.
pub fn break_self_references(types: &mut Types<()>) -> Vec<(String, String)> {
    let mut warnings = Vec::new();
    let ids: Vec<TypeId> = types.with_ids().map(|(id, _)| id).collect();
    for union in ids {
        let TypeKind::Union(variants) = &types[union].kind else {
            continue;
        };
        let mut kept: Vec<Variant> = Vec::new();
        let mut dropped = Vec::new();
        for variant in variants {
            let TypeRef::Named(held) = variant.shape.ty else {
                kept.push(variant.clone());
                continue;
            };
            if !reaches(types, held, union) {
                kept.push(variant.clone());
                continue;
            }
            dropped.push(held);
            // Another union's members that do not lead back stand in for it.
            if held != union
                && let Some(others) = types.variants(held)
            {
                for other in others {
                    let back = match other.shape.ty {
                        TypeRef::Named(id) => id == union || reaches(types, id, union),
                        _ => false,
                    };
                    if !back && !kept.iter().any(|variant| variant.shape == other.shape) {
                        kept.push(Variant {
                            discriminator: None,
                            ..other.clone()
                        });
                    }
                }
            }
        }
        if dropped.is_empty() {
            continue;
        }
        let mut names = BTreeSet::new();
        for variant in &mut kept {
            variant.name = crate::names::unique_in(&mut names, variant.name.clone());
        }
        warnings.push((
            types[union].pointer.clone(),
            format!(
                "the union `{}` reaches itself through {} without reading a value, which adds nothing it does not accept already; that member is left out",
                types.name(union),
                dropped
                    .iter()
                    .map(|id| format!("`{}`", types.name(*id)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
        if kept.is_empty() {
            // `A: anyOf [A]` says nothing about the value.
            kept.push(Variant {
                name: "Value".to_owned(),
                shape: super::Shape {
                    ty: TypeRef::Any,
                    nullable: false,
                    constraints: Default::default(),
                },
                discriminator: None,
                boxed: false,
            });
        }
        types.get_mut(union).kind = TypeKind::Union(kept);
    }
    warnings
}

/// Whether decoding `from` can come to `to` again without reading into
/// the value: through union members and newtype contents.
fn reaches(types: &Types<()>, from: TypeId, to: TypeId) -> bool {
    let mut pending = vec![from];
    let mut seen = BTreeSet::new();
    while let Some(id) = pending.pop() {
        if id == to {
            return true;
        }
        if !seen.insert(id) {
            continue;
        }
        let held: Vec<&TypeRef> = match &types[id].kind {
            TypeKind::Union(variants) => variants.iter().map(|v| &v.shape.ty).collect(),
            TypeKind::Newtype(shape) => vec![&shape.ty],
            _ => Vec::new(),
        };
        pending.extend(held.into_iter().filter_map(|ty| match ty {
            TypeRef::Named(id) => Some(*id),
            _ => None,
        }));
    }
    false
}
