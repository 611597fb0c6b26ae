//! The HTTP methods an OpenAPI path item can hold, as one type that every
//! stage reads: the model decides with it (a GET's links are followed, its
//! event stream resumed) and emit writes `reqwest::Method`'s constant.

use std::fmt;

/// An operation's HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    /// Every method, in the order a path item lists them in the spec.
    pub const ALL: [HttpMethod; 8] = [
        HttpMethod::Get,
        HttpMethod::Put,
        HttpMethod::Post,
        HttpMethod::Delete,
        HttpMethod::Options,
        HttpMethod::Head,
        HttpMethod::Patch,
        HttpMethod::Trace,
    ];

    /// Their keys in a path item, in the same order.
    pub const KEYS: [&'static str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];

    /// The method of a path item's key (`get`), if it is one.
    pub fn from_key(key: &str) -> Option<Self> {
        let index = Self::KEYS.iter().position(|known| *known == key)?;
        Some(Self::ALL[index])
    }

    /// Its key in a path item, as JSON pointers name it: `get`.
    pub fn key(self) -> &'static str {
        Self::KEYS[self as usize]
    }

    /// As sent and as `reqwest::Method`'s constant is named: `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::HttpMethod;

    #[test]
    fn keys_and_names_agree() {
        for method in HttpMethod::ALL {
            assert_eq!(HttpMethod::from_key(method.key()), Some(method));
            assert_eq!(method.as_str(), method.key().to_uppercase());
        }
        assert_eq!(HttpMethod::from_key("GET"), None);
        assert_eq!(HttpMethod::from_key("query"), None);
    }
}
