//! `cargo xtask bench`: every benchmark, with the machine it ran on, written
//! to docs/BENCHMARKS.md.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use openapi_clientgen::{Config, Settings};

use crate::project_root;

pub fn run() -> Result<ExitCode> {
    let root = project_root();
    let upstream = root.join("../shared/upstream/atlas-api-transformed.yaml");
    let fragment_operations = openapi_clientgen::load::load(&root.join("spec/openapi.yaml"))?
        .document
        .operations()
        .count();
    let mut report = String::new();

    println!("bench: regen time");
    let regen = run_bench(&root, "openapi-clientgen", "regen")?;

    println!("bench: regen memory");
    let memory = run_bench(&root, "openapi-clientgen", "memory")?;

    println!("bench: regen as a process, next to progenitor");
    let process = process_regen(&root, &upstream, fragment_operations)?;

    println!("bench: compile time and size of generated crates");
    let mut sizes = String::from(
        "| crate | operations | generated lines | lines per operation | `cargo check` after touching `lib.rs` | of which cargo's own (a check with nothing to do) | of which the crate |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    let (fragment, _) = generate(&root, &root.join("spec/openapi.yaml"), "fragment")?;
    let progenitor = progenitor_crate(&root)?;
    // The four crates of the fragment in interleaved rounds, so that a slow
    // moment of a shared machine slows all of them; the dependencies alone
    // are the same manifest and lock file with an empty `lib.rs`.
    let (rows, paired) = interleaved_checks(
        &[
            ("ours, fragment", &fragment, fragment_operations),
            (
                "progenitor 0.15.1, fragment (media types rewritten to `application/json`, those without a schema dropped)",
                &progenitor,
                fragment_operations,
            ),
            (
                "ours, the fragment's dependencies alone (empty `lib.rs`)",
                &dependencies_alone(&fragment, "fragment-dependencies", &root)?,
                0,
            ),
            (
                "progenitor 0.15.1, its dependencies alone (empty `lib.rs`)",
                &dependencies_alone(&progenitor, "progenitor-dependencies", &root)?,
                0,
            ),
        ],
        &root,
        11,
    )?;
    sizes.push_str(&rows);
    println!("bench: first builds, dependencies included, next to progenitor");
    let seconds = |built: Option<f64>| built.map_or("failed".to_owned(), |s| format!("{s:.0} s"));
    let first_builds = format!(
        "| crate | first `cargo build`, dependencies included |\n| --- | ---: |\n| ours, fragment, `rustls` (the default: rustls with aws-lc-rs) | {} |\n| ours, fragment, `--no-default-features --features native-tls` (the system's OpenSSL) | {} |\n| progenitor 0.15.1, fragment (reqwest's default: rustls with aws-lc-rs) | {} |\n",
        seconds(cold_build(&fragment, &root, "ours", &[])?),
        seconds(cold_build(
            &fragment,
            &root,
            "ours-native-tls",
            &["--no-default-features", "--features", "native-tls"],
        )?),
        seconds(cold_build(&progenitor, &root, "progenitor", &[])?),
    );
    let mut lenient = String::new();
    if upstream.exists() {
        let (crate_dir, generated) = generate(&root, &upstream, "upstream")?;
        let operations = std::fs::read_dir(crate_dir.join("src/operations"))?.count() - 1;
        sizes.push_str(&size_row(
            "ours, whole upstream spec",
            &crate_dir,
            operations,
            &root,
        )?);
        lenient = format!(
            "\nOperations of the upstream spec that lenient mode had to skip: {} of {}; warnings: {}.\n",
            generated.report.skipped.len(),
            operations + generated.report.skipped.len(),
            generated.report.warnings.len()
        );
    } else {
        sizes.push_str("| ours, whole upstream spec | skipped: ../shared is absent | | | | | |\n");
    }

    println!(
        "bench: the cost of a call, next to a hand-written call, progenitor and openapi-to-rust"
    );
    let (wall, instructions) = crate::peers::per_call(&root)?;

    println!("bench: a new crate's regen, next to openapi-to-rust");
    let mut largest = vec![(
        "atlas-api-transformed.yaml (upstream)".to_owned(),
        upstream.clone(),
    )];
    for (label, spec) in [
        (
            "equinix-metal/ (362 files)",
            crate::corpus::root_document(&root.join("tests/corpus/equinix-metal"))?,
        ),
        (
            "slack-web-openapi-v2.json",
            root.join("tests/corpus/slack-web-openapi-v2.json"),
        ),
        (
            "moby-docker-swagger.yaml",
            root.join("tests/corpus/moby-docker-swagger.yaml"),
        ),
        (
            "progenitor-nexus.json",
            root.join("../shared/corpus/progenitor-nexus.json"),
        ),
    ] {
        largest.push((label.to_owned(), spec));
    }
    largest.retain(|(_, spec)| spec.exists());
    let peer_regen = crate::peers::regen(&root, &largest)?;

    println!("bench: compile what you use: features per tag, next to openapi-to-rust");
    let per_tag = crate::peers::checks_per_tag(
        &root,
        &largest
            .iter()
            .filter(|(label, _)| label.contains("upstream") || label.contains("nexus"))
            .cloned()
            .collect::<Vec<_>>(),
    )?;

    println!("bench: corpus");
    let corpus = match crate::corpus::rows(&root, &root.join("../shared/corpus"), true, true) {
        Ok(rows) => crate::corpus::table(&rows, true),
        Err(error) => format!("skipped: {error:#}\n"),
    };

    println!("bench: scaling");
    let scaling = run_bench(&root, "openapi-clientgen", "scaling")?;

    println!("bench: download memory");
    let downloads = run_bench(&root, "wire-tests", "download_memory")?;

    let _ = writeln!(report, "{}", include_str!("bench_intro.md").trim_end());
    let _ = writeln!(report, "\n## Machine\n\n{}", machine(&root));
    let _ = writeln!(
        report,
        "## Regen time\n\nMedian of repeated runs, in process, release build, with `cargo xtask`'s allocator (mimalloc). The floor is the YAML parsed into a JSON tree by serde_norway, the usual way to read YAML in Rust. `load` reads the same tree with its own reader (`load::yaml`, from yaml-rust2's events as they come, for memory; see \"Regen memory\"), and its column includes typing the tree. `format` is prettyplease and then rustfmt, one process per core. Cold: nothing cached and no earlier output, so every pattern is compiled and every file printed and formatted (a new crate's first regen; a fresh clone keeps its checked-in files, see the whole-process table). Warm: pattern verdicts and rustfmt's results for unchanged tokens come from the cache under `target/regen-cache` (every regen after the first with the same generator binary; a spec change re-formats only the files it changes). Warm ÷ floor is the median of the run-by-run ratios, so that a slow moment of the shared machine slows both sides.\n\n{}\n\n{}",
        regen.trim_end(),
        process.trim_end()
    );
    let _ = writeln!(
        report,
        "\n## Regen memory\n\nHeap bytes of the upstream spec's warm regen in process, counted by a counting allocator (`peak_alloc`), so independent of how an allocator keeps freed pages; the process's resident peak is in the paragraph above. The parsed document is the YAML as a JSON tree, the tree the time floor builds. Target: a peak of at most twice the parsed document. serde_norway keeps every event of a document in a list while it builds the tree, so its parse alone peaks at more than twice the tree; `load` reads YAML with its own reader (`codegen/src/load/yaml.rs`), which builds the same tree from yaml-rust2's events as they come and holds only the open collections besides it. Tests compare the two readers on every YAML document the project has and on the fuzz test's garbled ones.\n\n{}",
        memory.trim_end()
    );
    let _ = writeln!(
        report,
        "\n## Generated crates\n\nLines are all lines of the generated `.rs` files. Compile time is `cargo check` of the generated crate after touching its `lib.rs`, with dependencies already built; cargo's own part is a check with nothing to do (it grows with the number of dependencies it fingerprints), and the crate's part is the difference. The rows of dependencies alone are the same manifest and lock file with an empty `lib.rs` (under a package name of their own): what a check costs before any generated code. The four rows of the fragment are medians of 11 interleaved rounds, each round checking every crate once with nothing to do and once touched, so that a slow moment of the shared machine slows all four; the upstream row is the median of five runs of its own.\n\n{}\n{lenient}\n{paired}\n\nA user's first build: `cargo build` (debug) of the fragment's crate in an empty target folder, every dependency compiled, one run each (minutes, so not repeated).\n\n{}",
        sizes.trim_end(),
        first_builds.trim_end()
    );
    let _ = writeln!(
        report,
        "\n## Peers\n\nThe same call by four clients (`bench/peer-calls`, built by the bench beside the workspace): ours (`update_group_ai_model_api_key`: validation, path encoding, span, redirects followed by the transport, rate-limit headers read, typed decoding of declared statuses); a hand-written reqwest call that formats the same URL, sends the same request (headers, User-Agent, the same typed body) and decodes the same type; progenitor 0.15.1's client of the fragment (`bench/progenitor-probe`, media types rewritten to `application/json`); and openapi-to-rust {}'s (installed into `target/tools`; its reqwest-middleware client, given the fragment with the schema `ApiError` renamed, since its client module declares an `ApiError<E>` of its own and does not compile beside it). Every client has the same timeouts and User-Agent, on one loopback wiremock server in the same process.\n\nInstructions per call under callgrind (client and server together, on a current-thread runtime so that scheduling cannot move the count; each client warmed up alone, in a process of its own; the same count on every run of the same binary):\n\n{}\n\nWall time, medians of rounds that rotate which client goes first (noisy on two shared cores):\n\n{}\n\nA new crate's regen, whole processes, medians of 5 alternating rounds, for the largest documents of the corpora: ours is `openapi-clientgen generate --lenient` into an empty folder (no cache, no earlier crate, so every file goes through prettyplease and then rustfmt); openapi-to-rust writes three files with prettyplease alone. A document it cannot read gives the first line of its error.\n\n{}",
        crate::peers::OPENAPI_TO_RUST,
        instructions.trim_end(),
        wall.trim_end(),
        peer_regen.trim_end()
    );
    let _ = writeln!(
        report,
        "\n## Compile what you use\n\nThe same documents generated with `[features] per_tag = true` (`default = \"none\"`), and `cargo check` after touching `lib.rs` (incremental, as cargo checks by default; dependencies built): with every tag, with the tag of the most operations alone, with a tag of the median count alone, and with none; beside it, openapi-to-rust {}'s crate for the document (its module in a crate of its own with the dependencies it lists), checked the same way. Medians of 3 rounds, each round checking every column once. The percentages are of the check with every tag; \"no tag\" is the floor: cargo's own work and the types no operation reaches.\n\n{}",
        crate::peers::OPENAPI_TO_RUST,
        per_tag.trim_end()
    );
    let _ = writeln!(
        report,
        "\n## Scaling\n\nEvery stage before formatting (load, validate, model, emit; formatting is per file and cached, see above), in process, release build, lenient mode, median of 5 runs, for the largest documents of `../shared/corpus/` and the upstream spec. About linear: the time per 1,000 schemas and per MiB stays of one order across documents 100 times apart in size.\n\n{}",
        scaling.trim_end()
    );
    let _ = writeln!(
        report,
        "\n## Downloads\n\nPeak resident memory of a process that downloads a 200 MiB gzip log (`download_cluster_log`) from a loopback server in the same process, each way in a process of its own. Before bodies were streamed, the client held the whole body and then a copy: 418 MiB.\n\n{}",
        downloads.trim_end()
    );
    let _ = writeln!(
        report,
        "\n## Corpus\n\n`cargo xtask corpus --progenitor`: every public document in `../shared/corpus/` through strict and lenient regen, `cargo check` and clippy (all features, warnings denied), next to what progenitor 0.15.1 (`bench/progenitor-probe`) does with it.\n\n{}",
        corpus.trim_end()
    );
    std::fs::write(root.join("docs/BENCHMARKS.md"), report)?;
    println!("bench: wrote docs/BENCHMARKS.md");
    Ok(ExitCode::SUCCESS)
}

/// The output of one benchmark target of `package`.
fn run_bench(root: &Path, package: &str, bench: &str) -> Result<String> {
    cargo_stdout(
        root,
        &["bench", "--quiet", "--package", package, "--bench", bench],
    )
}

fn cargo_stdout(root: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new(crate::cargo())
        .args(args)
        .current_dir(root)
        .output()
        .context("cargo")?;
    if !output.status.success() {
        bail!(
            "cargo {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8(output.stdout)?)
}

/// `xtask regen` and progenitor-probe as whole processes (release builds),
/// in alternating rounds, with peak memory where `/usr/bin/time` is there.
fn process_regen(root: &Path, upstream: &Path, operations: usize) -> Result<String> {
    cargo_stdout(
        root,
        &["build", "--quiet", "--release", "--package", "xtask"],
    )?;
    let xtask = root.join("target/release/xtask");
    let probe = root.join("target/bench-probe/release/progenitor-probe");
    if !probe.exists() {
        progenitor_crate(root)?;
    }
    let out = root.join("target/bench/process-regen");
    let cache = root.join("target/regen-cache");
    let clear = || -> Result<()> {
        for entry in std::fs::read_dir(&cache).into_iter().flatten().flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .contains("process_regen")
            {
                std::fs::remove_dir_all(entry.path())?;
            }
        }
        Ok(())
    };
    let timed = |command: &mut Command| -> Result<Duration> {
        let start = Instant::now();
        let status = command
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()?;
        if !status.success() {
            bail!("{command:?} failed");
        }
        Ok(start.elapsed())
    };
    let regen = |spec: &Path| {
        let mut command = Command::new(&xtask);
        command
            .args(["regen", "--spec"])
            .arg(spec)
            .arg("--out")
            .arg(&out)
            .arg("--config")
            .arg(root.join("spec/codegen.toml"));
        command
    };
    let fragment = root.join("spec/openapi.yaml");
    let (mut new_crate, mut cold, mut warm, mut progenitor) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..7 {
        clear()?;
        if out.exists() {
            std::fs::remove_dir_all(&out)?;
        }
        new_crate.push(timed(&mut regen(&fragment))?);
        clear()?;
        cold.push(timed(&mut regen(&fragment))?);
        warm.push(timed(&mut regen(&fragment))?);
        progenitor.push(timed(
            Command::new(&probe)
                .arg(&fragment)
                .arg(root.join("target/bench/progenitor-process"))
                .arg("--drop-schemaless"),
        )?);
    }
    let ms = |samples: Vec<Duration>| format!("{:.1} ms", median(samples).as_secs_f64() * 1000.0);
    let mut table = format!(
        "Whole processes, medians of 7 alternating rounds, release builds. A new crate: no cache and no earlier output, so every file goes through rustfmt. A fresh clone: no cache, but the checked-in crate is there, and a file whose fingerprint says its tokens did not change is kept as it is. Warm: the cache of an earlier run.\n\n| command | fragment ({operations} operations) |\n| --- | ---: |\n| `xtask regen`, a new crate | {} |\n| `xtask regen`, a fresh clone | {} |\n| `xtask regen`, warm | {} |\n| progenitor 0.15.1 (`bench/progenitor-probe`) | {} |\n",
        ms(new_crate),
        ms(cold),
        ms(warm),
        ms(progenitor)
    );
    if upstream.exists() && Path::new("/usr/bin/time").exists() {
        let peak = |warm: bool| -> Result<String> {
            if !warm {
                clear()?;
                if out.exists() {
                    std::fs::remove_dir_all(&out)?;
                }
            }
            let output = Command::new("/usr/bin/time")
                .args(["-f", "%e %M"])
                .arg(&xtask)
                .args(["regen", "--spec"])
                .arg(upstream)
                .arg("--out")
                .arg(&out)
                .output()?;
            let stderr = String::from_utf8_lossy(&output.stderr);
            let last = stderr.lines().last().unwrap_or_default().to_owned();
            let mut fields = last.split_whitespace();
            let seconds = fields.next().unwrap_or("?");
            let kib: f64 = fields.next().and_then(|k| k.parse().ok()).unwrap_or(0.0);
            Ok(format!("{seconds} s, peak {:.0} MiB", kib / 1024.0))
        };
        let size = std::fs::metadata(upstream)?.len() as f64 / 1_048_576.0;
        table.push_str(&format!(
            "\nThe whole upstream spec ({size:.1} MiB of YAML) as a process: a new crate {}; warm {}.\n",
            peak(false)?,
            peak(true)?
        ));
    }
    Ok(table)
}

pub fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Generates `spec` into target/bench/NAME as a standalone crate, in lenient
/// mode so that the count of skipped operations can be reported.
fn generate(
    root: &Path,
    spec: &Path,
    name: &str,
) -> Result<(PathBuf, openapi_clientgen::GeneratedCrate)> {
    let out = root.join("target/bench").join(name);
    let config = Config::new(format!("bench-{name}"), "0.1.0");
    let settings = Settings {
        lenient: true,
        runtime: openapi_clientgen::Runtime::path_between(&out, &root.join("runtime")),
        cache: None,
        previous: None,
        spec_root: None,
    };
    let generated = openapi_clientgen::generate(spec, &config, &settings)?;
    openapi_clientgen::write::replace_dir(&out, &generated)?;
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))?;
    Ok((out, generated))
}

