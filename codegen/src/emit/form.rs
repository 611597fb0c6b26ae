//! The statements that turn a typed `application/x-www-form-urlencoded`
//! body into its pairs, field by field in the struct's order, each written
//! in its `encoding`'s style: `form` and exploded by default, so a list is
//! one pair per item (`topics=ui&topics=speed`).

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::shapes::TypeIndex;
use crate::model::{FieldEncoding, TypeId};

/// Statements that send `body` (a reference to the struct `name`) as the
/// request's body of `media_type`.
pub fn body_statements(
    name: TypeId,
    media_type: &TokenStream,
    encodings: &BTreeMap<String, FieldEncoding>,
    index: &TypeIndex<'_>,
) -> TokenStream {
    let fields = index.fields(name).iter().map(|field| {
        let ident = format_ident!("{}", field.rust_name);
        let wire_name = &field.name;
        let style =
            super::operations::style_tokens(encodings.get(&field.name).and_then(|e| e.style));
        if field.tri_state {
            // `null` has no form: only a value is sent.
            quote!(if let Some(Some(value)) = &body.#ident { form.field(#wire_name, value, #style)?; })
        } else if field.is_option() {
            quote!(if let Some(value) = &body.#ident { form.field(#wire_name, value, #style)?; })
        } else {
            quote!(form.field(#wire_name, &body.#ident, #style)?;)
        }
    });
    quote! {
        let mut form = client_runtime::__private::FormFields::default();
        #(#fields)*
        request = form.send(request, #media_type);
    }
}
