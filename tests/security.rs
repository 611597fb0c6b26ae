//! Each operation applies its own `security` requirements, on the wire:
//! the snapshot crate generated from `tests/fixtures/security.yaml`
//! against a loopback server.

use snapshot_security::{AuthError, Client, Credential, Error};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server that answers every operation with 204 and issues tokens.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "issued-token",
            "token_type": "Bearer",
            "expires_in": 3600,
        })))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

/// What the server received at `at`.
async fn received(server: &MockServer, at: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|request| request.url.path() == at)
        .collect()
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request
        .headers
        .get(name)
        .and_then(|value| value.to_str().ok())
}

#[tokio::test]
async fn an_api_key_goes_only_where_it_is_taken_and_a_call_that_takes_none_is_never_sent() {
    let server = server().await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key("key-secret")
        .build()
        .expect("builds");
    client.get_status().send().await.expect("public");
    client.list_keys().send().await.expect("keyed");
    client.get_either().send().await.expect("optional");
    match client.list_things().send().await {
        Err(Error::Auth(AuthError::NotAccepted {
            operation,
            accepted,
            held,
        })) => {
            assert_eq!(operation, "listThings");
            assert_eq!(accepted, [Credential::ServiceAccount, Credential::Bearer]);
            assert_eq!(held, Credential::ApiKey);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let status = received(&server, "/status").await;
    assert_eq!(status.len(), 1);
    assert_eq!(
        header(&status[0], "x-key"),
        None,
        "a public call carries no key"
    );
    let keys = received(&server, "/keys").await;
    assert_eq!(header(&keys[0], "x-key"), Some("key-secret"));
    let either = received(&server, "/either").await;
    assert_eq!(header(&either[0], "x-key"), Some("key-secret"));
    assert!(
        received(&server, "/things").await.is_empty(),
        "refused, not sent"
    );
}

#[tokio::test]
async fn a_bearer_token_is_refused_where_only_an_api_key_is_taken() {
    let server = server().await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("bearer-secret")
        .build()
        .expect("builds");
    let refused = client.list_keys().send().await.expect_err("refused");
    let message = refused.to_string();
    assert!(
        message.contains("operation `listKeys` takes an API key and this client holds a Bearer token; nothing was sent"),
        "{message}"
    );
    assert!(!message.contains("bearer-secret"), "{message}");
    client
        .list_things()
        .send()
        .await
        .expect("takes a Bearer token");
    let things = received(&server, "/things").await;
    assert_eq!(
        header(&things[0], "authorization"),
        Some("Bearer bearer-secret")
    );
    assert!(received(&server, "/keys").await.is_empty());
}

#[tokio::test]
async fn a_service_account_asks_for_every_scope_the_operations_name_and_public_calls_need_no_token()
{
    let server = server().await;
    let client = Client::builder()
        .base_url(server.uri())
        .service_account("client-id", "client-secret")
        .build()
        .expect("builds");
    client.get_status().send().await.expect("public");
    assert!(
        received(&server, "/oauth/token").await.is_empty(),
        "a public call fetches no token"
    );
    let status = received(&server, "/status").await;
    assert_eq!(header(&status[0], "authorization"), None);
    client.create_thing().send().await.expect("scoped");
    let tokens = received(&server, "/oauth/token").await;
    assert_eq!(tokens.len(), 1);
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&tokens[0].body)
        .into_owned()
        .collect();
    assert_eq!(
        form,
        [
            ("grant_type".to_owned(), "client_credentials".to_owned()),
            ("scope".to_owned(), "things:read things:write".to_owned()),
        ]
    );
    let created = received(&server, "/things").await;
    assert_eq!(
        header(&created[0], "authorization"),
        Some("Bearer issued-token")
    );
}
