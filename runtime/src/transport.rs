//! The HTTP transport every generated operation sends through, and the
//! builder that configures it. Authentication, retries, envelopes and
//! tracing all happen here, the one place every request passes.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use reqwest::{Method, Request, RequestBuilder, StatusCode, Url};
use serde::Deserialize;
use tracing::Instrument;

use crate::auth::{Auth, DigestAuth, ServiceAccount};
use crate::env::{self, EnvCredentials, EnvNames};
use crate::retry::{RetryPolicy, retry_after};
use crate::{AuthError, BuildError, Error, RawResponse, Secret};

/// Connect timeout unless the builder says otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Timeout of one attempt, from sending to the end of the body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// What the transport needs to know about the operation it sends.
#[derive(Debug, Clone, Copy)]
pub struct OperationInfo {
    /// The spec's `operationId`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path template, for tracing (never the filled-in path).
    pub path: &'static str,
}

/// What a generated crate knows about its API: the defaults of its builder.
#[derive(Debug, Clone, Copy)]
pub struct ApiDefaults {
    /// The spec's server; empty when the spec has none.
    pub base_url: &'static str,
    /// The crate's name and version.
    pub user_agent: &'static str,
    /// The path of the OAuth 2.0 token endpoint, when the spec declares a
    /// client credentials flow; relative to the base URL.
    pub token_path: Option<&'static str>,
    /// The path of the token revocation endpoint, when the spec names one.
    pub revoke_path: Option<&'static str>,
    /// The environment variables `from_env` reads.
    pub env: EnvNames,
}

/// A configured HTTP client bound to a base URL and credentials.
///
/// Cheap to clone: clones share the connection pool, the Digest nonce and
/// the access token.
#[derive(Clone, Debug)]
pub struct Transport {
    http: reqwest::Client,
    /// Without a trailing slash, so that `base_url + path` is the request URL.
    base_url: Arc<str>,
    auth: Arc<Auth>,
    retry: RetryPolicy,
}

/// Per-call bookkeeping of resends caused by a 401.
#[derive(Default)]
struct AuthRounds {
    challenge_answered: bool,
    stale_recovered: bool,
    token_refreshed: bool,
}

