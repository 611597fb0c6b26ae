//! The statements that turn a typed `multipart/form-data` body into its
//! parts: one part per field, repeated for each item of an array; octets
//! (`format: binary`) as a file, one value as text (`text/plain`), and
//! anything structured as JSON, as OpenAPI sends each by default, unless
//! the field's `encoding.contentType` says otherwise.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::shapes::TypeIndex;
use crate::model::{FieldEncoding, Shape, TypeId, TypeRef};

/// Statements that send `body` (a reference to the struct `name`) as the
/// request's body.
pub fn body_statements(
    name: TypeId,
    encodings: &BTreeMap<String, FieldEncoding>,
    index: &TypeIndex<'_>,
) -> TokenStream {
    let fields = index.fields(name).iter().map(|field| {
        let ident = format_ident!("{}", field.rust_name);
        let declared = encodings
            .get(&field.name)
            .and_then(|encoding| encoding.content_type.as_deref())
            // A list of types lets the client choose: the first.
            .map(|types| types.split(',').next().unwrap_or(types).trim());
        let add = part(&field.name, &field.shape, declared, index);
        if field.tri_state {
            // `null` has no form: only a value is sent.
            quote!(if let Some(Some(value)) = &body.#ident { #add })
        } else if field.is_option() {
            quote!(if let Some(value) = &body.#ident { #add })
        } else {
            quote!({ let value = &body.#ident; #add })
        }
    });
    quote! {
        let mut form = client_runtime::reqwest::multipart::Form::new();
        #(#fields)*
        request = client_runtime::__private::multipart_form(request, form)?;
    }
}

/// Statements that send `body` (a reference to a list of `items`) as one
/// part named `part` per item, for a multipart body that is a list.
pub fn list_body_statements(part: &str, items: &Shape, index: &TypeIndex<'_>) -> TokenStream {
    let add = self::part(part, items, None, index);
    let values = super::operations::present_items(items);
    quote! {
        let mut form = client_runtime::reqwest::multipart::Form::new();
        let value = body;
        for value in #values {
            #add
        }
        request = client_runtime::__private::multipart_form(request, form)?;
    }
}

/// Statements that send `body` (a reference to the union `name`, whose
/// every alternative is a struct) as the parts of the alternative it holds.
pub fn union_body_statements(
    name: TypeId,
    encodings: &BTreeMap<String, FieldEncoding>,
    index: &TypeIndex<'_>,
) -> TokenStream {
    let union = format_ident!("{}", index.name(name));
    let arms = index.variants(name).iter().map(|variant| {
        let ident = format_ident!("{}", variant.name);
        let statements = match &variant.shape.ty {
            TypeRef::Named(held) => body_statements(*held, encodings, index),
            // The model admits only alternatives that are structs.
            _ => quote!(),
        };
        quote!(crate::types::#union::#ident(body) => { #statements })
    });
    quote! {
        match body {
            #(#arms)*
        }
    }
}

/// Adds `value` (a reference to the shape's base type) as parts named
/// `name`, of the `declared` content type if any.
fn part(name: &str, shape: &Shape, declared: Option<&str>, index: &TypeIndex<'_>) -> TokenStream {
    let declared_tokens = match declared {
        Some(media_type) => quote!(Some(#media_type)),
        None => quote!(None),
    };
    let declared_json = declared.filter(|media_type| crate::media::is_json(media_type));
    match &shape.ty {
        TypeRef::Binary => {
            quote!(form = form.part(#name, client_runtime::__private::binary_part(#name, value, #declared_tokens)?);)
        }
        TypeRef::Array(items) => {
            let add = part(name, items, declared, index);
            // A null item sends no part.
            let values = super::operations::present_items(items);
            quote! {
                for value in #values {
                    #add
                }
            }
        }
        // A value the spec sends as JSON (`contentType: application/json`).
        ty if declared_json.is_some() && !matches!(ty, TypeRef::Array(_)) => {
            let media_type = declared_json.unwrap_or("application/json");
            quote!(form = form.part(#name, client_runtime::__private::json_part(#name, value, #media_type)?);)
        }
        TypeRef::Named(named) if index.is_scalar(*named) => text(name, &shape.ty, declared),
        ty if ty.is_text_value() => text(name, ty, declared),
        _ => {
            quote!(form = form.part(#name, client_runtime::__private::json_part(#name, value, "application/json")?);)
        }
    }
}

/// A text part: strings as they are, secrets through their accessor (their
/// `Display` is redacted), the rest by `Display`, as parameters are written;
/// `text/plain` unless the spec's `encoding` names another type.
fn text(name: &str, ty: &TypeRef, declared: Option<&str>) -> TokenStream {
    let text = match ty {
        TypeRef::String => quote!(value.clone()),
        TypeRef::Password => quote!(value.expose().to_owned()),
        TypeRef::DateTime => quote!(client_runtime::__private::date_time_text(value)),
        _ => quote!(value.to_string()),
    };
    match declared {
        Some(media_type) => quote! {
            form = form.part(#name, client_runtime::__private::text_part(#name, #text, Some(#media_type))?);
        },
        None => quote!(form = form.text(#name, #text);),
    }
}
