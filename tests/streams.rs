//! Streamed responses as typed items (`tests/fixtures/streams.yaml`):
//! server-sent events and JSON Lines arrive one by one, as the server
//! writes them, each decoded as the spec declares it, bounded in size,
//! with the download stall timeout; a bad item does not end the stream.

use std::time::Duration;

use snapshot_streams::futures::StreamExt;
use snapshot_streams::reqwest::header::{HeaderName, HeaderValue};
use snapshot_streams::types::{Delta, Progress, ProgressState, Prompt, Record};
use snapshot_streams::{CallOptions, Client, Error, RetryPolicy};
use wire_tests::{header, only_request, paced_server, respond, soon};
use wiremock::MockServer;

fn client(url: &str) -> snapshot_streams::ClientBuilder {
    Client::builder()
        .base_url(url)
        .retry(RetryPolicy::disabled())
}

#[tokio::test]
async fn events_arrive_as_the_server_writes_them_and_end_at_done() {
    let (url, server) = paced_server("text/event-stream; charset=utf-8").await;
    let client = client(&url).build().expect("valid");
    let send = client
        .stream_completion()
        .body(Prompt::new("Hi".into()))
        .send();
    server
        .send(b": keep-alive\n\ndata: {\"index\":0,\"text\":\"Hel\"}\n\n".to_vec())
        .expect("server running");
    let response = soon(send).await.expect("headers arrive");
    assert_eq!(response.status(), 200);
    let mut events = response.into_inner();
    // The first event is read before the server writes the second.
    let first = soon(events.next())
        .await
        .expect("an event")
        .expect("decodes");
    assert_eq!(first.data, Delta::new(0, "Hel".into()));
    assert_eq!(first.event, "message");
    // An event split across chunks, with a type and an id.
    server
        .send(b"event: delta\nid: 4\ndata: {\"index\":1,".to_vec())
        .unwrap();
    server.send(b"\"text\":\"lo\"}\r\n\r\n".to_vec()).unwrap();
    let second = soon(events.next())
        .await
        .expect("an event")
        .expect("decodes");
    assert_eq!(second.data, Delta::new(1, "lo".into()));
    assert_eq!(
        (second.event.as_str(), second.id.as_deref()),
        ("delta", Some("4"))
    );
    // `[DONE]` ends the stream though the connection stays open.
    server.send(b"data: [DONE]\n\n".to_vec()).unwrap();
    assert!(soon(events.next()).await.is_none());
    drop(server);
}

#[tokio::test]
async fn an_event_that_does_not_decode_is_an_error_and_the_stream_goes_on() {
    let wire = MockServer::start().await;
    respond(
        &wire,
        200,
        "text/event-stream",
        "data: {\"index\":0,\"text\":\"a\"}\n\ndata: {\"index\":\"one\",\"text\":\"secret-value\"}\n\ndata: {\"index\":2,\"text\":\"c\"}\n\n",
    )
    .await;
    let client = client(&wire.uri()).build().expect("valid");
    let events: Vec<_> = client
        .stream_completion()
        .body(Prompt::new("Hi".into()))
        .send()
        .await
        .expect("streams")
        .into_inner()
        .collect()
        .await;
    assert_eq!(events.len(), 3);
    assert_eq!(events[0].as_ref().expect("decodes").data.text, "a");
    let error = events[1]
        .as_ref()
        .expect_err("a string where a number belongs");
    assert!(
        matches!(error, Error::UndecodableItem { index: 1, .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("index"), "{message}");
    assert!(!message.contains("secret-value"), "{message}");
    assert_eq!(events[2].as_ref().expect("decodes").data.text, "c");
    // The request asked for the stream.
    let request = only_request(&wire).await;
    assert_eq!(header(&request, "accept"), Some("text/event-stream"));
}

#[tokio::test]
async fn a_declared_error_status_is_decoded_not_streamed() {
    let wire = MockServer::start().await;
    respond(
        &wire,
        400,
        "application/json",
        r#"{"message":"empty prompt"}"#,
    )
    .await;
    let client = client(&wire.uri()).build().expect("valid");
    let error = client
        .stream_completion()
        .body(Prompt::new(String::new()))
        .send()
        .await
        .expect_err("400");
    assert_eq!(
        error.error_body().map(|p| p.message.as_str()),
        Some("empty prompt")
    );
}

#[tokio::test]
async fn text_events_keep_their_id_which_resumes_a_dropped_stream() {
    let wire = MockServer::start().await;
    respond(
        &wire,
        200,
        "text/event-stream",
        "id: 41\ndata: first line\ndata: second line\n\nretry: 2500\nid: 42\ndata: 2026-12-06 started\n\ndata: cut off",
    )
    .await;
    let client = client(&wire.uri()).build().expect("valid");
    let events: Vec<_> = client
        .follow_logs()
        .service("api")
        .send()
        .await
        .expect("streams")
        .into_inner()
        .map(|event| event.expect("text decodes"))
        .collect()
        .await;
    // A multi-line event is one text; the unfinished last one is dropped.
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0].data, "first line\nsecond line");
    assert_eq!(events[1].data, "2026-12-06 started");
    assert_eq!(events[1].retry, Some(Duration::from_millis(2500)));
    let last = events[1].id.clone().expect("an id");
    // Resuming: the same call, sending the last id back.
    client
        .follow_logs()
        .service("api")
        .options(CallOptions::new().with_header(
            HeaderName::from_static("last-event-id"),
            HeaderValue::from_str(&last).expect("an id is a header value"),
        ))
        .send()
        .await
        .expect("streams");
    let requests = wire.received_requests().await.expect("recorded");
    assert_eq!(header(&requests[1], "last-event-id"), Some("42"));
    assert_eq!(header(&requests[0], "last-event-id"), None);
}

