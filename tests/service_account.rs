//! Service accounts: the OAuth 2.0 client credentials exchange, the shared
//! token cache, refreshes, token endpoint errors and revocation.

use std::time::Duration;

use atlas_admin::types::AiModelApiKeyUpdateRequest;
use atlas_admin::{AuthError, Client, Error, RetryPolicy};
use serde_json::json;
use wire_tests::{HEX_ID, api_error};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_ID: &str = "mdb_sa_id_6761ef4c1b2b3c4d5e6f7a8b";
const CLIENT_SECRET: &str = "mdb_sa_sk_aVeryPrivateValue";
const PREVIEW: &str = "application/vnd.atlas.preview+json";
/// `Basic base64(CLIENT_ID:CLIENT_SECRET)`.
const BASIC: &str =
    "Basic bWRiX3NhX2lkXzY3NjFlZjRjMWIyYjNjNGQ1ZTZmN2E4YjptZGJfc2Ffc2tfYVZlcnlQcml2YXRlVmFsdWU=";

fn token(value: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "access_token": value, "expires_in": expires_in, "token_type": "Bearer"
    }))
}

fn key_response() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(json!({"name": "renamed"}).to_string(), PREVIEW)
}

async fn mount_token_endpoint(
    server: &MockServer,
    response: ResponseTemplate,
    expected_calls: u64,
) {
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .and(header("authorization", BASIC))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(header("accept", "application/json"))
        .and(body_string("grant_type=client_credentials"))
        .respond_with(response)
        .expect(expected_calls)
        .mount(server)
        .await;
}

async fn mount_api(server: &MockServer, bearer: &str, response: ResponseTemplate) {
    Mock::given(method("PATCH"))
        .and(header("authorization", format!("Bearer {bearer}").as_str()))
        .respond_with(response)
        .mount(server)
        .await;
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .service_account(CLIENT_ID, CLIENT_SECRET)
        .retry(RetryPolicy::disabled())
        .build()
        .expect("valid settings")
}

async fn rename(client: &Client) -> Result<String, Error<atlas_admin::types::ApiError>> {
    let response = client
        .update_group_ai_model_api_key()
        .group_id(HEX_ID)
        .api_key_id("key-1")
        .body(AiModelApiKeyUpdateRequest::new("renamed".to_owned()))
        .send()
        .await?;
    Ok(response.into_inner().name.unwrap_or_default())
}

#[tokio::test]
async fn the_token_is_fetched_once_and_shared_by_clones_and_tasks() {
    let server = MockServer::start().await;
    mount_token_endpoint(
        &server,
        token("tok-1", 3600).set_delay(Duration::from_millis(200)),
        1,
    )
    .await;
    mount_api(&server, "tok-1", key_response()).await;
    let client = client(&server);
    let calls: Vec<_> = (0..16)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { rename(&client).await })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.expect("task").expect("call"), "renamed");
    }
    rename(&client)
        .await
        .expect("a later call reuses the token");
    server.verify().await;
}

#[tokio::test]
async fn a_token_about_to_expire_is_replaced_before_use() {
    let server = MockServer::start().await;
    // Expiring within the refresh margin: every call needs a new token.
    mount_token_endpoint(&server, token("tok-short", 60), 2).await;
    mount_api(&server, "tok-short", key_response()).await;
    let client = client(&server);
    rename(&client).await.expect("first");
    rename(&client).await.expect("second");
    server.verify().await;
}

#[tokio::test]
async fn a_rejected_token_is_replaced_once() {
    let server = MockServer::start().await;
    Mock::given(path("/api/oauth/token"))
        .respond_with(token("tok-old", 3600))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/oauth/token"))
        .respond_with(token("tok-new", 3600))
        .with_priority(2)
        .mount(&server)
        .await;
    mount_api(
        &server,
        "tok-old",
        ResponseTemplate::new(401).set_body_json(api_error(401, "INVALID_TOKEN")),
    )
    .await;
    mount_api(&server, "tok-new", key_response()).await;
    assert_eq!(
        rename(&client(&server))
            .await
            .expect("retried with a new token"),
        "renamed"
    );
    let requests = server.received_requests().await.expect("recorded");
    let paths: Vec<&str> = requests.iter().map(|r| r.url.path()).collect();
    assert_eq!(
        paths.iter().filter(|p| **p == "/api/oauth/token").count(),
        2,
        "{paths:?}"
    );
}

#[tokio::test]
async fn a_401_with_a_fresh_token_is_a_typed_error_not_a_loop() {
    let server = MockServer::start().await;
    Mock::given(path("/api/oauth/token"))
        .respond_with(token("tok", 3600))
        .mount(&server)
        .await;
    mount_api(
        &server,
        "tok",
        ResponseTemplate::new(401).set_body_json(api_error(401, "NOT_ORG_GROUP_CREATOR")),
    )
    .await;
    match rename(&client(&server)).await {
        Err(Error::ErrorResponse(response)) => assert_eq!(response.status().as_u16(), 401),
        other => panic!("expected a typed 401, got {other:?}"),
    }
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 4, "token, call, token, call");
}

#[tokio::test]
async fn a_token_endpoint_refusal_says_so() {
    let server = MockServer::start().await;
    mount_token_endpoint(
        &server,
        ResponseTemplate::new(401).set_body_json(json!({"error": "invalid_client"})),
        1,
    )
    .await;
    match rename(&client(&server)).await {
        Err(Error::Auth(AuthError::TokenRefused { status, body })) => {
            assert_eq!(status.as_u16(), 401);
            assert!(body.contains("invalid_client"), "{body}");
        }
        other => panic!("expected a token endpoint error, got {other:?}"),
    }
    let requests = server.received_requests().await.expect("recorded");
    assert!(
        requests.iter().all(|r| r.url.path() == "/api/oauth/token"),
        "the API call was not sent"
    );
}

#[tokio::test]
async fn a_token_response_without_a_token_is_an_error() {
    let server = MockServer::start().await;
    mount_token_endpoint(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({"token_type": "Bearer"})),
        1,
    )
    .await;
    match rename(&client(&server)).await {
        Err(Error::Auth(AuthError::TokenUnreadable(reason))) => {
            assert!(reason.contains("line 1"), "{reason}")
        }
        other => panic!("expected an unreadable token error, got {other:?}"),
    }
}

#[tokio::test]
async fn revocation_posts_the_token_and_forgets_it() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, token("tok-1", 3600), 2).await;
    mount_api(&server, "tok-1", key_response()).await;
    Mock::given(method("POST"))
        .and(path("/api/oauth/revoke"))
        .and(header("authorization", BASIC))
        .and(body_string("token=tok-1&token_type_hint=access_token"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    client
        .revoke_token()
        .await
        .expect("nothing to revoke is fine");
    rename(&client).await.expect("first token");
    client.revoke_token().await.expect("revoked");
    rename(&client).await.expect("a new token after revocation");
    server.verify().await;
}
