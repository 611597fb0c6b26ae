//! Shared helpers for the wire tests: a loopback mock server, a client bound
//! to it, and the error bodies the spec declares.

pub mod documents;
pub mod schema;
pub mod servers;

use std::fmt::Debug;

use atlas_admin::types::ApiError;
use atlas_admin::{Client, Error, ResponseValue, UnexpectedResponseKind};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A valid 24-hex id.
pub const HEX_ID: &str = "32b6e34b3d91647abb20e7b8";
/// Another one, to tell path parameters apart.
pub const OTHER_HEX_ID: &str = "4888442a3354817a7320eb61";

/// The error statuses both operations declare, with the `errorCode`s of the spec's examples.
pub const DECLARED_ERRORS: [(u16, &str); 5] = [
    (400, "VALIDATION_ERROR"),
    (401, "NOT_ORG_GROUP_CREATOR"),
    (403, "CANNOT_CHANGE_GROUP_NAME"),
    (404, "RESOURCE_NOT_FOUND"),
    (500, "UNEXPECTED_ERROR"),
];

/// A mock server on 127.0.0.1 and a client whose base URL points at it.
pub async fn server_and_client() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .build()
        .expect("a loopback base URL is valid");
    (server, client)
}

/// An ApiError body as Atlas sends it.
pub fn api_error(status: u16, code: &str) -> Value {
    json!({
        "error": status,
        "errorCode": code,
        "detail": "(This is just an example, the exception may not be related to this endpoint)",
        "reason": "Reason",
        "badRequestDetail": {"fields": [{"description": "must not be blank", "field": "desc"}]},
        "parameters": ["x", 1]
    })
}

/// Every request the server received.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on by default")
}

/// The one request the server received.
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = received(server).await;
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

/// The value of a request header, as text.
pub fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .and_then(|value| value.to_str().ok())
}

/// Updates an organization API key with a small valid body: the call most
/// wire tests make when what matters is the server's answer.
pub async fn update_org_key(
    client: &Client,
) -> Result<ResponseValue<atlas_admin::types::ApiKeyUserDetails>, Error<ApiError>> {
    client
        .update_org_api_key()
        .org_id(HEX_ID)
        .api_user_id(OTHER_HEX_ID)
        .body(atlas_admin::types::UpdateAtlasOrganizationApiKey::new().with_desc("d".to_owned()))
        .send()
        .await
}

/// Mounts `status` with `body` under `media_type` for any request.
pub async fn respond(server: &MockServer, status: u16, media_type: &str, body: &str) {
    server.reset().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_owned(), media_type))
        .mount(server)
        .await;
}

/// Each declared error status decodes into a typed `ApiError`, status and headers kept.
pub async fn assert_declared_errors_decode<T: Debug>(
    server: &MockServer,
    call: impl AsyncFn() -> Result<ResponseValue<T>, Error<ApiError>>,
) {
    for (status, code) in DECLARED_ERRORS {
        respond(
            server,
            status,
            "application/json",
            &api_error(status, code).to_string(),
        )
        .await;
        match call().await {
            Err(Error::ErrorResponse(response)) => {
                assert_eq!(response.status().as_u16(), status);
                let body = response.body();
                assert_eq!(body.error, i32::from(status));
                assert_eq!(body.error_code, code);
                let fields = &body
                    .bad_request_detail
                    .as_ref()
                    .and_then(|detail| detail.fields.clone());
                assert_eq!(
                    fields.as_ref().map(|fields| fields[0].field.as_str()),
                    Some("desc")
                );
                assert_eq!(body.parameters.as_ref().map(Vec::len), Some(2));
            }
            other => panic!("status {status}: expected a typed ApiError, got {other:?}"),
        }
    }
}

/// Responses the spec does not describe become `UnexpectedResponse` with the
/// status and the raw body; never a panic.
pub async fn assert_unexpected_responses_are_kept<T: Debug>(
    server: &MockServer,
    success_media_type: &str,
    call: impl AsyncFn() -> Result<ResponseValue<T>, Error<ApiError>>,
) {
    let cases = [
        (418, success_media_type, "{\"teapot\": true}", "undeclared"),
        (
            200,
            success_media_type,
            "{\"id\": 42, not json",
            "undecodable",
        ),
        (200, success_media_type, "[1, 2, 3]", "undecodable"),
        (200, "text/html", "<html>maintenance</html>", "content type"),
        (502, "text/html", "<html>bad gateway</html>", "undeclared"),
        (404, "text/html", "<html>not found</html>", "content type"),
    ];
    for (status, media_type, body, expected) in cases {
        respond(server, status, media_type, body).await;
        match call().await {
            Err(Error::UnexpectedResponse(response)) => {
                assert_eq!(response.status.as_u16(), status, "{expected}");
                assert_eq!(
                    response.body.as_ref(),
                    body.as_bytes(),
                    "{expected}: the raw body is kept"
                );
                let matches = match response.kind {
                    UnexpectedResponseKind::UndeclaredStatus => expected == "undeclared",
                    UnexpectedResponseKind::UndecodableBody(_) => expected == "undecodable",
                    UnexpectedResponseKind::WrongContentType { ref actual, .. } => {
                        expected == "content type" && actual == media_type
                    }
                    _ => false,
                };
                assert!(
                    matches,
                    "{status} {media_type}: expected {expected}, got {:?}",
                    response.kind
                );
            }
            other => {
                panic!("{status} {media_type}: expected an unexpected response, got {other:?}")
            }
        }
    }
}

