//! Authentication: a credential for each security scheme the client was
//! given one for (HTTP Digest, OAuth 2.0 client credentials, Bearer, Basic,
//! API keys), and which of them each operation sends. One state per
//! client, shared by its clones, so nonces and tokens are reused.

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

use crate::redact::Redactor;
use crate::transport::Security;

/// The credentials a client holds: one for each security scheme it was
/// given credentials for, in the order the API declares its schemes.
#[derive(Default)]
pub(crate) struct Auth {
    held: Vec<Held>,
    /// Every form in which the client sends its static credentials, to
    /// keep them out of what servers send back.
    pub(crate) echoes: Option<Redactor>,
    /// Whether a credential travels in the URL (an API key in the query).
    pub(crate) in_url: bool,
}

/// The credentials for one security scheme.
pub(crate) struct Held {
    /// The scheme's name in the spec.
    pub(crate) scheme: &'static str,
    pub(crate) kind: HeldKind,
}

/// How one scheme's credentials are sent.
pub(crate) enum HeldKind {
    /// RFC 7616 Digest, answering the server's challenge.
    Digest(DigestAuth),
    /// Bearer tokens from the OAuth 2.0 client credentials flow.
    ServiceAccount(ServiceAccount),
    /// A Bearer token, HTTP Basic or an API key, the same on every request.
    Static(StaticAuth),
}

/// The schemes whose credentials one call sends: bit `i` stands for the
/// `i`th credential held (a client holds at most [`MAX_HELD`]).
pub(crate) type Chosen = u64;

/// The most credentials one client holds.
pub(crate) const MAX_HELD: usize = 64;

impl Auth {
    pub(crate) fn new(held: Vec<Held>) -> Self {
        let mut echoes: Option<Redactor> = None;
        let mut in_url = false;
        for held in &held {
            if let HeldKind::Static(credentials) = &held.kind {
                in_url |= credentials.in_url();
                echoes = Some(match echoes {
                    Some(echoes) => echoes.merge(&credentials.echoes),
                    None => Redactor::default().merge(&credentials.echoes),
                });
            }
        }
        Self {
            held,
            echoes: echoes.filter(|echoes| !echoes.is_empty()),
            in_url,
        }
    }

    /// The credentials a call of `operation` sends, as its requirements
    /// say: the first alternative whose every scheme the client holds;
    /// none when the operation is public, when an alternative asks for
    /// nothing, or when the client holds nothing at all (its hooks may
    /// authenticate). A client that holds credentials, but not those of
    /// any alternative, refuses the call.
    pub(crate) fn choose(
        &self,
        operation: &'static str,
        security: Security,
    ) -> Result<Chosen, AuthError> {
        match security {
            Security::Public => Ok(0),
            Security::Any => Ok(u64::from(!self.held.is_empty())),
            Security::Required(alternatives) => {
                let mut optional = false;
                for alternative in alternatives {
                    if alternative.is_empty() {
                        optional = true;
                    } else if let Some(chosen) = self.all_of(alternative) {
                        return Ok(chosen);
                    }
                }
                if optional || self.held.is_empty() {
                    return Ok(0);
                }
                Err(AuthError::NotAccepted {
                    operation,
                    accepted: alternatives,
                    held: self.held.iter().map(|held| held.scheme).collect(),
                })
            }
        }
    }

    /// The credentials of every scheme in `schemes`, if the client holds them all.
    fn all_of(&self, schemes: &[&str]) -> Option<Chosen> {
        schemes.iter().try_fold(0, |chosen, scheme| {
            let index = self.held.iter().position(|held| held.scheme == *scheme)?;
            Some(chosen | 1 << index)
        })
    }

    /// The credentials `chosen` stands for.
    pub(crate) fn chosen(&self, chosen: Chosen) -> impl Iterator<Item = &Held> {
        self.held
            .iter()
            .enumerate()
            .filter(move |(index, _)| chosen & (1 << index) != 0)
            .map(|(_, held)| held)
    }

    /// The first chosen service account.
    pub(crate) fn service_account(&self, chosen: Chosen) -> Option<&ServiceAccount> {
        self.chosen(chosen).find_map(|held| match &held.kind {
            HeldKind::ServiceAccount(account) => Some(account),
            _ => None,
        })
    }

    /// The first chosen Digest credentials.
    pub(crate) fn digest(&self, chosen: Chosen) -> Option<&DigestAuth> {
        self.chosen(chosen).find_map(|held| match &held.kind {
            HeldKind::Digest(digest) => Some(digest),
            _ => None,
        })
    }

    /// Any service account the client holds, for revoking its token.
    pub(crate) fn any_service_account(&self) -> Option<&ServiceAccount> {
        self.service_account(Chosen::MAX)
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for held in &self.held {
            match &held.kind {
                HeldKind::Digest(digest) => map.entry(&held.scheme, digest),
                HeldKind::ServiceAccount(account) => map.entry(&held.scheme, account),
                HeldKind::Static(credentials) => map.entry(&held.scheme, credentials),
            };
        }
        map.finish()
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
        "operation `{operation}` takes the credentials of {}, and this client holds those of {}; nothing was sent",
        alternatives(accepted),
        held.join(", ")
    )]
    NotAccepted {
        /// The operation's id.
        operation: &'static str,
        /// Its requirements: alternatives, each the security schemes
        /// whose credentials are sent together.
        accepted: &'static [&'static [&'static str]],
        /// The schemes the client holds credentials for.
        held: Vec<&'static str>,
    },
    /// The server's Digest challenge could not be answered.
    #[error("the server's Digest challenge cannot be answered: {0}")]
    Challenge(String),
}

/// `a, b and c together, or d`.
fn alternatives(alternatives: &[&[&str]]) -> String {
    let each: Vec<String> = alternatives
        .iter()
        .map(|schemes| match schemes {
            [] => "none".to_owned(),
            [one] => (*one).to_owned(),
            several => format!("{} together", several.join(" and ")),
        })
        .collect();
    each.join(", or ")
}

/// A body for an error message: text, cut to a readable length.
fn excerpt(text: &str) -> String {
    match text.char_indices().nth(1000) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}
