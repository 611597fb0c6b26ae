//! HTTP Digest authentication (RFC 7616) with the `digest_auth` crate.

use std::fmt;
use std::sync::Mutex;

use digest_auth::{AuthContext, HttpMethod, WwwAuthenticateHeader};
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
        let Some(header) = headers
            .get_all(WWW_AUTHENTICATE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|value| value.trim_start().starts_with("Digest"))
        else {
            return Ok(None);
        };
        let challenge =
            digest_auth::parse(header).map_err(|error| AuthError::Challenge(error.to_string()))?;
        let stale = challenge.stale;
        self.challenge = Some(challenge);
        Ok(Some(Challenge { stale }))
    }
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
