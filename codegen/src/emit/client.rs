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
    // The sample calls an operation its feature may leave out.
    let doctest_cfg = match super::readme::sample_feature(api) {
        Some(feature) => quote!(#[cfg(all(doctest, feature = #feature))]),
        None => quote!(#[cfg(doctest)]),
    };
    // The crate's own code uses what the API deprecates; its users are warned.
    let allow = api.has_deprecated().then(|| quote!(#![allow(deprecated)]));
    quote! {
        #docs
        #allow

        mod client;
        #[cfg(feature = "mock")]
        pub mod mock;
        pub mod operations;
        pub mod types;

        pub use client::{Client, ClientBuilder};
        pub use client_runtime::exports::*;

        /// The README's sample, compiled by `cargo test --doc`.
        #doctest_cfg
        #[doc = include_str!("../README.md")]
        pub struct ReadmeDoctests;
    }
}

/// `src/client.rs`: the `Client` and how to build one.
pub fn client_file(api: &Api) -> TokenStream {
    use crate::model::security::{ApiKeyIn, SchemeKind};
    let digest = api
        .schemes
        .iter()
        .any(|scheme| scheme.kind == SchemeKind::Digest);
    // Say only what this API's security schemes offer.
    let shared = match (digest, api.token_path.is_some()) {
        (true, true) => {
            "one connection pool and one set of credentials (Digest nonces, access token)"
        }
        (true, false) => "one connection pool and one set of credentials (Digest nonces)",
        (false, true) => "one connection pool and one set of credentials (access token)",
        (false, false) => "one connection pool",
    };
    let lines = scheme_lines(api);
    let credentials = if lines.is_empty() {
        "The API declares no credentials.".to_owned()
    } else {
        format!(
            "The API's security schemes, each with the builder methods that give it credentials; each operation sends those its own requirements name, and none when it is public:\n\n{}",
            lines.join("\n")
        )
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
    let digest_env: &[[String; 2]] = if digest { &env.digest } else { none };
    let service_account = pairs(service_account_env);
    let digest_pairs = pairs(digest_env);
    let scheme_defs = api.schemes.iter().map(|scheme| {
        let name = &scheme.name;
        let kind = match &scheme.kind {
            SchemeKind::Digest => quote!(Digest),
            SchemeKind::ClientCredentials => quote!(ClientCredentials),
            SchemeKind::Bearer => quote!(Bearer),
            SchemeKind::Basic => quote!(Basic),
            SchemeKind::ApiKey(place, key) => {
                let location = match place {
                    ApiKeyIn::Header => quote!(Header),
                    ApiKeyIn::Query => quote!(Query),
                    ApiKeyIn::Cookie => quote!(Cookie),
                };
                quote! {
                    ApiKey(client_runtime::__private::ApiKeyPlace {
                        location: client_runtime::__private::ApiKeyLocation::#location,
                        name: #key,
                    })
                }
            }
            SchemeKind::Other => quote!(Other),
        };
        quote! {
            client_runtime::__private::SecurityScheme {
                name: #name,
                kind: client_runtime::__private::SchemeKind::#kind,
            }
        }
    });
    let scheme_env = api
        .schemes
        .iter()
        .filter(|scheme| !scheme.variables.is_empty())
        .map(|scheme| {
            let (name, variables) = (&scheme.name, &scheme.variables);
            quote! {
                client_runtime::__private::SchemeVariables { scheme: #name, variables: &[#(#variables),*] }
            }
        });
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

    // Always there, whatever the schemes: a spec that drops its last
    // scheme with variables does not take the method from its callers.
    let from_env = {
        let (lines, credentials) = environment_lines(api);
        let text = match (credentials, lines.is_empty()) {
            (true, _) => format!(
                "A client configured from the environment, with the names the API's other tools use:\n\n{}\n\nAny of them may be set; none at all, half a pair, or a service account and Digest keys both, is an error that names the variables.",
                lines.join("\n")
            ),
            (false, false) => format!(
                "A client configured from the environment. The API declares no credentials that variables give, so it reads only:\n\n{}",
                lines.join("\n")
            ),
            (false, true) => "A client configured from the environment. The API declares no credentials that variables give and names no variable of its own, so it is the client `Client::builder().build()` makes.".to_owned(),
        };
        let doc = doc_attrs(&text);
        quote! {
            #doc
            pub fn from_env() -> Result<Self, client_runtime::BuildError> {
                Self::builder().from_env()?.build()
            }
        }
    };
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
            schemes: &[#(#scheme_defs),*],
            env: client_runtime::__private::EnvNames {
                base_url: #env_base_url,
                service_account: #service_account,
                digest: #digest_pairs,
                schemes: &[#(#scheme_env),*],
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

/// Each security scheme as a Markdown list item, with the builder methods
/// that give it credentials and its description on one line.
pub(super) fn scheme_lines(api: &Api) -> Vec<String> {
    use crate::model::security::{ApiKeyIn, SchemeKind};
    let mut lines = Vec::new();
    for scheme in &api.schemes {
        let name = &scheme.name;
        let takes = match &scheme.kind {
            SchemeKind::Digest => "HTTP Digest: `ClientBuilder::digest_auth`".to_owned(),
            SchemeKind::ClientCredentials if api.token_path.is_some() => format!(
                "OAuth 2.0 client credentials: `ClientBuilder::service_account`, or a token got elsewhere with `ClientBuilder::bearer_token_for({name:?}, ..)`"
            ),
            SchemeKind::ClientCredentials | SchemeKind::Bearer => format!(
                "a Bearer token: `ClientBuilder::bearer_token`, or `ClientBuilder::bearer_token_for({name:?}, ..)` for this scheme alone"
            ),
            SchemeKind::Basic => format!(
                "HTTP Basic: `ClientBuilder::basic_auth`, or `ClientBuilder::basic_auth_for({name:?}, ..)` for this scheme alone"
            ),
            SchemeKind::ApiKey(place, key) => {
                let place = match place {
                    ApiKeyIn::Header => "header",
                    ApiKeyIn::Query => "query parameter",
                    ApiKeyIn::Cookie => "cookie",
                };
                format!(
                    "an API key in the {place} `{key}`: `ClientBuilder::api_key`, or `ClientBuilder::api_key_for({name:?}, ..)` for this scheme alone"
                )
            }
            SchemeKind::Other => {
                "credentials the builder cannot hold; add them with `ClientBuilder::hooks`"
                    .to_owned()
            }
        };
        let description = scheme
            .description
            .as_deref()
            .map(|text| format!(" {}", text.split_whitespace().collect::<Vec<_>>().join(" ")))
            .unwrap_or_default();
        lines.push(format!("- `{name}`, {takes}.{description}"));
    }
    lines
}

/// The variables `Client::from_env` reads, as Markdown list items, and
/// whether any of them gives credentials.
pub(super) fn environment_lines(api: &Api) -> (Vec<String>, bool) {
    use crate::model::security::SchemeKind;
    let env = &api.env;
    let none: &[[String; 2]] = &[];
    let service_account_env: &[[String; 2]] = if api.token_path.is_some() {
        &env.service_account
    } else {
        none
    };
    let digest = api
        .schemes
        .iter()
        .any(|scheme| scheme.kind == SchemeKind::Digest);
    let digest_env: &[[String; 2]] = if digest { &env.digest } else { none };
    let with_variables = api
        .schemes
        .iter()
        .filter(|scheme| !scheme.variables.is_empty());
    let mut lines = Vec::new();
    for [id, secret] in service_account_env {
        lines.push(format!("- `{id}` and `{secret}`: a service account;"));
    }
    for [public, private] in digest_env {
        lines.push(format!(
            "- `{public}` and `{private}`: an API key, by HTTP Digest;"
        ));
    }
    for scheme in with_variables {
        let variables: Vec<String> = scheme
            .variables
            .iter()
            .map(|name| format!("`{name}`"))
            .collect();
        lines.push(format!(
            "- {}: the credentials of the `{}` scheme;",
            variables.join(" and "),
            scheme.name
        ));
    }
    let credentials = !lines.is_empty();
    if let Some(base_url) = &env.base_url {
        lines.push(format!("- `{base_url}`: the base URL (optional)."));
    }
    // The list is one sentence: its last item ends it.
    if let Some(last) = lines.last_mut()
        && let Some(open) = last.strip_suffix(';')
    {
        *last = format!("{open}.");
    }
    (lines, credentials)
}
