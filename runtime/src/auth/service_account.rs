//! OAuth 2.0 client credentials: a service account's id and secret
//! exchanged for a Bearer token, cached and shared.

use std::fmt;
use std::time::{Duration, Instant};

use reqwest::header::ACCEPT;
use serde::Deserialize;
use tokio::sync::Mutex;

use super::{AuthError, excerpt};
use crate::Secret;

/// Tokens are renewed this long before they expire.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// The lifetime assumed when the token endpoint does not say.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

pub(crate) struct ServiceAccount {
    client_id: String,
    client_secret: Secret,
    token_path: &'static str,
    revoke_path: Option<&'static str>,
    /// An async lock held across the token request, so that concurrent
    /// calls wait for one exchange instead of each starting their own.
    token: Mutex<Option<Token>>,
}

struct Token {
    value: Secret,
    refresh_at: Instant,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: Secret,
    #[serde(default)]
    expires_in: Option<u64>,
}

impl ServiceAccount {
    pub(crate) fn new(
        client_id: String,
        client_secret: Secret,
        token_path: &'static str,
        revoke_path: Option<&'static str>,
    ) -> Self {
        Self {
            client_id,
            client_secret,
            token_path,
            revoke_path,
            token: Mutex::new(None),
        }
    }

    /// A valid access token: the cached one, or a new one.
    pub(crate) async fn bearer(
        &self,
        http: &reqwest::Client,
        base_url: &str,
    ) -> Result<Secret, AuthError> {
        let mut cached = self.token.lock().await;
        if let Some(token) = cached.as_ref()
            && Instant::now() < token.refresh_at
        {
            return Ok(token.value.clone());
        }
        let token = self.request_token(http, base_url).await?;
        let value = token.value.clone();
        *cached = Some(token);
        Ok(value)
    }

    /// Forgets `used` after the API refused it, unless another task already replaced it.
    pub(crate) async fn invalidate(&self, used: &Secret) {
        let mut cached = self.token.lock().await;
        if cached.as_ref().is_some_and(|token| token.value == *used) {
            *cached = None;
        }
    }

    /// Revokes the cached token, if any, and forgets it.
    pub(crate) async fn revoke(
        &self,
        http: &reqwest::Client,
        base_url: &str,
    ) -> Result<(), AuthError> {
        let Some(path) = self.revoke_path else {
            return Err(AuthError::Unsupported(
                "the API declares no token revocation endpoint",
            ));
        };
        let mut cached = self.token.lock().await;
        let Some(token) = cached.take() else {
            return Ok(());
        };
        let response = http
            .post(format!("{base_url}{path}"))
            .basic_auth(&self.client_id, Some(self.client_secret.expose()))
            .header(ACCEPT, "application/json")
            .form(&[
                ("token", token.value.expose()),
                ("token_type_hint", "access_token"),
            ])
            .send()
            .await
            .map_err(AuthError::TokenUnreachable)?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let body = response.bytes().await.unwrap_or_default();
        Err(AuthError::RevocationRefused {
            status,
            body: excerpt(&body),
        })
    }

    async fn request_token(
        &self,
        http: &reqwest::Client,
        base_url: &str,
    ) -> Result<Token, AuthError> {
        tracing::debug!(path = self.token_path, "requesting an access token");
        let response = http
            .post(format!("{base_url}{}", self.token_path))
            .basic_auth(&self.client_id, Some(self.client_secret.expose()))
            .header(ACCEPT, "application/json")
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .map_err(AuthError::TokenUnreachable)?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(AuthError::TokenUnreachable)?;
        if !status.is_success() {
            return Err(AuthError::TokenRefused {
                status,
                body: excerpt(&body),
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
        let lifetime = parsed
            .expires_in
            .map_or(DEFAULT_LIFETIME, Duration::from_secs);
        Ok(Token {
            value: parsed.access_token,
            refresh_at: Instant::now() + lifetime.saturating_sub(REFRESH_MARGIN),
        })
    }
}

impl fmt::Debug for ServiceAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceAccount")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("token_path", &self.token_path)
            .finish_non_exhaustive()
    }
}
