//! One call of `updateGroupAiModelApiKey` (PATCH, two path ids, a JSON
//! body, a JSON answer decoded into the response type) by four clients on
//! one loopback wiremock server in the same process: ours, a hand-written
//! reqwest call, progenitor 0.15.1's client and openapi-to-rust 0.23's.
//! Every client sends the same User-Agent and has the same timeouts.
//!
//! `peer-calls` alone: wall time of sequential and concurrent calls, in
//! rounds that rotate which client goes first. `peer-calls --only NAME
//! --calls N`: 500 warm-up calls and then N calls of one client only, on a
//! current-thread runtime, for an instruction count under callgrind (the
//! difference between two values of N). Prints Markdown table rows.

use std::time::{Duration, Instant};

use serde_json::json;
use tokio::task::JoinSet;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// openapi-to-rust's client, as it generates it into a folder.
#[path = "../../../target/bench/openapi-to-rust-fragment/mod.rs"]
#[allow(clippy::all, dead_code, unused)]
mod openapi_to_rust;

const PREVIEW: &str = "application/vnd.atlas.preview+json";
const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const KEY: &str = "key-1";
const SEQUENTIAL: usize = 10_000;
const CONCURRENT: usize = 1_000;
const ROUNDS: usize = 10;
/// Every client sends it, so that the requests are the same.
const USER_AGENT: &str = "overhead-bench/1";
const TIMEOUT: Duration = atlas_admin::DEFAULT_TIMEOUT;
const CONNECT_TIMEOUT: Duration = atlas_admin::DEFAULT_CONNECT_TIMEOUT;

/// The four clients, each configured once.
#[derive(Clone)]
struct Clients {
    ours: atlas_admin::Client,
    http: reqwest::Client,
    base: String,
    progenitor: progenitor_fragment::Client,
    openapi_to_rust: openapi_to_rust::HttpClient,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Which {
    Ours,
    HandWritten,
    Progenitor,
    OpenapiToRust,
}

const ALL: [Which; 4] = [
    Which::Ours,
    Which::HandWritten,
    Which::Progenitor,
    Which::OpenapiToRust,
];

impl Which {
    fn name(self) -> &'static str {
        match self {
            Which::Ours => "ours",
            Which::HandWritten => "hand-written",
            Which::Progenitor => "progenitor",
            Which::OpenapiToRust => "openapi-to-rust",
        }
    }
}

impl Clients {
    async fn call(&self, which: Which) {
        match which {
            Which::Ours => self.ours().await,
            Which::HandWritten => self.hand_written().await,
            Which::Progenitor => self.progenitor().await,
            Which::OpenapiToRust => self.openapi_to_rust().await,
        }
    }

    async fn ours(&self) {
        let key = self
            .ours
            .update_group_ai_model_api_key()
            .group_id(GROUP)
            .api_key_id(KEY)
            .body(atlas_admin::types::AiModelApiKeyUpdateRequest::new(
                "n".to_owned(),
            ))
            .send()
            .await
            .expect("a 200");
        assert!(key.name.is_some());
    }

    /// What a careful hand-written call does: the URL from the ids, the
    /// same headers and typed body, the status checked, the same type
    /// decoded.
    async fn hand_written(&self) {
        let response = self
            .http
            .patch(format!(
                "{}/api/atlas/v2/groups/{GROUP}/aiModelApiKeys/{KEY}",
                self.base
            ))
            .header("accept", PREVIEW)
            .header("content-type", PREVIEW)
            .body(
                serde_json::to_vec(&atlas_admin::types::AiModelApiKeyUpdateRequest::new(
                    "n".to_owned(),
                ))
                .expect("JSON"),
            )
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 200);
        let body = response.bytes().await.expect("body");
        let key: atlas_admin::types::AiModelApiKeyResponse =
            serde_json::from_slice(&body).expect("decodes");
        assert!(key.name.is_some());
    }

    async fn progenitor(&self) {
        let key = self
            .progenitor
            .update_group_ai_model_api_key()
            .group_id(GROUP)
            .api_key_id(KEY)
            .body(progenitor_fragment::types::AiModelApiKeyUpdateRequest {
                name: "n".try_into().expect("a name"),
            })
            .send()
            .await
            .expect("a 200");
        assert!(key.name.is_some());
    }

    async fn openapi_to_rust(&self) {
        let key = self
            .openapi_to_rust
            .update_group_ai_model_api_key(
                GROUP,
                KEY,
                None,
                None,
                openapi_to_rust::AiModelApiKeyUpdateRequest {
                    name: "n".to_owned(),
                },
            )
            .await
            .expect("a 200");
        assert!(key.name.is_some());
    }
}

