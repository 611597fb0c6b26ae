//! Cookie parameters: every pair in the request's one `Cookie` header.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use reqwest::RequestBuilder;
use reqwest::header::COOKIE;
use serde::Serialize;

use crate::Error;

/// What a cookie value cannot hold as it is (RFC 6265 §4.1.1's
/// `cookie-octet` leaves out controls, space, `"`, `,`, `;` and `\`), and
/// `%`, so that an encoded value reads back unchanged: percent-encoded, as
/// the `form` style encodes.
const NOT_COOKIE_OCTET: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(b'%');

/// The cookie parameters of one request, `name=value; name=value`.
#[derive(Debug, Default)]
pub struct Cookies {
    header: String,
}

impl Cookies {
    /// Adds the pair `name=text`, `text` percent-encoded where a cookie
    /// cannot hold it.
    pub fn add(&mut self, name: &str, text: &str) {
        self.add_parts(name, &[text]);
    }

    /// Adds a list or object in the `form` style without `explode`
    /// (`name=a,b,c`: each piece encoded, the commas between them kept);
    /// `null` adds nothing.
    pub fn add_value<E, T: Serialize>(&mut self, name: &str, value: &T) -> Result<(), Error<E>> {
        let value = serde_json::to_value(value).map_err(Error::Serialization)?;
        if let Some(parts) = crate::query::unexploded_parts(&value) {
            self.add_parts(name, &parts);
        }
        Ok(())
    }

    fn add_parts(&mut self, name: &str, parts: &[impl AsRef<str>]) {
        if !self.header.is_empty() {
            self.header.push_str("; ");
        }
        self.header.push_str(name);
        self.header.push('=');
        for (index, part) in parts.iter().enumerate() {
            if index > 0 {
                self.header.push(',');
            }
            self.header
                .extend(utf8_percent_encode(part.as_ref(), NOT_COOKIE_OCTET));
        }
    }

    /// Sets the `Cookie` header, when there is a pair.
    pub fn apply(self, request: RequestBuilder) -> RequestBuilder {
        if self.header.is_empty() {
            request
        } else {
            request.header(COOKIE, self.header)
        }
    }

    /// The pairs of a `Cookie` header, decoded as [`Cookies::add`] encodes.
    #[cfg(feature = "mock")]
    pub(crate) fn parse(header: &str) -> Vec<(String, String)> {
        header
            .split(';')
            .filter_map(|pair| {
                let (name, value) = pair.trim().split_once('=')?;
                let value = percent_encoding::percent_decode_str(value)
                    .decode_utf8_lossy()
                    .into_owned();
                Some((name.to_owned(), value))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Cookies;

    #[test]
    fn pairs_share_one_header_and_values_are_encoded_where_a_cookie_cannot_hold_them() {
        let mut cookies = Cookies::default();
        cookies.add("theme", "dark");
        cookies.add("note", "a b;c,\"d\"\\e%f é");
        cookies
            .add_value::<(), _>("ids", &serde_json::json!([3, 4, "5,6"]))
            .unwrap();
        cookies
            .add_value::<(), _>("none", &serde_json::Value::Null)
            .unwrap();
        assert_eq!(
            cookies.header,
            "theme=dark; note=a%20b%3Bc%2C%22d%22%5Ce%25f%20%C3%A9; ids=3,4,5%2C6"
        );
    }
}
