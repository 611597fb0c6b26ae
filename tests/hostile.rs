//! Hostile servers: answers built to panic, hang, exhaust memory or leak a
//! secret. Each test is a regression test for one way a server once could;
//! every error it produces is checked for secrets in `Display`, `Debug` and
//! its whole `source` chain.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use atlas_admin::types::{ApiError, UpdateAtlasOrganizationApiKey};
use atlas_admin::{AuthError, Client, Error, RetryPolicy, UnexpectedResponseKind};
use serde_json::json;
use tokio::io::AsyncWriteExt;
use wire_tests::{HEX_ID, OTHER_HEX_ID, read_request_head, received, update_org_key};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const CLIENT_SECRET: &str = "sa-secret-0b7d2c4e";
const ACCESS_TOKEN: &str = "access-token-5e9a11";
const PRIVATE_KEY: &str = "digest-private-key-c3f0";
/// Stands in for a secret in a response body.
const BODY_SECRET: &str = "S3CR3T-body-value";

/// No secret, in any form an error can be printed.
fn assert_clean(error: &(dyn std::error::Error + 'static)) {
    let mut texts = vec![format!("{error:?}")];
    let mut next = Some(error);
    while let Some(error) = next {
        texts.push(error.to_string());
        next = error.source();
    }
    for text in texts {
        for secret in [CLIENT_SECRET, ACCESS_TOKEN, PRIVATE_KEY, BODY_SECRET] {
            assert!(!text.contains(secret), "{secret} shows in: {text}");
        }
    }
}

fn builder(server: &str) -> atlas_admin::ClientBuilder {
    Client::builder().base_url(server)
}

fn service_account(server: &str) -> Client {
    builder(server)
        .service_account("sa-id", CLIENT_SECRET)
        .retry(RetryPolicy::disabled())
        .build()
        .expect("valid")
}

/// The call's error, checked for secrets.
async fn failing(client: &Client) -> Error<ApiError> {
    let error = update_org_key(client)
        .await
        .expect_err("the call must fail");
    assert_clean(&error);
    error
}

async fn mount_token(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .respond_with(response)
        .mount(server)
        .await;
}

fn token(expires_in: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"access_token": ACCESS_TOKEN, "expires_in": expires_in}))
}

fn details() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"id": HEX_ID}))
}

#[tokio::test]
async fn a_huge_retry_after_late_in_a_call_ends_it_instead_of_panicking() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "18446744073709551615")
                // The budget arithmetic once overflowed only after a second had passed.
                .set_delay(Duration::from_millis(1100)),
        )
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().expect("valid");
    let error = failing(&client).await;
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(received(&server).await.len(), 1, "no wait, no retry");
}

#[tokio::test]
async fn a_huge_expires_in_caches_the_token_without_overflowing() {
    for expires_in in [json!(18446744073709551615u64), json!(0)] {
        let server = MockServer::start().await;
        mount_token(&server, token(expires_in)).await;
        Mock::given(method("PATCH"))
            .respond_with(details())
            .mount(&server)
            .await;
        let client = service_account(&server.uri());
        update_org_key(&client).await.expect("the first call");
        update_org_key(&client).await.expect("the second call");
    }
}

#[tokio::test]
async fn token_requests_never_follow_a_redirect_to_another_origin() {
    let origin = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    mount_token(&elsewhere, token(json!(3600))).await;
    // `localhost` is another host; another port is another origin.
    let port = elsewhere.address().port();
    for (status, target) in [
        (307, format!("http://localhost:{port}/api/oauth/token")),
        (308, format!("{}/api/oauth/token", elsewhere.uri())),
    ] {
        origin.reset().await;
        mount_token(
            &origin,
            ResponseTemplate::new(status).insert_header("Location", target.as_str()),
        )
        .await;
        let error = failing(&service_account(&origin.uri())).await;
        assert!(
            matches!(&error, Error::Auth(AuthError::RedirectRefused { status: s }) if s.as_u16() == status),
            "{error:?}"
        );
    }
    assert!(
        received(&elsewhere).await.is_empty(),
        "the client secret never left the origin"
    );
}

#[tokio::test]
async fn revocation_never_sends_the_token_to_another_origin() {
    let origin = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    mount_token(&origin, token(json!(3600))).await;
    Mock::given(method("PATCH"))
        .respond_with(details())
        .mount(&origin)
        .await;
    for status in [307, 308] {
        Mock::given(path("/api/oauth/revoke"))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("Location", format!("{}/steal", elsewhere.uri()).as_str()),
            )
            .up_to_n_times(1)
            .mount(&origin)
            .await;
        let client = service_account(&origin.uri());
        update_org_key(&client).await.expect("a token to revoke");
        let error = client.revoke_token().await.expect_err("not followed");
        assert_clean(&error);
        assert!(
            matches!(error, AuthError::RedirectRefused { .. }),
            "{error:?}"
        );
    }
    assert!(
        received(&elsewhere).await.is_empty(),
        "the token stayed home"
    );
}