/// Answers `/logs` by the `Last-Event-ID` it is sent: a first connection
/// and each reconnection get the next body, `last` what follows them.
fn logs_by_last_id(last: u16) -> impl Fn(&wiremock::Request) -> wiremock::ResponseTemplate {
    move |request: &wiremock::Request| {
        let events = |body: &str| {
            wiremock::ResponseTemplate::new(200).set_body_raw(body.to_owned(), "text/event-stream")
        };
        match header(request, "last-event-id") {
            None => events("id: 1\ndata: first\n\n"),
            // No `id` this time: the event keeps the last one.
            Some("1") => events("retry: 5\ndata: second\n\nid: 2\ndata: third\n\n"),
            _ => wiremock::ResponseTemplate::new(last),
        }
    }
}

#[tokio::test]
async fn a_resumed_stream_reconnects_with_the_last_event_id_until_the_server_says_no_content() {
    let wire = MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::path("/logs"))
        .respond_with(logs_by_last_id(204))
        .mount(&wire)
        .await;
    let client = client(&wire.uri()).build().expect("valid");
    let events = client
        .follow_logs()
        .service("api")
        .send_resuming(snapshot_streams::Reconnect::new().with_delay(Duration::from_millis(1)))
        .await
        .expect("streams")
        .into_inner();
    // The stream owns its client: it reads on after the caller's is gone.
    drop(client);
    let events: Vec<_> = tokio::spawn(
        events
            .map(|event| event.expect("an event"))
            .collect::<Vec<_>>(),
    )
    .await
    .expect("the task ends");
    let seen: Vec<_> = events
        .iter()
        .map(|event| (event.data.as_str(), event.id.as_deref()))
        .collect();
    assert_eq!(
        seen,
        [
            ("first", Some("1")),
            ("second", Some("1")),
            ("third", Some("2"))
        ]
    );
    assert_eq!(events[2].retry, Some(Duration::from_millis(5)));
    let requests = wire.received_requests().await.expect("recorded");
    let sent: Vec<_> = requests
        .iter()
        .map(|request| (header(request, "last-event-id"), request.url.query()))
        .collect();
    // Each reconnection is the same request, with the last ID.
    assert_eq!(
        sent,
        [
            (None, Some("service=api")),
            (Some("1"), Some("service=api")),
            (Some("2"), Some("service=api"))
        ]
    );
}

#[tokio::test]
async fn a_reconnection_the_server_refuses_is_the_last_item() {
    let wire = MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::path("/logs"))
        .respond_with(logs_by_last_id(404))
        .mount(&wire)
        .await;
    let client = client(&wire.uri()).build().expect("valid");
    let items: Vec<_> = client
        .follow_logs()
        .service("api")
        .send_resuming(snapshot_streams::Reconnect::new().with_delay(Duration::from_millis(1)))
        .await
        .expect("streams")
        .into_inner()
        .collect()
        .await;
    assert_eq!(items.len(), 4, "{items:?}");
    match &items[3] {
        Err(Error::UnexpectedResponse(response)) => assert_eq!(response.status, 404),
        other => panic!("not the refusal: {other:?}"),
    }
    assert_eq!(wire.received_requests().await.expect("recorded").len(), 3);
}

