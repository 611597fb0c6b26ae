//! The user crate's functions against a loopback server.

use atlas_admin::Client;
use atlas_admin::types::CloudAccessRoleAssignmentRoleName;
use serde_json::json;
use user_crate::{make_org_key_read_only, rename_ai_model_key};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const ORG: &str = "4888442a3354817a7320eb61";

async fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("valid base URL")
}

#[tokio::test]
async fn renames_an_ai_model_key() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(format!(
            "/api/atlas/v2/groups/{GROUP}/aiModelApiKeys/key-1"
        )))
        .and(body_json(json!({"name": "Nightly batch"})))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            json!({"name": "Nightly batch", "status": "ACTIVE"}).to_string(),
            "application/vnd.atlas.preview+json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    let name = rename_ai_model_key(&client, GROUP, "key-1", "Nightly batch")
        .await
        .expect("renamed");
    assert_eq!(name.as_deref(), Some("Nightly batch"));
}

#[tokio::test]
async fn makes_an_org_key_read_only() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(format!("/api/atlas/v1.0/orgs/{ORG}/apiKeys/{GROUP}")))
        .and(body_json(
            json!({"desc": "read-only automation key", "roles": ["ORG_READ_ONLY"]}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"id": GROUP, "roles": [{"orgId": ORG, "roleName": "ORG_READ_ONLY"}]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    let roles = make_org_key_read_only(&client, ORG, GROUP)
        .await
        .expect("updated");
    assert_eq!(roles.len(), 1);
    assert_eq!(
        roles[0].role_name,
        Some(CloudAccessRoleAssignmentRoleName::OrgReadOnly)
    );
}

#[tokio::test]
async fn a_server_error_reaches_the_caller_typed() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"error": 403, "errorCode": "CANNOT_CHANGE_GROUP_NAME"})),
        )
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    let error = make_org_key_read_only(&client, ORG, GROUP)
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(403));
    assert_eq!(
        error.error_body().map(|body| body.error_code.as_str()),
        Some("CANNOT_CHANGE_GROUP_NAME")
    );
}
