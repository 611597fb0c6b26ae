//! OAuth 2.0 client credentials: a service account's id and secret
//! exchanged for a Bearer token, cached and shared.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, LOCATION};
use serde::Deserialize;
use tokio::sync::Mutex;

use super::{AuthError, OAUTH_REDIRECTS, excerpt};
use crate::Secret;
use crate::body::{ReadError, read_limited};
use crate::redact::Redactor;

/// OAuth answers are small; a longer one is refused rather than read.
const OAUTH_BODY_LIMIT: usize = 64 * 1024;
/// Tokens are renewed this long before they expire.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// The lifetime assumed when the token endpoint does not say.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);
/// The longest a token is cached, whatever `expires_in` claims: a server
/// may send any number, and `Instant` arithmetic must not overflow.
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 3600);

pub(crate) struct ServiceAccount {
    client_id: String,
    client_secret: Secret,
    token_path: &'static str,
    revoke_path: Option<&'static str>,
    /// The scopes to ask for, space-separated (RFC 6749 §3.3).
    scope: Option<&'static str>,
    /// A client of its own, which never follows a redirect to another origin.
    http: reqwest::Client,
    /// An async lock held across the token request, so that concurrent
    /// calls wait for one exchange instead of each starting their own.
    token: Mutex<Option<Token>>,
}

struct Token {
    value: Secret,
    /// Its forms, made once per token rather than once per call.
    echoes: Arc<Redactor>,
    refresh_at: Instant,
}

/// A token for one request, with what redacts it from the server's answer.
pub(crate) struct Bearer {
    pub(crate) token: Secret,
    pub(crate) echoes: Arc<Redactor>,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: Secret,
    /// RFC 6749 calls it required; servers that leave it out mean Bearer.
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default, deserialize_with = "seconds")]
    expires_in: Option<u64>,
}

/// `expires_in` as real token endpoints send it: an integer, a number with
/// a fraction (`3600.5`), or either as a string (`"3600"`); anything else,
/// negative included, is taken as not said, so the default lifetime
/// applies rather than the token being refused.
fn seconds<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    let number = match &value {
        serde_json::Value::Number(number) => number.as_f64(),
        serde_json::Value::String(text) => text.trim().parse::<f64>().ok(),
        _ => None,
    };
    // The cast saturates: 1e300 seconds is u64::MAX, bounded later.
    Ok(number
        .filter(|seconds| seconds.is_finite() && *seconds >= 0.0)
        .map(|seconds| seconds as u64))
}

impl ServiceAccount {
    pub(crate) fn new(
        client_id: String,
        client_secret: Secret,
        token_path: &'static str,
        revoke_path: Option<&'static str>,
        scope: Option<&'static str>,
        http: reqwest::Client,
    ) -> Self {
        Self {
            client_id,
            client_secret,
            token_path,
            revoke_path,
            scope,
            http,
            token: Mutex::new(None),
        }
    }

    /// The token request's form: the grant, and the scopes when the API names any.
    fn token_form(&self) -> Vec<(&'static str, &'static str)> {
        let mut form = vec![("grant_type", "client_credentials")];
        if let Some(scope) = self.scope {
            form.push(("scope", scope));
        }
        form
    }

    /// A valid access token: the cached one, or a new one.
    pub(crate) async fn bearer(&self, base_url: &str) -> Result<Bearer, AuthError> {
        let mut cached = self.token.lock().await;
        if let Some(token) = cached.as_ref()
            && Instant::now() < token.refresh_at
        {
            return Ok(token.bearer());
        }
        let token = self.request_token(base_url).await?;
        let bearer = token.bearer();
        *cached = Some(token);
        Ok(bearer)
    }

    /// Forgets `used` after the API refused it, unless another task already replaced it.
    pub(crate) async fn invalidate(&self, used: &Secret) {
        let mut cached = self.token.lock().await;
        if cached.as_ref().is_some_and(|token| token.value == *used) {
            *cached = None;
        }
    }

    /// Revokes the cached token, if any, and forgets it.
    pub(crate) async fn revoke(&self, base_url: &str) -> Result<(), AuthError> {
        let Some(path) = self.revoke_path else {
            return Err(AuthError::Unsupported(
                "the API declares no token revocation endpoint",
            ));
        };
        let mut cached = self.token.lock().await;
        let Some(token) = cached.take() else {
            return Ok(());
        };
        let request = self.http.post(endpoint(base_url, path)).form(&[
            ("token", token.value.expose()),
            ("token_type_hint", "access_token"),
        ]);
        let (status, body) = self.exchange(request).await?;
        if status.is_success() {
            return Ok(());
        }
        Err(AuthError::RevocationRefused {
            status,
            body: self.excerpt(&body, &token.value),
        })
    }

