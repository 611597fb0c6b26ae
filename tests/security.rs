//! Each operation applies its own `security` requirements, on the wire:
//! the snapshot crates generated from `tests/fixtures/security.yaml` and
//! `tests/fixtures/credentials.yaml` against a loopback server.

use snapshot_credentials::Client as PerScheme;
use snapshot_security::{AuthError, Client, Error};
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
            assert_eq!(accepted, [&["oauth"][..], &["token"]]);
            assert_eq!(held, ["key"]);
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
        message.contains("operation `listKeys` takes the credentials of key, and this client holds those of oauth, token; nothing was sent"),
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

/// What the server received at `at`: the one request, its header `name`
/// and its query.
async fn one(server: &MockServer, at: &str) -> Request {
    let mut requests = received(server, at).await;
    assert_eq!(requests.len(), 1, "{at}");
    requests.remove(0)
}

#[tokio::test]
async fn each_scheme_sends_its_own_credential_in_its_own_place_and_public_calls_send_none() {
    let server = server().await;
    let client = PerScheme::builder()
        .base_url(server.uri())
        .api_key_for("headerKey", "header-secret")
        .api_key_for("queryKey", "query secret&=")
        .api_key_for("session", "cookie-secret")
        .bearer_token("bearer-secret")
        .build()
        .expect("builds");
    client.get_health().send().await.expect("public");
    client.get_by_header().send().await.expect("header");
    client.get_by_query().send().await.expect("query");
    client.get_by_cookie().send().await.expect("cookie");
    client.get_both().send().await.expect("both");
    client.get_either().send().await.expect("either");

    let health = one(&server, "/health").await;
    assert!(
        ["authorization", "x-api-key", "cookie"]
            .iter()
            .all(|name| header(&health, name).is_none())
            && health.url.query().is_none(),
        "a public operation of a document that gives others their requirements gets nothing: {health:?}"
    );
    let by_header = one(&server, "/by-header").await;
    assert_eq!(header(&by_header, "x-api-key"), Some("header-secret"));
    assert_eq!(header(&by_header, "cookie"), None);
    assert_eq!(header(&by_header, "authorization"), None);
    assert_eq!(by_header.url.query(), None);

    let by_query = one(&server, "/by-query").await;
    let pairs: Vec<(String, String)> = by_query.url.query_pairs().into_owned().collect();
    assert_eq!(pairs, [("api_key".to_owned(), "query secret&=".to_owned())]);
    assert_eq!(header(&by_query, "x-api-key"), None);

    let by_cookie = one(&server, "/by-cookie").await;
    assert_eq!(header(&by_cookie, "cookie"), Some("session=cookie-secret"));
    assert_eq!(header(&by_cookie, "x-api-key"), None);

    let both = one(&server, "/both").await;
    assert_eq!(header(&both, "x-api-key"), Some("header-secret"));
    assert_eq!(header(&both, "cookie"), Some("session=cookie-secret"));

    let either = one(&server, "/either").await;
    assert_eq!(
        header(&either, "authorization"),
        Some("Bearer bearer-secret")
    );
}

#[tokio::test]
async fn one_key_for_every_api_key_scheme_and_alternatives_in_the_specs_order() {
    use base64::Engine;
    let server = server().await;
    let client = PerScheme::builder()
        .base_url(server.uri())
        .api_key("shared-key")
        .basic_auth("me", "pw")
        .build()
        .expect("builds");
    client.get_by_header().send().await.expect("header");
    client.get_by_query().send().await.expect("query");
    client.get_both().send().await.expect("both");
    client
        .get_either()
        .send()
        .await
        .expect("basic, the one it holds");
    assert_eq!(
        header(&one(&server, "/by-header").await, "x-api-key"),
        Some("shared-key")
    );
    assert_eq!(
        one(&server, "/by-query").await.url.query(),
        Some("api_key=shared-key")
    );
    let both = one(&server, "/both").await;
    assert_eq!(header(&both, "cookie"), Some("session=shared-key"));
    assert_eq!(header(&both, "x-api-key"), Some("shared-key"));
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("me:pw")
    );
    assert_eq!(
        header(&one(&server, "/either").await, "authorization"),
        Some(basic.as_str())
    );
}

#[tokio::test]
async fn a_requirement_of_two_schemes_needs_both_and_is_never_half_sent() {
    let server = server().await;
    let client = PerScheme::builder()
        .base_url(server.uri())
        .api_key_for("headerKey", "header-secret")
        .build()
        .expect("builds");
    let refused = client
        .get_both()
        .send()
        .await
        .expect_err("needs the cookie too");
    let message = refused.to_string();
    assert!(
        message.contains(
            "operation `getBoth` takes the credentials of headerKey and session together, and this client holds those of headerKey; nothing was sent"
        ),
        "{message}"
    );
    assert!(!message.contains("header-secret"), "{message}");
    assert!(received(&server, "/both").await.is_empty());
    // A client without credentials sends as it is: its hooks may authenticate.
    let bare = PerScheme::builder()
        .base_url(server.uri())
        .build()
        .expect("builds");
    bare.get_login().send().await.expect("sent as it is");
    assert_eq!(header(&one(&server, "/login").await, "authorization"), None);
}

#[test]
fn credentials_for_a_scheme_the_api_lacks_or_of_another_kind_are_refused() {
    let unknown = PerScheme::builder()
        .api_key_for("apiKey", "k")
        .build()
        .expect_err("no such scheme");
    assert!(
        unknown
            .to_string()
            .contains("it declares bearer, headerKey, login, queryKey, session"),
        "{unknown}"
    );
    let other_kind = PerScheme::builder()
        .api_key_for("login", "k")
        .build()
        .expect_err("login is HTTP Basic");
    assert!(
        other_kind.to_string().contains("api_key_for(\"login\""),
        "{other_kind}"
    );
}

#[tokio::test]
async fn each_scheme_reads_its_credentials_from_its_own_variables() {
    let server = server().await;
    let vars = [
        ("SNAPSHOT_CREDENTIALS_HEADER_KEY", "env-header"),
        ("SNAPSHOT_CREDENTIALS_LOGIN_USER", "env-user"),
        ("SNAPSHOT_CREDENTIALS_LOGIN_PASSWORD", "env-password"),
    ];
    let lookup = |name: &str| {
        vars.iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| (*value).to_owned())
    };
    let client = PerScheme::builder()
        .base_url(server.uri())
        .from_env_with(lookup)
        .expect("read")
        .build()
        .expect("builds");
    client.get_by_header().send().await.expect("header");
    client.get_login().send().await.expect("basic");
    assert_eq!(
        header(&one(&server, "/by-header").await, "x-api-key"),
        Some("env-header")
    );
    assert!(
        header(&one(&server, "/login").await, "authorization")
            .is_some_and(|value| value.starts_with("Basic ")),
    );
    let none = PerScheme::builder()
        .from_env_with(|_| None)
        .expect_err("nothing set");
    assert!(
        none.to_string().contains("SNAPSHOT_CREDENTIALS_QUERY_KEY"),
        "{none}"
    );
}
