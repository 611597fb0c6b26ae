//! Per-call overhead of the generated client against a hand-written reqwest
//! call of the same request, on the same loopback server: 10,000 sequential
//! calls and 1,000 concurrent ones, alternating rounds so that drift hits
//! both alike. Prints Markdown table rows; `cargo xtask bench` collects them.

use std::time::{Duration, Instant};

use atlas_admin::types::{AiModelApiKeyResponse, AiModelApiKeyUpdateRequest};
use atlas_admin::{Client, RetryPolicy};
use serde_json::json;
use tokio::task::JoinSet;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PREVIEW: &str = "application/vnd.atlas.preview+json";
const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const SEQUENTIAL: usize = 10_000;
const CONCURRENT: usize = 1_000;
const ROUNDS: usize = 10;
/// Both clients send it, so that the requests are the same.
const USER_AGENT: &str = "overhead-bench/1";

async fn generated(client: &Client) {
    let key = client
        .update_group_ai_model_api_key()
        .group_id(GROUP)
        .api_key_id("key-1")
        .body(AiModelApiKeyUpdateRequest::new("n".to_owned()))
        .send()
        .await
        .expect("a 200");
    assert!(key.name.is_some());
}

/// What a careful hand-written call does: the URL from the ids, the same
/// headers and typed body, the status checked, the same type decoded.
async fn hand_written(http: &reqwest::Client, base: &str) {
    let (group, key) = (GROUP, "key-1");
    let response = http
        .patch(format!(
            "{base}/api/atlas/v2/groups/{group}/aiModelApiKeys/{key}"
        ))
        .header("accept", PREVIEW)
        .header("content-type", PREVIEW)
        .body(serde_json::to_vec(&AiModelApiKeyUpdateRequest::new("n".to_owned())).expect("JSON"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let body = response.bytes().await.expect("body");
    let key: AiModelApiKeyResponse = serde_json::from_slice(&body).expect("decodes");
    assert!(key.name.is_some());
}

fn median(mut rounds: Vec<Duration>) -> Duration {
    rounds.sort();
    rounds[rounds.len() / 2]
}

fn per_call(total: Duration, calls: usize) -> f64 {
    total.as_secs_f64() * 1e6 / calls as f64
}

fn main() {
    // `--only` counts instructions: one thread, so that scheduling cannot
    // move the count between runs (with two worker threads it moved by
    // ±1k instructions a call). Wall time runs on the usual runtime.
    let counting = std::env::args().any(|arg| arg == "--only");
    let runtime = if counting {
        tokio::runtime::Builder::new_current_thread()
    } else {
        tokio::runtime::Builder::new_multi_thread()
    }
    .enable_all()
    .build()
    .expect("a runtime");
    runtime.block_on(run());
}

async fn run() {
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
    let client = Client::builder()
        .base_url(server.uri())
        .user_agent(USER_AGENT)
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client");
    // The same settings the generated client uses by default, so that only the calls differ.
    let http = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .timeout(atlas_admin::DEFAULT_TIMEOUT)
        .connect_timeout(atlas_admin::DEFAULT_CONNECT_TIMEOUT)
        .build()
        .expect("reqwest client");
    let url = server.uri();

    // `--only ours|theirs --calls N`: 500 warm-up calls and then N calls of
    // one client only, for an instruction count under callgrind (the
    // difference between two values of N), which wall time cannot match for
    // precision on a shared two-core machine. The other client never runs,
    // so that its allocations do not change the count.
    let args: Vec<String> = std::env::args().collect();
    if let Some(position) = args.iter().position(|arg| arg == "--only") {
        let ours = args.get(position + 1).map(String::as_str) == Some("ours");
        let calls: usize = args
            .iter()
            .position(|arg| arg == "--calls")
            .and_then(|i| args.get(i + 1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(1000);
        for _ in 0..500 + calls {
            if ours {
                generated(&client).await;
            } else {
                hand_written(&http, &url).await;
            }
        }
        return;
    }

    for _ in 0..500 {
        generated(&client).await;
        hand_written(&http, &url).await;
    }

    // Rounds alternate which client goes first; the report gives the median
    // per-call time of each, which a stray slow round cannot move.
    let mut sequential = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        for ours_first in [round % 2 == 0, round % 2 == 1] {
            let start = Instant::now();
            for _ in 0..SEQUENTIAL / ROUNDS {
                if ours_first {
                    generated(&client).await;
                } else {
                    hand_written(&http, &url).await;
                }
            }
            let elapsed = start.elapsed();
            if ours_first {
                sequential.0.push(elapsed)
            } else {
                sequential.1.push(elapsed)
            }
        }
    }
    let mut concurrent = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        for ours_first in [round % 2 == 0, round % 2 == 1] {
            let start = Instant::now();
            let mut calls = JoinSet::new();
            for _ in 0..CONCURRENT {
                if ours_first {
                    let client = client.clone();
                    calls.spawn(async move { generated(&client).await });
                } else {
                    let (http, url) = (http.clone(), url.clone());
                    calls.spawn(async move { hand_written(&http, &url).await });
                }
            }
            calls.join_all().await;
            let elapsed = start.elapsed();
            if ours_first {
                concurrent.0.push(elapsed)
            } else {
                concurrent.1.push(elapsed)
            }
        }
    }

    println!("| workload | generated client | hand-written reqwest | difference |");
    println!("| --- | ---: | ---: | ---: |");
    for (label, (ours, theirs), calls) in [
        (
            format!("{SEQUENTIAL} sequential calls ({ROUNDS} rounds)"),
            sequential,
            SEQUENTIAL / ROUNDS,
        ),
        (
            format!("{CONCURRENT} concurrent calls (×{ROUNDS} rounds)"),
            concurrent,
            CONCURRENT,
        ),
    ] {
        let (a, b) = (
            per_call(median(ours), calls),
            per_call(median(theirs), calls),
        );
        println!(
            "| {label} | {a:.1} µs/call | {b:.1} µs/call | {:+.1}% |",
            (a / b - 1.0) * 100.0
        );
    }
}
