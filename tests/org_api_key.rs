//! `updateOrgApiKey` on the wire: `PATCH /api/atlas/v1.0/orgs/{orgId}/apiKeys/{apiUserId}`.

use atlas_admin::types::{
    CloudAccessRoleAssignmentRoleName, UpdateAtlasOrganizationApiKey,
    UpdateAtlasOrganizationApiKeyRolesItem as OrgRole,
};
use atlas_admin::{Client, Error, Rule};
use serde_json::{Value, json};
use wire_tests::*;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

const ROUTE: &str =
    "/api/atlas/v1.0/orgs/32b6e34b3d91647abb20e7b8/apiKeys/4888442a3354817a7320eb61";

fn details() -> Value {
    json!({
        "desc": "rotated",
        "id": HEX_ID,
        "links": [{"href": "https://cloud.mongodb.com/api/atlas", "rel": "self"}],
        "privateKey": "55c3bbb6-b4bb-0be1-e66d20841f3e",
        "publicKey": "zmmrboas",
        "roles": [{"groupId": HEX_ID, "orgId": OTHER_HEX_ID, "roleName": "ORG_MEMBER"}]
    })
}

fn full_body() -> UpdateAtlasOrganizationApiKey {
    UpdateAtlasOrganizationApiKey::new()
        .with_desc("rotated".to_owned())
        .with_roles(vec![OrgRole::OrgOwner, OrgRole::OrgReadOnly])
}

async fn call(
    client: &Client,
    body: UpdateAtlasOrganizationApiKey,
) -> Result<
    atlas_admin::ResponseValue<atlas_admin::types::ApiKeyUserDetails>,
    Error<atlas_admin::types::ApiError>,
> {
    client
        .update_org_api_key()
        .org_id(HEX_ID)
        .api_user_id(OTHER_HEX_ID)
        .body(body)
        .send()
        .await
}

#[tokio::test]
async fn sends_the_exact_request_and_decodes_the_typed_response() {
    let (server, client) = server_and_client().await;
    Mock::given(method("PATCH"))
        .and(path(ROUTE))
        .and(header("accept", "application/json"))
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({"desc": "rotated", "roles": ["ORG_OWNER", "ORG_READ_ONLY"]}),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(details().to_string(), "application/json")
                .insert_header("RateLimit-Remaining", "99"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let response = call(&client, full_body()).await.expect("a 200 decodes");

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["ratelimit-remaining"], "99");
    let details = response.into_inner();
    assert_eq!(details.id.as_deref(), Some(HEX_ID));
    assert_eq!(details.public_key.as_deref(), Some("zmmrboas"));
    let roles = details.roles.expect("roles");
    assert_eq!(
        roles[0].role_name,
        Some(CloudAccessRoleAssignmentRoleName::OrgMember)
    );
    assert_eq!(roles[0].org_id.as_deref(), Some(OTHER_HEX_ID));
    assert_eq!(
        details.links.expect("links")[0].rel.as_deref(),
        Some("self")
    );

    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        None,
        "unset query parameters are not sent"
    );
}

#[tokio::test]
async fn query_parameters_are_sent_only_when_set() {
    let (server, client) = server_and_client().await;
    // envelope=true asks the server to wrap its answer.
    let wrapped = json!({"status": 200, "content": details()});
    respond(&server, 200, "application/json", &wrapped.to_string()).await;
    client
        .update_org_api_key()
        .org_id(HEX_ID)
        .api_user_id(OTHER_HEX_ID)
        .envelope(true)
        .pretty(false)
        .body(full_body())
        .send()
        .await
        .expect("sent");
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("envelope=true&pretty=false"));
}

#[tokio::test]
async fn unset_body_properties_are_left_out() {
    let (server, client) = server_and_client().await;
    respond(&server, 200, "application/json", &details().to_string()).await;
    let body = UpdateAtlasOrganizationApiKey::new().with_roles(vec![OrgRole::OrgBillingAdmin]);
    call(&client, body).await.expect("sent");
    let sent: Value = serde_json::from_slice(&only_request(&server).await.body).expect("JSON");
    assert_eq!(sent, json!({"roles": ["ORG_BILLING_ADMIN"]}));
}

#[tokio::test]
async fn declared_error_statuses_decode_into_api_error() {
    let (server, client) = server_and_client().await;
    assert_declared_errors_decode(&server, async || call(&client, full_body()).await).await;
}

#[tokio::test]
async fn undescribed_responses_keep_status_and_raw_body() {
    let (server, client) = server_and_client().await;
    assert_unexpected_responses_are_kept(&server, "application/json", async || {
        call(&client, full_body()).await
    })
    .await;
}

#[tokio::test]
async fn role_names_unknown_to_this_crate_still_decode_in_responses() {
    let (server, client) = server_and_client().await;
    let mut body = details();
    body["roles"][0]["roleName"] = json!("ORG_FUTURE_ROLE");
    respond(&server, 200, "application/json", &body.to_string()).await;
    let details = call(&client, full_body())
        .await
        .expect("decodes")
        .into_inner();
    let role = details.roles.expect("roles")[0].role_name.clone();
    assert_eq!(
        role,
        Some(CloudAccessRoleAssignmentRoleName::Unknown(
            "ORG_FUTURE_ROLE".to_owned()
        ))
    );
}

