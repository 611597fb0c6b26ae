//! The errors a generated client returns.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::{AuthError, PageWalkError, RateLimit, ResponseValue, ValidationErrors};

/// Why a call did not produce its typed success value.
///
/// `E` is the type of the operation's declared error body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E = ()> {
    /// The inputs broke the spec's constraints; nothing was sent.
    #[error(transparent)]
    InvalidRequest(ValidationErrors),
    /// The request body could not be serialized; nothing was sent.
    #[error("the request body could not be serialized: {0}")]
    Serialization(#[source] serde_json::Error),
    /// Credentials could not be turned into an `Authorization` header.
    #[error("authentication failed: {0}")]
    Auth(#[source] AuthError),
    /// The request could not be sent or the response could not be read.
    #[error("communication with the server failed: {0}")]
    Communication(#[source] reqwest::Error),
    /// A layer added with `ClientBuilder::with_middleware` (feature
    /// `middleware`) failed or refused the request; its error is kept as
    /// the layer made it.
    #[error("a middleware layer failed: {0}")]
    Middleware(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The response body was longer than the client's limit
    /// ([`ClientBuilder::max_response_body`](crate::ClientBuilder::max_response_body));
    /// reading stopped there.
    #[error("the response body (status {status}) is longer than the limit of {limit} bytes")]
    ResponseTooLarge {
        /// The status the server sent.
        status: StatusCode,
        /// The limit in force, in bytes.
        limit: usize,
    },
    /// The call, retries, waits and token requests included, did not finish
    /// within its deadline ([`ClientBuilder::deadline`](crate::ClientBuilder::deadline)).
    #[error("the call did not finish within its deadline of {0:?}")]
    DeadlineExceeded(Duration),
    /// A streamed download ([`ByteStream`](crate::ByteStream)) received
    /// nothing for this long, the timeout of one attempt
    /// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout)).
    #[error("the download stalled: nothing arrived for {0:?}")]
    DownloadStalled(Duration),
    /// One item of a streamed response (an event, a line of JSON Lines) is
    /// longer than the client's limit
    /// ([`ClientBuilder::max_response_body`](crate::ClientBuilder::max_response_body));
    /// the stream ends there, since where the next item starts is lost.
    #[error("an item of the streamed response is longer than the limit of {limit} bytes")]
    StreamItemTooLarge {
        /// The limit in force, in bytes.
        limit: usize,
    },
    /// One item of a streamed response does not decode into the declared
    /// type; the stream goes on with the next item.
    #[error("item {index} of the streamed response does not match the declared schema: {error}")]
    UndecodableItem {
        /// The item's place in the stream, from 0.
        index: u64,
        /// Where and why it did not decode.
        #[source]
        error: DecodeError,
    },
    /// The server answered with an error status the spec declares, and a body of the declared type.
    #[error("the server answered with error status {}", .0.status())]
    ErrorResponse(Box<ResponseValue<E>>),
    /// The server answered in a way the spec does not describe.
    #[error(transparent)]
    UnexpectedResponse(Box<UnexpectedResponse>),
    /// Walking a paged operation, the pages could not be trusted to end (a
    /// page or item seen before, a total that moved, too many pages): the
    /// walk stops rather than never end.
    #[error("the walk over pages stopped: {0}")]
    PageWalk(#[source] PageWalkError),
}

impl<E> Error<E> {
    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::ErrorResponse(response) => Some(response.status()),
            Error::UnexpectedResponse(response) => Some(response.status),
            Error::Communication(error) => error.status(),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The response headers, when a response was received.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::ErrorResponse(response) => Some(response.headers()),
            Error::UnexpectedResponse(response) => Some(&response.headers),
            _ => None,
        }
    }

    /// The rate limit headers, when a response was received.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        match self {
            Error::ErrorResponse(response) => Some(response.rate_limit()),
            Error::UnexpectedResponse(response) => Some(response.rate_limit),
            _ => None,
        }
    }

    /// The decoded error body, for a declared error status.
    pub fn error_body(&self) -> Option<&E> {
        match self {
            Error::ErrorResponse(response) => Some(response.body()),
            _ => None,
        }
    }

    /// True when the request never left the client.
    pub fn is_refused_before_sending(&self) -> bool {
        matches!(self, Error::InvalidRequest(_) | Error::Serialization(_))
    }
}

