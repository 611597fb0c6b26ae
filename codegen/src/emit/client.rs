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
        #[cfg(feature = "mock")]
        pub mod mock;
        pub mod operations;
        pub mod types;

        pub use client::{Client, ClientBuilder};
        pub use client_runtime::exports::*;
    }
}

/// `src/client.rs`: the `Client` and how to build one.
pub fn client_file(api: &Api) -> TokenStream {
    let schemes = &api.static_schemes;
    let (bearer, basic) = (schemes.bearer, schemes.basic);
    let api_key = match &schemes.api_key {
        None => quote!(None),
        Some((place, name)) => {
            let location = match place {
                crate::model::security::ApiKeyIn::Header => quote!(Header),
                crate::model::security::ApiKeyIn::Query => quote!(Query),
                crate::model::security::ApiKeyIn::Cookie => quote!(Cookie),
            };
            quote! {
                Some(client_runtime::__private::ApiKeyPlace {
                    location: client_runtime::__private::ApiKeyLocation::#location,
                    name: #name,
                })
            }
        }
    };
    // Say only what this API's security schemes offer.
    let shared = match (api.digest, api.token_path.is_some()) {
        (true, true) => {
            "one connection pool and one set of credentials (Digest nonces, access token)"
        }
        (true, false) => "one connection pool and one set of credentials (Digest nonces)",
        (false, true) => "one connection pool and one set of credentials (access token)",
        (false, false) => "one connection pool",
    };
    // The builder methods of the credentials its security schemes declare.
    let mut kinds = Vec::new();
    if api.digest {
        kinds.push("HTTP Digest (`ClientBuilder::digest_auth`)".to_owned());
    }
    if api.token_path.is_some() {
        kinds.push("a service account (`ClientBuilder::service_account`)".to_owned());
    }
    if schemes.bearer {
        kinds.push("a Bearer token (`ClientBuilder::bearer_token`)".to_owned());
    }
    if schemes.basic {
        kinds.push("HTTP Basic (`ClientBuilder::basic_auth`)".to_owned());
    }
    if let Some((place, name)) = &schemes.api_key {
        let place = match place {
            crate::model::security::ApiKeyIn::Header => "header",
            crate::model::security::ApiKeyIn::Query => "query parameter",
            crate::model::security::ApiKeyIn::Cookie => "cookie",
        };
        kinds.push(format!(
            "an API key in the {place} `{name}` (`ClientBuilder::api_key`)"
        ));
    }
    let credentials = if kinds.is_empty() {
        "The API declares no credentials.".to_owned()
    } else {
        format!("Credentials the API declares: {}.", kinds.join("; "))
    };
    let doc = doc_attrs(&format!(
        "A client for the {}.\n\nCheap to clone: clones share {shared}. Each operation is a method that returns a request builder.\n\n{credentials}",
        api.title
    ));
    let (default_url, constructors) = match &api.default_server {
        Some(url) => (
            quote!(Client::DEFAULT_BASE_URL),
            quote! {
                /// The spec's first server, used unless [`ClientBuilder::base_url`] says otherwise.
                pub const DEFAULT_BASE_URL: &'static str = #url;

                /// A client for [`Client::DEFAULT_BASE_URL`] with default settings and no credentials.
                pub fn new() -> Result<Self, client_runtime::BuildError> {
                    Self::builder().build()
                }
            },
        ),
        // Without a server in the spec, `build` refuses until a base URL is set.
        None => (quote!(""), quote!()),
    };
    let optional = |value: Option<&str>| match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    };
    let token_path = optional(api.token_path.as_deref());
    let revoke_path = optional(api.revoke_path.as_deref());
    let token_scopes = optional(api.token_scopes.as_deref());
    let env = &api.env;
    let env_base_url = optional(env.base_url.as_deref());
    let pairs = |pairs: &[[String; 2]]| {
        let pairs = pairs
            .iter()
            .map(|[first, second]| quote!((#first, #second)));
        quote!(&[#(#pairs),*])
    };
    // Variables only for the kinds of credentials the spec declares.
    let none: &[[String; 2]] = &[];
    let service_account_env: &[[String; 2]] = if api.token_path.is_some() {
        &env.service_account
    } else {
        none
    };
    let digest_env: &[[String; 2]] = if api.digest { &env.digest } else { none };
    let service_account = pairs(service_account_env);
    let digest = pairs(digest_env);
    let declares_digest = api.digest;
    let rate_limit = {
        let (limit, remaining) = (
            &api.rate_limit_headers.limit,
            &api.rate_limit_headers.remaining,
        );
        quote!(client_runtime::__private::RateLimitHeaders { limit: #limit, remaining: #remaining })
    };
    // Sorted for the runtime's binary search; one name per line keeps diffs small.
    let property_names: std::collections::BTreeSet<&str> = api
        .types
        .iter()
        .filter_map(|def| match &def.kind {
            crate::model::TypeKind::Struct(object) => Some(&object.fields),
            _ => None,
        })
        .flatten()
        .map(|field| field.name.as_str())
        .collect();
    let property_names = property_names.iter();
    let envelope = match &api.envelope {
        Some(envelope) => {
            let (status, content) = (&envelope.status, &envelope.content);
            quote!(Some(client_runtime::__private::EnvelopeFields { status: #status, content: #content }))
        }
        None => quote!(None),
    };

    let from_env = (!service_account_env.is_empty() || !digest_env.is_empty()).then(|| {
        let mut lines = vec![
            "A client configured from the environment, with the names the API's other tools use:"
                .to_owned(),
            String::new(),
        ];
        for [id, secret] in service_account_env {
            lines.push(format!("- `{id}` and `{secret}`: a service account;"));
        }
        for [public, private] in digest_env {
            lines.push(format!(
                "- `{public}` and `{private}`: an API key, by HTTP Digest;"
            ));
        }
        if let Some(base_url) = &env.base_url {
            lines.push(format!("- `{base_url}`: the base URL (optional)."));
        }
        lines.push(String::new());
        lines.push(
            "Missing, half-set or conflicting credentials are an error that names the variables."
                .to_owned(),
        );
        let doc = doc_attrs(&lines.join("\n"));
        quote! {
            #doc
            pub fn from_env() -> Result<Self, client_runtime::BuildError> {
                Self::builder().from_env()?.build()
            }
        }
    });
    let revoke = api.token_path.is_some().then(|| {
        quote! {
            /// Revokes the service account's current access token; the next call requests a new one.
            pub async fn revoke_token(&self) -> Result<(), client_runtime::AuthError> {
                self.transport.revoke_token().await
            }
        }
    });
    quote! {
        #doc
        #[derive(Clone, Debug)]
        pub struct Client {
            pub(crate) transport: client_runtime::__private::Transport,
        }

        /// Configures a [`Client`]: base URL, credentials, timeouts, retries, User-Agent.
        pub type ClientBuilder = client_runtime::ClientBuilder<Client>;

        /// What every builder starts from: the spec's server and security schemes, and the configured environment variables, rate limit headers and envelope.
        const API: client_runtime::__private::ApiDefaults = client_runtime::__private::ApiDefaults {
            base_url: #default_url,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
            token_path: #token_path,
            revoke_path: #revoke_path,
            scopes: #token_scopes,
            digest: #declares_digest,
            bearer: #bearer,
            basic: #basic,
            api_key: #api_key,
            env: client_runtime::__private::EnvNames {
                base_url: #env_base_url,
                service_account: #service_account,
                digest: #digest,
            },
            rate_limit: #rate_limit,
            envelope: #envelope,
            property_names: &[#(#property_names),*],
        };

        impl Client {
            #constructors

            /// A builder with the defaults: the spec's server, this crate's name and version as User-Agent, no credentials.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new(API)
            }

            #from_env

            #revoke

            /// The base URL every request goes to.
            pub fn base_url(&self) -> &str {
                self.transport.base_url()
            }
        }

        impl From<client_runtime::__private::Transport> for Client {
            fn from(transport: client_runtime::__private::Transport) -> Self {
                Self { transport }
            }
        }
    }
}
