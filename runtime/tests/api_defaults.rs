//! What differs between APIs reaches the runtime through `ApiDefaults`:
//! rate limit header names, the envelope's fields, the declared schemes.

use client_runtime::__private::{
    ApiDefaults, EnvNames, EnvelopeFields, RateLimitHeaders, RawResponse, Transport,
};
use client_runtime::{ClientBuilder, Error, OperationInfo};
use reqwest::Method;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug)]
struct Probe(Transport);

impl From<Transport> for Probe {
    fn from(transport: Transport) -> Self {
        Probe(transport)
    }
}

const OTHER_API: ApiDefaults = ApiDefaults {
    base_url: "",
    user_agent: "probe/1",
    token_path: None,
    revoke_path: None,
    digest: false,
    env: EnvNames {
        base_url: None,
        service_account: &[],
        digest: &[],
    },
    rate_limit: RateLimitHeaders {
        limit: "X-RateLimit-Limit",
        remaining: "X-RateLimit-Remaining",
    },
    envelope: Some(EnvelopeFields {
        status: "code",
        content: "data",
    }),
    property_names: &[],
};

const OPERATION: OperationInfo = OperationInfo {
    id: "probe",
    method: "GET",
    path: "/probe",
};

/// A transport for `OTHER_API` against a server that always answers `answer`.
async fn transport_answered_by(answer: ResponseTemplate) -> (MockServer, Transport) {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(answer).mount(&server).await;
    let Probe(transport) = ClientBuilder::<Probe>::new(OTHER_API)
        .base_url(server.uri())
        .build()
        .expect("valid");
    (server, transport)
}

async fn send(transport: &Transport, envelope: bool) -> Result<RawResponse, Error> {
    transport
        .send::<()>(
            transport.request(Method::GET, &["/probe"]),
            &OPERATION,
            envelope,
        )
        .await
}

#[tokio::test]
async fn rate_limit_headers_and_envelope_fields_are_the_apis_own() {
    let (_server, transport) = transport_answered_by(
        ResponseTemplate::new(200)
            .insert_header("X-RateLimit-Limit", "50")
            .insert_header("X-RateLimit-Remaining", "7")
            .insert_header("RateLimit-Remaining", "999")
            .set_body_raw(
                r#"{"code": 404, "data": {"why": "gone"}}"#,
                "application/json",
            ),
    )
    .await;
    let plain = send(&transport, false).await.expect("a response");
    assert_eq!(plain.rate_limit.limit, Some(50));
    assert_eq!(
        plain.rate_limit.remaining,
        Some(7),
        "not the draft's header"
    );
    assert_eq!(plain.status.as_u16(), 200);

    let unwrapped = send(&transport, true).await.expect("an envelope");
    assert_eq!(unwrapped.status.as_u16(), 404);
    assert_eq!(unwrapped.body.as_ref(), br#"{"why":"gone"}"#);
    assert_eq!(unwrapped.rate_limit.remaining, Some(7));
}

#[tokio::test]
async fn an_envelope_under_other_field_names_is_not_one() {
    let (_server, transport) = transport_answered_by(
        ResponseTemplate::new(200)
            .set_body_raw(r#"{"status": 404, "content": {}}"#, "application/json"),
    )
    .await;
    let error = send(&transport, true)
        .await
        .expect_err("this API's envelope has `code` and `data`");
    assert!(matches!(error, Error::UnexpectedResponse(_)), "{error:?}");
}

#[test]
fn credentials_the_api_does_not_declare_are_refused() {
    let digest = ClientBuilder::<Probe>::new(OTHER_API)
        .base_url("http://127.0.0.1:9")
        .digest_auth("public", "private")
        .build()
        .expect_err("no Digest scheme");
    assert!(digest.to_string().contains("Digest"), "{digest}");
    let oauth = ClientBuilder::<Probe>::new(OTHER_API)
        .base_url("http://127.0.0.1:9")
        .service_account("id", "secret")
        .build()
        .expect_err("no client credentials flow");
    assert!(oauth.to_string().contains("OAuth"), "{oauth}");
}
