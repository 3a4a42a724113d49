//! Each scripted fault, the request log, and the servers' lifetime.

mod common;

use std::time::{Duration, Instant};

use common::*;
use reqwest::Method;
use serde_json::json;
use webflow_fake::{FakeWebflow, Fault, FaultBody, Hold, Side, Target};

#[tokio::test]
async fn a_scripted_json_error_answers_the_next_calls_then_stops() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    fake.faults().inject(
        Target::ListAssetFolders,
        Fault::webflow_error(500, "internal_error", "boom"),
        2,
    );
    let path = format!("/sites/{}/asset_folders", fake.site_id());
    for _ in 0..2 {
        let (status, _, body) = call(&fake, Method::GET, &path, None).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (500, Some("internal_error"))
        );
    }
    assert_eq!(call(&fake, Method::GET, &path, None).await.0, 200);
    // Other endpoints were never affected.
    assert_eq!(fake.faults().pending(Target::ListAssetFolders), 0);
}

#[tokio::test]
async fn a_scripted_html_gateway_error() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    fake.faults()
        .inject(Target::CreateAsset, Fault::html(502), 1);
    let response = reqwest::Client::new()
        .post(format!(
            "{}/sites/{}/assets",
            fake.base_url(),
            fake.site_id()
        ))
        .bearer_auth(fake.token())
        .json(&json!({"fileName": "a.png", "fileHash": md5_hex(b"a")}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 502);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(response.text().await.unwrap().contains("<h1>502</h1>"));
    assert!(
        fake.state().assets().is_empty(),
        "the call never reached Webflow"
    );
    fake.faults()
        .inject(Target::GetAsset, Fault::Status(503, FaultBody::Empty), 1);
    let (status, _, _) = call(&fake, Method::GET, "/assets/6500aa00bb11cc22dd33ee01", None).await;
    assert_eq!(status, 503);
}

#[tokio::test]
async fn a_scripted_delay_then_normal_handling() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    fake.faults().inject(
        Target::ListAssets,
        Fault::Delay(Duration::from_millis(300)),
        1,
    );
    let started = Instant::now();
    let (status, _, _) = call(
        &fake,
        Method::GET,
        &format!("/sites/{}/assets", fake.site_id()),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_held_call_is_answered_only_once_released() {
    let fake = std::sync::Arc::new(FakeWebflow::builder().start().await.unwrap());
    let hold = Hold::new();
    fake.faults()
        .inject(Target::ListAssets, Fault::Hold(hold.clone()), 1);
    let path = format!("/sites/{}/assets", fake.site_id());
    let answered = tokio::spawn({
        let fake = std::sync::Arc::clone(&fake);
        async move { call(&fake, Method::GET, &path, None).await.0 }
    });
    // A bound on the wait only, so a broken hold fails instead of hanging.
    let patience = Duration::from_secs(60);
    tokio::time::timeout(patience, hold.reached())
        .await
        .expect("the call reached the hold");
    assert_eq!(hold.calls(), 1);
    // Held: read whole, taken from the queue, and not answered (an answer is logged).
    assert_eq!(fake.faults().pending(Target::ListAssets), 0);
    assert!(fake.requests().is_empty());
    assert!(!answered.is_finished());
    hold.release();
    let status = tokio::time::timeout(patience, answered)
        .await
        .expect("answered once released")
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(fake.requests()[0].status, Some(200));
}

#[tokio::test]
async fn a_dropped_connection_gets_no_answer() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    fake.faults()
        .inject(Target::GetAssetFolder, Fault::DropConnection, 1);
    let err = reqwest::Client::new()
        .get(format!(
            "{}/asset_folders/6500aa00bb11cc22dd33ee01",
            fake.base_url()
        ))
        .bearer_auth(fake.token())
        .send()
        .await
        .unwrap_err();
    assert!(err.is_request() || err.is_connect(), "{err:?}");
    let logged = fake.requests();
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].status, None);
}

