//! The builder of a generated client: base URL, credentials, timeouts,
//! retries and limits, checked once in `build`.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::redirect::{Attempt, Policy};

use crate::auth::{
    Auth, DigestAuth, Held, HeldKind, MAX_HELD, OAUTH_REDIRECTS, ServiceAccount, StaticAuth,
};
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
    /// The security schemes the spec declares, in the order a client
    /// that the spec tells nothing more tries them.
    pub schemes: &'static [SecurityScheme],
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

/// A security scheme the spec declares (`components.securitySchemes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Its name in the spec, which operations' requirements use.
    pub name: &'static str,
    /// What credentials it takes.
    pub kind: SchemeKind,
}

/// What credentials a security scheme takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    /// `type: http, scheme: digest`.
    Digest,
    /// `type: oauth2` with a client credentials flow: a service account,
    /// or a Bearer token got elsewhere.
    ClientCredentials,
    /// `type: http, scheme: bearer`, or `oauth2` and `openIdConnect`
    /// without a flow the client runs: a Bearer token.
    Bearer,
    /// `type: http, scheme: basic`.
    Basic,
    /// `type: apiKey`.
    ApiKey(ApiKeyPlace),
    /// Anything else (`mutualTLS`, other HTTP schemes): the builder sets no
    /// credentials for it.
    Other,
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

    /// How well they fit a scheme of `kind`: `None` when they cannot meet
    /// it, else lower is better (a client credentials scheme prefers a
    /// service account to a token got elsewhere).
    fn fit(&self, kind: SchemeKind) -> Option<u8> {
        match (self, kind) {
            (Credentials::Digest { .. }, SchemeKind::Digest)
            | (Credentials::ServiceAccount { .. }, SchemeKind::ClientCredentials)
            | (Credentials::Bearer(_), SchemeKind::Bearer)
            | (Credentials::Basic { .. }, SchemeKind::Basic)
            | (Credentials::ApiKey(_), SchemeKind::ApiKey(_)) => Some(0),
            (Credentials::Bearer(_), SchemeKind::ClientCredentials) => Some(1),
            _ => None,
        }
    }

    /// Why no scheme of the API takes them.
    fn undeclared(&self) -> &'static str {
        match self {
            Credentials::Digest { .. } => "this API declares no HTTP Digest authentication",
            Credentials::ServiceAccount { .. } => {
                "this API declares no OAuth 2.0 client credentials flow"
            }
            Credentials::Bearer(_) => "this API declares no Bearer token scheme",
            Credentials::Basic { .. } => "this API declares no HTTP Basic authentication",
            Credentials::ApiKey(_) => "this API declares no API key scheme",
        }
    }
}

/// Credentials set on the builder, and the scheme they are for: one named
/// by the `_for` setters, else every scheme they fit.
#[derive(Debug, Clone)]
struct Given {
    scheme: Option<String>,
    credentials: Credentials,
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
    credentials: Vec<Given>,
    timeout: Duration,
    connect_timeout: Duration,
    deadline: Option<Duration>,
    download_timeout: Duration,
    max_response_body: usize,
    max_pages: usize,
    retry: RetryPolicy,
    http: Option<reqwest::Client>,
    hooks: Option<Arc<dyn Hooks>>,
    #[cfg(feature = "middleware")]
    middleware: Vec<Arc<dyn reqwest_middleware::Middleware>>,
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
            .finish_non_exhaustive()
    }
}

impl<C: From<Transport>> ClientBuilder<C> {
    /// A builder with the API's defaults.
    pub fn new(defaults: ApiDefaults) -> Self {
        Self {
            defaults,
            base_url: defaults.base_url.to_owned(),
            user_agent: defaults.user_agent.to_owned(),
            credentials: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            deadline: None,
            download_timeout: DEFAULT_DOWNLOAD_TIMEOUT,
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            max_pages: DEFAULT_MAX_PAGES,
            retry: RetryPolicy::default(),
            http: None,
            hooks: None,
            #[cfg(feature = "middleware")]
            middleware: Vec::new(),
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

    /// Authenticates with an API key pair by HTTP Digest (RFC 7616), for
    /// every `type: http, scheme: digest` scheme.
    pub fn digest_auth(
        mut self,
        public_key: impl Into<String>,
        private_key: impl Into<Secret>,
    ) -> Self {
        self.give(
            None,
            Credentials::Digest {
                public_key: public_key.into(),
                private_key: private_key.into(),
            },
        );
        self
    }

    /// Authenticates as a service account: its id and secret are exchanged
    /// for Bearer tokens by the OAuth 2.0 client credentials flow, for every
    /// `type: oauth2` scheme with that flow.
    pub fn service_account(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        self.give(
            None,
            Credentials::ServiceAccount {
                client_id: client_id.into(),
                client_secret: client_secret.into(),
            },
        );
        self
    }

    /// Authenticates with a Bearer token sent as it is (`Authorization:
    /// Bearer …`), for every scheme that takes one: `type: http, scheme:
    /// bearer`, and `oauth2` or `openIdConnect` (a token got elsewhere),
    /// unless [`ClientBuilder::service_account`] is set for it.
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.give(None, Credentials::Bearer(token.into()));
        self
    }

    /// [`ClientBuilder::bearer_token`] for the security scheme named
    /// `scheme` in the spec only.
    pub fn bearer_token_for(mut self, scheme: impl Into<String>, token: impl Into<Secret>) -> Self {
        self.give(Some(scheme.into()), Credentials::Bearer(token.into()));
        self
    }

    /// Authenticates by HTTP Basic, for every `type: http, scheme: basic` scheme.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<Secret>) -> Self {
        let credentials = Credentials::Basic {
            user: user.into(),
            password: password.into(),
        };
        self.give(None, credentials);
        self
    }

