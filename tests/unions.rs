//! Which member a `oneOf`/`anyOf` body decodes to when members overlap, on
//! the snapshot crate of `tests/fixtures/composition.yaml`: `AnyPet` lists
//! `Dog` before `Cat`, and every Cat body is also a Dog body without `lives`.
//! The rule: the first member, in the spec's order, that keeps every field;
//! when each drops some, the one that drops fewest.

use serde_json::json;
use snapshot_composition::types::{AnyPet, Pet, Shape};
use wire_tests::respond;

fn any_pet(body: serde_json::Value) -> AnyPet {
    serde_json::from_value(body).expect("decodes")
}

#[test]
fn a_body_of_the_later_member_keeps_its_fields() {
    match any_pet(json!({"name": "Tom", "lives": 9})) {
        AnyPet::Cat(cat) => assert_eq!((cat.name.as_str(), cat.lives), ("Tom", 9)),
        other => panic!("decoded as {other:?}, losing `lives`"),
    }
}

#[test]
fn a_body_both_members_keep_whole_goes_to_the_first() {
    assert!(matches!(any_pet(json!({"name": "Rex"})), AnyPet::Dog(_)));
    assert!(matches!(
        any_pet(json!({"name": "Rex", "barks": true})),
        AnyPet::Dog(dog) if dog.barks == Some(true)
    ));
}

#[test]
fn when_every_member_drops_a_field_the_first_of_the_fewest_wins() {
    // Dog drops `lives`, Cat drops `barks`: one each, so Dog, listed first.
    assert!(matches!(
        any_pet(json!({"name": "Odd", "lives": 3, "barks": true})),
        AnyPet::Dog(_)
    ));
    // Dog drops `lives` and `age`; Cat only `age`.
    assert!(matches!(
        any_pet(json!({"name": "Odd", "lives": 3, "age": 4})),
        AnyPet::Cat(_)
    ));
}

#[test]
fn a_body_that_fits_no_member_names_the_type_not_the_value() {
    let error = serde_json::from_value::<Pet>(json!({"nom": "s3cret"})).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the value fits none of the alternatives of Pet"
    );
}

#[tokio::test]
async fn the_rule_holds_for_a_response_on_the_wire() {
    let server = wiremock::MockServer::start().await;
    respond(
        &server,
        200,
        "application/json",
        &json!({"name": "Tom", "lives": 7}).to_string(),
    )
    .await;
    let client = snapshot_composition::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("valid");
    let pet = client
        .get_pet()
        .pet_id("tom")
        .send()
        .await
        .expect("decodes")
        .into_inner();
    assert!(matches!(pet, AnyPet::Cat(cat) if cat.lives == 7));
}

fn shape(body: serde_json::Value) -> Shape {
    serde_json::from_value(body).expect("decodes")
}

#[test]
fn the_discriminator_decides_when_its_value_names_a_member() {
    // Circle accepts `{"kind": "square"}` whole (its `kind` enum keeps unknown
    // values), and comes first: only the discriminator's mapping says Square.
    assert!(matches!(shape(json!({"kind": "square"})), Shape::Square(_)));
    // The component name is the implicit value of an unmapped member.
    assert!(matches!(
        shape(json!({"kind": "Circle", "radius": 1.5})),
        Shape::Circle(circle) if circle.radius == Some(1.5)
    ));
}

#[test]
fn an_unknown_discriminator_value_falls_back_to_the_rule() {
    assert!(matches!(
        shape(json!({"kind": "triangle", "side": 2.0})),
        Shape::Square(square) if square.side == Some(2.0)
    ));
}

#[test]
fn a_named_member_that_does_not_decode_is_an_error() {
    assert!(serde_json::from_value::<Shape>(json!({"kind": "square", "side": "wide"})).is_err());
}
