//! One call's own settings (`.options(CallOptions)` on any builder): a
//! timeout, extra headers, a retry policy and an idempotency key, over
//! the client's; and which statuses a policy retries, for which requests.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use atlas_admin::reqwest::StatusCode;
use atlas_admin::reqwest::header::{HeaderName, HeaderValue};
use atlas_admin::types::{AiModelApiKeyCreateRequest, ApiError, UpdateAtlasOrganizationApiKey};
use atlas_admin::{CallOptions, Client, Error, IDEMPOTENCY_KEY, RetryPolicy};
use serde_json::json;
use wire_tests::*;
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The method and path of every attempt, as the hooks see it.
#[derive(Debug, Clone, Default)]
struct Attempts(Arc<Mutex<Vec<String>>>);

impl atlas_admin::Hooks for Attempts {
    fn before(&self, request: &mut atlas_admin::reqwest::Request, _: &atlas_admin::Attempt<'_>) {
        let line = format!("{} {}", request.method(), request.url().path());
        self.0.lock().expect("not poisoned").push(line);
    }
}

fn client(base_url: &str, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(base_url)
        .retry(retry)
        .build()
        .expect("valid settings")
}

async fn update(
    client: &Client,
    options: Option<CallOptions>,
) -> Result<atlas_admin::ResponseValue<atlas_admin::types::ApiKeyUserDetails>, Error<ApiError>> {
    let builder = client
        .update_org_api_key()
        .org_id(HEX_ID)
        .api_user_id(OTHER_HEX_ID)
        .body(UpdateAtlasOrganizationApiKey::new().with_desc("rotated".to_owned()));
    match options {
        Some(options) => builder.options(options),
        None => builder,
    }
    .send()
    .await
}

/// `status` for the first `times` requests, then 200 with a JSON body
/// declared as `media_type`.
async fn status_then_ok_as(server: &MockServer, status: u16, times: u64, media_type: &str) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status))
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(json!({"id": HEX_ID}).to_string(), media_type),
        )
        .with_priority(2)
        .mount(server)
        .await;
}

async fn status_then_ok(server: &MockServer, status: u16, times: u64) {
    status_then_ok_as(server, status, times, "application/json").await;
}

/// 503 for the first `times` requests, then 200.
async fn unavailable_then_ok(server: &MockServer, times: u64) {
    status_then_ok(server, 503, times).await;
}

/// What `getGroupModelKey` answers in.
const MODEL_KEY: &str = "application/vnd.atlas.2025-03-12+json";

#[tokio::test]
async fn every_attempt_carries_the_calls_headers_and_idempotency_key() {
    let server = MockServer::start().await;
    unavailable_then_ok(&server, 1).await;
    let options = CallOptions::new()
        .with_header(
            HeaderName::from_static("x-request-id"),
            HeaderValue::from_static("7f3a"),
        )
        // Replaces the operation's own value.
        .with_header(
            HeaderName::from_static("accept"),
            HeaderValue::from_static("application/json; charset=utf-8"),
        )
        .with_idempotency_key(HeaderValue::from_static("rotate-1041"));
    update(&client(&server.uri(), fast_retries(3)), Some(options))
        .await
        .expect("a 200 after a 503");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.headers["x-request-id"], "7f3a");
        assert_eq!(request.headers[IDEMPOTENCY_KEY.as_str()], "rotate-1041");
        assert_eq!(
            request.headers.get_all("accept").iter().collect::<Vec<_>>(),
            ["application/json; charset=utf-8"]
        );
    }

    // Other calls of the same client carry none of it.
    update(&client(&server.uri(), fast_retries(3)), None)
        .await
        .expect("a 200");
    let last = received(&server).await.pop().expect("a request");
    assert!(last.headers.get("x-request-id").is_none());
    assert!(last.headers.get(IDEMPOTENCY_KEY.as_str()).is_none());
}

