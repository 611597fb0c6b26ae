//! Layers around every attempt (feature `middleware`): an async signing
//! layer of our own, `reqwest-tracing`'s layer as others wrote it, and a
//! layer that refuses, whose request never leaves.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use atlas_admin::reqwest_middleware::{self, Middleware, Next};
use atlas_admin::{Client, Error, RetryPolicy};
use wire_tests::{capture_traces, header, received, update_org_key};
use wiremock::matchers::{header_exists, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BODY: &str = r#"{"id":"5f1a8b2c3d4e5f6a7b8c9d0e","desc":"d"}"#;
const MEDIA_TYPE: &str = "application/json";

/// Signs each attempt after an await (a key fetched from a vault, say):
/// the signature names the method, the path and whether credentials are set.
#[derive(Default)]
struct Signer {
    signed: AtomicUsize,
}

#[async_trait::async_trait]
impl Middleware for Signer {
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        tokio::time::sleep(Duration::from_millis(5)).await;
        let signature = format!(
            "{} {} credentials={}",
            request.method(),
            request.url().path(),
            request.headers().contains_key("authorization")
        );
        request
            .headers_mut()
            .insert("x-signature", signature.parse().expect("a header value"));
        self.signed.fetch_add(1, Ordering::SeqCst);
        next.run(request, extensions).await
    }
}

/// Refuses every request, as a circuit breaker that is open would.
struct Refuser;

#[async_trait::async_trait]
impl Middleware for Refuser {
    async fn handle(
        &self,
        _: reqwest::Request,
        _: &mut http::Extensions,
        _: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        Err(reqwest_middleware::Error::middleware(
            std::io::Error::other("the circuit is open"),
        ))
    }
}

#[tokio::test]
async fn an_async_layer_signs_every_attempt_after_the_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(header_exists("x-signature"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(BODY, MEDIA_TYPE))
        .mount(&server)
        .await;
    let signer = Arc::new(Signer::default());
    let client = Client::builder()
        .base_url(server.uri())
        .digest_auth("public", "private-key")
        .retry(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(5))
                .with_max_backoff(Duration::from_millis(10)),
        )
        .with_middleware(SharedSigner(signer.clone()))
        .build()
        .expect("valid");
    let updated = update_org_key(&client).await.expect("signed, retried");
    assert_eq!(updated.into_inner().desc.as_deref(), Some("d"));
    // The 503, then the retry: both went through the layer.
    assert_eq!(signer.signed.load(Ordering::SeqCst), 2);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        let signature = header(request, "x-signature").expect("signed");
        assert!(
            signature.starts_with("PATCH /api/atlas/v1.0/orgs/"),
            "{signature}"
        );
    }
}

/// The signer, shared with the test that counts its work.
struct SharedSigner(Arc<Signer>);

#[async_trait::async_trait]
impl Middleware for SharedSigner {
    async fn handle(
        &self,
        request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        self.0.handle(request, extensions, next).await
    }
}

#[tokio::test]
async fn a_layer_others_wrote_traces_each_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(BODY, MEDIA_TYPE))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .with_middleware(reqwest_tracing::TracingMiddleware::default())
        .build()
        .expect("valid");
    let (_guard, traces) = capture_traces();
    update_org_key(&client)
        .await
        .expect("sent through the layer");
    let text = traces.text();
    // reqwest-tracing's span, inside ours.
    assert!(
        text.contains("http.request.method=\"PATCH\"")
            || text.contains("http.request.method=PATCH"),
        "{text}"
    );
    assert!(text.contains("http.response.status_code=200"), "{text}");
}

#[tokio::test]
async fn a_layer_that_refuses_ends_the_call_before_sending() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .with_middleware(Refuser)
        .build()
        .expect("valid");
    let error = update_org_key(&client).await.expect_err("refused");
    assert!(matches!(error, Error::Middleware(_)), "{error:?}");
    assert!(error.to_string().contains("the circuit is open"), "{error}");
    assert!(received(&server).await.is_empty());
}
