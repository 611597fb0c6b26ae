//! The small configuration file beside the spec: what the spec cannot say
//! about the crate to generate.

use std::path::Path;

use serde::Deserialize;

use crate::Error;

/// Settings for one generated crate.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Package name of the generated crate.
    pub name: String,
    /// Package version of the generated crate.
    pub version: String,
    /// One-line package description; the spec's `info.title` when absent.
    #[serde(default)]
    pub description: Option<String>,
    /// An envelope the server wraps bodies in when a query parameter asks
    /// for it; the client unwraps it.
    #[serde(default)]
    pub envelope: Option<EnvelopeConfig>,
    /// The names of the API's rate limit headers.
    #[serde(default)]
    pub rate_limit_headers: RateLimitConfig,
    /// How to choose among several versions of a media type.
    #[serde(default)]
    pub media_types: MediaTypesConfig,
    /// The environment variables `Client::from_env` reads.
    #[serde(default)]
    pub env: EnvConfig,
    /// String properties that hold secrets although the spec marks them
    /// neither `format: password` nor `x-sensitive: true`: `Schema.property`,
    /// or `*.property` for that property in every schema. They become `Secret`.
    #[serde(default)]
    pub sensitive: Vec<String>,
    /// How list operations are paged, if the API pages them one way;
    /// operations that fit get `pages()` and `stream()`.
    #[serde(default)]
    pub pagination: Option<PaginationConfig>,
    /// The part name of each `multipart/form-data` body that is a list
    /// (Jira's attachments), by operationId: the spec names the parts of
    /// an object body by its properties, and those of a list nowhere.
    /// Every item is sent as a part of that name.
    #[serde(default)]
    pub multipart_parts: std::collections::BTreeMap<String, String>,
    /// Where the crate finds `client-runtime` (`version = "0.1"` or a
    /// relative `path = "../runtime"`), instead of what the caller's
    /// [`Settings::runtime`](crate::Settings::runtime) says.
    #[serde(default)]
    pub runtime: Option<crate::settings::Runtime>,
}

/// Paging by a query parameter that numbers pages or counts items.
///
/// An operation is paged when it has an optional integer query parameter
/// named `parameter` and its one success body is an object whose property
/// `items` is an array.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaginationConfig {
    /// The query parameter that selects the page (`pageNum`) or the offset
    /// of its first item (`offset`).
    pub parameter: String,
    /// What the parameter counts: `pages` (the next page is one more) or
    /// `items` (the next offset adds the items received).
    #[serde(default)]
    pub counts: PageCounting,
    /// The response property that holds the page's items.
    pub items: String,
    /// The parameter's value for the first page when the caller sets none.
    #[serde(default = "PaginationConfig::default_start")]
    pub start: i64,
    /// The integer response property that counts the items of the whole
    /// listing (`totalCount`), if the API reports one: a walk whose pages
    /// report different totals ends with an error, since the listing
    /// changed under it (or the server makes up pages).
    #[serde(default)]
    pub total: Option<String>,
}

impl PaginationConfig {
    fn default_start() -> i64 {
        1
    }
}

/// What a paging parameter counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageCounting {
    /// Page numbers.
    #[default]
    Pages,
    /// Item offsets.
    Items,
}

/// An envelope such as `{"status": 404, "content": {..}}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeConfig {
    /// The boolean query parameter that asks for it.
    pub parameter: String,
    /// The field that holds the wrapped response's HTTP status.
    pub status: String,
    /// The field that holds the wrapped body.
    pub content: String,
}

/// Rate limit header names; the IETF draft's by default.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitConfig {
    /// Requests allowed in the current window.
    pub limit: String,
    /// Requests left in the current window.
    pub remaining: String,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            limit: "RateLimit-Limit".to_owned(),
            remaining: "RateLimit-Remaining".to_owned(),
        }
    }
}

/// Media-type versions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaTypesConfig {
    /// Text that marks a version as unstable (for example `.preview+`): it
    /// is the default only when no other version of the media type is declared.
    #[serde(default)]
    pub unstable: Vec<String>,
}

/// Names of environment variables, as the API's other tools already use them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvConfig {
    /// Overrides the base URL.
    #[serde(default)]
    pub base_url: Option<String>,
    /// `[client id, client secret]` pairs, in order of preference.
    #[serde(default)]
    pub service_account: Vec<[String; 2]>,
    /// `[public key, private key]` pairs for Digest, in order of preference.
    #[serde(default)]
    pub digest: Vec<[String; 2]>,
}

/// `MAJOR.MINOR.PATCH` with an optional `-pre` and `+build`, as Cargo
/// reads a package version; `None` when `text` is not one.
fn semver_version(text: &str) -> Option<()> {
    let (core, _build) = text.split_once('+').unwrap_or((text, ""));
    let (core, pre) = core
        .split_once('-')
        .map_or((core, None), |(c, p)| (c, Some(p)));
    let numbers: Vec<&str> = core.split('.').collect();
    let numeric = |part: &&str| {
        !part.is_empty()
            && part.chars().all(|c| c.is_ascii_digit())
            && (part.len() == 1 || !part.starts_with('0'))
    };
    let identifiers_ok = |text: &str| {
        text.split('.').all(|part| {
            !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
    };
    (numbers.len() == 3
        && numbers.iter().all(numeric)
        && pre.is_none_or(identifiers_ok)
        && (_build.is_empty() || identifiers_ok(_build)))
    .then_some(())
}

impl Config {
    /// A configuration with only a name and a version.
    pub fn new(name: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            version: version.into(),
            description: None,
            envelope: None,
            rate_limit_headers: RateLimitConfig::default(),
            media_types: MediaTypesConfig::default(),
            env: EnvConfig::default(),
            sensitive: Vec::new(),
            pagination: None,
            multipart_parts: std::collections::BTreeMap::new(),
            runtime: None,
        }
    }

    /// Reads a TOML configuration file.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|reason| Error::Io {
            path: path.to_owned(),
            reason,
        })?;
        let config: Self = toml::from_str(&text).map_err(|error| Error::Config {
            path: path.to_owned(),
            message: error.to_string(),
        })?;
        let valid_name = config
            .name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && config
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid_name {
            return Err(Error::Config {
                path: path.to_owned(),
                message: format!(
                    "`name = \"{}\"` is not a package name: use letters, digits, `-` and `_`, starting with a letter",
                    config.name.escape_debug()
                ),
            });
        }
        if let Some(entry) = config.sensitive.iter().find(|entry| {
            !entry
                .split_once('.')
                .is_some_and(|(schema, property)| !schema.is_empty() && !property.is_empty())
        }) {
            return Err(Error::Config {
                path: path.to_owned(),
                message: format!(
                    "`sensitive` entry `{}` is not `Schema.property` or `*.property`",
                    entry.escape_debug()
                ),
            });
        }
        if let Some(crate::settings::Runtime::Path(runtime)) = &config.runtime
            && Path::new(runtime).has_root()
        {
            return Err(Error::Config {
                path: path.to_owned(),
                message: format!(
                    "`[runtime] path = \"{}\"` is absolute: write it relative to the generated crate, so that it builds wherever it is checked out",
                    runtime.escape_debug()
                ),
            });
        }
        if semver_version(&config.version).is_none() {
            return Err(Error::Config {
                path: path.to_owned(),
                message: format!(
                    "`version = \"{}\"` is not a semantic version such as `0.1.0`, which Cargo requires",
                    config.version.escape_debug()
                ),
            });
        }
        Ok(config)
    }
}
