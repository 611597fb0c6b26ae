//! A crate with features per tag, used the way its users use it: this
//! package turns on `pets` alone (`tests/Cargo.toml`), so the `Store Admin`
//! operations are not compiled, and the pets' calls and mocks work.
//! `cargo xtask test` checks every tag alone, and none, with clippy.

use snapshot_tags::Client;
use snapshot_tags::mock::MockServer;
use snapshot_tags::types::{NewPet, Pet};

#[tokio::test]
async fn the_operations_of_the_tag_turned_on_call_and_mock_as_usual() {
    let server = MockServer::start().await;
    server
        .create_pet()
        .responds(Pet::new(7, "Rex".to_owned()))
        .await;
    server
        .list_pets()
        .responds(vec![Pet::new(7, "Rex".to_owned())])
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .build()
        .expect("valid");
    let created = client
        .create_pet()
        .body(NewPet::new("Rex".to_owned()))
        .send()
        .await
        .expect("created")
        .into_inner();
    assert_eq!(created.id, 7);
    let pets = client
        .list_pets()
        .send()
        .await
        .expect("listed")
        .into_inner();
    assert_eq!(pets, [created]);
}
