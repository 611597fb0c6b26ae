//! Credentials sent as they are with every request: a Bearer token, HTTP
//! Basic, or an API key in a header, a query parameter or a cookie.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::Request;
use reqwest::header::{AUTHORIZATION, COOKIE, HeaderName, HeaderValue};

use super::AuthError;
use crate::Secret;
use crate::builder::{ApiKeyLocation, ApiKeyPlace};
use crate::redact::Redactor;

/// One kind of static credentials, with what redacts them from server text.
pub(crate) struct StaticAuth {
    kind: Kind,
    /// Every form in which these credentials are sent.
    pub(crate) echoes: Redactor,
}

enum Kind {
    Bearer(Secret),
    Basic(Secret),
    ApiKey(ApiKeyPlace, Secret),
}

impl StaticAuth {
    pub(crate) fn bearer(token: Secret) -> Self {
        let echoes = Redactor::default().secret(token.expose());
        Self {
            kind: Kind::Bearer(token),
            echoes,
        }
    }

    pub(crate) fn basic(user: &str, password: Secret) -> Self {
        let echoes = Redactor::default()
            .secret(password.expose())
            .basic(user, password.expose());
        // The header value, made once: `Basic base64(user:password)`.
        let encoded = Secret::new(format!(
            "Basic {}",
            STANDARD.encode(format!("{user}:{}", password.expose()))
        ));
        Self {
            kind: Kind::Basic(encoded),
            echoes,
        }
    }

    pub(crate) fn api_key(place: ApiKeyPlace, key: Secret) -> Self {
        let echoes = Redactor::default().secret(key.expose());
        Self {
            kind: Kind::ApiKey(place, key),
            echoes,
        }
    }

    /// Whether the credentials travel in the URL, where reqwest's errors
    /// would show them.
    pub(crate) fn in_url(&self) -> bool {
        matches!(
            self.kind,
            Kind::ApiKey(
                ApiKeyPlace {
                    location: ApiKeyLocation::Query,
                    ..
                },
                _
            )
        )
    }

    /// Adds the credentials to `request`.
    pub(crate) fn authorize(&self, request: &mut Request) -> Result<(), AuthError> {
        let unusable = || {
            AuthError::TokenUnreadable("the credentials are not a valid header value".to_owned())
        };
        let sensitive = |text: &str| {
            let mut value = HeaderValue::from_str(text).map_err(|_| unusable())?;
            value.set_sensitive(true);
            Ok::<_, AuthError>(value)
        };
        match &self.kind {
            Kind::Bearer(token) => {
                let value = sensitive(&format!("Bearer {}", token.expose()))?;
                request.headers_mut().insert(AUTHORIZATION, value);
            }
            Kind::Basic(header) => {
                request
                    .headers_mut()
                    .insert(AUTHORIZATION, sensitive(header.expose())?);
            }
            Kind::ApiKey(place, key) => match place.location {
                ApiKeyLocation::Header => {
                    let name =
                        HeaderName::from_bytes(place.name.as_bytes()).map_err(|_| unusable())?;
                    request.headers_mut().insert(name, sensitive(key.expose())?);
                }
                ApiKeyLocation::Query => {
                    request
                        .url_mut()
                        .query_pairs_mut()
                        .append_pair(place.name, key.expose());
                }
                ApiKeyLocation::Cookie => {
                    let pair = format!("{}={}", place.name, key.expose());
                    // One `Cookie` header holds every cookie, `; `-separated.
                    let value = match request.headers().get(COOKIE).and_then(|v| v.to_str().ok()) {
                        Some(existing) => format!("{existing}; {pair}"),
                        None => pair,
                    };
                    request.headers_mut().insert(COOKIE, sensitive(&value)?);
                }
            },
        }
        Ok(())
    }
}

impl fmt::Debug for StaticAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Bearer(token) => f.debug_tuple("Bearer").field(token).finish(),
            Kind::Basic(header) => f.debug_tuple("Basic").field(header).finish(),
            Kind::ApiKey(place, key) => f.debug_tuple("ApiKey").field(place).field(key).finish(),
        }
    }
}