    /// [`ClientBuilder::basic_auth`] for the security scheme named `scheme`
    /// in the spec only.
    pub fn basic_auth_for(
        mut self,
        scheme: impl Into<String>,
        user: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Self {
        let credentials = Credentials::Basic {
            user: user.into(),
            password: password.into(),
        };
        self.give(Some(scheme.into()), credentials);
        self
    }

    /// Authenticates with an API key, for every `type: apiKey` scheme: each
    /// operation sends it where the scheme its requirement names says (a
    /// header, a query parameter or a cookie). When the schemes take
    /// different keys, give each its own with [`ClientBuilder::api_key_for`].
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        self.give(None, Credentials::ApiKey(key.into()));
        self
    }

    /// An API key for the `type: apiKey` scheme named `scheme` in the spec
    /// only; it takes precedence over [`ClientBuilder::api_key`] there.
    pub fn api_key_for(mut self, scheme: impl Into<String>, key: impl Into<Secret>) -> Self {
        self.give(Some(scheme.into()), Credentials::ApiKey(key.into()));
        self
    }

    /// Records credentials; the same kind for the same target again
    /// replaces them.
    fn give(&mut self, scheme: Option<String>, credentials: Credentials) {
        self.credentials.retain(|given| {
            given.scheme != scheme
                || std::mem::discriminant(&given.credentials)
                    != std::mem::discriminant(&credentials)
        });
        self.credentials.push(Given {
            scheme,
            credentials,
        });
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

    /// Adds a `reqwest-middleware` layer (feature `middleware`): tracing,
    /// caching or signing that others wrote, or an async step of your own.
    /// Layers run in the order added, around each attempt's sending: after
    /// the credentials are set (a signature covers them; a layer sees them,
    /// so it must not log them), before redirects, challenges and retries
    /// are decided, which each make a new attempt that the layers see too.
    /// A layer's error ends the call as [`Error::Middleware`](crate::Error::Middleware).
    #[cfg(feature = "middleware")]
    pub fn with_middleware(mut self, layer: impl reqwest_middleware::Middleware) -> Self {
        self.middleware.push(Arc::new(layer));
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
        self = match settings.credentials {
            Some(EnvCredentials::ServiceAccount { id, secret }) => self.service_account(id, secret),
            Some(EnvCredentials::Digest { public, private }) => self.digest_auth(public, private),
            None => self,
        };
        for (name, mut values) in settings.schemes {
            let kind = self
                .defaults
                .schemes
                .iter()
                .find(|scheme| scheme.name == name)
                .map(|scheme| scheme.kind);
            self = match (kind, values.len()) {
                (Some(SchemeKind::ApiKey(_)), 1) => self.api_key_for(name, values.remove(0)),
                (Some(SchemeKind::Bearer | SchemeKind::ClientCredentials), 1) => {
                    self.bearer_token_for(name, values.remove(0))
                }
                (Some(SchemeKind::Basic), 2) => {
                    let password = values.remove(1);
                    self.basic_auth_for(name, values.remove(0), password)
                }
                _ => {
                    return Err(BuildError::Environment(format!(
                        "the variables of security scheme {name:?} do not fit it"
                    )));
                }
            };
        }
        Ok(self)
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<C, BuildError> {
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
        let mut used = vec![false; self.credentials.len()];
        let mut held = Vec::new();
        for scheme in self.defaults.schemes {
            // Credentials named for this scheme, else the best fit of those
            // set for every scheme (the last set among equals).
            let named = self
                .credentials
                .iter()
                .position(|given| given.scheme.as_deref() == Some(scheme.name));
            let chosen = match named {
                Some(index) => {
                    let given = &self.credentials[index].credentials;
                    if given.fit(scheme.kind).is_none() {
                        return Err(BuildError::Conflict(format!(
                            "{}_for({:?}, ..) was set, but that scheme does not take {}",
                            given.method(),
                            scheme.name,
                            given.method().replace('_', " ")
                        )));
                    }
                    Some(index)
                }
                None => self
                    .credentials
                    .iter()
                    .enumerate()
                    .filter(|(_, given)| given.scheme.is_none())
                    .filter_map(|(index, given)| Some((given.credentials.fit(scheme.kind)?, index)))
                    .min_by_key(|&(fit, index)| (fit, std::cmp::Reverse(index)))
                    .map(|(_, index)| index),
            };
            let Some(index) = chosen else { continue };
            used[index] = true;
            let kind = match self.credentials[index].credentials.clone() {
                Credentials::Digest {
                    public_key,
                    private_key,
                } => HeldKind::Digest(DigestAuth::new(public_key, private_key)),
                Credentials::Bearer(token) => HeldKind::Static(StaticAuth::bearer(token)),
                Credentials::Basic { user, password } => {
                    HeldKind::Static(StaticAuth::basic(&user, password))
                }
                Credentials::ApiKey(key) => {
                    let SchemeKind::ApiKey(place) = scheme.kind else {
                        unreachable!("an API key fits only an API key scheme")
                    };
                    HeldKind::Static(StaticAuth::api_key(place, key))
                }
                Credentials::ServiceAccount {
                    client_id,
                    client_secret,
                } => {
                    let token_path = self.defaults.token_path.ok_or_else(|| {
                        BuildError::Conflict(
                            "this API declares no OAuth 2.0 token endpoint".to_owned(),
                        )
                    })?;
                    // The token request carries the client secret and the
                    // revocation request the token, in their bodies: reqwest
                    // would resend a body on a 307/308 to any host.
                    let oauth_http = http_builder()
                        .redirect(Policy::custom(same_origin_only))
                        .build()
                        .map_err(BuildError::Http)?;
                    HeldKind::ServiceAccount(ServiceAccount::new(
                        client_id,
                        client_secret,
                        token_path,
                        self.defaults.revoke_path,
                        self.defaults.scopes,
                        oauth_http,
                    ))
                }
            };
            held.push(Held {
                scheme: scheme.name,
                kind,
            });
        }
        if let Some(given) = self
            .credentials
            .iter()
            .zip(&used)
            .find_map(|(given, used)| (!used).then_some(given))
        {
            let declared: Vec<&str> = self.defaults.schemes.iter().map(|s| s.name).collect();
            return Err(BuildError::Conflict(match &given.scheme {
                Some(name) => format!(
                    "{}_for({name:?}, ..) names a security scheme this API does not declare; it declares {}",
                    given.credentials.method(),
                    if declared.is_empty() {
                        "none".to_owned()
                    } else {
                        declared.join(", ")
                    }
                ),
                None => given.credentials.undeclared().to_owned(),
            }));
        }
        if held.len() > MAX_HELD {
            return Err(BuildError::Conflict(format!(
                "credentials for {} security schemes were set; a client holds at most {MAX_HELD}",
                held.len()
            )));
        }
        let auth = Auth::new(held);
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
        #[cfg(feature = "middleware")]
        let middleware = (!self.middleware.is_empty())
            .then(|| reqwest_middleware::ClientWithMiddleware::new(http.clone(), self.middleware));
        Ok(C::from(Transport {
            #[cfg(feature = "middleware")]
            middleware,
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
        schemes: &[
            SecurityScheme {
                name: "DigestAuth",
                kind: SchemeKind::Digest,
            },
            SecurityScheme {
                name: "ServiceAccounts",
                kind: SchemeKind::ClientCredentials,
            },
        ],
        rate_limit: RateLimitHeaders::DRAFT,
        envelope: None,
        property_names: &[],
        env: EnvNames {
            base_url: Some("PROBE_BASE_URL"),
            service_account: &[("PROBE_CLIENT_ID", "PROBE_CLIENT_SECRET")],
            digest: &[("PROBE_PUBLIC_KEY", "PROBE_PRIVATE_KEY")],
            schemes: &[],
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
    fn each_scheme_holds_its_own_credentials() {
        let probe = ClientBuilder::<Probe>::new(DEFAULTS)
            .digest_auth("public", "digest-private-value")
            .service_account("id", "account-secret-value")
            .build()
            .unwrap();
        let debug = format!("{probe:?}");
        assert!(
            debug.contains("DigestAuth") && debug.contains("ServiceAccounts"),
            "{debug}"
        );
        assert!(!debug.contains("-value"), "{debug}");
    }

    #[test]
    fn credentials_for_a_scheme_must_fit_a_declared_one() {
        let undeclared = ClientBuilder::<Probe>::new(DEFAULTS)
            .api_key_for("session", "k")
            .build()
            .unwrap_err()
            .to_string();
        assert!(
            undeclared.contains("\"session\"")
                && undeclared.contains("DigestAuth, ServiceAccounts"),
            "{undeclared}"
        );
        let other_kind = ClientBuilder::<Probe>::new(DEFAULTS)
            .basic_auth_for("DigestAuth", "u", "p")
            .build()
            .unwrap_err()
            .to_string();
        assert!(
            other_kind.contains("basic_auth_for(\"DigestAuth\""),
            "{other_kind}"
        );
        let no_scheme = ClientBuilder::<Probe>::new(DEFAULTS)
            .api_key("k")
            .build()
            .unwrap_err()
            .to_string();
        assert!(no_scheme.contains("no API key scheme"), "{no_scheme}");
    }

    #[test]
    fn digest_needs_the_api_to_declare_it() {
        let defaults = ApiDefaults {
            schemes: &DEFAULTS.schemes[1..],
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
