//! A small axum application that publishes its own OpenAPI document with
//! utoipa, written the way axum and utoipa users write them: the wire
//! tests generate a client from the document it serves
//! (`tests/fixtures/axum.json`) and call it.
//!
//! Prints the port it listens on (127.0.0.1, chosen by the system), then
//! serves until its stdin closes; with `--document`, prints the document.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::{Arc, Mutex};

use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures::{Stream, StreamExt};
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

const API_KEY: &str = "axum-api-key";
const TOKEN: &str = "axum-bearer-token";

/// A pet; the server assigns its `id`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
struct Pet {
    #[schema(read_only)]
    id: u64,
    name: String,
    tag: Option<String>,
}

/// Why a request was refused.
#[derive(Debug, Serialize, ToSchema)]
struct Problem {
    message: String,
}

/// The credentials a request carried.
#[derive(Debug, Serialize, ToSchema)]
struct Received {
    authorization: bool,
    api_key: bool,
}

type Pets = Arc<Mutex<BTreeMap<u64, Pet>>>;
type Refusal = (StatusCode, Json<Problem>);

fn refuse(status: StatusCode, message: &str) -> Refusal {
    (
        status,
        Json(Problem {
            message: message.to_owned(),
        }),
    )
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// Public: says which credentials it received.
#[utoipa::path(get, path = "/health", operation_id = "health", responses((status = 200, body = Received)))]
async fn health(headers: HeaderMap) -> Json<Received> {
    Json(Received {
        authorization: headers.contains_key("authorization"),
        api_key: headers.contains_key("x-api-key"),
    })
}

/// Adds a pet. A body that carries the server's `id` is refused.
#[utoipa::path(
    post,
    path = "/pets",
    operation_id = "createPet",
    request_body = Pet,
    responses(
        (status = 201, description = "Created", body = Pet),
        (status = 400, description = "Refused", body = Problem),
        (status = 401, description = "No key", body = Problem),
    ),
    security(("api_key" = []))
)]
async fn create_pet(
    State(pets): State<Pets>,
    headers: HeaderMap,
    Json(body): Json<serde_json::Value>,
) -> Result<(StatusCode, Json<Pet>), Refusal> {
    if header(&headers, "x-api-key") != Some(API_KEY) {
        return Err(refuse(StatusCode::UNAUTHORIZED, "wrong or missing API key"));
    }
    if body.get("id").is_some() {
        return Err(refuse(StatusCode::BAD_REQUEST, "id is read-only"));
    }
    let name = body["name"]
        .as_str()
        .ok_or_else(|| refuse(StatusCode::BAD_REQUEST, "name is required"))?;
    let tag = body["tag"].as_str().map(str::to_owned);
    let mut pets = pets.lock().expect("not poisoned");
    let id = pets.len() as u64 + 1;
    let pet = Pet {
        id,
        name: name.to_owned(),
        tag,
    };
    pets.insert(id, pet.clone());
    Ok((StatusCode::CREATED, Json(pet)))
}

/// One pet.
#[utoipa::path(
    get,
    path = "/pets/{id}",
    operation_id = "getPet",
    params(("id" = u64, Path, description = "The pet's id")),
    responses(
        (status = 200, description = "The pet", body = Pet),
        (status = 401, description = "No token", body = Problem),
        (status = 404, description = "No such pet", body = Problem),
    ),
    security(("bearer" = []))
)]
async fn get_pet(
    State(pets): State<Pets>,
    headers: HeaderMap,
    Path(id): Path<u64>,
) -> Result<Json<Pet>, Refusal> {
    if header(&headers, "authorization") != Some(&format!("Bearer {TOKEN}")) {
        return Err(refuse(StatusCode::UNAUTHORIZED, "wrong or missing token"));
    }
    let pets = pets.lock().expect("not poisoned");
    pets.get(&id)
        .cloned()
        .map(Json)
        .ok_or_else(|| refuse(StatusCode::NOT_FOUND, &format!("no pet {id}")))
}

/// Every pet, as server-sent events (`event: pet`, the id as the event
/// id), with keep-alive comments between them, as axum writes them.
#[utoipa::path(
    get,
    path = "/pets/events",
    operation_id = "petEvents",
    responses((status = 200, description = "One event per pet", body = Pet, content_type = "text/event-stream"))
)]
async fn pet_events(
    State(pets): State<Pets>,
) -> Sse<impl Stream<Item = Result<SseEvent, std::convert::Infallible>>> {
    let pets: Vec<Pet> = pets
        .lock()
        .expect("not poisoned")
        .values()
        .cloned()
        .collect();
    let events = futures::stream::iter(pets).then(|pet| async move {
        // Slow enough that keep-alive comments come between events.
        tokio::time::sleep(Duration::from_millis(30)).await;
        Ok(SseEvent::default()
            .event("pet")
            .id(pet.id.to_string())
            .json_data(&pet)
            .expect("a pet serializes"))
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_millis(10)))
}

/// Every pet, one JSON document per line.
#[utoipa::path(
    get,
    path = "/pets/export",
    operation_id = "exportPets",
    responses((status = 200, description = "One pet per line", body = Pet, content_type = "application/x-ndjson"))
)]
async fn export_pets(State(pets): State<Pets>) -> impl IntoResponse {
    let pets: Vec<Pet> = pets
        .lock()
        .expect("not poisoned")
        .values()
        .cloned()
        .collect();
    let lines = futures::stream::iter(pets).map(|pet| {
        let mut line = serde_json::to_vec(&pet).expect("a pet serializes");
        line.push(b'\n');
        Ok::<_, std::convert::Infallible>(line)
    });
    (
        [(axum::http::header::CONTENT_TYPE, "application/x-ndjson")],
        axum::body::Body::from_stream(lines),
    )
}

struct Schemes;

impl Modify for Schemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-API-Key"))),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Axum Pets",
        version = "1.0.0",
        description = "Pets, served by axum; the document is the one utoipa writes from the handlers."
    ),
    modifiers(&Schemes)
)]
struct ApiDoc;

fn app() -> (axum::Router, utoipa::openapi::OpenApi) {
    let pets: Pets = Arc::default();
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health))
        .routes(routes!(create_pet))
        .routes(routes!(get_pet))
        .routes(routes!(pet_events))
        .routes(routes!(export_pets))
        .with_state(pets)
        .split_for_parts()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (router, document) = app();
    let text = document.to_pretty_json().expect("the document serializes");
    if std::env::args().nth(1).as_deref() == Some("--document") {
        println!("{text}");
        return;
    }
    let router = router.route(
        "/openapi.json",
        axum::routing::get(move || async move {
            (
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                text,
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    println!("{}", listener.local_addr().expect("bound").port());
    // The test holds stdin: the server ends with it.
    std::thread::spawn(|| {
        let _ = std::io::stdin().read_to_end(&mut Vec::new());
        std::process::exit(0);
    });
    axum::serve(listener, router).await.expect("serves");
}
