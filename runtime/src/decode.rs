//! Turning a received response into the operation's typed result.

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use serde::de::DeserializeOwned;

use crate::response::RawResponse;
use crate::{DecodeError, Error, ResponseValue, UnexpectedResponse, UnexpectedResponseKind};

/// Decodes a declared success status whose body is JSON of `media_type`,
/// or, when `media_type` is `text/*`, its text (`T` is then `String`).
pub fn decode_json<T: DeserializeOwned, E>(
    response: RawResponse,
    media_type: &str,
) -> Result<ResponseValue<T>, Error<E>> {
    if !response.enveloped
        && let Some(actual) = other_media_type(&response.headers, media_type)
    {
        return Err(unexpected(
            response,
            UnexpectedResponseKind::WrongContentType {
                expected: media_type.to_owned(),
                actual,
            },
        ));
    }
    let value = if !response.enveloped && is_text(media_type) {
        text(&response.headers, &response.body).and_then(|text| {
            T::deserialize(serde::de::value::StringDeserializer::<
                serde::de::value::Error,
            >::new(text))
            .map_err(|error| DecodeError::whole_body(error.to_string()))
        })
    } else {
        parse(&response.body, response.property_names)
    };
    match value {
        Ok(value) => Ok(ResponseValue::received(value, response)),
        Err(error) => Err(unexpected(
            response,
            UnexpectedResponseKind::UndecodableBody(error),
        )),
    }
}

/// Whether `media_type` is `text/*`.
fn is_text(media_type: &str) -> bool {
    media_type
        .get(..5)
        .is_some_and(|start| start.eq_ignore_ascii_case("text/"))
}

/// A text body as the charset of its `Content-Type` says (UTF-8 when it
/// names none), without replacing what does not decode.
fn text(headers: &HeaderMap, body: &[u8]) -> Result<String, DecodeError> {
    // `mime` reads parameters as RFC 9110 writes them, quoted ones too.
    let charset = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<mime::Mime>().ok())
        .and_then(|media| media.get_param(mime::CHARSET).map(|name| name.to_string()));
    let encoding = match &charset {
        Some(label) => encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
            // The label is the server's text: quoted only when it looks like one.
            let named = label.len() <= 40
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c));
            DecodeError::whole_body(if named {
                format!("the body's charset {label:?} is not one the client knows")
            } else {
                "the body's charset is not one the client knows".to_owned()
            })
        })?,
        None => encoding_rs::UTF_8,
    };
    encoding
        .decode_without_bom_handling_and_without_replacement(body)
        .map(|text| text.into_owned())
        .ok_or_else(|| {
            DecodeError::whole_body(format!("the body is not valid {}", encoding.name()))
        })
}

/// `serde_json::from_slice`, with the failing field's path.
pub(crate) fn parse<T: DeserializeOwned>(body: &[u8], known: &[&str]) -> Result<T, DecodeError> {
    // Tracking the path costs every value a step; a body that decodes
    // needs none, and one that does not is decoded again to find it.
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let mut track = serde_path_to_error::Track::new();
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = T::deserialize(serde_path_to_error::Deserializer::new(
        &mut deserializer,
        &mut track,
    ))
    .map_err(|error| DecodeError::at_path(error, &track.path(), known))?;
    // Trailing characters, as `from_slice` refuses them.
    deserializer.end()?;
    Ok(value)
}

/// A declared success status whose body is not JSON (gzip, csv): the bytes as received.
pub fn decode_bytes<E>(
    response: RawResponse,
    media_type: &str,
) -> Result<ResponseValue<Bytes>, Error<E>> {
    if let Some(actual) = other_media_type(&response.headers, media_type) {
        return Err(unexpected(
            response,
            UnexpectedResponseKind::WrongContentType {
                expected: media_type.to_owned(),
                actual,
            },
        ));
    }
    let body = response.body.clone();
    Ok(ResponseValue::received(body, response))
}

/// Decodes a declared error status into [`Error::ErrorResponse`].
pub fn decode_error<T, E: DeserializeOwned>(
    response: RawResponse,
    media_type: &str,
) -> Result<T, Error<E>> {
    Err(match decode_json::<E, E>(response, media_type) {
        Ok(value) => Error::ErrorResponse(Box::new(value)),
        Err(error) => error,
    })
}