impl Transport {
    /// The base URL every path is appended to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Starts a request to `path`, which must begin with `/` and have its
    /// parameters already percent-encoded.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}{}", self.base_url, path))
    }

    /// Sends a request built with [`Transport::request`]: authenticates,
    /// retries what may be retried, unwraps an envelope when `envelope` is
    /// set, and reads the whole body.
    pub async fn send<E>(
        &self,
        request: RequestBuilder,
        operation: &OperationInfo,
        envelope: bool,
    ) -> Result<RawResponse, Error<E>> {
        let span = tracing::info_span!(
            "api_request",
            operation = operation.id,
            method = operation.method,
            path = operation.path,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self
            .attempts(request, started)
            .instrument(span.clone())
            .await;
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        let response = result?;
        Ok(if envelope {
            unwrap_envelope(response)
        } else {
            response
        })
    }

    async fn attempts<E>(
        &self,
        request: RequestBuilder,
        started: Instant,
    ) -> Result<RawResponse, Error<E>> {
        let mut template = Some(request.build().map_err(Error::Communication)?);
        // Without retries or credentials nothing is ever re-sent: skip the copy.
        let resendable = self.retry.max_attempts > 1 || !matches!(*self.auth, Auth::None);
        let span = tracing::Span::current();
        let mut rounds = AuthRounds::default();
        let mut retries = 0;
        for attempt in 1.. {
            span.record("attempt", attempt);
            let next = if resendable {
                template.as_ref().and_then(Request::try_clone)
            } else {
                template.take()
            };
            let mut request = next.ok_or(Error::Auth(AuthError::Unsupported(
                "a streamed request body cannot be sent again after a challenge or for a retry",
            )))?;
            let bearer = self.authorize(&mut request).await.map_err(Error::Auth)?;
            let mut response = match self.http.execute(request).await {
                Ok(response) => response,
                Err(error) => {
                    // A connection that never opened carried nothing: safe to try again.
                    if error.is_connect()
                        && let Some(wait) = self.retry.delay(retries + 1, None, started.elapsed())
                    {
                        retries += 1;
                        tracing::debug!(
                            attempt,
                            wait_ms = wait.as_millis() as u64,
                            "connection failed; retrying"
                        );
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    return Err(Error::Communication(error));
                }
            };
            let status = response.status();
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await.map_err(Error::Communication)?;
            span.record("status", status.as_u16());

            if status == StatusCode::UNAUTHORIZED
                && self.resend_after_401(&headers, bearer, &mut rounds).await?
            {
                tracing::debug!(attempt, "answering an authentication challenge");
                continue;
            }
            if RetryPolicy::retries_status(status)
                && let Some(wait) =
                    self.retry
                        .delay(retries + 1, retry_after(&headers), started.elapsed())
            {
                retries += 1;
                tracing::debug!(
                    attempt,
                    status = status.as_u16(),
                    wait_ms = wait.as_millis() as u64,
                    "retrying"
                );
                tokio::time::sleep(wait).await;
                continue;
            }
            return Ok(RawResponse {
                status,
                headers,
                body,
                enveloped: false,
            });
        }
        unreachable!("the attempt loop only ends by returning")
    }

    /// Adds `Authorization`; returns the bearer token used, if any.
    async fn authorize(&self, request: &mut Request) -> Result<Option<Secret>, AuthError> {
        match self.auth.as_ref() {
            Auth::None => Ok(None),
            Auth::Digest(digest) => {
                let url = request.url();
                let uri = match url.query() {
                    Some(query) => format!("{}?{query}", url.path()),
                    None => url.path().to_owned(),
                };
                let body = request.body().and_then(|body| body.as_bytes());
                if let Some(value) = digest.authorize(request.method().as_str(), &uri, body)? {
                    request.headers_mut().insert(AUTHORIZATION, value);
                }
                Ok(None)
            }
            Auth::ServiceAccount(account) => {
                let token = account.bearer(&self.http, &self.base_url).await?;
                let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
                    .map_err(|_| {
                        AuthError::TokenUnreadable(
                            "the access token is not a valid header value".to_owned(),
                        )
                    })?;
                value.set_sensitive(true);
                request.headers_mut().insert(AUTHORIZATION, value);
                Ok(Some(token))
            }
        }
    }

    /// Whether a 401 deserves one more attempt: once to answer a Digest
    /// challenge, once more for a stale nonce, once with a fresh token.
    async fn resend_after_401<E>(
        &self,
        headers: &HeaderMap,
        bearer: Option<Secret>,
        rounds: &mut AuthRounds,
    ) -> Result<bool, Error<E>> {
        match self.auth.as_ref() {
            Auth::None => Ok(false),
            Auth::Digest(digest) => {
                let Some(challenge) = digest.accept_challenge(headers).map_err(Error::Auth)? else {
                    return Ok(false);
                };
                let round = if challenge.stale {
                    &mut rounds.stale_recovered
                } else {
                    &mut rounds.challenge_answered
                };
                Ok(!std::mem::replace(round, true))
            }
            Auth::ServiceAccount(account) => {
                if rounds.token_refreshed {
                    return Ok(false);
                }
                rounds.token_refreshed = true;
                if let Some(used) = bearer {
                    account.invalidate(&used).await;
                }
                Ok(true)
            }
        }
    }

    /// Revokes the service account's current access token (the next call gets a new one).
    pub async fn revoke_token(&self) -> Result<(), AuthError> {
        match self.auth.as_ref() {
            Auth::ServiceAccount(account) => account.revoke(&self.http, &self.base_url).await,
            _ => Err(AuthError::Unsupported(
                "only service account tokens can be revoked",
            )),
        }
    }
}

/// Atlas-style `{"status": 404, "content": {...}}` bodies, sent when a
/// client asks for an envelope, become the status and body they wrap.
fn unwrap_envelope(response: RawResponse) -> RawResponse {
    #[derive(Deserialize)]
    struct Envelope {
        status: u16,
        #[serde(default)]
        content: serde_json::Value,
    }
    let Ok(envelope) = serde_json::from_slice::<Envelope>(&response.body) else {
        return response;
    };
    let (Ok(status), Ok(body)) = (
        StatusCode::from_u16(envelope.status),
        serde_json::to_vec(&envelope.content),
    ) else {
        return response;
    };
    RawResponse {
        status,
        headers: response.headers,
        body: body.into(),
        enveloped: true,
    }
}

/// Credentials chosen on the builder.
#[derive(Debug, Clone)]
enum Credentials {
    Digest {
        public_key: String,
        private_key: Secret,
    },
    ServiceAccount {
        client_id: String,
        client_secret: Secret,
    },
}

/// Configures and builds a generated client `C`.
pub struct ClientBuilder<C> {
    defaults: ApiDefaults,
    base_url: String,
    user_agent: String,
    credentials: Option<Credentials>,
    conflict: Option<&'static str>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    http: Option<reqwest::Client>,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("user_agent", &self.user_agent)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("custom_http_client", &self.http.is_some())
            .finish()
    }
}