/// A copy of `crate_dir`'s manifest and lock file with an empty `lib.rs`.
fn dependencies_alone(crate_dir: &Path, name: &str, root: &Path) -> Result<PathBuf> {
    let out = root.join("target/bench").join(name);
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    std::fs::create_dir_all(out.join("src"))?;
    // A package name of its own: under the same name, cargo would take the
    // two crates for one in the shared target folder and check each afresh
    // after the other.
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml"))?;
    let mut renamed = false;
    let manifest: Vec<String> = manifest
        .lines()
        .map(|line| {
            if !renamed && line.starts_with("name = ") {
                renamed = true;
                format!("name = {name:?}")
            } else {
                line.to_owned()
            }
        })
        .collect();
    std::fs::write(out.join("Cargo.toml"), manifest.join("\n") + "\n")?;
    // progenitor's crate has a lock file only once something has checked it.
    let lock = crate_dir.join("Cargo.lock");
    if lock.exists() {
        std::fs::copy(lock, out.join("Cargo.lock"))?;
    }
    std::fs::write(out.join("src/lib.rs"), "")?;
    Ok(out)
}

/// progenitor's crate for the fragment, made by bench/progenitor-probe.
pub fn progenitor_crate(root: &Path) -> Result<PathBuf> {
    let out = root.join("target/bench/progenitor-fragment");
    let status = Command::new(crate::cargo())
        .args(["run", "--quiet", "--release", "--"])
        .arg(root.join("spec/openapi.yaml"))
        .arg(&out)
        .arg("--drop-schemaless")
        .current_dir(root.join("bench/progenitor-probe"))
        .env("CARGO_TARGET_DIR", root.join("target/bench-probe"))
        .status()?;
    if !status.success() {
        bail!("progenitor-probe failed");
    }
    Ok(out)
}

