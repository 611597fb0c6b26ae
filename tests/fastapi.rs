//! The client generated from a FastAPI application's own document, against
//! that application: `tests/servers/fastapi/app.py`, whose published
//! `/openapi.json` is checked in, unedited, as `tests/fixtures/fastapi.json`
//! (and generates `tests/snapshots/fastapi`). FastAPI validates every
//! request against its models and security dependencies, so a call that
//! succeeds was right on the wire, by a server we did not write.

use snapshot_fastapi::operations::GetPetPetsPetIdGetError;
use snapshot_fastapi::types::{Message, PetCreate};
use snapshot_fastapi::{AuthError, Client, ClientBuilder, Error};
use wire_tests::servers;

const HEADER_KEY: &str = "header-key-value";
const QUERY_KEY: &str = "query key&value=";
const SESSION: &str = "session-cookie-value";
const TOKEN: &str = "bearer-token-value";

fn builder() -> ClientBuilder {
    Client::builder().base_url(&servers::fastapi().base_url)
}

/// A client holding a credential for every scheme the app declares.
fn client() -> Client {
    builder()
        .api_key_for("APIKeyHeader", HEADER_KEY)
        .api_key_for("APIKeyQuery", QUERY_KEY)
        .api_key_for("APIKeyCookie", SESSION)
        .basic_auth("keeper", "pass:word")
        .bearer_token(TOKEN)
        .build()
        .expect("builds")
}

#[tokio::test]
async fn the_checked_in_document_is_the_one_the_app_publishes() {
    let served: serde_json::Value =
        reqwest::get(format!("{}/openapi.json", servers::fastapi().base_url))
            .await
            .expect("served")
            .json()
            .await
            .expect("JSON");
    let checked_in: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/fastapi.json")).expect("the fixture is JSON");
    assert_eq!(
        served, checked_in,
        "the app's document changed: run `target/tools/fastapi-venv/bin/python tests/servers/fastapi/serve.py --document > tests/fixtures/fastapi.json`, then `cargo xtask regen`"
    );
}

#[tokio::test]
async fn each_operation_gets_its_own_schemes_credential_and_public_ones_none() {
    let client = client();
    let received = client
        .health_health_get()
        .send()
        .await
        .expect("public")
        .into_inner();
    assert!(
        !received.authorization
            && !received.api_key_header
            && !received.api_key_query
            && received.cookies.is_empty(),
        "a public route received credentials: {received:?}"
    );
    let pet = client
        .get_pet_pets_pet_id_get()
        .pet_id(1)
        .send()
        .await
        .expect("the header key")
        .into_inner();
    assert_eq!((pet.name.as_str(), pet.tag.as_deref()), ("Rex", None));
    client
        .list_pets_pets_get()
        .limit(5)
        .send()
        .await
        .expect("the query key");
    let created = client
        .create_pet_pets_post()
        .body(PetCreate::new("Tom".to_owned(), 2).with_tag("cat".to_owned()))
        .send()
        .await
        .expect("the session cookie")
        .into_inner();
    assert_eq!(
        (created.name.as_str(), created.tag.as_deref(), created.age),
        ("Tom", Some("cat"), 2)
    );
    let hello = client.keeper_keeper_get().send().await.expect("HTTP Basic");
    assert_eq!(hello.into_inner(), Message::new("hello keeper".to_owned()));
    client
        .token_token_get()
        .send()
        .await
        .expect("the Bearer token");
}

#[tokio::test]
async fn a_client_without_an_operations_credential_refuses_it_and_sends_nothing() {
    let client = builder()
        .api_key_for("APIKeyHeader", HEADER_KEY)
        .build()
        .expect("builds");
    client
        .get_pet_pets_pet_id_get()
        .pet_id(1)
        .send()
        .await
        .expect("the header key it holds");
    assert_eq!(
        held_when_refused(client.list_pets_pets_get().send().await),
        ["APIKeyHeader"]
    );
    assert_eq!(
        held_when_refused(client.keeper_keeper_get().send().await),
        ["APIKeyHeader"]
    );
}

