//! HTTP Digest authentication (RFC 7616): `http-auth` reads the
//! `WWW-Authenticate` challenge lists (RFC 7235), `digest_auth` answers.
//!
//! Why not `http-auth` for the answer too: its 0.1.10 hashes `qop=auth-int`
//! over the raw body (`A2 = method:uri:body`) where RFC 7616 §3.4.3 says
//! `method:uri:H(body)`, so servers refuse it; `tests/digest_auth.rs` checks
//! auth-int against a second implementation and caught it.

use std::fmt;
use std::sync::Mutex;

use digest_auth::{AlgorithmType, AuthContext, HttpMethod, WwwAuthenticateHeader};
use http_auth::parser::ChallengeParser;
use reqwest::header::{HeaderMap, HeaderValue, WWW_AUTHENTICATE};

use super::AuthError;
use crate::Secret;

/// The most idle challenges kept: one per request that was in flight at once.
const MAX_IDLE: usize = 64;

/// An API key pair and the challenges the server has issued.
pub(crate) struct DigestAuth {
    public_key: String,
    private_key: Secret,
    /// Challenges no request is using. A call holds one for its whole
    /// exchange, so the counts (`nc`) of each nonce reach the server in the
    /// order they were made: servers that check them, as Apache's
    /// `AuthDigestNcCheck` does, refuse a count lower than one they have
    /// seen. Concurrent calls each earn a nonce of their own from a first
    /// challenge; sequential calls reuse one with a growing count.
    idle: Mutex<Vec<WwwAuthenticateHeader>>,
}

/// What a 401 said.
pub(crate) struct Challenge {
    /// `stale=true`: the nonce expired but the credentials were right.
    pub stale: bool,
}

/// The challenge one call answers with, given back when the call ends.
pub(crate) struct Lease<'a> {
    auth: &'a DigestAuth,
    challenge: Option<WwwAuthenticateHeader>,
}

impl DigestAuth {
    pub(crate) fn new(public_key: String, private_key: Secret) -> Self {
        Self {
            public_key,
            private_key,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Takes an idle challenge, if there is one, for a call's exchange.
    pub(crate) fn lease(&self) -> Lease<'_> {
        let challenge = self
            .idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .pop();
        Lease {
            auth: self,
            challenge,
        }
    }

    fn give_back(&self, challenge: WwwAuthenticateHeader) {
        let mut idle = self
            .idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if idle.len() < MAX_IDLE {
            idle.push(challenge);
        }
    }
}

impl Lease<'_> {
    /// The `Authorization` value for a request, or `None` before the first challenge.
    pub(crate) fn authorize(
        &mut self,
        method: &str,
        uri: &str,
        body: Option<&[u8]>,
    ) -> Result<Option<HeaderValue>, AuthError> {
        let Some(challenge) = self.challenge.as_mut() else {
            return Ok(None);
        };
        let context = AuthContext::new_with_method(
            self.auth.public_key.as_str(),
            self.auth.private_key.expose(),
            uri,
            body,
            HttpMethod(method.into()),
        );
        let header = challenge
            .respond(&context)
            .map_err(|error| AuthError::Challenge(error.to_string()))?;
        let mut value = HeaderValue::from_str(&header.to_header_string())
            .map_err(|error| AuthError::Challenge(error.to_string()))?;
        value.set_sensitive(true);
        Ok(Some(value))
    }

    /// Replaces the challenge with the one a 401 carries; `None` when it
    /// carries no Digest challenge, and then the call has none left.
    pub(crate) fn accept_challenge(
        &mut self,
        headers: &HeaderMap,
    ) -> Result<Option<Challenge>, AuthError> {
        self.challenge = None;
        let offered = digest_challenges(
            headers
                .get_all(WWW_AUTHENTICATE)
                .iter()
                .filter_map(|value| value.to_str().ok()),
        );
        if offered.is_empty() {
            return Ok(None);
        }
        // The strongest algorithm offered that the crate supports.
        let mut best: Option<WwwAuthenticateHeader> = None;
        let mut first_error = None;
        for result in offered
            .iter()
            .map(|challenge| digest_auth::parse(challenge))
        {
            match result {
                Ok(challenge) => {
                    if best
                        .as_ref()
                        .is_none_or(|best| strength(&challenge) > strength(best))
                    {
                        best = Some(challenge);
                    }
                }
                Err(error) => {
                    first_error.get_or_insert(error);
                }
            }
        }
        let challenge = match (best, first_error) {
            (Some(challenge), _) => challenge,
            (None, Some(error)) => return Err(AuthError::Challenge(error.to_string())),
            (None, None) => return Ok(None),
        };
        let stale = challenge.stale;
        self.challenge = Some(challenge);
        Ok(Some(Challenge { stale }))
    }
}