impl<C: From<Transport>> ClientBuilder<C> {
    /// A builder with the API's defaults.
    pub fn new(defaults: ApiDefaults) -> Self {
        Self {
            defaults,
            base_url: defaults.base_url.to_owned(),
            user_agent: defaults.user_agent.to_owned(),
            credentials: None,
            conflict: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            http: None,
            client: PhantomData,
        }
    }

    /// Sends requests to `url` instead of the spec's server, for example a
    /// proxy, a regional endpoint or a test server on loopback.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Replaces the default `User-Agent` (the crate's name and version).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Authenticates with an API key pair by HTTP Digest (RFC 7616).
    pub fn digest_auth(
        mut self,
        public_key: impl Into<String>,
        private_key: impl Into<Secret>,
    ) -> Self {
        self.set_credentials(Credentials::Digest {
            public_key: public_key.into(),
            private_key: private_key.into(),
        });
        self
    }

    /// Authenticates as a service account: its id and secret are exchanged
    /// for Bearer tokens by the OAuth 2.0 client credentials flow.
    pub fn service_account(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        self.set_credentials(Credentials::ServiceAccount {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        });
        self
    }

    fn set_credentials(&mut self, credentials: Credentials) {
        let same_kind = matches!(
            (&self.credentials, &credentials),
            (Some(Credentials::Digest { .. }), Credentials::Digest { .. })
                | (
                    Some(Credentials::ServiceAccount { .. }),
                    Credentials::ServiceAccount { .. }
                )
        );
        if self.credentials.is_some() && !same_kind {
            self.conflict = Some("both digest_auth and service_account were set; choose one");
        }
        self.credentials = Some(credentials);
    }

    /// The timeout of one attempt, from sending to the end of the body (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The timeout for opening a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How 429, 503 and connection failures are retried; [`RetryPolicy::disabled`] turns retries off.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Uses a `reqwest::Client` configured by the caller (proxies, TLS
    /// roots); the builder's User-Agent and timeouts are then not applied.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Applies the API's environment variables: credentials, and the base
    /// URL when its variable is set.
    pub fn from_env(self) -> Result<Self, BuildError> {
        self.from_env_with(|name| std::env::var(name).ok())
    }

