//! The small configuration file beside the spec: what the spec cannot say
//! about the crate to generate.

use std::path::Path;

use serde::Deserialize;

use crate::Error;

/// Settings for one generated crate.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The generated crate's `[package]`: its name, version and the keys
    /// crates.io reads. Files written before `[package]` existed give
    /// `name`, `version` and `description` at the top; they are read too.
    pub package: PackageConfig,
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
    /// Derives added to generated types beyond `Debug`, `Clone` and
    /// `PartialEq`: under `"*"` for every type that can take them, or under
    /// a type's name (its Rust name or its schema's name), which passes
    /// them to the types it holds and is an error when it cannot take one.
    #[serde(default)]
    pub derives: std::collections::BTreeMap<String, Vec<Derive>>,
    /// Schemas given as Rust types of the user's choosing instead of
    /// generated ones, by schema name (`components/schemas`).
    #[serde(default)]
    pub replace: std::collections::BTreeMap<String, Replacement>,
    /// Where the crate finds `client-runtime` (`version = "0.1"` or a
    /// relative `path = "../runtime"`), instead of what the caller's
    /// [`Settings::runtime`](crate::Settings::runtime) says.
    #[serde(default)]
    pub runtime: Option<crate::settings::Runtime>,
    /// Cargo features of the generated crate: one per tag, so that a user
    /// compiles only the operations (and types) of the tags they use.
    #[serde(default)]
    pub features: FeaturesConfig,
}

/// `[features]`: whether each tag is a cargo feature, and which are on by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeaturesConfig {
    /// One feature per tag (an operation's first), and `untagged` for the
    /// operations without one.
    #[serde(default)]
    pub per_tag: bool,
    /// Which of them `default` turns on: `all` (a user turns off what they
    /// do not use) or `none` (a user turns on what they use).
    #[serde(default)]
    pub default: DefaultFeatures,
}

/// The tag features `default` turns on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DefaultFeatures {
    /// Every one.
    #[default]
    All,
    /// None.
    None,
}

/// The `[package]` keys of the generated crate's manifest, with Cargo's names.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PackageConfig {
    /// Package name of the generated crate.
    pub name: String,
    /// Package version of the generated crate.
    pub version: String,
    /// One-line package description; the spec's `info.title` when absent.
    #[serde(default)]
    pub description: Option<String>,
    /// `authors`.
    #[serde(default)]
    pub authors: Vec<String>,
    /// An SPDX licence expression (`MIT OR Apache-2.0`); crates.io requires
    /// one to publish.
    #[serde(default)]
    pub license: Option<String>,
    /// The URL of the source repository.
    #[serde(default)]
    pub repository: Option<String>,
    /// The URL of the API's or the crate's home page.
    #[serde(default)]
    pub homepage: Option<String>,
    /// The URL of the documentation; docs.rs when absent.
    #[serde(default)]
    pub documentation: Option<String>,
    /// Up to five crates.io keywords.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Up to five crates.io category slugs (`api-bindings`).
    #[serde(default)]
    pub categories: Vec<String>,
    /// Whether `cargo publish` may publish the crate; `false` unless set, so
    /// that a crate is not published by accident.
    #[serde(default)]
    pub publish: bool,
}

