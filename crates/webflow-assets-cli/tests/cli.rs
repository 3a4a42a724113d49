//! The command against the fake: its plain and JSON output (snapshots), and its exit codes.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use webflow_fake::{FakeHandle, FakeWebflow, Side};

const BIN: &str = env!("CARGO_BIN_EXE_webflow-assets");

fn command(fake: &FakeHandle, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .env_clear()
        .env("WEBFLOW_TOKEN", fake.token())
        .env("WEBFLOW_SITE_ID", fake.site_id())
        .args(["--base-url", &fake.base_url(), "--concurrency", "1"])
        .args(args)
        .stdin(Stdio::null());
    command
}

/// Runs the command off the runtime's threads, so the in-process fake keeps serving.
async fn run(fake: &FakeHandle, args: &[&str]) -> Output {
    let mut command = command(fake, args);
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

fn text(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr)
}

/// Ids, ports and temporary paths change from run to run; what they stand for does not.
macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        // An id is 24 hex digits between non-hex characters (an MD5 has 32 and stays);
        // twice, because neighbouring ids share the character between them.
        insta::with_settings!({filters => vec![
            (r"(^|[^0-9a-f])[0-9a-f]{24}([^0-9a-f]|$)", "$1[id]$2"),
            (r"(^|[^0-9a-f])[0-9a-f]{24}([^0-9a-f]|$)", "$1[id]$2"),
            (r"http://127\.0\.0\.1:\d+", "http://[fake]"),
            (r"/tmp/[^ \x22]*/", "[dir]/"),
        ]}, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

fn tree(root: &Path) {
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(root.join("a.txt"), "alpha\n").unwrap();
    std::fs::write(root.join("sub/b.csv"), "x,y\n1,2\n").unwrap();
    std::fs::write(root.join("tool.exe"), "MZ").unwrap();
    std::fs::write(root.join(".hidden"), "no").unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_plain_then_json_rerun() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path());
    let path = dir.path().to_str().unwrap();

    let first = run(&fake, &["sync", path, "--folder", "mirror"]).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    snapshot!("sync_plain", text(&first));

    let second = run(&fake, &["sync", path, "--folder", "mirror", "--json"]).await;
    assert_eq!(second.status.code(), Some(0));
    snapshot!("sync_rerun_json", text(&second));
    for line in String::from_utf8(second.stdout).unwrap().lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("every line is JSON");
    }

    let dry = run(&fake, &["sync", path, "--folder", "elsewhere", "--dry-run"]).await;
    snapshot!("sync_dry_run", text(&dry));
    assert_eq!(fake.state().uploaded_assets().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn upload_reports_failures_and_exits_non_zero() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path());
    let file = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let (a, exe, missing) = (file("a.txt"), file("tool.exe"), file("missing.png"));

    let plain = run(
        &fake,
        &["upload", &a, &exe, &missing, "--folder", "brand/2026"],
    )
    .await;
    assert_eq!(plain.status.code(), Some(1));
    snapshot!("upload_plain", text(&plain));

    let json = run(&fake, &["upload", &a, "--json"]).await;
    assert_eq!(json.status.code(), Some(0));
    snapshot!("upload_json", text(&json));
}

#[tokio::test(flavor = "multi_thread")]
async fn ls_folders_and_rm() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path());
    run(
        &fake,
        &["sync", dir.path().to_str().unwrap(), "--folder", "top"],
    )
    .await;

    let folders = run(&fake, &["folders"]).await;
    snapshot!("folders", text(&folders));
    let listed = run(&fake, &["ls", "--folder", "top/sub", "--json"]).await;
    snapshot!("ls_json", text(&listed));
    let id = fake.state().uploaded_assets()[0].id.clone();
    let removed = run(&fake, &["rm", &id, "6500aa00bb11cc22dd33ee01", "not-an-id"]).await;
    assert_eq!(removed.status.code(), Some(1));
    snapshot!("rm", text(&removed));
    assert_eq!(fake.state().uploaded_assets().len(), 1);
    let missing_folder = run(&fake, &["ls", "--folder", "nope"]).await;
    assert_eq!(missing_folder.status.code(), Some(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn configuration_and_usage_errors() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let no_token = {
        let mut command = command(&fake, &["folders"]);
        command.env_remove("WEBFLOW_TOKEN");
        tokio::task::spawn_blocking(move || command.output().unwrap())
            .await
            .unwrap()
    };
    assert_eq!(no_token.status.code(), Some(1));
    assert!(text(&no_token).contains("set WEBFLOW_TOKEN"));
    let usage = run(&fake, &["upload"]).await;
    assert_eq!(usage.status.code(), Some(2));
    let insecure = run(
        &fake,
        &["folders", "--base-url", "http://api.example.com/v2"],
    )
    .await;
    assert_eq!(insecure.status.code(), Some(1));
    assert!(
        text(&insecure).contains("plain http"),
        "{}",
        text(&insecure)
    );
    assert!(!text(&insecure).contains(fake.token()));
    assert!(fake.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_finishes_in_flight_files_saves_the_manifest_and_resumes() {
    // A tight budget keeps the run slow enough to interrupt.
    let fake = FakeWebflow::builder()
        .rate_limit(3, Duration::from_millis(500))
        .start()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    for i in 0..12 {
        std::fs::write(dir.path().join(format!("f{i:02}.txt")), format!("{i}")).unwrap();
    }
    let path = dir.path().to_str().unwrap().to_string();
    let mut child = command(&fake, &["sync", &path])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let stdout = child.stdout.take().unwrap();
    let interrupted = tokio::task::spawn_blocking(move || {
        use std::io::{BufRead, BufReader};
        let mut lines = BufReader::new(stdout).lines();
        let first = lines.next().unwrap().unwrap();
        Command::new("kill")
            .args(["-INT", &pid.to_string()])
            .status()
            .unwrap();
        let rest: Vec<String> = lines.map(Result::unwrap).collect();
        let status = child.wait().unwrap();
        (first, rest, status)
    })
    .await
    .unwrap();
    let (first, rest, status) = interrupted;
    assert!(first.starts_with("uploaded"), "{first}");
    assert_eq!(status.code(), Some(130));
    let summary = rest.last().unwrap();
    assert!(summary.ends_with("0 failed"), "{summary}");
    assert!(
        rest.iter()
            .any(|l| l.contains("cancelled before it started")),
        "{rest:?}"
    );
    assert!(dir.path().join(".webflow-assets-manifest.json").exists());

    let resumed = run(
        &fake,
        &["sync", &path, "--rate-limit", "3", "--rate-window", "0.5"],
    )
    .await;
    assert_eq!(resumed.status.code(), Some(0), "{}", text(&resumed));
    let uploads = fake
        .requests()
        .iter()
        .filter(|r| r.side == Side::S3 && r.status == Some(201))
        .count();
    assert_eq!(uploads, 12, "each file uploaded exactly once in all");
    assert_eq!(fake.state().uploaded_assets().len(), 12);
}
