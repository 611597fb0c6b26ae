//! The user crate's functions tested with `atlas_admin::mock`, the typed
//! test doubles the generated crate offers behind its `mock` feature.

use atlas_admin::mock::MockServer;
use atlas_admin::types::{
    AiModelApiKeyCreateRequest, AiModelApiKeyResponse, ApiError, ApiKeyUserDetails,
    PaginatedApiApiUser,
};
use atlas_admin::{Error, Secret};
use user_crate::{org_key_descriptions, rotate_ai_model_key};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const ORG: &str = "4888442a3354817a7320eb61";

fn created(id: &str, secret: &str) -> AiModelApiKeyResponse {
    AiModelApiKeyResponse::new()
        .with_api_key_id(id.to_owned())
        .with_group_id(GROUP.to_owned())
        .with_masked_secret("al-****".to_owned())
        .with_name("nightly".to_owned())
        .with_secret(Secret::new(secret))
        .with_status("ACTIVE".to_owned())
}

#[tokio::test]
async fn rotating_a_key_creates_the_new_one_then_deletes_the_old_one() {
    let server = MockServer::start().await;
    server
        .create_group_model_key()
        .group_id(GROUP)
        .body(&AiModelApiKeyCreateRequest::new(
            "ANY".to_owned(),
            "ANY".to_owned(),
            "nightly".to_owned(),
        ))
        .times(1)
        .responds(created("new-key", "al-s3cr3t"))
        .await;
    server
        .delete_group_model_key()
        .group_id(GROUP)
        .api_key_id("old-key")
        .times(1)
        .responds()
        .await;
    let client = server.client();
    let (id, secret) = rotate_ai_model_key(&client, GROUP, "old-key", "nightly")
        .await
        .expect("both calls succeed");
    assert_eq!(id, "new-key");
    assert_eq!(secret.expect("returned once").expose(), "al-s3cr3t");
}

#[tokio::test]
async fn a_failed_deletion_is_reported_with_the_api_error() {
    let server = MockServer::start().await;
    server
        .create_group_model_key()
        .group_id(GROUP)
        .responds(created("new-key", "al-s3cr3t"))
        .await;
    server
        .delete_group_model_key()
        .api_key_id("old-key")
        .fails(
            404,
            ApiError::new(404, "RESOURCE_NOT_FOUND".to_owned())
                .with_detail("No key old-key".to_owned())
                .with_reason("Not Found".to_owned()),
        )
        .await;
    match rotate_ai_model_key(&server.client(), GROUP, "old-key", "nightly").await {
        Err(Error::ErrorResponse(response)) => {
            assert_eq!(response.status(), 404);
            assert_eq!(response.error_code, "RESOURCE_NOT_FOUND");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_mock_answers_only_the_request_it_describes() {
    let server = MockServer::start().await;
    server
        .create_group_model_key()
        .body(&AiModelApiKeyCreateRequest::new(
            "AWS".to_owned(),
            "US".to_owned(),
            "nightly".to_owned(),
        ))
        .responds(created("new-key", "al-s3cr3t"))
        .await;
    // The function sends cloud and geography "ANY": no mock matches, and the
    // server's 404 without a body is not the declared error.
    let result = rotate_ai_model_key(&server.client(), GROUP, "old-key", "nightly").await;
    assert!(
        matches!(result, Err(Error::UnexpectedResponse(ref response)) if response.status == 404),
        "{result:?}"
    );
    assert_eq!(server.received_requests().await.len(), 1);
}

fn key(desc: &str) -> ApiKeyUserDetails {
    ApiKeyUserDetails::new().with_desc(desc.to_owned())
}

#[tokio::test]
async fn descriptions_come_from_every_page() {
    let server = MockServer::start().await;
    let page = |keys: Vec<ApiKeyUserDetails>| PaginatedApiApiUser::new(keys).with_total_count(3);
    server
        .list_org_api_keys()
        .org_id(ORG)
        .page_num(1)
        .items_per_page(100)
        .responds(page(vec![key("deploy"), key("backup")]))
        .await;
    server
        .list_org_api_keys()
        .org_id(ORG)
        .page_num(2)
        .responds(page(vec![key("audit")]))
        .await;
    server
        .list_org_api_keys()
        .org_id(ORG)
        .page_num(3)
        .responds(page(vec![]))
        .await;
    let descriptions = org_key_descriptions(&server.client(), ORG)
        .await
        .expect("every page answers");
    assert_eq!(descriptions, ["deploy", "backup", "audit"]);
}
