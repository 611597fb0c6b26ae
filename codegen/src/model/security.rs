//! What the client needs from the security schemes: the schemes, where to
//! get tokens, and which credentials each operation sends.

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

/// A security scheme the document declares, as the client sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheme {
    /// Its name under `components.securitySchemes`.
    pub name: String,
    pub kind: SchemeKind,
    /// Its `description`, for the builder's docs.
    pub description: Option<String>,
    /// The environment variables `from_env` reads its credentials from:
    /// the key or token, or Basic's user and password; none for schemes
    /// with variables of their own in the configuration (Digest, client
    /// credentials) or none at all.
    pub variables: Vec<String>,
}

/// What credentials a scheme takes (the runtime's `SchemeKind`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `type: http, scheme: digest`.
    Digest,
    /// `type: oauth2` with a client credentials flow.
    ClientCredentials,
    /// `type: http, scheme: bearer`, or `oauth2` and `openIdConnect`
    /// without a client credentials flow: a token got elsewhere.
    Bearer,
    /// `type: http, scheme: basic`.
    Basic,
    /// `type: apiKey`: where it goes and its name there.
    ApiKey(ApiKeyIn, String),
    /// Anything the client cannot hold credentials for.
    Other,
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

/// The security schemes the document declares, by name; `prefix` (the
/// crate's name) begins their variables' names.
pub fn schemes(spec: &LoadedSpec, prefix: &str) -> Vec<Scheme> {
    let Some(components) = &spec.document.components else {
        return Vec::new();
    };
    let mut schemes: Vec<Scheme> = components
        .security_schemes
        .iter()
        .map(|(name, scheme)| {
            let (kind, description) = match scheme {
                ReferenceOr::Item(scheme) => (kind_of(scheme), description_of(scheme)),
                ReferenceOr::Reference { .. } => (SchemeKind::Other, None),
            };
            let variable = |suffix: &str| crate::names::env_var_name(&[prefix, name, suffix]);
            let variables = match kind {
                SchemeKind::ApiKey(..) | SchemeKind::Bearer => vec![variable("")],
                SchemeKind::Basic => vec![variable("user"), variable("password")],
                SchemeKind::Digest | SchemeKind::ClientCredentials | SchemeKind::Other => {
                    Vec::new()
                }
            };
            Scheme {
                name: name.clone(),
                kind,
                description,
                variables,
            }
        })
        .collect();
    schemes.sort_by(|a, b| a.name.cmp(&b.name));
    schemes
}

fn kind_of(scheme: &SecurityScheme) -> SchemeKind {
    match scheme {
        SecurityScheme::HTTP { scheme, .. } => match scheme.to_ascii_lowercase().as_str() {
            "digest" => SchemeKind::Digest,
            "bearer" => SchemeKind::Bearer,
            "basic" => SchemeKind::Basic,
            _ => SchemeKind::Other,
        },
        SecurityScheme::APIKey { location, name, .. } => {
            let place = match location {
                openapiv3::APIKeyLocation::Header => ApiKeyIn::Header,
                openapiv3::APIKeyLocation::Query => ApiKeyIn::Query,
                openapiv3::APIKeyLocation::Cookie => ApiKeyIn::Cookie,
            };
            SchemeKind::ApiKey(place, name.clone())
        }
        SecurityScheme::OAuth2 { flows, .. } if flows.client_credentials.is_some() => {
            SchemeKind::ClientCredentials
        }
        SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. } => SchemeKind::Bearer,
    }
}

fn description_of(scheme: &SecurityScheme) -> Option<String> {
    match scheme {
        SecurityScheme::HTTP { description, .. }
        | SecurityScheme::APIKey { description, .. }
        | SecurityScheme::OAuth2 { description, .. }
        | SecurityScheme::OpenIDConnect { description, .. } => description.clone(),
    }
}

/// Which of a client's credentials an operation sends (the runtime's
/// `Security`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum OperationSecurity {
    /// The document names no requirement anywhere: the first credentials
    /// the client holds.
    #[default]
    Any,
    /// None: the operation is public.
    Public,
    /// Alternatives, in the spec's order, each the names of the schemes
    /// sent together (sorted); an empty one makes credentials optional.
    Required(Vec<Vec<String>>),
}

/// What an operation's `security` requirements (its own, else the
/// document's) let the client send, and the scopes they name for an
/// OAuth 2.0 client credentials flow.
///
/// An operation without requirements of its own in a document without a
/// root `security` is public when other operations declare theirs (the
/// document says who needs credentials, and this one does not); when no
/// operation declares any, the document says nothing about credentials
/// and the client sends what it holds, as many published documents that
/// forget their requirements expect.
pub fn of_operation(
    spec: &LoadedSpec,
    own: Option<&Vec<openapiv3::SecurityRequirement>>,
    any_declared: bool,
) -> (OperationSecurity, Vec<String>) {
    let Some(requirements) = own.or(spec.document.security.as_ref()) else {
        let security = if any_declared {
            OperationSecurity::Public
        } else {
            OperationSecurity::Any
        };
        return (security, Vec::new());
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
    let mut alternatives: Vec<Vec<String>> = Vec::new();
    for requirement in requirements {
        for (name, named_scopes) in requirement {
            if let Some(SecurityScheme::OAuth2 { flows, .. }) = scheme(name)
                && flows.client_credentials.is_some()
            {
                scopes.extend(named_scopes.iter().cloned());
            }
        }
        let mut names: Vec<String> = requirement.keys().cloned().collect();
        names.sort();
        if !alternatives.contains(&names) {
            alternatives.push(names);
        }
    }
    (OperationSecurity::Required(alternatives), scopes)
}

/// Whether the document or any of its operations names `security`
/// requirements (even empty ones).
pub fn declares_requirements(
    spec: &LoadedSpec,
    paths: &indexmap::IndexMap<String, ReferenceOr<openapiv3::PathItem>>,
) -> bool {
    spec.document.security.is_some()
        || paths.values().any(|item| match item {
            ReferenceOr::Item(item) => item.iter().any(|(_, op)| op.security.is_some()),
            ReferenceOr::Reference { .. } => false,
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
