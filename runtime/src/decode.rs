//! Turning a received response into the operation's typed result.

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use reqwest::{Response, StatusCode};
use serde::de::DeserializeOwned;

use crate::{Error, ResponseValue, UnexpectedResponse, UnexpectedResponseKind};

/// Decodes a declared success status whose body is JSON of `media_type`.
pub async fn decode_json<T: DeserializeOwned, E>(
    response: Response,
    media_type: &'static str,
) -> Result<ResponseValue<T>, Error<E>> {
    let (status, headers, body) = read(response).await?;
    let unexpected = |kind| {
        Error::UnexpectedResponse(Box::new(UnexpectedResponse {
            status,
            headers: headers.clone(),
            body: body.clone(),
            kind,
        }))
    };
    if let Some(actual) = content_type(&headers)
        && !same_media_type(&actual, media_type)
    {
        return Err(unexpected(UnexpectedResponseKind::WrongContentType {
            expected: media_type,
            actual,
        }));
    }
    match serde_json::from_slice(&body) {
        Ok(value) => Ok(ResponseValue::new(value, status, headers)),
        Err(error) => Err(unexpected(UnexpectedResponseKind::UndecodableBody(error))),
    }
}

/// Decodes a declared error status into [`Error::ErrorResponse`].
pub async fn decode_error<T, E: DeserializeOwned>(
    response: Response,
    media_type: &'static str,
) -> Result<T, Error<E>> {
    Err(match decode_json::<E, E>(response, media_type).await {
        Ok(value) => Error::ErrorResponse(Box::new(value)),
        Err(error) => error,
    })
}

/// A declared error status without a body: [`Error::ErrorResponse`] with `()`.
pub async fn decode_error_empty<T>(response: Response) -> Result<T, Error<()>> {
    let (status, headers, _) = read(response).await?;
    Err(Error::ErrorResponse(Box::new(ResponseValue::new(
        (),
        status,
        headers,
    ))))
}

/// A declared success status without a body; whatever was sent is read and dropped.
pub async fn decode_empty<E>(response: Response) -> Result<ResponseValue<()>, Error<E>> {
    let (status, headers, _) = read(response).await?;
    Ok(ResponseValue::new((), status, headers))
}

/// A status the operation does not declare.
pub async fn unexpected_status<T, E>(response: Response) -> Result<T, Error<E>> {
    let (status, headers, body) = read(response).await?;
    Err(Error::UnexpectedResponse(Box::new(UnexpectedResponse {
        status,
        headers,
        body,
        kind: UnexpectedResponseKind::UndeclaredStatus,
    })))
}

async fn read<E>(response: Response) -> Result<(StatusCode, HeaderMap, Bytes), Error<E>> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(Error::Communication)?;
    Ok((status, headers, body))
}

/// The `Content-Type` header; an absent one is accepted, as many servers omit it.
fn content_type(headers: &HeaderMap) -> Option<String> {
    headers
        .get(CONTENT_TYPE)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
}

/// Compares media types without parameters (`; charset=utf-8`) and case.
fn same_media_type(actual: &str, expected: &str) -> bool {
    let essence = actual.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case(expected)
}

#[cfg(test)]
mod tests {
    use super::same_media_type;

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
