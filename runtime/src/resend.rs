//! Copies of a request, for sending it again: after a redirect, an
//! authentication challenge or a retry.

use reqwest::{Body, Request};

/// Bodies up to this size are copied; larger ones are shared.
const COPIED_BODY: usize = 64 * 1024;

/// A copy of `request`, or `None` when its body is a stream, which cannot
/// be sent twice.
///
/// reqwest's `Request::try_clone` allocates a map for the timeout even when
/// there is none, and converts the body's buffer into a shared one: six
/// allocations for a small JSON request, where this makes four. Only the
/// timeout lives in a request's extensions (reqwest 0.13), so nothing else
/// is lost; a large body is still shared rather than copied.
pub(crate) fn copy(request: &Request) -> Option<Request> {
    let body = match request.body() {
        None => None,
        Some(body) => match body.as_bytes() {
            Some(bytes) if bytes.len() <= COPIED_BODY => Some(Body::from(bytes.to_vec())),
            _ => return request.try_clone(),
        },
    };
    let mut copy = Request::new(request.method().clone(), request.url().clone());
    *copy.headers_mut() = request.headers().clone();
    *copy.version_mut() = request.version();
    if let Some(timeout) = request.timeout() {
        *copy.timeout_mut() = Some(*timeout);
    }
    *copy.body_mut() = body;
    Some(copy)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use reqwest::header::{ACCEPT, HeaderValue};
    use reqwest::{Method, Version};

    use super::*;

    fn request(body: Option<Body>, timeout: Option<Duration>) -> Request {
        let mut request = Request::new(Method::PATCH, "http://127.0.0.1:1/a?b=c".parse().unwrap());
        request
            .headers_mut()
            .insert(ACCEPT, HeaderValue::from_static("application/json"));
        *request.version_mut() = Version::HTTP_10;
        *request.timeout_mut() = timeout;
        *request.body_mut() = body;
        request
    }

    fn same(a: &Request, b: &Request) {
        assert_eq!(a.method(), b.method());
        assert_eq!(a.url(), b.url());
        assert_eq!(a.headers(), b.headers());
        assert_eq!(a.version(), b.version());
        assert_eq!(a.timeout(), b.timeout());
        assert_eq!(
            a.body().map(|body| body.as_bytes()),
            b.body().map(|body| body.as_bytes())
        );
    }

    #[test]
    fn a_copy_is_the_request_reqwest_would_clone() {
        let large = vec![b'x'; COPIED_BODY + 1];
        for original in [
            request(None, None),
            request(Some(Body::from("{}")), Some(Duration::from_secs(3))),
            request(Some(Body::from(Vec::new())), None),
            request(Some(Body::from(large)), Some(Duration::from_millis(1))),
        ] {
            let copy = copy(&original).expect("a body in memory");
            same(&copy, &original);
            same(&copy, &original.try_clone().expect("reqwest clones it"));
        }
    }

    /// A multipart form is the one streamed body the runtime makes.
    #[cfg(feature = "multipart")]
    #[test]
    fn a_streamed_body_is_not_copied() {
        let original = reqwest::Client::new()
            .post("http://127.0.0.1:1/")
            .multipart(reqwest::multipart::Form::new().text("a", "b"))
            .build()
            .expect("a request");
        assert!(copy(&original).is_none());
    }
}
