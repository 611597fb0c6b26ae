//! Typed string formats on the wire: `date-time` as `chrono::DateTime<Utc>`
//! (RFC 3339), `date` as `chrono::NaiveDate`, `uuid` as `uuid::Uuid`. Uses
//! the snapshot crate generated from `tests/fixtures/formats.yaml`.

use serde_json::{Value, json};
use snapshot_formats::chrono::{DateTime, NaiveDate, TimeZone, Utc};
use snapshot_formats::types::{Event, Timestamp};
use snapshot_formats::uuid::Uuid;
use snapshot_formats::{Client, Error, RetryPolicy, UnexpectedResponseKind};
use wire_tests::{header, only_request, respond};
use wiremock::MockServer;

const ID: &str = "6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f";

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry(RetryPolicy::disabled())
        .build()
        .expect("valid");
    (server, client)
}

fn instant(text: &str) -> DateTime<Utc> {
    text.parse().expect("RFC 3339")
}

fn event() -> Event {
    Event::new(
        ID.parse().expect("uuid"),
        Utc.with_ymd_and_hms(2026, 1, 15, 16, 47, 49).unwrap() + chrono_millis(855),
    )
    .with_day(NaiveDate::from_ymd_opt(2026, 1, 15).expect("a date"))
    .with_reminders(vec![instant("2026-01-15T16:00:00Z")])
    .with_revision(Timestamp(instant("2026-01-15T16:47:50.000000001Z")))
}

fn chrono_millis(ms: i64) -> snapshot_formats::chrono::TimeDelta {
    snapshot_formats::chrono::TimeDelta::milliseconds(ms)
}

#[tokio::test]
async fn parameters_go_out_as_rfc_3339_dates_and_hyphenated_uuids() {
    let (server, client) = setup().await;
    respond(
        &server,
        200,
        "application/json",
        &json!({"id": ID, "startsAt": "2026-01-15T16:47:49Z"}).to_string(),
    )
    .await;
    client
        .get_event()
        .event_id(ID.parse::<Uuid>().expect("uuid"))
        .since(instant("2026-01-15T18:47:49.855+02:00"))
        .day(NaiveDate::from_ymd_opt(2026, 2, 3).expect("date"))
        .until(Timestamp(instant("2026-01-16T00:00:00Z")))
        .x_as_of(instant("2026-01-15T16:00:00.5Z"))
        .send()
        .await
        .expect("decodes");
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), format!("/events/{ID}"));
    let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    assert_eq!(
        query,
        [
            ("since".to_owned(), "2026-01-15T16:47:49.855Z".to_owned()),
            ("day".to_owned(), "2026-02-03".to_owned()),
            ("until".to_owned(), "2026-01-16T00:00:00Z".to_owned()),
        ]
    );
    assert_eq!(
        header(&request, "x-as-of"),
        Some("2026-01-15T16:00:00.500Z")
    );
}

#[tokio::test]
async fn bodies_carry_rfc_3339_both_ways() {
    let (server, client) = setup().await;
    let answer = json!({
        "id": ID,
        "startsAt": "2026-01-15T18:47:49.855+02:00",
        "endsAt": null,
        "day": "2026-01-15",
        "reminders": ["2026-01-15T16:00:00Z"],
        "lastSeen": {"ada": "2026-01-14T09:00:00-05:00"},
    });
    respond(&server, 201, "application/json", &answer.to_string()).await;
    let created = client
        .create_event()
        .body(event())
        .send()
        .await
        .expect("decodes")
        .into_inner();
    // Any offset decodes to the same instant.
    assert_eq!(created.starts_at, event().starts_at);
    assert_eq!(created.ends_at, None);
    assert_eq!(created.day, NaiveDate::from_ymd_opt(2026, 1, 15));
    assert_eq!(
        created.last_seen.expect("lastSeen")["ada"],
        instant("2026-01-14T14:00:00Z")
    );
    let request = only_request(&server).await;
    let sent: Value = serde_json::from_slice(&request.body).expect("JSON body");
    assert_eq!(
        sent,
        json!({
            "id": ID,
            "startsAt": "2026-01-15T16:47:49.855Z",
            "day": "2026-01-15",
            "reminders": ["2026-01-15T16:00:00Z"],
            "revision": "2026-01-15T16:47:50.000000001Z",
        })
    );
}

/// The decode error of a 200 answered with `body`.
async fn decode_error_of(body: Value) -> snapshot_formats::DecodeError {
    let (server, client) = setup().await;
    respond(&server, 200, "application/json", &body.to_string()).await;
    match client.get_event().event_id(Uuid::nil()).send().await {
        Err(Error::UnexpectedResponse(response)) => match response.kind {
            UnexpectedResponseKind::UndecodableBody(error) => error,
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_value_that_does_not_parse_is_a_decode_error_naming_the_field() {
    let cases = [
        (
            json!({"id": ID, "startsAt": "yesterday-at-noon"}),
            "startsAt",
        ),
        (
            json!({"id": ID, "startsAt": "2026-02-30T00:00:00Z"}),
            "startsAt",
        ),
        (
            json!({"id": "not-a-uuid-at-all", "startsAt": "2026-01-15T00:00:00Z"}),
            "id",
        ),
        (
            json!({"id": ID, "startsAt": "2026-01-15T00:00:00Z", "day": "15/01/2026"}),
            "day",
        ),
        (
            json!({"id": ID, "startsAt": "2026-01-15T00:00:00Z", "reminders": ["2026-01-15T00:00:00Z", "soon"]}),
            "reminders[1]",
        ),
        (
            json!({"id": ID, "startsAt": "2026-01-15T00:00:00Z", "revision": 17}),
            "revision",
        ),
    ];
    for (body, path) in cases {
        let error = decode_error_of(body.clone()).await;
        assert_eq!(error.path, path, "{body}: {error}");
        let shown = error.to_string();
        assert!(shown.starts_with(&format!("at `{path}`: ")), "{shown}");
        for value in ["yesterday", "02-30", "not-a-uuid", "15/01", "soon"] {
            assert!(!shown.contains(value), "a body value in `{shown}`");
        }
    }
}

#[tokio::test]
async fn object_keys_the_spec_does_not_declare_stay_out_of_the_path() {
    // A map's keys come from the body alone; one could be a secret.
    let error = decode_error_of(json!({
        "id": ID,
        "startsAt": "2026-01-15T00:00:00Z",
        "lastSeen": {"sk-live-4f9a8b7c6d5e": "later"},
    }))
    .await;
    assert_eq!(error.path, "lastSeen.{…}");
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("sk-live"), "{shown}");
}
