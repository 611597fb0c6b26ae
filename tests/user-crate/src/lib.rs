//! What a user's code looks like: small functions over the generated client,
//! written against its public API only.

use atlas_admin::futures::TryStreamExt;
use atlas_admin::types::{
    AiModelApiKeyCreateRequest, AiModelApiKeyUpdateRequest, ApiError, CloudAccessRoleAssignment,
    UpdateAtlasOrganizationApiKey, UpdateAtlasOrganizationApiKeyRolesItem as OrgRole,
};
use atlas_admin::{Client, Error, Secret};

/// Renames an AI model API key and returns the name Atlas now reports.
pub async fn rename_ai_model_key(
    client: &Client,
    group_id: &str,
    api_key_id: &str,
    name: &str,
) -> Result<Option<String>, Error<ApiError>> {
    let key = client
        .update_group_ai_model_api_key()
        .group_id(group_id)
        .api_key_id(api_key_id)
        .body(AiModelApiKeyUpdateRequest::new(name.to_owned()))
        .send()
        .await?;
    Ok(key.into_inner().name)
}

/// Demotes an organization API key to read-only and returns its roles.
pub async fn make_org_key_read_only(
    client: &Client,
    org_id: &str,
    api_user_id: &str,
) -> Result<Vec<CloudAccessRoleAssignment>, Error<ApiError>> {
    let details = client
        .update_org_api_key()
        .org_id(org_id)
        .api_user_id(api_user_id)
        .body(
            UpdateAtlasOrganizationApiKey::new()
                .with_desc("read-only automation key".to_owned())
                .with_roles(vec![OrgRole::OrgReadOnly]),
        )
        .send()
        .await?;
    Ok(details.into_inner().roles.unwrap_or_default())
}

/// Replaces an AI model API key: creates a new one with the same scope and
/// name, then deletes the old one. Returns the new key's id and its secret,
/// which Atlas shows only in the answer to the creation.
pub async fn rotate_ai_model_key(
    client: &Client,
    group_id: &str,
    old_key_id: &str,
    name: &str,
) -> Result<(String, Option<Secret>), Error<ApiError>> {
    let created = client
        .create_group_model_key()
        .group_id(group_id)
        .body(AiModelApiKeyCreateRequest::new(
            "ANY".to_owned(),
            "ANY".to_owned(),
            name.to_owned(),
        ))
        .send()
        .await?
        .into_inner();
    client
        .delete_group_model_key()
        .group_id(group_id)
        .api_key_id(old_key_id)
        .send()
        .await?;
    Ok((created.api_key_id.unwrap_or_default(), created.secret))
}

/// The description of every organization API key, across all pages.
pub async fn org_key_descriptions(
    client: &Client,
    org_id: &str,
) -> Result<Vec<String>, Error<ApiError>> {
    client
        .list_org_api_keys()
        .org_id(org_id)
        .items_per_page(100)
        .stream()
        .map_ok(|key| key.desc.unwrap_or_default())
        .try_collect()
        .await
}

/// The README's examples, compiled as doctests so that they cannot rot.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeExamples;

/// The manual's chapters' examples, compiled the same way.
#[doc = include_str!("../../../docs/using.md")]
#[cfg(doctest)]
pub struct UsingExamples;

/// The settings chapter's examples.
#[doc = include_str!("../../../docs/configuration.md")]
#[cfg(doctest)]
pub struct ConfigurationExamples;

/// The documents chapter's examples.
#[doc = include_str!("../../../docs/documents.md")]
#[cfg(doctest)]
pub struct DocumentsExamples;

/// The other chapters: a sample marked `rust` in any of them is compiled.
#[doc = include_str!("../../../docs/adding-an-endpoint.md")]
#[doc = include_str!("../../../docs/reviewing.md")]
#[doc = include_str!("../../../docs/conformance.md")]
#[cfg(doctest)]
pub struct OtherChapterExamples;