/// The call was refused before sending, naming exactly `fields`, and the server saw nothing.
pub async fn assert_refused<T: Debug>(
    server: &MockServer,
    result: Result<ResponseValue<T>, Error<ApiError>>,
    fields: &[&str],
) {
    match result {
        Err(Error::InvalidRequest(errors)) => {
            assert_eq!(errors.fields().collect::<Vec<_>>(), fields, "{errors}");
            for field in fields {
                assert!(
                    errors.to_string().contains(&format!("`{field}`")),
                    "{errors}"
                );
            }
        }
        other => panic!("expected a refusal naming {fields:?}, got {other:?}"),
    }
    assert!(
        received(server).await.is_empty(),
        "a refused request must not be sent"
    );
}

/// Everything traced on this thread at TRACE level, spans' closing included,
/// until the guard drops. `#[tokio::test]` polls on one thread, so the whole
/// call is captured.
pub fn capture_traces() -> (tracing::subscriber::DefaultGuard, Traces) {
    let traces = Traces::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(traces.clone())
        .finish();
    (tracing::subscriber::set_default(subscriber), traces)
}

/// A shared buffer the test subscriber writes into.
#[derive(Clone, Default, Debug)]
pub struct Traces(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Traces {
    /// What was written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("not poisoned")).into_owned()
    }
}

impl std::io::Write for Traces {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("not poisoned")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Traces {
    type Writer = Traces;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Reads a request's head (up to the blank line, at most 64 KiB) from a raw
/// loopback socket, for servers that answer by hand; `false` when the
/// connection ended first.
pub async fn read_request_head(socket: &mut tokio::net::TcpStream) -> bool {
    use tokio::io::AsyncReadExt;
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 65536 {
        match socket.read(&mut buffer).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => request.extend_from_slice(&buffer[..n]),
        }
    }
    true
}

/// A loopback server that answers one request with a chunked body of
/// `content_type`, writing each chunk only when the test sends it on the
/// channel; closing the channel ends the body.
pub async fn paced_server(
    content_type: &str,
) -> (String, tokio::sync::mpsc::UnboundedSender<Vec<u8>>) {
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let (send, mut chunks) = tokio::sync::mpsc::unbounded_channel::<Vec<u8>>();
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\n\r\n"
    );
    tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        if !read_request_head(&mut socket).await {
            return;
        }
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        while let Some(chunk) = chunks.recv().await {
            let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
            framed.extend_from_slice(&chunk);
            framed.extend_from_slice(b"\r\n");
            if socket.write_all(&framed).await.is_err() {
                return;
            }
        }
        let _ = socket.write_all(b"0\r\n\r\n").await;
    });
    (url, send)
}

/// Fails instead of hanging when something never arrives.
pub async fn soon<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(std::time::Duration::from_secs(20), future)
        .await
        .expect("finished in time")
}

/// Retries with waits short enough for tests.
pub fn fast_retries(max_attempts: u32) -> atlas_admin::RetryPolicy {
    atlas_admin::RetryPolicy::default()
        .with_max_attempts(max_attempts)
        .with_initial_backoff(std::time::Duration::from_millis(5))
        .with_max_backoff(std::time::Duration::from_millis(20))
        .with_max_elapsed(std::time::Duration::from_secs(5))
}

/// An address on loopback where nothing listens: the port is bound, so
/// that no other test's server takes it, but never listened on.
pub fn closed_port() -> (tokio::net::TcpSocket, String) {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.bind(([127, 0, 0, 1], 0).into()).expect("bind");
    let uri = format!("http://{}", socket.local_addr().expect("address"));
    (socket, uri)
}

#[cfg(test)]
mod tests {
    /// `autotests = false` (the test files live at this package's root, where
    /// cargo does not look for them), so a new file runs only when
    /// Cargo.toml names it: fail until it does.
    #[test]
    fn every_test_file_is_registered_in_the_manifest() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("manifest");
        let mut unregistered = Vec::new();
        for entry in std::fs::read_dir(root).expect("the package folder") {
            let name = entry.expect("an entry").file_name();
            let name = name.to_string_lossy();
            if name.ends_with(".rs") && !manifest.contains(&format!("path = \"{name}\"")) {
                unregistered.push(name.into_owned());
            }
        }
        assert!(
            unregistered.is_empty(),
            "add a [[test]] entry to tests/Cargo.toml for {unregistered:?}, or they never run"
        );
    }
}
