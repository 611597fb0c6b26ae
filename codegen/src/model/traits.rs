//! What each named type is, beyond its shape, decided once for emit to
//! translate: whether it is one value on the wire (it gets `Display` and
//! may be a parameter), whether it validates itself (it implements
//! `Validate`), and which of a struct's fields must be boxed (a type that
//! holds itself inline would have no finite size).

use std::collections::BTreeSet;

use super::{Shape, TypeDef, TypeKind, TypeRef, is_scalar_newtype};

/// The names of the types that are one value on the wire: string and
/// integer enums, newtypes of a string, number or boolean, and unions of
/// such values only. A fixed point, since unions name each other.
pub fn scalar_names(types: &[TypeDef]) -> BTreeSet<&str> {
    let mut scalar = BTreeSet::new();
    loop {
        let before = scalar.len();
        for def in types {
            let is_scalar = match &def.kind {
                TypeKind::Enum(_) | TypeKind::IntegerEnum(_) | TypeKind::NumberEnum(_) => true,
                TypeKind::Newtype(shape) => is_scalar_newtype(shape),
                TypeKind::Union(variants) => variants.iter().all(|variant| {
                    !variant.shape.nullable
                        && match &variant.shape.ty {
                            TypeRef::Named(name) => scalar.contains(name.as_str()),
                            _ => is_scalar_newtype(&variant.shape),
                        }
                }),
                TypeKind::Struct(_) | TypeKind::Replaced(_) => false,
            };
            if is_scalar {
                scalar.insert(def.name.as_str());
            }
        }
        if scalar.len() == before {
            return scalar;
        }
    }
}

/// Whether a value of `shape` has anything to check, given the names of
/// the types that validate themselves.
fn needs_checks(shape: &Shape, validated: &BTreeSet<&str>) -> bool {
    let c = &shape.constraints;
    match &shape.ty {
        TypeRef::String | TypeRef::Password => {
            c.min_length.is_some() || c.max_length.is_some() || c.pattern.is_some()
        }
        TypeRef::Integer(_) | TypeRef::Number(_) => c.minimum.is_some() || c.maximum.is_some(),
        TypeRef::Boolean
        | TypeRef::Any
        | TypeRef::Bytes
        | TypeRef::DateTime
        | TypeRef::Date
        | TypeRef::Uuid
        | TypeRef::Binary => false,
        TypeRef::Named(name) => validated.contains(name.as_str()),
        TypeRef::Array(items) => {
            c.min_items.is_some() || c.max_items.is_some() || needs_checks(items, validated)
        }
        TypeRef::Map(values) => {
            c.min_properties.is_some()
                || c.max_properties.is_some()
                || needs_checks(values, validated)
        }
    }
}

/// The names of the types that validate themselves: enums (a value they do
/// not know is refused), and types with something to check, themselves or
/// in what they hold. A fixed point, since types hold each other.
fn validated_names(types: &[TypeDef]) -> BTreeSet<&str> {
    let mut validated = BTreeSet::new();
    loop {
        let before = validated.len();
        for def in types {
            let needs = match &def.kind {
                TypeKind::Enum(_) | TypeKind::IntegerEnum(_) | TypeKind::NumberEnum(_) => true,
                TypeKind::Struct(object) => {
                    object.min_properties.is_some()
                        || object.max_properties.is_some()
                        || object
                            .fields
                            .iter()
                            .any(|field| needs_checks(&field.shape, &validated))
                }
                TypeKind::Newtype(shape) => needs_checks(shape, &validated),
                // The user's type: what it parses is its own business.
                TypeKind::Replaced(_) => false,
                TypeKind::Union(variants) => variants
                    .iter()
                    .any(|variant| needs_checks(&variant.shape, &validated)),
            };
            if needs {
                validated.insert(def.name.as_str());
            }
        }
        if validated.len() == before {
            return validated;
        }
    }
}

/// The named types `def` holds inline: struct fields, union variants,
/// newtype contents (not behind a `Vec` or a map).
fn inline_names(def: &TypeDef) -> Vec<&str> {
    fn named(shape: &Shape) -> Option<&str> {
        match &shape.ty {
            TypeRef::Named(name) => Some(name.as_str()),
            _ => None,
        }
    }
    match &def.kind {
        TypeKind::Struct(object) => object
            .fields
            .iter()
            .filter_map(|f| named(&f.shape))
            .collect(),
        TypeKind::Union(variants) => variants.iter().filter_map(|v| named(&v.shape)).collect(),
        TypeKind::Newtype(shape) => named(shape).into_iter().collect(),
        TypeKind::Enum(_)
        | TypeKind::IntegerEnum(_)
        | TypeKind::NumberEnum(_)
        | TypeKind::Replaced(_) => Vec::new(),
    }
}

/// Sets every type's `scalar` and `validated`, and every struct field's
/// `boxed`: a field is boxed when the type it holds inline holds the
/// struct back, directly or through other inline values. (A cycle of
/// unions and newtypes alone, with no struct to box, was broken by
/// `unions::break_self_references`.)
pub fn decide(types: &mut [TypeDef]) {
    let (scalar, validated, boxed) = {
        let scalar: BTreeSet<String> = scalar_names(types).into_iter().map(str::to_owned).collect();
        let validated: BTreeSet<String> = validated_names(types)
            .into_iter()
            .map(str::to_owned)
            .collect();
        let inline: std::collections::BTreeMap<&str, Vec<&str>> = types
            .iter()
            .map(|def| (def.name.as_str(), inline_names(def)))
            .collect();
        let holds_back = |holder: &str, held: &str| {
            let mut pending = vec![held];
            let mut seen = BTreeSet::new();
            while let Some(name) = pending.pop() {
                if name == holder {
                    return true;
                }
                if seen.insert(name) {
                    pending.extend(inline.get(name).into_iter().flatten().copied());
                }
            }
            false
        };
        let mut boxed = BTreeSet::new();
        for def in types.iter() {
            if let TypeKind::Struct(object) = &def.kind {
                for field in &object.fields {
                    if let TypeRef::Named(held) = &field.shape.ty
                        && holds_back(&def.name, held)
                    {
                        boxed.insert((def.name.clone(), field.rust_name.clone()));
                    }
                }
            }
        }
        (scalar, validated, boxed)
    };
    for def in types.iter_mut() {
        def.scalar = scalar.contains(&def.name);
        def.validated = validated.contains(&def.name);
        if let TypeKind::Struct(object) = &mut def.kind {
            for field in &mut object.fields {
                field.boxed = boxed.contains(&(def.name.clone(), field.rust_name.clone()));
            }
        }
    }
}