    /// Sends an OAuth request with the client's credentials and reads the
    /// answer, within the size limit and without leaving the origin.
    async fn exchange(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<(reqwest::StatusCode, bytes::Bytes), AuthError> {
        let response = request
            .basic_auth(&self.client_id, Some(self.client_secret.expose()))
            .header(ACCEPT, "application/json")
            .send()
            .await
            .map_err(AuthError::TokenUnreachable)?;
        let status = response.status();
        // The client follows redirects within the origin, up to a limit: a
        // redirect that reaches here either leaves it or is one too many.
        if status.is_redirection()
            && let Some(location) = response
                .headers()
                .get(LOCATION)
                .and_then(|value| value.to_str().ok())
                .and_then(|location| response.url().join(location).ok())
        {
            return Err(if location.origin() == response.url().origin() {
                AuthError::TooManyRedirects {
                    status,
                    limit: OAUTH_REDIRECTS,
                }
            } else {
                AuthError::RedirectRefused { status }
            });
        }
        let body = read_limited(response, OAUTH_BODY_LIMIT)
            .await
            .map_err(|error| match error {
                ReadError::Read(error) => AuthError::TokenUnreachable(error),
                ReadError::TooLarge => AuthError::TooLarge {
                    limit: OAUTH_BODY_LIMIT,
                },
            })?;
        Ok((status, body))
    }

    /// An answer's body for an error message, without the credentials a
    /// hostile endpoint may echo, in any encoding this client sent them in
    /// (Basic's base64 of `id:secret`, the form-encoded token): redacted
    /// whole before it is cut short, so no part of one shows either.
    fn excerpt(&self, body: &[u8], token: &Secret) -> String {
        let secret = self.client_secret.expose();
        let redactor = Redactor::default()
            .secret(secret)
            .basic(&self.client_id, secret)
            .secret(token.expose());
        excerpt(&redactor.text(&String::from_utf8_lossy(body)))
    }

    async fn request_token(&self, base_url: &str) -> Result<Token, AuthError> {
        tracing::debug!(path = self.token_path, "requesting an access token");
        let request = self
            .http
            .post(endpoint(base_url, self.token_path))
            .form(&self.token_form());
        let (status, body) = self.exchange(request).await?;
        if !status.is_success() {
            return Err(AuthError::TokenRefused {
                status,
                body: self.excerpt(&body, &Secret::default()),
            });
        }
        // The body holds the token: report only where decoding failed.
        let parsed: TokenResponse = serde_json::from_slice(&body).map_err(|error| {
            AuthError::TokenUnreadable(format!(
                "line {}, column {}: {:?}",
                error.line(),
                error.column(),
                error.classify()
            ))
        })?;
        if parsed.access_token.is_empty() {
            return Err(AuthError::TokenUnreadable(
                "the access token is empty".to_owned(),
            ));
        }
        if let Some(kind) = parsed
            .token_type
            .filter(|kind| !kind.eq_ignore_ascii_case("bearer"))
        {
            let shown = self.excerpt(kind.as_bytes(), &parsed.access_token);
            return Err(AuthError::UnsupportedTokenType(shown));
        }
        Ok(Token {
            echoes: Arc::new(Redactor::default().secret(parsed.access_token.expose())),
            value: parsed.access_token,
            refresh_at: Instant::now() + cache_time(parsed.expires_in),
        })
    }
}

impl Token {
    fn bearer(&self) -> Bearer {
        Bearer {
            token: self.value.clone(),
            echoes: Arc::clone(&self.echoes),
        }
    }
}

/// The URL of an OAuth endpoint: its path joined to the base URL, so that a
/// proxy or a test server sees token requests too, or, for an identity
/// provider on another host than the API's, its own absolute URL.
fn endpoint(base_url: &str, path: &str) -> String {
    if path.starts_with("https://") || path.starts_with("http://") {
        path.to_owned()
    } else {
        format!("{base_url}{path}")
    }
}

/// How long a token with this `expires_in` is used before it is renewed.
fn cache_time(expires_in: Option<u64>) -> Duration {
    expires_in
        .map_or(DEFAULT_LIFETIME, Duration::from_secs)
        .min(MAX_LIFETIME)
        .saturating_sub(REFRESH_MARGIN)
}

impl fmt::Debug for ServiceAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceAccount")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("token_path", &self.token_path)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_expires_in_gives_a_bounded_cache_time() {
        assert_eq!(cache_time(None), Duration::from_secs(3540));
        assert_eq!(cache_time(Some(30)), Duration::ZERO);
        assert_eq!(
            cache_time(Some(u64::MAX)),
            Duration::from_secs(24 * 3600 - 60)
        );
        // The instant it yields is representable.
        let _ = Instant::now() + cache_time(Some(u64::MAX));
    }

    #[test]
    fn expires_in_is_read_in_every_form_token_endpoints_send() {
        let read = |json: &str| {
            serde_json::from_str::<TokenResponse>(&format!(
                r#"{{"access_token": "t", "expires_in": {json}}}"#
            ))
            .map(|token| token.expires_in)
            .map_err(|error| error.to_string())
        };
        assert_eq!(read("3600"), Ok(Some(3600)));
        assert_eq!(read(r#""3600""#), Ok(Some(3600)));
        assert_eq!(read("3600.5"), Ok(Some(3600)));
        assert_eq!(read(r#"" 3600.5 ""#), Ok(Some(3600)));
        assert_eq!(read("1e300"), Ok(Some(u64::MAX)));
        for unusable in ["-5", r#""soon""#, "null", "true", "[1]"] {
            assert_eq!(read(unusable), Ok(None), "{unusable}");
        }
    }
}