impl PackageConfig {
    /// A package with only a name and a version.
    pub fn new(name: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            version: version.into(),
            description: None,
            authors: Vec::new(),
            license: None,
            repository: None,
            homepage: None,
            documentation: None,
            keywords: Vec::new(),
            categories: Vec::new(),
            publish: false,
        }
    }

    /// The first problem with these keys, as a configuration error says it.
    fn problem(&self) -> Option<String> {
        let valid_name = self
            .name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && self
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid_name {
            return Some(format!(
                "`name = \"{}\"` is not a package name: use letters, digits, `-` and `_`, starting with a letter",
                self.name.escape_debug()
            ));
        }
        if semver::Version::parse(&self.version).is_err() {
            return Some(format!(
                "`version = \"{}\"` is not a semantic version such as `0.1.0`, which Cargo requires",
                self.version.escape_debug()
            ));
        }
        for (key, list) in [
            ("keywords", &self.keywords),
            ("categories", &self.categories),
        ] {
            if list.len() > 5 {
                return Some(format!(
                    "`{key}` has {} entries: crates.io takes at most 5",
                    list.len()
                ));
            }
        }
        // crates.io's rules for a keyword.
        if let Some(keyword) = self.keywords.iter().find(|keyword| {
            keyword.len() > 20
                || !keyword
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
                || !keyword
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+'))
        }) {
            return Some(format!(
                "keyword `{}` is not one crates.io takes: at most 20 ASCII letters, digits, `_`, `-` or `+`, starting with a letter or digit",
                keyword.escape_debug()
            ));
        }
        if let Some(category) = self.categories.iter().find(|category| {
            category.is_empty()
                || !category
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | ':'))
        }) {
            return Some(format!(
                "category `{}` is not a crates.io category slug such as `api-bindings` or `web-programming::http-client`",
                category.escape_debug()
            ));
        }
        for (key, url) in [
            ("repository", &self.repository),
            ("homepage", &self.homepage),
            ("documentation", &self.documentation),
        ] {
            if let Some(url) = url
                && !(url.starts_with("https://") || url.starts_with("http://"))
            {
                return Some(format!(
                    "`{key} = \"{}\"` is not an http(s) URL",
                    url.escape_debug()
                ));
            }
        }
        if self.publish
            && self
                .license
                .as_deref()
                .is_none_or(|license| license.trim().is_empty())
        {
            return Some(
                "`publish = true` needs a `license` (an SPDX expression such as `MIT OR Apache-2.0`): crates.io refuses a crate without one".to_owned(),
            );
        }
        None
    }
}

/// A Rust type that stands for a schema (`[replace.Money]`): every use of
/// the schema becomes this type, which must implement `Debug`, `Clone`,
/// `PartialEq`, `Serialize` and `Deserialize` as the schema's JSON reads,
/// and `schemars::JsonSchema` (schemars 1) for the crate's `schemars` feature.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replacement {
    /// Its path, `rust_decimal::Decimal` or `std::net::Ipv4Addr`; the first
    /// segment is the crate it comes from.
    #[serde(rename = "type")]
    pub type_path: String,
    /// The crate's version requirement on crates.io; needed unless the
    /// crate is `std`, `core`, `alloc` or one the generated crate already
    /// depends on (`serde_json`, `client_runtime`).
    #[serde(default)]
    pub version: Option<String>,
    /// Features of that crate to turn on.
    #[serde(default)]
    pub features: Vec<String>,
    /// What implements schemars 1's `JsonSchema` for it, as a feature the
    /// generated crate's `schemars` feature turns on: `schemars/url2` (one
    /// of schemars' own) or `rust_decimal/…` (one of the crate's).
    #[serde(default)]
    pub schemars: Option<String>,
}

/// Crates a replacement may name without a version: the standard library's
/// and those every generated crate depends on.
pub const CRATES_AT_HAND: [&str; 5] = ["std", "core", "alloc", "serde_json", "client_runtime"];

impl Replacement {
    /// The crate its path names first.
    pub fn crate_name(&self) -> &str {
        self.type_path
            .trim_start_matches("::")
            .split("::")
            .next()
            .unwrap_or_default()
    }

    /// Whether the generated crate must depend on that crate.
    pub fn needs_dependency(&self) -> bool {
        !CRATES_AT_HAND.contains(&self.crate_name())
    }

