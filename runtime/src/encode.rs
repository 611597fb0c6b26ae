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

/// Sends `body` as is, declared as `media_type`.
pub fn bytes_body(request: RequestBuilder, media_type: &str, body: bytes::Bytes) -> RequestBuilder {
    request.header(CONTENT_TYPE, media_type).body(body)
}