impl Error {
    /// The same error where `Error<E>` is expected. Errors met while
    /// reading a streamed body have no error body; a declared error status
    /// (never met there) becomes an unexpected response without its body.
    pub(crate) fn with_error_body<E>(self) -> Error<E> {
        match self {
            Error::InvalidRequest(errors) => Error::InvalidRequest(errors),
            Error::Serialization(error) => Error::Serialization(error),
            Error::Auth(error) => Error::Auth(error),
            Error::Communication(error) => Error::Communication(error),
            Error::Middleware(error) => Error::Middleware(error),
            Error::ResponseTooLarge { status, limit } => Error::ResponseTooLarge { status, limit },
            Error::DeadlineExceeded(limit) => Error::DeadlineExceeded(limit),
            Error::DownloadStalled(quiet) => Error::DownloadStalled(quiet),
            Error::StreamItemTooLarge { limit } => Error::StreamItemTooLarge { limit },
            Error::UndecodableItem { index, error } => Error::UndecodableItem { index, error },
            Error::ErrorResponse(response) => {
                Error::UnexpectedResponse(Box::new(UnexpectedResponse {
                    status: response.status(),
                    rate_limit: response.rate_limit(),
                    headers: response.headers().clone(),
                    body: Bytes::new(),
                    kind: UnexpectedResponseKind::UndeclaredStatus,
                }))
            }
            Error::UnexpectedResponse(response) => Error::UnexpectedResponse(response),
            Error::PageWalk(error) => Error::PageWalk(error),
        }
    }
}

impl<E> From<ValidationErrors> for Error<E> {
    fn from(errors: ValidationErrors) -> Self {
        Error::InvalidRequest(errors)
    }
}

/// A response the spec does not describe, kept whole for diagnosis.
///
/// `Debug` shows the body's length, not its content, which may hold secrets.
#[derive(thiserror::Error)]
#[error("unexpected response with status {status}: {kind}")]
#[non_exhaustive]
pub struct UnexpectedResponse {
    /// The status the server sent.
    pub status: StatusCode,
    /// The headers the server sent.
    pub headers: HeaderMap,
    /// The raw body, exactly as received.
    pub body: Bytes,
    /// The rate limit headers, read under the API's names.
    pub rate_limit: RateLimit,
    /// What was unexpected about it.
    #[source]
    pub kind: UnexpectedResponseKind,
}

impl UnexpectedResponse {}

impl fmt::Debug for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnexpectedResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .field("kind", &self.kind)
            .finish()
    }
}

/// What made a response unexpected.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UnexpectedResponseKind {
    /// The status is not declared for the operation.
    #[error("the status is not declared for this operation")]
    UndeclaredStatus,
    /// The `Content-Type` differs from the declared media type.
    #[error("expected content type `{expected}`, got `{actual}`")]
    WrongContentType {
        /// The media type the spec declares for this status (or the one the call chose).
        expected: String,
        /// The `Content-Type` header as received.
        actual: String,
    },
    /// The body does not decode into the declared type.
    #[error("the body does not match the declared schema: {0}")]
    UndecodableBody(#[source] DecodeError),
    /// The call asked for an envelope, and the body is not one: the status
    /// and content it should wrap cannot be known.
    #[error("the body is not an envelope of status and content: {0}")]
    NotAnEnvelope(String),
}

/// Where and why a body did not decode. Quoted values from the body are
/// left out of the message, since the body may hold secrets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message} (line {line}, column {column})", at(path))]
#[non_exhaustive]
pub struct DecodeError {
    /// Where in the body, as `results[2].createdAt`; empty for the whole
    /// body or when unknown. Object keys the API's types do not declare are
    /// written `{…}`, since they come from the body alone.
    pub path: String,
    /// The decoder's message, with string values elided.
    pub message: String,
    /// 1-based line in the body.
    pub line: usize,
    /// 1-based column in the body.
    pub column: usize,
}

impl From<serde_json::Error> for DecodeError {
    fn from(error: serde_json::Error) -> Self {
        let full = error.to_string();
        // serde_json appends " at line L column C"; the fields carry it.
        let message = full
            .rsplit_once(" at line ")
            .map_or(full.as_str(), |(head, _)| head);
        Self {
            path: String::new(),
            message: redact(message),
            line: error.line(),
            column: error.column(),
        }
    }
}

fn at(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("at `{path}`: ")
    }
}

impl DecodeError {
    /// A problem of the whole body rather than of a place in it.
    pub(crate) fn whole_body(message: String) -> Self {
        Self {
            path: String::new(),
            message,
            line: 1,
            column: 1,
        }
    }