#[tokio::test]
async fn json_lines_decode_one_by_one() {
    let (url, server) = paced_server("application/x-ndjson").await;
    let client = client(&url).build().expect("valid");
    let send = client.watch_job().job_id("7").send();
    server
        .send(b"{\"percent\":10,\"state\":\"running\"}\n{\"perc".to_vec())
        .unwrap();
    let mut progress = soon(send).await.expect("headers arrive").into_inner();
    let first = soon(progress.next())
        .await
        .expect("an item")
        .expect("decodes");
    assert_eq!(first, Progress::new(10, ProgressState::Running));
    server
        .send(b"ent\":100,\"state\":\"done\",\"message\":\"ok\"}\r\n\n".to_vec())
        .unwrap();
    let second = soon(progress.next())
        .await
        .expect("an item")
        .expect("decodes");
    assert_eq!(
        second,
        Progress::new(100, ProgressState::Done).with_message("ok".into())
    );
    drop(server);
    assert!(soon(progress.next()).await.is_none());
}

#[tokio::test]
async fn a_line_that_never_ends_is_cut_at_the_limit_not_held_whole() {
    let (url, server) = paced_server("application/x-ndjson").await;
    let client = client(&url)
        .max_response_body(64 * 1024)
        .build()
        .expect("valid");
    let send = client.watch_job().job_id("7").send();
    server
        .send(b"{\"percent\":1,\"state\":\"running\"}\n".to_vec())
        .unwrap();
    let mut progress = soon(send).await.expect("headers arrive").into_inner();
    assert!(soon(progress.next()).await.expect("an item").is_ok());
    // The server writes on; the client stops at the limit and says why.
    let feeder = tokio::spawn(async move {
        while server.send(vec![b'1'; 8192]).is_ok() {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    });
    let error = soon(progress.next())
        .await
        .expect("an error")
        .expect_err("too long");
    assert!(
        matches!(error, Error::StreamItemTooLarge { limit: 65536 }),
        "{error:?}"
    );
    assert!(soon(progress.next()).await.is_none(), "the stream ends");
    feeder.abort();
}

#[tokio::test]
async fn a_quiet_stream_stalls_with_the_timeout() {
    let (url, server) = paced_server("text/event-stream").await;
    let client = client(&url)
        .timeout(Duration::from_millis(300))
        .build()
        .expect("valid");
    let send = client.follow_logs().service("api").send();
    server.send(b"data: one\n\n".to_vec()).unwrap();
    let mut events = soon(send).await.expect("headers arrive").into_inner();
    assert_eq!(
        soon(events.next())
            .await
            .expect("an event")
            .expect("text")
            .data,
        "one"
    );
    let error = soon(events.next())
        .await
        .expect("an error")
        .expect_err("stalled");
    assert!(matches!(error, Error::DownloadStalled(_)), "{error:?}");
    drop(server);
}

#[tokio::test]
async fn json_text_sequences_split_at_the_record_separator() {
    let wire = MockServer::start().await;
    respond(
        &wire,
        200,
        "application/json-seq",
        "\u{1e}{\"id\":\"a\"}\n\u{1e}{\"id\":\"b\",\n\"tags\":[\"x\"]}\n",
    )
    .await;
    let client = client(&wire.uri()).build().expect("valid");
    let records: Vec<Record> = client
        .export_records()
        .send()
        .await
        .expect("streams")
        .into_inner()
        .map(|record| record.expect("decodes"))
        .collect()
        .await;
    assert_eq!(
        records,
        [
            Record::new("a".into()),
            Record::new("b".into()).with_tags(vec!["x".into()])
        ]
    );
}

#[tokio::test]
async fn the_typed_mock_writes_the_stream_the_client_reads() {
    let mock = snapshot_streams::mock::MockServer::start().await;
    mock.watch_job()
        .job_id("9")
        .responds([
            Progress::new(50, ProgressState::Running),
            Progress::new(100, ProgressState::Failed).with_message("disk full".into()),
        ])
        .await;
    mock.follow_logs()
        .responds(["one".to_owned(), "two\nlines".to_owned()])
        .await;
    let client = client(&mock.uri()).build().expect("valid");
    let progress: Vec<_> = client
        .watch_job()
        .job_id("9")
        .send()
        .await
        .expect("streams")
        .into_inner()
        .map(|item| item.expect("decodes"))
        .collect()
        .await;
    assert_eq!(progress[1].message.as_deref(), Some("disk full"));
    let logs: Vec<String> = client
        .follow_logs()
        .service("api")
        .send()
        .await
        .expect("streams")
        .into_inner()
        .map(|event| event.expect("text").data)
        .collect()
        .await;
    assert_eq!(logs, ["one", "two\nlines"]);
}
