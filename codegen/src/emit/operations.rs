//! One file per operation: the `Client` method and its request builder.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::docs::{deprecated_attr, doc_attrs, own_doc_attrs, paragraphs};
use super::shapes::{Aliases, TypeIndex};
use crate::model::security::OperationSecurity;
use crate::model::{
    BodyEncoding, Content, Counting, ErrorResponse, FieldStep, ItemStream, Location, Operation,
    PageStyle, Param, ParamId, QueryStyle, Returns, Shape, StatusMatch, Success, TypeRef,
};
use crate::path_template::Part;

/// The media type a call uses where the operation offers several versions
/// of `declared`: the caller's choice; elsewhere the declared one.
fn chosen_media_type(operation: &Operation, declared: &str) -> TokenStream {
    if operation.versions.iter().any(|version| version == declared) {
        quote!(media_type)
    } else {
        quote!(#declared)
    }
}

/// The Rust name of a parameter's builder field and method.
pub fn param_ident(param: &Param) -> syn::Ident {
    format_ident!("{}", param.rust_name)
}

/// The method name and builder type name of an operation.
pub fn operation_names(operation: &Operation) -> (syn::Ident, syn::Ident) {
    (
        format_ident!("{}", operation.decided.rust_method),
        format_ident!("{}", operation.decided.rust_type),
    )
}

/// The items of one operation's file.
pub fn operation_file(operation: &Operation, index: &TypeIndex<'_>) -> TokenStream {
    let (method, builder) = operation_names(operation);
    let method_doc = doc_attrs(&method_doc(operation));
    let builder_doc =
        format!(" Request builder for [`Client::{method}`]; finish with [`{builder}::send`].");
    let call = call_fn(operation, &method, index);

    let builder_name = builder.to_string();
    let mut aliases = Aliases::new(
        *index,
        [builder_name.as_str(), "Client"]
            .into_iter()
            .chain(operation.success_enum.as_deref())
            .chain(operation.error_enum.as_deref()),
    );
    let mut fields = Vec::new();
    let mut field_names = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    for param in &operation.params {
        let ident = param_ident(param);
        let ty = aliases.base(&param.shape, true, &format!("{builder}_{ident}"));
        fields.push(quote!(#ident: Option<#ty>,));
        field_names.push(ident.clone());
        inits.push(quote!(#ident: None,));
        let (argument, conversion) = setter_argument(&param.shape.ty, &ty);
        let doc = doc_attrs(&param_doc(param));
        let deprecated = deprecated_attr(param.deprecated, "parameter");
        setters.push(quote! {
            #doc
            #deprecated
            pub fn #ident(mut self, value: #argument) -> Self {
                self.#ident = Some(#conversion);
                self
            }
        });
    }
    if let Some(body) = &operation.body {
        let ty = aliases.ty(&body.content.shape, true, &format!("{builder}_body"));
        fields.push(quote!(body: Option<#ty>,));
        field_names.push(format_ident!("body"));
        inits.push(quote!(body: None,));
        let requirement = if body.required {
            "Required."
        } else {
            "Optional."
        };
        let doc = doc_attrs(&paragraphs([
            body.description.as_deref(),
            Some(&format!(
                "{requirement} Sent as `{}`.",
                body.content.media_type
            )),
        ]));
        setters.push(quote! {
            #doc
            pub fn body(mut self, value: #ty) -> Self {
                self.body = Some(value);
                self
            }
        });
    }

    if let Some((default, others)) = operation.versions.split_first() {
        fields.push(quote!(media_type: Option<String>,));
        field_names.push(format_ident!("media_type"));
        inits.push(quote!(media_type: None,));
        let others: Vec<String> = others.iter().map(|other| format!("`{other}`")).collect();
        let doc = doc_attrs(&format!(
            "The API version to call, as the media type sent in `Accept` (and `Content-Type`): `{default}` unless set; also {}. Another value is refused before sending.",
            others.join(", ")
        ));
        setters.push(quote! {
            #doc
            pub fn media_type(mut self, value: impl Into<String>) -> Self {
                self.media_type = Some(value.into());
                self
            }
        });
    }
    // Boxed: most calls have no options, and the builder is moved by
    // every setter.
    fields.push(quote!(options: Option<Box<crate::CallOptions>>,));
    field_names.push(format_ident!("options"));
    inits.push(quote!(options: None,));
    setters.push(quote! {
        /// This call's own settings over the client's: a timeout, extra
        /// headers, a retry policy, an idempotency key.
        pub fn options(mut self, options: crate::CallOptions) -> Self {
            self.options = Some(Box::new(options));
            self
        }
    });
    let follows_links = operation
        .decided
        .paging
        .as_ref()
        .is_some_and(|paging| paging.style.follows_links());
    if follows_links {
        // Set by `pages()` only: the next page's link, sent instead of the
        // path and query the builder makes.
        fields.push(quote!(followed_link: Option<String>,));
        field_names.push(format_ident!("followed_link"));
        inits.push(quote!(followed_link: None,));
    }
    let send = send_fn(operation, index, &mut aliases);
    let paging = paging_methods(operation, &builder, index);
    let resuming = resuming_fn(operation, &builder, &mut aliases);
    let into_static = owns_client_later(operation).then(|| into_static_fn(&builder, &field_names));
    let (client_field, client_init) = if owns_client_later(operation) {
        (
            quote!(client: client_runtime::__private::ClientRef<'a, Client>,),
            quote!(client: client_runtime::__private::ClientRef::Borrowed(client),),
        )
    } else {
        (quote!(client: &'a Client,), quote!(client,))
    };
    let (method, _) = operation_names(operation);
    let error_enum = operation.error_enum.as_deref().map(|name| {
        let doc =
            format!(" The error bodies of [`Client::{method}`], one variant per declared status.");
        let statuses: Vec<_> = operation
            .errors
            .iter()
            .map(|error| (error.status, error.body.as_ref(), error.boxed))
            .collect();
        status_enum(name, &doc, &statuses, &mut aliases)
    });
    let success_enum = operation.success_enum.as_deref().map(|name| {
        let doc = format!(" The success bodies of [`Client::{method}`], one variant per status.");
        let statuses: Vec<_> = operation
            .success
            .iter()
            .map(|success| (success.status, success.body.as_ref(), success.boxed))
            .collect();
        status_enum(name, &doc, &statuses, &mut aliases)
    });
    let aliases = aliases.definitions();
    let deprecated = deprecated_attr(operation.deprecated, "operation");
    quote! {
        #aliases

        use crate::Client;

        impl Client {
            #method_doc
            #deprecated
            pub fn #method(&self) -> #builder<'_> {
                #builder::new(self)
            }
        }

        #[doc = #builder_doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `send` is awaited"]
        pub struct #builder<'a> {
            #client_field
            #(#fields)*
        }

        impl<'a> #builder<'a> {
            fn new(client: &'a Client) -> Self {
                Self {
                    #client_init
                    #(#inits)*
                }
            }

            #(#setters)*

            #send

            #resuming

            #paging

            #into_static
        }

        #success_enum

        #error_enum

        #call
    }
}

/// `call`, behind the `schemars` feature: the operation driven by JSON
/// inputs, so that conformance tests reach every operation of a spec.
fn call_fn(operation: &Operation, method: &syn::Ident, index: &TypeIndex<'_>) -> TokenStream {
    let mut inputs: Vec<TokenStream> = operation
        .params
        .iter()
        .map(|param| {
            let name = &param.name;
            let setter = param_ident(param);
            let ty = index.base_type_tokens(&param.shape);
            quote! {
                match client_runtime::__private::input::<#ty>(&input, #name) {
                    Ok(Some(value)) => builder = builder.#setter(value),
                    Ok(None) => {}
                    Err(refused) => return refused,
                }
            }
        })
        .collect();
    if let Some(body) = &operation.body {
        inputs.push(if body.content.shape.ty == TypeRef::Bytes {
            quote! {
                match client_runtime::__private::input::<String>(&input, "body") {
                    Ok(Some(value)) => builder = builder.body(client_runtime::bytes::Bytes::from(value)),
                    Ok(None) => {}
                    Err(refused) => return refused,
                }
            }
        } else {
            let ty = index.type_tokens(&body.content.shape);
            quote! {
                match client_runtime::__private::input::<#ty>(&input, "body") {
                    Ok(Some(value)) => builder = builder.body(value),
                    Ok(None) => {}
                    Err(refused) => return refused,
                }
            }
        });
    }
    if !operation.versions.is_empty() {
        inputs.push(quote! {
            match client_runtime::__private::input::<String>(&input, "mediaType") {
                Ok(Some(value)) => builder = builder.media_type(value),
                Ok(None) => {}
                Err(refused) => return refused,
            }
        });
    }
    let error = match &operation.error_enum {
        Some(name) => {
            let name = format_ident!("{}", name);
            let arms = operation.errors.iter().map(|error| {
                let variant = format_ident!("{}", error.status.variant_name());
                if error.body.is_some() {
                    quote!(#name::#variant(body) => client_runtime::__private::json(&body),)
                } else {
                    quote!(#name::#variant => serde_json::Value::Null,)
                }
            });
            quote!(|error| match error { #(#arms)* })
        }
        None => quote!(|error| client_runtime::__private::json(&error)),
    };
    let finish = if let Returns::Streamed(success, _) = operation.returns() {
        match success.items {
            None => {
                quote!(client_runtime::__private::stream_outcome(builder.send().await, #error).await)
            }
            Some(ItemStream::TextEvents | ItemStream::JsonEvents) => quote! {
                client_runtime::__private::items_outcome(builder.send().await, |event| client_runtime::__private::json(&event.data), #error).await
            },
            Some(ItemStream::JsonLines | ItemStream::JsonSequence) => quote! {
                client_runtime::__private::items_outcome(builder.send().await, |item| client_runtime::__private::json(&item), #error).await
            },
        }
    } else {
        let success = match &operation.success_enum {
            Some(name) => {
                let name = format_ident!("{}", name);
                let arms = operation.success.iter().map(|success| {
                    let variant = format_ident!("{}", success.status.variant_name());
                    match &success.body {
                        // Octets read into memory are reported as a list of numbers.
                        Some(content) if content.shape.ty == TypeRef::Bytes => {
                            quote!(#name::#variant(body) => client_runtime::__private::json(&&body[..]),)
                        }
                        Some(_) => {
                            quote!(#name::#variant(body) => client_runtime::__private::json(&body),)
                        }
                        None => quote!(#name::#variant => serde_json::Value::Null,),
                    }
                });
                quote!(|value| match value { #(#arms)* })
            }
            None => match operation.returns() {
                Returns::OptionalBody(content) if content.shape.ty == TypeRef::Bytes => {
                    quote!(|value| client_runtime::__private::json(&value.as_deref()))
                }
                Returns::Body(content) if content.shape.ty == TypeRef::Bytes => {
                    quote!(|value| client_runtime::__private::json(&&value[..]))
                }
                _ => quote!(|value| client_runtime::__private::json(&value)),
            },
        };
        quote!(client_runtime::__private::outcome(builder.send().await, #success, #error))
    };
    let mutable = (!inputs.is_empty()).then(|| quote!(mut));
    let unused = inputs.is_empty().then(|| quote!(let _ = input;));
    quote! {
        /// Sets the inputs present in `input`, sends, and reports the outcome as JSON.
        #[cfg(feature = "__conformance")]
        pub(crate) fn call(
            client: &Client,
            input: serde_json::Value,
        ) -> client_runtime::__private::CallFuture<'_> {
            Box::pin(async move {
                #unused
                let #mutable builder = client.#method();
                #(#inputs)*
                #finish
            })
        }
    }
}

/// Strings and enums take anything that converts, so `.role("ORG_OWNER")` works.
pub(super) fn setter_argument(ty: &TypeRef, rust: &TokenStream) -> (TokenStream, TokenStream) {
    match ty {
        TypeRef::String | TypeRef::Password | TypeRef::Named(_) => {
            (quote!(impl Into<#rust>), quote!(value.into()))
        }
        _ => (rust.clone(), quote!(value)),
    }
}

fn method_doc(operation: &Operation) -> String {
    let route = format!("`{} {}`", operation.method, operation.path);
    let deprecated = operation.deprecated.then_some("Deprecated by the API.");
    let credentials = match &operation.security {
        OperationSecurity::Any => None,
        OperationSecurity::Public => {
            Some("Public: sent without the client's credentials.".to_owned())
        }
        OperationSecurity::Required(alternatives) => {
            let each: Vec<String> = alternatives
                .iter()
                .filter(|schemes| !schemes.is_empty())
                .map(|schemes| {
                    let names: Vec<String> =
                        schemes.iter().map(|name| format!("`{name}`")).collect();
                    match names.as_slice() {
                        [one] => one.clone(),
                        several => format!("{} together", several.join(" and ")),
                    }
                })
                .collect();
            let optional = alternatives.iter().any(Vec::is_empty);
            Some(match (each.as_slice(), optional) {
                ([], _) => "Credentials are optional: sent without them.".to_owned(),
                ([one], false) => format!(
                    "Sends the credentials of {one}; a client holding other credentials only refuses it before sending."
                ),
                (several, false) => format!(
                    "Sends the credentials of {}, the first the client holds; a client holding other credentials only refuses it before sending.",
                    several.join(", or ")
                ),
                (several, true) => format!(
                    "Sends the credentials of {}, the first the client holds, or none: they are optional.",
                    several.join(", or ")
                ),
            })
        }
    };
    paragraphs([
        operation.summary.as_deref(),
        operation.description.as_deref(),
        deprecated,
        credentials.as_deref(),
        Some(route.as_str()),
    ])
}

/// The runtime's `Security` for an operation.
fn security_tokens(security: &OperationSecurity) -> TokenStream {
    match security {
        OperationSecurity::Any => quote!(client_runtime::Security::Any),
        OperationSecurity::Public => quote!(client_runtime::Security::Public),
        OperationSecurity::Required(alternatives) => {
            let alternatives = alternatives.iter().map(|schemes| quote!(&[#(#schemes),*]));
            quote!(client_runtime::Security::Required(&[#(#alternatives),*]))
        }
    }
}

fn param_doc(param: &Param) -> String {
    let location = param.location.as_str();
    let requirement = if param.required {
        "Required"
    } else {
        "Optional"
    };
    let mut facts = format!("{requirement} {location} parameter `{}`.", param.name);
    if let Some(default) = &param.default {
        facts.push_str(&format!(
            " The server's default is `{default}`; nothing is sent unless set."
        ));
    }
    if param.deprecated {
        facts.push_str(" Deprecated.");
    }
    paragraphs([param.description.as_deref(), Some(facts.as_str())])
}

/// The operation's boolean query parameter that asks for an envelope, if any.
fn envelope_param(operation: &Operation) -> Option<&Param> {
    operation
        .decided
        .envelope_parameter
        .map(|id| operation.param(id))
}

fn send_fn(operation: &Operation, index: &TypeIndex<'_>, aliases: &mut Aliases) -> TokenStream {
    let success_ty = success_type(operation, aliases);
    let error_ty = error_type(operation, index);
    let mut names: Vec<syn::Ident> = operation.params.iter().map(param_ident).collect();
    if operation.body.is_some() {
        names.push(format_ident!("body"));
    }
    if operation
        .decided
        .paging
        .as_ref()
        .is_some_and(|paging| paging.style.follows_links())
    {
        names.push(format_ident!("followed_link"));
    }

    let (media_types, choose_media_type) = if operation.versions.is_empty() {
        (quote!(), quote!())
    } else {
        let versions = &operation.versions;
        names.push(format_ident!("media_type"));
        (
            quote!(const MEDIA_TYPES: &[&str] = &[#(#versions),*];),
            quote!(let media_type = media_type.as_deref().unwrap_or(MEDIA_TYPES[0]);),
        )
    };
    let id = &operation.id;
    let method_name = operation.method.as_str();
    let template = operation.path.as_str();
    let security = security_tokens(&operation.security);
    let envelope = match envelope_param(operation) {
        Some(param) => {
            let ident = param_ident(param);
            quote!(#ident == Some(true))
        }
        None => quote!(false),
    };
    let validation = validation(operation, index);
    let path = path_expr(operation);
    let request = request_statements(operation, index);
    let dispatch = dispatch(operation, index);
    let send_request = match streamed_success(operation) {
        Some((success, content)) => {
            let pattern = status_pattern(&[success.status]);
            let body = match success.items {
                Some(items) => {
                    let reader = item_reader(items);
                    quote!(body.map(#reader))
                }
                None => quote!(body),
            };
            let media_type = chosen_media_type(operation, &content.media_type);
            quote! {
                let response = match client
                    .transport
                    .send_streaming_with(&request, &OPERATION, #media_type, |status| matches!(status, #pattern), options.as_deref())
                    .await?
                {
                    client_runtime::__private::Streamed::Body(body) => return Ok(#body),
                    client_runtime::__private::Streamed::Other(response) => response,
                };
            }
        }
        None => {
            quote!(let response = client.transport.send_with(&request, &OPERATION, #envelope, options.as_deref()).await?;)
        }
    };
    let doc = doc_attrs(
        "Checks every input against the spec, then sends the request.\n\nNothing is sent when a check fails: the error names every field at fault.",
    );
    quote! {
        #doc
        pub async fn send(
            self,
        ) -> Result<client_runtime::ResponseValue<#success_ty>, client_runtime::Error<#error_ty>> {
            const OPERATION: client_runtime::OperationInfo = client_runtime::OperationInfo {
                id: #id,
                method: #method_name,
                path: #template,
                security: #security,
            };
            #media_types
            let Self { client, options, #(#names),* } = self;
            #validation
            #choose_media_type
            #path
            #request
            #send_request
            #dispatch
        }
    }
}

/// Checks required inputs and constraints; leaves required inputs unwrapped.
fn validation(operation: &Operation, index: &TypeIndex<'_>) -> TokenStream {
    let mut statements = Vec::new();
    let mut required = Vec::new();
    for param in &operation.params {
        let ident = param_ident(param);
        let name = &param.name;
        let mut checks = index.base_checks(&param.shape);
        match (param.location, &param.shape.ty) {
            (Location::Path, TypeRef::Array(items)) => {
                let texts = item_texts(&items.ty, &quote!(value));
                checks = quote!(v.path_segment(&client_runtime::__private::encode_path_list(#texts)); #checks);
            }
            // Written from its JSON form, which checks the segment.
            (Location::Path, TypeRef::Named(_)) if param.styled.is_some() => {}
            (Location::Path, ty) => {
                let text = wire_text(ty, &quote!(value));
                checks = quote!(v.path_segment(#text); #checks);
            }
            (Location::Header, ty @ (TypeRef::String | TypeRef::Password)) => {
                let text = wire_text(ty, &quote!(value));
                checks = quote!(v.header_value(#text); #checks);
            }
            _ => {}
        }
        if param.required {
            required.push(ident.clone());
            let closure = if checks.is_empty() {
                quote!(|_, _| {})
            } else {
                quote!(|v, value| { #checks })
            };
            statements.push(quote!(let #ident = v.required(#name, #ident, #closure);));
        } else if !checks.is_empty() {
            statements.push(quote!(v.optional(#name, #ident.as_ref(), |v, value| { #checks });));
        }
    }
    if let Some(body) = &operation.body {
        let checks = index.checks(&body.content.shape);
        if body.required {
            required.push(format_ident!("body"));
            let closure = if checks.is_empty() {
                quote!(|_, _| {})
            } else {
                quote!(|v, value| { #checks })
            };
            statements.push(quote!(let body = v.required("body", body, #closure);));
        } else if !checks.is_empty() {
            statements.push(quote!(v.optional("body", body.as_ref(), |v, value| { #checks });));
        }
    }
    if !operation.versions.is_empty() {
        statements.push(quote! {
            if let Some(value) = &media_type
                && !MEDIA_TYPES.contains(&value.as_str())
            {
                v.field("mediaType", |v| v.unknown_enum_value(value, MEDIA_TYPES));
            }
        });
    }
    if statements.is_empty() {
        return quote!();
    }
    let unwrap = match required.len() {
        0 => quote!(),
        1 => {
            let ident = &required[0];
            quote! {
                let Some(#ident) = #ident else {
                    return Err(client_runtime::Error::InvalidRequest(v.into_errors()));
                };
            }
        }
        _ => quote! {
            let (#(Some(#required)),*) = (#(#required),*) else {
                return Err(client_runtime::Error::InvalidRequest(v.into_errors()));
            };
        },
    };
    quote! {
        let mut v = client_runtime::Validator::new();
        #(#statements)*
        #unwrap
        v.finish()?;
    }
}

/// `let path = [..];`: the template's text with every path parameter
/// percent-encoded, which the transport appends to the base URL in one
/// allocation (`format!` and a second copy cost a call a few hundred
/// instructions more).
fn path_expr(operation: &Operation) -> TokenStream {
    let mut pieces = Vec::new();
    for part in operation.path.parts() {
        match part {
            Part::Literal(text) => pieces.push(quote!(#text)),
            Part::Parameter(name) => {
                // Validation guarantees a declared parameter for every name.
                let Some(param) = operation
                    .params
                    .iter()
                    .find(|p| p.location == Location::Path && p.name == *name)
                else {
                    continue;
                };
                let ident = param_ident(param);
                pieces.push(match &param.shape.ty {
                    TypeRef::Named(_)
                        if let Some(QueryStyle::Simple { explode }) = param.styled =>
                    {
                        let name = &param.name;
                        quote!(&client_runtime::__private::path_value(#name, &#ident, #explode)?)
                    }
                    TypeRef::Array(items) => {
                        let texts = item_texts(&items.ty, &quote!(#ident));
                        quote!(&client_runtime::__private::encode_path_list(#texts))
                    }
                    TypeRef::String | TypeRef::Password => {
                        let text = wire_text(&param.shape.ty, &quote!(#ident));
                        quote!(&client_runtime::__private::encode_path_segment(#text))
                    }
                    // Text made for the call is encoded in place, so that
                    // the array holds it, not a borrow of a temporary.
                    _ => {
                        // `made_text` takes a reference; the local is the value.
                        let value = if param.shape.ty == TypeRef::DateTime {
                            quote!(&#ident)
                        } else {
                            quote!(#ident)
                        };
                        let made = made_text(&param.shape.ty, &value);
                        quote!(&client_runtime::__private::encode_path_text(#made))
                    }
                });
            }
        }
    }
    quote!(let path = [#(#pieces),*];)
}

/// The items of the list `value` that go on the wire: a null item of a
/// list whose items may be null has no form, and is left out.
pub(super) fn present_items(items: &Shape) -> TokenStream {
    if items.nullable && items.ty != TypeRef::Any {
        quote!(value.iter().flatten())
    } else {
        quote!(value)
    }
}

/// A parameter's value as wire text, a `&str`: strings as they are, secrets
/// through their accessor (their `Display` is redacted), the rest by `Display`.
pub(super) fn wire_text(ty: &TypeRef, value: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(#value.as_str()),
        TypeRef::Password => quote!(#value.expose()),
        _ => {
            let text = made_text(ty, value);
            quote!(&#text)
        }
    }
}

/// Each item of the list `list` as wire text, as an iterator.
pub(super) fn item_texts(ty: &TypeRef, list: &TokenStream) -> TokenStream {
    let text = match ty {
        TypeRef::String => quote!(value.as_str()),
        TypeRef::Password => quote!(value.expose()),
        _ => made_text(ty, &quote!(value)),
    };
    quote!(#list.iter().map(|value| #text))
}

/// The `String` made for a value that is not held as text.
fn made_text(ty: &TypeRef, value: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::DateTime => quote!(client_runtime::__private::date_time_text(#value)),
        _ => quote!(#value.to_string()),
    }
}

/// The runtime's name for how a styled query parameter is written.
pub(super) fn query_style(param: &Param) -> TokenStream {
    style_tokens(param.styled)
}

/// The runtime's `QueryStyle` for `style` (a query parameter's or a form
/// field's); none is the default, `form` exploded.
pub(super) fn style_tokens(style: Option<QueryStyle>) -> TokenStream {
    let style = match style {
        Some(QueryStyle::FormUnexploded) => quote!(FormUnexploded),
        Some(QueryStyle::SpaceDelimited) => quote!(SpaceDelimited),
        Some(QueryStyle::PipeDelimited) => quote!(PipeDelimited),
        Some(QueryStyle::DeepObject) => quote!(DeepObject),
        // Headers are written by `header_param`, never with a query style.
        Some(QueryStyle::Form | QueryStyle::Simple { .. }) | None => quote!(Form),
    };
    quote!(client_runtime::__private::QueryStyle::#style)
}

/// Defines `request`, which builds the request: method, URL, `Accept`,
/// query, headers and body.
fn request_statements(operation: &Operation, index: &TypeIndex<'_>) -> TokenStream {
    let method = format_ident!("{}", operation.method.as_str());
    let follows_links = operation
        .decided
        .paging
        .as_ref()
        .is_some_and(|paging| paging.style.follows_links());
    let mut head = if follows_links {
        // A next page's link holds its own path and query.
        quote! {
            (match &followed_link {
                Some(link) => client.transport.request_to(client_runtime::reqwest::Method::#method, link)?,
                None => client.transport.request(client_runtime::reqwest::Method::#method, &path),
            })
        }
    } else {
        quote!(client.transport.request(client_runtime::reqwest::Method::#method, &path))
    };
    if let Some(accept) = &operation.accept {
        let accept = chosen_media_type(operation, accept);
        head = quote!(#head.header(client_runtime::reqwest::header::ACCEPT, #accept));
    }
    let mut more = Vec::new();
    for param in &operation.params {
        let ident = param_ident(param);
        let name = &param.name;
        let add = match (param.location, &param.shape.ty) {
            (Location::Path, _) => continue,
            (Location::Query, _) if param.styled.is_some() => {
                let style = query_style(param);
                quote!(request = client_runtime::__private::query_param(request, #name, value, #style)?;)
            }
            (Location::Query, TypeRef::Array(items)) => {
                let text = wire_text(&items.ty, &quote!(value));
                let values = present_items(items);
                quote! {
                    for value in #values {
                        request = request.query(&[(#name, #text)]);
                    }
                }
            }
            (Location::Query, ty) => {
                let text = wire_text(ty, &quote!(value));
                quote!(request = request.query(&[(#name, #text)]);)
            }
            (Location::Header, _) if let Some(QueryStyle::Simple { explode }) = param.styled => {
                quote!(request = client_runtime::__private::header_param(request, #name, value, #explode)?;)
            }
            (Location::Header, ty) => {
                let text = wire_text(ty, &quote!(value));
                quote!(request = request.header(#name, #text);)
            }
            (Location::Cookie, _) if param.styled.is_some() => {
                quote!(cookies.add_value(#name, value)?;)
            }
            (Location::Cookie, ty) => {
                let text = wire_text(ty, &quote!(value));
                quote!(cookies.add(#name, #text);)
            }
        };
        // A next page's link holds its own query.
        let own_query = follows_links && param.location == Location::Query;
        more.push(match (param.required, own_query) {
            (true, false) => quote!({ let value = &#ident; #add }),
            (false, false) => quote!(if let Some(value) = &#ident { #add }),
            (true, true) => quote!(if followed_link.is_none() { let value = &#ident; #add }),
            (false, true) => {
                quote!(if followed_link.is_none() && let Some(value) = &#ident { #add })
            }
        });
    }
    // Every cookie goes in one `Cookie` header (RFC 6265), which an API
    // key in a cookie joins when the call is authorized.
    if operation
        .params
        .iter()
        .any(|param| param.location == Location::Cookie)
    {
        let first_cookie = more.len()
            - operation
                .params
                .iter()
                .filter(|param| param.location == Location::Cookie)
                .count();
        more.insert(
            first_cookie,
            quote!(let mut cookies = client_runtime::__private::Cookies::default();),
        );
        more.push(quote!(request = cookies.apply(request);));
    }
    let fields_of = |body: &crate::model::RequestBody| match &body.content.shape.ty {
        TypeRef::Named(id)
            if matches!(body.encoding, BodyEncoding::Multipart | BodyEncoding::Form)
                && !index.fields(*id).is_empty() =>
        {
            Some(*id)
        }
        // A multipart body of one of several sets of parts.
        TypeRef::Named(id)
            if body.encoding == BodyEncoding::Multipart && !index.variants(*id).is_empty() =>
        {
            Some(*id)
        }
        _ => None,
    };
    if let Some(body) = &operation.body
        && let (TypeRef::Array(items), Some(part)) = (&body.content.shape.ty, &body.list_part)
    {
        let statements = super::multipart::list_body_statements(part, items, index);
        // A null list sends no parts.
        more.push(match (body.required, body.content.shape.nullable) {
            (true, false) => quote!({ let body = &body; #statements }),
            (true, true) | (false, false) => quote!(if let Some(body) = &body { #statements }),
            (false, true) => quote!(if let Some(Some(body)) = &body { #statements }),
        });
    } else if let Some(body) = &operation.body
        && let Some(name) = fields_of(body)
    {
        let statements = if body.encoding == BodyEncoding::Multipart {
            if index.variants(name).is_empty() {
                super::multipart::body_statements(name, &body.fields, index)
            } else {
                super::multipart::union_body_statements(name, &body.fields, index)
            }
        } else {
            let media_type = chosen_media_type(operation, &body.content.media_type);
            super::form::body_statements(name, &media_type, &body.fields, index)
        };
        // A form of fields has no `null`: a null body sends none.
        more.push(match (body.required, body.content.shape.nullable) {
            (true, false) => quote!({ let body = &body; #statements }),
            (true, true) | (false, false) => quote!(if let Some(body) = &body { #statements }),
            (false, true) => quote!(if let Some(Some(body)) = &body { #statements }),
        });
    } else if let Some(body) = &operation.body {
        let media_type = chosen_media_type(operation, &body.content.media_type);
        let bytes = body.encoding == BodyEncoding::Bytes;
        let encode = if body.encoding == BodyEncoding::Form {
            quote!(client_runtime::__private::form_body)
        } else {
            quote!(client_runtime::__private::json_body)
        };
        more.push(match (body.required, bytes) {
            (true, false) => {
                quote!(request = #encode(request, #media_type, &body)?;)
            }
            (false, false) => quote! {
                if let Some(body) = &body {
                    request = #encode(request, #media_type, body)?;
                }
            },
            (true, true) => {
                quote!(request = client_runtime::__private::bytes_body(request, #media_type, body.clone());)
            }
            (false, true) => quote! {
                if let Some(body) = &body {
                    request = client_runtime::__private::bytes_body(request, #media_type, body.clone());
                }
            },
        });
    }
    // A closure the transport calls for each attempt: a resend (a
    // redirect, a challenge, a retry) builds the request again rather than
    // copying one up front.
    let build = if more.is_empty() {
        quote!(Ok(#head))
    } else {
        quote! {
            let mut request = #head;
            #(#more)*
            Ok(request)
        }
    };
    quote! {
        let request = || -> client_runtime::__private::BuiltRequest<_> {
            #build
        };
    }
}

/// The `match` from status to typed result.
fn dispatch(operation: &Operation, index: &TypeIndex<'_>) -> TokenStream {
    let returns = operation.returns();
    let optional = matches!(returns, Returns::OptionalBody(_));
    // A streamed body was returned before the match.
    let streamed = matches!(returns, Returns::Streamed(..));
    // Codes of earlier arms, which a later class leaves out.
    let mut taken: Vec<u16> = Vec::new();
    let mut take = |status: StatusMatch| {
        let pattern = status_pattern_after(&[status], &taken);
        if let StatusMatch::Code(code) = status {
            taken.push(code);
        }
        pattern
    };
    let success_arms: Vec<TokenStream> = operation.success.iter().filter(|_| !streamed).map(|success| {
        let pattern = take(success.status);
        let decode = match (&operation.success_enum, &success.body) {
            (Some(name), body) => {
                let name = format_ident!("{}", name);
                let variant = format_ident!("{}", success.status.variant_name());
                match body {
                    Some(content) if success.boxed => {
                        let decode = decode_body(operation, content, true, index);
                        quote!(#decode.map(|value| value.map(|body| #name::#variant(Box::new(body)))))
                    }
                    Some(content) => {
                        let decode = decode_body(operation, content, true, index);
                        quote!(#decode.map(|value| value.map(#name::#variant)))
                    }
                    None => quote!(client_runtime::__private::decode_empty(response).map(|value| value.map(|()| #name::#variant))),
                }
            }
            (None, Some(content)) if optional => {
                let decode = decode_body(operation, content, true, index);
                quote!(#decode.map(|value| value.map(Some)))
            }
            (None, None) if optional => quote!(client_runtime::__private::decode_empty(response).map(|value| value.map(|()| None))),
            (None, Some(content)) => decode_body(operation, content, false, index),
            (None, None) => quote!(client_runtime::__private::decode_empty(response)),
        };
        quote!(#pattern => #decode,)
    }).collect();
    let errors = match &operation.error_enum {
        // Every status has its own body type: one arm each, wrapped in the enum.
        Some(name) => {
            let name = format_ident!("{}", name);
            let arms: Vec<TokenStream> = operation.errors.iter().map(|error| {
                let pattern = take(error.status);
                let variant = format_ident!("{}", error.status.variant_name());
                let decode = match &error.body {
                    Some(content) if error.boxed => {
                        let media_type = &content.media_type;
                        quote!(client_runtime::__private::decode_error_as(response, #media_type, |body| #name::#variant(Box::new(body))))
                    }
                    Some(content) => {
                        let media_type = &content.media_type;
                        quote!(client_runtime::__private::decode_error_as(response, #media_type, #name::#variant))
                    }
                    None => quote!(client_runtime::__private::error_without_body(response, #name::#variant)),
                };
                quote!(#pattern => #decode,)
            }).collect();
            quote!(#(#arms)*)
        }
        None if operation.errors.is_empty() => quote!(),
        None => {
            let statuses: Vec<StatusMatch> =
                operation.errors.iter().map(|error| error.status).collect();
            let pattern = status_pattern_after(&statuses, &taken);
            let decode = match &operation.errors[0].body {
                Some(content) => {
                    let media_type = &content.media_type;
                    quote!(client_runtime::__private::decode_error(response, #media_type))
                }
                None => quote!(client_runtime::__private::decode_error_empty(response)),
            };
            quote!(#pattern => #decode,)
        }
    };
    // A `default` response already takes every other status.
    let takes_the_rest = operation
        .errors
        .iter()
        .any(|error| error.status == StatusMatch::Default);
    // Nothing but the rest (a streamed success, no declared error): no match.
    if success_arms.is_empty() && operation.errors.is_empty() {
        return quote!(client_runtime::__private::unexpected_status(response));
    }
    // One error body for every status: no match either.
    if success_arms.is_empty() && takes_the_rest && operation.error_enum.is_none() {
        return match &operation.errors[0].body {
            Some(content) => {
                let media_type = &content.media_type;
                quote!(client_runtime::__private::decode_error(response, #media_type))
            }
            None => quote!(client_runtime::__private::decode_error_empty(response)),
        };
    }
    if success_arms.is_empty() && operation.errors.len() == 1 && takes_the_rest {
        let body = match (&operation.error_enum, &operation.errors[0].body) {
            (Some(name), Some(content)) if operation.errors[0].boxed => {
                let name = format_ident!("{}", name);
                let media_type = &content.media_type;
                quote!(client_runtime::__private::decode_error_as(response, #media_type, |body| #name::Other(Box::new(body))))
            }
            (Some(name), Some(content)) => {
                let name = format_ident!("{}", name);
                let media_type = &content.media_type;
                quote!(client_runtime::__private::decode_error_as(response, #media_type, #name::Other))
            }
            (Some(name), None) => {
                let name = format_ident!("{}", name);
                quote!(client_runtime::__private::error_without_body(response, #name::Other))
            }
            (None, Some(content)) => {
                let media_type = &content.media_type;
                quote!(client_runtime::__private::decode_error(response, #media_type))
            }
            (None, None) => quote!(client_runtime::__private::decode_error_empty(response)),
        };
        return body;
    }
    let rest = (!takes_the_rest)
        .then(|| quote!(_ => client_runtime::__private::unexpected_status(response),));
    quote! {
        match response.status.as_u16() {
            #(#success_arms)*
            #errors
            #rest
        }
    }
}

/// An enum with one variant per status, for bodies that differ by status;
/// a large body boxed (`model::sizes`).
fn status_enum(
    name: &str,
    doc: &str,
    statuses: &[(StatusMatch, Option<&Content>, bool)],
    aliases: &mut Aliases,
) -> TokenStream {
    let ident = format_ident!("{}", name);
    let variants = statuses.iter().map(|(status, body, boxed)| {
        let variant = format_ident!("{}", status.variant_name());
        let line = match status {
            StatusMatch::Code(code) => format!(" Status {code}."),
            StatusMatch::Range(range) => format!(" A status from {range}00 to {range}99."),
            StatusMatch::Default => {
                " Any status the operation does not otherwise declare (`default`).".to_owned()
            }
        };
        let place = format!("{name}_{variant}");
        match body {
            Some(content) if *boxed => {
                let ty = aliases.ty(&content.shape, true, &place);
                quote!(#[doc = #line] #variant(Box<#ty>),)
            }
            Some(content) => {
                let ty = aliases.ty(&content.shape, false, &place);
                quote!(#[doc = #line] #variant(#ty),)
            }
            None => quote!(#[doc = #line] #variant,),
        }
    });
    let variants: Vec<TokenStream> = variants.collect();
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #ident {
            #(#variants)*
        }
    }
}

/// The type of the success value: `()`, the one body type (an `Option` when
/// some success statuses have no body), or the per-status enum.
/// The type of the operation's declared error bodies.
fn error_type(operation: &Operation, index: &TypeIndex<'_>) -> TokenStream {
    match (&operation.error_enum, operation.errors.first()) {
        (Some(name), _) => {
            let ident = format_ident!("{}", name);
            quote!(#ident)
        }
        (
            None,
            Some(ErrorResponse {
                body: Some(content),
                ..
            }),
        ) => index.type_tokens(&content.shape),
        (None, _) => quote!(()),
    }
}

/// `pages()` and `stream()` for a paged operation, and `into_static`,
/// which lets the walk own its client.
fn paging_methods(
    operation: &Operation,
    builder: &syn::Ident,
    index: &TypeIndex<'_>,
) -> TokenStream {
    let Some(paging) = &operation.decided.paging else {
        return quote!();
    };
    let page_ty = index.type_tokens(&paging.page);
    let item_ty = index.type_tokens(&paging.item);
    let error_ty = error_type(operation, index);
    // A page's items as a slice (`page` a reference), and taken out of it.
    let (items_of, take, items_name) = match &paging.items {
        Some(items) => {
            let field = format_ident!("{}", items.field);
            let name = format!("`{}`", items.name);
            if items.optional {
                (
                    quote!(page.#field.as_deref().unwrap_or_default()),
                    quote!(|page| page.#field.unwrap_or_default()),
                    name,
                )
            } else {
                (
                    quote!(page.#field.as_slice()),
                    quote!(|page| page.#field),
                    name,
                )
            }
        }
        None => (
            quote!(page.as_slice()),
            quote!(|page| page),
            "the list".to_owned(),
        ),
    };
    let slice = quote!(|page: &#page_ty| #items_of);
    // The parameter the walk sets, and its wire name for the docs.
    let param = |id: &ParamId| {
        let param = operation.param(*id);
        (param_ident(param), param.name.as_str())
    };
    let (walk, how) = match &paging.style {
        PageStyle::Numbered {
            parameter,
            counts,
            start,
            total,
        } => {
            let (setter, parameter) = param(parameter);
            let start_literal = Literal::i64_unsuffixed(*start);
            let (step, step_doc) = match counts {
                Counting::Pages => (quote!(Pages), "one more"),
                Counting::Items => (quote!(Items), "past the items received"),
            };
            let total = match total {
                None => quote!(None),
                Some(total) => {
                    let field = format_ident!("{}", total.field);
                    let read = match (total.optional, total.wide) {
                        (true, true) => quote!(page.#field),
                        (true, false) => quote!(page.#field.map(i64::from)),
                        (false, true) => quote!(Some(page.#field)),
                        (false, false) => quote!(Some(i64::from(page.#field))),
                    };
                    quote!(Some(|page: &#page_ty| #read))
                }
            };
            (
                quote! {
                    let start = builder.#setter.unwrap_or(#start_literal);
                    let rule = client_runtime::__private::PageRule {
                        step: client_runtime::__private::PageStep::#step,
                        items: #slice,
                        total: #total,
                        max_pages: builder.client.transport.max_pages(),
                    };
                    client_runtime::__private::pages(start, rule, move |at| builder.clone().#setter(at).send())
                },
                format!(
                    "starting at `{parameter}` = {start} unless set; `{parameter}` of the next is {step_doc}. The walk ends after the first empty page (yielded only when it is the first), and after an error, which is yielded. It ends with `Error::PageWalk` on a page or an item it has read before, on a total that changes, and before reading more than the client's `max_pages`."
                ),
            )
        }
        PageStyle::Cursor { parameter, next } => {
            let (setter, parameter) = param(parameter);
            cursor_walk(
                &slice,
                &read_next(&page_ty, next),
                &send_cursor(&setter),
                format!(
                    "the first as the builder has it; each next with the cursor the page before gave in `{parameter}`. {CURSOR_END}"
                ),
            )
        }
        PageStyle::LastItem {
            parameter,
            id,
            more,
        } => {
            let (setter, parameter) = param(parameter);
            let id_field = format_ident!("{}", id.field);
            let last = quote!(#items_of.last()?.#id_field.clone());
            let value = if id.optional {
                last
            } else {
                quote!(Some(#last))
            };
            let (stop, until) = match more {
                Some(step) => {
                    let field = format_ident!("{}", step.field);
                    let stop = if step.optional {
                        quote!(if page.#field != Some(true) { return None; })
                    } else {
                        quote!(if !page.#field { return None; })
                    };
                    (stop, "while the page before says more follow")
                }
                None => (quote!(), "until a page is empty"),
            };
            cursor_walk(
                &slice,
                &quote! {
                    |page: &client_runtime::ResponseValue<#page_ty>| -> Option<String> {
                        let page = page.body();
                        #stop
                        #value
                    }
                },
                &send_cursor(&setter),
                format!(
                    "the first as the builder has it; each next with the last item's `{}` in `{parameter}`, {until}. {CURSOR_END}",
                    id.field
                ),
            )
        }
        PageStyle::NextLink { next } => cursor_walk(
            &slice,
            &read_next(&page_ty, next),
            &follow_link(),
            format!(
                "the first as the builder has it; each next at the link the page before gave (only on the base URL's origin: another is `Error::PageWalk`). {CURSOR_END}"
            ),
        ),
        PageStyle::LinkHeader => cursor_walk(
            &slice,
            &quote!(|page: &client_runtime::ResponseValue<#page_ty>| client_runtime::__private::next_link(page.headers())),
            &follow_link(),
            format!(
                "the first as the builder has it; each next at the `Link` header's `rel=\"next\"` of the page before (only on the base URL's origin: another is `Error::PageWalk`). {CURSOR_END}"
            ),
        ),
    };
    // Only names from the spec go in, which are identifiers; `own_doc_attrs` keeps the links.
    let pages_doc = own_doc_attrs(&format!(
        "Each page, as [`{builder}::send`] returns it: {how}\n\nA page is requested only when the stream is read that far. The stream owns what it needs (a clone of the client): it can be returned, stored or spawned."
    ));
    let stream_doc = own_doc_attrs(&format!(
        "Every item of every page ({items_name}), in order, fetching pages as the stream is read; see [`{builder}::pages`] for when the walk ends.\n\nUse `futures::TryStreamExt` (re-exported as `crate::futures`) to read it: `try_next`, `try_collect`."
    ));
    quote! {
        #pages_doc
        pub fn pages(
            self,
        ) -> impl client_runtime::futures::Stream<
            Item = Result<client_runtime::ResponseValue<#page_ty>, client_runtime::Error<#error_ty>>,
        > + Unpin + 'static {
            let builder = self.into_static();
            #walk
        }

        #stream_doc
        pub fn stream(
            self,
        ) -> impl client_runtime::futures::Stream<Item = Result<#item_ty, client_runtime::Error<#error_ty>>> + Unpin + 'static {
            client_runtime::__private::paged_items(self.pages(), #take)
        }

    }
}

/// Whether the builder must be able to own its client (`into_static`):
/// for a walk over pages, or a stream that reconnects.
fn owns_client_later(operation: &Operation) -> bool {
    operation.decided.paging.is_some() || operation.resumable
}

/// `into_static`, for a builder that [`owns_client_later`].
fn into_static_fn(builder: &syn::Ident, fields: &[syn::Ident]) -> TokenStream {
    quote! {
        /// The same request, holding a clone of the client rather than a borrow.
        fn into_static(self) -> #builder<'static> {
            #builder {
                client: self.client.into_shared(),
                #(#fields: self.#fields,)*
            }
        }
    }
}

/// `send_resuming`, for an operation whose server-sent events may be
/// requested again (a GET's).
fn resuming_fn(operation: &Operation, builder: &syn::Ident, aliases: &mut Aliases) -> TokenStream {
    if !operation.resumable {
        return quote!();
    }
    let error_ty = error_type(operation, &aliases.index());
    let Some((_, content)) = streamed_success(operation) else {
        return quote!();
    };
    // `Result<ResponseValue<EventStream<T, E>>, Error<E>>`: clippy's
    // score of what is around `T` is 150.
    let (builder_name, _) = operation_names(operation);
    let base = aliases.base_in(&content.shape, 4, 150, &format!("{builder_name}_events"));
    let item = nullable(&content.shape, base);
    let doc = own_doc_attrs(&format!(
        "Sends the request as [`{builder}::send`] does, then keeps the stream going: when the connection ends or drops, the request is sent again with the last event ID in `Last-Event-ID`, after the server's `retry` time or `reconnect`'s delay. [`Reconnect`](crate::Reconnect) says when the stream ends.\n\nThe stream owns what it needs (a clone of the client): it can be returned, stored or spawned."
    ));
    quote! {
        #doc
        pub async fn send_resuming(
            self,
            reconnect: crate::Reconnect,
        ) -> Result<
            client_runtime::ResponseValue<client_runtime::EventStream<#item, #error_ty>>,
            client_runtime::Error<#error_ty>,
        > {
            let builder = self.into_static();
            let first = builder.clone().send().await?;
            let resend = move |last_id: Option<String>| {
                let mut again = builder.clone();
                again.options = client_runtime::__private::last_event_id(again.options, last_id.as_deref());
                again.send()
            };
            Ok(first.map(|events| client_runtime::__private::resume_events(events, reconnect, resend)))
        }
    }
}

/// The body of `pages()` for a walk by cursor or link, and its docs:
/// `next` reads where the next page is, `fetch` sends for it.
fn cursor_walk(
    slice: &TokenStream,
    next: &TokenStream,
    fetch: &TokenStream,
    doc: String,
) -> (TokenStream, String) {
    (
        quote! {
            let rule = client_runtime::__private::CursorRule {
                items: #slice,
                next: #next,
                max_pages: builder.client.transport.max_pages(),
            };
            client_runtime::__private::cursor_pages(rule, #fetch)
        },
        doc,
    )
}

/// A closure that reads the string at `steps` from a page.
fn read_next(page_ty: &TokenStream, steps: &[FieldStep]) -> TokenStream {
    let read = read_path(steps);
    quote! {
        |page: &client_runtime::ResponseValue<#page_ty>| -> Option<String> {
            let page = page.body();
            #read
        }
    }
}

/// A walk's `fetch` that sends the builder as it is first, then with each
/// cursor it is given set by `setter`.
fn send_cursor(setter: &syn::Ident) -> TokenStream {
    quote! {
        move |cursor| match cursor {
            Some(cursor) => builder.clone().#setter(cursor).send(),
            None => builder.clone().send(),
        }
    }
}

/// A walk's `fetch` that sends the builder again at the link it is given.
fn follow_link() -> TokenStream {
    quote! {
        move |link| {
            let mut next = builder.clone();
            next.followed_link = link;
            next.send()
        }
    }
}

/// How a walk by cursor or link ends, in the docs of `pages`.
const CURSOR_END: &str = "The walk ends after a page that gives no next one (an empty page that gives one does not end it), and after an error, which is yielded. It ends with `Error::PageWalk` on a page or an item it has read before, on a cursor that comes back, and before reading more than the client's `max_pages`.";

/// The string at the end of `steps` from `page`, as an `Option`, with `?`
/// wherever a step before the last is an `Option`.
fn read_path(steps: &[FieldStep]) -> TokenStream {
    let mut expression = quote!(page);
    for (index, step) in steps.iter().enumerate() {
        let field = format_ident!("{}", step.field);
        let last = index + 1 == steps.len();
        expression = match (last, step.optional) {
            (false, false) => quote!(#expression.#field),
            (false, true) => quote!(#expression.#field.as_ref()?),
            (true, false) => quote!(Some(#expression.#field.clone())),
            (true, true) => quote!(#expression.#field.clone()),
        };
    }
    expression
}

/// The one success response, when its body is handed over unread
/// ([`Returns::Streamed`]).
pub(super) fn streamed_success(operation: &Operation) -> Option<(&Success, &Content)> {
    match operation.returns() {
        Returns::Streamed(success, content) => Some((success, content)),
        _ => None,
    }
}

/// The runtime's function that turns a streamed body into typed items.
fn item_reader(items: ItemStream) -> TokenStream {
    match items {
        ItemStream::TextEvents => quote!(client_runtime::__private::text_events),
        ItemStream::JsonEvents => quote!(client_runtime::__private::json_events),
        ItemStream::JsonLines => quote!(client_runtime::__private::json_lines),
        ItemStream::JsonSequence => quote!(client_runtime::__private::json_sequence),
    }
}

/// In `Result<ResponseValue<T>, Error<E>>`, a body type that would make
/// the whole too complex for clippy is an alias.
fn success_type(operation: &Operation, aliases: &mut Aliases) -> TokenStream {
    let (content, always) = match operation.returns() {
        Returns::Streamed(success, content) => {
            return stream_type(operation, success, content, aliases);
        }
        Returns::PerStatus(name) => {
            let ident = format_ident!("{}", name);
            return quote!(#ident);
        }
        Returns::Nothing => return quote!(()),
        Returns::Body(content) => (content, true),
        Returns::OptionalBody(content) => (content, false),
    };
    let (builder, _) = operation_names(operation);
    let place = format!("{builder}_output");
    let (nest, around) = if always { (3, 80) } else { (4, 110) };
    let base = aliases.base_in(&content.shape, nest, around, &place);
    let ty = nullable(&content.shape, base);
    if always { ty } else { quote!(Option<#ty>) }
}

/// `base` as the shape holds it: in an `Option` when it is nullable (a
/// value of any type holds `null` itself).
fn nullable(shape: &Shape, base: TokenStream) -> TokenStream {
    if shape.nullable && shape.ty != TypeRef::Any {
        quote!(Option<#base>)
    } else {
        base
    }
}

/// The type of a body handed over unread: bytes, or a stream of items.
fn stream_type(
    operation: &Operation,
    success: &Success,
    content: &Content,
    aliases: &mut Aliases,
) -> TokenStream {
    let Some(items) = success.items else {
        return quote!(client_runtime::ByteStream);
    };
    let (builder, _) = operation_names(operation);
    let base = aliases.base_in(&content.shape, 4, 110, &format!("{builder}_output"));
    let item = nullable(&content.shape, base);
    match items {
        ItemStream::TextEvents | ItemStream::JsonEvents => {
            quote!(client_runtime::EventStream<#item>)
        }
        ItemStream::JsonLines | ItemStream::JsonSequence => {
            quote!(client_runtime::JsonStream<#item>)
        }
    }
}

/// Decodes a body of `content` from `response`; `typed` names the body type
/// for callers that convert the result, where inference cannot see it.
fn decode_body(
    operation: &Operation,
    content: &Content,
    typed: bool,
    index: &TypeIndex<'_>,
) -> TokenStream {
    let media_type = chosen_media_type(operation, &content.media_type);
    if content.shape.ty == TypeRef::Bytes {
        quote!(client_runtime::__private::decode_bytes(response, #media_type))
    } else if typed {
        let ty = index.type_tokens(&content.shape);
        quote!(client_runtime::__private::decode_json::<#ty, _>(response, #media_type))
    } else {
        quote!(client_runtime::__private::decode_json(response, #media_type))
    }
}

/// `400 | 404 | 500..=599`; classes that touch (`4XX` and `5XX`) become one
/// range, as clippy's `manual_range_patterns` asks.
pub(super) fn status_pattern(statuses: &[StatusMatch]) -> TokenStream {
    status_pattern_after(statuses, &[])
}

/// [`status_pattern`] for an arm after arms that take the codes `taken`:
/// a class leaves them out (`201..=299` after `200`), so that no two arms
/// overlap (clippy's `match_overlapping_arm`).
pub(super) fn status_pattern_after(statuses: &[StatusMatch], taken: &[u16]) -> TokenStream {
    if statuses.contains(&StatusMatch::Default) {
        return quote!(_);
    }
    let mut spans: Vec<(u16, u16, bool)> = Vec::new();
    for status in statuses {
        match status {
            StatusMatch::Code(code) => spans.push((*code, *code, false)),
            StatusMatch::Range(range) => {
                let mut low = range * 100;
                let high = range * 100 + 99;
                let mut inside: Vec<u16> = taken
                    .iter()
                    .copied()
                    .filter(|code| (low..=high).contains(code))
                    .collect();
                inside.sort_unstable();
                inside.push(high + 1);
                for code in inside {
                    if code > low {
                        spans.push((low, code - 1, code - 1 > low));
                    }
                    low = code + 1;
                }
            }
            StatusMatch::Default => spans.push((0, 999, true)),
        }
    }
    spans.sort();
    let mut merged: Vec<(u16, u16, bool)> = Vec::new();
    for (low, high, range) in spans {
        match merged.last_mut() {
            Some(last) if (range || last.2) && low <= last.1 + 1 => {
                last.1 = last.1.max(high);
                last.2 = true;
            }
            _ => merged.push((low, high, range)),
        }
    }
    let alternatives = merged.into_iter().map(|(low, high, range)| {
        let (low_literal, high_literal) =
            (Literal::u16_unsuffixed(low), Literal::u16_unsuffixed(high));
        if range {
            quote!(#low_literal..=#high_literal)
        } else {
            quote!(#low_literal)
        }
    });
    quote!(#(#alternatives)|*)
}
