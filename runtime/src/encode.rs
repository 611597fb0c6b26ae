//! Putting a typed request body on the wire.

use reqwest::RequestBuilder;
use reqwest::header::CONTENT_TYPE;
use serde::Serialize;

use crate::Error;
use crate::query::{QueryStyle, query_pairs};

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

/// Serializes `body`, an object of any fields (a map), as
/// `application/x-www-form-urlencoded`, each field in the default `form`
/// style (a list one pair per item); anything but an object is
/// [`Error::Serialization`], before sending. Typed structs go field by
/// field through [`FormFields`], in their order and their fields' styles.
pub fn form_body<E, B: Serialize>(
    request: RequestBuilder,
    media_type: &str,
    body: &B,
) -> Result<RequestBuilder, Error<E>> {
    let value = serde_json::to_value(body).map_err(Error::Serialization)?;
    let serde_json::Value::Object(fields) = value else {
        return Err(Error::Serialization(
            <serde_json::Error as serde::ser::Error>::custom(
                "a form body must be an object of fields",
            ),
        ));
    };
    let mut form = FormFields::default();
    for (name, value) in &fields {
        form.pairs
            .extend(query_pairs(name, value, QueryStyle::Form));
    }
    Ok(form.send(request, media_type))
}

/// The pairs of an `application/x-www-form-urlencoded` body, added field
/// by field, each in its `encoding`'s style.
#[derive(Debug, Default)]
pub struct FormFields {
    pairs: Vec<(String, String)>,
}

impl FormFields {
    /// Adds the pairs `style` writes for `value` (`form`, exploded: one
    /// pair per item of a list); `null` adds none.
    pub fn field<E, T: Serialize>(
        &mut self,
        name: &str,
        value: &T,
        style: QueryStyle,
    ) -> Result<(), Error<E>> {
        let value = serde_json::to_value(value).map_err(Error::Serialization)?;
        self.pairs.extend(query_pairs(name, &value, style));
        Ok(())
    }

    /// Sets the body and its `Content-Type`.
    pub fn send(self, request: RequestBuilder, media_type: &str) -> RequestBuilder {
        let mut text = form_urlencoded::Serializer::new(String::new());
        for (name, value) in &self.pairs {
            text.append_pair(name, value);
        }
        request.header(CONTENT_TYPE, media_type).body(text.finish())
    }
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
/// A `format: binary` field as a file part: the file name and media type
/// the value was given, else the field's name and `declared` (the spec's
/// `encoding.contentType`), else `application/octet-stream`. A media type
/// that is not one is [`Error::InvalidRequest`], before sending.
pub fn binary_part<E>(
    name: &str,
    value: &crate::Binary,
    declared: Option<&str>,
) -> Result<reqwest::multipart::Part, Error<E>> {
    let part = reqwest::multipart::Part::bytes(value.as_bytes().to_vec())
        .file_name(value.file_name().unwrap_or(name).to_owned());
    with_media_type(
        name,
        part,
        value
            .media_type()
            .or(declared)
            .unwrap_or("application/octet-stream"),
    )
}

#[cfg(feature = "multipart")]
/// A field as a JSON part of `media_type` (`application/json` unless the
/// spec's `encoding.contentType` says another JSON type): objects and
/// lists by default, as OpenAPI sends them.
pub fn json_part<E, T: Serialize>(
    name: &str,
    value: &T,
    media_type: &str,
) -> Result<reqwest::multipart::Part, Error<E>> {
    let bytes = serde_json::to_vec(value).map_err(Error::Serialization)?;
    with_media_type(name, reqwest::multipart::Part::bytes(bytes), media_type)
}

#[cfg(feature = "multipart")]
/// A field as a text part: `text/plain` unless `media_type` (the spec's
/// `encoding.contentType`) says another.
pub fn text_part<E>(
    name: &str,
    text: String,
    media_type: Option<&str>,
) -> Result<reqwest::multipart::Part, Error<E>> {
    let part = reqwest::multipart::Part::text(text);
    match media_type {
        Some(media_type) => with_media_type(name, part, media_type),
        None => Ok(part),
    }
}

#[cfg(feature = "multipart")]
fn with_media_type<E>(
    name: &str,
    part: reqwest::multipart::Part,
    media_type: &str,
) -> Result<reqwest::multipart::Part, Error<E>> {
    part.mime_str(media_type).map_err(|_| {
        let mut check = crate::Validator::new();
        check.field(name, |v| v.fail(crate::Rule::NotAMediaType));
        Error::InvalidRequest(check.into_errors())
    })
}
