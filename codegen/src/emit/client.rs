//! The crate root and the `Client` type.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, inner_doc_attrs, paragraphs};
use crate::model::Api;

/// `src/lib.rs`: crate docs, modules and re-exports.
pub fn lib_file(api: &Api) -> TokenStream {
    let overview = format!(
        "Generated from the OpenAPI document \"{}\" (version {}). Every call goes through a request builder: set its inputs, then `send().await`. Inputs are checked against the spec before anything is sent.",
        api.title, api.version
    );
    let docs = inner_doc_attrs(&paragraphs([
        Some(format!("A typed client for the {}.", api.title).as_str()),
        api.description.as_deref(),
        Some(overview.as_str()),
    ]));
    quote! {
        #docs

        mod client;
        pub mod operations;
        pub mod types;

        pub use client::{Client, ClientBuilder};
        pub use client_runtime::{
            BuildError, Error, ResponseValue, Rule, UnexpectedResponse, UnexpectedResponseKind,
            Validate, ValidationErrors, Validator, Violation,
        };
    }
}

/// `src/client.rs`: the `Client` and how to build one.
pub fn client_file(api: &Api) -> TokenStream {
    let doc = doc_attrs(&format!(
        "A client for the {}.\n\nCheap to clone: clones share one connection pool. Each operation is a method that returns a request builder.",
        api.title
    ));
    let (default_url, constructors) = match &api.default_server {
        Some(url) => (
            quote!(Self::DEFAULT_BASE_URL),
            quote! {
                /// The spec's first server, used unless [`ClientBuilder::base_url`] says otherwise.
                pub const DEFAULT_BASE_URL: &'static str = #url;

                /// A client for [`Client::DEFAULT_BASE_URL`] with default settings.
                pub fn new() -> Result<Self, client_runtime::BuildError> {
                    Self::builder().build()
                }
            },
        ),
        // Without a server in the spec, `build` refuses until a base URL is set.
        None => (quote!(""), quote!()),
    };
    quote! {
        #doc
        #[derive(Clone, Debug)]
        pub struct Client {
            pub(crate) transport: client_runtime::Transport,
        }

        /// Configures a [`Client`]: base URL, User-Agent, or a custom `reqwest::Client`.
        pub type ClientBuilder = client_runtime::ClientBuilder<Client>;

        impl Client {
            #constructors

            /// A builder with the defaults: the spec's server and this crate's name and version as User-Agent.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new(
                    #default_url,
                    concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
                )
            }

            /// The base URL every request goes to.
            pub fn base_url(&self) -> &str {
                self.transport.base_url()
            }
        }

        impl From<client_runtime::Transport> for Client {
            fn from(transport: client_runtime::Transport) -> Self {
                Self { transport }
            }
        }
    }
}
