//! Authentication: HTTP Digest with API keys, or OAuth 2.0 client
//! credentials with service accounts. One state per client, shared by its
//! clones, so nonces and tokens are reused.

mod digest;
mod service_account;
mod static_credentials;

use std::fmt;

use reqwest::StatusCode;

pub(crate) use digest::{DigestAuth, Lease};

/// Redirects followed by OAuth requests, which never leave the origin.
pub(crate) const OAUTH_REDIRECTS: usize = 5;
pub(crate) use service_account::{Bearer, ServiceAccount};
pub(crate) use static_credentials::StaticAuth;

/// How requests authenticate.
pub(crate) enum Auth {
    /// No `Authorization` header.
    None,
    /// RFC 7616 Digest, answering the server's challenge.
    Digest(DigestAuth),
    /// Bearer tokens from the OAuth 2.0 client credentials flow.
    ServiceAccount(ServiceAccount),
    /// A Bearer token, HTTP Basic or an API key, the same on every request.
    Static(StaticAuth),
}

impl Auth {
    /// The kind of credentials held, if any.
    pub(crate) fn credential(&self) -> Option<crate::Credential> {
        use crate::Credential;
        match self {
            Auth::None => None,
            Auth::Digest(_) => Some(Credential::Digest),
            Auth::ServiceAccount(_) => Some(Credential::ServiceAccount),
            Auth::Static(credentials) => Some(credentials.credential()),
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Digest(digest) => digest.fmt(f),
            Auth::ServiceAccount(account) => account.fmt(f),
            Auth::Static(credentials) => credentials.fmt(f),
        }
    }
}

/// Why authentication failed before the API could answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The token endpoint refused to issue an access token.
    #[error("the OAuth token endpoint answered {status}: {body}")]
    TokenRefused {
        /// Its status.
        status: StatusCode,
        /// Its body, as text, at most 1000 characters.
        body: String,
    },
    /// The token endpoint answered 2XX with something that is not a token.
    #[error("the OAuth token endpoint sent no usable access token: {0}")]
    TokenUnreadable(String),
    /// The token endpoint could not be reached.
    #[error("the OAuth token endpoint could not be reached: {0}")]
    TokenUnreachable(#[source] reqwest::Error),
    /// The revocation endpoint refused the token.
    #[error("the OAuth revocation endpoint answered {status}: {body}")]
    RevocationRefused {
        /// Its status.
        status: StatusCode,
        /// Its body, as text, at most 1000 characters.
        body: String,
    },
    /// The OAuth endpoint redirected to another origin; OAuth requests
    /// carry the client secret or the token and never follow it there.
    #[error(
        "the OAuth endpoint answered {status} with a redirect to another origin, which is not followed"
    )]
    RedirectRefused {
        /// Its status.
        status: StatusCode,
    },
    /// The OAuth endpoint kept redirecting within its origin past the
    /// number of redirects OAuth requests follow.
    #[error(
        "the OAuth endpoint kept redirecting within its origin: it answered {status} after {limit} redirects, which is not followed further"
    )]
    TooManyRedirects {
        /// The last status.
        status: StatusCode,
        /// The redirects followed.
        limit: usize,
    },
    /// The token endpoint issued a token of another type than `Bearer`,
    /// which this client cannot use (RFC 6749 §7.1).
    #[error("the OAuth token endpoint issued a token of type {0:?}; only Bearer tokens are used")]
    UnsupportedTokenType(String),
    /// The OAuth endpoint's answer is longer than the client reads.
    #[error("the OAuth endpoint's answer is longer than {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The API declares no endpoint for this.
    #[error("{0}")]
    Unsupported(&'static str),
    /// The operation's `security` requirements take other credentials than
    /// the client holds; nothing was sent.
    #[error(
        "operation `{operation}` takes {} and this client holds {held}; nothing was sent",
        list(accepted)
    )]
    NotAccepted {
        /// The operation's id.
        operation: &'static str,
        /// The kinds it takes.
        accepted: &'static [crate::Credential],
        /// The kind the client holds.
        held: crate::Credential,
    },
    /// The server's Digest challenge could not be answered.
    #[error("the server's Digest challenge cannot be answered: {0}")]
    Challenge(String),
}

/// `a, b or c`.
fn list(kinds: &[crate::Credential]) -> String {
    let names: Vec<String> = kinds.iter().map(ToString::to_string).collect();
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => "no credentials".to_owned(),
    }
}

/// A body for an error message: text, cut to a readable length.
fn excerpt(text: &str) -> String {
    match text.char_indices().nth(1000) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}
