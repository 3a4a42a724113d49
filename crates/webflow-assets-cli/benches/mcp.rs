//! `webflow-assets mcp` against the command itself: how long from spawn to the `initialize`
//! reply (against `--version` of the same binary), how many bytes the `tools/list` reply
//! takes, and `upload_files` of 200 small files over MCP against `upload` of the same files.
//! Prints figures and ratios; asserts no time. `BENCH_ROUNDS` sets the rounds (default 5).

use std::process::Stdio;
use std::time::{Duration, Instant};

use rmcp::model::{CallToolRequestParams, ClientRequest, ListToolsRequest, ServerResult};
use rmcp::serve_client;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use webflow_fake::{FakeHandle, FakeWebflow};

const BIN: &str = env!("CARGO_BIN_EXE_webflow-assets");
const FILES: usize = 200;

fn command(fake: &FakeHandle) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(BIN);
    command
        .env_clear()
        .env("WEBFLOW_TOKEN", fake.token())
        .env("WEBFLOW_SITE_ID", fake.site_id())
        .args(["--base-url", &fake.base_url(), "--rate-limit", "1000000"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    command
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Spawn to the `initialize` reply, read off the pipe by hand (no client in the way).
async fn initialize(fake: &FakeHandle) -> Duration {
    let started = Instant::now();
    let mut child = command(fake).arg("mcp").spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let request = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {},
        "clientInfo": {"name": "bench", "version": "1"}}});
    stdin
        .write_all(format!("{request}\n").as_bytes())
        .await
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let reply = lines.next_line().await.unwrap().expect("a reply");
    let took = started.elapsed();
    assert!(reply.contains("\"result\""), "{reply}");
    drop(stdin);
    child.wait().await.unwrap();
    took
}

/// Spawn to exit of `--version`.
async fn version(fake: &FakeHandle) -> Duration {
    let started = Instant::now();
    let status = command(fake)
        .arg("--version")
        .stdin(Stdio::null())
        .status()
        .await
        .unwrap();
    assert!(status.success());
    started.elapsed()
}

/// One `upload_files` call of `names`, into a folder of its own.
async fn upload_over_mcp(
    client: &rmcp::service::RunningService<rmcp::RoleClient, ()>,
    names: &[String],
    round: usize,
) -> Duration {
    let started = Instant::now();
    let params = CallToolRequestParams::new("upload_files").with_arguments(
        json!({"paths": names, "folder": format!("mcp{round}")})
            .as_object()
            .unwrap()
            .clone(),
    );
    let result = client.call_tool(params).await.unwrap();
    let took = started.elapsed();
    assert_ne!(result.is_error, Some(true), "{result:?}");
    took
}

/// One `webflow-assets upload` of `names`, into a folder of its own.
async fn upload_from_cli(
    fake: &FakeHandle,
    dir: &std::path::Path,
    names: &[String],
    round: usize,
) -> Duration {
    let started = Instant::now();
    let output = command(fake)
        .current_dir(dir)
        .args(["upload", "--folder", &format!("cli{round}")])
        .args(names)
        .stdin(Stdio::null())
        .output()
        .await
        .unwrap();
    let took = started.elapsed();
    assert!(output.status.success());
    took
}

#[tokio::main]
async fn main() {
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let fake = FakeWebflow::builder()
        .rate_limit(1_000_000, Duration::from_secs(60))
        .start()
        .await
        .unwrap();

    // 1. Start-up.
    let (mut init, mut ver) = (Vec::new(), Vec::new());
    for _ in 0..rounds * 4 {
        init.push(initialize(&fake).await);
        ver.push(version(&fake).await);
    }
    let (init, ver) = (median(init), median(ver));
    println!(
        "start-up (median of {}): initialize reply {:.1} ms, --version {:.1} ms, ratio {:.2}",
        rounds * 4,
        ms(init),
        ms(ver),
        init.as_secs_f64() / ver.as_secs_f64()
    );

    // 2. The listing, with a root so that every tool is listed.
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().to_str().unwrap().to_string();
    let mut child = command(&fake)
        .args(["mcp", "--root", &dir])
        .spawn()
        .unwrap();
    let transport = (child.stdout.take().unwrap(), child.stdin.take().unwrap());
    let client = serve_client((), transport).await.unwrap();
    let listed = client
        .send_request(ClientRequest::ListToolsRequest(ListToolsRequest::default()))
        .await
        .unwrap();
    let ServerResult::ListToolsResult(listed) = listed else {
        panic!("not a listing")
    };
    let reply = json!({"jsonrpc": "2.0", "id": 2, "result": listed}).to_string();
    println!(
        "tools/list: {} tools, {} bytes (goal: at most 16384)",
        listed.tools.len(),
        reply.len()
    );

    // 3. 200 small files, over MCP and from the command line, rounds alternating.
    let names: Vec<String> = (0..FILES).map(|i| format!("f{i:03}.png")).collect();
    for (i, name) in names.iter().enumerate() {
        std::fs::write(root.path().join(name), format!("PNG {i:05}").repeat(100)).unwrap();
    }
    let (mut over_mcp, mut from_cli) = (Vec::new(), Vec::new());
    for round in 0..rounds * 2 {
        // Each side goes first every other round: the fake's store grows as it goes.
        match round % 2 == 0 {
            true => {
                over_mcp.push(upload_over_mcp(&client, &names, round).await);
                from_cli.push(upload_from_cli(&fake, root.path(), &names, round).await);
            }
            false => {
                from_cli.push(upload_from_cli(&fake, root.path(), &names, round).await);
                over_mcp.push(upload_over_mcp(&client, &names, round).await);
            }
        }
    }
    let (mcp, cli) = (median(over_mcp), median(from_cli));
    println!(
        "{FILES} files (median of {}): upload_files over MCP {:.0} ms, upload {:.0} ms, \
         ratio {:.2} (goal: at most 1.10)",
        rounds * 2,
        ms(mcp),
        ms(cli),
        mcp.as_secs_f64() / cli.as_secs_f64()
    );
    client.cancel().await.unwrap();
    let _ = child.wait().await;
}
