//! What the client needs from the security schemes: where to get tokens.

use openapiv3::{ReferenceOr, SecurityScheme};

use crate::load::LoadedSpec;

/// The token and revocation endpoints of the first OAuth 2.0 client
/// credentials flow, by scheme name. Paths where they are on the API's own
/// host (the first server's), which the client joins to its base URL so
/// that a proxy or a test server receives token requests too; absolute
/// URLs where they are on another host, an identity provider's.
pub fn client_credentials(spec: &LoadedSpec) -> (Option<String>, Option<String>) {
    let server = spec
        .document
        .servers
        .first()
        .map(|server| server.url.as_str());
    let endpoint = |url: &str| endpoint(url, server);
    let Some(components) = &spec.document.components else {
        return (None, None);
    };
    let mut schemes: Vec<_> = components.security_schemes.iter().collect();
    schemes.sort_by(|a, b| a.0.cmp(b.0));
    for (_, scheme) in schemes {
        if let ReferenceOr::Item(SecurityScheme::OAuth2 { flows, .. }) = scheme
            && let Some(flow) = &flows.client_credentials
        {
            let revoke = flow
                .extensions
                .get("x-revocation-url")
                .and_then(|value| value.as_str())
                .map(endpoint);
            return (Some(endpoint(&flow.token_url)), revoke);
        }
    }
    (None, None)
}

/// The credentials sent as they are that the security schemes declare.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaticSchemes {
    /// `type: http, scheme: bearer`.
    pub bearer: bool,
    /// `type: http, scheme: basic`.
    pub basic: bool,
    /// The first `type: apiKey`, by scheme name: where it goes (`header`,
    /// `query` or `cookie`) and its name there.
    pub api_key: Option<(ApiKeyIn, String)>,
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyIn {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// The Bearer, Basic and API key schemes the document declares.
pub fn static_schemes(spec: &LoadedSpec) -> StaticSchemes {
    let mut found = StaticSchemes::default();
    let Some(components) = &spec.document.components else {
        return found;
    };
    let mut schemes: Vec<_> = components.security_schemes.iter().collect();
    schemes.sort_by(|a, b| a.0.cmp(b.0));
    for (_, scheme) in schemes {
        match scheme {
            ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. }) => {
                found.bearer |= scheme.eq_ignore_ascii_case("bearer");
                found.basic |= scheme.eq_ignore_ascii_case("basic");
            }
            ReferenceOr::Item(SecurityScheme::APIKey { location, name, .. })
                if found.api_key.is_none() =>
            {
                let place = match location {
                    openapiv3::APIKeyLocation::Header => ApiKeyIn::Header,
                    openapiv3::APIKeyLocation::Query => ApiKeyIn::Query,
                    openapiv3::APIKeyLocation::Cookie => ApiKeyIn::Cookie,
                };
                found.api_key = Some((place, name.clone()));
            }
            _ => {}
        }
    }
    found
}

/// Whether a security scheme is `type: http, scheme: digest`.
pub fn declares_digest(spec: &LoadedSpec) -> bool {
    spec.document.components.iter().any(|components| {
        components.security_schemes.values().any(|scheme| {
            matches!(scheme, ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. }) if scheme.eq_ignore_ascii_case("digest"))
        })
    })
}

/// `url` as the client should reach it: its path when it is relative or on
/// the host of `server`, else the whole URL.
fn endpoint(url: &str, server: Option<&str>) -> String {
    let host = |url: &str| {
        url.split_once("://")
            .map(|(_, rest)| rest.split('/').next().unwrap_or(rest).to_ascii_lowercase())
    };
    match (host(url), server.and_then(host)) {
        (Some(other), Some(own)) if other != own => url.to_owned(),
        // No server to compare with: the base URL the caller sets is the host.
        _ => url_path(url),
    }
}

/// `https://host/api/oauth/token` becomes `/api/oauth/token`; a path stays as it is.
fn url_path(url: &str) -> String {
    match url.split_once("://") {
        Some((_, rest)) => rest
            .find('/')
            .map_or_else(|| "/".to_owned(), |start| rest[start..].to_owned()),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{endpoint, url_path};

    #[test]
    fn an_identity_provider_on_another_host_keeps_its_url() {
        let server = Some("https://api.example.com/v1");
        assert_eq!(
            endpoint("https://login.example.org/oauth2/token", server),
            "https://login.example.org/oauth2/token"
        );
        assert_eq!(
            endpoint("https://API.example.com/oauth/token", server),
            "/oauth/token"
        );
        assert_eq!(endpoint("/oauth/token", server), "/oauth/token");
        assert_eq!(endpoint("https://login.example.org/token", None), "/token");
    }

    #[test]
    fn urls_become_paths() {
        assert_eq!(
            url_path("https://cloud.mongodb.com/api/oauth/token"),
            "/api/oauth/token"
        );
        assert_eq!(url_path("https://example.com"), "/");
        assert_eq!(url_path("/oauth/token"), "/oauth/token");
    }
}
