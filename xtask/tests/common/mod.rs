//! What the command tests share: the workspace root and running the real binary.

#![allow(dead_code)] // each test file uses its own part

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}

/// Runs `cargo xtask ARGS` from the workspace root.
pub fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("xtask runs")
}

/// Output as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// MongoDB's published spec in `../shared`, which CI always has. Under `CI`
/// its absence fails the test; elsewhere the test is skipped, saying so.
pub fn upstream_spec(test: &str) -> Option<PathBuf> {
    shared("upstream/atlas-api-transformed.yaml", test)
}

/// A path under `../shared`, with the same rule: a failure under `CI`,
/// elsewhere a skip that says so.
pub fn shared(relative: &str, test: &str) -> Option<PathBuf> {
    let path = root().join("../shared").join(relative);
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{test}: {} is missing, and CI must have ../shared beside the project",
        path.display()
    );
    let why = format!(
        "{test}: {} is absent; this test needs ../shared beside the project",
        path.display()
    );
    eprintln!("skipped: {why}");
    // `cargo xtask test` lists skipped tests in its closing line.
    if let Some(log) = std::env::var_os("XTASK_SKIPPED_LOG") {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .expect("the skipped-tests log opens");
        writeln!(file, "{why}").expect("the skipped-tests log is written");
    }
    None
}
