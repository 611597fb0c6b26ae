//! No secret ever shows: not in `Debug` or `Display` of clients, builders,
//! responses or errors, and not in traces captured at TRACE level, across
//! full exchanges with both kinds of credentials, successes and failures.

use atlas_admin::types::{AiModelApiKeyUpdateRequest, UpdateAtlasOrganizationApiKey};
use atlas_admin::{Client, RetryPolicy, Secret};
use serde_json::json;
use wire_tests::*;
use wiremock::matchers::{header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_SECRET: &str = "sa-client-secret-4f1d9c";
const ACCESS_TOKEN: &str = "access-token-77e0b2a1";
const PRIVATE_KEY: &str = "digest-private-key-9a3e";
const RESPONSE_SECRET: &str = "al-jZsluhPMzPM9CFXepRWwMwvpZDDra6tZMgoAZKdodu2";
const RESPONSE_PRIVATE_KEY: &str = "55c3bbb6-b4bb-0be1-e66d20841f3e";

const ALL: [&str; 5] = [
    CLIENT_SECRET,
    ACCESS_TOKEN,
    PRIVATE_KEY,
    RESPONSE_SECRET,
    RESPONSE_PRIVATE_KEY,
];

fn assert_clean(what: &str, text: &str) {
    for secret in ALL {
        assert!(!text.contains(secret), "{what} leaks {secret}:\n{text}");
    }
}

/// Formats a value both ways and checks the output.
fn check<T: std::fmt::Debug>(what: &str, value: &T, out: &mut Vec<String>) {
    let text = format!("{value:?}");
    assert_clean(what, &text);
    out.push(text);
}

async fn calls(client: &Client, seen: &mut Vec<String>) {
    let ai = client
        .update_group_ai_model_api_key()
        .group_id(HEX_ID)
        .api_key_id("key-1")
        .body(AiModelApiKeyUpdateRequest::new("n".to_owned()))
        .send()
        .await;
    if let Err(error) = &ai {
        assert_clean("error display", &error.to_string());
    }
    check("AI key result", &ai, seen);
    let org = client
        .update_org_api_key()
        .org_id(HEX_ID)
        .api_user_id(OTHER_HEX_ID)
        .body(UpdateAtlasOrganizationApiKey::new().with_desc("d".to_owned()))
        .send()
        .await;
    if let Err(error) = &org {
        assert_clean("error display", &error.to_string());
    }
    check("org key result", &org, seen);
}

/// Mounts answers that carry secrets in their bodies, for each status.
async fn api(server: &MockServer, status: u16) {
    let ai_body = json!({"name": "n", "secret": RESPONSE_SECRET});
    let org_body = json!({"id": HEX_ID, "privateKey": RESPONSE_PRIVATE_KEY});
    let (ai, org) = match status {
        200 => (
            ResponseTemplate::new(200)
                .set_body_raw(ai_body.to_string(), "application/vnd.atlas.preview+json"),
            ResponseTemplate::new(200).set_body_json(org_body),
        ),
        // Undecodable: a secret where a number belongs.
        0 => (
            ResponseTemplate::new(200).set_body_raw(
                json!({"name": RESPONSE_SECRET, "secret": 1}).to_string(),
                "application/vnd.atlas.preview+json",
            ),
            ResponseTemplate::new(200).set_body_raw(
                format!("{{\"privateKey\": \"{RESPONSE_PRIVATE_KEY}\", "),
                "application/json",
            ),
        ),
        // Undeclared: the body is kept but never printed.
        418 => (
            ResponseTemplate::new(418).set_body_json(ai_body),
            ResponseTemplate::new(418).set_body_json(org_body),
        ),
        status => (
            ResponseTemplate::new(status).set_body_json(api_error(status, "X")),
            ResponseTemplate::new(status).set_body_json(api_error(status, "X")),
        ),
    };
    server.reset().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": ACCESS_TOKEN, "expires_in": 3600})),
        )
        .mount(server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!(
            "/api/atlas/v2/groups/{HEX_ID}/aiModelApiKeys/key-1"
        )))
        .respond_with(ai)
        .mount(server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!(
            "/api/atlas/v1.0/orgs/{HEX_ID}/apiKeys/{OTHER_HEX_ID}"
        )))
        .respond_with(org)
        .mount(server)
        .await;
}

#[tokio::test]
async fn service_account_exchanges_never_show_a_secret() {
    let (_guard, traces) = capture_traces();
    let server = MockServer::start().await;
    let builder = Client::builder()
        .base_url(server.uri())
        .service_account("sa-id", CLIENT_SECRET)
        .retry(RetryPolicy::disabled());
    let mut seen = Vec::new();
    check("builder", &builder, &mut seen);
    let client = builder.build().expect("valid");
    for status in [200, 0, 400, 401, 403, 404, 418, 500] {
        api(&server, status).await;
        calls(&client, &mut seen).await;
    }
    check("client", &client, &mut seen);

    // The token endpoint refusing, with the secret echoed in its error body, is reported without it.
    server.reset().await;
    Mock::given(path("/api/oauth/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": "invalid_client"})))
        .mount(&server)
        .await;
    let refused = Client::builder()
        .base_url(server.uri())
        .service_account("sa-id", CLIENT_SECRET)
        .build()
        .expect("valid");
    calls(&refused, &mut seen).await;

    assert_clean("traces", &traces.text());
    assert!(
        traces.text().contains("api_request"),
        "tracing was captured"
    );
    assert!(
        seen.iter()
            .any(|text| text.contains("Secret(** redacted **)")),
        "responses carried redacted secrets"
    );
}

