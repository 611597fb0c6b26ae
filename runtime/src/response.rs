//! Responses: as received, and decoded with their status and headers.

use std::ops::Deref;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// A response read in full, before decoding.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The status; for an unwrapped envelope, the status inside it.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body; for an unwrapped envelope, its `content`.
    pub body: Bytes,
    /// True when the body was unwrapped from an `{"status", "content"}` envelope,
    /// whose media type describes the envelope rather than the content.
    pub enveloped: bool,
}

/// The `RateLimit-Limit` and `RateLimit-Remaining` headers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed in the current window.
    pub limit: Option<u64>,
    /// Requests left in the current window.
    pub remaining: Option<u64>,
}

impl RateLimit {
    /// Reads the headers; absent or malformed ones are `None`.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let number = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse().ok();
        Self {
            limit: number("RateLimit-Limit"),
            remaining: number("RateLimit-Remaining"),
        }
    }
}

/// A typed body with the status and headers it came with.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseValue<T> {
    body: T,
    status: StatusCode,
    headers: HeaderMap,
}

impl<T> ResponseValue<T> {
    /// Puts a decoded body together with its status and headers.
    pub fn new(body: T, status: StatusCode, headers: HeaderMap) -> Self {
        Self {
            body,
            status,
            headers,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The rate limit headers.
    pub fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(&self.headers)
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, dropping status and headers.
    pub fn into_inner(self) -> T {
        self.body
    }

    /// The same response with its body converted.
    pub fn map<U>(self, convert: impl FnOnce(T) -> U) -> ResponseValue<U> {
        ResponseValue::new(convert(self.body), self.status, self.headers)
    }

    /// Body, status and headers, by value.
    pub fn into_parts(self) -> (T, StatusCode, HeaderMap) {
        (self.body, self.status, self.headers)
    }
}

impl<T> Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_headers_are_read() {
        let mut headers = HeaderMap::new();
        headers.insert("ratelimit-limit", "100".parse().unwrap());
        headers.insert("RateLimit-Remaining", " 7 ".parse().unwrap());
        assert_eq!(
            RateLimit::from_headers(&headers),
            RateLimit {
                limit: Some(100),
                remaining: Some(7)
            }
        );
        headers.insert("RateLimit-Remaining", "many".parse().unwrap());
        assert_eq!(RateLimit::from_headers(&headers).remaining, None);
    }
}
