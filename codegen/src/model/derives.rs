//! The derives `codegen.toml`'s `[derives]` adds to generated types, decided
//! once: a type can take `Eq`, `Hash`, `PartialOrd` or `Ord` only when
//! everything it holds can (no `f64` takes `Eq`), and a type given one
//! passes it to every type it holds, so that the derive compiles.

use std::collections::{BTreeMap, BTreeSet};

use super::{Shape, TypeDef, TypeId, TypeKind, TypeRef, Types};
use crate::config::Derive;

/// What each leaf type of a shape can derive.
fn leaf_can(ty: &TypeRef, derive: Derive) -> Option<bool> {
    Some(match ty {
        // Their Rust types derive all four.
        TypeRef::String
        | TypeRef::Integer(_)
        | TypeRef::Boolean
        | TypeRef::DateTime
        | TypeRef::Date
        | TypeRef::Uuid
        | TypeRef::Bytes => true,
        // `Secret` is `Eq` and `Hash`; ordering secrets would leak them.
        TypeRef::Password => matches!(derive, Derive::Eq | Derive::Hash),
        // `f32` and `f64`.
        TypeRef::Number(_) => derive == Derive::PartialOrd,
        // `serde_json::Value` and `client_runtime::Binary`.
        TypeRef::Any | TypeRef::Binary => derive == Derive::Eq,
        TypeRef::Named(_) | TypeRef::Array(_) | TypeRef::Map(_) => return None,
    })
}

/// The first thing in `shape` that cannot derive `derive`, as a phrase;
/// `None` when it can. `able` holds the named types known to be able.
fn obstacle(
    shape: &Shape,
    derive: Derive,
    types: &Types<()>,
    able: &BTreeSet<TypeId>,
) -> Option<String> {
    match &shape.ty {
        TypeRef::Named(id) => (!able.contains(id)).then(|| format!("`{}`", types.name(*id))),
        TypeRef::Array(items) | TypeRef::Map(items) => obstacle(items, derive, types, able),
        leaf => match leaf_can(leaf, derive) {
            Some(true) => None,
            _ => Some(match leaf {
                TypeRef::Number(_) => "a number (`f64`)".to_owned(),
                TypeRef::Password => "a `Secret`".to_owned(),
                TypeRef::Any => "any JSON value (`serde_json::Value`)".to_owned(),
                _ => "a file (`Binary`)".to_owned(),
            }),
        },
    }
}

/// Why `def` cannot derive `derive`, given the types known to be able.
fn why_not(
    def: &TypeDef<()>,
    derive: Derive,
    types: &Types<()>,
    able: &BTreeSet<TypeId>,
) -> Option<String> {
    match &def.kind {
        TypeKind::Enum(_) | TypeKind::IntegerEnum(_) => None,
        TypeKind::NumberEnum(_) => (derive != Derive::PartialOrd)
            .then(|| "it is an enum of numbers that are not whole (`f64`)".to_owned()),
        TypeKind::Struct(object) => object.fields.iter().find_map(|field| {
            obstacle(&field.shape, derive, types, able)
                .map(|what| format!("its field `{}` is {what}", field.rust_name))
        }),
        TypeKind::Union(variants) => variants.iter().find_map(|variant| {
            obstacle(&variant.shape, derive, types, able)
                .map(|what| format!("its variant `{}` holds {what}", variant.name))
        }),
        TypeKind::Newtype(shape) => {
            obstacle(shape, derive, types, able).map(|what| format!("it holds {what}"))
        }
        TypeKind::Replaced(path) => Some(format!(
            "it is `{path}` (`[replace]`), whose derives are its own"
        )),
    }
}

/// The types that can derive `derive`: a fixed point, since types hold
/// each other (a type that holds itself can, if nothing else stops it).
fn able(types: &Types<()>, derive: Derive) -> BTreeSet<TypeId> {
    let mut able: BTreeSet<TypeId> = types.with_ids().map(|(id, _)| id).collect();
    loop {
        let unable: Vec<TypeId> = types
            .with_ids()
            .filter(|(id, def)| able.contains(id) && why_not(def, derive, types, &able).is_some())
            .map(|(id, _)| id)
            .collect();
        if unable.is_empty() {
            return able;
        }
        for id in unable {
            able.remove(&id);
        }
    }
}

/// Each type's derives, by id (sorted; none for a type left out), from the configuration's `[derives]`, keyed by
/// `*` (every type that can) or by a type's name (the Rust name, or the
/// schema's name in `components/schemas`). A named type that cannot take a
/// derive asked for it by name, or a name that is no type, is an error.
pub fn decide(
    types: &Types<()>,
    requested: &BTreeMap<String, Vec<Derive>>,
) -> Result<BTreeMap<TypeId, Vec<Derive>>, String> {
    if requested.is_empty() {
        return Ok(BTreeMap::new());
    }
    // What each derive needs to compile beside it.
    let implied = |derive: Derive| match derive {
        Derive::Ord => vec![Derive::Ord, Derive::PartialOrd, Derive::Eq],
        other => vec![other],
    };
    let all = [Derive::Eq, Derive::Hash, Derive::PartialOrd, Derive::Ord];
    let able: BTreeMap<Derive, BTreeSet<TypeId>> = all
        .iter()
        .map(|&derive| (derive, able(types, derive)))
        .collect();
    let by_schema: BTreeMap<&str, TypeId> = types
        .with_ids()
        .filter_map(|(id, def)| {
            let schema = def.pointer.strip_prefix("#/components/schemas/")?;
            (!schema.contains('/')).then_some((schema, id))
        })
        .collect();
    let mut given: BTreeMap<TypeId, BTreeSet<Derive>> = BTreeMap::new();
    for (key, derives) in requested {
        let derives: Vec<Derive> = derives.iter().flat_map(|&d| implied(d)).collect();
        if key == "*" {
            for (id, _) in types.with_ids() {
                for &derive in &derives {
                    if able[&derive].contains(&id) {
                        given.entry(id).or_default().insert(derive);
                    }
                }
            }
            continue;
        }
        let Some(id) = types
            .with_ids()
            .find(|(_, def)| &def.name == key)
            .map(|(id, _)| id)
            .or_else(|| by_schema.get(key.as_str()).copied())
        else {
            return Err(format!(
                "`[derives]` names `{key}`, which is neither a generated type nor a schema of `components/schemas`"
            ));
        };
        for &derive in &derives {
            if !able[&derive].contains(&id) {
                let reason = why_not(&types[id], derive, types, &able[&derive]).unwrap_or_default();
                return Err(format!(
                    "`[derives]` asks `{}` to derive `{derive:?}`, which it cannot: {reason}",
                    types.name(id)
                ));
            }
            // The types it holds need the derive too; they can, since it can.
            let mut pending = vec![id];
            while let Some(next) = pending.pop() {
                if given.entry(next).or_default().insert(derive) {
                    pending.extend(types[next].holds());
                }
            }
        }
    }
    Ok(given
        .into_iter()
        .map(|(id, derives)| (id, derives.into_iter().collect()))
        .collect())
}
