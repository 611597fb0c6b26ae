//! The builder of a generated client: base URL, credentials, timeouts,
//! retries and limits, checked once in `build`.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::redirect::{Attempt, Policy};

use crate::auth::{Auth, DigestAuth, OAUTH_REDIRECTS, ServiceAccount, StaticAuth};
use crate::body::DEFAULT_MAX_RESPONSE_BODY;
use crate::env::{self, EnvCredentials, EnvNames};
use crate::response::RateLimitHeaders;
use crate::transport::Transport;
use crate::{BuildError, Hooks, RetryPolicy, Secret};

/// Connect timeout unless the builder says otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Timeout of one attempt, from sending to the end of the body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The deadline of a whole call, retries included, unless the builder says
/// otherwise; never shorter than the timeout of one attempt.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(120);
/// The time a streamed download may take, headers to last byte, unless the
/// builder says otherwise.
pub const DEFAULT_DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(3600);
/// The most pages one walk of a paged operation reads unless the builder
/// says otherwise.
pub const DEFAULT_MAX_PAGES: usize = 10_000;

/// What a generated crate knows about its API: the defaults of its builder.
#[derive(Debug, Clone, Copy)]
pub struct ApiDefaults {
    /// The spec's server; empty when the spec has none.
    pub base_url: &'static str,
    /// The crate's name and version.
    pub user_agent: &'static str,
    /// The path of the OAuth 2.0 token endpoint, when the spec declares a
    /// client credentials flow, relative to the base URL; or its absolute
    /// URL, when it is an identity provider on another host.
    pub token_path: Option<&'static str>,
    /// The path of the token revocation endpoint, when the spec names one.
    pub revoke_path: Option<&'static str>,
    /// The scopes the token request asks for, space-separated: every scope
    /// the operations' requirements name for the client credentials flow.
    pub scopes: Option<&'static str>,
    /// Whether the spec declares HTTP Digest (`type: http, scheme: digest`).
    pub digest: bool,
    /// Whether it declares a Bearer token (`type: http, scheme: bearer`).
    pub bearer: bool,
    /// Whether it declares HTTP Basic (`type: http, scheme: basic`).
    pub basic: bool,
    /// Where its API key goes, when it declares one (`type: apiKey`).
    pub api_key: Option<ApiKeyPlace>,
    /// The environment variables `from_env` reads.
    pub env: EnvNames,
    /// The names of the API's rate limit headers.
    pub rate_limit: RateLimitHeaders,
    /// The fields of the envelope the API wraps bodies in when asked, if it does.
    pub envelope: Option<EnvelopeFields>,
    /// Every JSON property name the generated types declare, sorted: the
    /// only object keys a decode error's path may quote, since other keys
    /// come from the body alone and may be secrets.
    pub property_names: &'static [&'static str],
}

/// Where an API key goes: the spec's `in` and `name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiKeyPlace {
    /// `header`, `query` or `cookie`.
    pub location: ApiKeyLocation,
    /// The header, query parameter or cookie name.
    pub name: &'static str,
}

/// The `in` of an API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// The fields of an envelope such as `{"status": 404, "content": {..}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvelopeFields {
    /// The field holding the HTTP status of the wrapped response.
    pub status: &'static str,
    /// The field holding the wrapped body.
    pub content: &'static str,
}

impl Credentials {
    /// The builder method that sets this kind.
    fn method(&self) -> &'static str {
        match self {
            Credentials::Digest { .. } => "digest_auth",
            Credentials::ServiceAccount { .. } => "service_account",
            Credentials::Bearer(_) => "bearer_token",
            Credentials::Basic { .. } => "basic_auth",
            Credentials::ApiKey(_) => "api_key",
        }
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
    Bearer(Secret),
    Basic {
        user: String,
        password: Secret,
    },
    ApiKey(Secret),
}

