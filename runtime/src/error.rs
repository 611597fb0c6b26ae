//! The errors a generated client returns.

use std::fmt;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::{AuthError, RateLimit, ResponseValue, ValidationErrors};

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
    /// The server answered with an error status the spec declares, and a body of the declared type.
    #[error("the server answered with error status {}", .0.status())]
    ErrorResponse(Box<ResponseValue<E>>),
    /// The server answered in a way the spec does not describe.
    #[error(transparent)]
    UnexpectedResponse(Box<UnexpectedResponse>),
}

impl<E> Error<E> {
    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::ErrorResponse(response) => Some(response.status()),
            Error::UnexpectedResponse(response) => Some(response.status),
            Error::Communication(error) => error.status(),
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
        self.headers().map(RateLimit::from_headers)
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
pub struct UnexpectedResponse {
    /// The status the server sent.
    pub status: StatusCode,
    /// The headers the server sent.
    pub headers: HeaderMap,
    /// The raw body, exactly as received.
    pub body: Bytes,
    /// What was unexpected about it.
    #[source]
    pub kind: UnexpectedResponseKind,
}

impl UnexpectedResponse {
    /// The rate limit headers.
    pub fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(&self.headers)
    }
}

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
}

/// Where and why a body did not decode. Quoted values from the body are
/// left out of the message, since the body may hold secrets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (line {line}, column {column})")]
pub struct DecodeError {
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
            message: elide_quoted(message),
            line: error.line(),
            column: error.column(),
        }
    }
}

/// `invalid type: string "s3cr3t", expected i32` becomes `invalid type: string "…", expected i32`.
fn elide_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut inside = false;
    for c in message.chars() {
        if c == '"' {
            if inside {
                out.push('…');
            }
            inside = !inside;
            out.push(c);
        } else if !inside {
            out.push(c);
        }
    }
    out
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
    fn debug_of_an_unexpected_response_shows_the_body_length_only() {
        let response = UnexpectedResponse {
            status: StatusCode::IM_A_TEAPOT,
            headers: HeaderMap::new(),
            body: Bytes::from_static(b"{\"secret\":\"s3cr3t\"}"),
            kind: UnexpectedResponseKind::UndeclaredStatus,
        };
        let debug = format!("{response:?}");
        assert!(
            debug.contains("<19 bytes>") && !debug.contains("s3cr3t"),
            "{debug}"
        );
    }
}
