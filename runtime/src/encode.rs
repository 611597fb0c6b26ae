//! Putting a typed request body on the wire.

use reqwest::RequestBuilder;
use reqwest::header::CONTENT_TYPE;
use serde::Serialize;

use crate::Error;

/// Serializes `body` as JSON and declares it as `media_type`.
pub fn json_body<E, B: Serialize>(
    request: RequestBuilder,
    media_type: &str,
    body: &B,
) -> Result<RequestBuilder, Error<E>> {
    let bytes = serde_json::to_vec(body).map_err(Error::Serialization)?;
    Ok(request.header(CONTENT_TYPE, media_type).body(bytes))
}

/// Serializes `body` as `application/x-www-form-urlencoded`; a value a form
/// cannot hold (a nested object) is [`Error::Serialization`], before sending.
pub fn form_body<E, B: Serialize>(
    request: RequestBuilder,
    media_type: &str,
    body: &B,
) -> Result<RequestBuilder, Error<E>> {
    let text = serde_urlencoded::to_string(body).map_err(|error| {
        Error::Serialization(<serde_json::Error as serde::ser::Error>::custom(error))
    })?;
    Ok(request.header(CONTENT_TYPE, media_type).body(text))
}

/// Sends `body` as is, declared as `media_type`.
pub fn bytes_body(request: RequestBuilder, media_type: &str, body: bytes::Bytes) -> RequestBuilder {
    request.header(CONTENT_TYPE, media_type).body(body)
}
