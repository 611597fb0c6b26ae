//! Servers that others wrote, on loopback, for wire tests: applications on
//! frameworks that publish and enforce their own OpenAPI document. Each is
//! installed by the project's own files (a pinned `requirements.txt`, into a
//! virtual environment under `target/`) and started by the test itself.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::Duration;

/// A running application. It serves until its stdin closes, which happens
/// when the test process ends: no server outlives its tests.
#[derive(Debug)]
pub struct App {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    _stdin: ChildStdin,
    _child: Child,
}

/// The axum application of `tests/servers/axum/main.rs` (the `axum-pets`
/// binary cargo builds for the tests), started once per test binary.
pub fn axum(binary: &str) -> &'static App {
    static APP: OnceLock<App> = OnceLock::new();
    APP.get_or_init(|| start(Command::new(binary), "axum-pets"))
}

/// The FastAPI application of `tests/servers/fastapi/app.py`, started once
/// per test binary.
pub fn fastapi() -> &'static App {
    static APP: OnceLock<App> = OnceLock::new();
    APP.get_or_init(|| start_python_app(&here().join("fastapi")))
}

fn here() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("servers")
}

/// Installs the folder's `requirements.txt` into a virtual environment of
/// its own (again when the file changes) and runs its `serve.py`, which
/// prints the port it listens on.
fn start_python_app(folder: &Path) -> App {
    let name = folder.file_name().expect("a folder").to_string_lossy();
    let venv = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target/tools")
        .join(format!("{name}-venv"));
    let requirements = folder.join("requirements.txt");
    let wanted = std::fs::read_to_string(&requirements).expect("requirements.txt");
    let stamp = venv.join("installed-requirements.txt");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
        let _ = std::fs::remove_dir_all(&venv);
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv));
        run(Command::new(venv.join("bin/pip"))
            .args([
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "-r",
            ])
            .arg(&requirements));
        std::fs::write(&stamp, &wanted).expect("stamp");
    }
    let mut python = Command::new(venv.join("bin/python"));
    python.arg(folder.join("serve.py"));
    start(python, &name)
}

/// Starts `command`, which prints the port it listens on and serves until
/// its stdin closes.
fn start(mut command: Command, name: &str) -> App {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start {name}: {error}"));
    let stdout = child.stdout.take().expect("stdout");
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = sender.send(line);
    });
    let line = receiver
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("{name} did not say its port within 60 s"));
    let port: u16 = line
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("{name} printed {line:?}, not a port"));
    let base_url = format!("http://127.0.0.1:{port}");
    wait_until_listening(port, name);
    App {
        base_url,
        _stdin: child.stdin.take().expect("stdin"),
        _child: child,
    }
}

fn wait_until_listening(port: u16, name: &str) {
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{name} does not accept connections on port {port}");
}

fn run(command: &mut Command) {
    let status = command
        .status()
        .unwrap_or_else(|error| panic!("cannot run {command:?}: {error} (Python 3 is needed)"));
    assert!(status.success(), "{command:?} failed: {status}");
}
