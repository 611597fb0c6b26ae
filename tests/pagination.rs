//! Paged operations walked on the wire: `pages()` and `stream()` on
//! `listOrgApiKeys` (`pageNum` from 1, items in `results`, as
//! `spec/codegen.toml` configures), against a loopback server.

use atlas_admin::futures::{StreamExt, TryStreamExt};
use atlas_admin::{Client, Error, PageWalkError, RetryPolicy};
use serde_json::{Value, json};
use wire_tests::{HEX_ID, api_error, received};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const MEDIA_TYPE: &str = "application/vnd.atlas.2023-01-01+json";

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry(RetryPolicy::disabled())
        .build()
        .expect("valid");
    (server, client)
}

fn key(n: usize) -> Value {
    json!({"id": format!("{n:024x}"), "desc": format!("key {n}")})
}

/// Answers page `number` with `body`, in the media type declared for `status`.
async fn page(server: &MockServer, number: u32, status: u16, body: Value) {
    let media_type = if status < 400 {
        MEDIA_TYPE
    } else {
        "application/json"
    };
    Mock::given(method("GET"))
        .and(path(format!("/api/atlas/v2/orgs/{HEX_ID}/apiKeys")))
        .and(query_param("pageNum", number.to_string()))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_string(), media_type))
        .mount(server)
        .await;
}

fn listing(keys: std::ops::Range<usize>, total: usize) -> Value {
    json!({"results": keys.map(key).collect::<Vec<_>>(), "totalCount": total})
}

/// The `pageNum` of every request the server received, in order.
async fn pages_requested(server: &MockServer) -> Vec<String> {
    received(server)
        .await
        .iter()
        .map(|request| {
            request
                .url
                .query_pairs()
                .find(|(name, _)| name == "pageNum")
                .map(|(_, value)| value.into_owned())
                .unwrap_or_default()
        })
        .collect()
}

/// Every key of the organization, through `stream()` from the first page.
async fn every_key(client: &Client) -> Vec<atlas_admin::types::ApiKeyUserDetails> {
    client
        .list_org_api_keys()
        .org_id(HEX_ID)
        .stream()
        .try_collect()
        .await
        .expect("every page decodes")
}

fn descriptions(keys: &[atlas_admin::types::ApiKeyUserDetails]) -> Vec<String> {
    keys.iter()
        .map(|key| key.desc.clone().unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn stream_yields_every_item_of_every_page_in_order() {
    let (server, client) = setup().await;
    page(&server, 1, 200, listing(0..3, 7)).await;
    page(&server, 2, 200, listing(3..6, 7)).await;
    page(&server, 3, 200, listing(6..7, 7)).await;
    page(&server, 4, 200, listing(0..0, 7)).await;
    let keys: Vec<_> = client
        .list_org_api_keys()
        .org_id(HEX_ID)
        .items_per_page(3)
        .stream()
        .try_collect()
        .await
        .expect("every page decodes");
    assert_eq!(
        descriptions(&keys),
        (0..7).map(|n| format!("key {n}")).collect::<Vec<_>>()
    );
    assert_eq!(pages_requested(&server).await, ["1", "2", "3", "4"]);
    // Every page carries the caller's other parameters.
    for request in received(&server).await {
        assert!(request.url.query().unwrap().contains("itemsPerPage=3"));
    }
}

#[tokio::test]
async fn pages_are_fetched_only_as_the_stream_is_read() {
    let (server, client) = setup().await;
    page(&server, 1, 200, listing(0..2, 4)).await;
    page(&server, 2, 200, listing(2..4, 4)).await;
    let mut stream = Box::pin(client.list_org_api_keys().org_id(HEX_ID).stream());
    assert!(received(&server).await.is_empty(), "nothing before reading");
    stream.next().await.expect("an item").expect("decodes");
    stream.next().await.expect("an item").expect("decodes");
    assert_eq!(pages_requested(&server).await, ["1"]);
    stream.next().await.expect("an item").expect("decodes");
    assert_eq!(pages_requested(&server).await, ["1", "2"]);
}

#[tokio::test]
async fn pages_walks_whole_pages_with_their_totals_from_the_page_asked() {
    let (server, client) = setup().await;
    page(&server, 2, 200, listing(3..6, 6)).await;
    page(&server, 3, 200, listing(0..0, 6)).await;
    let pages: Vec<_> = client
        .list_org_api_keys()
        .org_id(HEX_ID)
        .page_num(2)
        .pages()
        .try_collect()
        .await
        .expect("decodes");
    assert_eq!(pages.len(), 1, "the empty last page is not yielded");
    assert_eq!(pages[0].status(), 200);
    assert_eq!(pages[0].total_count, Some(6));
    assert_eq!(pages[0].results.len(), 3);
    assert_eq!(pages_requested(&server).await, ["2", "3"]);
}

#[tokio::test]
async fn an_empty_listing_is_an_empty_stream_and_one_page() {
    let (server, client) = setup().await;
    page(&server, 1, 200, listing(0..0, 0)).await;
    let keys = every_key(&client).await;
    assert!(keys.is_empty());
    let pages: Vec<_> = client
        .list_org_api_keys()
        .org_id(HEX_ID)
        .pages()
        .try_collect()
        .await
        .expect("decodes");
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].total_count, Some(0));
}

