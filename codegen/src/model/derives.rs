//! The derives `codegen.toml`'s `[derives]` adds to generated types, decided
//! once: a type can take `Eq`, `Hash`, `PartialOrd` or `Ord` only when
//! everything it holds can (no `f64` takes `Eq`), and a type given one
//! passes it to every type it holds, so that the derive compiles.

use std::collections::{BTreeMap, BTreeSet};

use super::{Shape, TypeDef, TypeKind, TypeRef};
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
fn obstacle(shape: &Shape, derive: Derive, able: &BTreeSet<&str>) -> Option<String> {
    match &shape.ty {
        TypeRef::Named(name) => (!able.contains(name.as_str())).then(|| format!("`{name}`")),
        TypeRef::Array(items) | TypeRef::Map(items) => obstacle(items, derive, able),
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
fn why_not(def: &TypeDef, derive: Derive, able: &BTreeSet<&str>) -> Option<String> {
    match &def.kind {
        TypeKind::Enum(_) | TypeKind::IntegerEnum(_) => None,
        TypeKind::NumberEnum(_) => (derive != Derive::PartialOrd)
            .then(|| "it is an enum of numbers that are not whole (`f64`)".to_owned()),
        TypeKind::Struct(object) => object.fields.iter().find_map(|field| {
            obstacle(&field.shape, derive, able)
                .map(|what| format!("its field `{}` is {what}", field.rust_name))
        }),
        TypeKind::Union(variants) => variants.iter().find_map(|variant| {
            obstacle(&variant.shape, derive, able)
                .map(|what| format!("its variant `{}` holds {what}", variant.name))
        }),
        TypeKind::Newtype(shape) => {
            obstacle(shape, derive, able).map(|what| format!("it holds {what}"))
        }
        TypeKind::Replaced(path) => Some(format!(
            "it is `{path}` (`[replace]`), whose derives are its own"
        )),
    }
}

/// The types that can derive `derive`: a fixed point, since types hold
/// each other (a type that holds itself can, if nothing else stops it).
fn able(types: &[TypeDef], derive: Derive) -> BTreeSet<&str> {
    let mut able: BTreeSet<&str> = types.iter().map(|def| def.name.as_str()).collect();
    loop {
        let unable: Vec<&str> = types
            .iter()
            .filter(|def| able.contains(def.name.as_str()))
            .filter(|def| why_not(def, derive, &able).is_some())
            .map(|def| def.name.as_str())
            .collect();
        if unable.is_empty() {
            return able;
        }
        for name in unable {
            able.remove(name);
        }
    }
}

/// Sets each type's `derives` from the configuration's `[derives]`, keyed by
/// `*` (every type that can) or by a type's name (the Rust name, or the
/// schema's name in `components/schemas`). A named type that cannot take a
/// derive asked for it by name, or a name that is no type, is an error.
pub fn decide(
    types: &mut [TypeDef],
    requested: &BTreeMap<String, Vec<Derive>>,
) -> Result<(), String> {
    if requested.is_empty() {
        return Ok(());
    }
    // What each derive needs to compile beside it.
    let implied = |derive: Derive| match derive {
        Derive::Ord => vec![Derive::Ord, Derive::PartialOrd, Derive::Eq],
        other => vec![other],
    };
    let all = [Derive::Eq, Derive::Hash, Derive::PartialOrd, Derive::Ord];
    let able: BTreeMap<Derive, BTreeSet<String>> = all
        .iter()
        .map(|&derive| {
            let names = able(types, derive).into_iter().map(str::to_owned).collect();
            (derive, names)
        })
        .collect();
    let by_schema: BTreeMap<&str, &str> = types
        .iter()
        .filter_map(|def| {
            let schema = def.pointer.strip_prefix("#/components/schemas/")?;
            (!schema.contains('/')).then_some((schema, def.name.as_str()))
        })
        .collect();
    let holds: BTreeMap<&str, Vec<&str>> = types
        .iter()
        .map(|def| (def.name.as_str(), def.holds()))
        .collect();
    let mut given: BTreeMap<String, BTreeSet<Derive>> = BTreeMap::new();
    for (key, derives) in requested {
        let derives: Vec<Derive> = derives.iter().flat_map(|&d| implied(d)).collect();
        if key == "*" {
            for def in types.iter() {
                for &derive in &derives {
                    if able[&derive].contains(&def.name) {
                        given.entry(def.name.clone()).or_default().insert(derive);
                    }
                }
            }
            continue;
        }
        let name = if types.iter().any(|def| &def.name == key) {
            key.as_str()
        } else if let Some(name) = by_schema.get(key.as_str()) {
            name
        } else {
            return Err(format!(
                "`[derives]` names `{key}`, which is neither a generated type nor a schema of `components/schemas`"
            ));
        };
        for &derive in &derives {
            if !able[&derive].contains(name) {
                let def = types.iter().find(|def| def.name == name).expect("a type");
                let names: BTreeSet<&str> = able[&derive].iter().map(String::as_str).collect();
                let reason = why_not(def, derive, &names).unwrap_or_default();
                return Err(format!(
                    "`[derives]` asks `{name}` to derive `{derive:?}`, which it cannot: {reason}"
                ));
            }
            // The types it holds need the derive too; they can, since it can.
            let mut pending = vec![name];
            while let Some(next) = pending.pop() {
                if given.entry(next.to_owned()).or_default().insert(derive) {
                    pending.extend(holds.get(next).into_iter().flatten().copied());
                }
            }
        }
    }
    for def in types.iter_mut() {
        if let Some(derives) = given.remove(&def.name) {
            def.derives = derives.into_iter().collect();
        }
    }
    Ok(())
}
