//! What differs between APIs reaches the runtime through `ApiDefaults`:
//! rate limit header names, the envelope's fields, the declared schemes.

use client_runtime::__private::{
    ApiDefaults, ApiKeyLocation, ApiKeyPlace, EnvNames, EnvelopeFields, RateLimitHeaders,
    RawResponse, SchemeKind, SecurityScheme, Transport,
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
    scopes: None,
    schemes: &[],
    env: EnvNames {
        base_url: None,
        service_account: &[],
        digest: &[],
        schemes: &[],
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
    security: client_runtime::Security::Any,
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

const KEY: &str = "k3y/with+odd=chars";

/// `OTHER_API` with its static schemes declared, the API key at `place`.
fn declaring(place: ApiKeyPlace) -> ApiDefaults {
    let schemes = [
        ("bearer", SchemeKind::Bearer),
        ("basic", SchemeKind::Basic),
        ("key", SchemeKind::ApiKey(place)),
    ]
    .map(|(name, kind)| SecurityScheme { name, kind });
    ApiDefaults {
        schemes: Box::leak(Box::new(schemes)),
        ..OTHER_API
    }
}

/// The one request a client built by `build` sent, and the error the
/// server's echo of it (status 401, the request's headers and query in
/// its body and a header) became.
async fn exchange(
    defaults: ApiDefaults,
    build: impl FnOnce(ClientBuilder<Probe>) -> ClientBuilder<Probe>,
) -> (wiremock::Request, String) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(|request: &wiremock::Request| {
            let echo = format!("{:?} {}", request.headers, request.url);
            ResponseTemplate::new(401)
                .insert_header("X-Echo", echo.replace(['\r', '\n'], " ").as_str())
                .set_body_raw(echo, "text/plain")
        })
        .mount(&server)
        .await;
    let Probe(transport) = build(ClientBuilder::<Probe>::new(defaults).base_url(server.uri()))
        .build()
        .expect("declared");
    let response = send(&transport, false).await.expect("an answer");
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1, "static credentials are not sent twice");
    let shown = format!(
        "{:?} {}",
        response.headers,
        String::from_utf8_lossy(&response.body)
    );
    (requests[0].clone(), shown)
}

fn header(request: &wiremock::Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

#[tokio::test]
async fn a_bearer_token_basic_credentials_and_an_api_key_go_where_the_spec_says_and_are_never_shown()
 {
    use base64::Engine;
    let header_key = ApiKeyPlace {
        location: ApiKeyLocation::Header,
        name: "X-Api-Key",
    };

    let (request, shown) = exchange(declaring(header_key), |b| b.bearer_token(KEY)).await;
    assert_eq!(
        header(&request, "authorization"),
        Some(format!("Bearer {KEY}"))
    );
    assert!(!shown.contains(KEY), "{shown}");

    let (request, shown) = exchange(declaring(header_key), |b| b.basic_auth("me", KEY)).await;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("me:{KEY}"));
    assert_eq!(
        header(&request, "authorization"),
        Some(format!("Basic {basic}"))
    );
    assert!(!shown.contains(&basic) && !shown.contains(KEY), "{shown}");

    let (request, shown) = exchange(declaring(header_key), |b| b.api_key(KEY)).await;
    assert_eq!(header(&request, "x-api-key").as_deref(), Some(KEY));
    assert!(!shown.contains(KEY), "{shown}");

    let query_key = ApiKeyPlace {
        location: ApiKeyLocation::Query,
        name: "api_key",
    };
    let (request, shown) = exchange(declaring(query_key), |b| b.api_key(KEY)).await;
    let sent: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    assert_eq!(sent, [("api_key".to_owned(), KEY.to_owned())]);
    assert!(!shown.contains("k3y"), "{shown}");

    let cookie_key = ApiKeyPlace {
        location: ApiKeyLocation::Cookie,
        name: "session",
    };
    let (request, shown) = exchange(declaring(cookie_key), |b| b.api_key(KEY)).await;
    assert_eq!(header(&request, "cookie"), Some(format!("session={KEY}")));
    assert!(!shown.contains(KEY), "{shown}");
}

#[tokio::test]
async fn a_key_in_the_query_is_left_out_of_a_communication_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let place = ApiKeyPlace {
        location: ApiKeyLocation::Query,
        name: "api_key",
    };
    let Probe(transport) = ClientBuilder::<Probe>::new(declaring(place))
        .base_url(format!("http://{address}"))
        .retry(client_runtime::RetryPolicy::disabled())
        .api_key(KEY)
        .build()
        .expect("declared");
    let error = send(&transport, false).await.expect_err("nothing listens");
    let mut shown = format!("{error} {error:?}");
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        shown.push_str(&format!(" {cause} {cause:?}"));
        source = cause.source();
    }
    assert!(!shown.contains("k3y"), "{shown}");
}

#[test]
fn static_credentials_the_api_does_not_declare_are_refused_and_kinds_do_not_mix() {
    for (kind, builder) in [
        (
            "Bearer",
            ClientBuilder::<Probe>::new(OTHER_API).bearer_token("t"),
        ),
        (
            "Basic",
            ClientBuilder::<Probe>::new(OTHER_API).basic_auth("u", "p"),
        ),
        (
            "API key",
            ClientBuilder::<Probe>::new(OTHER_API).api_key("k"),
        ),
    ] {
        let error = builder
            .base_url("http://127.0.0.1:9")
            .build()
            .expect_err("not declared");
        assert!(error.to_string().contains(kind), "{error}");
    }
    let place = ApiKeyPlace {
        location: ApiKeyLocation::Header,
        name: "X-Api-Key",
    };
    // Several kinds at once are held side by side, one per scheme.
    ClientBuilder::<Probe>::new(declaring(place))
        .base_url("http://127.0.0.1:9")
        .bearer_token("t")
        .api_key("k")
        .build()
        .expect("one credential for each scheme");
}

#[tokio::test]
async fn a_token_endpoint_on_an_identity_providers_host_is_reached_there() {
    let identity_provider = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/oauth2/token"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"access_token": "idp-token", "token_type": "Bearer", "expires_in": 600}"#,
            "application/json",
        ))
        .mount(&identity_provider)
        .await;
    let api = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&api)
        .await;
    let token_url: &'static str =
        Box::leak(format!("{}/oauth2/token", identity_provider.uri()).into_boxed_str());
    let defaults = ApiDefaults {
        token_path: Some(token_url),
        schemes: &[SecurityScheme {
            name: "oauth",
            kind: SchemeKind::ClientCredentials,
        }],
        ..OTHER_API
    };
    let Probe(transport) = ClientBuilder::<Probe>::new(defaults)
        .base_url(api.uri())
        .service_account("id", "secret")
        .build()
        .expect("declared");
    send(&transport, false).await.expect("a response");
    let token_requests = identity_provider
        .received_requests()
        .await
        .unwrap_or_default();
    assert_eq!(token_requests.len(), 1);
    let calls = api.received_requests().await.unwrap_or_default();
    assert_eq!(calls.len(), 1, "no token request reached the API's host");
    assert_eq!(
        header(&calls[0], "authorization").as_deref(),
        Some("Bearer idp-token")
    );
}
