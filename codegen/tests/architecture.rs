//! The boundaries docs/ARCHITECTURE.md states, checked on the source: each
//! stage names only what it may read (an earlier stage never a later one,
//! emit never the document or the caller's settings, only the model), and
//! no code outside tests names Atlas, the API the project began with: what
//! differs between APIs comes from the spec or `codegen.toml`.

use std::path::{Path, PathBuf};

/// Each stage (a folder or a file of `codegen/src/`) and the paths under
/// `crate::` it must never name.
const BOUNDARIES: &[(&str, &[&str])] = &[
    (
        "load",
        &[
            "validate", "model", "emit", "format", "write", "compare", "cli",
        ],
    ),
    (
        "validate.rs",
        &["model", "emit", "format", "write", "compare", "cli"],
    ),
    (
        "model",
        &["validate", "emit", "format", "write", "compare", "cli"],
    ),
    // The model has taken in what the document, `Config` and `Settings`
    // say: emit reads `Api` alone.
    (
        "emit",
        &[
            "load",
            "validate",
            "format",
            "write",
            "compare",
            "cli",
            "refs",
            "Config",
            "Settings",
            "config::Config",
            "settings::Settings",
        ],
    ),
    (
        "format",
        &["load", "validate", "model", "write", "compare", "cli"],
    ),
    (
        "write.rs",
        &[
            "load", "validate", "model", "emit", "format", "compare", "cli",
        ],
    ),
    ("compare", &["emit", "format", "write", "cli"]),
];

fn source() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file at or under `path`.
fn files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_owned()];
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(path).expect("a folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            out.extend(files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The lines of code of a file, numbered: comments and the unit tests at
/// its end left out.
fn code_lines(path: &Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(path).expect("a source file");
    text.lines()
        .enumerate()
        .take_while(|(_, line)| line.trim() != "#[cfg(test)]")
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .map(|(index, line)| (index + 1, line.to_owned()))
        .collect()
}

/// The paths a line names under `crate::`: `crate::load::X` is `load` and
/// `load::X`, `crate::{Config, Settings}` is `Config` and `Settings`.
fn named(line: &str) -> Vec<String> {
    let ident = |text: &str| -> String {
        text.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    for (at, _) in line.match_indices("crate::") {
        let rest = &line[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for member in group.split(',') {
                let first = ident(member.trim());
                if !first.is_empty() {
                    out.push(first);
                }
            }
            continue;
        }
        let first = ident(rest);
        let after = &rest[first.len()..];
        if let Some(next) = after.strip_prefix("::") {
            out.push(format!("{first}::{}", ident(next)));
        }
        out.push(first);
    }
    out
}

#[test]
fn each_stage_names_only_what_it_may_read() {
    let root = source();
    let mut crossings = Vec::new();
    for (stage, forbidden) in BOUNDARIES {
        let path = root.join(stage);
        assert!(path.exists(), "no stage {stage}");
        for file in files(&path) {
            for (number, line) in code_lines(&file) {
                for name in named(&line) {
                    if forbidden.contains(&name.as_str()) {
                        crossings.push(format!(
                            "{}:{number}: `{stage}` names `crate::{name}`",
                            file.strip_prefix(&root).unwrap_or(&file).display()
                        ));
                    }
                }
            }
        }
    }
    assert!(crossings.is_empty(), "{}", crossings.join("\n"));
}

#[test]
fn no_code_outside_tests_names_the_api_it_began_with() {
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
    let mut found = Vec::new();
    for file in files(&source()).into_iter().chain(files(&runtime)) {
        for (number, line) in code_lines(&file) {
            if line.to_lowercase().contains("atlas") {
                found.push(format!("{}:{number}: {}", file.display(), line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_scan_reads_paths_and_groups() {
    assert_eq!(
        named("use crate::{Config, Settings};"),
        ["Config", "Settings"]
    );
    assert_eq!(
        named("let x = crate::load::parse(crate::refs::node(a));"),
        ["load::parse", "load", "refs::node", "refs"]
    );
    assert!(
        code_lines(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/architecture.rs"))
            .iter()
            .all(|(_, line)| !line.trim_start().starts_with("//"))
    );
}