fn size_row(label: &str, crate_dir: &Path, operations: usize, root: &Path) -> Result<String> {
    check(crate_dir, root, false)?; // dependencies
    // Cargo's own part: a check with nothing to do.
    let idle = median(
        (0..5)
            .map(|_| check(crate_dir, root, false))
            .collect::<Result<_>>()?,
    );
    let touched = median(
        (0..5)
            .map(|_| check(crate_dir, root, true))
            .collect::<Result<_>>()?,
    );
    row(label, crate_dir, operations, idle, touched)
}

/// A row of the crates' table: size, touched check, idle check, difference.
fn row(
    label: &str,
    crate_dir: &Path,
    operations: usize,
    idle: Duration,
    touched: Duration,
) -> Result<String> {
    let lines = rust_lines(&crate_dir.join("src"))?;
    Ok(format!(
        "| {label} | {operations} | {lines} | {} | {:.2} s | {:.2} s | {:.2} s |\n",
        lines / operations.max(1),
        touched.as_secs_f64(),
        idle.as_secs_f64(),
        touched.saturating_sub(idle).as_secs_f64()
    ))
}

/// How long `cargo check` of `crate_dir` takes in the benchmarks' target
/// folder; with `touch`, after giving its `lib.rs` a new modification time.
fn check(crate_dir: &Path, root: &Path, touch: bool) -> Result<Duration> {
    if touch {
        let lib = crate_dir.join("src/lib.rs");
        std::fs::write(&lib, std::fs::read_to_string(&lib)?)?;
    }
    match timed_cargo("check", crate_dir, &root.join("target/bench-target"))? {
        (elapsed, true) => Ok(elapsed),
        (_, false) => bail!("cargo check failed in {}", crate_dir.display()),
    }
}