/// Decodes one of several declared error statuses into its variant of the
/// operation's error enum.
pub fn decode_error_as<T, B: DeserializeOwned, E>(
    response: RawResponse,
    media_type: &str,
    variant: impl FnOnce(B) -> E,
) -> Result<T, Error<E>> {
    Err(match decode_json::<B, E>(response, media_type) {
        Ok(value) => Error::ErrorResponse(Box::new(value.map(variant))),
        Err(error) => error,
    })
}

/// One of several declared error statuses, without a body.
pub fn error_without_body<T, E>(response: RawResponse, variant: E) -> Result<T, Error<E>> {
    Err(Error::ErrorResponse(Box::new(ResponseValue::received(
        variant, response,
    ))))
}

/// A declared error status without a body: [`Error::ErrorResponse`] with `()`.
pub fn decode_error_empty<T>(response: RawResponse) -> Result<T, Error<()>> {
    Err(Error::ErrorResponse(Box::new(ResponseValue::received(
        (),
        response,
    ))))
}

/// A declared success status without a body; whatever was sent is dropped.
pub fn decode_empty<E>(response: RawResponse) -> Result<ResponseValue<()>, Error<E>> {
    Ok(ResponseValue::received((), response))
}

/// A status the operation does not declare.
pub fn unexpected_status<T, E>(response: RawResponse) -> Result<T, Error<E>> {
    Err(unexpected(
        response,
        UnexpectedResponseKind::UndeclaredStatus,
    ))
}

fn unexpected<E>(response: RawResponse, kind: UnexpectedResponseKind) -> Error<E> {
    Error::UnexpectedResponse(Box::new(UnexpectedResponse {
        status: response.status,
        headers: response.headers,
        body: response.body,
        rate_limit: response.rate_limit,
        kind,
    }))
}

/// The `Content-Type`, when there is one and it is not `expected`; an
/// absent one is accepted, as many servers omit it.
pub(crate) fn other_media_type(headers: &HeaderMap, expected: &str) -> Option<String> {
    let value = headers.get(CONTENT_TYPE)?;
    // Most servers send exactly the declared type: no parsing then.
    if value.as_bytes() == expected.as_bytes() {
        return None;
    }
    let actual = String::from_utf8_lossy(value.as_bytes());
    (!same_media_type(&actual, expected)).then(|| actual.into_owned())
}

/// Compares media types without parameters (`; charset=utf-8`) and case.
pub(crate) fn same_media_type(actual: &str, expected: &str) -> bool {
    let parsed = actual.parse::<mime::Mime>().ok();
    let essence = parsed
        .as_ref()
        .map_or(actual.trim(), mime::Mime::essence_str);
    // A declared range (`*/*`, `text/*`) takes any type it covers.
    match expected.strip_suffix('*') {
        Some(prefix) => essence
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix)),
        None => essence.eq_ignore_ascii_case(expected),
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};

    use super::{same_media_type, text};

    fn typed(content_type: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap());
        headers
    }

    #[test]
    fn text_is_decoded_by_its_charset_and_never_replaced() {
        assert_eq!(
            text(&typed("text/plain"), "café".as_bytes()).unwrap(),
            "café"
        );
        assert_eq!(
            text(&typed("text/csv; charset=\"ISO-8859-1\""), b"caf\xe9").unwrap(),
            "café"
        );
        let invalid = text(&typed("text/plain; charset=utf-8"), b"caf\xe9").unwrap_err();
        assert!(invalid.message.contains("not valid UTF-8"), "{invalid}");
        let unknown = text(&typed("text/plain; charset=klingon"), b"x").unwrap_err();
        assert!(unknown.message.contains("\"klingon\""), "{unknown}");
        let hostile = text(&typed("text/plain; charset=\"a secret; b\""), b"x").unwrap_err();
        assert!(!hostile.message.contains("secret"), "{hostile}");
    }

    #[test]
    fn media_types_compare_without_parameters_and_case() {
        assert!(same_media_type("application/json", "application/json"));
        assert!(same_media_type(
            "Application/JSON; charset=utf-8",
            "application/json"
        ));
        assert!(same_media_type(
            "application/vnd.atlas.preview+json;charset=utf-8",
            "application/vnd.atlas.preview+json"
        ));
        assert!(!same_media_type(
            "application/json",
            "application/vnd.atlas.preview+json"
        ));
        assert!(!same_media_type("text/html", "application/json"));
    }
}