    fn problem(&self, schema: &str) -> Option<String> {
        let here = format!("`[replace.{schema}]`");
        let path_ok =
            syn::parse_str::<syn::Path>(&self.type_path).is_ok() && self.type_path.contains("::");
        if !path_ok {
            return Some(format!(
                "{here}: `type = \"{}\"` is not a Rust path such as `rust_decimal::Decimal`",
                self.type_path.escape_debug()
            ));
        }
        if self.needs_dependency() {
            let Some(version) = &self.version else {
                return Some(format!(
                    "{here}: `{}` is not a crate the generated crate depends on; give its `version`",
                    self.crate_name()
                ));
            };
            if semver::VersionReq::parse(version).is_err() {
                return Some(format!(
                    "{here}: `version = \"{}\"` is not a version requirement Cargo reads",
                    version.escape_debug()
                ));
            }
            match &self.schemars {
                None => {
                    return Some(format!(
                        "{here}: give `schemars`, the feature that implements schemars 1's `JsonSchema` for `{}` (`schemars/…` or `{}/…`), so that the crate's `schemars` feature builds",
                        self.type_path,
                        self.crate_name()
                    ));
                }
                Some(feature) if !feature.contains('/') => {
                    return Some(format!(
                        "{here}: `schemars = \"{}\"` is not `crate/feature`",
                        feature.escape_debug()
                    ));
                }
                Some(_) => {}
            }
        } else if self.version.is_some() || !self.features.is_empty() || self.schemars.is_some() {
            return Some(format!(
                "{here}: `{}` needs no dependency, so `version`, `features` and `schemars` do not apply",
                self.crate_name()
            ));
        }
        None
    }
}

/// A derive `[derives]` can add: those the standard library offers that a
/// type holding other generated types can take when they do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub enum Derive {
    /// `Eq` (not for numbers that may have a fraction).
    Eq,
    /// `Hash`.
    Hash,
    /// `PartialOrd`.
    PartialOrd,
    /// `Ord`, with the `Eq` and `PartialOrd` it needs.
    Ord,
}

/// How paged operations walk their pages: one document-wide rule by a
/// query parameter that numbers pages or counts items (the top-level
/// keys), and rules of any style for single operations or tags.
///
/// With the top-level keys, an operation is paged when it has an optional
/// integer query parameter named `parameter` and its one success body is
/// an object whose property `items` is an array.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaginationConfig {
    /// The query parameter that selects the page (`pageNum`) or the offset
    /// of its first item (`offset`).
    #[serde(default)]
    pub parameter: Option<String>,
    /// What the parameter counts: `pages` (the next page is one more) or
    /// `items` (the next offset adds the items received).
    #[serde(default)]
    pub counts: PageCounting,
    /// The response property that holds the page's items.
    #[serde(default)]
    pub items: Option<String>,
    /// The parameter's value for the first page when the caller sets none.
    #[serde(default = "PaginationConfig::default_start")]
    pub start: i64,
    /// The integer response property that counts the items of the whole
    /// listing (`totalCount`), if the API reports one: a walk whose pages
    /// report different totals ends with an error, since the listing
    /// changed under it (or the server makes up pages).
    #[serde(default)]
    pub total: Option<String>,
    /// Rules for single operations, by operationId; they win over every
    /// other rule.
    #[serde(default)]
    pub operations: std::collections::BTreeMap<String, PageRuleConfig>,
    /// Rules for the operations of a tag (their first), which win over
    /// the document-wide rule and what the spec says (`x-ms-pageable`).
    #[serde(default)]
    pub tags: std::collections::BTreeMap<String, PageRuleConfig>,
}

impl PaginationConfig {
    fn default_start() -> i64 {
        1
    }

    /// The document-wide rule, when the top-level keys give one.
    pub fn document_rule(&self) -> Option<PageRuleConfig> {
        Some(PageRuleConfig {
            style: match self.counts {
                PageCounting::Pages => PageStyleName::Page,
                PageCounting::Items => PageStyleName::Offset,
            },
            parameter: Some(self.parameter.clone()?),
            items: Some(self.items.clone()?),
            next: None,
            more: None,
            start: Some(self.start),
            total: self.total.clone(),
        })
    }

