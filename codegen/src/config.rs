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
    /// Where the generated crate finds `client-runtime`, as its manifest
    /// writes it; not read from the file, the caller sets it for the output folder.
    #[serde(skip)]
    pub runtime_path: String,
}

impl Config {
    /// Reads a TOML configuration file.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        toml::from_str(&text).map_err(|error| Error::Config {
            path: path.to_owned(),
            message: error.to_string(),
        })
    }
}
