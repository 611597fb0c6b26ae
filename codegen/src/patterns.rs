//! Whether a spec's `pattern`s compile the way the generated crate compiles
//! them: `regex` when it can, else `fancy-regex` for ECMA 262 look-around.
//!
//! Compiling is costly for Unicode classes: the published Atlas spec's
//! `^[\p{L}\p{N}...]{1,64}$` takes about 20 ms and 11 MiB of automata.
//! Verdicts are therefore kept between runs in the regen cache, next to
//! rustfmt's results, keyed by the running generator binary (which links
//! the regex crates), so a warm regen compiles nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// The cache file, in the folder of [`crate::Settings::cache`].
const FILE: &str = "patterns.json";

/// What a cache file holds: a verdict per pattern, valid for one binary.
#[derive(Serialize, Deserialize)]
struct Kept {
    /// Which binary compiled them; any other binary compiles again.
    compiler: String,
    /// Pattern to `None` when it compiles, else why not.
    verdicts: BTreeMap<String, Option<String>>,
}

/// The patterns among `patterns` that do not compile, each with the
/// compiler's reason. Each distinct pattern is compiled at most once, on
/// every core, and only when `cache` does not already know it.
pub fn failures(patterns: &[&str], cache: Option<&Path>) -> BTreeMap<String, String> {
    let wanted: BTreeSet<&str> = patterns.iter().copied().collect();
    let compiler = compiler_identity();
    let mut known = match (cache, &compiler) {
        (Some(folder), Some(compiler)) => recall(folder, compiler),
        _ => BTreeMap::new(),
    };
    // Keep only this run's patterns, so the file does not grow.
    known.retain(|pattern, _| wanted.contains(pattern.as_str()));
    let unknown: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|pattern| !known.contains_key(*pattern))
        .collect();
    if !unknown.is_empty() {
        let fresh: Vec<(String, Option<String>)> = unknown
            .par_iter()
            .map(|pattern| (pattern.to_string(), compile_error(pattern)))
            .collect();
        known.extend(fresh);
        if let (Some(folder), Some(compiler)) = (cache, compiler) {
            remember(folder, compiler, &known);
        }
    }
    known
        .into_iter()
        .filter_map(|(pattern, error)| Some((pattern, error?)))
        .collect()
}

/// The verdicts `compiler` left in `folder`, if any.
fn recall(folder: &Path, compiler: &str) -> BTreeMap<String, Option<String>> {
    std::fs::read(folder.join(FILE))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Kept>(&bytes).ok())
        .filter(|kept| kept.compiler == compiler)
        .map(|kept| kept.verdicts)
        .unwrap_or_default()
}

/// Why `pattern` does not compile, as the runtime tries it (ECMA-262's
/// shorthand classes rewritten by `jsonschema-regex`, then `regex`, then
/// `fancy-regex`); `None` if it does.
fn compile_error(pattern: &str) -> Option<String> {
    let source =
        jsonschema_regex::to_rust_regex(pattern).unwrap_or(std::borrow::Cow::Borrowed(pattern));
    if regex::Regex::new(&source).is_ok() {
        return None;
    }
    fancy_regex::Regex::new(&source)
        .err()
        .map(|error| error.to_string())
}

/// The running binary's path, size and modification time: rebuilding it
/// (a new version of a regex crate, say) changes them. `None` when they
/// cannot be read, and then nothing is cached.
fn compiler_identity() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    Some(format!(
        "{}:{}:{:?}",
        exe.display(),
        meta.len(),
        meta.modified().ok()?
    ))
}

/// Writes the verdicts atomically, so that a concurrent regen reads the
/// old file or the new one. The cache is an optimisation: failing to write
/// it loses nothing.
fn remember(folder: &Path, compiler: String, verdicts: &BTreeMap<String, Option<String>>) {
    let kept = Kept {
        compiler,
        verdicts: verdicts.clone(),
    };
    let Ok(text) = serde_json::to_vec(&kept) else {
        return;
    };
    if std::fs::create_dir_all(folder).is_err() {
        return;
    }
    if let Ok(mut file) = tempfile::NamedTempFile::new_in(folder) {
        use std::io::Write;
        if file.write_all(&text).is_ok() {
            let _ = file.persist(folder.join(FILE));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_around_compiles_and_broken_patterns_give_the_reason() {
        let found = failures(&["^(?=a)a$", "([", "^[a-f0-9]{24}$"], None);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found["(["].contains("character class"), "{found:?}");
    }

    #[test]
    fn verdicts_come_from_the_cache_for_the_same_binary() {
        let folder = tempfile::tempdir().unwrap();
        let first = failures(&["([", "a+"], Some(folder.path()));
        assert_eq!(first.keys().collect::<Vec<_>>(), ["(["]);
        // A verdict the cache holds is believed without compiling: plant a
        // false one and see it come back.
        let mut kept: Kept =
            serde_json::from_slice(&std::fs::read(folder.path().join(FILE)).unwrap()).unwrap();
        assert_eq!(kept.verdicts.len(), 2);
        kept.verdicts
            .insert("a+".to_owned(), Some("planted".to_owned()));
        std::fs::write(folder.path().join(FILE), serde_json::to_vec(&kept).unwrap()).unwrap();
        let second = failures(&["([", "a+"], Some(folder.path()));
        assert_eq!(second["a+"], "planted");
        // Another binary's verdicts are not.
        kept.compiler = "another binary".to_owned();
        std::fs::write(folder.path().join(FILE), serde_json::to_vec(&kept).unwrap()).unwrap();
        let third = failures(&["([", "a+"], Some(folder.path()));
        assert!(!third.contains_key("a+"), "{third:?}");
        // Only this run's patterns are kept.
        failures(&["b+"], Some(folder.path()));
        let kept: Kept =
            serde_json::from_slice(&std::fs::read(folder.path().join(FILE)).unwrap()).unwrap();
        assert_eq!(kept.verdicts.keys().collect::<Vec<_>>(), ["b+"]);
    }
}
