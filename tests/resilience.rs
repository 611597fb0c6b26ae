//! Retries, timeouts, redirects, rate limit headers, envelopes and the
//! tracing span of each call.

use std::time::Duration;

use atlas_admin::types::UpdateAtlasOrganizationApiKey;
use atlas_admin::{Client, Error, RateLimit, RetryPolicy, UnexpectedResponseKind};
use serde_json::json;
use wire_tests::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client_with(server_uri: &str, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(server_uri)
        .retry(retry)
        .build()
        .expect("valid settings")
}

fn details() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"id": HEX_ID}))
        .insert_header("RateLimit-Limit", "100")
        .insert_header("RateLimit-Remaining", "97")
}

/// Answers `first` for the first `times` requests, then 200.
async fn failing_then_ok(server: &MockServer, first: ResponseTemplate, times: u64) {
    Mock::given(method("PATCH"))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(details())
        .with_priority(2)
        .mount(server)
        .await;
}

#[tokio::test]
async fn too_many_requests_and_unavailable_are_retried_honouring_retry_after() {
    let server = MockServer::start().await;
    failing_then_ok(
        &server,
        ResponseTemplate::new(429).insert_header("Retry-After", "0"),
        2,
    )
    .await;
    let response = update_org_key(&client_with(&server.uri(), fast_retries(4)))
        .await
        .expect("third attempt succeeds");
    assert_eq!(response.rate_limit(), RateLimit::new(Some(100), Some(97)));
    assert_eq!(received(&server).await.len(), 3);

    let server = MockServer::start().await;
    failing_then_ok(&server, ResponseTemplate::new(503), 1).await;
    update_org_key(&client_with(&server.uri(), fast_retries(4)))
        .await
        .expect("second attempt succeeds");
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn attempts_are_bounded_and_the_last_answer_is_returned() {
    let server = MockServer::start().await;
    respond(
        &server,
        429,
        "application/json",
        &api_error(429, "RATE_LIMITED").to_string(),
    )
    .await;
    let error = update_org_key(&client_with(&server.uri(), fast_retries(3)))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn a_retry_after_beyond_the_time_budget_is_not_waited_for() {
    let server = MockServer::start().await;
    failing_then_ok(
        &server,
        ResponseTemplate::new(429).insert_header("Retry-After", "120"),
        1,
    )
    .await;
    let error = update_org_key(&client_with(&server.uri(), fast_retries(4)))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn other_statuses_are_not_retried() {
    for status in [400, 500, 502, 504] {
        let server = MockServer::start().await;
        failing_then_ok(
            &server,
            ResponseTemplate::new(status).set_body_json(api_error(status, "X")),
            1,
        )
        .await;
        let error = update_org_key(&client_with(&server.uri(), fast_retries(4)))
            .await
            .unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(received(&server).await.len(), 1, "status {status}");
    }
}

#[tokio::test]
async fn retries_can_be_turned_off_and_errors_keep_rate_limit_headers() {
    let server = MockServer::start().await;
    failing_then_ok(
        &server,
        ResponseTemplate::new(429)
            .insert_header("RateLimit-Limit", "100")
            .insert_header("RateLimit-Remaining", "0"),
        1,
    )
    .await;
    let error = update_org_key(&client_with(&server.uri(), RetryPolicy::disabled()))
        .await
        .unwrap_err();
    let Error::UnexpectedResponse(response) = &error else {
        panic!("429 is not declared by the spec: {error:?}");
    };
    assert!(matches!(
        response.kind,
        UnexpectedResponseKind::UndeclaredStatus
    ));
    assert_eq!(error.rate_limit(), Some(RateLimit::new(Some(100), Some(0))));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn declared_errors_carry_rate_limit_headers_too() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(api_error(404, "RESOURCE_NOT_FOUND"))
                .insert_header("RateLimit-Remaining", "12"),
        )
        .mount(&server)
        .await;
    let error = update_org_key(&client_with(&server.uri(), RetryPolicy::disabled()))
        .await
        .unwrap_err();
    assert_eq!(
        error.rate_limit().and_then(|limit| limit.remaining),
        Some(12)
    );
}

#[tokio::test]
async fn connection_failures_are_retried_then_reported() {
    let (_guard, traces) = capture_traces();
    let (_bound, dead) = closed_port();
    let error = update_org_key(&client_with(&dead, fast_retries(3)))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Communication(_)), "{error:?}");
    assert_eq!(
        traces.text().matches("connection failed; retrying").count(),
        2,
        "{}",
        traces.text()
    );
}

