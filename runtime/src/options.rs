//! Settings of one call that differ from the client's, as a builder's
//! `options` takes them.

use std::time::Duration;

use reqwest::Request;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::RetryPolicy;

/// The header an idempotency key travels in (the IETF draft
/// `draft-ietf-httpapi-idempotency-key-header`, as Stripe and others name it).
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// Settings for one call, over the client's: give them to an operation's
/// builder with `.options(..)`.
///
/// ```
/// use std::time::Duration;
/// use client_runtime::reqwest::header::{HeaderName, HeaderValue};
/// use client_runtime::{CallOptions, RetryPolicy};
///
/// let options = CallOptions::new()
///     .with_timeout(Duration::from_secs(5))
///     .with_header(HeaderName::from_static("x-request-id"), HeaderValue::from_static("7f3a"))
///     .with_retry(RetryPolicy::disabled())
///     .with_idempotency_key(HeaderValue::from_static("order-1041"));
/// assert_eq!(options.timeout, Some(Duration::from_secs(5)));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct CallOptions {
    /// The call's deadline, waits and retries included, instead of the
    /// client's.
    pub timeout: Option<Duration>,
    /// Headers every attempt carries, over those of the same name the
    /// operation sets. Credentials are added after them.
    pub headers: HeaderMap,
    /// How this call is retried, instead of the client's policy.
    pub retry: Option<RetryPolicy>,
    /// Sent as [`IDEMPOTENCY_KEY`], the same on every attempt: the server
    /// acts on the request once however often it arrives, so the call is
    /// also tried again after a connection failure that a non-idempotent
    /// method would not survive (after a redirect, once the server has
    /// received it). Choose a new key for each distinct request.
    pub idempotency_key: Option<HeaderValue>,
}

impl CallOptions {
    /// No setting of its own: the call is made as the client makes every call.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`timeout`](Self::timeout).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Adds a value of `name` to [`headers`](Self::headers).
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.append(name, value);
        self
    }

    /// Sets [`retry`](Self::retry).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Sets [`idempotency_key`](Self::idempotency_key).
    pub fn with_idempotency_key(mut self, key: HeaderValue) -> Self {
        self.idempotency_key = Some(key);
        self
    }

    /// Puts the headers on one attempt's request.
    pub(crate) fn apply(&self, request: &mut Request) {
        let headers = request.headers_mut();
        let mut previous: Option<&HeaderName> = None;
        // Values of one name come together: the first replaces what the
        // operation set, the others join it.
        for (name, value) in &self.headers {
            if previous != Some(name) {
                headers.remove(name);
                previous = Some(name);
            }
            headers.append(name, value.clone());
        }
        if let Some(key) = &self.idempotency_key {
            headers.insert(IDEMPOTENCY_KEY, key.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use reqwest::Method;
    use reqwest::header::ACCEPT;

    use super::*;

    #[test]
    fn headers_replace_those_of_their_name_and_keep_every_value() {
        let mut request = Request::new(Method::POST, "http://127.0.0.1:1/".parse().unwrap());
        request
            .headers_mut()
            .insert(ACCEPT, HeaderValue::from_static("application/json"));
        let tag = HeaderName::from_static("x-tag");
        CallOptions::new()
            .with_header(ACCEPT, HeaderValue::from_static("text/csv"))
            .with_header(tag.clone(), HeaderValue::from_static("a"))
            .with_header(tag.clone(), HeaderValue::from_static("b"))
            .with_idempotency_key(HeaderValue::from_static("k-1"))
            .apply(&mut request);
        let headers = request.headers();
        assert_eq!(
            headers.get_all(ACCEPT).iter().collect::<Vec<_>>(),
            ["text/csv"]
        );
        assert_eq!(headers.get_all(&tag).iter().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(headers[IDEMPOTENCY_KEY], "k-1");
    }
}