/// Configures and builds a generated client `C`.
pub struct ClientBuilder<C> {
    defaults: ApiDefaults,
    base_url: String,
    user_agent: String,
    credentials: Option<Credentials>,
    conflict: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    deadline: Option<Duration>,
    download_timeout: Duration,
    max_response_body: usize,
    max_pages: usize,
    retry: RetryPolicy,
    http: Option<reqwest::Client>,
    hooks: Option<Arc<dyn Hooks>>,
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
            .field("deadline", &self.deadline)
            .field("download_timeout", &self.download_timeout)
            .field("max_response_body", &self.max_response_body)
            .field("max_pages", &self.max_pages)
            .field("retry", &self.retry)
            .field("custom_http_client", &self.http.is_some())
            .field("hooks", &self.hooks)
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
            deadline: None,
            download_timeout: DEFAULT_DOWNLOAD_TIMEOUT,
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            max_pages: DEFAULT_MAX_PAGES,
            retry: RetryPolicy::default(),
            http: None,
            hooks: None,
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

    /// Authenticates with a Bearer token sent as it is (`Authorization:
    /// Bearer …`), for an API that declares `type: http, scheme: bearer`.
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.set_credentials(Credentials::Bearer(token.into()));
        self
    }

    /// Authenticates by HTTP Basic, for an API that declares `type: http,
    /// scheme: basic`.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.set_credentials(Credentials::Basic {
            user: user.into(),
            password: password.into(),
        });
        self
    }

    /// Authenticates with an API key, sent where the API's `type: apiKey`
    /// scheme says (a header, a query parameter or a cookie).
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        self.set_credentials(Credentials::ApiKey(key.into()));
        self
    }

    fn set_credentials(&mut self, credentials: Credentials) {
        let same_kind = self
            .credentials
            .as_ref()
            .is_none_or(|set| std::mem::discriminant(set) == std::mem::discriminant(&credentials));
        if !same_kind {
            let set = self.credentials.as_ref().map_or("", Credentials::method);
            self.conflict = Some(format!(
                "both {set} and {} were set; choose one",
                credentials.method()
            ));
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

    /// The time a whole call may take: every attempt, the waits between
    /// them and any token request (default 120 s, or the timeout of one
    /// attempt when that is longer). Past it the call ends with
    /// [`Error::DeadlineExceeded`](crate::Error::DeadlineExceeded).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The time a streamed download ([`ByteStream`](crate::ByteStream)) may
    /// take from sending the request to its last byte (default 1 h). The
    /// deadline covers it only until the headers arrive, and each chunk
    /// must still arrive within the timeout of one attempt.
    pub fn download_timeout(mut self, timeout: Duration) -> Self {
        self.download_timeout = timeout;
        self
    }

    /// The longest response body the client reads, in bytes (default
    /// 64 MiB); a longer one ends the call with
    /// [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge) as soon as
    /// it is announced or received.
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = bytes;
        self
    }

    /// The most pages one walk of a paged operation (`pages()`, `stream()`)
    /// reads (default 10,000); the walk then ends with
    /// [`PageWalkError::TooManyPages`](crate::PageWalkError::TooManyPages)
    /// instead of requesting another.
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = pages;
        self
    }

    /// How 429, 503 and connection failures are retried; [`RetryPolicy::disabled`] turns retries off.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Uses a `reqwest::Client` configured by the caller (proxies, TLS
    /// roots) for API calls; the builder's User-Agent and timeouts are then
    /// not applied to them. OAuth token requests still go through a client
    /// of the builder's own, which never follows a redirect to another origin.
    ///
    /// Such a client follows redirects by its own policy, out of the
    /// transport's sight: a connection failure may then come from a later
    /// hop, after a server received the request, so it is retried only for
    /// idempotent methods (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Code of your own to run before each attempt's request leaves and after
    /// its response is read: see [`Hooks`].
    pub fn hooks(mut self, hooks: impl Hooks + 'static) -> Self {
        self.hooks = Some(Arc::new(hooks));
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
            return Err(BuildError::Conflict(conflict));
        }
        let base_url = check_base_url(&self.base_url)?;
        let http_builder = || {
            reqwest::Client::builder()
                .user_agent(self.user_agent.as_str())
                // Each chunk of a streamed download is bounded by it too,
                // in `ByteStream`: reqwest's read timeout would cost every
                // call a timer reset per read.
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
        };
        let auth = match self.credentials {
            None => Auth::None,
            Some(Credentials::Digest {
                public_key,
                private_key,
            }) => {
                if !self.defaults.digest {
                    return Err(BuildError::Conflict(
                        "this API declares no HTTP Digest authentication".to_owned(),
                    ));
                }
                Auth::Digest(DigestAuth::new(public_key, private_key))
            }
            Some(Credentials::Bearer(token)) => {
                if !self.defaults.bearer {
                    return Err(BuildError::Conflict(
                        "this API declares no Bearer token scheme".to_owned(),
                    ));
                }
                Auth::Static(StaticAuth::bearer(token))
            }
            Some(Credentials::Basic { user, password }) => {
                if !self.defaults.basic {
                    return Err(BuildError::Conflict(
                        "this API declares no HTTP Basic authentication".to_owned(),
                    ));
                }
                Auth::Static(StaticAuth::basic(&user, password))
            }
            Some(Credentials::ApiKey(key)) => {
                let place = self.defaults.api_key.ok_or_else(|| {
                    BuildError::Conflict("this API declares no API key scheme".to_owned())
                })?;
                Auth::Static(StaticAuth::api_key(place, key))
            }
            Some(Credentials::ServiceAccount {
                client_id,
                client_secret,
            }) => {
                let token_path = self.defaults.token_path.ok_or_else(|| {
                    BuildError::Conflict(
                        "this API declares no OAuth 2.0 client credentials flow".to_owned(),
                    )
                })?;
                // The token request carries the client secret and the
                // revocation request the token, in their bodies: reqwest
                // would resend a body on a 307/308 to any host.
                let oauth_http = http_builder()
                    .redirect(Policy::custom(same_origin_only))
                    .build()
                    .map_err(BuildError::Http)?;
                Auth::ServiceAccount(ServiceAccount::new(
                    client_id,
                    client_secret,
                    token_path,
                    self.defaults.revoke_path,
                    self.defaults.scopes,
                    oauth_http,
                ))
            }
        };
        // The timeout of one attempt, when the client is ours and so known.
        // The transport follows redirects for a client of ours, so that it
        // knows when a request has reached a server.
        let (http, attempt_timeout, follows_redirects) = match self.http {
            Some(http) => (http, None, false),
            None => (
                http_builder()
                    .redirect(Policy::none())
                    .build()
                    .map_err(BuildError::Http)?,
                Some(self.timeout),
                true,
            ),
        };
        Ok(C::from(Transport {
            http,
            base_url: base_url.into(),
            auth: Arc::new(auth),
            retry: self.retry,
            deadline: self.deadline.unwrap_or(DEFAULT_DEADLINE.max(self.timeout)),
            attempt_timeout,
            max_response_body: self.max_response_body,
            max_pages: self.max_pages,
            download_timeout: self.download_timeout,
            rate_limit: crate::response::RateLimitNames::new(&self.defaults.rate_limit),
            envelope: self.defaults.envelope,
            property_names: self.defaults.property_names,
            hooks: self.hooks,
            follows_redirects,
        }))
    }
}

/// Follows a redirect only within the first request's scheme, host and port.
fn same_origin_only(attempt: Attempt<'_>) -> reqwest::redirect::Action {
    let first = attempt.previous().first();
    let same = first.is_some_and(|first| first.origin() == attempt.url().origin());
    if same && attempt.previous().len() <= OAUTH_REDIRECTS {
        attempt.follow()
    } else {
        attempt.stop()
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
        scopes: None,
        digest: true,
        bearer: false,
        basic: false,
        api_key: None,
        rate_limit: RateLimitHeaders::DRAFT,
        envelope: None,
        property_names: &[],
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
    fn digest_needs_the_api_to_declare_it() {
        let defaults = ApiDefaults {
            digest: false,
            ..DEFAULTS
        };
        let error = ClientBuilder::<Probe>::new(defaults)
            .digest_auth("public", "private")
            .build()
            .unwrap_err();
        assert!(error.to_string().contains("Digest"), "{error}");
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
}