async fn create_key(client: &Client) -> Result<(), Error<atlas_admin::types::ApiError>> {
    client
        .create_group_model_key()
        .group_id(HEX_ID)
        .body(atlas_admin::types::AiModelApiKeyCreateRequest::new(
            "ANY".to_owned(),
            "ANY".to_owned(),
            "k".to_owned(),
        ))
        .send()
        .await
        .map(drop)
}

#[tokio::test]
async fn a_request_a_server_redirected_is_never_sent_again_when_it_is_not_idempotent() {
    // The server received the create (and may have created the key), then
    // pointed elsewhere; that hop's connection failure is not "nothing sent".
    let (_bound, dead) = closed_port();
    for (verb, status) in [
        ("POST", 303),
        ("POST", 307),
        ("POST", 301),
        ("PATCH", 307),
        ("PATCH", 308),
    ] {
        let server = MockServer::start().await;
        Mock::given(method(verb))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("Location", format!("{dead}/moved").as_str()),
            )
            .mount(&server)
            .await;
        let client = client_with(&server.uri(), fast_retries(4));
        let error = if verb == "POST" {
            create_key(&client).await.unwrap_err()
        } else {
            update_org_key(&client).await.map(drop).unwrap_err()
        };
        assert!(
            matches!(error, Error::Communication(_)),
            "{verb} {status}: {error:?}"
        );
        assert_eq!(
            received(&server).await.len(),
            1,
            "{verb} {status}: sent once"
        );
    }
}

/// The method and URL of every attempt a client sends.
#[derive(Debug, Clone, Default)]
struct Sent(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

impl atlas_admin::Hooks for Sent {
    fn before(&self, request: &mut reqwest::Request, _: &atlas_admin::Attempt<'_>) {
        let line = format!("{} {}", request.method(), request.url().path());
        self.0.lock().expect("not poisoned").push(line);
    }
}

impl Sent {
    fn client(&self, base_url: &str, http: Option<reqwest::Client>) -> Client {
        let builder = Client::builder()
            .base_url(base_url)
            .retry(fast_retries(3))
            .hooks(self.clone());
        match http {
            Some(http) => builder.http_client(http),
            None => builder,
        }
        .build()
        .expect("valid")
    }

    fn lines(&self) -> Vec<String> {
        self.0.lock().expect("not poisoned").clone()
    }
}

#[tokio::test]
async fn a_get_after_a_redirect_may_be_tried_again_and_a_first_hop_failure_of_a_create_too() {
    // A 303 turns the create into a GET of the new location: that GET, not
    // the create, is what is tried again.
    let server = MockServer::start().await;
    let (_bound, dead) = closed_port();
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(303).insert_header("Location", format!("{dead}/moved").as_str()),
        )
        .mount(&server)
        .await;
    let sent = Sent::default();
    create_key(&sent.client(&server.uri(), None))
        .await
        .unwrap_err();
    assert_eq!(received(&server).await.len(), 1, "the create was sent once");
    let create = format!("POST /api/atlas/v2/groups/{HEX_ID}/aiModelApiKeys");
    assert_eq!(
        sent.lines(),
        [create.as_str(), "GET /moved", "GET /moved", "GET /moved"]
    );

    // No server was reached: the create is tried again.
    let sent = Sent::default();
    create_key(&sent.client(&dead, None)).await.unwrap_err();
    assert_eq!(sent.lines(), [create.as_str(), &create, &create]);
}

#[tokio::test]
async fn with_a_callers_own_client_a_connection_failure_of_a_create_is_not_retried() {
    // Its redirect policy is out of sight: the failure may be a later hop's.
    let (_bound, dead) = closed_port();
    let sent = Sent::default();
    let error = create_key(&sent.client(&dead, Some(reqwest::Client::new())))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Communication(_)), "{error:?}");
    assert_eq!(sent.lines().len(), 1);
    // An idempotent one is.
    let sent = Sent::default();
    let client = sent.client(&dead, Some(reqwest::Client::new()));
    client
        .get_group_model_key()
        .group_id(HEX_ID)
        .api_key_id("a86r5kwrfsk5r5ku5tgvhmpj")
        .send()
        .await
        .unwrap_err();
    assert_eq!(sent.lines().len(), 3);
}