#[tokio::test]
async fn digest_exchanges_never_show_the_private_key() {
    let (_guard, traces) = capture_traces();
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(header_exists("authorization"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": HEX_ID, "privateKey": RESPONSE_PRIVATE_KEY})),
        )
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header(
                    "WWW-Authenticate",
                    r#"Digest realm="r", nonce="n1", qop="auth", algorithm=MD5"#,
                )
                .set_body_json(api_error(401, "X")),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    let builder = Client::builder()
        .base_url(server.uri())
        .digest_auth("public-key", PRIVATE_KEY);
    let mut seen = Vec::new();
    check("builder", &builder, &mut seen);
    let client = builder.build().expect("valid");
    check("client", &client, &mut seen);
    calls(&client, &mut seen).await;
    check("client after a challenge", &client, &mut seen);
    assert_clean("traces", &traces.text());
    let requests = received(&server).await;
    let authorization = requests
        .iter()
        .find_map(|r| header(r, "authorization"))
        .expect("a Digest answer was sent");
    assert!(
        authorization.starts_with("Digest ") && authorization.contains("username=\"public-key\"")
    );
}

#[test]
fn secret_fields_serialize_as_plain_strings() {
    let secret = Secret::new(RESPONSE_SECRET);
    assert_eq!(
        serde_json::to_value(&secret).unwrap(),
        json!(RESPONSE_SECRET)
    );
    assert_eq!(secret.expose(), RESPONSE_SECRET);
    assert_clean("Display", &secret.to_string());
}

/// Every encoding in which the client itself sends `secret`, computed here
/// independently of the runtime: what a server that echoes its input shows.
fn encodings(secret: &str) -> Vec<String> {
    use base64::Engine;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    let form = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect::<String>();
    let percent = percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC)
        .to_string();
    let json = serde_json::to_string(secret).expect("a string");
    vec![
        secret.to_owned(),
        form,
        percent.to_lowercase(),
        percent,
        json[1..json.len() - 1].to_owned(),
        STANDARD.encode(secret),
        URL_SAFE_NO_PAD.encode(secret),
    ]
}

/// What a server echoes back of a request: its `Authorization` header, its
/// body, and, for API calls, both again in a header.
fn echo(request: &wiremock::Request, status: u16) -> ResponseTemplate {
    let authorization = header(request, "authorization")
        .unwrap_or_default()
        .to_owned();
    let body = String::from_utf8_lossy(&request.body).into_owned();
    let mut detail = api_error(status, "ECHO");
    detail["detail"] = json!(format!("you sent {authorization} and {body}"));
    ResponseTemplate::new(status)
        .insert_header("X-Echo", authorization.as_str())
        .insert_header("X-Echo-Body", body.replace(['\r', '\n'], " ").as_str())
        .set_body_raw(detail.to_string(), "application/json")
}

fn assert_no_encoding(what: &str, text: &str, secrets: &[&str]) {
    for secret in secrets {
        for form in encodings(secret) {
            assert!(
                !text.contains(&form),
                "{what} shows {form:?} (of {secret:?}):\n{text}"
            );
        }
    }
}

/// Each error's `Display`, `Debug` and source chain.
fn shown(error: &(dyn std::error::Error + 'static)) -> String {
    let mut texts = vec![format!("{error:?}")];
    let mut next = Some(error);
    while let Some(error) = next {
        texts.push(error.to_string());
        next = error.source();
    }
    texts.join("\n")
}

/// A token endpoint, a revocation endpoint and an API that each echo what
/// they receive, and a client whose credentials hold every character that
/// an encoding changes.
async fn echoing_exchanges(client_id: &str, client_secret: &str, token: &str) {
    let server = MockServer::start().await;
    // The first token request succeeds, later ones are refused with an echo.
    Mock::given(path("/api/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": token, "expires_in": 3600})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/oauth/token"))
        .respond_with(|request: &wiremock::Request| echo(request, 401))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(path("/api/oauth/revoke"))
        .respond_with(|request: &wiremock::Request| echo(request, 400))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(|request: &wiremock::Request| echo(request, 404))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .service_account(client_id, client_secret)
        .retry(RetryPolicy::disabled())
        .build()
        .expect("valid");
    let secrets = [client_secret, token];

    // The API echoes the Bearer token in a declared error's body and headers.
    let error = update_org_key(&client).await.expect_err("404");
    assert!(
        matches!(error, atlas_admin::Error::ErrorResponse(_)),
        "{error:?}"
    );
    assert_no_encoding("an API error", &shown(&error), &secrets);

    // The revocation endpoint echoes its form body and Basic credentials.
    let error = client.revoke_token().await.expect_err("400");
    assert!(
        matches!(error, atlas_admin::AuthError::RevocationRefused { .. }),
        "{error:?}"
    );
    assert_no_encoding("a revocation refusal", &shown(&error), &secrets);

    // The token endpoint echoes Basic's base64 of `id:secret`.
    let error = update_org_key(&client).await.expect_err("401");
    assert!(matches!(error, atlas_admin::Error::Auth(_)), "{error:?}");
    let text = shown(&error);
    assert_no_encoding("a token refusal", &text, &secrets);
    let basic = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(format!("{client_id}:{client_secret}"))
    };
    assert!(
        !text.contains(&basic),
        "a token refusal shows Basic credentials:\n{text}"
    );
}

#[tokio::test]
async fn no_encoding_of_a_secret_that_a_server_echoes_is_shown() {
    echoing_exchanges("sa-id", "sec/ret+with=pad ding", "tok/en+x=y z").await;
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

    #[test]
    fn no_encoding_of_any_secret_that_a_server_echoes_is_shown(
        client_secret in "[a-zA-Z0-9/+= %&\"\\~.é-]{12,40}",
        token in "[a-zA-Z0-9/+= %&~.-]{16,40}",
    ) {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
            .block_on(echoing_exchanges("sa-id", &client_secret, &token));
    }
}