    /// `error` located by `path`, quoting only the object keys in `known`
    /// (sorted).
    pub(crate) fn at_path(
        error: serde_json::Error,
        path: &serde_path_to_error::Path,
        known: &[&str],
    ) -> Self {
        use serde_path_to_error::Segment;
        let mut text = String::new();
        for segment in path.iter() {
            match segment {
                Segment::Seq { index } => text.push_str(&format!("[{index}]")),
                Segment::Map { key } | Segment::Enum { variant: key } => {
                    if !text.is_empty() {
                        text.push('.');
                    }
                    if known.binary_search(&key.as_str()).is_ok() {
                        text.push_str(key);
                    } else {
                        text.push_str("{…}");
                    }
                }
                Segment::Unknown => text.push_str(".?"),
            }
        }
        Self {
            path: text,
            ..Self::from(error)
        }
    }
}

/// serde's message without any value taken from the body.
///
/// serde quotes body values in three ways: `string "…"`, escaped as Rust's
/// `{:?}` (so an escaped `\"` does not end it); backticks around numbers
/// and booleans; and raw text in backticks for unknown variants, unknown
/// fields and custom messages, which no scan can delimit. So only known
/// shapes are kept, values elided, and anything else is cut at its first
/// quote. Field names in `missing field` and `duplicate field` come from the
/// generated types, never from the body.
fn redact(message: &str) -> String {
    if message.starts_with("missing field `") || message.starts_with("duplicate field `") {
        return message.to_owned();
    }
    for kind in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(kind) {
            return match unexpected_value(rest) {
                Some((what, expected)) => format!("{kind}{what}{expected}"),
                None => format!("{kind}…"),
            };
        }
    }
    match message.find(['"', '`']) {
        Some(at) => format!("{}…", &message[..at]),
        None => message.to_owned(),
    }
}

const EXPECTED: &str = ", expected ";

