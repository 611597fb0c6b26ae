//! Every command has `--help`, and every unknown flag gets the same error.

mod common;

use common::{text, xtask};

const COMMANDS: [&str; 6] = ["regen", "diff", "extract", "fuzz", "bench", "test"];

#[test]
fn every_command_explains_itself() {
    let overview = xtask(&["--help"]);
    assert_eq!(overview.status.code(), Some(0));
    for command in COMMANDS {
        assert!(
            text(&overview.stdout).contains(command),
            "{command} is listed"
        );
        let help = xtask(&[command, "--help"]);
        assert_eq!(help.status.code(), Some(0), "{command} --help");
        assert!(
            text(&help.stdout).contains(&format!("Usage: cargo xtask {command}")),
            "{}",
            text(&help.stdout)
        );
    }
}

#[test]
fn unknown_flags_are_usage_errors_in_every_command() {
    for command in COMMANDS {
        let output = xtask(&[command, "--frobnicate"]);
        assert_eq!(output.status.code(), Some(2), "{command}");
        let stderr = text(&output.stderr);
        assert!(
            stderr.contains("unexpected argument '--frobnicate'")
                && stderr.contains(&format!("Usage: cargo xtask {command}")),
            "{command}: {stderr}"
        );
    }
    let none = xtask(&[]);
    assert_eq!(none.status.code(), Some(2), "a command is required");
}

#[test]
fn an_io_error_names_its_cause_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = xtask(&[
        "regen",
        "--spec",
        "/nonexistent/spec.yaml",
        "--out",
        &dir.path().join("out").to_string_lossy(),
    ]);
    let stderr = text(&output.stderr);
    assert_eq!(
        stderr.matches("No such file or directory").count(),
        1,
        "{stderr}"
    );
    let extract = xtask(&[
        "extract",
        "--from",
        "/nonexistent/up.yaml",
        "--operation",
        "x",
    ]);
    let stderr = text(&extract.stderr);
    assert_eq!(
        stderr.matches("No such file or directory").count(),
        1,
        "{stderr}"
    );
}
