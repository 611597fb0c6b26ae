//! Keeping the client's own credentials out of what a server sends back.
//!
//! A hostile or careless server can echo what it received: the
//! `Authorization` header (a Bearer token, or Basic's base64 of
//! `id:secret`), a form body (the token, form-encoded), a query. So every
//! encoding in which the client itself sends a secret is replaced by
//! [`REDACTED`] wherever a server's text is shown: OAuth error excerpts,
//! and the headers and error bodies of API responses.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{HeaderMap, HeaderValue};

use crate::REDACTED;

/// RFC 3986's unreserved characters stay as they are; everything else is
/// percent-encoded (`NON_ALPHANUMERIC` encodes those too: both are used).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The forms of some secrets, longest first, so that a form that holds
/// another is replaced whole.
#[derive(Default)]
pub(crate) struct Redactor {
    forms: Vec<String>,
}

impl Redactor {
    /// Adds `secret` as it is and in every encoding the client may send it
    /// in: form and percent encoding (either hex case), JSON string
    /// escaping (with `/` escaped or not), and base64 (standard and URL
    /// alphabets, padded or not).
    pub(crate) fn secret(mut self, secret: &str) -> Self {
        if secret.is_empty() {
            return self;
        }
        let mut forms = vec![secret.to_owned()];
        let form_encoded = serde_urlencoded::to_string([("", secret)])
            .map(|pair| pair.trim_start_matches('=').to_owned())
            .unwrap_or_default();
        forms.push(form_encoded);
        for set in [NON_ALPHANUMERIC, UNRESERVED] {
            let encoded = utf8_percent_encode(secret, set).to_string();
            forms.push(lowercase_escapes(&encoded));
            forms.push(encoded);
        }
        if let Ok(json) = serde_json::to_string(secret) {
            let json = json[1..json.len() - 1].to_owned();
            forms.push(json.replace('/', "\\/"));
            forms.push(json);
        }
        forms.extend(base64_forms(secret.as_bytes()));
        self.add(forms);
        self
    }

    /// Adds the base64 of Basic authentication's `user:password`, as the
    /// `Authorization` header carries it.
    pub(crate) fn basic(mut self, user: &str, password: &str) -> Self {
        if password.is_empty() {
            return self;
        }
        let forms = base64_forms(format!("{user}:{password}").as_bytes());
        self.add(forms.into());
        self
    }

    /// Adds every form `other` holds.
    pub(crate) fn merge(mut self, other: &Redactor) -> Self {
        self.add(other.forms.clone());
        self
    }

    /// Whether it holds no form.
    pub(crate) fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    fn add(&mut self, forms: Vec<String>) {
        self.forms.extend(forms);
        // Longest first; an empty form would match everywhere.
        self.forms.retain(|form| !form.is_empty());
        self.forms
            .sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        self.forms.dedup();
    }

    /// `text` with every form replaced.
    pub(crate) fn text(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for form in &self.forms {
            if text.contains(form.as_str()) {
                text = text.replace(form.as_str(), REDACTED);
            }
        }
        text
    }

    /// `body` with every form replaced, when it holds one.
    pub(crate) fn body(&self, body: Bytes) -> Bytes {
        let holds = |form: &String| {
            body.windows(form.len())
                .any(|window| window == form.as_bytes())
        };
        if !self.forms.iter().any(holds) {
            return body;
        }
        // A form is ASCII or the secret's own UTF-8: replacing in the lossy
        // text changes nothing else that was valid UTF-8.
        match std::str::from_utf8(&body) {
            Ok(text) => Bytes::from(self.text(text)),
            Err(_) => Bytes::from(self.text(&String::from_utf8_lossy(&body))),
        }
    }

    /// Replaces each header value that holds a form, and marks it sensitive.
    pub(crate) fn headers(&self, headers: &mut HeaderMap) {
        for value in headers.values_mut() {
            let text = String::from_utf8_lossy(value.as_bytes());
            if self.forms.iter().any(|form| text.contains(form.as_str()))
                && let Ok(mut redacted) = HeaderValue::from_str(&self.text(&text))
            {
                redacted.set_sensitive(true);
                *value = redacted;
            }
        }
    }
}

fn base64_forms(bytes: &[u8]) -> [String; 4] {
    [
        STANDARD.encode(bytes),
        STANDARD_NO_PAD.encode(bytes),
        URL_SAFE.encode(bytes),
        URL_SAFE_NO_PAD.encode(bytes),
    ]
}

/// `%2F` as `%2f`: servers re-encode with either case.
fn lowercase_escapes(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut hex_left = 0;
    for c in encoded.chars() {
        if c == '%' {
            hex_left = 2;
            out.push(c);
        } else if hex_left > 0 {
            hex_left -= 1;
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "a/b+c=d e\"f\\g%h~é";

    #[test]
    fn every_encoding_the_client_sends_is_redacted() {
        let redactor = Redactor::default().secret(SECRET).basic("id", SECRET);
        let echoes = [
            SECRET.to_owned(),
            format!("Bearer {SECRET}"),
            serde_urlencoded::to_string([("token", SECRET)]).unwrap(),
            utf8_percent_encode(SECRET, NON_ALPHANUMERIC).to_string(),
            lowercase_escapes(&utf8_percent_encode(SECRET, UNRESERVED).to_string()),
            serde_json::json!({ "detail": SECRET }).to_string(),
            format!("Basic {}", STANDARD.encode(format!("id:{SECRET}"))),
            URL_SAFE_NO_PAD.encode(SECRET),
        ];
        for echo in echoes {
            let shown = redactor.text(&format!("you sent <{echo}>"));
            assert!(shown.contains(REDACTED), "{echo} -> {shown}");
            for form in &redactor.forms {
                assert!(!shown.contains(form.as_str()), "{echo} -> {shown}");
            }
        }
    }

    #[test]
    fn headers_and_bodies_lose_the_forms_and_keep_the_rest() {
        let redactor = Redactor::default().secret("tok/en");
        let mut headers = HeaderMap::new();
        headers.insert("x-echo", HeaderValue::from_static("Bearer tok%2Fen"));
        headers.insert("x-other", HeaderValue::from_static("fine"));
        redactor.headers(&mut headers);
        assert_eq!(headers["x-echo"], format!("Bearer {REDACTED}").as_str());
        assert!(headers["x-echo"].is_sensitive());
        assert_eq!(headers["x-other"], "fine");
        let body = Bytes::from_static(br#"{"detail": "tok\/en", "n": 1}"#);
        assert_eq!(
            redactor.body(body),
            format!(r#"{{"detail": "{REDACTED}", "n": 1}}"#).as_bytes()
        );
        let untouched = Bytes::from_static(b"\xff\xfe nothing here");
        assert_eq!(redactor.body(untouched.clone()), untouched);
    }
}
