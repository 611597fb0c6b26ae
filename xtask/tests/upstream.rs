//! The whole published Atlas spec through the generator: every operation,
//! and a crate that passes clippy with warnings denied. Skipped, saying so,
//! when ../shared is absent.

mod common;

use common::root;

use std::process::Command;

#[test]
fn the_whole_upstream_spec_generates_a_clean_crate() {
    let upstream = root().join("../shared/upstream/atlas-api-transformed.yaml");
    if !upstream.exists() {
        eprintln!(
            "skipped: {} is absent; this test needs ../shared beside the project",
            upstream.display()
        );
        return;
    }
    let out = root().join("target/upstream-crate");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["regen", "--spec"])
        .arg(&upstream)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("xtask runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let text = std::fs::read_to_string(&upstream).expect("upstream");
    let operations = text.matches("\n      operationId: ").count();
    let generated = std::fs::read_dir(out.join("src/operations"))
        .expect("operations")
        .count()
        - 1;
    assert_eq!(
        generated, operations,
        "one file per operation, mod.rs aside"
    );
    assert_eq!(operations, 514);

    // The workspace's lock keeps dependency versions equal, and offline.
    std::fs::copy(root().join("Cargo.lock"), out.join("Cargo.lock")).expect("copy lock");
    let clippy = Command::new(env!("CARGO"))
        .args(["clippy", "--quiet", "--offline", "--", "-D", "warnings"])
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", root().join("target/upstream"))
        .output()
        .expect("cargo runs");
    assert!(
        clippy.status.success(),
        "{}",
        String::from_utf8_lossy(&clippy.stderr)
    );
}