    /// What is wrong with the rules, named by where they are written.
    fn problem(&self) -> Option<String> {
        if self.parameter.is_some() != self.items.is_some() {
            return Some(
                "[pagination] gives a document-wide rule with both `parameter` and `items`, or neither".to_owned(),
            );
        }
        let rules = self
            .operations
            .iter()
            .map(|(id, rule)| (format!("[pagination.operations.{id}]"), rule))
            .chain(
                self.tags
                    .iter()
                    .map(|(tag, rule)| (format!("[pagination.tags.{tag}]"), rule)),
            );
        for (at, rule) in rules {
            if let Some(problem) = rule.problem() {
                return Some(format!("{at} {problem}"));
            }
        }
        None
    }
}

/// One operation's (or one tag's) paging rule.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageRuleConfig {
    /// How the next page is asked for.
    pub style: PageStyleName,
    /// `page`, `offset`, `cursor`: the query parameter the next request
    /// sets.
    #[serde(default)]
    pub parameter: Option<String>,
    /// `cursor`: the response property holding the next cursor; `next-link`:
    /// the one holding the next page's URL. A path of properties, joined by
    /// dots (`response_metadata.next_cursor`). `last-item`: the property of
    /// an item whose value the next request sends (`id`).
    #[serde(default)]
    pub next: Option<String>,
    /// `last-item`: the boolean property of the page that says whether more
    /// pages follow (`has_more`); without it, an empty page ends the walk.
    #[serde(default)]
    pub more: Option<String>,
    /// The response property holding the page's items; by default the
    /// page's one array property, or the body itself when it is an array.
    #[serde(default)]
    pub items: Option<String>,
    /// `page`, `offset`: the parameter's first value (1 by default).
    #[serde(default)]
    pub start: Option<i64>,
    /// `page`, `offset`: the integer property counting the whole listing.
    #[serde(default)]
    pub total: Option<String>,
}

impl PageRuleConfig {
    fn problem(&self) -> Option<String> {
        let needs = |key: &str, value: bool| {
            (!value).then(|| format!("`style = \"{}\"` needs `{key}`", self.style.name()))
        };
        let refuses = |key: &str, value: bool| {
            value.then(|| format!("`style = \"{}\"` takes no `{key}`", self.style.name()))
        };
        let numbered = matches!(self.style, PageStyleName::Page | PageStyleName::Offset);
        match self.style {
            PageStyleName::Page | PageStyleName::Offset => {
                needs("parameter", self.parameter.is_some())
                    .or_else(|| refuses("next", self.next.is_some()))
            }
            PageStyleName::Cursor | PageStyleName::LastItem => {
                needs("parameter", self.parameter.is_some())
                    .or_else(|| needs("next", self.next.is_some()))
            }
            PageStyleName::NextLink => needs("next", self.next.is_some())
                .or_else(|| refuses("parameter", self.parameter.is_some())),
            PageStyleName::LinkHeader | PageStyleName::None => {
                refuses("parameter", self.parameter.is_some())
                    .or_else(|| refuses("next", self.next.is_some()))
            }
        }
        .or_else(|| {
            refuses(
                "more",
                self.style != PageStyleName::LastItem && self.more.is_some(),
            )
        })
        .or_else(|| refuses("start", !numbered && self.start.is_some()))
        .or_else(|| refuses("total", !numbered && self.total.is_some()))
    }
}

/// The paging styles a rule can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageStyleName {
    /// A page number: the next is one more.
    Page,
    /// An item offset: the next adds the items received.
    Offset,
    /// A cursor or token read from the page, sent back in a query parameter.
    Cursor,
    /// The last item's id (Stripe's `starting_after`), sent in a query
    /// parameter while the page says more follow (`has_more`).
    LastItem,
    /// The next page's URL, read from the page's body.
    NextLink,
    /// The next page's URL in an RFC 8288 `Link` header (`rel="next"`).
    LinkHeader,
    /// Not paged, whatever other rules say.
    None,
}

