//! Rust types for shapes, and the statements that check a value against one.

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::model::{Api, Bound, Field, Shape, TypeId, TypeRef, Types};

/// The model's facts about the named types, read by id, and the Rust
/// types of shapes, which name them.
#[derive(Debug, Clone, Copy)]
pub struct TypeIndex<'a> {
    types: &'a Types,
}

impl<'a> TypeIndex<'a> {
    /// Reads what the model decided about the API's types.
    pub fn new(api: &'a Api) -> Self {
        Self { types: &api.types }
    }

    /// The alternatives of the union `id`.
    pub fn variants(&self, id: TypeId) -> &'a [crate::model::Variant] {
        self.types.variants(id).unwrap_or_default()
    }

    /// The fields of the struct `id`.
    pub fn fields(&self, id: TypeId) -> &'a [Field] {
        self.types.fields(id).unwrap_or_default()
    }

    /// The Rust name of the type `id`.
    pub fn name(&self, id: TypeId) -> &'a str {
        self.types.name(id)
    }

    /// Is the type `id` one value on the wire, with `Display`?
    pub fn is_scalar(&self, id: TypeId) -> bool {
        self.types[id].decided.scalar
    }

    /// Does the type `id` implement `Validate`?
    pub fn is_validated(&self, id: TypeId) -> bool {
        self.types[id].decided.validated
    }

    /// The Rust type of a shape, `Option` when nullable.
    pub fn type_tokens(&self, shape: &Shape) -> TokenStream {
        let base = self.base_type_tokens(shape);
        if shape.nullable && shape.ty != TypeRef::Any {
            quote!(Option<#base>)
        } else {
            base
        }
    }

    /// The Rust type of a shape, ignoring `nullable`.
    pub fn base_type_tokens(&self, shape: &Shape) -> TokenStream {
        match &shape.ty {
            TypeRef::String => quote!(String),
            TypeRef::Password => quote!(client_runtime::Secret),
            TypeRef::Integer(32) => quote!(i32),
            TypeRef::Integer(_) => quote!(i64),
            TypeRef::Number(32) => quote!(f32),
            TypeRef::Number(_) => quote!(f64),
            TypeRef::Boolean => quote!(bool),
            TypeRef::DateTime => {
                quote!(client_runtime::chrono::DateTime<client_runtime::chrono::Utc>)
            }
            TypeRef::Date => quote!(client_runtime::chrono::NaiveDate),
            TypeRef::Uuid => quote!(client_runtime::uuid::Uuid),
            TypeRef::Binary => quote!(client_runtime::Binary),
            TypeRef::Any => quote!(serde_json::Value),
            TypeRef::Bytes => quote!(client_runtime::bytes::Bytes),
            TypeRef::Named(id) => {
                let ident = format_ident!("{}", self.types.name(*id));
                quote!(crate::types::#ident)
            }
            TypeRef::Array(items) => {
                let items = self.type_tokens(items);
                quote!(Vec<#items>)
            }
            TypeRef::Map(values) => {
                let values = self.type_tokens(values);
                quote!(std::collections::BTreeMap<String, #values>)
            }
        }
    }

    /// Statements checking the variable `value` (a reference to the shape's
    /// Rust type) and recording violations in `v`; empty when there are none.
    pub fn checks(&self, shape: &Shape) -> TokenStream {
        let base = self.base_checks(shape);
        if base.is_empty() || !shape.nullable || shape.ty == TypeRef::Any {
            base
        } else {
            quote! {
                if let Some(value) = value {
                    #base
                }
            }
        }
    }

    /// Like [`TypeIndex::checks`], ignoring `nullable`.
    pub fn base_checks(&self, shape: &Shape) -> TokenStream {
        let c = &shape.constraints;
        let mut out = Vec::new();
        match &shape.ty {
            TypeRef::String | TypeRef::Password => {
                // A secret is checked like a string but only through its deliberate accessor.
                let text = if shape.ty == TypeRef::Password {
                    quote!(value.expose())
                } else {
                    quote!(value)
                };
                if let Some(min) = c.min_length {
                    let min = Literal::u64_unsuffixed(min);
                    out.push(quote!(v.min_length(#text, #min);));
                }
                if let Some(max) = c.max_length {
                    let max = Literal::u64_unsuffixed(max);
                    out.push(quote!(v.max_length(#text, #max);));
                }
                if let Some(pattern) = &c.pattern {
                    out.push(quote! {
                        static PATTERN: client_runtime::__private::Pattern = client_runtime::__private::Pattern::new(#pattern);
                        v.pattern(#text, &PATTERN);
                    });
                }
            }
            TypeRef::Integer(_) | TypeRef::Number(_) => {
                if let Some((bound, exclusive)) = c.minimum {
                    let bound = bound_literal(bound);
                    out.push(quote!(v.minimum(*value, #bound, #exclusive);));
                }
                if let Some((bound, exclusive)) = c.maximum {
                    let bound = bound_literal(bound);
                    out.push(quote!(v.maximum(*value, #bound, #exclusive);));
                }
            }
            TypeRef::Boolean
            | TypeRef::Any
            | TypeRef::Bytes
            | TypeRef::DateTime
            | TypeRef::Date
            | TypeRef::Uuid
            | TypeRef::Binary => {}
            TypeRef::Named(id) => {
                if self.is_validated(*id) {
                    out.push(quote!(client_runtime::Validate::validate(value, v);));
                }
            }
            TypeRef::Array(items) => {
                if let Some(min) = c.min_items {
                    let min = Literal::u64_unsuffixed(min);
                    out.push(quote!(v.min_items(value.len(), #min);));
                }
                if let Some(max) = c.max_items {
                    let max = Literal::u64_unsuffixed(max);
                    out.push(quote!(v.max_items(value.len(), #max);));
                }
                let inner = self.checks(items);
                if !inner.is_empty() {
                    out.push(quote! {
                        for (index, value) in value.iter().enumerate() {
                            v.index(index, |v| {
                                #inner
                            });
                        }
                    });
                }
            }
            TypeRef::Map(values) => {
                if let Some(min) = c.min_properties {
                    let min = Literal::u64_unsuffixed(min);
                    out.push(quote!(v.min_properties(value.len(), #min);));
                }
                if let Some(max) = c.max_properties {
                    let max = Literal::u64_unsuffixed(max);
                    out.push(quote!(v.max_properties(value.len(), #max);));
                }
                let inner = self.checks(values);
                if !inner.is_empty() {
                    out.push(quote! {
                        for (key, value) in value {
                            v.field(key, |v| {
                                #inner
                            });
                        }
                    });
                }
            }
        }
        quote!(#(#out)*)
    }
}

fn bound_literal(bound: Bound) -> Literal {
    match bound {
        Bound::Integer(n) => Literal::i64_unsuffixed(n),
        Bound::Number(n) => Literal::f64_unsuffixed(n),
    }
}

/// The `type` aliases of one file: a place whose written type clippy's
/// `type_complexity` would refuse (a deep inline list of nullable maps,
/// which the spec gives no name) names an alias of its type instead, as
/// the lint suggests; an alias's own definition is not checked. Aliases
/// are private to their file, named after the place (`RoleIndices` for
/// `Role.indices`) and told apart from the file's other names.
#[derive(Debug)]
pub struct Aliases<'a> {
    index: TypeIndex<'a>,
    taken: BTreeSet<String>,
    defs: Vec<TokenStream>,
}

impl<'a> Aliases<'a> {
    /// Aliases for a file whose own items are named `taken`.
    pub fn new<'n>(index: TypeIndex<'a>, taken: impl IntoIterator<Item = &'n str>) -> Self {
        Self {
            index,
            taken: taken.into_iter().map(str::to_owned).collect(),
            defs: Vec::new(),
        }
    }

    /// What the model decided about the types the file names.
    pub fn index(&self) -> TypeIndex<'a> {
        self.index
    }

    /// The type of a place that holds `shape` without `nullable`'s
    /// `Option` (in an `Option` of its own when `optional`): an alias named
    /// after `place` when the written type would be too complex.
    pub fn base(&mut self, shape: &Shape, optional: bool, place: &str) -> TokenStream {
        if optional {
            self.base_in(shape, 2, 10, place)
        } else {
            self.base_in(shape, 1, 0, place)
        }
    }

    /// [`Aliases::base`] for a place `nest` generics deep in a type whose
    /// other parts score `around` (`Result<ResponseValue<T>, Error<E>>`:
    /// `T` is 3 deep, the rest scores 80).
    pub fn base_in(&mut self, shape: &Shape, nest: u32, around: u32, place: &str) -> TokenStream {
        let base = self.index.base_type_tokens(shape);
        if around + complexity(shape, nest) <= COMPLEX {
            return base;
        }
        let name = crate::names::unique_in(&mut self.taken, crate::names::type_name(place));
        let ident = format_ident!("{}", name);
        self.defs.push(quote!(type #ident = #base;));
        quote!(#ident)
    }

    /// [`Aliases::base`], with `nullable`'s `Option`, as [`TypeIndex::type_tokens`] writes it.
    pub fn ty(&mut self, shape: &Shape, optional: bool, place: &str) -> TokenStream {
        let base = self.base(shape, optional, place);
        if shape.nullable && shape.ty != TypeRef::Any {
            quote!(Option<#base>)
        } else {
            base
        }
    }

    /// The aliases made, to write at the top of the file.
    pub fn definitions(&self) -> TokenStream {
        let defs = &self.defs;
        quote!(#(#defs)*)
    }
}

/// Above this, clippy's `type_complexity` lint fires (its default threshold).
const COMPLEX: u32 = 250;

/// clippy's score of the type [`TypeIndex::type_tokens`] writes, at generic depth
/// `nest` (1 at the top): each path or generic adds ten times its depth.
fn complexity(shape: &Shape, nest: u32) -> u32 {
    if shape.nullable && shape.ty != TypeRef::Any {
        10 * nest + base_complexity(shape, nest + 1)
    } else {
        base_complexity(shape, nest)
    }
}

fn base_complexity(shape: &Shape, nest: u32) -> u32 {
    match &shape.ty {
        TypeRef::DateTime => 10 * nest + 10 * (nest + 1),
        TypeRef::Array(items) => 10 * nest + complexity(items, nest + 1),
        TypeRef::Map(values) => 10 * nest + 10 * (nest + 1) + complexity(values, nest + 1),
        _ => 10 * nest,
    }
}