/// Table rows for `crates` (label, folder, operations), measured in
/// interleaved rounds: in each round, every crate's check with nothing to do
/// and then its check after touching `lib.rs`. Also a sentence with the
/// median of the round-by-round ratios of the first two crates' touched
/// checks (ours ÷ progenitor's).
fn interleaved_checks(
    crates: &[(&str, &Path, usize)],
    root: &Path,
    rounds: usize,
) -> Result<(String, String)> {
    for (_, crate_dir, _) in crates {
        check(crate_dir, root, false)?; // dependencies
    }
    let mut idle = vec![Vec::new(); crates.len()];
    let mut touched = vec![Vec::new(); crates.len()];
    let mut ratios = Vec::new();
    for _ in 0..rounds {
        for (index, (_, crate_dir, _)) in crates.iter().enumerate() {
            idle[index].push(check(crate_dir, root, false)?);
            touched[index].push(check(crate_dir, root, true)?);
        }
        let (ours, theirs) = (touched[0].last(), touched[1].last());
        if let (Some(ours), Some(theirs)) = (ours, theirs) {
            ratios.push(ours.as_secs_f64() / theirs.as_secs_f64());
        }
    }
    let mut rows = String::new();
    for ((label, crate_dir, operations), (idle, touched)) in
        crates.iter().zip(idle.into_iter().zip(touched))
    {
        rows.push_str(&row(
            label,
            crate_dir,
            *operations,
            median(idle),
            median(touched),
        )?);
    }
    ratios.sort_by(f64::total_cmp);
    let paired = format!(
        "Ours ÷ progenitor's touched check of the fragment, the median of the {rounds} round-by-round ratios: {:.2}×.",
        ratios[rounds / 2]
    );
    Ok((rows, paired))
}