/// The schemes a refusal before sending says the client holds.
fn held_when_refused<T: std::fmt::Debug, E: std::fmt::Debug>(
    result: Result<T, Error<E>>,
) -> Vec<&'static str> {
    match result {
        Err(Error::Auth(AuthError::NotAccepted { held, .. })) => held,
        other => panic!("expected a refusal before sending, got {other:?}"),
    }
}

#[tokio::test]
async fn a_declared_error_body_is_typed_and_matched() {
    match client().get_pet_pets_pet_id_get().pet_id(99).send().await {
        Err(Error::ErrorResponse(response)) => match response.body() {
            GetPetPetsPetIdGetError::Status404(Message { detail, .. }) => {
                assert_eq!(detail, "no pet 99")
            }
            GetPetPetsPetIdGetError::Status422(invalid) => panic!("not invalid: {invalid:?}"),
        },
        other => panic!("expected the 404 body, got {other:?}"),
    }
}

#[tokio::test]
async fn integer_bounds_pydantic_writes_as_numbers_are_checked_before_sending() {
    let client = client();
    client
        .list_pets_pets_get()
        .limit(11)
        .send()
        .await
        .expect("`le=11.0` admits 11");
    match client.list_pets_pets_get().limit(12).send().await {
        Err(Error::InvalidRequest(errors)) => {
            assert!(errors.to_string().contains("limit"), "{errors}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    match client
        .create_pet_pets_post()
        .body(PetCreate::new("Old".to_owned(), 31))
        .send()
        .await
    {
        Err(Error::InvalidRequest(errors)) => {
            assert!(errors.to_string().contains("age"), "{errors}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_text_answer_is_a_string_decoded_by_its_charset() {
    let client = client();
    let card: String = client
        .pet_card_pets_pet_id_card_get()
        .pet_id(1)
        .send()
        .await
        .expect("UTF-8 text")
        .into_inner();
    assert_eq!(card, "Rex \u{2013} 3 years, caf\u{e9} regular");
    let latin1 = client
        .pet_card_pets_pet_id_card_get()
        .pet_id(1)
        .latin1(true)
        .send()
        .await
        .expect("Latin-1 text");
    assert_eq!(latin1.into_inner(), "Rex - 3 years, caf\u{e9} regular");
}

#[tokio::test]
async fn cookie_parameters_share_one_header_with_an_api_key_cookie() {
    let client = client();
    let preferences = client
        .preferences_preferences_get()
        .visits(3)
        .theme("dark")
        .send()
        .await
        .expect("the session and both cookie parameters")
        .into_inner();
    assert_eq!(
        (preferences.theme.as_deref(), preferences.visits),
        (Some("dark"), 3)
    );
    let without_theme = client
        .preferences_preferences_get()
        .visits(0)
        .send()
        .await
        .expect("an optional cookie left out")
        .into_inner();
    assert_eq!(without_theme.theme, None);
    match client.preferences_preferences_get().visits(-1).send().await {
        Err(Error::InvalidRequest(errors)) => {
            assert!(errors.to_string().contains("visits"), "{errors}")
        }
        other => panic!("a negative count is refused before sending: {other:?}"),
    }
}

#[tokio::test]
async fn a_form_list_is_one_pair_per_item() {
    use snapshot_fastapi::types::BodySurveySurveyPost;
    let survey = client()
        .survey_survey_post()
        .body(
            BodySurveySurveyPost::new(vec!["ui".to_owned(), "speed & size".to_owned()])
                .with_comment("fine".to_owned()),
        )
        .send()
        .await
        .expect("FastAPI reads the repeated pairs")
        .into_inner();
    assert_eq!(survey.topics, ["ui", "speed & size"]);
    assert_eq!(survey.comment.as_deref(), Some("fine"));
}

#[tokio::test]
async fn multipart_text_is_text_and_a_file_keeps_its_name_and_type() {
    use snapshot_fastapi::Binary;
    use snapshot_fastapi::types::BodyStoreRecordRecordsPost;
    let client = client();
    let csv = Binary::from(b"day,weight\n1,3.2\n".to_vec())
        .with_file_name("stock.csv")
        .with_media_type("text/csv");
    let stored = client
        .store_record_records_post()
        .body(
            BodyStoreRecordRecordsPost::new(csv)
                .with_note("q1".to_owned())
                .with_tags(vec!["a".to_owned(), "b".to_owned()]),
        )
        .send()
        .await
        .expect("stored")
        .into_inner();
    assert_eq!(stored.filename.as_deref(), Some("stock.csv"));
    assert_eq!(stored.content_type.as_deref(), Some("text/csv"));
    assert_eq!(stored.size, 17);
    assert_eq!(stored.note.as_deref(), Some("q1"), "a text part, not JSON");
    assert_eq!(stored.tags, ["a", "b"]);
    // Without a name or type of its own, a file is named after its field.
    let plain = client
        .store_record_records_post()
        .body(BodyStoreRecordRecordsPost::new(Binary::from(b"x".to_vec())))
        .send()
        .await
        .expect("stored")
        .into_inner();
    assert_eq!(
        (plain.filename.as_deref(), plain.content_type.as_deref()),
        (Some("file"), Some("application/octet-stream"))
    );
}

#[tokio::test]
async fn read_only_fields_are_never_sent_and_write_only_ones_never_demanded() {
    use snapshot_fastapi::types::Keeper;
    let client = client();
    // `new` asks only for what a client may send: no `id`.
    let created = client
        .create_keeper_keepers_post()
        .body(Keeper::new("ann".to_owned(), "long-password".to_owned()))
        .send()
        .await
        .expect("created")
        .into_inner();
    let id = created.id.expect("the server's id comes back");
    assert_eq!(created.password, None, "never returned, never demanded");
    let mut fetched = client
        .get_keeper_keepers_keeper_id_get()
        .keeper_id(id)
        .send()
        .await
        .expect("read back")
        .into_inner();
    assert_eq!((fetched.id, fetched.name.as_str()), (Some(id), "ann"));
    // A value read back keeps its `id`, which a request leaves out: the
    // server refuses any request that carries it.
    match client
        .create_keeper_keepers_post()
        .body(fetched.clone())
        .send()
        .await
    {
        Err(Error::InvalidRequest(errors)) => {
            assert!(errors.to_string().contains("password"), "{errors}")
        }
        other => panic!("a required write-only field left unset is refused: {other:?}"),
    }
    fetched.password = Some("another-password".to_owned());
    let again = client
        .create_keeper_keepers_post()
        .body(fetched)
        .send()
        .await
        .expect("sent without the read-only id")
        .into_inner();
    assert_ne!(again.id, Some(id));
}

#[tokio::test]
async fn a_patch_tells_a_field_left_out_from_a_field_cleared() {
    use snapshot_fastapi::types::{PetCreate, PetPatch};
    let client = client();
    let id = client
        .create_pet_pets_post()
        .body(PetCreate::new("Patchy".to_owned(), 4).with_tag("dog".to_owned()))
        .send()
        .await
        .expect("created")
        .into_inner()
        .id;
    let patch = |body: PetPatch| {
        client
            .patch_pet_pets_pet_id_patch()
            .pet_id(id)
            .body(body)
            .send()
    };
    // Left out: the server keeps the tag.
    let renamed = patch(PetPatch::new().with_name("Patch".to_owned()))
        .await
        .expect("renamed")
        .into_inner();
    assert_eq!(
        (renamed.name.as_str(), renamed.tag.as_deref()),
        ("Patch", Some("dog"))
    );
    // Sent as `null`: the server clears it.
    let cleared = patch(PetPatch::new().with_tag_null())
        .await
        .expect("cleared")
        .into_inner();
    assert_eq!(
        (cleared.name.as_str(), cleared.tag.as_deref()),
        ("Patch", None)
    );
}
