//! An operation offered in several versions of its media type: the newest by
//! default, another on request, anything else refused. Uses the snapshot
//! crate generated from `tests/fixtures/responses.yaml`.

use serde_json::json;
use snapshot_responses::types::Job;
use snapshot_responses::{Client, Error, RetryPolicy, UnexpectedResponseKind};
use wire_tests::{header, only_request, received, respond};
use wiremock::MockServer;

const NEW: &str = "application/vnd.jobs.2024-01-01+json";
const OLD: &str = "application/vnd.jobs.2023-01-01+json";

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry(RetryPolicy::disabled())
        .build()
        .expect("valid");
    (server, client)
}

fn job() -> Job {
    Job::new()
        .with_id("j1".to_owned())
        .with_state("queued".to_owned())
}

#[tokio::test]
async fn the_newest_version_is_the_default() {
    let (server, client) = setup().await;
    respond(&server, 201, NEW, &json!({"id": "j1"}).to_string()).await;
    let created = client
        .create_job()
        .body(job())
        .send()
        .await
        .expect("created");
    assert_eq!(created.id.as_deref(), Some("j1"));
    let request = only_request(&server).await;
    assert_eq!(header(&request, "accept"), Some(NEW));
    assert_eq!(header(&request, "content-type"), Some(NEW));
}

#[tokio::test]
async fn another_declared_version_can_be_chosen() {
    let (server, client) = setup().await;
    respond(&server, 201, OLD, &json!({"id": "j1"}).to_string()).await;
    client
        .create_job()
        .media_type(OLD)
        .body(job())
        .send()
        .await
        .expect("created with the older version");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "accept"), Some(OLD));
    assert_eq!(header(&request, "content-type"), Some(OLD));
}

#[tokio::test]
async fn the_answer_must_be_in_the_chosen_version() {
    let (server, client) = setup().await;
    respond(&server, 201, OLD, &json!({"id": "j1"}).to_string()).await;
    match client.create_job().body(job()).send().await {
        Err(Error::UnexpectedResponse(response)) => match &response.kind {
            UnexpectedResponseKind::WrongContentType { expected, actual } => {
                assert_eq!(expected, NEW);
                assert_eq!(actual, OLD);
            }
            other => panic!("expected a media type mismatch, got {other:?}"),
        },
        other => panic!("expected an unexpected response, got {other:?}"),
    }
}

#[tokio::test]
async fn an_undeclared_version_is_refused_before_sending() {
    let (server, client) = setup().await;
    match client
        .create_job()
        .media_type("application/json")
        .body(job())
        .send()
        .await
    {
        Err(Error::InvalidRequest(errors)) => {
            assert_eq!(errors.fields().collect::<Vec<_>>(), ["mediaType"]);
            assert!(
                errors.to_string().contains(NEW) && errors.to_string().contains(OLD),
                "{errors}"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(received(&server).await.is_empty());
}