impl PageStyleName {
    fn name(self) -> &'static str {
        match self {
            PageStyleName::Page => "page",
            PageStyleName::Offset => "offset",
            PageStyleName::Cursor => "cursor",
            PageStyleName::LastItem => "last-item",
            PageStyleName::NextLink => "next-link",
            PageStyleName::LinkHeader => "link-header",
            PageStyleName::None => "none",
        }
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

impl Config {
    /// A configuration with only a name and a version.
    pub fn new(name: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            package: PackageConfig::new(name, version),
            envelope: None,
            rate_limit_headers: RateLimitConfig::default(),
            media_types: MediaTypesConfig::default(),
            env: EnvConfig::default(),
            sensitive: Vec::new(),
            pagination: None,
            multipart_parts: std::collections::BTreeMap::new(),
            derives: std::collections::BTreeMap::new(),
            replace: std::collections::BTreeMap::new(),
            runtime: None,
            features: FeaturesConfig::default(),
        }
    }

    /// Reads a TOML configuration file.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|reason| Error::Io {
            path: path.to_owned(),
            reason,
        })?;
        let error = |message: String| Error::Config {
            path: path.to_owned(),
            message,
        };
        let config: Self = match first_spelling(&text).map_err(error)? {
            Some(table) => table.try_into(),
            // Read from the text, so that an error gives its line.
            None => toml::from_str(&text),
        }
        .map_err(|problem| error(problem.to_string()))?;
        if let Some(problem) = config.package.problem() {
            return Err(error(format!("[package] {problem}")));
        }
        if let Some(problem) = config
            .pagination
            .as_ref()
            .and_then(PaginationConfig::problem)
        {
            return Err(error(problem));
        }
        if let Some(problem) = config
            .replace
            .iter()
            .find_map(|(schema, replacement)| replacement.problem(schema))
        {
            return Err(error(problem));
        }
        if let Some(entry) = config.sensitive.iter().find(|entry| {
            !entry
                .split_once('.')
                .is_some_and(|(schema, property)| !schema.is_empty() && !property.is_empty())
        }) {
            return Err(error(format!(
                "`sensitive` entry `{}` is not `Schema.property` or `*.property`",
                entry.escape_debug()
            )));
        }
        if let Some(runtime) = config.runtime.as_ref().and_then(|runtime| runtime.path())
            && Path::new(runtime).has_root()
        {
            return Err(error(format!(
                "`[runtime] path = \"{}\"` is absolute: write it relative to the generated crate, so that it builds wherever it is checked out",
                runtime.escape_debug()
            )));
        }
        Ok(config)
    }
}

/// The package keys a file gives at the top, as files did before
/// `[package]`, moved into a `[package]` table; `None` when it gives none.
fn first_spelling(text: &str) -> Result<Option<toml::Table>, String> {
    const KEYS: [&str; 3] = ["name", "version", "description"];
    let mut table: toml::Table = text
        .parse()
        .map_err(|error: toml::de::Error| error.to_string())?;
    if !KEYS.iter().any(|key| table.contains_key(*key)) {
        return Ok(None);
    }
    let mut package = match table.remove("package") {
        None => toml::Table::new(),
        Some(toml::Value::Table(package)) => package,
        Some(_) => return Err("`package` is not a table".to_owned()),
    };
    for key in KEYS {
        if let Some(value) = table.remove(key) {
            if package.contains_key(key) {
                return Err(format!(
                    "`{key}` is given both at the top and in `[package]`: keep the one in `[package]`"
                ));
            }
            package.insert(key.to_owned(), value);
        }
    }
    table.insert("package".to_owned(), toml::Value::Table(package));
    Ok(Some(table))
}
