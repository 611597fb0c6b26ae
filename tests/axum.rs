//! The client generated from an axum application's own document, against
//! that application: `tests/servers/axum/main.rs`, whose OpenAPI document
//! (written by utoipa from its handlers) is checked in, unedited, as
//! `tests/fixtures/axum.json` (and generates `tests/snapshots/axum`).

use snapshot_axum::types::{Pet, Problem};
use snapshot_axum::{AuthError, Client, Error};
use wire_tests::servers;

const API_KEY: &str = "axum-api-key";
const TOKEN: &str = "axum-bearer-token";

fn base_url() -> &'static str {
    &servers::axum(env!("CARGO_BIN_EXE_axum-pets")).base_url
}

fn client() -> Client {
    Client::builder()
        .base_url(base_url())
        .api_key(API_KEY)
        .bearer_token(TOKEN)
        .build()
        .expect("builds")
}

#[tokio::test]
async fn the_checked_in_document_is_the_one_the_app_publishes() {
    let served: serde_json::Value = reqwest::get(format!("{}/openapi.json", base_url()))
        .await
        .expect("served")
        .json()
        .await
        .expect("JSON");
    let checked_in: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/axum.json")).expect("the fixture is JSON");
    assert_eq!(
        served, checked_in,
        "the app's document changed: run `cargo run -p wire-tests --bin axum-pets -- --document > tests/fixtures/axum.json`, then `cargo xtask regen`"
    );
}

#[tokio::test]
async fn each_operation_gets_its_schemes_credential_and_the_read_only_id_stays_home() {
    let client = client();
    let received = client.health().send().await.expect("public").into_inner();
    assert!(
        !received.authorization && !received.api_key,
        "a public route received credentials: {received:?}"
    );
    // `new` does not ask for the server's id; a value read back that holds
    // it is sent again without it.
    let created = client
        .create_pet()
        .body(Pet::new("Rex".to_owned()).with_tag("dog".to_owned()))
        .send()
        .await
        .expect("the API key, no id")
        .into_inner();
    let id = created.id.expect("assigned");
    let fetched = client
        .get_pet()
        .id(id)
        .send()
        .await
        .expect("the Bearer token")
        .into_inner();
    assert_eq!(
        (fetched.name.as_str(), fetched.tag.as_deref()),
        ("Rex", Some("dog"))
    );
    let again = client
        .create_pet()
        .body(fetched)
        .send()
        .await
        .expect("sent without the id it holds")
        .into_inner();
    assert_ne!(again.id, Some(id));
}

#[tokio::test]
async fn a_declared_error_is_typed_and_a_missing_credential_refuses_before_sending() {
    match client().get_pet().id(999).send().await {
        // 401 and 404 share one body type: the error is that type.
        Err(Error::ErrorResponse(response)) => {
            assert_eq!(response.status().as_u16(), 404);
            let Problem { message, .. } = response.body();
            assert_eq!(message, "no pet 999");
        }
        other => panic!("expected the 404 body, got {other:?}"),
    }
    let keyed_only = Client::builder()
        .base_url(base_url())
        .api_key(API_KEY)
        .build()
        .expect("builds");
    match keyed_only.get_pet().id(1).send().await {
        Err(Error::Auth(AuthError::NotAccepted { held, .. })) => assert_eq!(held, ["api_key"]),
        other => panic!("a call that takes only a token is refused before sending: {other:?}"),
    }
}

#[tokio::test]
async fn axum_server_sent_events_and_ndjson_arrive_typed() {
    use snapshot_axum::futures::StreamExt;
    let client = client();
    let mut created = Vec::new();
    for name in ["Streamed-1", "Streamed-2"] {
        let pet = client
            .create_pet()
            .body(Pet::new(name.to_owned()))
            .send()
            .await
            .expect("created")
            .into_inner();
        created.push(pet);
    }
    // axum's `Sse` with keep-alive comments between the events.
    let events: Vec<_> = client
        .pet_events()
        .send()
        .await
        .expect("streams")
        .into_inner()
        .map(|event| event.expect("each event decodes as a Pet"))
        .collect()
        .await;
    for pet in &created {
        let event = events
            .iter()
            .find(|event| event.data.name == pet.name)
            .unwrap_or_else(|| panic!("no event for {}: {events:?}", pet.name));
        assert_eq!(event.event, "pet");
        assert_eq!(event.id, pet.id.map(|id| id.to_string()));
        assert_eq!(event.data.id, pet.id);
    }
    // A body axum streams line by line.
    let exported: Vec<Pet> = client
        .export_pets()
        .send()
        .await
        .expect("streams")
        .into_inner()
        .map(|pet| pet.expect("each line decodes as a Pet"))
        .collect()
        .await;
    for pet in &created {
        assert!(
            exported.contains(pet),
            "{} not exported: {exported:?}",
            pet.name
        );
    }
}
