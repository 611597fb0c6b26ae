//! A caller names every type a generated signature mentions and matches
//! every variant of the operations' response and error enums, as a crate
//! of its own (this one) would: the snapshot crate generated from
//! `tests/fixtures/responses.yaml` against a loopback server.

use snapshot_responses::operations::{
    GetJob, GetJobError, GetJobOwnerError, GetJobResult, GetJobResultResponse,
};
use snapshot_responses::types::{NotFound, Problem};
use snapshot_responses::{Client, Error, ResponseValue};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answering(at: &str, answer: ResponseTemplate) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(answer)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .build()
        .expect("builds");
    (server, client)
}

/// What a caller writes: the error body matched by status, no wildcard.
fn describe_job_error(error: &GetJobError) -> String {
    match error {
        GetJobError::Status404(NotFound { missing, .. }) => format!("missing {missing}"),
        GetJobError::Status409 => "busy".to_owned(),
        GetJobError::Status5XX(Problem { title, .. }) => format!("trouble: {title:?}"),
    }
}

#[tokio::test]
async fn an_error_enum_is_named_and_matched_by_its_callers() {
    let (_server, client) = answering(
        "/jobs/j1",
        ResponseTemplate::new(404).set_body_raw(r#"{"missing": "j1"}"#, "application/json"),
    )
    .await;
    let builder: GetJob<'_> = client.get_job().job_id("j1");
    let error: Error<GetJobError> = builder.send().await.expect_err("404");
    let Error::ErrorResponse(response) = error else {
        panic!("a declared error status: {error:?}");
    };
    let response: ResponseValue<GetJobError> = *response;
    assert_eq!(response.status().as_u16(), 404);
    assert_eq!(describe_job_error(response.body()), "missing j1");
}

#[tokio::test]
async fn a_default_error_and_several_success_bodies_are_named_too() {
    let (_server, client) = answering(
        "/jobs/j1/owner",
        ResponseTemplate::new(418).set_body_raw(
            r#"{"title": "teapot", "status": 418}"#,
            "application/problem+json",
        ),
    )
    .await;
    match client.get_job_owner().job_id("j1").send().await {
        Err(Error::ErrorResponse(response)) => match response.body() {
            GetJobOwnerError::Status404 => panic!("not a 404"),
            GetJobOwnerError::Other(problem) => {
                assert_eq!(problem.title.as_deref(), Some("teapot"))
            }
        },
        other => panic!("expected the default error: {other:?}"),
    }
    let (_server, client) = answering("/jobs/j1/result", ResponseTemplate::new(204)).await;
    let builder: GetJobResult<'_> = client.get_job_result().job_id("j1");
    let answer = builder.send().await.expect("204");
    match answer.into_inner() {
        GetJobResultResponse::Status200(job) => panic!("not a job: {job:?}"),
        GetJobResultResponse::Status203(problem) => panic!("not a problem: {problem:?}"),
        GetJobResultResponse::Status204 => {}
    }
}
