//! Every paging style on the wire (`tests/fixtures/paging.yaml` and its
//! `paging.toml`): a cursor in a nested property and a next-page token,
//! recognized by their names; Azure's `x-ms-pageable` next link; GitHub's
//! `Link` header; an offset set for a tag; a nested next link set for one
//! operation. Each walk sends what the page before said, stays on the API's
//! origin, keeps the loop guards, and owns its client.

use serde_json::{Value, json};
use snapshot_paging::futures::{StreamExt, TryStreamExt};
use snapshot_paging::{Client, Error, PageWalkError, RetryPolicy};
use wire_tests::received;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server that answers each request with what `answer` makes of its
/// path and query (`/events?pageToken=t2`) and the server's own URL.
async fn server(
    answer: impl Fn(&str, &str) -> ResponseTemplate + Send + Sync + 'static,
) -> MockServer {
    let server = MockServer::start().await;
    let uri = server.uri();
    Mock::given(wiremock::matchers::any())
        .respond_with(move |request: &Request| {
            let target = match request.url.query() {
                Some(query) => format!("{}?{query}", request.url.path()),
                None => request.url.path().to_owned(),
            };
            answer(&target, &uri)
        })
        .mount(&server)
        .await;
    server
}

fn json_page(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.to_string(), "application/json")
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .retry(RetryPolicy::disabled())
        .build()
        .expect("valid")
}

/// What the server was asked, path and query.
async fn asked(server: &MockServer) -> Vec<String> {
    received(server)
        .await
        .iter()
        .map(|request| match request.url.query() {
            Some(query) => format!("{}?{query}", request.url.path()),
            None => request.url.path().to_owned(),
        })
        .collect()
}

#[tokio::test]
async fn a_nested_cursor_is_sent_back_until_it_is_empty() {
    let server = server(|target, _| match target {
        "/conversations.list?limit=2" => json_page(json!({
            "ok": true,
            "channels": [{"id": "C1"}, {"id": "C2"}],
            "response_metadata": {"next_cursor": "dXNlcjpVMDYx"}
        })),
        "/conversations.list?cursor=dXNlcjpVMDYx&limit=2" => json_page(json!({
            "ok": true,
            "channels": [{"id": "C3"}],
            "response_metadata": {"next_cursor": ""}
        })),
        other => ResponseTemplate::new(500).set_body_string(format!("unexpected {other}")),
    })
    .await;
    let channels: Vec<String> = client(&server)
        .list_channels()
        .limit(2)
        .stream()
        .map_ok(|channel| channel.id)
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(channels, ["C1", "C2", "C3"]);
    assert_eq!(asked(&server).await.len(), 2);
}

#[tokio::test]
async fn a_walk_owns_its_client_and_can_be_spawned() {
    let server = server(|target, _| match target {
        "/events" => json_page(json!({"items": [{"id": "e1"}], "nextPageToken": "t2"})),
        "/events?pageToken=t2" => json_page(json!({"items": [{"id": "e2"}]})),
        other => ResponseTemplate::new(500).set_body_string(format!("unexpected {other}")),
    })
    .await;
    let walk = {
        let client = client(&server);
        client.list_events().stream()
        // The client is dropped here; the walk holds its own.
    };
    let events = tokio::spawn(walk.map_ok(|event| event.id).try_collect::<Vec<_>>())
        .await
        .expect("the task ran")
        .expect("every page");
    assert_eq!(events, ["e1", "e2"]);
}

#[tokio::test]
async fn an_azure_next_link_is_followed_as_given() {
    let server = server(|target, uri| match target {
        "/vaults?api-version=2024-01-01&%24top=1" => json_page(json!({
            "value": [{"name": "v1"}],
            "nextLink": format!("{uri}/vaults?api-version=2024-01-01&%24top=1&%24skiptoken=abc")
        })),
        "/vaults?api-version=2024-01-01&%24top=1&%24skiptoken=abc" => {
            json_page(json!({"value": [{"name": "v2"}], "nextLink": null}))
        }
        other => ResponseTemplate::new(500).set_body_string(format!("unexpected {other}")),
    })
    .await;
    let vaults: Vec<String> = client(&server)
        .list_vaults()
        .api_version("2024-01-01")
        .top(1)
        .stream()
        .map_ok(|vault| vault.name)
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(vaults, ["v1", "v2"]);
    // The link's own query, not the builder's added to it again.
    assert_eq!(
        asked(&server).await[1],
        "/vaults?api-version=2024-01-01&%24top=1&%24skiptoken=abc"
    );
}

#[tokio::test]
async fn a_link_to_another_origin_is_not_followed() {
    let elsewhere = MockServer::start().await;
    let foreign = format!("{}/vaults?steal=1", elsewhere.uri());
    let server =
        server(move |_, _| json_page(json!({"value": [{"name": "v1"}], "nextLink": foreign})))
            .await;
    let pages: Vec<_> = client(&server)
        .list_vaults()
        .api_version("2024-01-01")
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 2);
    assert!(pages[0].is_ok());
    assert!(
        matches!(pages[1], Err(Error::PageWalk(PageWalkError::ForeignLink))),
        "{:?}",
        pages[1]
    );
    assert!(
        received(&elsewhere).await.is_empty(),
        "nothing went elsewhere"
    );
}

