//! OpenAPI document in (3.0, 3.1 or Swagger 2.0), Rust client crate out.
//!
//! The pipeline runs in visible stages, one module each:
//!
//! 1. [`load`]: read the file, parse YAML or JSON, deserialize with `openapiv3`.
//! 2. [`validate`]: reject what the later stages cannot trust (dangling
//!    `$ref`s, duplicate operation ids, undeclared path parameters).
//! 3. [`model`]: build the intermediate representation: operations,
//!    parameters, bodies, responses and named types.
//! 4. [`emit`]: turn the model into Rust token streams and a `Cargo.toml`.
//! 5. [`format`]: pretty-print the tokens and add the "do not edit" header.
//! 6. [`write`]: replace the output folder atomically, or compare with it.
//!
//! Every failure is a [`Diagnostic`] naming the file, the line where known and
//! the JSON pointer of the offending node.

pub mod all_of;
#[cfg(feature = "cli")]
pub mod cli;
pub mod compare;
pub mod config;
pub mod diagnostic;
mod diagnostic_codes;
pub mod emit;
pub mod format;
mod generated;
pub mod http_method;
pub mod load;
mod locate;
pub mod media;
pub mod model;
mod names;
pub mod path_template;
pub mod patterns;
pub mod refs;
pub mod settings;
pub mod validate;
pub mod write;

use std::path::Path;

pub use config::{Config, PackageConfig};
pub use diagnostic::{Class, Code, Diagnostic, Diagnostics, Error};
pub use generated::{GeneratedCrate, GenerationReport, Place, PreviousCrate};
pub use settings::{RUNTIME_VERSION, Runtime, Settings};

/// This generator's version: the release whose output
/// `tests/compat/VERSION/` keeps for the runtime's compatibility test.
pub const GENERATOR_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Runs every stage but the last: the crate, in memory, ready to be written
/// with [`write::replace_dir`] or compared with [`write::diff_dir`].
/// `config` says what the crate is (`codegen.toml`), `settings` how this run
/// generates it.
pub fn generate(
    spec: &Path,
    config: &Config,
    settings: &Settings,
) -> Result<GeneratedCrate, Error> {
    // Each representation of the spec lives only as long as it is needed,
    // which keeps regen's peak memory near the size of one (docs/BENCHMARKS.md):
    // validation reads the JSON tree, which is then typed part by part, each
    // part of the tree dropped once typed; the model drops each path item
    // once its operations are built; emitting needs only the model.
    let mut loaded = load::load_untyped_within(spec, settings.spec_root.as_deref())?;
    if settings.lenient {
        loaded.mend();
    }
    let checked = validate::validate(&loaded, settings)?;
    loaded.type_document()?;
    let api = model_checked(&mut loaded, checked, config, settings)?;
    drop(loaded);
    finish(api, settings)
}

/// [`generate`] for a spec already loaded, for example from another revision;
/// the model takes the document's paths out of it.
pub fn generate_from(
    loaded: &mut load::LoadedSpec,
    config: &Config,
    settings: &Settings,
) -> Result<GeneratedCrate, Error> {
    let api = model_from(loaded, config, settings)?;
    finish(api, settings)
}

/// The stages up to the model, for a spec already loaded: what the
/// generator decided, with every warning (validation's first), and no
/// crate. The model takes the document's paths out of `loaded`.
pub fn model_from(
    loaded: &mut load::LoadedSpec,
    config: &Config,
    settings: &Settings,
) -> Result<model::Api, Error> {
    if settings.lenient {
        loaded.mend();
    }
    let checked = validate::validate(loaded, settings)?;
    model_checked(loaded, checked, config, settings)
}

fn model_checked(
    loaded: &mut load::LoadedSpec,
    checked: validate::Checked,
    config: &Config,
    settings: &Settings,
) -> Result<model::Api, Error> {
    let mut api = model::build(loaded, &checked.broken_patterns, config, settings)?;
    api.warnings.splice(0..0, checked.warnings);
    Ok(api)
}

fn finish(mut api: model::Api, settings: &Settings) -> Result<GeneratedCrate, Error> {
    if let Some(path) = api.runtime.path()
        && Path::new(path).has_root()
    {
        return Err(Error::Settings(format!(
            "the runtime path `{path}` is absolute: give it relative to the generated crate, so that the crate builds wherever it is checked out"
        )));
    }
    // The crate being replaced is read once: here, for the files whose
    // tokens did not change, and by `write` for what did.
    let previous = match &settings.previous {
        Some(folder) => Some(generated::PreviousCrate {
            folder: folder.clone(),
            files: write::read_tree(folder)?,
        }),
        None => None,
    };
    let places = emit::places(&api);
    let files = format::format(
        emit::emit(&api),
        settings.cache.as_deref(),
        previous.as_ref().map(|previous| &previous.files),
    )?;
    let report = GenerationReport {
        operations: api.operations.len(),
        types: api.types.len(),
        skipped: std::mem::take(&mut api.skipped),
        warnings: std::mem::take(&mut api.warnings),
    };
    Ok(GeneratedCrate {
        previous,
        places,
        files,
        report,
        model: std::sync::Arc::new(api),
    })
}
