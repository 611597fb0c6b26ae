//! Unions that reach themselves without reading anything: `A: anyOf [A,
//! string]`, or `A: anyOf [B, string]` with `B: oneOf [A, integer]`.
//! Decoding such a member would try the union again on the same value, for
//! ever (a stack overflow on the first value that matches no earlier
//! member), and the member adds no value the others do not accept: `A` or
//! `A` is `A`. A member that leads straight back is left out; one that is
//! another union leading back is replaced by that union's own members that
//! do not, so that `A` above becomes `integer | string`. Each is a warning.

use std::collections::{BTreeMap, BTreeSet};

use super::{TypeDef, TypeKind, TypeRef, Variant};

/// Rewrites the unions of `types` so that none reaches itself through
/// union members and newtypes alone; returns a warning (pointer, message)
/// for each union changed.
pub fn break_self_references(types: &mut [TypeDef]) -> Vec<(String, String)> {
    let mut warnings = Vec::new();
    let position: BTreeMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(index, def)| (def.name.clone(), index))
        .collect();
    for index in 0..types.len() {
        let TypeKind::Union(variants) = &types[index].kind else {
            continue;
        };
        let union = types[index].name.clone();
        let mut kept: Vec<Variant> = Vec::new();
        let mut dropped = Vec::new();
        for variant in variants {
            let TypeRef::Named(held) = &variant.shape.ty else {
                kept.push(variant.clone());
                continue;
            };
            if !reaches(types, &position, held, &union) {
                kept.push(variant.clone());
                continue;
            }
            dropped.push(held.clone());
            // Another union's members that do not lead back stand in for it.
            if held != &union
                && let Some(TypeKind::Union(others)) = position.get(held).map(|at| &types[*at].kind)
            {
                for other in others {
                    let back = match &other.shape.ty {
                        TypeRef::Named(name) => {
                            name == &union || reaches(types, &position, name, &union)
                        }
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
            types[index].pointer.clone(),
            format!(
                "the union `{union}` reaches itself through {} without reading a value, which adds nothing it does not accept already; that member is left out",
                dropped
                    .iter()
                    .map(|name| format!("`{name}`"))
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
        types[index].kind = TypeKind::Union(kept);
    }
    warnings
}

/// Whether decoding `from` can come to `to` again without reading into
/// the value: through union members and newtype contents.
fn reaches(types: &[TypeDef], position: &BTreeMap<String, usize>, from: &str, to: &str) -> bool {
    let mut pending = vec![from.to_owned()];
    let mut seen = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if name == to {
            return true;
        }
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(def) = position.get(&name).map(|at| &types[*at]) else {
            continue;
        };
        let held: Vec<&TypeRef> = match &def.kind {
            TypeKind::Union(variants) => variants.iter().map(|v| &v.shape.ty).collect(),
            TypeKind::Newtype(shape) => vec![&shape.ty],
            _ => Vec::new(),
        };
        pending.extend(held.into_iter().filter_map(|ty| match ty {
            TypeRef::Named(name) => Some(name.clone()),
            _ => None,
        }));
    }
    false
}
