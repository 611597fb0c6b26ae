//! The statements that turn a typed `multipart/form-data` body into its
//! parts: one part per field, repeated for each item of an array; octets
//! (`format: binary`) as a file, one value as text, and anything
//! structured as JSON, as OpenAPI 3.0 sends each by default.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::shapes::TypeIndex;
use crate::model::{Shape, TypeRef};

/// Statements that send `body` (a reference to the struct `name`) as the
/// request's body.
pub fn body_statements(name: &str, index: &TypeIndex<'_>) -> TokenStream {
    let fields = index.fields(name).iter().map(|field| {
        let ident = format_ident!("{}", field.rust_name);
        let add = part(&field.name, &field.shape, index);
        if !field.required || (field.shape.nullable && field.shape.ty != TypeRef::Any) {
            quote!(if let Some(value) = &body.#ident { #add })
        } else {
            quote!({ let value = &body.#ident; #add })
        }
    });
    quote! {
        let mut form = client_runtime::reqwest::multipart::Form::new();
        #(#fields)*
        request = client_runtime::__private::multipart_body(request, form).await?;
    }
}

/// Adds `value` (a reference to the shape's base type) as parts named `name`.
fn part(name: &str, shape: &Shape, index: &TypeIndex<'_>) -> TokenStream {
    match &shape.ty {
        TypeRef::Binary => {
            quote!(form = form.part(#name, client_runtime::__private::binary_part(#name, value));)
        }
        TypeRef::Array(items) => {
            let add = part(name, items, index);
            // A null item sends no part.
            let values = super::operations::present_items(items);
            quote! {
                for value in #values {
                    #add
                }
            }
        }
        TypeRef::Named(named) if index.is_scalar(named) => text(name, &shape.ty),
        ty if ty.is_text_value() => text(name, ty),
        _ => quote!(form = form.part(#name, client_runtime::__private::json_part(value)?);),
    }
}

/// A text part: strings as they are, secrets through their accessor (their
/// `Display` is redacted), the rest by `Display`, as parameters are written.
fn text(name: &str, ty: &TypeRef) -> TokenStream {
    let text = match ty {
        TypeRef::String => quote!(value.clone()),
        TypeRef::Password => quote!(value.expose().to_owned()),
        TypeRef::DateTime => quote!(client_runtime::__private::date_time_text(value)),
        _ => quote!(value.to_string()),
    };
    quote!(form = form.text(#name, #text);)
}