/// Splits `string "x", expected y` into `string "…"` and `, expected y`;
/// `None` when the value is not in one of serde's delimited forms.
fn unexpected_value(rest: &str) -> Option<(String, &str)> {
    fn keep_expected(tail: &str) -> &str {
        if tail.starts_with(EXPECTED) { tail } else { "" }
    }
    if let Some(quoted) = rest.strip_prefix("string \"") {
        let mut chars = quoted.char_indices();
        while let Some((at, c)) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => return Some(("string \"…\"".to_owned(), keep_expected(&quoted[at + 1..]))),
                _ => {}
            }
        }
        return None;
    }
    let kind_end = rest.find(EXPECTED).unwrap_or(rest.len());
    let kind = &rest[..kind_end];
    if let Some((word, value)) = kind.split_once(" `") {
        // Numbers and booleans: `integer `5``, `floating point `1.5``, `boolean `true``.
        let number = value.strip_suffix('`')?;
        let plain = number
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'));
        return plain.then(|| (format!("{word} `…`"), keep_expected(&rest[kind_end..])));
    }
    const SHAPES: [&str; 13] = [
        "null",
        "unit value",
        "Option value",
        "newtype struct",
        "sequence",
        "map",
        "enum",
        "unit variant",
        "newtype variant",
        "tuple variant",
        "struct variant",
        "byte array",
        "boolean",
    ];
    SHAPES
        .contains(&kind)
        .then(|| (kind.to_owned(), keep_expected(&rest[kind_end..])))
}

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL does not parse or is not an `http`/`https` URL without query and fragment.
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// Settings that cannot go together, or that the API does not support.
    #[error("{0}")]
    Conflict(String),
    /// The environment variables are incomplete or contradict each other.
    #[error("environment: {0}")]
    Environment(String),
    /// The HTTP client could not be created.
    #[error("the HTTP client could not be created: {0}")]
    Http(#[source] reqwest::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_errors_do_not_quote_the_body() {
        let error = serde_json::from_str::<i32>("\"s3cr3t\"").unwrap_err();
        let decoded = DecodeError::from(error);
        assert!(!decoded.to_string().contains("s3cr3t"), "{decoded}");
        assert!(
            decoded.to_string().contains("invalid type: string \"…\""),
            "{decoded}"
        );
        assert_eq!((decoded.line, decoded.column), (1, 8));
    }

    #[test]
    fn an_escaped_quote_does_not_end_the_elided_value() {
        let body = r#"{"roles":"note \"SECRET-1 and more"}"#;
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Key {
            roles: Vec<String>,
        }
        let error = serde_json::from_str::<Key>(body).unwrap_err();
        let decoded = DecodeError::from(error);
        for text in [decoded.to_string(), format!("{decoded:?}")] {
            assert!(!text.contains("SECRET"), "{text}");
        }
        assert_eq!(
            decoded.message,
            "invalid type: string \"…\", expected a sequence"
        );
    }

    #[test]
    fn known_message_shapes_keep_what_helps_and_lose_values() {
        for (message, redacted) in [
            ("missing field `name`", "missing field `name`"),
            (
                "invalid type: integer `42`, expected a string",
                "invalid type: integer `…`, expected a string",
            ),
            (
                "invalid type: map, expected a string",
                "invalid type: map, expected a string",
            ),
            (
                "invalid value: string \"a\\\"b\", expected one of",
                "invalid value: string \"…\", expected one of",
            ),
            ("unknown variant `x`, expected `A`", "unknown variant …"),
            ("unknown field `x`, expected `a`", "unknown field …"),
            (
                "invalid type: something `odd` here, expected x",
                "invalid type: …",
            ),
            ("invalid type: string \"never closed", "invalid type: …"),
            ("EOF while parsing a string", "EOF while parsing a string"),
        ] {
            assert_eq!(redact(message), redacted, "{message}");
        }
    }

    mod hostile_bodies {
        use super::super::DecodeError;
        use proptest::prelude::*;
        use serde::Deserialize;

        const MARK: &str = "S3CR3T";

        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        enum Closed {
            A,
            B,
        }

        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Strict {
            a: Option<u8>,
        }

        #[derive(Debug, Deserialize)]
        #[serde(untagged)]
        #[allow(dead_code)]
        enum Either {
            Number(u8),
            List(Vec<u8>),
        }

        /// Text rich in what breaks naive scanners: quotes, escapes, backticks, unicode.
        fn noise() -> impl Strategy<Value = String> {
            proptest::collection::vec(
                prop_oneof![
                    Just("\"".to_owned()),
                    Just("\\".to_owned()),
                    Just("`".to_owned()),
                    Just("\\\"".to_owned()),
                    Just(", expected ".to_owned()),
                    Just("é✓\u{1F600}".to_owned()),
                    any::<char>().prop_map(String::from),
                    "[a-z ]{0,4}",
                ],
                0..6,
            )
            .prop_map(|parts| parts.concat())
        }

        /// JSON for a string, with some characters written as `\uXXXX` escapes.
        fn encode(value: &str, escape_every: usize) -> String {
            let mut out = String::from("\"");
            for (i, c) in value.chars().enumerate() {
                if escape_every > 0 && i % escape_every == 0 {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        out.push_str(&format!("\\u{unit:04x}"));
                    }
                } else {
                    let json = serde_json::to_string(&c.to_string()).unwrap();
                    out.push_str(&json[1..json.len() - 1]);
                }
            }
            out.push('"');
            out
        }

        fn errors(body: &str) -> Vec<serde_json::Error> {
            let mut errors = Vec::new();
            errors.extend(serde_json::from_str::<i32>(body).err());
            errors.extend(serde_json::from_str::<Vec<u8>>(body).err());
            errors.extend(serde_json::from_str::<Closed>(body).err());
            errors.extend(serde_json::from_str::<Either>(body).err());
            errors.extend(serde_json::from_str::<Strict>(&format!("{{{body}: 1}}")).err());
            errors.extend(serde_json::from_str::<Strict>(&format!("{{\"a\": {body}}}")).err());
            errors.extend(serde_json::from_str::<Vec<u8>>(&format!("[1, {body}")).err());
            errors.extend(serde_json::from_str::<String>(&body[..body.len() - 1]).err());
            errors
        }

        proptest! {
            #[test]
            fn no_decode_error_shows_a_value_from_the_body(
                before in noise(),
                after in noise(),
                escape_every in 0usize..4,
            ) {
                let value = format!("{before}{MARK}{after}");
                let body = encode(&value, escape_every);
                let errors = errors(&body);
                prop_assert!(!errors.is_empty());
                for error in errors {
                    let decoded = DecodeError::from(error);
                    for text in [decoded.to_string(), format!("{decoded:?}")] {
                        prop_assert!(!text.contains(MARK), "{} in {}", body, text);
                    }
                }
            }
        }
    }

    #[test]
    fn debug_of_an_unexpected_response_shows_the_body_length_only() {
        let response = UnexpectedResponse {
            status: StatusCode::IM_A_TEAPOT,
            headers: HeaderMap::new(),
            body: Bytes::from_static(b"{\"secret\":\"s3cr3t\"}"),
            rate_limit: RateLimit::default(),
            kind: UnexpectedResponseKind::UndeclaredStatus,
        };
        let debug = format!("{response:?}");
        assert!(
            debug.contains("<19 bytes>") && !debug.contains("s3cr3t"),
            "{debug}"
        );
    }
}
