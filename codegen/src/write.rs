//! Stage 6: replace the output folder atomically, or report how it differs.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::{Error, GeneratedCrate};

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |reason| Error::Io {
        path: path.to_owned(),
        reason,
    }
}

/// Replaces `out` with exactly the generated files, and says which files
/// that added, changed or removed; when none, nothing is written.
///
/// The new tree is written beside `out` and swapped in with two renames, so
/// a failure or an interruption while writing leaves the old `out` whole.
/// A crash between the two renames leaves the old tree in a `.NAME.old-*`
/// folder, which the next call puts back before doing anything else.
pub fn replace_dir(out: &Path, generated: &GeneratedCrate) -> Result<Vec<Change>, Error> {
    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "generated".to_owned());
    fs::create_dir_all(&parent).map_err(io(&parent))?;
    let recovered = recover(out, &parent, &name)?;
    // The old tree is read once: for what changed, and to link what did
    // not; generation read it already when this folder was its previous crate.
    let read;
    let existing = match &generated.previous {
        Some(previous) if previous.folder == out && !recovered => &previous.files,
        _ => {
            read = read_tree(out)?;
            &read
        }
    };
    let changes: Vec<Change> = compare(existing, generated)
        .into_iter()
        .map(|(path, kind)| Change {
            path: path.to_owned(),
            kind,
        })
        .collect();
    if changes.is_empty() && out.exists() {
        return Ok(changes);
    }

    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.new-"))
        .tempdir_in(&parent)
        .map_err(io(&parent))?;
    for (relative, text) in &generated.files {
        let path = staging.path().join(relative);
        if let Some(folder) = path.parent() {
            fs::create_dir_all(folder).map_err(io(folder))?;
        }
        // A file that did not change is linked, not written: creating a
        // thousand inodes is most of a warm regen of a large spec, and the
        // old tree's copy is removed with the swap anyway.
        let current = out.join(relative);
        let unchanged = existing.get(relative) == Some(text);
        if !(unchanged && fs::hard_link(&current, &path).is_ok()) {
            fs::write(&path, text).map_err(io(&path))?;
        }
    }

    let backup = tempfile::Builder::new()
        .prefix(&format!(".{name}.old-"))
        .tempdir_in(&parent)
        .map_err(io(&parent))?;
    let previous = backup.path().join("previous");
    let had_previous = out.exists();
    if had_previous {
        fs::rename(out, &previous).map_err(io(out))?;
    }
    if let Err(reason) = fs::rename(staging.path(), out) {
        if had_previous {
            fs::rename(&previous, out).map_err(io(out))?;
        }
        return Err(Error::Io {
            path: out.to_owned(),
            reason,
        });
    }
    // The staging folder is now `out`; dropping `backup` removes the old tree.
    let _ = staging.keep();
    drop(backup);
    Ok(changes)
}

/// Puts back a tree left aside by an interrupted [`replace_dir`].
/// Whether it moved an old tree back.
fn recover(out: &Path, parent: &Path, name: &str) -> Result<bool, Error> {
    let prefix = format!(".{name}.old-");
    let mut recovered = false;
    let entries = fs::read_dir(parent).map_err(io(parent))?;
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let previous = entry.path().join("previous");
        if file_name.starts_with(&prefix) {
            if !out.exists() && previous.exists() {
                fs::rename(&previous, out).map_err(io(out))?;
                recovered = true;
            }
            fs::remove_dir_all(entry.path()).map_err(io(&entry.path()))?;
        }
    }
    Ok(recovered)
}

/// How a file of the output folder differs from what was generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Generated, not in the folder.
    Added,
    /// In both, with other text.
    Changed,
    /// In the folder, no longer generated.
    Removed,
}

/// One file of the output folder that a write would change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Relative to the folder, with `/`.
    pub path: String,
    /// How it differs.
    pub kind: ChangeKind,
}

fn compare<'a>(
    existing: &'a BTreeMap<String, String>,
    generated: &'a GeneratedCrate,
) -> Vec<(&'a str, ChangeKind)> {
    let mut paths: Vec<&String> = existing.keys().chain(generated.files.keys()).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter_map(|path| {
            let kind = match (existing.get(path), generated.files.get(path)) {
                (None, Some(_)) => ChangeKind::Added,
                (Some(_), None) => ChangeKind::Removed,
                (Some(old), Some(new)) if old != new => ChangeKind::Changed,
                _ => return None,
            };
            Some((path.as_str(), kind))
        })
        .collect()
}