#[tokio::test]
async fn s3_slow_down_and_internal_error_then_success() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let created = create(&fake, "logo.png", b"png", None).await;
    let details = created["uploadDetails"].as_object().unwrap();
    let url = created["uploadUrl"].as_str().unwrap();
    fake.faults().inject(Target::S3Upload, Fault::SlowDown, 1);
    fake.faults()
        .inject(Target::S3Upload, Fault::InternalError, 1);
    let (status, xml) = post_form(url, form(details, "logo.png", b"png")).await;
    assert_eq!(status, 503);
    assert!(xml.contains("<Code>SlowDown</Code>"), "{xml}");
    let (status, xml) = post_form(url, form(details, "logo.png", b"png")).await;
    assert_eq!(status, 500);
    assert!(xml.contains("<Code>InternalError</Code>"), "{xml}");
    assert!(fake.state().uploaded_assets().is_empty());
    let (status, _) = post_form(url, form(details, "logo.png", b"png")).await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn a_policy_issued_already_expired() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    fake.faults()
        .inject(Target::CreateAsset, Fault::ExpiredPolicy, 1);
    let stale = create(&fake, "logo.png", b"png", None).await;
    let (status, xml) = post_form(
        stale["uploadUrl"].as_str().unwrap(),
        form(
            stale["uploadDetails"].as_object().unwrap(),
            "logo.png",
            b"png",
        ),
    )
    .await;
    assert_eq!(status, 403);
    assert!(xml.contains("AccessDenied"), "{xml}");
    // The next policy is fresh again.
    let fresh = create(&fake, "logo.png", b"png", None).await;
    let (status, _) = post_form(
        fresh["uploadUrl"].as_str().unwrap(),
        form(
            fresh["uploadDetails"].as_object().unwrap(),
            "logo.png",
            b"png",
        ),
    )
    .await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn everything_received_is_logged_on_its_side() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let created = upload(&fake, "logo.png", b"some png bytes", None).await;
    reqwest::get(created["hostedUrl"].as_str().unwrap())
        .await
        .unwrap();
    let log = fake.requests();
    let sides: Vec<Side> = log.iter().map(|r| r.side).collect();
    assert_eq!(sides, [Side::Webflow, Side::S3, Side::Hosted]);
    let (create, s3) = (&log[0], &log[1]);
    assert_eq!((create.method.as_str(), create.status), ("POST", Some(200)));
    assert_eq!(create.path, format!("/v2/sites/{}/assets", fake.site_id()));
    assert_eq!(
        create.header("authorization"),
        Some(format!("Bearer {}", fake.token()).as_str())
    );
    assert!(create.body_size > 0);
    assert_eq!((s3.method.as_str(), s3.status), ("POST", Some(201)));
    assert!(
        s3.header("content-type")
            .unwrap()
            .starts_with("multipart/form-data")
    );
    assert!(s3.body_size > b"some png bytes".len());
    assert!(s3.header("authorization").is_none() && !s3.mentions(fake.token()));
    fake.log().clear();
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn servers_listen_on_loopback_only_and_stop_when_dropped() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let base = fake.base_url();
    let s3 = fake.s3_url();
    assert!(base.starts_with("http://127.0.0.1:") && s3.starts_with("http://127.0.0.1:"));
    let created = upload(&fake, "logo.png", b"png", None).await;
    let storage_file = {
        // The object lives in the fake's temporary directory until the fake is dropped.
        let hosted = reqwest::get(created["hostedUrl"].as_str().unwrap())
            .await
            .unwrap();
        assert_eq!(hosted.status(), 200);
        created["hostedUrl"].as_str().unwrap().to_string()
    };
    let storage = fake.storage_dir().to_path_buf();
    assert!(storage.exists());
    drop(fake);
    assert!(!storage.exists(), "stored files are removed");
    // Dropping aborts the servers' tasks, which close their sockets on the runtime's next
    // turn: each address is asked until it refuses, for at most 20 s.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    for url in [format!("{base}/sites/x/assets"), s3, storage_file] {
        loop {
            match reqwest::get(&url).await {
                Err(err) if err.is_connect() => break,
                answer => assert!(
                    tokio::time::Instant::now() < deadline,
                    "{url} still answers: {answer:?}"
                ),
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// The fake's binary, started with `args`, its banner read; killed however the test ends.
struct Binary {
    child: std::process::Child,
    banner: Vec<String>,
    // Held open so that nothing the binary prints meets a closed pipe.
    _output: std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
}

impl Binary {
    fn start(args: &[&str]) -> Self {
        use std::io::{BufRead, BufReader};
        use std::process::{Command, Stdio};
        let mut child = Command::new(env!("CARGO_BIN_EXE_webflow-fake"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut output = BufReader::new(child.stdout.take().unwrap()).lines();
        let banner = output.by_ref().take(5).map(Result::unwrap).collect();
        Binary {
            child,
            banner,
            _output: output,
        }
    }

    /// The value of the banner line starting with `label`.
    fn value(&self, label: &str) -> String {
        let line = self.banner.iter().find(|l| l.starts_with(label));
        let line = line.unwrap_or_else(|| panic!("no {label} in {:?}", self.banner));
        line[label.len()..].trim().to_string()
    }

    /// Waits up to ten seconds for the binary to stop by itself.
    fn stops_by_itself(&mut self, why: &str) -> std::process::ExitStatus {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the fake kept running after {why}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_binary_prints_what_a_client_needs_and_serves_it() {
    let fake = Binary::start(&["--rate-limit", "5", "--token", "cli-token"]);
    let (base, token, site) = (
        fake.value("base url:"),
        fake.value("token:"),
        fake.value("site id:"),
    );
    assert_eq!(token, "cli-token");
    let response = reqwest::blocking::Client::new()
        .get(format!("{base}/sites/{site}/asset_folders"))
        .bearer_auth(&token)
        .send()
        .unwrap();
    drop(fake);
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-ratelimit-limit"], "5");
}

#[test]
fn with_exit_on_eof_the_binary_stops_when_its_parent_lets_go_or_on_ctrl_c() {
    let mut fake = Binary::start(&["--exit-on-eof"]);
    assert!(fake.value("base url:").starts_with("http://127.0.0.1:"));
    drop(fake.child.stdin.take());
    let status = fake.stops_by_itself("its standard input closed");
    assert!(status.success(), "{status:?}");

    // Ctrl-C while standard input stays open: the reader of stdin must not hold it up. Sent
    // as SIGINT with `kill`, which Windows has not.
    #[cfg(unix)]
    {
        let mut fake = Binary::start(&["--exit-on-eof"]);
        let interrupted = std::process::Command::new("kill")
            .args(["-INT", &fake.child.id().to_string()])
            .status()
            .unwrap();
        assert!(interrupted.success());
        let status = fake.stops_by_itself("SIGINT");
        assert!(status.success(), "{status:?}");
    }
}
