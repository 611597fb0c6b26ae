//! `src/mock/`: typed test doubles (feature `mock`), one builder per
//! operation that expects what its request builder sends and answers what
//! the spec declares.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::operations::{
    item_texts, operation_names, param_ident, present_items, query_style, setter_argument,
    status_pattern, status_pattern_after, streamed_success, wire_text,
};
use super::shapes::{Aliases, TypeIndex};
use crate::model::{
    BodyEncoding, ItemStream, Location, Operation, QueryStyle, StatusMatch, Success, TypeRef,
};
use crate::path_template::Part;

/// `src/mock/mod.rs`: the server and the list of operation modules.
pub fn mod_file(operations: &[Operation]) -> TokenStream {
    let modules = operations.iter().map(|operation| {
        let module = module(operation);
        let cfg = super::feature_cfg(operation.decided.feature.as_slice());
        quote!(#cfg mod #module;)
    });
    let exports = operations.iter().map(|operation| {
        let module = module(operation);
        let mock = mock_name(operation);
        let cfg = super::feature_cfg(operation.decided.feature.as_slice());
        quote!(#cfg pub use #module::#mock;)
    });
    quote! {
        //! Test doubles for code that uses this crate (feature `mock`): a real
        //! HTTP server on 127.0.0.1 that expects what the [`Client`](crate::Client)
        //! sends and answers as the spec declares.
        //!
        //! Each operation has a method on [`MockServer`] that returns a builder:
        //! narrow what it matches with the same setters as the request builder
        //! (unset ones match anything), then `responds(..)` or `fails(..)`.

        #(#modules)*
        #(#exports)*

        /// A loopback server for tests; point a client at it with [`MockServer::client`].
        #[derive(Debug)]
        pub struct MockServer {
            server: client_runtime::mock::MockServer,
        }

        impl MockServer {
            /// Starts a server on a free port of 127.0.0.1.
            pub async fn start() -> Self {
                Self {
                    server: client_runtime::mock::MockServer::start().await,
                }
            }

            /// Its base URL, `http://127.0.0.1:PORT`.
            pub fn uri(&self) -> String {
                self.server.uri()
            }

            /// A client for this server, without retries, so that a missing mock fails at once.
            pub fn client(&self) -> crate::Client {
                crate::Client::builder()
                    .base_url(self.server.uri())
                    .retry(client_runtime::RetryPolicy::disabled())
                    .build()
                    .expect("a loopback base URL is valid")
            }

            /// Every request received so far, matched or not.
            pub async fn received_requests(&self) -> Vec<client_runtime::mock::wiremock::Request> {
                self.server.received_requests().await
            }

            /// The underlying `wiremock` server, for expectations the builders do not cover.
            pub fn inner(&self) -> &client_runtime::mock::wiremock::MockServer {
                self.server.inner()
            }
        }
    }
}

fn module(operation: &Operation) -> syn::Ident {
    operation_names(operation).0
}

pub(super) fn mock_name(operation: &Operation) -> syn::Ident {
    format_ident!("{}Mock", operation_names(operation).1)
}

/// `src/mock/<operation>.rs`.
pub fn operation_file(operation: &Operation, index: &TypeIndex<'_>) -> TokenStream {
    let (method, _) = operation_names(operation);
    let mock = mock_name(operation);
    let mock_text = mock.to_string();
    let mut aliases = Aliases::new(*index, [mock_text.as_str(), "MockServer"]);
    let http_method = operation.method.as_str();
    let template = operation.path.as_str();
    let route = format!("`{http_method} {template}`");
    let pieces = operation.path.parts().iter().map(|part| match part {
        Part::Literal(text) => quote!(client_runtime::mock::PathPiece::Text(#text)),
        Part::Parameter(name) => quote!(client_runtime::mock::PathPiece::Parameter(#name)),
    });
    let method_doc = format!(
        " Expects [`Client::{method}`](crate::Client::{method}) ({route}); finish with `responds` or `fails`."
    );
    let struct_doc = format!(" An expected [`Client::{method}`](crate::Client::{method}) call.");
    let versioned = !operation.versions.is_empty();
    let versions = &operation.versions;
    let (media_field, media_init, media_setter) = if versioned {
        (
            quote!(media_type: &'static str,),
            quote!(media_type: MEDIA_TYPES[0],),
            quote! {
                /// Only calls that chose this version of the media type (the newest unless set).
                ///
                /// # Panics
                ///
                /// When the operation does not declare `value`.
                pub fn media_type(mut self, value: &'static str) -> Self {
                    assert!(MEDIA_TYPES.contains(&value), "undeclared media type {value}");
                    self.media_type = value;
                    self
                }
            },
        )
    } else {
        (quote!(), quote!(), quote!())
    };
    let media_types = versioned.then(|| quote!(const MEDIA_TYPES: &[&str] = &[#(#versions),*];));
    let setters: Vec<TokenStream> = operation.params.iter().map(|param| {
        let ident = param_ident(param);
        let name = &param.name;
        let rust = aliases.base(&param.shape, false, &format!("{mock}_{ident}"));
        let (argument, conversion) = setter_argument(&param.shape.ty, &rust);
        let doc = format!(" Only calls with this `{name}`.");
        let narrow = match (param.location, &param.shape.ty) {
            (Location::Path, TypeRef::Named(_))
                if let Some(QueryStyle::Simple { explode }) = param.styled =>
            {
                quote!(self.expectation = self.expectation.path_value(#name, value, #explode);)
            }
            (Location::Path, TypeRef::Array(items)) => {
                let texts = item_texts(&items.ty, &quote!(value));
                quote!(self.expectation = self.expectation.path_list(#name, #texts);)
            }
            (Location::Path, ty) => {
                let text = wire_text(ty, &quote!(value));
                quote!(self.expectation = self.expectation.path_param(#name, #text);)
            }
            (Location::Query, _) if param.styled.is_some() => {
                let style = query_style(param);
                quote!(self.expectation = self.expectation.query_value(#name, value, #style);)
            }
            (Location::Query, TypeRef::Array(items)) => {
                let text = wire_text(&items.ty, &quote!(value));
                let values = present_items(items);
                quote! {
                    for value in #values {
                        self.expectation = self.expectation.query(#name, #text);
                    }
                }
            }
            (Location::Query, ty) => {
                let text = wire_text(ty, &quote!(value));
                quote!(self.expectation = self.expectation.query(#name, #text);)
            }
            (Location::Header, _) if let Some(QueryStyle::Simple { explode }) = param.styled => {
                quote!(self.expectation = self.expectation.header_value(#name, value, #explode);)
            }
            (Location::Header, ty) => {
                let text = wire_text(ty, &quote!(value));
                quote!(self.expectation = self.expectation.header(#name, #text);)
            }
            (Location::Cookie, _) if param.styled.is_some() => {
                quote!(self.expectation = self.expectation.cookie_value(#name, value);)
            }
            (Location::Cookie, ty) => {
                let text = wire_text(ty, &quote!(value));
                quote!(self.expectation = self.expectation.cookie(#name, #text);)
            }
        };
        quote! {
            #[doc = #doc]
            pub fn #ident(mut self, value: #argument) -> Self {
                let value = &#conversion;
                #narrow
                self
            }
        }
    }).collect();
    let body_setter = operation
        .body
        .as_ref()
        // The mock compares JSON bodies; a raw or form body is not matched.
        .filter(|body| body.encoding == BodyEncoding::Json)
        .map(|body| {
            // Taken by reference, which clippy scores as one more level.
            let ty = aliases.ty(&body.content.shape, true, &format!("{mock}_body"));
            let media_type = media_type_expr(operation, &body.content.media_type);
            quote! {
                /// Only calls with exactly this body (compared as JSON).
                pub fn body(mut self, value: &#ty) -> Self {
                    let media_type = #media_type;
                    self.expectation = self.expectation.json_body(value).body_media_type(media_type);
                    self
                }
            }
        });
    let accept = operation.accept.as_ref().map(|accept| {
        let accept = media_type_expr(operation, accept);
        quote!(let expectation = expectation.header("accept", #accept);)
    });
    let answers = success_methods(operation, accept.as_ref(), &mut aliases);
    let fails = fail_method(operation, accept.as_ref(), &mut aliases);
    let aliases = aliases.definitions();
    quote! {
        #aliases
        use super::MockServer;

        #media_types

        impl MockServer {
            #[doc = #method_doc]
            pub fn #method(&self) -> #mock<'_> {
                #mock {
                    expectation: self.server.expect(#http_method, &[#(#pieces),*]),
                    #media_init
                }
            }
        }

        #[doc = #struct_doc]
        #[derive(Debug)]
        #[must_use = "nothing is expected until `responds` or `fails` is awaited"]
        pub struct #mock<'a> {
            expectation: client_runtime::mock::Expectation<'a>,
            #media_field
        }

        impl #mock<'_> {
            #(#setters)*

            #body_setter

            #media_setter

            /// Only this many calls; checked when the server is dropped.
            pub fn times(mut self, times: u64) -> Self {
                self.expectation = self.expectation.times(times);
                self
            }

            #answers

            #fails
        }
    }
}

/// The declared media type, or the version the mock was told to expect.
fn media_type_expr(operation: &Operation, declared: &str) -> TokenStream {
    if operation.versions.iter().any(|version| version == declared) {
        quote!(self.media_type)
    } else {
        quote!(#declared)
    }
}

/// A status to answer with: the code, or the first of a class.
fn status_literal(status: StatusMatch) -> Literal {
    match status {
        StatusMatch::Code(code) => Literal::u16_unsuffixed(code),
        StatusMatch::Range(class) => Literal::u16_unsuffixed(class * 100),
        // Not reached: `default` is only an error here, answered by `fails`.
        StatusMatch::Default => Literal::u16_unsuffixed(200),
    }
}

/// A method for each success response, named by the model.
fn success_methods(
    operation: &Operation,
    accept: Option<&TokenStream>,
    aliases: &mut Aliases,
) -> TokenStream {
    let mock = mock_name(operation);
    let methods: Vec<TokenStream> = operation
        .success
        .iter()
        .map(|success| {
            let name = format_ident!("{}", success.mock_method);
            let place = format!("{mock}_{name}");
            answer(operation, success, &name, accept, aliases, &place)
        })
        .collect();
    quote!(#(#methods)*)
}

fn answer(
    operation: &Operation,
    success: &Success,
    name: &syn::Ident,
    accept: Option<&TokenStream>,
    aliases: &mut Aliases,
    place: &str,
) -> TokenStream {
    let status = status_literal(success.status);
    let streamed = streamed_success(operation).is_some();
    match &success.body {
        Some(content) if let Some(items) = success.items => {
            let item = aliases.ty(&content.shape, false, place);
            let media_type = media_type_expr(operation, &content.media_type);
            let framing = match items {
                ItemStream::TextEvents | ItemStream::JsonEvents => quote!(Events),
                ItemStream::JsonLines => quote!(JsonLines),
                ItemStream::JsonSequence => quote!(JsonSequence),
            };
            let doc = format!(
                " Answers {status} with these items, streamed as `{}`.",
                content.media_type
            );
            quote! {
                #[doc = #doc]
                pub async fn #name(self, items: impl IntoIterator<Item = #item>) {
                    let media_type = #media_type;
                    let expectation = self.expectation;
                    #accept
                    expectation.respond_items(#status, media_type, client_runtime::mock::Framing::#framing, items).await;
                }
            }
        }
        Some(content) if streamed || content.shape.ty == TypeRef::Bytes => {
            let media_type = media_type_expr(operation, &content.media_type);
            let doc = format!(
                " Answers {status} with these bytes as `{}`.",
                content.media_type
            );
            quote! {
                #[doc = #doc]
                pub async fn #name(self, body: impl Into<Vec<u8>>) {
                    let media_type = #media_type;
                    let expectation = self.expectation;
                    #accept
                    expectation.respond_bytes(#status, media_type, body.into()).await;
                }
            }
        }
        Some(content) => {
            let ty = aliases.ty(&content.shape, false, place);
            let media_type = media_type_expr(operation, &content.media_type);
            let doc = format!(" Answers {status} with `body` as `{}`.", content.media_type);
            quote! {
                #[doc = #doc]
                pub async fn #name(self, body: #ty) {
                    let media_type = #media_type;
                    let expectation = self.expectation;
                    #accept
                    expectation.respond_json(#status, media_type, &body).await;
                }
            }
        }
        None => {
            let doc = format!(" Answers {status} without a body.");
            quote! {
                #[doc = #doc]
                pub async fn #name(self) {
                    let expectation = self.expectation;
                    #accept
                    expectation.respond_empty(#status).await;
                }
            }
        }
    }
}

/// `fails(status, body)` with a declared error status.
fn fail_method(
    operation: &Operation,
    accept: Option<&TokenStream>,
    aliases: &mut Aliases,
) -> TokenStream {
    let Some(first) = operation.errors.first() else {
        return quote!();
    };
    let statuses: Vec<StatusMatch> = operation.errors.iter().map(|error| error.status).collect();
    let pattern = status_pattern(&statuses);
    let id = &operation.id;
    let any = statuses.contains(&StatusMatch::Default);
    let check = (!any).then(|| {
        quote! {
            assert!(
                matches!(status, #pattern),
                "`{}` declares no error status {status}", #id
            );
        }
    });
    // One body type for every status, or a different one per status (an enum).
    match (&operation.error_enum, &first.body) {
        (None, Some(content)) => {
            // Through the file's aliases: a deep body type (a list of maps
            // of options) would trip clippy's `type_complexity`.
            let ty = aliases.ty(
                &content.shape,
                false,
                &format!("{}_fails", mock_name(operation)),
            );
            let media_type = &content.media_type;
            quote! {
                /// Answers a declared error status with `body`.
                ///
                /// # Panics
                ///
                /// When the operation does not declare `status`.
                pub async fn fails(self, status: u16, body: #ty) {
                    #check
                    let expectation = self.expectation;
                    #accept
                    expectation.respond_json(status, #media_type, &body).await;
                }
            }
        }
        (None, None) => quote! {
            /// Answers a declared error status without a body.
            ///
            /// # Panics
            ///
            /// When the operation does not declare `status`.
            pub async fn fails(self, status: u16) {
                #check
                let expectation = self.expectation;
                #accept
                expectation.respond_empty(status).await;
            }
        },
        (Some(_), _) => {
            let mut taken = Vec::new();
            let arms: Vec<TokenStream> = operation.errors.iter().map(|error| {
                let pattern = status_pattern_after(&[error.status], &taken);
                if let StatusMatch::Code(code) = error.status {
                    taken.push(code);
                }
                match &error.body {
                    Some(content) => {
                        let media_type = &content.media_type;
                        quote!(#pattern => expectation.respond_json(status, #media_type, &body).await,)
                    }
                    None => quote!(#pattern => expectation.respond_empty(status).await,),
                }
            }).collect();
            let undeclared =
                (!any).then(|| quote!(_ => panic!("`{}` declares no error status {status}", #id),));
            quote! {
                /// Answers a declared error status with `body`, in the media type
                /// the spec declares for that status (a status without a body gets none).
                ///
                /// # Panics
                ///
                /// When the operation does not declare `status`.
                pub async fn fails(self, status: u16, body: impl serde::Serialize) {
                    let expectation = self.expectation;
                    #accept
                    match status {
                        #(#arms)*
                        #undeclared
                    }
                }
            }
        }
    }
}
