//! The generator as someone else's project uses it: the installed command
//! generates a crate into a folder outside this workspace, and a binary
//! there depends on it, with the runtime from this checkout through
//! `[patch.crates-io]` (as a user trying an unpublished version would), and
//! calls an operation against a loopback server.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SPEC: &str = r#"openapi: 3.0.3
info: {title: Pets, version: "1"}
servers: [{url: "https://pets.example.com"}]
paths:
  /pets/{petId}:
    get:
      operationId: getPet
      parameters:
        - {name: petId, in: path, required: true, schema: {type: integer, format: int64}}
      responses:
        "200":
          description: The pet.
          content:
            application/json:
              schema:
                type: object
                required: [name]
                properties:
                  name: {type: string}
"#;

const MAIN: &str = r#"#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = std::env::args().nth(1).expect("a base URL");
    let client = pets_client::Client::builder().base_url(base_url).build()?;
    let pet = client.get_pet().pet_id(7).send().await?.into_inner();
    println!("pet 7 is {}", pet.name);
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

fn generate(project: &Path) -> String {
    let output = run(Command::new(env!("CARGO_BIN_EXE_openapi-clientgen"))
        .args([
            "generate",
            "--spec",
            "spec/openapi.yaml",
            "--out",
            "pets-client",
        ])
        .current_dir(project));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Answers one request with a pet named Rex; the request line it received.
fn serve_one_pet(listener: TcpListener) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().expect("a connection");
        let mut reader = BufReader::new(socket.try_clone().expect("a second handle"));
        let mut request_line = String::new();
        reader.read_line(&mut request_line).expect("a request line");
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|read| read > 2) {
            line.clear();
        }
        let body = r#"{"name":"Rex"}"#;
        write!(
            socket,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .expect("the answer is sent");
        request_line
    })
}

#[test]
fn a_project_outside_the_workspace_generates_depends_and_calls() {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let project = scratch.path();
    std::fs::create_dir_all(project.join("spec")).expect("spec folder");
    std::fs::write(project.join("spec/openapi.yaml"), SPEC).expect("spec");
    std::fs::write(
        project.join("spec/codegen.toml"),
        "name = \"pets-client\"\nversion = \"0.1.0\"\n",
    )
    .expect("settings");

    let first = generate(project);
    assert!(first.contains("wrote 9 files to pets-client"), "{first}");
    assert!(
        first.contains("added   src/operations/get_pet.rs"),
        "{first}"
    );
    let again = generate(project);
    assert!(again.contains("pets-client is unchanged"), "{again}");

    // The crate depends on the runtime by version and names no path of
    // this machine.
    let manifest =
        std::fs::read_to_string(project.join("pets-client/Cargo.toml")).expect("manifest");
    assert!(
        manifest.contains(&format!(
            "client-runtime = {{ version = \"{}\", default-features = false }}",
            codegen::RUNTIME_VERSION
        )),
        "{manifest}"
    );
    let machine_paths = [
        workspace().to_string_lossy().into_owned(),
        project.to_string_lossy().into_owned(),
    ];
    for entry in walk(&project.join("pets-client")) {
        let text = std::fs::read_to_string(&entry).expect("text");
        for path in &machine_paths {
            assert!(
                !text.contains(path.as_str()),
                "{} names {path}",
                entry.display()
            );
        }
    }

    // A binary of the user's own, with the runtime of this checkout.
    let app = project.join("app");
    std::fs::create_dir_all(app.join("src")).expect("app folder");
    std::fs::write(app.join("src/main.rs"), MAIN).expect("main.rs");
    std::fs::write(
        app.join("Cargo.toml"),
        format!(
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\npets-client = {{ path = \"../pets-client\" }}\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\n[patch.crates-io]\nclient-runtime = {{ path = {:?} }}\n",
            workspace().join("runtime").to_string_lossy()
        ),
    )
    .expect("app manifest");
    // The workspace's lock: the same versions, all already downloaded.
    std::fs::copy(workspace().join("Cargo.lock"), app.join("Cargo.lock")).expect("lock");
    let target = workspace().join("target/generated-crates-build");
    run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args(["build", "--quiet", "--offline"])
            .current_dir(&app)
            .env("CARGO_TARGET_DIR", &target),
    );

    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    let server = serve_one_pet(listener);
    let output = run(Command::new(target.join("debug/app")).arg(format!("http://{address}")));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "pet 7 is Rex\n");
    assert_eq!(
        server.join().expect("the server").trim_end(),
        "GET /pets/7 HTTP/1.1"
    );
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
