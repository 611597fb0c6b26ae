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

/// Which of a client's credentials an operation takes (the runtime's
/// `Security`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum OperationSecurity {
    /// Whatever the client holds.
    #[default]
    Any,
    /// None: the operation is public.
    Public,
    /// Only these kinds, in the runtime's order.
    Only(Vec<Credential>),
}

/// A kind of credentials (the runtime's `Credential`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Credential {
    Digest,
    ServiceAccount,
    Bearer,
    Basic,
    ApiKey,
}

/// What an operation's `security` requirements (its own, else the
/// document's) let the client send, and the scopes they name for an
/// OAuth 2.0 client credentials flow.
///
/// A client holds one kind of credentials at a time, so an alternative
/// that needs two schemes at once cannot be met by any one kind: when no
/// alternative names a single scheme the client knows, the operation takes
/// whatever the client holds (the server decides), as it does when the
/// spec says nothing or lists an empty alternative (optional credentials).
pub fn of_operation(
    spec: &LoadedSpec,
    own: Option<&Vec<openapiv3::SecurityRequirement>>,
) -> (OperationSecurity, Vec<String>) {
    let Some(requirements) = own.or(spec.document.security.as_ref()) else {
        return (OperationSecurity::Any, Vec::new());
    };
    if requirements.is_empty() {
        return (OperationSecurity::Public, Vec::new());
    }
    let schemes = spec
        .document
        .components
        .as_ref()
        .map(|c| &c.security_schemes);
    let scheme = |name: &str| match schemes.and_then(|schemes| schemes.get(name)) {
        Some(ReferenceOr::Item(scheme)) => Some(scheme),
        _ => None,
    };
    let mut scopes = Vec::new();
    let mut kinds = Vec::new();
    let mut optional = false;
    for requirement in requirements {
        optional |= requirement.is_empty();
        for (name, named_scopes) in requirement {
            if let Some(SecurityScheme::OAuth2 { flows, .. }) = scheme(name)
                && flows.client_credentials.is_some()
            {
                scopes.extend(named_scopes.iter().cloned());
            }
        }
        if let [(name, _)] = requirement.iter().collect::<Vec<_>>().as_slice() {
            kinds.extend(scheme(name).map(credentials_of).unwrap_or_default());
        }
    }
    kinds.sort();
    kinds.dedup();
    let security = if optional || kinds.is_empty() {
        OperationSecurity::Any
    } else {
        OperationSecurity::Only(kinds)
    };
    (security, scopes)
}

/// The kinds of credentials that meet a scheme.
fn credentials_of(scheme: &SecurityScheme) -> Vec<Credential> {
    match scheme {
        SecurityScheme::HTTP { scheme, .. } => match scheme.to_ascii_lowercase().as_str() {
            "digest" => vec![Credential::Digest],
            "bearer" => vec![Credential::Bearer],
            "basic" => vec![Credential::Basic],
            _ => Vec::new(),
        },
        SecurityScheme::APIKey { .. } => vec![Credential::ApiKey],
        // A token got elsewhere is a Bearer token too.
        SecurityScheme::OAuth2 { flows, .. } if flows.client_credentials.is_some() => {
            vec![Credential::ServiceAccount, Credential::Bearer]
        }
        SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. } => {
            vec![Credential::Bearer]
        }
    }
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
