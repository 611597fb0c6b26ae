//! Cookie parameters on the wire and in the typed mocks: the snapshot
//! crate generated from `tests/fixtures/parameters.yaml`.

use snapshot_parameters::Error;
use snapshot_parameters::mock::MockServer;
use snapshot_parameters::types::GetBookResponse;

#[tokio::test]
async fn cookies_share_one_header_encoded_and_a_mock_matches_them_decoded() {
    let server = MockServer::start().await;
    server
        .get_book()
        .shelf_id("AB1")
        .index(0)
        .theme("dark; blue")
        .recent(vec![3, 4])
        .times(1)
        .responds(GetBookResponse::new().with_title("Dune".to_owned()))
        .await;
    let client = server.client();
    let book = client
        .get_book()
        .shelf_id("AB1")
        .index(0)
        .limit(1)
        .x_api_secret("s3cret")
        .theme("dark; blue")
        .recent(vec![3, 4])
        .send()
        .await
        .expect("the mock matches the cookies");
    assert_eq!(book.into_inner().title.as_deref(), Some("Dune"));
    let requests = server.received_requests().await;
    let cookies: Vec<&str> = requests[0]
        .headers
        .get_all("cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    assert_eq!(cookies, ["theme=dark%3B%20blue; recent=3,4"]);

    let other = client
        .get_book()
        .shelf_id("AB1")
        .index(0)
        .limit(1)
        .x_api_secret("s3cret")
        .theme("light")
        .send()
        .await;
    assert!(
        matches!(other, Err(Error::UnexpectedResponse(_))),
        "another cookie does not match: {other:?}"
    );
}
