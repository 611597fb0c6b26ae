//! Redirects, followed by the transport itself rather than inside reqwest,
//! so that it knows when a request has reached a server: after a redirect,
//! a connection failure on the next hop no longer means "nothing was sent",
//! and a non-idempotent request must not be sent again.
//!
//! What is followed, and how, is what reqwest (through tower-http) does:
//! 301 and 302 turn a `POST` into a `GET`, 303 turns anything but `HEAD`
//! into a `GET`, 307 and 308 keep the method and body; a `GET` drops the
//! body and its headers.

use reqwest::header::{
    AUTHORIZATION, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, HeaderMap, LOCATION,
    PROXY_AUTHORIZATION, TRANSFER_ENCODING, WWW_AUTHENTICATE,
};
use reqwest::{Method, Request, StatusCode, Url};

/// Redirects one call follows at the most, as reqwest's default policy.
pub(crate) const MAX_REDIRECTS: usize = 10;

/// The request that `status` and its `Location` ask for instead of
/// `previous`, or `None` when the answer is to be returned as it is: not a
/// redirect, no usable `Location`, a scheme other than HTTP(S), or a body
/// that cannot be sent again.
pub(crate) fn next_hop(
    previous: &Request,
    status: StatusCode,
    headers: &HeaderMap,
) -> Option<Request> {
    let (method, keeps_body) = match status {
        StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND if previous.method() == Method::POST => {
            (Method::GET, false)
        }
        StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND => (previous.method().clone(), true),
        StatusCode::SEE_OTHER if previous.method() == Method::HEAD => (Method::HEAD, false),
        StatusCode::SEE_OTHER => (Method::GET, false),
        StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT => {
            (previous.method().clone(), true)
        }
        _ => return None,
    };
    let location = headers.get(LOCATION)?.to_str().ok()?;
    let url = previous.url().join(location).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let mut next = if keeps_body {
        crate::resend::copy(previous)?
    } else {
        let mut next = Request::new(method.clone(), url.clone());
        *next.version_mut() = previous.version();
        *next.timeout_mut() = previous.timeout().copied();
        *next.headers_mut() = previous.headers().clone();
        for name in [
            CONTENT_TYPE,
            CONTENT_LENGTH,
            CONTENT_ENCODING,
            TRANSFER_ENCODING,
        ] {
            next.headers_mut().remove(name);
        }
        next
    };
    *next.method_mut() = method;
    *next.url_mut() = url;
    if !same_origin(previous.url(), next.url()) {
        // The transport adds its credentials per attempt, and only for the
        // API's own origin; these are what else could carry one (reqwest's list).
        for name in [AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION, WWW_AUTHENTICATE] {
            next.headers_mut().remove(name);
        }
    }
    Some(next)
}

/// Same scheme, host and port.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.origin() == b.origin()
}

/// Whether sending the request twice has the effect of sending it once
/// (RFC 9110 §9.2.2), so that it may be sent again after it reached a server.
pub(crate) fn idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn request(method: Method, body: Option<&'static str>) -> Request {
        let mut request = Request::new(method, Url::parse("https://api.test/a/b?x=1").unwrap());
        request
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        request
            .headers_mut()
            .insert(COOKIE, HeaderValue::from_static("session=1"));
        if let Some(body) = body {
            *request.body_mut() = Some(body.into());
        }
        request
    }

    fn location(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn methods_change_as_reqwest_changes_them() {
        let cases = [
            (Method::POST, 301, Method::GET),
            (Method::POST, 302, Method::GET),
            (Method::PATCH, 302, Method::PATCH),
            (Method::POST, 303, Method::GET),
            (Method::HEAD, 303, Method::HEAD),
            (Method::PATCH, 307, Method::PATCH),
            (Method::POST, 308, Method::POST),
        ];
        for (method, status, expected) in cases {
            let previous = request(method.clone(), Some("{}"));
            let status = StatusCode::from_u16(status).unwrap();
            let next = next_hop(&previous, status, &location("/c")).expect("followed");
            assert_eq!(next.method(), expected, "{method} {status}");
            assert_eq!(next.url().as_str(), "https://api.test/c");
            let keeps = expected == method && expected != Method::HEAD;
            assert_eq!(next.body().is_some(), keeps, "{method} {status}");
            assert_eq!(
                next.headers().contains_key(CONTENT_TYPE),
                keeps,
                "{method} {status}"
            );
        }
    }

    #[test]
    fn what_is_not_a_usable_redirect_is_returned_as_it_is() {
        let previous = request(Method::GET, None);
        assert!(next_hop(&previous, StatusCode::NOT_MODIFIED, &location("/c")).is_none());
        assert!(next_hop(&previous, StatusCode::FOUND, &HeaderMap::new()).is_none());
        assert!(
            next_hop(
                &previous,
                StatusCode::FOUND,
                &location("file:///etc/passwd")
            )
            .is_none()
        );
        assert!(next_hop(&previous, StatusCode::FOUND, &location("http://[::1")).is_none());
    }

    #[test]
    fn credentials_stay_with_their_origin() {
        let mut previous = request(Method::GET, None);
        previous
            .headers_mut()
            .insert(AUTHORIZATION, HeaderValue::from_static("Bearer x"));
        let same = next_hop(&previous, StatusCode::FOUND, &location("/c")).unwrap();
        assert!(same.headers().contains_key(COOKIE));
        let other = next_hop(
            &previous,
            StatusCode::FOUND,
            &location("https://other.test/c"),
        )
        .unwrap();
        assert!(!other.headers().contains_key(COOKIE));
        assert!(!other.headers().contains_key(AUTHORIZATION));
        assert!(same_origin(previous.url(), same.url()));
        assert!(!same_origin(previous.url(), other.url()));
    }

    #[test]
    fn only_idempotent_methods_may_be_sent_twice() {
        for method in [
            Method::GET,
            Method::HEAD,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
        ] {
            assert!(idempotent(&method), "{method}");
        }
        for method in [Method::POST, Method::PATCH, Method::CONNECT] {
            assert!(!idempotent(&method), "{method}");
        }
    }
}
