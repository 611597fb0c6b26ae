//! The errors a generated client returns.

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::{ResponseValue, ValidationErrors};

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
            Error::InvalidRequest(_) | Error::Serialization(_) => None,
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

impl<E> From<ValidationErrors> for Error<E> {
    fn from(errors: ValidationErrors) -> Self {
        Error::InvalidRequest(errors)
    }
}

/// A response the spec does not describe, kept whole for diagnosis.
#[derive(Debug, thiserror::Error)]
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
        /// The media type the spec declares for this status.
        expected: &'static str,
        /// The `Content-Type` header as received.
        actual: String,
    },
    /// The body does not decode into the declared type.
    #[error("the body does not match the declared schema: {0}")]
    UndecodableBody(#[source] serde_json::Error),
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
    /// The HTTP client could not be created.
    #[error("the HTTP client could not be created: {0}")]
    Http(#[source] reqwest::Error),
}
