//! The runtime shared by every client crate that `openapi-clientgen` generates.
//!
//! Generated code stays small and readable because everything that does not
//! depend on the spec lives here: the HTTP transport and its builder,
//! authentication, retries, request validation, response decoding, and the
//! error and response types users see. It is hand-written and tested on its
//! own, like the AWS SDK's smithy runtime.

mod auth;
mod binary;
mod body;
mod builder;
mod client_ref;
mod cookie;
mod decode;
#[cfg(feature = "__conformance")]
mod describe;
mod download;
mod encode;
mod env;
mod error;
mod events;
#[cfg(feature = "chrono")]
mod formats;
mod hooks;
mod json_stream;
mod link;
#[cfg(feature = "mock")]
pub mod mock;
mod object;
mod options;
mod paginate;
mod path;
#[cfg(feature = "patterns")]
mod pattern;
mod query;
mod records;
mod redact;
mod redirect;
mod resend;
mod response;
mod retry;
mod secret;
mod transport;
mod union;
mod validate;

// The user API: what a generated crate's users name, which every generated
// crate re-exports (`exports`).
pub use auth::AuthError;
pub use binary::Binary;
pub use body::DEFAULT_MAX_RESPONSE_BODY;
pub use builder::{
    ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_DEADLINE, DEFAULT_DOWNLOAD_TIMEOUT,
    DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT,
};
pub use download::ByteStream;
pub use error::{BuildError, DecodeError, Error, UnexpectedResponse, UnexpectedResponseKind};
pub use events::{Event, EventStream, Reconnect};
pub use hooks::{Attempt, Hooks, Received};
pub use json_stream::JsonStream;
pub use options::{CallOptions, IDEMPOTENCY_KEY};
pub use paginate::PageWalkError;
pub use response::{RateLimit, ResponseValue};
pub use retry::RetryPolicy;
pub use secret::{REDACTED, Secret};
pub use transport::{OperationInfo, Security};
pub use validate::{Rule, Validate, ValidationErrors, Validator, Violation};

/// What only generated code calls: the transport and its settings,
/// encoding and decoding, the written-out serde impls' helpers, query
/// styles, page walks, patterns. Hidden from the docs, since users never
/// name it, but under the same semver promise as the rest: a crate that a
/// generator of release 0.N wrote builds against every later 0.N runtime
/// (docs/COMPATIBILITY.md; `codegen/tests/compat.rs` holds us to it).
#[doc(hidden)]
pub mod __private {
    pub use crate::__object_impls as object;
    pub use crate::builder::{
        ApiDefaults, ApiKeyLocation, ApiKeyPlace, EnvelopeFields, SchemeKind, SecurityScheme,
    };
    pub use crate::client_ref::ClientRef;
    pub use crate::cookie::Cookies;
    pub use crate::decode::{
        decode_bytes, decode_empty, decode_error, decode_error_as, decode_error_empty, decode_json,
        error_without_body, unexpected_status,
    };
    #[cfg(feature = "__conformance")]
    pub use crate::describe::{
        CallFuture, OperationEntry, Outcome, Refusal, TypeEntry, input, items_outcome, json,
        outcome, stream_outcome,
    };
    pub use crate::encode::{FormFields, bytes_body, form_body, json_body};
    #[cfg(feature = "multipart")]
    pub use crate::encode::{binary_part, json_part, multipart_body, multipart_form, text_part};
    pub use crate::env::{EnvNames, SchemeVariables};
    pub use crate::events::{json_events, last_event_id, resume_events, text_events};
    #[cfg(feature = "chrono")]
    pub use crate::formats::date_time_text;
    pub use crate::json_stream::{json_lines, json_sequence};
    pub use crate::link::next_link;
    #[cfg(feature = "schemars")]
    pub use crate::object::field_schema;
    pub use crate::object::{
        FieldName, as_response, optional, read_field, read_only, read_only_required, required,
        required_field, skip_field,
    };
    pub use crate::paginate::{CursorRule, PageRule, PageStep, cursor_pages, paged_items, pages};
    pub use crate::path::{encode_path_list, encode_path_segment, encode_path_text};
    #[cfg(feature = "patterns")]
    pub use crate::pattern::Pattern;
    pub use crate::query::{
        QueryStyle, header_param, path_value, query_pairs, query_param, simple_text,
    };
    pub use crate::response::{RateLimitHeaders, RawResponse};
    pub use crate::transport::{BuildRequest, BuiltRequest, Streamed, Transport};
    pub use crate::union::UnionDecoder;
    #[cfg(feature = "schemars")]
    pub use schemars;
    pub use serde;
    pub use serde_json;
}

/// What every generated crate re-exports at its root, for its users: the
/// runtime decides, so a new public type reaches every crate at its next regen.
pub mod exports {
    pub use crate::{
        Attempt, AuthError, Binary, BuildError, ByteStream, CallOptions, DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_DEADLINE, DEFAULT_DOWNLOAD_TIMEOUT, DEFAULT_MAX_PAGES, DEFAULT_MAX_RESPONSE_BODY,
        DEFAULT_TIMEOUT, DecodeError, Error, Event, EventStream, Hooks, IDEMPOTENCY_KEY,
        JsonStream, OperationInfo, PageWalkError, RateLimit, Received, Reconnect, ResponseValue,
        RetryPolicy, Rule, Secret, Security, UnexpectedResponse, UnexpectedResponseKind, Validate,
        ValidationErrors, Validator, Violation,
    };
    /// The types of `date-time` and `date` values, so that callers build them
    /// with the version the crate was compiled with.
    #[cfg(feature = "chrono")]
    pub use chrono;
    /// `Stream` and its extension traits, for the `stream()` and `pages()`
    /// of paged operations.
    pub use futures;
    /// The HTTP library, so that [`Hooks`] name its `Request` without a dependency of their own.
    pub use reqwest;
    /// The layers' library (feature `middleware`), so that layers are
    /// written against the version the crate was compiled with.
    #[cfg(feature = "middleware")]
    pub use reqwest_middleware;
    /// The type of `uuid` values.
    #[cfg(feature = "uuid")]
    pub use uuid;
}

/// Re-exported so that generated crates and their users name one version.
pub use bytes;
/// Date types of `date-time` and `date` values, so that generated crates and
/// their users share one version.
#[cfg(feature = "chrono")]
pub use chrono;
/// Re-exported so that generated crates and their users name one version.
pub use futures;
/// Re-exported so that generated crates and their users name one version.
pub use reqwest;
/// The type of `uuid` values.
#[cfg(feature = "uuid")]
pub use uuid;
