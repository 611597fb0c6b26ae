//! Stage 4: the model as Rust token streams, one per file, plus the manifest.

mod client;
mod docs;
mod manifest;
mod mocks;
mod multipart;
mod operations;
mod shapes;
mod types;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Api, field_name};
use crate::{Config, Settings};

/// One file of the generated crate, before formatting.
#[derive(Debug, Clone)]
pub enum EmittedFile {
    /// Rust source, formatted by the next stage.
    Rust {
        /// Relative to the crate root, with `/`.
        path: String,
        /// Its items.
        tokens: TokenStream,
    },
    /// Any other text, written as is.
    Text {
        /// Relative to the crate root, with `/`.
        path: String,
        /// Its content.
        text: String,
    },
}

/// Emits every file of the crate, in a stable order.
pub fn emit(api: &Api, config: &Config, settings: &Settings) -> Vec<EmittedFile> {
    let index = shapes::TypeIndex::new(api);
    let mut files = vec![
        EmittedFile::Text {
            path: "Cargo.toml".to_owned(),
            text: manifest::cargo_toml(api, config, settings),
        },
        EmittedFile::Rust {
            path: "src/lib.rs".to_owned(),
            tokens: client::lib_file(api),
        },
        EmittedFile::Rust {
            path: "src/client.rs".to_owned(),
            tokens: client::client_file(api, config),
        },
    ];

    let mut operation_modules = Vec::new();
    let mut operation_exports = Vec::new();
    let mut operation_entries = Vec::new();
    for operation in &api.operations {
        let module = format_ident!("{}", operation.rust_method);
        let (_, builder) = operations::operation_names(operation);
        operation_modules.push(quote!(mod #module;));
        operation_exports.push(quote!(pub use #module::#builder;));
        let id = &operation.id;
        operation_entries
            .push(quote!(client_runtime::OperationEntry { id: #id, call: #module::call }));
        files.push(EmittedFile::Rust {
            path: format!("src/operations/{module}.rs"),
            tokens: operations::operation_file(
                operation,
                &index,
                config
                    .envelope
                    .as_ref()
                    .map(|envelope| envelope.parameter.as_str()),
            ),
        });
    }
    files.push(EmittedFile::Rust {
        path: "src/operations/mod.rs".to_owned(),
        tokens: quote! {
            //! One request builder per operation; start one from a [`Client`](crate::Client) method.
            #(#operation_modules)*
            #(#operation_exports)*

            /// Every operation, callable with JSON inputs, for conformance tests.
            #[cfg(feature = "schemars")]
            pub fn described() -> Vec<client_runtime::OperationEntry<crate::Client>> {
                vec![#(#operation_entries),*]
            }
        },
    });

    for operation in &api.operations {
        let module = format_ident!("{}", operation.rust_method);
        files.push(EmittedFile::Rust {
            path: format!("src/mock/{module}.rs"),
            tokens: mocks::operation_file(operation),
        });
    }
    files.push(EmittedFile::Rust {
        path: "src/mock/mod.rs".to_owned(),
        tokens: mocks::mod_file(&api.operations),
    });

    let mut type_modules = Vec::new();
    let mut type_exports = Vec::new();
    let mut described = Vec::new();
    for def in &api.types {
        let module = format_ident!("{}", field_name(&def.name));
        let name = format_ident!("{}", def.name);
        type_modules.push(quote!(mod #module;));
        type_exports.push(quote!(pub use #module::#name;));
        let (pointer, text) = (&def.pointer, &def.name);
        described.push(quote!(client_runtime::TypeEntry::of::<#name>(#pointer, #text)));
        files.push(EmittedFile::Rust {
            path: format!("src/types/{module}.rs"),
            tokens: types::type_file(def, &index),
        });
    }
    files.push(EmittedFile::Rust {
        path: "src/types/mod.rs".to_owned(),
        tokens: quote! {
            //! The spec's schemas as Rust types, one file each.
            #(#type_modules)*
            #(#type_exports)*

            /// Every type with the spec location of its schema, for conformance tests.
            #[cfg(feature = "schemars")]
            pub fn described() -> Vec<client_runtime::TypeEntry> {
                vec![#(#described),*]
            }
        },
    });
    files
}
