//! HTTP Digest authentication (RFC 7616) with the `digest_auth` crate.

use std::fmt;
use std::sync::Mutex;

use digest_auth::{AuthContext, HttpMethod, WwwAuthenticateHeader};
use reqwest::header::{HeaderMap, HeaderValue, WWW_AUTHENTICATE};

use super::AuthError;
use crate::Secret;

/// An API key pair and the server's latest challenge.
pub(crate) struct DigestAuth {
    public_key: String,
    private_key: Secret,
    /// Reused for following requests while the server accepts its nonce;
    /// `digest_auth` counts `nc` up on each use.
    challenge: Mutex<Option<WwwAuthenticateHeader>>,
}

/// What a 401 said.
pub(crate) struct Challenge {
    /// `stale=true`: the nonce expired but the credentials were right.
    pub stale: bool,
}

impl DigestAuth {
    pub(crate) fn new(public_key: String, private_key: Secret) -> Self {
        Self {
            public_key,
            private_key,
            challenge: Mutex::new(None),
        }
    }

    /// The `Authorization` value for a request, or `None` before the first challenge.
    pub(crate) fn authorize(
        &self,
        method: &str,
        uri: &str,
        body: Option<&[u8]>,
    ) -> Result<Option<HeaderValue>, AuthError> {
        let mut guard = self
            .challenge
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(challenge) = guard.as_mut() else {
            return Ok(None);
        };
        let context = AuthContext::new_with_method(
            self.public_key.as_str(),
            self.private_key.expose(),
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

    /// Stores the challenge of a 401; `None` when it carries no Digest challenge.
    pub(crate) fn accept_challenge(
        &self,
        headers: &HeaderMap,
    ) -> Result<Option<Challenge>, AuthError> {
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
        *self
            .challenge
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(challenge);
        Ok(Some(Challenge { stale }))
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
