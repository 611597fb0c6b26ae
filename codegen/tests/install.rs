//! The generator as someone else's project uses it, in the README's
//! quick-start steps: install the command, generate a crate with publishing
//! metadata from a public document (Redocly's Museum API) into a folder
//! outside this workspace, package it and the runtime as `cargo publish`
//! would, and call an operation from a binary of the user's own against a
//! loopback server. The runtime is this checkout's, as `cargo package`
//! makes it, beside the crate: what crates.io will serve once published.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `spec/codegen.toml`, with the keys crates.io reads.
const CONFIG: &str = r#"[package]
name = "museum-client"
version = "0.1.0"
description = "A typed client for Redocly's Museum API."
license = "MIT OR Apache-2.0"
repository = "https://example.com/museum-client"
keywords = ["museum", "openapi", "client"]
categories = ["api-bindings"]
publish = true

# Until the runtime is on crates.io: the package beside the crate.
[runtime]
path = "../client-runtime"
"#;

const MAIN: &str = r#"#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = std::env::args().nth(1).expect("a base URL");
    // The credentials from the variables the crate's README names.
    let client = museum_client::Client::builder()
        .from_env()?
        .base_url(base_url)
        .build()?;
    let hours = client.get_museum_hours().page(2).send().await?.into_inner();
    println!("open at {}", hours.0[0].time_open);
    Ok(())
}
"#;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_owned()
}

fn run(command: &mut Command) -> Output {
    let output = command.output().expect("the command starts");
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

/// The target folder generated crates build in, whose dependencies other
/// tests have built already (the workspace's own is locked while tests run).
fn target() -> PathBuf {
    workspace().join("target/generated-crates-build")
}

fn generate(command: &Path, project: &Path) -> String {
    let output = run(Command::new(command)
        .args([
            "generate",
            "--spec",
            "spec/openapi.yaml",
            "--out",
            "museum-client",
        ])
        .current_dir(project));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Answers one request with a day's opening hours; the request's head.
fn serve_hours(listener: TcpListener) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().expect("a connection");
        let mut reader = BufReader::new(socket.try_clone().expect("a second handle"));
        let mut head = String::new();
        while reader.read_line(&mut head).is_ok_and(|read| read > 2) {}
        let body = r#"[{"date":"2024-12-31","timeOpen":"09:00","timeClose":"18:00"}]"#;
        write!(
            socket,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .expect("the answer is sent");
        head
    })
}