#[tokio::test]
async fn redirects_are_followed_as_reqwest_follows_them_and_a_loop_ends() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(format!(
            "/api/atlas/v1.0/orgs/{HEX_ID}/apiKeys/{OTHER_HEX_ID}"
        )))
        .respond_with(ResponseTemplate::new(307).insert_header("Location", "/landed"))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/landed"))
        .respond_with(details())
        .mount(&server)
        .await;
    update_org_key(&client_with(&server.uri(), RetryPolicy::disabled()))
        .await
        .expect("followed, body and method kept");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);

    // A server that redirects to itself forever: ten hops, then its answer.
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", "/again"))
        .mount(&server)
        .await;
    let error = update_org_key(&client_with(&server.uri(), fast_retries(4)))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(302), "{error:?}");
    assert_eq!(received(&server).await.len(), 11);
}

#[tokio::test]
async fn a_slow_server_times_out_without_a_retry() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(details().set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .timeout(Duration::from_millis(200))
        .retry(fast_retries(4))
        .build()
        .expect("valid");
    match update_org_key(&client).await {
        Err(Error::Communication(error)) => assert!(error.is_timeout(), "{error:?}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(
        received(&server).await.len(),
        1,
        "a request that reached the server is not retried"
    );
}

#[tokio::test]
async fn authorization_is_not_sent_to_another_host_after_a_redirect() {
    let origin = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(path("/api/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "tok-secret", "expires_in": 3600})),
        )
        .mount(&origin)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("Location", format!("{}/landed", elsewhere.uri()).as_str()),
        )
        .mount(&origin)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(details())
        .mount(&elsewhere)
        .await;
    let client = Client::builder()
        .base_url(origin.uri())
        .service_account("id", "secret")
        .build()
        .expect("valid");
    update_org_key(&client)
        .await
        .expect("followed the redirect");
    let at_origin = received(&origin).await;
    assert!(
        at_origin
            .iter()
            .any(|r| header(r, "authorization") == Some("Bearer tok-secret"))
    );
    let landed = only_request(&elsewhere).await;
    assert_eq!(landed.url.path(), "/landed");
    assert_eq!(header(&landed, "authorization"), None);
}

#[tokio::test]
async fn envelopes_are_unwrapped_into_the_same_typed_results() {
    let server = MockServer::start().await;
    let client = client_with(&server.uri(), RetryPolicy::disabled());
    let send = || {
        client
            .update_org_api_key()
            .org_id(HEX_ID)
            .api_user_id(OTHER_HEX_ID)
            .envelope(true)
            .body(UpdateAtlasOrganizationApiKey::new().with_desc("d".to_owned()))
            .send()
    };

    respond(
        &server,
        200,
        "application/json",
        &json!({"status": 200, "content": {"id": HEX_ID, "publicKey": "zmmrboas"}}).to_string(),
    )
    .await;
    let details = send().await.expect("an enveloped success");
    assert_eq!(details.public_key.as_deref(), Some("zmmrboas"));
    assert_eq!(
        only_request(&server).await.url.query(),
        Some("envelope=true")
    );

    let wrapped = json!({"status": 404, "content": api_error(404, "RESOURCE_NOT_FOUND")});
    respond(&server, 200, "application/json", &wrapped.to_string()).await;
    match send().await {
        Err(Error::ErrorResponse(response)) => {
            assert_eq!(response.status().as_u16(), 404);
            assert_eq!(response.error_code, "RESOURCE_NOT_FOUND");
        }
        other => panic!("expected the wrapped 404, got {other:?}"),
    }
}

#[tokio::test]
async fn each_call_has_a_span_with_operation_route_status_attempts_and_duration() {
    let (_guard, traces) = capture_traces();
    let server = MockServer::start().await;
    failing_then_ok(&server, ResponseTemplate::new(503), 1).await;
    update_org_key(&client_with(&server.uri(), fast_retries(3)))
        .await
        .expect("sent");
    let text = traces.text();
    let close = text
        .lines()
        .find(|line| line.contains("api_request") && line.contains("close"))
        .unwrap_or_else(|| panic!("no closed span in:\n{text}"));
    for field in [
        "operation=\"updateOrgApiKey\"",
        "method=\"PATCH\"",
        "path=\"/api/atlas/v1.0/orgs/{orgId}/apiKeys/{apiUserId}\"",
        "attempt=2",
        "status=200",
        "duration_ms=",
    ] {
        assert!(close.contains(field), "missing {field} in: {close}");
    }
}
