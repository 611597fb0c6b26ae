//! Responses: as received, and decoded with their status and headers.

use std::ops::Deref;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

/// A response read in full, before decoding.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The status; for an unwrapped envelope, the status inside it.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body; for an unwrapped envelope, its `content`.
    pub body: Bytes,
    /// True when the body was unwrapped from an envelope, whose media type
    /// describes the envelope rather than the content.
    pub enveloped: bool,
    /// The rate limit headers, read under the API's names.
    pub rate_limit: RateLimit,
    /// The property names of the API's types (see
    /// [`ApiDefaults::property_names`](crate::builder::ApiDefaults::property_names)).
    pub property_names: &'static [&'static str],
}

/// The names of an API's rate limit headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitHeaders {
    /// Requests allowed in the current window.
    pub limit: &'static str,
    /// Requests left in the current window.
    pub remaining: &'static str,
}

impl RateLimitHeaders {
    /// The IETF draft's names (draft-ietf-httpapi-ratelimit-headers), the
    /// default when the configuration names no others.
    pub const DRAFT: Self = Self {
        limit: "RateLimit-Limit",
        remaining: "RateLimit-Remaining",
    };
}

/// [`RateLimitHeaders`] parsed once, when the client is built: a look-up
/// by a `&str` would parse the name again for every response.
#[derive(Debug, Clone)]
pub(crate) struct RateLimitNames {
    limit: Option<HeaderName>,
    remaining: Option<HeaderName>,
}

impl RateLimitNames {
    pub(crate) fn new(names: &RateLimitHeaders) -> Self {
        let parse = |name: &str| HeaderName::from_bytes(name.as_bytes()).ok();
        Self {
            limit: parse(names.limit),
            remaining: parse(names.remaining),
        }
    }

    /// What the headers say under these names.
    pub(crate) fn read(&self, headers: &HeaderMap) -> RateLimit {
        // One pass comparing names costs less than hashing each name for
        // the few headers a response has (hyper accepts at most 100).
        let (mut limit, mut remaining) = (None, None);
        for (name, value) in headers {
            if limit.is_none() && self.limit.as_ref() == Some(name) {
                limit = Some(value);
            }
            if remaining.is_none() && self.remaining.as_ref() == Some(name) {
                remaining = Some(value);
            }
        }
        let number = |value: Option<&HeaderValue>| value?.to_str().ok()?.trim().parse().ok();
        RateLimit {
            limit: number(limit),
            remaining: number(remaining),
        }
    }
}

/// What the rate limit headers said.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests allowed in the current window.
    pub limit: Option<u64>,
    /// Requests left in the current window.
    pub remaining: Option<u64>,
}

impl RateLimit {
    /// Rate limit values, as a test double's hooks or a caller's own
    /// bookkeeping would give them.
    pub fn new(limit: Option<u64>, remaining: Option<u64>) -> Self {
        Self { limit, remaining }
    }

    /// Reads the headers under `names`; absent or malformed ones are `None`.
    pub fn read(headers: &HeaderMap, names: &RateLimitHeaders) -> Self {
        let number = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse().ok();
        Self {
            limit: number(names.limit),
            remaining: number(names.remaining),
        }
    }

    /// Reads the headers under the IETF draft's names.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        Self::read(headers, &RateLimitHeaders::DRAFT)
    }
}

/// A typed body with the status and headers it came with.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseValue<T> {
    body: T,
    status: StatusCode,
    headers: HeaderMap,
    rate_limit: RateLimit,
}

impl<T> ResponseValue<T> {
    /// Puts a decoded body together with its status and headers; rate limit
    /// headers are read under the IETF draft's names.
    pub fn new(body: T, status: StatusCode, headers: HeaderMap) -> Self {
        Self {
            rate_limit: RateLimit::from_headers(&headers),
            body,
            status,
            headers,
        }
    }

    /// A body with the status, headers and rate limit it came with.
    pub(crate) fn with_rate_limit(
        body: T,
        status: StatusCode,
        headers: HeaderMap,
        rate_limit: RateLimit,
    ) -> Self {
        Self {
            body,
            status,
            headers,
            rate_limit,
        }
    }

    /// A decoded body with what was received alongside it.
    pub(crate) fn received(body: T, raw: RawResponse) -> Self {
        Self {
            body,
            status: raw.status,
            headers: raw.headers,
            rate_limit: raw.rate_limit,
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
        self.rate_limit
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
        ResponseValue {
            body: convert(self.body),
            status: self.status,
            headers: self.headers,
            rate_limit: self.rate_limit,
        }
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