#[tokio::test]
async fn a_calls_retry_policy_replaces_the_clients() {
    let server = MockServer::start().await;
    unavailable_then_ok(&server, 2).await;
    // The client does not retry; this call does.
    let response = update(
        &client(&server.uri(), RetryPolicy::disabled()),
        Some(CallOptions::new().with_retry(fast_retries(4))),
    )
    .await
    .expect("a 200 on the third attempt");
    assert_eq!(response.status(), 200);
    assert_eq!(received(&server).await.len(), 3);

    // The client retries; this call does not.
    let server = MockServer::start().await;
    unavailable_then_ok(&server, 2).await;
    let error = update(
        &client(&server.uri(), fast_retries(4)),
        Some(CallOptions::new().with_retry(RetryPolicy::disabled())),
    )
    .await
    .expect_err("the 503 is returned");
    assert!(matches!(error, Error::UnexpectedResponse(_)), "{error:?}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn other_statuses_are_retried_when_asked_only_for_what_may_be_sent_twice() {
    let policy = fast_retries(4).with_retried_status(StatusCode::BAD_GATEWAY);

    // A GET may be sent twice.
    let server = MockServer::start().await;
    status_then_ok_as(&server, 502, 1, MODEL_KEY).await;
    client(&server.uri(), policy.clone())
        .get_group_model_key()
        .group_id(HEX_ID)
        .api_key_id("k")
        .send()
        .await
        .expect("a 200 after the 502");
    assert_eq!(received(&server).await.len(), 2);

    // A PATCH may not: the gateway may have passed it on already.
    let server = MockServer::start().await;
    status_then_ok(&server, 502, 1).await;
    let error = update(&client(&server.uri(), policy.clone()), None)
        .await
        .expect_err("the 502 is returned");
    assert!(matches!(error, Error::UnexpectedResponse(_)), "{error:?}");
    assert_eq!(received(&server).await.len(), 1);

    // Unless the call has an idempotency key.
    let server = MockServer::start().await;
    status_then_ok(&server, 502, 1).await;
    update(
        &client(&server.uri(), policy),
        Some(CallOptions::new().with_idempotency_key(HeaderValue::from_static("rotate-9"))),
    )
    .await
    .expect("a 200 after the 502");
    assert_eq!(received(&server).await.len(), 2);

    // A policy that does not name it returns a GET's 502 at once.
    let server = MockServer::start().await;
    status_then_ok_as(&server, 502, 1, MODEL_KEY).await;
    let error = client(&server.uri(), fast_retries(4))
        .get_group_model_key()
        .group_id(HEX_ID)
        .api_key_id("k")
        .send()
        .await
        .expect_err("the 502 is returned");
    assert!(matches!(error, Error::UnexpectedResponse(_)), "{error:?}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_calls_timeout_may_be_shorter_or_longer_than_the_clients() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": HEX_ID}))
                .set_delay(Duration::from_millis(800)),
        )
        .mount(&server)
        .await;
    // Each attempt of this client may take 300 ms.
    let client = Client::builder()
        .base_url(server.uri())
        .timeout(Duration::from_millis(300))
        .retry(RetryPolicy::disabled())
        .build()
        .expect("valid settings");

    let started = Instant::now();
    let error = update(
        &client,
        Some(CallOptions::new().with_timeout(Duration::from_millis(100))),
    )
    .await
    .expect_err("past its deadline");
    assert!(
        matches!(error, Error::DeadlineExceeded(deadline) if deadline == Duration::from_millis(100)),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_millis(700));

    // Too slow for the client's own timeout, in time for the call's.
    assert!(update(&client, None).await.is_err());
    update(
        &client,
        Some(CallOptions::new().with_timeout(Duration::from_secs(5))),
    )
    .await
    .expect("answered within the call's own timeout");
}

#[tokio::test]
async fn a_create_with_an_idempotency_key_is_tried_again_after_a_redirect() {
    // The server received the create and pointed elsewhere, where nothing
    // listens. Without a key that create must not be sent again; with one,
    // the server acts on it once however often it comes.
    let (_bound, dead) = closed_port();
    for key in [None, Some(HeaderValue::from_static("create-7"))] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(307).insert_header("Location", format!("{dead}/moved")),
            )
            .mount(&server)
            .await;
        let attempts = Attempts::default();
        let client = Client::builder()
            .base_url(server.uri())
            .retry(fast_retries(3))
            .hooks(attempts.clone())
            .build()
            .expect("valid settings");
        let options = match &key {
            Some(key) => CallOptions::new().with_idempotency_key(key.clone()),
            None => CallOptions::new(),
        };
        let error = client
            .create_group_model_key()
            .group_id(HEX_ID)
            .body(AiModelApiKeyCreateRequest::new(
                "ANY".to_owned(),
                "ANY".to_owned(),
                "k".to_owned(),
            ))
            .options(options)
            .send()
            .await
            .expect_err("nothing listens where it was sent");
        assert!(matches!(error, Error::Communication(_)), "{error:?}");
        let lines = attempts.0.lock().expect("not poisoned").clone();
        let expected = if key.is_some() {
            // The first, and three tries of the hop.
            vec![
                "POST /api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/aiModelApiKeys",
                "POST /moved",
                "POST /moved",
                "POST /moved",
            ]
        } else {
            vec![
                "POST /api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/aiModelApiKeys",
                "POST /moved",
            ]
        };
        assert_eq!(lines, expected, "key {key:?}");
    }
}