    /// [`ClientBuilder::from_env`] with another source of variables.
    pub fn from_env_with(
        mut self,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, BuildError> {
        let settings = env::read(&self.defaults.env, &lookup)?;
        if let Some(url) = settings.base_url {
            self.base_url = url;
        }
        Ok(match settings.credentials {
            EnvCredentials::ServiceAccount { id, secret } => self.service_account(id, secret),
            EnvCredentials::Digest { public, private } => self.digest_auth(public, private),
        })
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<C, BuildError> {
        if let Some(conflict) = self.conflict {
            return Err(BuildError::Conflict(conflict.to_owned()));
        }
        let base_url = check_base_url(&self.base_url)?;
        let auth = match self.credentials {
            None => Auth::None,
            Some(Credentials::Digest {
                public_key,
                private_key,
            }) => Auth::Digest(DigestAuth::new(public_key, private_key)),
            Some(Credentials::ServiceAccount {
                client_id,
                client_secret,
            }) => {
                let token_path = self.defaults.token_path.ok_or_else(|| {
                    BuildError::Conflict(
                        "this API declares no OAuth 2.0 client credentials flow".to_owned(),
                    )
                })?;
                Auth::ServiceAccount(ServiceAccount::new(
                    client_id,
                    client_secret,
                    token_path,
                    self.defaults.revoke_path,
                ))
            }
        };
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(self.user_agent)
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(BuildError::Http)?,
        };
        Ok(C::from(Transport {
            http,
            base_url: base_url.into(),
            auth: Arc::new(auth),
            retry: self.retry,
        }))
    }
}

fn check_base_url(url: &str) -> Result<String, BuildError> {
    let refuse = |reason: &str| BuildError::InvalidBaseUrl {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let parsed = Url::parse(url).map_err(|error| refuse(&error.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(refuse("the scheme must be http or https"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(refuse("a base URL cannot have a query or a fragment"));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Probe(Transport);

    impl From<Transport> for Probe {
        fn from(transport: Transport) -> Self {
            Probe(transport)
        }
    }

    const DEFAULTS: ApiDefaults = ApiDefaults {
        base_url: "https://example.invalid",
        user_agent: "probe/1",
        token_path: Some("/oauth/token"),
        revoke_path: None,
        env: EnvNames {
            base_url: Some("PROBE_BASE_URL"),
            service_account: &[("PROBE_CLIENT_ID", "PROBE_CLIENT_SECRET")],
            digest: &[("PROBE_PUBLIC_KEY", "PROBE_PRIVATE_KEY")],
        },
    };

    fn build(url: &str) -> Result<Probe, BuildError> {
        ClientBuilder::<Probe>::new(DEFAULTS).base_url(url).build()
    }

    #[test]
    fn base_urls_lose_their_trailing_slash_and_keep_a_prefix() {
        assert_eq!(
            build("http://127.0.0.1:8080/").unwrap().0.base_url(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            build("http://127.0.0.1:8080/prefix/").unwrap().0.base_url(),
            "http://127.0.0.1:8080/prefix"
        );
    }

    #[test]
    fn bad_base_urls_are_refused_with_the_reason() {
        for url in [
            "not a url",
            "ftp://example.com",
            "https://example.com/?q=1",
            "https://example.com/#f",
        ] {
            let error = build(url).expect_err(url);
            assert!(error.to_string().contains(url), "{error}");
        }
    }

    #[test]
    fn the_default_base_url_is_used_when_none_is_set() {
        let probe = ClientBuilder::<Probe>::new(DEFAULTS).build().unwrap();
        assert_eq!(probe.0.base_url(), "https://example.invalid");
    }

    #[test]
    fn two_kinds_of_credentials_conflict() {
        let error = ClientBuilder::<Probe>::new(DEFAULTS)
            .digest_auth("public", "private")
            .service_account("id", "secret")
            .build()
            .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("digest_auth and service_account"),
            "{error}"
        );
    }

    #[test]
    fn service_accounts_need_a_token_endpoint() {
        let defaults = ApiDefaults {
            token_path: None,
            ..DEFAULTS
        };
        let error = ClientBuilder::<Probe>::new(defaults)
            .service_account("id", "secret")
            .build()
            .unwrap_err();
        assert!(error.to_string().contains("OAuth"), "{error}");
    }

    #[test]
    fn the_environment_sets_credentials_and_base_url() {
        let vars = [
            ("PROBE_PUBLIC_KEY", "pub"),
            ("PROBE_PRIVATE_KEY", "priv-value"),
            ("PROBE_BASE_URL", "http://127.0.0.1:9"),
        ];
        let lookup = |name: &str| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        };
        let builder = ClientBuilder::<Probe>::new(DEFAULTS)
            .from_env_with(lookup)
            .unwrap();
        let debug = format!("{builder:?}");
        assert!(
            debug.contains("pub") && !debug.contains("priv-value"),
            "{debug}"
        );
        let probe = builder.build().unwrap();
        assert_eq!(probe.0.base_url(), "http://127.0.0.1:9");
        assert!(!format!("{probe:?}").contains("priv-value"));
    }

    #[test]
    fn envelopes_are_unwrapped_into_status_and_content() {
        let raw = RawResponse {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: br#"{"status": 404, "content": {"error": 404}}"#.as_slice().into(),
            enveloped: false,
        };
        let unwrapped = unwrap_envelope(raw);
        assert_eq!(unwrapped.status, StatusCode::NOT_FOUND);
        assert_eq!(unwrapped.body.as_ref(), br#"{"error":404}"#);
        assert!(unwrapped.enveloped);
        let plain = RawResponse {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: br#"{"name": "x"}"#.as_slice().into(),
            enveloped: false,
        };
        assert!(!unwrap_envelope(plain).enveloped);
    }
}
