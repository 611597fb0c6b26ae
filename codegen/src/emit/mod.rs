//! Stage 4: the model as Rust token streams, one per file, plus the manifest.

mod client;
mod docs;
mod form;
mod manifest;
mod mocks;
mod multipart;
mod operations;
mod places;

pub use places::places;
mod readme;
mod shapes;
mod types;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use rayon::prelude::*;

use crate::model::Api;

/// One file of the generated crate, before formatting.
#[derive(Debug, Clone)]
pub enum EmittedFile {
    /// Rust source, formatted by the next stage.
    Rust {
        /// Relative to the crate root, with `/`.
        path: String,
        /// Its items, as token text: tokens cannot cross threads, text can,
        /// and the next stage keys its cache by it.
        source: String,
    },
    /// Any other text, written as is.
    Text {
        /// Relative to the crate root, with `/`.
        path: String,
        /// Its content.
        text: String,
    },
}

/// `#[cfg(feature = ..)]` for an item compiled under any of `features`;
/// nothing when it always is.
pub(crate) fn feature_cfg(features: &[String]) -> TokenStream {
    match features {
        [] => quote!(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// The body of a `described()`: the entries in a `Vec`; with features per
/// tag, those of each feature gate added together behind it.
fn gathered(entries: &[(TokenStream, TokenStream)]) -> TokenStream {
    if entries.iter().all(|(cfg, _)| cfg.is_empty()) {
        let values = entries.iter().map(|(_, value)| value);
        return quote!(vec![#(#values),*]);
    }
    let mut groups: Vec<(&TokenStream, Vec<&TokenStream>)> = Vec::new();
    for (cfg, value) in entries {
        let text = cfg.to_string();
        match groups.iter_mut().find(|(seen, _)| seen.to_string() == text) {
            Some((_, values)) => values.push(value),
            None => groups.push((cfg, vec![value])),
        }
    }
    // The ungated ones first, then each gate in the order it first appears;
    // shadowed, so that no feature set leaves a `mut` unused.
    let start = match groups.iter().position(|(cfg, _)| cfg.is_empty()) {
        Some(at) => {
            let (_, values) = groups.remove(at);
            quote!(let entries = [#(#values),*].into_iter();)
        }
        None => quote!(let entries = std::iter::empty();),
    };
    let chains = groups
        .iter()
        .map(|(cfg, values)| quote!(#cfg let entries = entries.chain([#(#values),*]);));
    quote! {
        #start
        #(#chains)*
        entries.collect()
    }
}

fn rust(path: String, tokens: TokenStream) -> EmittedFile {
    EmittedFile::Rust {
        path,
        source: tokens.to_string(),
    }
}

/// Emits every file of the crate, in a stable order. The files of
/// operations, mocks and types are independent, so they are emitted on
/// every core.
pub fn emit(api: &Api) -> Vec<EmittedFile> {
    let index = shapes::TypeIndex::new(api);
    let mut files = vec![
        rust("src/lib.rs".to_owned(), client::lib_file(api)),
        rust("src/client.rs".to_owned(), client::client_file(api)),
    ];

    let mut operation_modules = Vec::new();
    let mut operation_exports = Vec::new();
    let mut operation_entries = Vec::new();
    for operation in &api.operations {
        let (module, builder) = operations::operation_names(operation);
        let cfg = feature_cfg(operation.decided.feature.as_slice());
        operation_modules.push(quote!(#cfg mod #module;));
        operation_exports.push(quote!(#cfg pub use #module::#builder;));
        // The enums its `send` names, so that callers can name and match them.
        for name in [&operation.success_enum, &operation.error_enum]
            .into_iter()
            .flatten()
        {
            let name = format_ident!("{}", name);
            operation_exports.push(quote!(#cfg pub use #module::#name;));
        }
        let id = &operation.id;
        operation_entries.push((
            cfg,
            quote!(client_runtime::__private::OperationEntry { id: #id, call: #module::call }),
        ));
    }
    let entries_body = gathered(&operation_entries);
    files.par_extend(api.operations.par_iter().map(|operation| {
        rust(
            format!("src/operations/{}.rs", operation.decided.rust_method),
            operations::operation_file(operation, &index),
        )
    }));
    files.push(rust(
        "src/operations/mod.rs".to_owned(),
        quote! {
            //! One request builder per operation; start one from a [`Client`](crate::Client) method.
            #(#operation_modules)*
            #(#operation_exports)*

            /// Every operation, callable with JSON inputs: the generator's
            /// conformance tests, behind an internal feature.
            #[cfg(feature = "__conformance")]
            #[doc(hidden)]
            pub fn described() -> Vec<client_runtime::__private::OperationEntry<crate::Client>> {
                #entries_body
            }
        },
    ));

    files.par_extend(api.operations.par_iter().map(|operation| {
        rust(
            format!("src/mock/{}.rs", operation.decided.rust_method),
            mocks::operation_file(operation, &index),
        )
    }));
    files.push(rust(
        "src/mock/mod.rs".to_owned(),
        mocks::mod_file(&api.operations),
    ));

    let mut type_modules = Vec::new();
    let mut type_exports = Vec::new();
    let mut described = Vec::new();
    for def in &api.types {
        let module = format_ident!("{}", def.decided.module);
        let name = format_ident!("{}", def.name);
        let cfg = feature_cfg(&def.decided.features);
        type_modules.push(quote!(#cfg mod #module;));
        type_exports.push(quote!(#cfg pub use #module::#name;));
        // A type of the user's (`[replace]`) has no checks of ours to test.
        if !matches!(def.kind, crate::model::TypeKind::Replaced(_)) {
            let (pointer, text) = (&def.pointer, &def.name);
            described.push((
                cfg,
                quote!(client_runtime::__private::TypeEntry::of::<#name>(#pointer, #text)),
            ));
        }
    }
    let described_body = gathered(&described);
    files.par_extend(api.types.par_iter().map(|def| {
        rust(
            format!("src/types/{}.rs", def.decided.module),
            types::type_file(def, &index),
        )
    }));
    files.push(rust(
        "src/types/mod.rs".to_owned(),
        quote! {
            //! The spec's schemas as Rust types, one file each.
            #(#type_modules)*
            #(#type_exports)*

            /// Every type with the spec location of its schema: the
            /// generator's conformance tests, behind an internal feature.
            #[cfg(feature = "__conformance")]
            #[doc(hidden)]
            pub fn described() -> Vec<client_runtime::__private::TypeEntry> {
                #described_body
            }
        },
    ));
    let manifest = manifest::cargo_toml(api);
    files.insert(
        0,
        EmittedFile::Text {
            path: "Cargo.toml".to_owned(),
            text: manifest,
        },
    );
    files.insert(
        1,
        EmittedFile::Text {
            path: "README.md".to_owned(),
            text: readme::readme(api),
        },
    );
    files
}
