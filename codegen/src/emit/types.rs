//! One file per named type: structs, enums and newtypes, with their serde
//! and `Validate` impls. None derives serde (see the runtime's `object`
//! module for why): a struct states its fields' wire facts once to the
//! runtime's `object!` macro; enums and unions have theirs written out.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};

use super::docs::{deprecated_attr, doc_attrs, paragraphs};
use super::shapes::{Aliases, TypeIndex};
use crate::config::Derive;
use crate::model::{
    EnumValue, Field, Shape, Struct, TypeDef, TypeKind, TypeRef, Variant, is_scalar_newtype,
};

/// What goes before a type's own attributes: its docs, `#[deprecated]`
/// when the spec deprecates it, and the derives the configuration adds.
struct Head<'a> {
    doc: TokenStream,
    deprecated: TokenStream,
    extra: &'a [syn::Ident],
}

/// The items of one type's file.
pub fn type_file(def: &TypeDef, index: &TypeIndex<'_>) -> TokenStream {
    let name = format_ident!("{}", def.name);
    // No description, no doc: a placeholder would only repeat the pointer.
    let doc = def
        .description
        .as_deref()
        .map(doc_attrs)
        .unwrap_or_default();
    let mut aliases = Aliases::new(*index, [def.name.as_str()]);
    // The configuration's derives that the kind does not derive already.
    let built_in: &[Derive] = match &def.kind {
        TypeKind::Enum(_) | TypeKind::IntegerEnum(_) => &[Derive::Eq, Derive::Hash],
        _ => &[],
    };
    let extra: Vec<syn::Ident> = def
        .decided
        .derives
        .iter()
        .filter(|derive| !built_in.contains(derive))
        .map(|derive| format_ident!("{derive:?}"))
        .collect();
    let head = Head {
        doc,
        deprecated: deprecated_attr(def.deprecated, "schema"),
        extra: &extra,
    };
    let items = match &def.kind {
        TypeKind::Struct(object) => struct_items(&name, &head, object, index, &mut aliases),
        TypeKind::Enum(values) => enum_items(&name, &head, values),
        TypeKind::IntegerEnum(values) => integer_enum_items(&name, &head, values),
        TypeKind::NumberEnum(values) => number_enum_items(&name, &head, values),
        TypeKind::Newtype(shape) => newtype_items(&name, &head, shape, index, &mut aliases),
        TypeKind::Union(variants) => union_items(def, &name, &head, variants, index, &mut aliases),
        TypeKind::Replaced(path) => {
            // The configuration checked that it parses as a path.
            let path: syn::Path = syn::parse_str(path).expect("a Rust path");
            let note = format!(
                " The schema is given as `{}` (`[replace]` in `codegen.toml`).",
                path.to_token_stream().to_string().replace(' ', "")
            );
            let Head {
                doc, deprecated, ..
            } = &head;
            quote! {
                #doc
                #[doc = #note]
                #deprecated
                pub type #name = #path;
            }
        }
    };
    let aliases = aliases.definitions();
    quote!(#aliases #items)
}

fn struct_items(
    name: &syn::Ident,
    head: &Head<'_>,
    object: &Struct,
    index: &TypeIndex<'_>,
    aliases: &mut Aliases,
) -> TokenStream {
    let Head {
        doc,
        deprecated,
        extra,
    } = head;
    let all_optional = object.fields.iter().all(Field::is_option);
    let default = all_optional.then(|| quote!(Default,));
    // Each field's type, but for its `Option`s and `Box`.
    let bases: Vec<TokenStream> = object
        .fields
        .iter()
        .map(|field| {
            let place = format!("{name}_{}", field.rust_name);
            aliases.base(&field.shape, field.is_option() || field.boxed, &place)
        })
        .collect();
    let fields = object.fields.iter().zip(&bases).map(|(field, base)| {
        let ident = format_ident!("{}", field.rust_name);
        let ty = field_type(field, base);
        let doc = doc_attrs(&field_doc(field));
        let deprecated = deprecated_attr(field.deprecated, "property");
        quote! {
            #doc
            #deprecated
            pub #ident: #ty,
        }
    });
    // Each field's wire facts, once: the runtime's macro writes the
    // `Serialize`, `Deserialize` and `JsonSchema` impls from them.
    let wire = object.fields.iter().map(|field| {
        let ident = format_ident!("{}", field.rust_name);
        let json = &field.name;
        // A `readOnly` field is written only as a response (the mocks'),
        // never in a request. A `writeOnly` one is an ordinary field: a
        // required one that responses leave out decodes as `None`.
        let kind = if field.omitted_from_requests && field.required {
            quote!(read_only_required)
        } else if field.omitted_from_requests {
            quote!(read_only)
        } else if field.required {
            quote!(required)
        } else {
            quote!(optional)
        };
        quote!((#ident, #json, #kind))
    });
    let validate = {
        let mut checks = Vec::new();
        if object.min_properties.is_some() || object.max_properties.is_some() {
            let counts = object.fields.iter().map(|field| {
                let ident = format_ident!("{}", field.rust_name);
                if field.is_option() {
                    quote!(usize::from(self.#ident.is_some()))
                } else {
                    quote!(1)
                }
            });
            checks.push(quote!(let count = #(#counts)+*;));
            if let Some(min) = object.min_properties {
                let min = proc_macro2::Literal::u64_unsuffixed(min);
                checks.push(quote!(v.min_properties(count, #min);));
            }
            if let Some(max) = object.max_properties {
                let max = proc_macro2::Literal::u64_unsuffixed(max);
                checks.push(quote!(v.max_properties(count, #max);));
            }
        }
        for field in &object.fields {
            let ident = format_ident!("{}", field.rust_name);
            let json = &field.name;
            if field.unset_is_refused {
                checks.push(quote! {
                    if self.#ident.is_none() {
                        v.field(#json, |v| v.fail(client_runtime::Rule::Missing));
                    }
                });
            }
            let inner = index.base_checks(&field.shape);
            if inner.is_empty() {
                continue;
            }
            checks.push(if field.tri_state {
                quote! {
                    if let Some(Some(value)) = &self.#ident {
                        v.field(#json, |v| {
                            #inner
                        });
                    }
                }
            } else if field.is_option() {
                quote! {
                    if let Some(value) = &self.#ident {
                        v.field(#json, |v| {
                            #inner
                        });
                    }
                }
            } else {
                quote! {
                    v.field(#json, |v| {
                        let value = &self.#ident;
                        #inner
                    });
                }
            });
        }
        validate_impl(name, quote!(#(#checks)*))
    };
    let constructors = constructors(name, object, &bases);
    quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone, PartialEq, #default #(#extra,)*)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #constructors

        client_runtime::__private::object!(#name, #(#wire),*);

        #validate
    }
}

/// `new` with the fields a value must have, and a `with_` method for each
/// other one. The struct is `#[non_exhaustive]`, so code outside the crate
/// builds it this way and never with a struct literal: a new optional
/// property in the spec adds a method and breaks no caller, while a new
/// required one changes `new`, as it must.
fn constructors(name: &syn::Ident, object: &Struct, bases: &[TokenStream]) -> TokenStream {
    type WithBase<'f> = Vec<(&'f Field, &'f TokenStream)>;
    let (arguments, rest): (WithBase<'_>, WithBase<'_>) = object
        .fields
        .iter()
        .zip(bases)
        .partition(|(field, _)| field.in_constructor());
    let parameters = arguments.iter().map(|(field, base)| {
        let ident = format_ident!("{}", field.rust_name);
        let ty = argument_type(field, base);
        quote!(#ident: #ty)
    });
    let values = object.fields.iter().map(|field| {
        let ident = format_ident!("{}", field.rust_name);
        // `new` takes a boxed field unboxed, and a nullable one as an
        // `Option`; a `writeOnly` one it must have is held as `Some`.
        let nullable = takes_option(field);
        match (
            field.in_constructor(),
            field.boxed,
            nullable,
            field.is_option(),
        ) {
            (true, true, false, false) => quote!(#ident: Box::new(#ident)),
            (true, true, false, true) => quote!(#ident: Some(Box::new(#ident))),
            (true, true, true, _) => quote!(#ident: #ident.map(Box::new)),
            (true, false, false, true) => quote!(#ident: Some(#ident)),
            (true, false, _, _) => quote!(#ident),
            (false, _, _, _) => quote!(#ident: None),
        }
    });
    let doc = doc_attrs(if arguments.is_empty() {
        "Makes one with every field unset; the `with_` methods set them."
    } else {
        "Makes one from the fields it must have; the `with_` methods set the others."
    });
    // Every required property is an argument, however many the spec lists.
    let allow = (arguments.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let setters = rest.iter().map(|(field, base)| {
        let ident = format_ident!("{}", field.rust_name);
        let setter = format_ident!("{}", field.setter);
        let value = if field.boxed {
            quote!(Box::new(value))
        } else {
            quote!(value)
        };
        let doc = doc_attrs(&format!("Sets [`{0}`](Self::{0}).", field.rust_name));
        let deprecated = deprecated_attr(field.deprecated, "property");
        if field.tri_state {
            let null_setter = format_ident!("{}", field.null_setter);
            let null_doc = doc_attrs(&format!(
                "Sets [`{0}`](Self::{0}) to `null`: the server clears it.",
                field.rust_name
            ));
            return quote! {
                #doc
                #deprecated
                pub fn #setter(mut self, value: #base) -> Self {
                    self.#ident = Some(Some(#value));
                    self
                }

                #null_doc
                #deprecated
                pub fn #null_setter(mut self) -> Self {
                    self.#ident = Some(None);
                    self
                }
            };
        }
        quote! {
            #doc
            #deprecated
            pub fn #setter(mut self, value: #base) -> Self {
                self.#ident = Some(#value);
                self
            }
        }
    });
    quote! {
        impl #name {
            #doc
            #allow
            pub fn new(#(#parameters),*) -> Self {
                Self { #(#values),* }
            }

            #(#setters)*
        }
    }
}

/// A required field's constructor argument: its type (`base`), unboxed
/// (`new` boxes it), an `Option` when it may be null.
fn argument_type(field: &Field, base: &TokenStream) -> TokenStream {
    if takes_option(field) {
        quote!(Option<#base>)
    } else {
        base.clone()
    }
}

/// Whether `new` takes the field as an `Option`: it may be null.
fn takes_option(field: &Field) -> bool {
    field.shape.nullable && field.shape.ty != TypeRef::Any
}

/// Every type can check itself, so that callers need not know which have
/// constraints; a type without any has an empty check.
fn validate_impl(name: &syn::Ident, body: TokenStream) -> TokenStream {
    let v = if body.is_empty() {
        quote!(_)
    } else {
        quote!(v)
    };
    quote! {
        impl client_runtime::Validate for #name {
            fn validate(&self, #v: &mut client_runtime::Validator) {
                #body
            }
        }
    }
}

/// A field's type, from its type without `Option`s and `Box` (`base`).
fn field_type(field: &Field, base: &TokenStream) -> TokenStream {
    let base = match &field.shape.ty {
        TypeRef::Named(_) if field.boxed => quote!(Box<#base>),
        _ => base.clone(),
    };
    if field.tri_state {
        quote!(Option<Option<#base>>)
    } else if field.is_option() {
        quote!(Option<#base>)
    } else {
        base
    }
}

fn field_doc(field: &Field) -> String {
    let mut notes = Vec::new();
    let tri_state;
    if field.tri_state {
        tri_state = format!(
            "Three states: `None` leaves it out (the server keeps its value), `Some(None)` sends `null` (`{}`), `Some(Some(value))` sends the value.",
            field.null_setter
        );
        notes.push(tri_state.as_str());
    }
    if field.read_only {
        notes.push("Read-only: the server sets it and ignores it in requests.");
    }
    if field.write_only {
        notes.push("Write-only: the server accepts it but never returns it.");
    }
    if field.deprecated {
        notes.push("Deprecated.");
    }
    let notes = notes.join(" ");
    paragraphs([field.description.as_deref(), Some(notes.as_str())])
}

/// A variant's docs: what the spec says it means, when it says, then its
/// value on the wire (`line`, written by the generator).
fn variant_doc(description: Option<&str>, line: &str) -> TokenStream {
    match description {
        Some(description) => {
            let description = doc_attrs(description);
            quote!(#description #[doc = ""] #[doc = #line])
        }
        None => quote!(#[doc = #line]),
    }
}

fn enum_items(name: &syn::Ident, head: &Head<'_>, spec: &[EnumValue]) -> TokenStream {
    let Head {
        doc,
        deprecated,
        extra,
    } = head;
    let variants: Vec<_> = spec
        .iter()
        .map(|value| format_ident!("{}", value.rust_name))
        .collect();
    let values: Vec<&str> = spec.iter().map(|value| value.value.as_str()).collect();
    let name_text = name.to_string();
    let serde = wire_value_serde(
        name,
        quote!(serializer.serialize_str(self.as_str())),
        quote!(String),
    );
    let variant_docs = spec.iter().map(|value| {
        variant_doc(
            value.description.as_deref(),
            &format!(" {}", super::docs::code_span(&value.value)),
        )
    });
    let separator = (!doc.is_empty()).then(|| quote!(#[doc = ""]));
    quote! {
        #doc
        #separator
        /// Values this version of the crate does not know are kept in
        /// `Unknown`, so that responses still decode; requests refuse them.
        /// `Unchecked` sends one the server takes that the spec does not
        /// list yet (the caller vouches for it: nothing checks it).
        #deprecated
        #[derive(Debug, Clone, PartialEq, Eq, Hash #(, #extra)*)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_docs #variants,)*
            /// A value the spec does not list, as a response gave it.
            Unknown(String),
            /// A value the spec does not list, sent as it is.
            Unchecked(String),
        }

        impl #name {
            /// Every value the spec lists, in its order.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The value as it goes on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    Self::Unknown(value) | Self::Unchecked(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#variants,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match Self::from(value.as_str()) {
                    Self::Unknown(_) => Self::Unknown(value),
                    known => known,
                }
            }
        }

        impl From<#name> for String {
            fn from(value: #name) -> Self {
                match value {
                    #name::Unknown(value) | #name::Unchecked(value) => value,
                    known => known.as_str().to_owned(),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #serde

        impl client_runtime::Validate for #name {
            fn validate(&self, v: &mut client_runtime::Validator) {
                if let Self::Unknown(value) = self {
                    v.unknown_enum_value(value, Self::VALUES);
                }
            }
        }

        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for #name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                #name_text.into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({"type": "string", "enum": Self::VALUES})
            }
        }
    }
}

/// `Serialize` and `Deserialize` for an enum that goes on the wire as a
/// plain value: written with `serialize`, read as a `wire` value and turned
/// into a variant by the enum's `From`.
fn wire_value_serde(name: &syn::Ident, serialize: TokenStream, wire: TokenStream) -> TokenStream {
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #serialize
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <#wire as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

/// A number enum: like an integer enum, held as `f64`, so without `Eq` and
/// `Hash`; a value matches a variant when it is the same number.
fn number_enum_items(name: &syn::Ident, head: &Head<'_>, values: &[EnumValue<f64>]) -> TokenStream {
    let Head {
        doc,
        deprecated,
        extra,
    } = head;
    let texts: Vec<String> = values.iter().map(|value| value.value.to_string()).collect();
    let variants: Vec<syn::Ident> = values
        .iter()
        .map(|value| format_ident!("{}", value.rust_name))
        .collect();
    let literals: Vec<TokenStream> = values
        .iter()
        .map(|EnumValue { value, .. }| {
            let magnitude = proc_macro2::Literal::f64_unsuffixed(value.abs());
            if *value < 0.0 {
                quote!(-#magnitude)
            } else {
                quote!(#magnitude)
            }
        })
        .collect();
    let docs: Vec<TokenStream> = values
        .iter()
        .zip(&texts)
        .map(|(value, text)| {
            variant_doc(
                value.description.as_deref(),
                &format!(" {}", super::docs::code_span(text)),
            )
        })
        .collect();
    // A whole value goes as an integer (`1`, not `1.0`), as the spec writes it.
    let serde = wire_value_serde(
        name,
        quote! {
            let value = self.value();
            if value.fract() == 0.0 && value.abs() < 9.0e15 {
                serializer.serialize_i64(value as i64)
            } else {
                serializer.serialize_f64(value)
            }
        },
        quote!(f64),
    );
    let common = number_enum_impls(name, &quote!(f64), "number", &texts, &serde);
    let separator = (!doc.is_empty()).then(|| quote!(#[doc = ""]));
    quote! {
        #doc
        #separator
        /// Values this version of the crate does not know are kept in
        /// `Unknown`, so that responses still decode; requests refuse them.
        /// `Unchecked` sends one the server takes that the spec does not
        /// list yet (the caller vouches for it: nothing checks it).
        #deprecated
        #[derive(Debug, Clone, Copy, PartialEq #(, #extra)*)]
        #[non_exhaustive]
        pub enum #name {
            #(#docs #variants,)*
            /// A value the spec does not list, as a response gave it.
            Unknown(f64),
            /// A value the spec does not list, sent as it is.
            Unchecked(f64),
        }

        impl #name {
            /// Every value the spec lists, in its order.
            pub const VALUES: &'static [f64] = &[#(#literals),*];

            /// The value as it goes on the wire.
            pub fn value(self) -> f64 {
                match self {
                    #(Self::#variants => #literals,)*
                    Self::Unknown(value) | Self::Unchecked(value) => value,
                }
            }
        }

        impl From<f64> for #name {
            fn from(value: f64) -> Self {
                const VARIANTS: &[#name] = &[#(#name::#variants),*];
                Self::VALUES
                    .iter()
                    .position(|listed| listed.total_cmp(&value).is_eq())
                    .map_or(Self::Unknown(value), |index| VARIANTS[index])
            }
        }

        #common
    }
}

/// What integer and number enums share, around the value they hold
/// (`wire`, a JSON `json_type`): conversion back to it, `Display`, serde,
/// `Validate` (an unknown value is refused) and the JSON Schema.
fn number_enum_impls(
    name: &syn::Ident,
    wire: &TokenStream,
    json_type: &str,
    texts: &[String],
    serde: &TokenStream,
) -> TokenStream {
    let name_text = name.to_string();
    quote! {
        impl From<#name> for #wire {
            fn from(value: #name) -> Self {
                value.value()
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.value().fmt(f)
            }
        }

        #serde

        impl client_runtime::Validate for #name {
            fn validate(&self, v: &mut client_runtime::Validator) {
                if let Self::Unknown(value) = self {
                    v.unknown_enum_value(&value.to_string(), &[#(#texts),*]);
                }
            }
        }

        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for #name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                #name_text.into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({"type": #json_type, "enum": Self::VALUES})
            }
        }
    }
}

fn integer_enum_items(
    name: &syn::Ident,
    head: &Head<'_>,
    values: &[EnumValue<i64>],
) -> TokenStream {
    let Head {
        doc,
        deprecated,
        extra,
    } = head;
    let variants: Vec<syn::Ident> = values
        .iter()
        .map(|value| format_ident!("{}", value.rust_name))
        .collect();
    let texts: Vec<String> = values.iter().map(|value| value.value.to_string()).collect();
    // Through text, so that a negative value is `-` and a literal.
    let literals: Vec<TokenStream> = texts
        .iter()
        .map(|text| text.parse().expect("an integer is tokens"))
        .collect();
    let docs: Vec<TokenStream> = values
        .iter()
        .zip(&texts)
        .map(|(value, text)| variant_doc(value.description.as_deref(), &format!(" `{text}`")))
        .collect();
    let serde = wire_value_serde(
        name,
        quote!(serializer.serialize_i64(self.value())),
        quote!(i64),
    );
    let common = number_enum_impls(name, &quote!(i64), "integer", &texts, &serde);
    let separator = (!doc.is_empty()).then(|| quote!(#[doc = ""]));
    quote! {
        #doc
        #separator
        /// Values this version of the crate does not know are kept in
        /// `Unknown`, so that responses still decode; requests refuse them.
        /// `Unchecked` sends one the server takes that the spec does not
        /// list yet (the caller vouches for it: nothing checks it).
        #deprecated
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash #(, #extra)*)]
        #[non_exhaustive]
        pub enum #name {
            #(#docs #variants,)*
            /// A value the spec does not list, as a response gave it.
            Unknown(i64),
            /// A value the spec does not list, sent as it is.
            Unchecked(i64),
        }

        impl #name {
            /// Every value the spec lists, in its order.
            pub const VALUES: &'static [i64] = &[#(#literals),*];

            /// The value as it goes on the wire.
            pub fn value(self) -> i64 {
                match self {
                    #(Self::#variants => #literals,)*
                    Self::Unknown(value) | Self::Unchecked(value) => value,
                }
            }
        }

        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#literals => Self::#variants,)*
                    other => Self::Unknown(other),
                }
            }
        }

        #common
    }
}

fn newtype_items(
    name: &syn::Ident,
    head: &Head<'_>,
    shape: &Shape,
    index: &TypeIndex<'_>,
    aliases: &mut Aliases,
) -> TokenStream {
    let Head {
        doc,
        deprecated,
        extra,
    } = head;
    let ty = aliases.ty(shape, false, &format!("{name}_value"));
    let checks = index.checks(shape);
    let validate = if checks.is_empty() {
        validate_impl(name, quote!())
    } else {
        validate_impl(name, quote!(let value = &self.0; #checks))
    };
    // Scalars can be parameters, which go on the wire through `Display`.
    let display = is_scalar_newtype(shape).then(|| {
        let body = if shape.ty == TypeRef::DateTime {
            // RFC 3339, as in a body; chrono's own `Display` is not.
            quote!(f.write_str(&client_runtime::__private::date_time_text(&self.0)))
        } else {
            quote!(self.0.fmt(f))
        };
        quote! {
            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    #body
                }
            }
        }
    });
    quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone, PartialEq #(, #extra)*)]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        #[cfg_attr(feature = "schemars", serde(transparent))]
        pub struct #name(pub #ty);

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(&self.0, serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                serde::Deserialize::deserialize(deserializer).map(Self)
            }
        }

        #display

        #validate
    }
}

fn union_items(
    def: &TypeDef,
    name: &syn::Ident,
    head: &Head<'_>,
    variants: &[Variant],
    index: &TypeIndex<'_>,
    aliases: &mut Aliases,
) -> TokenStream {
    let Head {
        doc,
        deprecated,
        extra,
    } = head;
    let idents: Vec<_> = variants
        .iter()
        .map(|variant| format_ident!("{}", variant.name))
        .collect();
    let types: Vec<TokenStream> = variants
        .iter()
        .map(|variant| {
            let place = format!("{name}_{}", variant.name);
            let held = aliases.ty(&variant.shape, variant.boxed, &place);
            if variant.boxed {
                quote!(Box<#held>)
            } else {
                held
            }
        })
        .collect();
    // A boxed alternative is made from its value too, without `Box::new`,
    // when no other alternative holds the same type.
    let held_texts: Vec<String> = variants
        .iter()
        .map(|variant| index.type_tokens(&variant.shape).to_string())
        .collect();
    let unique = |index: usize| {
        held_texts
            .iter()
            .filter(|text| **text == held_texts[index])
            .count()
            == 1
    };
    let from_boxed = variants
        .iter()
        .zip(&idents)
        .enumerate()
        .filter(|(index, (variant, _))| variant.boxed && unique(*index))
        .map(|(_, (variant, ident))| {
            let held = index.type_tokens(&variant.shape);
            quote! {
                impl From<#held> for #name {
                    fn from(value: #held) -> Self {
                        Self::#ident(Box::new(value))
                    }
                }
            }
        });
    let validate = {
        let arms = variants.iter().zip(&idents).map(|(variant, ident)| {
            let checks = index.checks(&variant.shape);
            if checks.is_empty() {
                quote!(Self::#ident(_) => {})
            } else if variant.boxed {
                // The checks read the value the box holds.
                quote!(Self::#ident(value) => { let value = &**value; #checks })
            } else {
                quote!(Self::#ident(value) => { #checks })
            }
        });
        if def.decided.validated {
            validate_impl(name, quote!(match self { #(#arms)* }))
        } else {
            validate_impl(name, quote!())
        }
    };
    let type_name = name.to_string();
    // A known discriminator value decides; an unknown or missing one falls back to the rule.
    // Inline members have no name a discriminator value could give: with
    // none that has one, the rule alone decides.
    let by_discriminator = variants
        .iter()
        .find_map(|variant| variant.discriminator.as_ref())
        .and_then(|(property, _)| {
            let arms: Vec<(TokenStream, TokenStream)> = variants
                .iter()
                .zip(&idents)
                .filter_map(|(variant, ident)| {
                    let (_, tags) = variant.discriminator.as_ref()?;
                    (!tags.is_empty()).then(|| {
                        (
                            quote!(Some(#(#tags)|*)),
                            quote! {
                                return serde_json::from_value(value)
                                    .map(Self::#ident)
                                    .map_err(serde::de::Error::custom);
                            },
                        )
                    })
                })
                .collect();
            let tag = quote!(value.get(#property).and_then(serde_json::Value::as_str));
            match arms.as_slice() {
                [] => None,
                // One arm is an `if let` (clippy's `single_match`).
                [(pattern, body)] => Some(quote! {
                    if let #pattern = #tag {
                        #body
                    }
                }),
                _ => {
                    let arms = arms
                        .iter()
                        .map(|(pattern, body)| quote!(#pattern => { #body }));
                    Some(quote! {
                        match #tag {
                            #(#arms)*
                            _ => {}
                        }
                    })
                }
            }
        });
    let rule_text = if by_discriminator.is_some() {
        "Decoding follows the discriminator when its value names an alternative; otherwise it keeps the first alternative, in the spec's order, that keeps every field of the value, or when each drops some, the one that drops fewest."
    } else {
        "Decoding keeps the first alternative, in the spec's order, that keeps every field of the value; when each drops some, the one that drops fewest."
    };
    let rule_text = format!(" {rule_text}");
    let rule = if doc.is_empty() {
        quote!()
    } else {
        quote!(#[doc = ""])
    };
    // A union of single values can be a parameter: it goes on the wire as its value.
    let display = def.decided.scalar.then(|| {
        let arms = variants.iter().zip(&idents).map(|(variant, ident)| {
            if variant.shape.ty == TypeRef::DateTime {
                quote!(Self::#ident(value) => f.write_str(&client_runtime::__private::date_time_text(value)),)
            } else {
                quote!(Self::#ident(value) => value.fmt(f),)
            }
        });
        quote! {
            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    match self {
                        #(#arms)*
                    }
                }
            }
        }
    });
    quote! {
        #display

        #doc
        #rule
        #[doc = #rule_text]
        #deprecated
        #[derive(Debug, Clone, PartialEq #(, #extra)*)]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        #[cfg_attr(feature = "schemars", serde(untagged))]
        pub enum #name {
            #(#idents(#types),)*
        }

        #(#from_boxed)*

        /// As the alternative it holds.
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(Self::#idents(value) => serde::Serialize::serialize(value, serializer),)*
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                #by_discriminator
                client_runtime::__private::UnionDecoder::new(&value)
                    #(.member(|value| serde_json::from_value(value).map(Self::#idents)))*
                    .finish(#type_name)
            }
        }

        #validate
    }
}
