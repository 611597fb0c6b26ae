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
    /// A boolean query parameter that makes the server wrap bodies as
    /// `{"status": .., "content": ..}`; the client unwraps them.
    #[serde(default)]
    pub envelope_parameter: Option<String>,
    /// The environment variables `Client::from_env` reads.
    #[serde(default)]
    pub env: EnvConfig,
    /// String properties that hold secrets although the spec marks them
    /// neither `format: password` nor `x-sensitive: true`: `Schema.property`,
    /// or `*.property` for that property in every schema. They become `Secret`.
    #[serde(default)]
    pub sensitive: Vec<String>,
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
            name: name.into(),
            version: version.into(),
            description: None,
            envelope_parameter: None,
            env: EnvConfig::default(),
            sensitive: Vec::new(),
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
        if let Some(entry) = config.sensitive.iter().find(|entry| {
            !entry
                .split_once('.')
                .is_some_and(|(schema, property)| !schema.is_empty() && !property.is_empty())
        }) {
            return Err(Error::Config {
                path: path.to_owned(),
                message: format!(
                    "`sensitive` entry `{entry}` is not `Schema.property` or `*.property`"
                ),
            });
        }
        Ok(config)
    }
}
