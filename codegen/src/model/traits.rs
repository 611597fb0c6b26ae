//! What each named type is, beyond its shape, decided once for emit to
//! translate: whether it is one value on the wire (it gets `Display` and
//! may be a parameter), whether it validates itself (it implements
//! `Validate`), and which of a struct's fields must be boxed (a type that
//! holds itself inline would have no finite size).

use std::collections::BTreeSet;

use super::{Shape, TypeDef, TypeId, TypeKind, TypeRef, Types, is_scalar_newtype};

/// The types that are one value on the wire: string and integer enums,
/// newtypes of a string, number or boolean, and unions of such values
/// only. A fixed point, since unions name each other.
pub fn scalar_types<'t, D: 't>(
    types: impl Iterator<Item = (TypeId, &'t TypeDef<D>)> + Clone,
) -> BTreeSet<TypeId> {
    let mut scalar = BTreeSet::new();
    loop {
        let before = scalar.len();
        for (id, def) in types.clone() {
            let is_scalar = match &def.kind {
                TypeKind::Enum(_) | TypeKind::IntegerEnum(_) | TypeKind::NumberEnum(_) => true,
                TypeKind::Newtype(shape) => is_scalar_newtype(shape),
                TypeKind::Union(variants) => variants.iter().all(|variant| {
                    !variant.shape.nullable
                        && match &variant.shape.ty {
                            TypeRef::Named(held) => scalar.contains(held),
                            _ => is_scalar_newtype(&variant.shape),
                        }
                }),
                TypeKind::Struct(_) | TypeKind::Replaced(_) => false,
            };
            if is_scalar {
                scalar.insert(id);
            }
        }
        if scalar.len() == before {
            return scalar;
        }
    }
}

/// Whether a value of `shape` has anything to check, given the types that
/// validate themselves.
fn needs_checks(shape: &Shape, validated: &BTreeSet<TypeId>) -> bool {
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
        TypeRef::Named(id) => validated.contains(id),
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

/// The types that validate themselves: enums (a value they do not know is
/// refused), and types with something to check, themselves or in what
/// they hold. A fixed point, since types hold each other.
fn validated_types(types: &Types<()>) -> BTreeSet<TypeId> {
    let mut validated = BTreeSet::new();
    loop {
        let before = validated.len();
        for (id, def) in types.with_ids() {
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
                validated.insert(id);
            }
        }
        if validated.len() == before {
            return validated;
        }
    }
}

/// The named types `def` holds inline: struct fields, union variants,
/// newtype contents (not behind a `Vec` or a map).
fn held_inline(def: &TypeDef<()>) -> Vec<TypeId> {
    fn named(shape: &Shape) -> Option<TypeId> {
        match &shape.ty {
            TypeRef::Named(id) => Some(*id),
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

/// Which types are one value on the wire and which validate themselves.
pub struct Traits {
    /// [`scalar_types`].
    pub scalar: BTreeSet<TypeId>,
    /// [`validated_types`].
    pub validated: BTreeSet<TypeId>,
}

/// Decides which types are one value on the wire and which validate
/// themselves, and sets every struct field's `boxed`: a field is boxed when
/// the type it holds inline holds the struct back, directly or through
/// other inline values. (A cycle of unions and newtypes alone, with no
/// struct to box, was broken by `unions::break_self_references`.)
pub fn decide(types: &mut Types<()>) -> Traits {
    let scalar = scalar_types(types.with_ids());
    let validated = validated_types(types);
    let inline: Vec<Vec<TypeId>> = types.iter().map(held_inline).collect();
    let holds_back = |holder: TypeId, held: TypeId| {
        let mut pending = vec![held];
        let mut seen = BTreeSet::new();
        while let Some(id) = pending.pop() {
            if id == holder {
                return true;
            }
            if seen.insert(id) {
                pending.extend(inline[id.index()].iter().copied());
            }
        }
        false
    };
    let boxed: Vec<Vec<bool>> = types
        .with_ids()
        .map(|(id, def)| match &def.kind {
            TypeKind::Struct(object) => object
                .fields
                .iter()
                .map(|field| matches!(field.shape.ty, TypeRef::Named(held) if holds_back(id, held)))
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    for (def, boxed) in types.iter_mut().zip(boxed) {
        if let TypeKind::Struct(object) = &mut def.kind {
            for (field, boxed) in object.fields.iter_mut().zip(boxed) {
                field.boxed = boxed;
            }
        }
    }
    Traits { scalar, validated }
}
