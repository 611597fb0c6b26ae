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
        .body(AiModelApiKeyUpdateRequest {
            name: "n".to_owned(),
        })
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
        .body(UpdateAtlasOrganizationApiKey {
            desc: Some("d".to_owned()),
            roles: None,
        })
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