#[tokio::test]
async fn a_role_the_crate_does_not_list_is_refused_unless_sent_unchecked() {
    let (server, client) = server_and_client().await;
    // Typed or parsed, an unlisted value is taken for a mistake.
    let unknown = UpdateAtlasOrganizationApiKey::new()
        .with_roles(vec![OrgRole::OrgOwner, OrgRole::from("ORG_FUTURE_ROLE")]);
    assert_eq!(
        unknown.roles.as_ref().expect("roles")[1],
        OrgRole::Unknown("ORG_FUTURE_ROLE".to_owned())
    );
    assert_refused(&server, call(&client, unknown).await, &["body.roles[1]"]).await;

    // Sent knowingly: as it is, and only that one.
    respond(&server, 200, "application/json", &details().to_string()).await;
    let unchecked = UpdateAtlasOrganizationApiKey::new().with_roles(vec![
        OrgRole::OrgOwner,
        OrgRole::Unchecked("ORG_FUTURE_ROLE".to_owned()),
    ]);
    call(&client, unchecked).await.expect("sent");
    let sent: Value = serde_json::from_slice(&only_request(&server).await.body).expect("JSON");
    assert_eq!(sent, json!({"roles": ["ORG_OWNER", "ORG_FUTURE_ROLE"]}));
    assert_eq!(
        String::from(OrgRole::Unchecked("ORG_FUTURE_ROLE".to_owned())),
        "ORG_FUTURE_ROLE"
    );
}

#[tokio::test]
async fn an_org_id_that_is_not_24_hex_digits_is_refused() {
    let (server, client) = server_and_client().await;
    let result = client
        .update_org_api_key()
        .org_id("not-an-id")
        .api_user_id(OTHER_HEX_ID)
        .body(full_body())
        .send()
        .await;
    assert_refused(&server, result, &["orgId"]).await;
}

#[tokio::test]
async fn an_api_user_id_in_upper_case_is_refused() {
    let (server, client) = server_and_client().await;
    let result = client
        .update_org_api_key()
        .org_id(HEX_ID)
        .api_user_id(OTHER_HEX_ID.to_uppercase())
        .body(full_body())
        .send()
        .await;
    assert_refused(&server, result, &["apiUserId"]).await;
}

#[tokio::test]
async fn a_desc_over_250_characters_is_refused() {
    let (server, client) = server_and_client().await;
    let body = UpdateAtlasOrganizationApiKey::new().with_desc("é".repeat(251));
    assert_refused(&server, call(&client, body).await, &["body.desc"]).await;
}

#[tokio::test]
async fn a_desc_of_exactly_250_characters_is_sent() {
    let (server, client) = server_and_client().await;
    respond(&server, 200, "application/json", &details().to_string()).await;
    let body = UpdateAtlasOrganizationApiKey::new().with_desc("é".repeat(250));
    call(&client, body)
        .await
        .expect("250 characters are allowed");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn an_empty_desc_is_refused() {
    let (server, client) = server_and_client().await;
    let body = UpdateAtlasOrganizationApiKey::new().with_desc(String::new());
    assert_refused(&server, call(&client, body).await, &["body.desc"]).await;
}

#[tokio::test]
async fn an_empty_roles_list_is_refused() {
    let (server, client) = server_and_client().await;
    let body = UpdateAtlasOrganizationApiKey::new().with_roles(Vec::new());
    assert_refused(&server, call(&client, body).await, &["body.roles"]).await;
}

#[tokio::test]
async fn a_body_with_neither_desc_nor_roles_is_refused() {
    let (server, client) = server_and_client().await;
    let result = call(&client, UpdateAtlasOrganizationApiKey::default()).await;
    let Err(Error::InvalidRequest(errors)) = &result else {
        panic!("expected a refusal, got {result:?}");
    };
    assert_eq!(
        errors.violations()[0].rule,
        Rule::MinProperties { min: 1, actual: 0 }
    );
    assert_refused(&server, result, &["body"]).await;
}

#[tokio::test]
async fn an_unknown_role_name_is_refused_with_its_index() {
    let (server, client) = server_and_client().await;
    let body = UpdateAtlasOrganizationApiKey::new()
        .with_roles(vec![OrgRole::OrgOwner, OrgRole::from("ORG_SUPERUSER")]);
    let result = call(&client, body).await;
    let Err(Error::InvalidRequest(errors)) = &result else {
        panic!("expected a refusal, got {result:?}");
    };
    assert!(errors.to_string().contains("ORG_SUPERUSER"), "{errors}");
    assert_refused(&server, result, &["body.roles[1]"]).await;
}

#[tokio::test]
async fn every_violation_is_reported_at_once_and_missing_inputs_are_named() {
    let (server, client) = server_and_client().await;
    let result = client.update_org_api_key().api_user_id("xyz").send().await;
    assert_refused(&server, result, &["orgId", "apiUserId", "body"]).await;
}

#[tokio::test]
async fn clients_are_clone_send_and_sync() {
    fn assert_traits<T: Clone + Send + Sync + 'static>() {}
    assert_traits::<Client>();
    let client = Client::new().expect("the spec's server is a valid base URL");
    assert_eq!(client.base_url(), "https://cloud.mongodb.com");
    assert_eq!(Client::DEFAULT_BASE_URL, "https://cloud.mongodb.com");
    let error = Client::builder()
        .base_url("cloud.mongodb.com")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("cloud.mongodb.com"), "{error}");
}
