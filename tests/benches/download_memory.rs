//! Peak memory of one 200 MiB gzip download (`downloadClusterLog`) from a
//! loopback server in the same process, read as a stream and collected
//! whole. Each way runs in a process of its own (this binary, started again
//! with `--only WAY`), so that one peak does not hide the other. Prints
//! Markdown table rows; `cargo xtask bench` collects them.

use atlas_admin::futures::StreamExt;
use atlas_admin::{Client, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SIZE: usize = 200 * 1024 * 1024;
const CHUNK: usize = 64 * 1024;
const GZIP: &str = "application/vnd.atlas.2023-02-01+gzip";

/// Serves every connection the same `SIZE` bytes, chunked, from one buffer.
async fn server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        let chunk = {
            let mut framed = format!("{CHUNK:x}\r\n").into_bytes();
            framed.extend(std::iter::repeat_n(0x1f, CHUNK));
            framed.extend_from_slice(b"\r\n");
            framed
        };
        while let Ok((mut socket, _)) = listener.accept().await {
            let chunk = chunk.clone();
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: {GZIP}\r\ntransfer-encoding: chunked\r\n\r\n"
                );
                let _ = socket.write_all(head.as_bytes()).await;
                for _ in 0..SIZE / CHUNK {
                    if socket.write_all(&chunk).await.is_err() {
                        return;
                    }
                }
                let _ = socket.write_all(b"0\r\n\r\n").await;
            });
        }
    });
    url
}

/// The process's peak resident memory, in MiB (Linux).
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| {
            value
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

async fn run(way: &str) -> usize {
    let url = server().await;
    let client = Client::builder()
        .base_url(url)
        .retry(RetryPolicy::disabled())
        .max_response_body(SIZE + 1)
        .build()
        .expect("client");
    let body = client
        .download_cluster_log()
        .group_id("32b6e34b3d91647abb20e7b8")
        .host_name("cluster0-shard-00-00.abcde.mongodb.net")
        .log_name("mongodb")
        .send()
        .await
        .expect("headers")
        .into_inner();
    match way {
        "stream" => {
            let mut body = body;
            let mut total = 0;
            while let Some(chunk) = body.next().await {
                total += chunk.expect("chunk").len();
            }
            total
        }
        _ => body.collect().await.expect("whole body").len(),
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|arg| arg == "--only") {
        let way = args.get(at + 1).expect("a way").clone();
        let read = run(&way).await;
        assert_eq!(read, SIZE);
        println!("{:.0}", peak_mib());
        return;
    }
    let me = std::env::current_exe().expect("own path");
    let peak = |way: &str| -> String {
        let output = std::process::Command::new(&me)
            .args(["--only", way])
            .output()
            .expect("runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    };
    println!("| read as | peak resident memory (MiB) |\n| --- | ---: |");
    println!("| `ByteStream`, chunk by chunk | {} |", peak("stream"));
    println!("| `ByteStream::collect()`, whole | {} |", peak("collect"));
}
