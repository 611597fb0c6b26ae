//! The peers `cargo xtask bench` measures ours against, side by side in
//! one run: progenitor 0.15.1 (built by bench/progenitor-probe) and
//! openapi-to-rust (installed into target/tools on first use), for the
//! cost of one call (bench/peer-calls) and for the regen of a new crate.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::bench::{median, rust_lines};

/// The openapi-to-rust release measured.
pub const OPENAPI_TO_RUST: &str = "0.23.0";

/// The clients bench/peer-calls runs, by the names its `--only` takes.
const CLIENTS: [&str; 4] = ["ours", "hand-written", "progenitor", "openapi-to-rust"];

/// openapi-to-rust under target/tools, installed from crates.io the first time.
pub fn openapi_to_rust(root: &Path) -> Result<PathBuf> {
    let prefix = root.join("target/tools/openapi-to-rust");
    let tool = prefix.join("bin/openapi-to-rust");
    let version = Command::new(&tool).arg("--version").output();
    if !version
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).contains(OPENAPI_TO_RUST))
    {
        println!(
            "bench: installing openapi-to-rust {OPENAPI_TO_RUST} into {}",
            prefix.display()
        );
        let status = Command::new(crate::cargo())
            .args(["install", "--locked", "openapi-to-rust", "--version"])
            .arg(OPENAPI_TO_RUST)
            .arg("--root")
            .arg(&prefix)
            .status()?;
        if !status.success() {
            bail!("cargo install openapi-to-rust {OPENAPI_TO_RUST} failed");
        }
    }
    Ok(tool)
}

/// Runs openapi-to-rust on `spec` into `out` (a module folder); the error
/// is what it printed.
fn openapi_to_rust_generate(tool: &Path, spec: &Path, out: &Path) -> Result<Duration, String> {
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|error| error.to_string())?;
    }
    let start = Instant::now();
    let output = Command::new(tool)
        .arg("generate")
        .arg(spec)
        .arg("--output-dir")
        .arg(out)
        .args(["--module-name", "api", "--quiet"])
        .output()
        .map_err(|error| error.to_string())?;
    let elapsed = start.elapsed();
    if output.status.success() {
        Ok(elapsed)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(stderr.lines().next().unwrap_or("failed").to_owned())
    }
}

/// openapi-to-rust's client for the fragment, where bench/peer-calls
/// includes it. The schema `ApiError` is renamed `AtlasApiError` in the
/// copy it reads: its client module declares an `ApiError<E>` of its own,
/// and with both in scope the module does not compile.
fn openapi_to_rust_fragment(root: &Path, tool: &Path) -> Result<()> {
    let text = std::fs::read_to_string(root.join("spec/openapi.yaml"))?;
    let mut renamed = text.replace(
        "#/components/schemas/ApiError'",
        "#/components/schemas/AtlasApiError'",
    );
    renamed = renamed.replace("\n    ApiError:\n", "\n    AtlasApiError:\n");
    if !renamed.contains("\n    AtlasApiError:\n") || renamed.contains("schemas/ApiError'") {
        bail!("spec/openapi.yaml no longer declares `ApiError` where the rename expects it");
    }
    let spec = root.join("target/bench/openapi-to-rust-fragment.yaml");
    std::fs::create_dir_all(root.join("target/bench"))?;
    std::fs::write(&spec, renamed)?;
    openapi_to_rust_generate(
        tool,
        &spec,
        &root.join("target/bench/openapi-to-rust-fragment"),
    )
    .map_err(|error| anyhow::anyhow!("openapi-to-rust on the fragment: {error}"))?;
    Ok(())
}

