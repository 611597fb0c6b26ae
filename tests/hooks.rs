//! User hooks around every attempt: a header added, statuses recorded,
//! retries seen, and no credential ever shown to them.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use atlas_admin::{Attempt, Client, Hooks, Received, RetryPolicy};
use serde_json::json;
use wire_tests::{HEX_ID, header, received, update_org_key};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Default, Clone)]
struct Recorder {
    seen: Arc<Mutex<Vec<String>>>,
}

impl Hooks for Recorder {
    fn before(&self, request: &mut reqwest::Request, attempt: &Attempt<'_>) {
        assert!(
            !request.headers().contains_key("authorization"),
            "hooks run before credentials are added"
        );
        request.headers_mut().insert(
            "x-request-id",
            format!("req-{}", attempt.number).parse().unwrap(),
        );
        self.seen.lock().unwrap().push(format!(
            "before {} #{}",
            attempt.operation.id, attempt.number
        ));
    }

    fn after(&self, response: &Received<'_>, attempt: &Attempt<'_>) {
        self.seen.lock().unwrap().push(format!(
            "after #{} {} {:?}",
            attempt.number,
            response.status.as_u16(),
            response.body_length.map(|length| length > 0)
        ));
    }
}

#[tokio::test]
async fn hooks_see_every_attempt_and_can_add_headers() {
    let server = MockServer::start().await;
    Mock::given(path("/api/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "token-secret", "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": HEX_ID})))
        .with_priority(2)
        .mount(&server)
        .await;
    let recorder = Recorder::default();
    let client = Client::builder()
        .base_url(server.uri())
        .service_account("id", "client-secret")
        .retry(
            RetryPolicy::default()
                .with_max_attempts(2)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(1))
                .with_max_elapsed(Duration::from_secs(5)),
        )
        .hooks(recorder.clone())
        .build()
        .expect("valid");
    update_org_key(&client)
        .await
        .expect("the second attempt succeeds");
    assert_eq!(
        *recorder.seen.lock().unwrap(),
        [
            "before updateOrgApiKey #1",
            "after #1 503 Some(false)",
            "before updateOrgApiKey #2",
            "after #2 200 Some(true)",
        ]
    );
    let api_calls: Vec<_> = received(&server)
        .await
        .into_iter()
        .filter(|request| request.method.as_str() == "PATCH")
        .collect();
    assert_eq!(header(&api_calls[0], "x-request-id"), Some("req-1"));
    assert_eq!(header(&api_calls[1], "x-request-id"), Some("req-2"));
    assert!(
        !format!("{client:?}").contains("client-secret"),
        "the client's Debug shows hooks, not secrets"
    );
}