/// How strong a challenge's algorithm is, for choosing among several.
fn strength(challenge: &WwwAuthenticateHeader) -> u8 {
    match challenge.algorithm.algo {
        AlgorithmType::MD5 => 0,
        AlgorithmType::SHA2_256 => 1,
        AlgorithmType::SHA2_512_256 => 2,
    }
}

/// The Digest challenges among `WWW-Authenticate` values, each rewritten
/// in the one form `digest_auth::parse` reads (`Digest name="value", …`).
///
/// RFC 7235 lets one value hold several challenges (`Basic realm="x",
/// Digest realm="y", …`), schemes and parameter names in any case, and
/// spaces around `=`; `digest_auth` reads none of these, so `http-auth`'s
/// parser reads them first. A value that stops parsing keeps the
/// challenges before the fault.
fn digest_challenges<'a>(values: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut challenges = Vec::new();
    for value in values {
        for challenge in ChallengeParser::new(value).map_while(Result::ok) {
            if !challenge.scheme.eq_ignore_ascii_case("digest") {
                continue;
            }
            let parameters: Vec<String> = challenge
                .params
                .iter()
                .map(|(name, value)| {
                    let escaped = value
                        .to_unescaped()
                        .replace('\\', "\\\\")
                        .replace('"', "\\\"");
                    format!("{}=\"{escaped}\"", name.to_ascii_lowercase())
                })
                .collect();
            challenges.push(format!("Digest {}", parameters.join(", ")));
        }
    }
    challenges
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(challenge) = self.challenge.take() {
            self.auth.give_back(challenge);
        }
    }
}

impl fmt::Debug for DigestAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DigestAuth")
            .field("public_key", &self.public_key)
            .field("private_key", &self.private_key)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use digest_auth::{AuthContext, HttpMethod};

    /// RFC 7616, section 3.9.1: the worked example, for MD5 and SHA-256.
    fn rfc_response(algorithm: &str) -> String {
        let challenge = format!(
            r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm={algorithm}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#
        );
        let mut prompt = digest_auth::parse(&challenge).unwrap();
        let mut context = AuthContext::new_with_method(
            "Mufasa",
            "Circle of Life",
            "/dir/index.html",
            None::<&[u8]>,
            HttpMethod::GET,
        );
        context.set_custom_cnonce("f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
        let header = prompt.respond(&context).unwrap();
        assert_eq!(header.nc, 1);
        header.response
    }

    #[test]
    fn challenges_are_found_and_normalized_as_rfc_7235_writes_them() {
        use super::digest_challenges;
        let read = |value: &str| digest_challenges(std::iter::once(value));
        assert_eq!(
            read(r#"Basic realm="x", Digest realm="y", nonce="n,1", qop="auth, auth-int""#),
            [r#"Digest realm="y", nonce="n,1", qop="auth, auth-int""#]
        );
        assert_eq!(
            read(r#"digest Realm = "a \"b\"" , nonce = n , algorithm = SHA-256"#),
            [r#"Digest realm="a \"b\"", nonce="n", algorithm="SHA-256""#]
        );
        assert_eq!(
            read(r#"Digest realm="a", nonce="1", algorithm=MD5, Digest realm="a", nonce="2", algorithm=SHA-256"#).len(),
            2
        );
        assert!(read(r#"Bearer realm="x", Basic realm="y""#).is_empty());
        assert!(read("").is_empty());
    }

    #[test]
    fn rfc_7616_md5_vector() {
        assert_eq!(rfc_response("MD5"), "8ca523f5e9506fed4657c9700eebdbec");
    }

    #[test]
    fn rfc_7616_sha256_vector() {
        assert_eq!(
            rfc_response("SHA-256"),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
        );
    }
}
