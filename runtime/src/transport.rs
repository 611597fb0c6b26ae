//! The HTTP transport every generated operation sends through, and the
//! builder that configures it.

use std::fmt;
use std::marker::PhantomData;

use reqwest::{Method, RequestBuilder, Response, Url};

use crate::{BuildError, Error};

/// A configured HTTP client bound to a base URL.
///
/// Cheap to clone: clones share one connection pool.
#[derive(Clone, Debug)]
pub struct Transport {
    http: reqwest::Client,
    /// Without a trailing slash, so that `base_url + path` is the request URL.
    base_url: String,
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

    /// Sends a request built with [`Transport::request`].
    pub async fn send<E>(&self, request: RequestBuilder) -> Result<Response, Error<E>> {
        request.send().await.map_err(Error::Communication)
    }
}

/// Configures and builds a generated client `C`.
pub struct ClientBuilder<C> {
    base_url: String,
    user_agent: String,
    http: Option<reqwest::Client>,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("user_agent", &self.user_agent)
            .field("custom_http_client", &self.http.is_some())
            .finish()
    }
}

impl<C: From<Transport>> ClientBuilder<C> {
    /// A builder with the spec's server and the generated crate's name as User-Agent.
    pub fn new(default_base_url: &str, default_user_agent: &str) -> Self {
        Self {
            base_url: default_base_url.to_owned(),
            user_agent: default_user_agent.to_owned(),
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

    /// Replaces the default `User-Agent`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Uses a `reqwest::Client` configured by the caller (timeouts, proxies,
    /// TLS roots); the builder's User-Agent is then not applied.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<C, BuildError> {
        let base_url = check_base_url(&self.base_url)?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(self.user_agent)
                .build()
                .map_err(BuildError::Http)?,
        };
        Ok(C::from(Transport { http, base_url }))
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

    struct Probe(Transport);

    impl From<Transport> for Probe {
        fn from(transport: Transport) -> Self {
            Probe(transport)
        }
    }

    fn build(url: &str) -> Result<Probe, BuildError> {
        ClientBuilder::<Probe>::new("https://example.invalid", "probe/1")
            .base_url(url)
            .build()
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
            let error = build(url).err().expect(url);
            assert!(error.to_string().contains(url), "{error}");
        }
    }

    #[test]
    fn the_default_base_url_is_used_when_none_is_set() {
        let probe = ClientBuilder::<Probe>::new("https://cloud.example.com", "probe/1")
            .build()
            .unwrap();
        assert_eq!(probe.0.base_url(), "https://cloud.example.com");
    }
}