#[tokio::test]
async fn the_link_header_names_the_next_page_of_a_list() {
    let server = server(|target, uri| {
        let issues = |numbers: &[u32]| {
            Value::Array(numbers.iter().map(|n| json!({"number": n})).collect())
        };
        match target {
            "/repos/o/r/issues?per_page=2" => json_page(issues(&[1, 2])).insert_header(
                "link",
                format!(
                    r#"<{uri}/repos/o/r/issues?per_page=2&page=2>; rel="next", <{uri}/repos/o/r/issues?per_page=2&page=2>; rel="last""#
                ),
            ),
            "/repos/o/r/issues?per_page=2&page=2" => json_page(issues(&[3])).insert_header(
                "link",
                format!(r#"<{uri}/repos/o/r/issues?per_page=2&page=1>; rel="prev first""#),
            ),
            other => ResponseTemplate::new(500).set_body_string(format!("unexpected {other}")),
        }
    })
    .await;
    let issues: Vec<i64> = client(&server)
        .list_issues()
        .owner("o")
        .repo("r")
        .per_page(2)
        .stream()
        .map_ok(|issue| issue.number)
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(issues, [1, 2, 3]);
}

#[tokio::test]
async fn a_tag_rule_pages_by_offset_and_an_operation_rule_by_a_nested_link() {
    let server = server(|target, _| match target {
        "/things?skip=0" => json_page(json!({"data": ["a", "b"]})),
        "/things?skip=2" => json_page(json!({"data": ["c"]})),
        "/things?skip=3" => json_page(json!({"data": []})),
        "/widgets?color=red" => {
            json_page(json!({"widgets": ["w1"], "links": {"next": "/widgets?after=w1"}}))
        }
        "/widgets?after=w1" => json_page(json!({"widgets": ["w2"], "links": {}})),
        other => ResponseTemplate::new(500).set_body_string(format!("unexpected {other}")),
    })
    .await;
    let client = client(&server);
    let things: Vec<String> = client
        .list_things()
        .stream()
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(things, ["a", "b", "c"]);
    let widgets: Vec<String> = client
        .list_widgets()
        .color("red")
        .stream()
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(widgets, ["w1", "w2"]);
}

#[tokio::test]
async fn a_cursor_that_does_not_move_ends_the_walk() {
    let server = server(|target, _| {
        let id = if target.contains("cursor=") {
            "C2"
        } else {
            "C1"
        };
        json_page(json!({
            "ok": true,
            "channels": [{"id": id}],
            "response_metadata": {"next_cursor": "same"}
        }))
    })
    .await;
    let pages: Vec<_> = client(&server).list_channels().pages().collect().await;
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert!(
        matches!(
            pages[2],
            Err(Error::PageWalk(PageWalkError::CursorRepeated { at: 2 }))
        ),
        "{:?}",
        pages[2]
    );
}

#[tokio::test]
async fn dropshot_pages_follow_the_page_token() {
    let server = server(|target, _| match target {
        "/instances?limit=1&sort_by=name_ascending" => json_page(json!({
            "items": [{"name": "db"}],
            "next_page": "eyJ2IjoidjEifQ"
        })),
        // Dropshot reads the token alone when one comes: the scan
        // parameters are inside it, so the others may go along.
        "/instances?limit=1&page_token=eyJ2IjoidjEifQ&sort_by=name_ascending" => {
            json_page(json!({"items": [{"name": "web"}], "next_page": null}))
        }
        other => ResponseTemplate::new(500).set_body_string(format!("unexpected {other}")),
    })
    .await;
    let names: Vec<String> = client(&server)
        .instance_list()
        .limit(1)
        .sort_by(snapshot_paging::types::InstanceListSortBy::NameAscending)
        .stream()
        .map_ok(|instance| instance.name)
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(names, ["db", "web"]);
}

#[tokio::test]
async fn the_last_items_id_starts_the_next_page_while_more_follow() {
    let server = server(|target, _| match target {
        "/v1/charges?limit=2" => json_page(json!({
            "object": "list",
            "data": [{"id": "ch_1", "amount": 100}, {"id": "ch_2", "amount": 250}],
            "has_more": true
        })),
        "/v1/charges?limit=2&starting_after=ch_2" => json_page(json!({
            "object": "list",
            "data": [{"id": "ch_3", "amount": 75}],
            "has_more": false
        })),
        other => ResponseTemplate::new(500).set_body_string(format!("unexpected {other}")),
    })
    .await;
    let amounts: Vec<i64> = client(&server)
        .list_charges()
        .limit(2)
        .stream()
        .map_ok(|charge| charge.amount)
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(amounts, [100, 250, 75]);
    // `has_more: false` ended the walk: no third request.
    assert_eq!(asked(&server).await.len(), 2);
}