/// Seconds of a user's first `cargo build` of `crate_dir`, dependencies
/// included, in an empty target folder; `None` when it fails.
fn cold_build(crate_dir: &Path, root: &Path, name: &str, args: &[&str]) -> Result<Option<f64>> {
    let target = root.join("target/bench-cold").join(name);
    let _ = std::fs::remove_dir_all(&target);
    let (elapsed, built) = timed_cargo_with("build", args, crate_dir, &target)?;
    let _ = std::fs::remove_dir_all(&target);
    Ok(built.then_some(elapsed.as_secs_f64()))
}

/// `cargo COMMAND --quiet` in `crate_dir` with the target folder `target`:
/// how long it took and whether it succeeded.
fn timed_cargo(command: &str, crate_dir: &Path, target: &Path) -> Result<(Duration, bool)> {
    timed_cargo_with(command, &[], crate_dir, target)
}

/// [`timed_cargo`] with more arguments (features, say).
fn timed_cargo_with(
    command: &str,
    args: &[&str],
    crate_dir: &Path,
    target: &Path,
) -> Result<(Duration, bool)> {
    let start = Instant::now();
    let status = Command::new(crate::cargo())
        .args([command, "--quiet"])
        .args(args)
        .current_dir(crate_dir)
        .env("CARGO_TARGET_DIR", target)
        .status()?;
    Ok((start.elapsed(), status.success()))
}

pub fn rust_lines(folder: &Path) -> Result<usize> {
    let mut total = 0;
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        if path.is_dir() {
            total += rust_lines(&path)?;
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            total += std::fs::read_to_string(&path)?.lines().count();
        }
    }
    Ok(total)
}

fn machine(root: &Path) -> String {
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
    let cpu = read("/proc/cpuinfo")
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_default();
    let memory = read("/proc/meminfo")
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .map(|l| l.trim().to_owned())
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let command = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .current_dir(root)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default()
    };
    format!(
        "- CPU: {cpu}, {cores} cores available\n- Memory: {memory}\n- {}\n- Commit: {}\n- Date: {}\n",
        command("rustc", &["--version"]),
        command("git", &["rev-parse", "--short", "HEAD"]),
        command("date", &["-u", "+%Y-%m-%d %H:%M UTC"])
    )
}
