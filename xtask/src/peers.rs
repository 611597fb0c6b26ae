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

/// `cargo check` of a generated crate with features per tag, after touching
/// its `lib.rs` (dependencies built): every tag, the largest tag alone, a
/// median one alone and none; next to openapi-to-rust's whole crate for the
/// same document (its module in a crate of its own, with the dependencies
/// it lists). Medians of 3 interleaved rounds. Each of `documents` is
/// (label, spec).
pub fn checks_per_tag(root: &Path, documents: &[(String, PathBuf)]) -> Result<String> {
    let ours = root.join("target/release/openapi-clientgen");
    let theirs = openapi_to_rust(root)?;
    let target = root.join("target/bench-target");
    let mut table = String::from(
        "| document | ours: every tag (`full`) | largest tag alone | a median tag alone | no tag | openapi-to-rust, the whole crate |\n| --- | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for (label, spec) in documents {
        let base = root.join("target/bench/per-tag").join(slug(label));
        std::fs::create_dir_all(&base)?;
        // The runtime by path, relative to the crate, as a user's checkout has it.
        std::fs::write(
            base.join("codegen.toml"),
            "[package]\nname = \"per-tag\"\nversion = \"0.1.0\"\n\n[runtime]\npath = \"../../../../../runtime\"\n\n[features]\nper_tag = true\ndefault = \"none\"\n",
        )?;
        let crate_dir = base.join("ours");
        if crate_dir.exists() {
            std::fs::remove_dir_all(&crate_dir)?;
        }
        let status = Command::new(&ours)
            .args(["generate", "--lenient", "--quiet", "--spec"])
            .arg(spec)
            .arg("--out")
            .arg(&crate_dir)
            .arg("--config")
            .arg(base.join("codegen.toml"))
            .status()?;
        if !status.success() {
            bail!("openapi-clientgen generate {} failed", spec.display());
        }
        let tags = tags_by_size(&crate_dir)?;
        let Some((largest, largest_count)) = tags.first().cloned() else {
            table.push_str(&format!("| {label} | no tags | | | | |\n"));
            continue;
        };
        let (median_tag, median_count) = tags[tags.len() / 2].clone();
        let sets = [
            "rustls,full".to_owned(),
            format!("rustls,{largest}"),
            format!("rustls,{median_tag}"),
            "rustls".to_owned(),
        ];
        let their_dir = base.join("theirs");
        let theirs_compiles = openapi_to_rust_crate(&theirs, spec, &their_dir)
            .and_then(|()| touched_check(&their_dir, &target, &[]).map(|_| ()));
        // Dependencies first, for each feature set (the runtime's features
        // do not change with the tags, so this builds them once).
        for set in &sets {
            touched_check(
                &crate_dir,
                &target,
                &["--no-default-features", "--features", set],
            )?;
        }
        let mut samples: Vec<Vec<Duration>> = vec![Vec::new(); sets.len() + 1];
        for _ in 0..3 {
            for (at, set) in sets.iter().enumerate() {
                samples[at].push(touched_check(
                    &crate_dir,
                    &target,
                    &["--no-default-features", "--features", set],
                )?);
            }
            if theirs_compiles.is_ok() {
                samples[sets.len()].push(touched_check(&their_dir, &target, &[])?);
            }
        }
        let seconds =
            |samples: &[Duration]| format!("{:.2} s", median(samples.to_vec()).as_secs_f64());
        let whole = median(samples[0].clone()).as_secs_f64();
        let share = |samples: &[Duration]| {
            format!(
                "{} ({:.0}%)",
                seconds(samples),
                100.0 * median(samples.to_vec()).as_secs_f64() / whole
            )
        };
        let theirs_cell = match &theirs_compiles {
            Ok(()) => seconds(&samples[sets.len()]),
            Err(error) => format!("does not build: {}", error.to_string().replace('|', "\\|")),
        };
        table.push_str(&format!(
            "| {label} ({} tags) | {} | `{largest}`, {largest_count} operations: {} | `{median_tag}`, {median_count} operations: {} | {} | {theirs_cell} |\n",
            tags.len(),
            seconds(&samples[0]),
            share(&samples[1]),
            share(&samples[2]),
            share(&samples[3]),
        ));
    }
    Ok(table)
}

/// The tag features of a generated crate with their operation counts, as
/// its README lists them, largest first.
fn tags_by_size(crate_dir: &Path) -> Result<Vec<(String, usize)>> {
    let readme = std::fs::read_to_string(crate_dir.join("README.md"))?;
    let mut tags: Vec<(String, usize)> = readme
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("- `")?;
            let (name, rest) = rest.split_once("`: ")?;
            let (count, _) = rest.split_once(" operation")?;
            Some((name.to_owned(), count.parse().ok()?))
        })
        .collect();
    tags.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(tags)
}

/// openapi-to-rust's module for `spec` in a crate of its own at `dir`,
/// with the dependencies its `REQUIRED_DEPS.toml` lists.
fn openapi_to_rust_crate(tool: &Path, spec: &Path, dir: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    let module = dir.join("src/api");
    openapi_to_rust_generate(tool, spec, &module).map_err(|error| anyhow::anyhow!(error))?;
    let dependencies = std::fs::read_to_string(module.join("REQUIRED_DEPS.toml"))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"openapi-to-rust-check\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n{dependencies}"
        ),
    )?;
    std::fs::write(dir.join("src/lib.rs"), "pub mod api;\n")?;
    Ok(())
}

/// `cargo check` of `crate_dir` after touching its `lib.rs`; an error
/// with the count of compile errors when it fails.
fn touched_check(crate_dir: &Path, target: &Path, args: &[&str]) -> Result<Duration> {
    let lib = crate_dir.join("src/lib.rs");
    let text = std::fs::read(&lib)?;
    std::fs::write(&lib, text)?;
    let start = Instant::now();
    let output = Command::new(crate::cargo())
        .args(["check", "--quiet", "--message-format", "short"])
        .args(args)
        .current_dir(crate_dir)
        .env("CARGO_TARGET_DIR", target)
        .output()?;
    let elapsed = start.elapsed();
    if !output.status.success() {
        let errors = String::from_utf8_lossy(&output.stderr)
            .lines()
            .filter(|line| line.contains(": error"))
            .count();
        bail!("{errors} compile errors");
    }
    Ok(elapsed)
}

fn slug(label: &str) -> String {
    label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}