/// A unified diff from what `out` holds to what was generated; `None` when equal.
pub fn diff_dir(out: &Path, generated: &GeneratedCrate) -> Result<Option<String>, Error> {
    let existing = read_tree(out)?;
    let mut report = String::new();
    for (path, kind) in compare(&existing, generated) {
        let old = existing.get(path).map(String::as_str).unwrap_or_default();
        let new = generated
            .files
            .get(path)
            .map(String::as_str)
            .unwrap_or_default();
        let old_name = if kind == ChangeKind::Added {
            "/dev/null".to_owned()
        } else {
            format!("a/{path}")
        };
        let new_name = if kind == ChangeKind::Removed {
            "/dev/null".to_owned()
        } else {
            format!("b/{path}")
        };
        let diff = TextDiff::from_lines(old, new);
        report.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(&old_name, &new_name)
                .to_string(),
        );
    }
    Ok((!report.is_empty()).then_some(report))
}

/// Every file under `root` as text, keyed by relative path; empty when `root` is missing.
pub fn read_tree(root: &Path) -> Result<BTreeMap<String, String>, Error> {
    let mut files = BTreeMap::new();
    if !root.exists() {
        return Ok(files);
    }
    let mut pending = vec![root.to_owned()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).map_err(io(&folder))? {
            let entry = entry.map_err(io(&folder))?;
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .components()
                    .map(|part| part.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let bytes = fs::read(&path).map_err(io(&path))?;
                files.insert(relative, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crate_of(files: &[(&str, &str)]) -> GeneratedCrate {
        GeneratedCrate {
            files: files
                .iter()
                .map(|(path, text)| (path.to_string(), text.to_string()))
                .collect(),
            ..GeneratedCrate::default()
        }
    }

    #[test]
    fn replace_writes_exactly_the_files_and_removes_stale_ones() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("generated");
        replace_dir(&out, &crate_of(&[("a.rs", "one"), ("src/b.rs", "two")])).unwrap();
        replace_dir(&out, &crate_of(&[("a.rs", "three")])).unwrap();
        assert_eq!(fs::read_to_string(out.join("a.rs")).unwrap(), "three");
        assert!(!out.join("src").exists());
        let leftovers: Vec<_> = fs::read_dir(root.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("generated")]);
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_linked_and_changed_ones_written() {
        use std::os::unix::fs::MetadataExt;
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("generated");
        let inode = |name: &str| fs::metadata(out.join(name)).unwrap().ino();
        replace_dir(&out, &crate_of(&[("same.rs", "x"), ("changed.rs", "old")])).unwrap();
        let (same, changed) = (inode("same.rs"), inode("changed.rs"));
        replace_dir(&out, &crate_of(&[("same.rs", "x"), ("changed.rs", "new")])).unwrap();
        assert_eq!(inode("same.rs"), same, "an unchanged file keeps its inode");
        assert_ne!(inode("changed.rs"), changed);
        assert_eq!(fs::read_to_string(out.join("changed.rs")).unwrap(), "new");
        assert_eq!(fs::metadata(out.join("same.rs")).unwrap().nlink(), 1);
    }

    #[test]
    fn an_interrupted_swap_is_recovered() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("generated");
        let aside = root.path().join(".generated.old-x1");
        fs::create_dir_all(aside.join("previous")).unwrap();
        fs::write(aside.join("previous/kept.rs"), "old").unwrap();
        recover(&out, root.path(), "generated").unwrap();
        assert_eq!(fs::read_to_string(out.join("kept.rs")).unwrap(), "old");
        assert!(!aside.exists());
    }

    #[test]
    fn diff_reports_changed_added_and_removed_files() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("generated");
        replace_dir(
            &out,
            &crate_of(&[
                ("same.rs", "x\n"),
                ("changed.rs", "old\n"),
                ("gone.rs", "bye\n"),
            ]),
        )
        .unwrap();
        let now = crate_of(&[
            ("same.rs", "x\n"),
            ("changed.rs", "new\n"),
            ("added.rs", "hi\n"),
        ]);
        let diff = diff_dir(&out, &now).unwrap().expect("differs");
        assert!(
            diff.contains("--- a/changed.rs\n+++ b/changed.rs"),
            "{diff}"
        );
        assert!(diff.contains("-old\n+new"), "{diff}");
        assert!(diff.contains("--- /dev/null\n+++ b/added.rs"), "{diff}");
        assert!(diff.contains("--- a/gone.rs\n+++ /dev/null"), "{diff}");
        assert!(!diff.contains("same.rs"), "{diff}");
        replace_dir(&out, &now).unwrap();
        assert_eq!(diff_dir(&out, &now).unwrap(), None);
    }
}