fn median(mut rounds: Vec<Duration>) -> Duration {
    rounds.sort();
    rounds[rounds.len() / 2]
}

fn per_call(total: Duration, calls: usize) -> f64 {
    total.as_secs_f64() * 1e6 / calls as f64
}

fn main() {
    // Counting runs on one thread, so that scheduling cannot move the
    // count between runs (with two worker threads it moved by ±1k
    // instructions a call). Wall time runs on the usual runtime.
    let args: Vec<String> = std::env::args().collect();
    let only = args
        .iter()
        .position(|arg| arg == "--only")
        .map(|i| args.get(i + 1).map(String::as_str).unwrap_or_default())
        .map(|name| {
            ALL.into_iter()
                .find(|which| which.name() == name)
                .unwrap_or_else(|| panic!("--only takes one of {:?}", ALL.map(Which::name)))
        });
    let calls: usize = args
        .iter()
        .position(|arg| arg == "--calls")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let runtime = if only.is_some() {
        tokio::runtime::Builder::new_current_thread()
    } else {
        tokio::runtime::Builder::new_multi_thread()
    }
    .enable_all()
    .build()
    .expect("a runtime");
    runtime.block_on(run(only, calls));
}

async fn run(only: Option<Which>, calls: usize) {
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            json!({"name": "n", "status": "ACTIVE"}).to_string(),
            PREVIEW,
        ))
        .mount(&server)
        .await;
    // The settings our client uses by default, given to every other, so
    // that only the calls differ.
    let http = || {
        reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .build()
            .expect("reqwest client")
    };
    let clients = Clients {
        ours: atlas_admin::Client::builder()
            .base_url(server.uri())
            .user_agent(USER_AGENT)
            .retry(atlas_admin::RetryPolicy::disabled())
            .build()
            .expect("client"),
        http: http(),
        base: server.uri(),
        progenitor: progenitor_fragment::Client::new_with_client(&server.uri(), http()),
        openapi_to_rust: openapi_to_rust::HttpClient::with_client(http())
            .with_base_url(server.uri()),
    };

    // The other clients never run, so that their allocations do not
    // change the count.
    if let Some(which) = only {
        for _ in 0..500 + calls {
            clients.call(which).await;
        }
        return;
    }

    for _ in 0..500 {
        for which in ALL {
            clients.call(which).await;
        }
    }
    let mut sequential = vec![Vec::new(); ALL.len()];
    let mut concurrent = vec![Vec::new(); ALL.len()];
    for round in 0..ROUNDS {
        for offset in 0..ALL.len() {
            let index = (round + offset) % ALL.len();
            let which = ALL[index];
            let start = Instant::now();
            for _ in 0..SEQUENTIAL / ROUNDS {
                clients.call(which).await;
            }
            sequential[index].push(start.elapsed());
        }
        for offset in 0..ALL.len() {
            let index = (round + offset) % ALL.len();
            let which = ALL[index];
            let start = Instant::now();
            let mut tasks = JoinSet::new();
            for _ in 0..CONCURRENT {
                let clients = clients.clone();
                tasks.spawn(async move { clients.call(which).await });
            }
            tasks.join_all().await;
            concurrent[index].push(start.elapsed());
        }
    }
    println!(
        "| workload | ours | hand-written reqwest | progenitor 0.15.1 | openapi-to-rust 0.23 |"
    );
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (label, times, calls) in [
        (
            format!("{SEQUENTIAL} sequential calls ({ROUNDS} rounds), µs/call"),
            sequential,
            SEQUENTIAL / ROUNDS,
        ),
        (
            format!("{CONCURRENT} concurrent calls (×{ROUNDS} rounds), µs/call"),
            concurrent,
            CONCURRENT,
        ),
    ] {
        let cells: Vec<String> = times
            .into_iter()
            .map(|rounds| format!("{:.1}", per_call(median(rounds), calls)))
            .collect();
        println!("| {label} | {} |", cells.join(" | "));
    }
}