#[test]
fn a_project_outside_the_workspace_installs_generates_publishes_and_calls() {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let project = scratch.path();

    // 1. Install the command, as the README says, from this checkout.
    run(cargo()
        .args([
            "install",
            "--quiet",
            "--offline",
            "--locked",
            "--debug",
            "--path",
        ])
        .arg(workspace().join("codegen"))
        .arg("--root")
        .arg(project.join("tools"))
        // The workspace's own target folder (Cargo released it before
        // running tests), where the test build left almost all it needs.
        .env(
            "CARGO_TARGET_DIR",
            std::env::var_os("CARGO_TARGET_DIR")
                .map_or_else(|| workspace().join("target"), PathBuf::from),
        ));
    let command = project.join("tools/bin/openapi-clientgen");

    // 2. A public document and its settings; generate, then again.
    std::fs::create_dir_all(project.join("spec")).expect("spec folder");
    std::fs::copy(
        workspace().join("tests/corpus/redocly-museum.yaml"),
        project.join("spec/openapi.yaml"),
    )
    .expect("spec");
    // The runtime version this generator writes code for, as a user
    // pins the package they build beside the crate.
    let config = format!(
        "{CONFIG}version = \"{}\"\n",
        openapi_clientgen::RUNTIME_VERSION
    );
    std::fs::write(project.join("spec/codegen.toml"), config).expect("settings");
    let first = generate(&command, project);
    assert!(first.contains("files to museum-client"), "{first}");
    assert!(
        first.contains("added   src/operations/get_museum_hours.rs"),
        "{first}"
    );
    let again = generate(&command, project);
    assert!(again.contains("museum-client is unchanged"), "{again}");

    // The crate carries what crates.io reads and names no path of this
    // machine.
    let crate_folder = project.join("museum-client");
    let manifest = std::fs::read_to_string(crate_folder.join("Cargo.toml")).expect("manifest");
    for line in [
        format!(
            "client-runtime = {{ path = \"../client-runtime\", version = \"{}\", default-features = false, features = [\"chrono\", \"patterns\", \"uuid\"] }}",
            openapi_clientgen::RUNTIME_VERSION
        ),
        "license = \"MIT OR Apache-2.0\"".to_owned(),
        "keywords = [\"museum\", \"openapi\", \"client\"]".to_owned(),
        "readme = \"README.md\"".to_owned(),
    ] {
        assert!(manifest.contains(&line), "{line} is not in:\n{manifest}");
    }
    assert!(!manifest.contains("publish = false"), "{manifest}");
    let readme = std::fs::read_to_string(crate_folder.join("README.md")).expect("README");
    assert!(
        readme.contains("MUSEUM_CLIENT_MUSEUM_PLACEHOLDER_AUTH_USER"),
        "{readme}"
    );
    let machine_paths = [
        workspace().to_string_lossy().into_owned(),
        project.to_string_lossy().into_owned(),
    ];
    for entry in walk(&crate_folder) {
        let text = std::fs::read_to_string(&entry).expect("text");
        for path in &machine_paths {
            assert!(
                !text.contains(path.as_str()),
                "{} names {path}",
                entry.display()
            );
        }
    }

    // 3. The runtime as `cargo package` makes it from this checkout,
    // unpacked beside the crate.
    let packages = project.join("packages");
    run(cargo()
        .args([
            "package",
            "--quiet",
            "--offline",
            "--allow-dirty",
            "--no-verify",
            "--package",
            "client-runtime",
        ])
        .current_dir(workspace())
        .env("CARGO_TARGET_DIR", &packages));
    run(Command::new("tar")
        .arg("-xzf")
        .arg(packages.join(format!(
            "package/client-runtime-{}.crate",
            openapi_clientgen::RUNTIME_VERSION
        )))
        .current_dir(project));
    let runtime = project.join("client-runtime");
    std::fs::rename(
        project.join(format!(
            "client-runtime-{}",
            openapi_clientgen::RUNTIME_VERSION
        )),
        &runtime,
    )
    .expect("the runtime's folder");
    // What `cargo package` adds; a package must not hold it.
    for added in ["Cargo.toml.orig", ".cargo_vcs_info.json"] {
        let _ = std::fs::remove_file(runtime.join(added));
    }

    // 4. The user's workspace: the runtime, the crate and a binary of their own.
    let app = project.join("app");
    std::fs::create_dir_all(app.join("src")).expect("app folder");
    std::fs::write(app.join("src/main.rs"), MAIN).expect("main.rs");
    std::fs::write(
        app.join("Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nmuseum-client = { path = \"../museum-client\" }\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n",
    )
    .expect("app manifest");
    std::fs::write(
        project.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"app\", \"client-runtime\", \"museum-client\"]\n",
    )
    .expect("workspace manifest");
    // The workspace's lock: the same versions, all already downloaded.
    std::fs::copy(workspace().join("Cargo.lock"), project.join("Cargo.lock")).expect("lock");

    // 5. The runtime and the crate as `cargo publish --workspace --dry-run`
    // checks them, without asking the registry, which no test reaches:
    // each packaged, and built from its package alone (the crate against
    // the runtime's package, as crates.io will resolve it).
    forget_packages(&["client-runtime", "museum-client"], &target());
    run(cargo()
        .args([
            "package",
            "--quiet",
            "--offline",
            "--package",
            "client-runtime",
            "--package",
            "museum-client",
        ])
        .current_dir(project)
        .env("CARGO_TARGET_DIR", target()));

    // 6. The binary calls the API, with credentials from the environment.
    run(cargo()
        .args(["build", "--quiet", "--offline", "--package", "app"])
        .current_dir(project)
        .env("CARGO_TARGET_DIR", target()));
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    let server = serve_hours(listener);
    let output = run(Command::new(target().join("debug/app"))
        .arg(format!("http://{address}"))
        .env("MUSEUM_CLIENT_MUSEUM_PLACEHOLDER_AUTH_USER", "visitor")
        .env("MUSEUM_CLIENT_MUSEUM_PLACEHOLDER_AUTH_PASSWORD", "s3cret"));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "open at 09:00\n");
    let head = server.join().expect("the server");
    assert!(
        head.starts_with("GET /museum-hours?page=2 HTTP/1.1\r\n"),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("authorization: basic dmlzaxrvcjpzm2nyzxq=\r\n"),
        "{head}"
    );
}

/// Removes the copies of `packages` that an earlier `cargo package` run
/// unpacked from its local registry into Cargo's home, and what it built
/// from them in `target`. Cargo takes a registry package of the same name
/// and version for the same one, unpacked or built, without comparing it,
/// so the verification would otherwise build against an old runtime (both
/// seen here).
fn forget_packages(packages: &[&str], target: &Path) {
    remove_named(&target.join("debug/.fingerprint"), packages);
    let home = std::env::var_os("CARGO_HOME").map_or_else(
        || PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".cargo"),
        PathBuf::from,
    );
    let Ok(sources) = std::fs::read_dir(home.join("registry/src")) else {
        return;
    };
    for source in sources.flatten() {
        // crates.io's own copies stay; a local registry's go.
        if !source.file_name().to_string_lossy().starts_with("index.") {
            remove_named(&source.path(), packages);
        }
    }
}

/// Removes the folders in `folder` named after one of `packages` and a dash.
fn remove_named(folder: &Path, packages: &[&str]) {
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if packages
            .iter()
            .any(|package| name.starts_with(&format!("{package}-")))
        {
            std::fs::remove_dir_all(entry.path()).expect("a package's folder removed");
        }
    }
}

/// Every file below `folder`.
fn walk(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![folder.to_owned()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("a folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}