#[tokio::test]
async fn a_token_endpoint_that_redirects_to_itself_is_said_to_loop_not_to_leave() {
    let server = MockServer::start().await;
    Mock::given(path("/api/oauth/token"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", "/api/oauth/token"))
        .mount(&server)
        .await;
    let error = failing(&service_account(&server.uri())).await;
    assert!(
        matches!(
            &error,
            Error::Auth(AuthError::TooManyRedirects { limit: 5, .. })
        ),
        "{error:?}"
    );
    assert!(!error.to_string().contains("another origin"), "{error}");
    assert_eq!(
        received(&server).await.len(),
        6,
        "the first request and five redirects"
    );
}

#[tokio::test]
async fn expires_in_as_a_string_or_a_fraction_gives_a_usable_cached_token() {
    for expires_in in [json!("3600"), json!(3600.5), json!(" 7200 ")] {
        let server = MockServer::start().await;
        mount_token(&server, token(expires_in.clone())).await;
        Mock::given(method("PATCH"))
            .respond_with(details())
            .mount(&server)
            .await;
        let client = service_account(&server.uri());
        update_org_key(&client).await.expect("the first call");
        update_org_key(&client).await.expect("the second call");
        let token_requests = received(&server)
            .await
            .iter()
            .filter(|request| request.url.path() == "/api/oauth/token")
            .count();
        assert_eq!(token_requests, 1, "{expires_in}: the token was cached");
    }
}

#[tokio::test]
async fn a_token_of_another_type_than_bearer_is_refused_not_sent_as_one() {
    for kind in ["mac", "DPoP", "N_A"] {
        let server = MockServer::start().await;
        mount_token(
            &server,
            ResponseTemplate::new(200).set_body_json(
                json!({"access_token": ACCESS_TOKEN, "token_type": kind, "expires_in": 3600}),
            ),
        )
        .await;
        let error = failing(&service_account(&server.uri())).await;
        assert!(
            matches!(&error, Error::Auth(AuthError::UnsupportedTokenType(shown)) if shown == kind),
            "{error:?}"
        );
        assert!(
            received(&server)
                .await
                .iter()
                .all(|request| request.url.path() == "/api/oauth/token"),
            "the API was not called with it"
        );
    }
    // Bearer in any case, or no type at all, is used.
    for body in [
        json!({"access_token": ACCESS_TOKEN, "token_type": "bearer"}),
        json!({"access_token": ACCESS_TOKEN}),
    ] {
        let server = MockServer::start().await;
        mount_token(&server, ResponseTemplate::new(200).set_body_json(body)).await;
        Mock::given(method("PATCH"))
            .respond_with(details())
            .mount(&server)
            .await;
        update_org_key(&service_account(&server.uri()))
            .await
            .expect("a Bearer token");
    }
}

#[tokio::test]
async fn a_redirect_within_the_origin_is_followed() {
    let server = MockServer::start().await;
    Mock::given(path("/api/oauth/token"))
        .respond_with(ResponseTemplate::new(307).insert_header("Location", "/oauth/v2/token"))
        .mount(&server)
        .await;
    Mock::given(path("/oauth/v2/token"))
        .respond_with(token(json!(3600)))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(details())
        .mount(&server)
        .await;
    update_org_key(&service_account(&server.uri()))
        .await
        .expect("the token endpoint moved within the origin");
}

#[tokio::test]
async fn an_oauth_error_body_that_echoes_the_secret_is_reported_without_it() {
    let server = MockServer::start().await;
    mount_token(
        &server,
        ResponseTemplate::new(401).set_body_string(format!(
            "invalid client: secret {CLIENT_SECRET} does not match"
        )),
    )
    .await;
    let error = failing(&service_account(&server.uri())).await;
    let Error::Auth(AuthError::TokenRefused { body, .. }) = &error else {
        panic!("expected a refusal, got {error:?}");
    };
    assert!(
        body.contains("invalid client: secret ** redacted **"),
        "{body}"
    );
}

#[tokio::test]
async fn a_decode_error_shows_no_value_after_an_escaped_quote() {
    let server = MockServer::start().await;
    for body in [
        format!(r#"{{"roles":"note \"{BODY_SECRET} and more"}}"#),
        format!(r#"{{"roles":"\\\"{BODY_SECRET}\\"}}"#),
        format!(r#"{{"roles":"\u0022{BODY_SECRET}"}}"#),
        format!(r#"{{"id": 5, "desc": "`{BODY_SECRET}`"}}"#),
    ] {
        server.reset().await;
        Mock::given(method("PATCH"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
            .mount(&server)
            .await;
        let error = failing(&builder(&server.uri()).build().expect("valid")).await;
        let Error::UnexpectedResponse(response) = &error else {
            panic!("{body}: expected an undecodable body, got {error:?}");
        };
        assert!(
            matches!(response.kind, UnexpectedResponseKind::UndecodableBody(_)),
            "{body}: {:?}",
            response.kind
        );
    }
}

#[tokio::test]
async fn an_envelope_that_cannot_be_unwrapped_is_an_error_not_an_empty_success() {
    let server = MockServer::start().await;
    let client = builder(&server.uri()).build().expect("valid");
    let deep = format!(
        r#"{{"status": 200, "content": {{"links": {}{}}}}}"#,
        "[".repeat(300),
        "]".repeat(300)
    );
    for body in [
        json!({"status": 1000, "content": {"id": HEX_ID}}).to_string(),
        json!({"status": 99, "content": {"id": HEX_ID}}).to_string(),
        json!({"status": "200", "content": {"id": HEX_ID}}).to_string(),
        json!({"id": HEX_ID}).to_string(),
        deep,
    ] {
        server.reset().await;
        Mock::given(method("PATCH"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
            .mount(&server)
            .await;
        let result = client
            .update_org_api_key()
            .org_id(HEX_ID)
            .api_user_id(OTHER_HEX_ID)
            .envelope(true)
            .body(UpdateAtlasOrganizationApiKey::new().with_desc("d".to_owned()))
            .send()
            .await;
        let error = result.expect_err(&body);
        assert_clean(&error);
        let Error::UnexpectedResponse(response) = &error else {
            panic!("{body}: expected an unexpected response, got {error:?}");
        };
        assert!(
            matches!(response.kind, UnexpectedResponseKind::NotAnEnvelope(_)),
            "{body}: {:?}",
            response.kind
        );
        assert_eq!(
            response.body.as_ref(),
            body.as_bytes(),
            "kept for diagnosis"
        );
    }
}

#[tokio::test]
async fn a_body_announced_longer_than_the_limit_is_refused() {
    let server = MockServer::start().await;
    let body = format!(r#"{{"id": "{HEX_ID}", "desc": "{}"}}"#, "x".repeat(2 << 20));
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let limited = builder(&server.uri())
        .max_response_body(1 << 20)
        .build()
        .expect("valid");
    let error = failing(&limited).await;
    assert!(
        matches!(error, Error::ResponseTooLarge { status, limit: 1048576 } if status.as_u16() == 200),
        "{error:?}"
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    let roomy = builder(&server.uri())
        .max_response_body(4 << 20)
        .build()
        .expect("valid");
    update_org_key(&roomy).await.expect("within a larger limit");
}

/// A server whose every answer is `head` followed by a chunked body that
/// never ends; it stops writing when the client hangs up (or, to stay
/// bounded, after 1 GiB). Returns its URL and the bytes it wrote.
async fn endless_server(head: &'static str) -> (String, Arc<AtomicU64>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let written = Arc::new(AtomicU64::new(0));
    let counter = written.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let counter = counter.clone();
            tokio::spawn(async move {
                if !read_request_head(&mut socket).await {
                    return;
                }
                let chunk = format!("10000\r\n{}\r\n", "a".repeat(0x10000));
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                while counter.load(Ordering::Relaxed) < 1 << 30 {
                    if socket.write_all(chunk.as_bytes()).await.is_err() {
                        return;
                    }
                    counter.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                }
            });
        }
    });
    (url, written)
}

const ENDLESS_JSON: &str =
    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";

#[tokio::test]
async fn an_endless_body_stops_at_the_default_limit() {
    let (url, written) = endless_server(ENDLESS_JSON).await;
    let client = builder(&url)
        .retry(RetryPolicy::disabled())
        .build()
        .expect("valid");
    let error = failing(&client).await;
    assert!(
        matches!(error, Error::ResponseTooLarge { limit, .. } if limit == atlas_admin::DEFAULT_MAX_RESPONSE_BODY),
        "{error:?}"
    );
    // Whatever socket buffers held, the client stopped reading near the limit.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let sent = written.load(Ordering::Relaxed);
    assert!(
        sent < 1 << 30,
        "the server was stopped by the client, at {sent} bytes"
    );
}

#[tokio::test]
async fn an_endless_token_answer_stops_at_the_oauth_limit() {
    let (url, _) = endless_server(ENDLESS_JSON).await;
    let error = failing(&service_account(&url)).await;
    assert!(
        matches!(error, Error::Auth(AuthError::TooLarge { limit: 65536 })),
        "{error:?}"
    );
}

/// A host that accepts connections, answers each request with `head`
/// (perhaps nothing), then holds the connection open.
async fn stalling_host(head: &'static str) -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((mut socket, _)) = listener.accept().await {
            // After the request's head, as a server would.
            read_request_head(&mut socket).await;
            let _ = socket.write_all(head.as_bytes()).await;
            held.push(socket);
        }
    });
    (url, task)
}

/// The call fails with `DeadlineExceeded` for its 300 ms deadline, long
/// before any timeout of one attempt (60 s).
async fn ends_at_the_deadline(client: &Client) {
    let started = Instant::now();
    let error = failing(client).await;
    assert!(
        matches!(error, Error::DeadlineExceeded(deadline) if deadline == Duration::from_millis(300)),
        "{error:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_call_ends_at_its_deadline_whatever_the_timeouts() {
    let (url, host) = stalling_host("").await;
    let deadline = Duration::from_millis(300);
    ends_at_the_deadline(&builder(&url).deadline(deadline).build().expect("valid")).await;
    // A body that starts and then stalls.
    let (url, body) = stalling_host(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{",
    )
    .await;
    ends_at_the_deadline(&builder(&url).deadline(deadline).build().expect("valid")).await;
    // A token request that never ends counts against the deadline too.
    let (url, token) = stalling_host("").await;
    let client = builder(&url)
        .service_account("sa-id", CLIENT_SECRET)
        .deadline(deadline)
        .build()
        .expect("valid");
    ends_at_the_deadline(&client).await;
    // So does a client of the caller's own, whose timeouts are unknown.
    let (url, own) = stalling_host("").await;
    let client = builder(&url)
        .http_client(reqwest::Client::new())
        .deadline(deadline)
        .build()
        .expect("valid");
    ends_at_the_deadline(&client).await;
    for task in [host, body, token, own] {
        task.abort();
    }
}

#[tokio::test]
async fn a_retry_wait_that_would_pass_the_deadline_is_not_begun() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "30"))
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .deadline(Duration::from_secs(5))
        .build()
        .expect("valid");
    let started = Instant::now();
    let error = failing(&client).await;
    assert!(matches!(error, Error::DeadlineExceeded(_)), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(received(&server).await.len(), 1);
}

/// A Digest server that, like Apache with `AuthDigestNcCheck On`, refuses a
/// nonce count that is not higher than the last it accepted for that nonce,
/// and issues a new nonce with every challenge. Hashes are checked in
/// `digest_auth.rs`; this server checks only the order of counts.
#[derive(Clone, Default)]
struct StrictCounts {
    state: Arc<Mutex<CountState>>,
}

#[derive(Default)]
struct CountState {
    nonces: u32,
    last_count: HashMap<String, u32>,
    accepted: u32,
    replays: u32,
    requests: u32,
}

impl Respond for StrictCounts {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().expect("not poisoned");
        state.requests += 1;
        let authorization = request
            .headers
            .get("authorization")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| digest_auth::AuthorizationHeader::parse(value).ok());
        if let Some(fields) = authorization {
            assert!(
                fields.response.len() == 32,
                "an MD5 response, never the key itself"
            );
            match state.last_count.get(&fields.nonce).copied() {
                Some(last) if fields.nc > last => {
                    state.last_count.insert(fields.nonce, fields.nc);
                    state.accepted += 1;
                    return ResponseTemplate::new(200).set_body_json(json!({"id": HEX_ID}));
                }
                Some(_) => state.replays += 1,
                None => {}
            }
        }
        state.nonces += 1;
        let nonce = format!("nonce-{}", state.nonces);
        state.last_count.insert(nonce.clone(), 0);
        ResponseTemplate::new(401).insert_header(
            "WWW-Authenticate",
            format!(r#"Digest realm="r", nonce="{nonce}", qop="auth", algorithm=MD5"#).as_str(),
        )
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_digest_calls_keep_each_nonce_count_in_order() {
    let counts = StrictCounts::default();
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(counts.clone())
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .digest_auth("public", PRIVATE_KEY)
        .retry(RetryPolicy::disabled())
        .build()
        .expect("valid");
    const CALLS: u32 = 40;
    for wave in 0..3 {
        let mut calls = tokio::task::JoinSet::new();
        for _ in 0..CALLS {
            let client = client.clone();
            calls.spawn(async move { update_org_key(&client).await.map(|_| ()) });
        }
        while let Some(result) = calls.join_next().await {
            if let Err(error) = result.expect("no panic") {
                assert_clean(&error);
                panic!("wave {wave}: {error:?}");
            }
        }
    }
    let state = counts.state.lock().expect("not poisoned");
    assert_eq!(state.accepted, 3 * CALLS);
    assert_eq!(state.replays, 0, "every count reached the server in order");
    assert!(
        state.nonces <= CALLS,
        "challenges are reused by later calls: {} nonces for {} calls",
        state.nonces,
        3 * CALLS
    );
    assert_eq!(state.requests, 3 * CALLS + state.nonces);
}
