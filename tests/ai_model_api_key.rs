//! `updateGroupAiModelApiKey` on the wire: a preview API whose requests and
//! responses use `application/vnd.atlas.preview+json`.

use atlas_admin::types::{AiModelApiKeyResponse, AiModelApiKeyUpdateRequest, ApiError};
use atlas_admin::{Client, Error, ResponseValue, UnexpectedResponseKind};
use serde_json::{Value, json};
use wire_tests::*;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

const PREVIEW: &str = "application/vnd.atlas.preview+json";

fn key() -> Value {
    json!({
        "apiKeyId": "a86r5kwrfsk5r5ku5tgvhmpj",
        "createdAt": "2026-01-15T16:47:49.855000+00:00",
        "createdBy": "John Doe",
        "groupId": HEX_ID,
        "lastUsedAt": "2026-01-15T16:47:49.855000+00:00",
        "maskedSecret": "al-****odu2",
        "name": "Production key",
        "status": "ACTIVE"
    })
}

fn rename(name: &str) -> AiModelApiKeyUpdateRequest {
    AiModelApiKeyUpdateRequest::new(name.to_owned())
}

async fn call(
    client: &Client,
    api_key_id: &str,
    name: &str,
) -> Result<ResponseValue<AiModelApiKeyResponse>, Error<ApiError>> {
    client
        .update_group_ai_model_api_key()
        .group_id(HEX_ID)
        .api_key_id(api_key_id)
        .body(rename(name))
        .send()
        .await
}

#[tokio::test]
async fn sends_the_preview_media_type_both_ways() {
    let (server, client) = server_and_client().await;
    Mock::given(method("PATCH"))
        .and(path(format!(
            "/api/atlas/v2/groups/{HEX_ID}/aiModelApiKeys/a86r5kwrfsk5r5ku5tgvhmpj"
        )))
        .and(header("accept", PREVIEW))
        .and(header("content-type", PREVIEW))
        .and(body_json(json!({"name": "Production key"})))
        .respond_with(ResponseTemplate::new(200).set_body_raw(key().to_string(), PREVIEW))
        .expect(1)
        .mount(&server)
        .await;

    let response = call(&client, "a86r5kwrfsk5r5ku5tgvhmpj", "Production key")
        .await
        .expect("a 200 decodes");

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.name.as_deref(), Some("Production key"));
    assert_eq!(response.masked_secret.as_deref(), Some("al-****odu2"));
    assert_eq!(response.secret, None);
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), None);
    assert!(
        request.headers.get("api-version").is_none(),
        "no header Atlas does not define"
    );
}

#[tokio::test]
async fn a_plain_json_success_is_not_the_preview_version() {
    let (server, client) = server_and_client().await;
    respond(&server, 200, "application/json", &key().to_string()).await;
    match call(&client, "k1", "n").await {
        Err(Error::UnexpectedResponse(response)) => match &response.kind {
            UnexpectedResponseKind::WrongContentType { expected, actual } => {
                assert_eq!(*expected, PREVIEW);
                assert_eq!(actual, "application/json");
            }
            other => panic!("expected a content type mismatch, got {other:?}"),
        },
        other => panic!("expected an unexpected response, got {other:?}"),
    }
}

#[tokio::test]
async fn media_type_parameters_and_case_are_accepted() {
    let (server, client) = server_and_client().await;
    respond(
        &server,
        200,
        "Application/VND.atlas.preview+JSON; charset=utf-8",
        &key().to_string(),
    )
    .await;
    call(&client, "k1", "n").await.expect("same media type");
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let (server, client) = server_and_client().await;
    respond(&server, 200, PREVIEW, &key().to_string()).await;
    call(&client, "a/b c?d#e", "n").await.expect("sent");
    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        format!("/api/atlas/v2/groups/{HEX_ID}/aiModelApiKeys/a%2Fb%20c%3Fd%23e")
    );
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn query_parameters_are_sent_only_when_set() {
    let (server, client) = server_and_client().await;
    respond(&server, 200, PREVIEW, &key().to_string()).await;
    client
        .update_group_ai_model_api_key()
        .group_id(HEX_ID)
        .api_key_id("k1")
        .pretty(true)
        .body(rename("n"))
        .send()
        .await
        .expect("sent");
    assert_eq!(only_request(&server).await.url.query(), Some("pretty=true"));
}

#[tokio::test]
async fn declared_error_statuses_decode_into_api_error() {
    let (server, client) = server_and_client().await;
    assert_declared_errors_decode(&server, async || call(&client, "k1", "n").await).await;
}

#[tokio::test]
async fn undescribed_responses_keep_status_and_raw_body() {
    let (server, client) = server_and_client().await;
    assert_unexpected_responses_are_kept(&server, PREVIEW, async || call(&client, "k1", "n").await)
        .await;
}

#[tokio::test]
async fn an_empty_name_is_refused() {
    let (server, client) = server_and_client().await;
    assert_refused(&server, call(&client, "k1", "").await, &["body.name"]).await;
}

#[tokio::test]
async fn a_name_over_250_characters_is_refused() {
    let (server, client) = server_and_client().await;
    let long = "x".repeat(251);
    assert_refused(&server, call(&client, "k1", &long).await, &["body.name"]).await;
}

#[tokio::test]
async fn a_group_id_that_is_not_24_hex_digits_is_refused() {
    let (server, client) = server_and_client().await;
    let result = client
        .update_group_ai_model_api_key()
        .group_id("32b6e34b3d91647abb20e7b") // 23 digits
        .api_key_id("k1")
        .body(rename("n"))
        .send()
        .await;
    assert_refused(&server, result, &["groupId"]).await;
}

#[tokio::test]
async fn an_api_key_id_that_would_change_the_path_is_refused() {
    let (server, client) = server_and_client().await;
    for id in ["", ".", ".."] {
        assert_refused(&server, call(&client, id, "n").await, &["apiKeyId"]).await;
    }
}

#[tokio::test]
async fn a_connection_failure_is_a_communication_error() {
    // A loopback port that nothing listens on any more.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let uri = format!("http://{}", listener.local_addr().expect("address"));
    drop(listener);
    let client = Client::builder()
        .base_url(uri)
        .retry(atlas_admin::RetryPolicy::disabled())
        .build()
        .expect("valid");
    match call(&client, "k1", "n").await {
        Err(error @ Error::Communication(_)) => assert_eq!(error.status(), None),
        other => panic!("expected a communication error, got {other:?}"),
    }
}
