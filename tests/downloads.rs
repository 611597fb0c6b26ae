//! Non-JSON downloads (`downloadClusterLog`, gzip) are streamed: the call
//! returns once the headers arrive, and the body is read as it comes, never
//! held whole unless the caller collects it.

use std::time::Duration;

use atlas_admin::futures::StreamExt;
use atlas_admin::{ByteStream, Client, Error, RetryPolicy, UnexpectedResponseKind};
use wire_tests::{HEX_ID, api_error, header, only_request, paced_server, respond, soon};
use wiremock::MockServer;

const GZIP: &str = "application/vnd.atlas.2023-02-01+gzip";
const HOST: &str = "cluster0-shard-00-00.abcde.mongodb.net";

fn client(url: &str) -> atlas_admin::ClientBuilder {
    Client::builder()
        .base_url(url)
        .retry(RetryPolicy::disabled())
}

async fn download(
    client: &Client,
) -> Result<atlas_admin::ResponseValue<ByteStream>, Error<atlas_admin::types::ApiError>> {
    client
        .download_cluster_log()
        .group_id(HEX_ID)
        .host_name(HOST)
        .log_name("mongodb")
        .send()
        .await
}

#[tokio::test]
async fn chunks_arrive_as_the_server_sends_them() {
    let (url, server) = paced_server(GZIP).await;
    let client = client(&url).build().expect("valid");
    server.send(b"first".to_vec()).expect("server runs");
    // The call returns with only the first chunk sent: nothing waits for the end.
    let response = soon(download(&client)).await.expect("headers arrive");
    assert_eq!(response.status(), 200);
    let mut body = response.into_inner();
    assert_eq!(
        &soon(body.next()).await.expect("a chunk").expect("read")[..],
        b"first"
    );
    server.send(b"second".to_vec()).expect("server runs");
    assert_eq!(
        &soon(body.next()).await.expect("a chunk").expect("read")[..],
        b"second"
    );
    drop(server);
    assert!(soon(body.next()).await.is_none(), "the body ended");
}

#[tokio::test]
async fn a_stalled_download_ends_at_the_timeout_of_one_read() {
    let (url, server) = paced_server(GZIP).await;
    let client = client(&url)
        .timeout(Duration::from_millis(300))
        .build()
        .expect("valid");
    server.send(b"first".to_vec()).expect("server runs");
    let mut body = soon(download(&client)).await.expect("headers").into_inner();
    assert_eq!(
        &soon(body.next()).await.expect("a chunk").expect("read")[..],
        b"first"
    );
    // The server holds the connection open and sends nothing more; a gap
    // shorter than the timeout is waited out.
    tokio::time::sleep(Duration::from_millis(100)).await;
    server.send(b"second".to_vec()).expect("server runs");
    assert_eq!(
        &soon(body.next()).await.expect("a chunk").expect("read")[..],
        b"second"
    );
    let stalled = soon(body.next()).await.expect("an item");
    assert!(
        matches!(stalled, Err(Error::DownloadStalled(idle)) if idle == Duration::from_millis(300)),
        "{stalled:?}"
    );
    assert!(soon(body.next()).await.is_none(), "nothing after the error");
    drop(server);
}

#[tokio::test]
async fn a_download_larger_than_the_body_limit_streams_through() {
    let (url, server) = paced_server(GZIP).await;
    let client = client(&url)
        .max_response_body(64 * 1024)
        .build()
        .expect("valid");
    for _ in 0..128 {
        server.send(vec![0x1f; 64 * 1024]).expect("server runs");
    }
    drop(server);
    let mut body = soon(download(&client)).await.expect("headers").into_inner();
    let mut total = 0;
    while let Some(chunk) = soon(body.next()).await {
        total += chunk.expect("read").len();
    }
    assert_eq!(total, 8 * 1024 * 1024);
}

#[tokio::test]
async fn collecting_keeps_to_the_body_limit() {
    let (url, server) = paced_server(GZIP).await;
    let client = client(&url).max_response_body(1024).build().expect("valid");
    server.send(vec![1; 1000]).expect("server runs");
    server.send(vec![2; 1000]).expect("server runs");
    drop(server);
    let body = soon(download(&client)).await.expect("headers").into_inner();
    match soon(body.collect()).await {
        Err(Error::ResponseTooLarge { status, limit }) => {
            assert_eq!((status.as_u16(), limit), (200, 1024));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn collect_returns_the_whole_body_and_the_request_asks_for_gzip() {
    let server = MockServer::start().await;
    let gzip = [0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef];
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_raw(gzip.to_vec(), GZIP))
        .mount(&server)
        .await;
    let client = client(&server.uri()).build().expect("valid");
    let body = download(&client).await.expect("headers").into_inner();
    assert_eq!(&body.collect().await.expect("read")[..], gzip);
    let request = only_request(&server).await;
    assert_eq!(header(&request, "accept"), Some(GZIP));
    assert_eq!(
        request.url.path(),
        format!("/api/atlas/v2/groups/{HEX_ID}/clusters/{HOST}/logs/mongodb.gz")
    );
}

#[tokio::test]
async fn error_statuses_are_decoded_as_for_any_call() {
    let server = MockServer::start().await;
    respond(
        &server,
        409,
        "application/json",
        &api_error(409, "CANNOT_DOWNLOAD").to_string(),
    )
    .await;
    let client = client(&server.uri()).build().expect("valid");
    match download(&client).await {
        Err(Error::ErrorResponse(response)) => {
            assert_eq!(response.status(), 409);
            assert_eq!(response.error_code, "CANNOT_DOWNLOAD");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_body_of_another_media_type_is_refused_with_its_start() {
    let server = MockServer::start().await;
    respond(&server, 200, "application/json", "{\"not\": \"gzip\"}").await;
    let client = client(&server.uri()).build().expect("valid");
    match download(&client).await {
        Err(Error::UnexpectedResponse(response)) => {
            assert!(
                matches!(
                    response.kind,
                    UnexpectedResponseKind::WrongContentType { .. }
                ),
                "{response:?}"
            );
            assert_eq!(&response.body[..], b"{\"not\": \"gzip\"}");
        }
        other => panic!("{other:?}"),
    }
}