#[tokio::test]
async fn an_error_on_page_two_is_yielded_after_page_one_and_ends_the_walk() {
    let (server, client) = setup().await;
    page(&server, 1, 200, listing(0..2, 5)).await;
    page(&server, 2, 500, api_error(500, "UNEXPECTED_ERROR")).await;
    page(&server, 3, 200, listing(4..5, 5)).await;
    let results: Vec<_> = client
        .list_org_api_keys()
        .org_id(HEX_ID)
        .stream()
        .collect()
        .await;
    assert_eq!(results.len(), 3, "{results:?}");
    assert!(results[0].is_ok() && results[1].is_ok());
    match &results[2] {
        Err(Error::ErrorResponse(response)) => {
            assert_eq!(response.status(), 500);
            assert_eq!(response.error_code, "UNEXPECTED_ERROR");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(pages_requested(&server).await, ["1", "2"]);
}

#[tokio::test]
async fn total_count_is_reported_but_never_trusted_to_stop() {
    // Atlas calls `totalCount` an estimate: too low must not lose items,
    // too high must not walk past the last page.
    let (server, client) = setup().await;
    page(&server, 1, 200, listing(0..2, 1)).await;
    page(&server, 2, 200, listing(2..3, 1)).await;
    page(&server, 3, 200, listing(0..0, 1)).await;
    let keys = every_key(&client).await;
    assert_eq!(keys.len(), 3, "a low totalCount lost items");

    server.reset().await;
    page(&server, 1, 200, listing(0..2, 1000)).await;
    page(&server, 2, 200, listing(0..0, 1000)).await;
    let keys = every_key(&client).await;
    assert_eq!(keys.len(), 2);
    assert_eq!(pages_requested(&server).await, ["1", "2"]);
}

/// What `stream()` yields against a server that answers every request with
/// `answer(pageNum, how many it answered before)`, and the pages it was asked for.
async fn walk_against(
    client_settings: impl FnOnce(atlas_admin::ClientBuilder) -> atlas_admin::ClientBuilder,
    answer: impl Fn(u64, u64) -> Value + Send + Sync + 'static,
) -> (
    Vec<Result<atlas_admin::types::ApiKeyUserDetails, Error<atlas_admin::types::ApiError>>>,
    Vec<String>,
) {
    let server = MockServer::start().await;
    let count = std::sync::atomic::AtomicU64::new(0);
    Mock::given(method("GET"))
        .respond_with(move |request: &wiremock::Request| {
            let number = request
                .url
                .query_pairs()
                .find(|(name, _)| name == "pageNum")
                .and_then(|(_, value)| value.parse().ok())
                .unwrap_or(1);
            let before = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            ResponseTemplate::new(200).set_body_raw(answer(number, before).to_string(), MEDIA_TYPE)
        })
        .mount(&server)
        .await;
    let client = client_settings(
        Client::builder()
            .base_url(server.uri())
            .retry(RetryPolicy::disabled()),
    )
    .build()
    .expect("valid");
    let results = client
        .list_org_api_keys()
        .org_id(HEX_ID)
        .stream()
        .collect()
        .await;
    (results, pages_requested(&server).await)
}

fn walk_error<T: std::fmt::Debug>(
    results: &[Result<T, Error<atlas_admin::types::ApiError>>],
) -> &PageWalkError {
    match results.last() {
        Some(Err(Error::PageWalk(error))) => error,
        other => panic!("the walk ended with {other:?}"),
    }
}

#[tokio::test]
async fn a_server_that_ignores_the_page_number_ends_in_an_error() {
    let (results, asked) = walk_against(|builder| builder, |_, _| listing(0..2, 2)).await;
    assert_eq!(results.len(), 3);
    assert_eq!(
        walk_error(&results),
        &PageWalkError::PageRepeated { at: 2, earlier: 1 }
    );
    assert_eq!(asked, ["1", "2"]);
}

#[tokio::test]
async fn a_server_that_names_the_page_asked_for_but_repeats_its_items_ends_in_an_error() {
    // Each page differs (its self link names the page), its items do not.
    let (results, asked) = walk_against(
        |builder| builder,
        |number, _| {
            let mut page = listing(0..2, 2);
            page["links"] =
                json!([{"rel": "self", "href": format!("https://x/?pageNum={number}")}]);
            page
        },
    )
    .await;
    assert_eq!(walk_error(&results), &PageWalkError::ItemRepeated { at: 2 });
    assert_eq!(asked, ["1", "2"]);
}

#[tokio::test]
async fn a_server_that_alternates_two_pages_ends_in_an_error() {
    let (results, asked) = walk_against(
        |builder| builder,
        |number, _| {
            if number % 2 == 1 {
                listing(0..2, 4)
            } else {
                listing(2..4, 4)
            }
        },
    )
    .await;
    assert_eq!(
        walk_error(&results),
        &PageWalkError::PageRepeated { at: 3, earlier: 1 }
    );
    assert_eq!(asked, ["1", "2", "3"]);
}

#[tokio::test]
async fn a_total_count_that_grows_on_every_answer_ends_in_an_error() {
    // New items forever, each answer counting one more page.
    let (results, asked) = walk_against(
        |builder| builder,
        |number, before| {
            let first = number as usize * 2;
            listing(first..first + 2, (before as usize + 2) * 2)
        },
    )
    .await;
    assert_eq!(
        walk_error(&results),
        &PageWalkError::TotalChanged {
            at: 2,
            first: 4,
            now: 6
        }
    );
    assert_eq!(asked, ["1", "2"]);
}

#[tokio::test]
async fn no_walk_reads_more_pages_than_the_client_allows() {
    let (results, asked) = walk_against(
        |builder| builder.max_pages(3),
        |number, _| {
            let first = number as usize * 2;
            listing(first..first + 2, 1_000_000)
        },
    )
    .await;
    assert_eq!(results.len(), 7, "three pages of two, then the error");
    assert_eq!(
        walk_error(&results),
        &PageWalkError::TooManyPages { at: 4, limit: 3 }
    );
    assert_eq!(asked, ["1", "2", "3"]);
    assert_eq!(atlas_admin::DEFAULT_MAX_PAGES, 10_000);
}

#[tokio::test]
async fn invalid_inputs_are_refused_before_any_page_is_sent() {
    let (server, client) = setup().await;
    let first = client
        .list_org_api_keys()
        .org_id("not-hex")
        .stream()
        .next()
        .await;
    assert!(
        matches!(first, Some(Err(Error::InvalidRequest(_)))),
        "{first:?}"
    );
    assert!(received(&server).await.is_empty());
}
