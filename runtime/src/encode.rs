//! Putting a typed request body on the wire.

use reqwest::RequestBuilder;
use reqwest::header::CONTENT_TYPE;
use serde::Serialize;

use crate::Error;

/// Serializes `body` as JSON and declares it as `media_type`.
#[inline]
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

#[cfg(feature = "multipart")]
/// Sends `form` as `multipart/form-data`, encoded by reqwest and held in
/// memory, so that a retry or a Digest challenge can send it again.
pub async fn multipart_body<E>(
    request: RequestBuilder,
    form: reqwest::multipart::Form,
) -> Result<RequestBuilder, Error<E>> {
    use futures::StreamExt;

    let content_type = format!("multipart/form-data; boundary={}", form.boundary());
    let mut stream = std::pin::pin!(form.into_stream());
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        body.extend_from_slice(&chunk.map_err(Error::Communication)?);
    }
    Ok(request.header(CONTENT_TYPE, content_type).body(body))
}

#[cfg(feature = "multipart")]
/// A `format: binary` field as a file part named after its field.
pub fn binary_part(name: &str, value: &crate::Binary) -> reqwest::multipart::Part {
    reqwest::multipart::Part::bytes(value.as_bytes().to_vec())
        .file_name(name.to_owned())
        .mime_str("application/octet-stream")
        .expect("a valid media type")
}

#[cfg(feature = "multipart")]
/// An object or other structured field as a JSON part, as OpenAPI 3.0
/// sends it by default.
pub fn json_part<E, T: Serialize>(value: &T) -> Result<reqwest::multipart::Part, Error<E>> {
    let bytes = serde_json::to_vec(value).map_err(Error::Serialization)?;
    Ok(reqwest::multipart::Part::bytes(bytes)
        .mime_str("application/json")
        .expect("a valid media type"))
}