/// The per-call tables: wall time, and instructions under callgrind (each
/// client alone in its own process, the difference between 0 and 1,000
/// calls after the same warm-up).
pub fn per_call(root: &Path) -> Result<(String, String)> {
    crate::bench::progenitor_crate(root)?;
    openapi_to_rust_fragment(root, &openapi_to_rust(root)?)?;
    let target = root.join("target/bench-peers");
    let status = Command::new(crate::cargo())
        .args(["build", "--quiet", "--release"])
        .current_dir(root.join("bench/peer-calls"))
        .env("CARGO_TARGET_DIR", &target)
        .status()?;
    if !status.success() {
        bail!("building bench/peer-calls failed");
    }
    let binary = target.join("release/peer-calls");
    let wall = Command::new(&binary).output()?;
    if !wall.status.success() {
        bail!(
            "peer-calls failed: {}",
            String::from_utf8_lossy(&wall.stderr)
        );
    }
    let wall = String::from_utf8(wall.stdout)?;
    if Command::new("valgrind").arg("--version").output().is_err() {
        return Ok((wall, "skipped: valgrind is not installed".to_owned()));
    }
    let calls = 1000;
    let count = |client: &str, n: usize| -> Result<f64> {
        let output = Command::new("valgrind")
            .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
            .arg(&binary)
            .args(["--only", client, "--calls", &n.to_string()])
            .output()?;
        let text = String::from_utf8_lossy(&output.stderr);
        let collected = text
            .lines()
            .find_map(|line| line.split("Collected :").nth(1))
            .context("callgrind's total")?;
        Ok(collected.trim().parse()?)
    };
    let mut per_call = Vec::new();
    for client in CLIENTS {
        per_call.push((count(client, calls)? - count(client, 0)?) / calls as f64);
    }
    let hand_written = per_call[1];
    let cells: Vec<String> = per_call
        .iter()
        .map(|count| {
            format!(
                "{:.1}k ({:+.1}%)",
                count / 1000.0,
                (count / hand_written - 1.0) * 100.0
            )
        })
        .collect();
    Ok((
        wall,
        format!(
            "| workload | ours | hand-written reqwest | progenitor 0.15.1 | openapi-to-rust {OPENAPI_TO_RUST} |\n| --- | ---: | ---: | ---: | ---: |\n| {calls} sequential calls, instructions/call (against hand-written) | {} |",
            cells.join(" | ")
        ),
    ))
}

/// A new crate's regen, ours (`openapi-clientgen generate` into an empty
/// folder: nothing cached, nothing to keep, every file through rustfmt)
/// against openapi-to-rust's, whole processes in alternating rounds, for
/// each of `documents` (label, spec).
pub fn regen(root: &Path, documents: &[(String, PathBuf)]) -> Result<String> {
    let status = Command::new(crate::cargo())
        .args([
            "build",
            "--quiet",
            "--release",
            "--package",
            "openapi-clientgen",
            "--features",
            "cli",
        ])
        .current_dir(root)
        .status()?;
    if !status.success() {
        bail!("building openapi-clientgen failed");
    }
    let ours = root.join("target/release/openapi-clientgen");
    let theirs = openapi_to_rust(root)?;
    let out = root.join("target/bench/peer-regen");
    let mut table = format!(
        "| document | operations | ours: a new crate | generated lines | openapi-to-rust {OPENAPI_TO_RUST} | generated lines | ours ÷ theirs |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    );
    for (label, spec) in documents {
        let (mut ours_times, mut their_times) = (Vec::new(), Vec::new());
        let mut their_error = None;
        for _ in 0..5 {
            ours_times.push(ours_new_crate(&ours, spec, &out.join("ours"))?);
            match openapi_to_rust_generate(&theirs, spec, &out.join("theirs")) {
                Ok(elapsed) => their_times.push(elapsed),
                Err(error) => {
                    their_error = Some(error);
                    break;
                }
            }
        }
        let ours_median = median(ours_times);
        let ours_lines = rust_lines(&out.join("ours"))?;
        // What lenient mode generated: one file per operation, and `mod.rs`.
        let operations = std::fs::read_dir(out.join("ours/src/operations"))
            .map_or(0, |files| files.count().saturating_sub(1));
        let row = match their_error {
            Some(error) => format!(
                "| {label} | {operations} | {:.2} s | {ours_lines} | fails: {} | | |\n",
                ours_median.as_secs_f64(),
                error.replace('|', "\\|")
            ),
            None => {
                let theirs_median = median(their_times);
                format!(
                    "| {label} | {operations} | {:.2} s | {ours_lines} | {:.2} s | {} | {:.2}× |\n",
                    ours_median.as_secs_f64(),
                    theirs_median.as_secs_f64(),
                    rust_lines(&out.join("theirs"))?,
                    ours_median.as_secs_f64() / theirs_median.as_secs_f64()
                )
            }
        };
        table.push_str(&row);
    }
    Ok(table)
}

/// `openapi-clientgen generate` of `spec` into an empty `out`, leniently
/// (openapi-to-rust skips what it cannot read, too).
fn ours_new_crate(binary: &Path, spec: &Path, out: &Path) -> Result<Duration> {
    if out.exists() {
        std::fs::remove_dir_all(out)?;
    }
    let start = Instant::now();
    let output = Command::new(binary)
        .args(["generate", "--lenient", "--quiet", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(out)
        .output()?;
    let elapsed = start.elapsed();
    if !output.status.success() {
        bail!(
            "openapi-clientgen generate {}: {}",
            spec.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(elapsed)
}
