//! The command against the fake: its plain and JSON output (snapshots), and its exit codes.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use webflow_fake::{FakeHandle, FakeWebflow, Side};

use crate::common;

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
    // Windows' sockets do not start in a process without SystemRoot.
    #[cfg(windows)]
    if let Some(root) = std::env::var_os("SystemRoot") {
        command.env("SystemRoot", root);
    }
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

/// A pattern for a test's temporary directory (`tempfile::tempdir()`, in the system's temporary
/// directory: `/tmp` on Linux, `/var/folders/...` on macOS, `C:\Users\...\Temp` on Windows)
/// followed by a separator, as plain text or inside JSON, where `\` is doubled.
fn temp_dir_pattern() -> String {
    let temp = std::env::temp_dir();
    let temp = temp.to_str().unwrap().trim_end_matches(['/', '\\']);
    let escaped: String = temp
        .chars()
        .map(|c| match c {
            '/' | '\\' => r"[/\\]+".to_string(),
            c if c.is_ascii_alphanumeric() => c.to_string(),
            c => format!("\\x{{{:x}}}", c as u32),
        })
        .collect();
    format!(r"{escaped}[/\\]+[^ \x22/\\]*[/\\]+")
}

/// Ids, ports, temporary paths and the wording of the system's errors change from run to run
/// or from one system to another; what they stand for does not.
macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        let temp_dir = temp_dir_pattern();
        // An id is 24 hex digits between non-hex characters (an MD5 has 32 and stays);
        // twice, because neighbouring ids share the character between them.
        insta::with_settings!({filters => vec![
            (r"(^|[^0-9a-f])[0-9a-f]{24}([^0-9a-f]|$)", "$1[id]$2"),
            (r"(^|[^0-9a-f])[0-9a-f]{24}([^0-9a-f]|$)", "$1[id]$2"),
            (r"http://127\.0\.0\.1:\d+", "http://[fake]"),
            (temp_dir.as_str(), "[dir]/"),
            (
                r"The system cannot find the file specified\. \(os error 2\)",
                "No such file or directory (os error 2)",
            ),
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

    // tool.exe is refused: the run completes, and says so with exit status 3.
    let first = run(&fake, &["sync", path, "--folder", "mirror"]).await;
    assert_eq!(first.status.code(), Some(3), "{}", text(&first));
    snapshot!("sync_plain", text(&first));

    let second = run(&fake, &["sync", path, "--folder", "mirror", "--json"]).await;
    assert_eq!(second.status.code(), Some(3));
    snapshot!("sync_rerun_json", text(&second));
    for line in String::from_utf8(second.stdout).unwrap().lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("every line is JSON");
    }

    // It exits as the run would: 3, for tool.exe. The plan says the folder is not the one
    // the directory was synced to.
    let dry = run(&fake, &["sync", path, "--folder", "elsewhere", "--dry-run"]).await;
    assert_eq!(dry.status.code(), Some(3));
    snapshot!("sync_dry_run", text(&dry));
    assert_eq!(fake.state().uploaded_assets().len(), 2);

    std::fs::remove_file(dir.path().join("tool.exe")).unwrap();
    let clean = run(&fake, &["sync", path, "--folder", "mirror"]).await;
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean));
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
    // A malformed id is a usage error: nothing is deleted.
    let refused = run(&fake, &["rm", &id, "not-an-id"]).await;
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused).contains("\"not-an-id\" is not a valid asset id"),
        "{}",
        text(&refused)
    );
    assert_eq!(fake.state().uploaded_assets().len(), 2);
    let removed = run(&fake, &["rm", &id, "6500aa00bb11cc22dd33ee01"]).await;
    assert_eq!(removed.status.code(), Some(1));
    snapshot!("rm", text(&removed));
    assert_eq!(fake.state().uploaded_assets().len(), 1);
    let missing_folder = run(&fake, &["ls", "--folder", "nope"]).await;
    assert_eq!(missing_folder.status.code(), Some(1));
}

/// A `--locale` that is no locale id is a usage error, as a bad asset id is, on every
/// command that takes one: refused when the arguments are parsed, before any request.
#[tokio::test(flavor = "multi_thread")]
async fn a_bad_locale_is_a_usage_error_before_any_request() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().to_str().unwrap();
    let csv = Path::new(dir).join("alt.csv");
    std::fs::write(&csv, "id,folder_path,name,alt_text\n").unwrap();
    let csv = csv.to_str().unwrap();
    let asset = "6500aa00bb11cc22dd33ee01";
    let site = fake.site_id().to_string();
    let commands: [&[&str]; 9] = [
        &["ls", "--locale", "fr"],
        &["info", asset, "--locale", "fr"],
        &["alt", asset, "Un chien", "--locale", "fr"],
        &["alt", asset, "Un chien", "--dry-run", "--locale", "fr"],
        &["alt", "export", "--locale", "fr"],
        &["alt", "import", csv, "--locale", "fr"],
        &["audit", "--locale", "fr"],
        &[
            "pull",
            dir,
            "--locale",
            "65f0aa00bb11cc22dd33ee99",
            "--locale",
            "fr",
        ],
        &["copy", "--to-site", &site, "--dry-run", "--locale", "fr"],
    ];
    for args in commands {
        let refused = run(&fake, args).await;
        assert_eq!(
            refused.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&refused)
        );
        assert!(
            text(&refused).contains("\"fr\" is not a valid locale id"),
            "{args:?}: {}",
            text(&refused)
        );
    }
    assert_eq!(fake.requests().len(), 0, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn configuration_and_usage_errors() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let no_token = {
        let mut command = command(&fake, &["folders"]);
        // Nor a stored login: the config directory is an empty one.
        let config = tempfile::tempdir().unwrap();
        command
            .env_remove("WEBFLOW_TOKEN")
            .env("WEBFLOW_ASSETS_CONFIG_DIR", config.path());
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

/// A sync of 12 files slowed by a tight budget, with `extra` arguments, sent one SIGINT once
/// it has printed its first line: the fake, the directory, every line it printed and how it
/// ended.
#[cfg(unix)]
async fn sync_interrupted_once(
    extra: &[&str],
) -> (
    FakeHandle,
    tempfile::TempDir,
    Vec<String>,
    std::process::ExitStatus,
) {
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
    let mut args = vec!["sync", &path, "--rate-limit", "3", "--rate-window", "0.5"];
    args.extend_from_slice(extra);
    let mut child = command(&fake, &args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let stdout = child.stdout.take().unwrap();
    let (lines, status) = tokio::task::spawn_blocking(move || {
        use std::io::{BufRead, BufReader};
        let mut lines = BufReader::new(stdout).lines();
        let mut read = vec![lines.next().unwrap().unwrap()];
        Command::new("kill")
            .args(["-INT", &pid.to_string()])
            .status()
            .unwrap();
        read.extend(lines.map(Result::unwrap));
        (read, child.wait().unwrap())
    })
    .await
    .unwrap();
    (fake, dir, lines, status)
}

// Sends SIGINT with `kill`; Windows has neither (the command handles Ctrl-C there through
// tokio's ctrl_c, which a test cannot send to another process).
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn with_json_an_interrupted_run_ends_in_one_interrupted_line() {
    let (_fake, _dir, lines, status) = sync_interrupted_once(&["--json"]).await;
    assert_eq!(status.code(), Some(130));
    let errors: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|l| l.get("error").is_some())
        .collect();
    assert_eq!(errors.len(), 1, "{lines:?}");
    assert_eq!(errors[0]["code"], "interrupted", "{lines:?}");
    let last: serde_json::Value = serde_json::from_str(lines.last().unwrap()).unwrap();
    assert_eq!(last, errors[0]);
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_finishes_in_flight_files_saves_the_manifest_and_resumes() {
    let (fake, dir, lines, status) = sync_interrupted_once(&[]).await;
    let path = dir.path().to_str().unwrap().to_string();
    let (first, rest) = (&lines[0], &lines[1..]);
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

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_or_missing_named_file_fails_the_upload() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path());
    let exe = dir.path().join("tool.exe");
    let refused = run(&fake, &["upload", exe.to_str().unwrap()]).await;
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    let out = text(&refused);
    assert!(
        out.contains("failed") && out.contains("Webflow does not take .exe files"),
        "{out}"
    );
    assert!(out.contains("0 uploaded, 0 skipped, 1 failed"), "{out}");
    let missing = dir.path().join("gone.png");
    let missing = run(&fake, &["upload", missing.to_str().unwrap(), "--json"]).await;
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing).contains("\"status\":\"failed\""));
    assert!(
        fake.requests().is_empty(),
        "nothing refused reaches Webflow"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_delete_prints_planned_and_performed_deletes() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    for name in ["a.txt", "b.txt", "c.txt"] {
        std::fs::write(dir.path().join(name), name).unwrap();
    }
    assert_eq!(run(&fake, &["sync", path]).await.status.code(), Some(0));
    std::fs::remove_file(dir.path().join("a.txt")).unwrap();
    std::fs::remove_file(dir.path().join("b.txt")).unwrap();

    let refused = run(&fake, &["sync", path, "--delete", "--max-delete", "1"]).await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused).contains("more than the 1 allowed"),
        "{}",
        text(&refused)
    );
    assert_eq!(fake.state().uploaded_assets().len(), 3);

    fake.log().clear();
    let dry = run(&fake, &["sync", path, "--delete", "--dry-run", "--json"]).await;
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry));
    let lines: Vec<serde_json::Value> = String::from_utf8(dry.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let planned: Vec<&str> = lines
        .iter()
        .filter(|l| l["status"] == "planned_delete")
        .map(|l| l["file"].as_str().unwrap())
        .collect();
    assert_eq!(planned, ["a.txt", "b.txt"]);
    let plan = &lines.last().unwrap()["plan"];
    assert_eq!(plan["requests"]["planning"], 2);
    assert_eq!(plan["requests"]["execution"], 2);
    assert!(fake.requests().iter().all(|r| r.method == "GET"));

    let real = run(&fake, &["sync", path, "--delete", "--json"]).await;
    assert_eq!(real.status.code(), Some(0), "{}", text(&real));
    let deleted = String::from_utf8(real.stdout)
        .unwrap()
        .lines()
        .filter(|l| l.contains("\"status\":\"deleted\"") && l.contains("no_local_file"))
        .count();
    assert_eq!(deleted, 2);
    assert_eq!(fake.state().uploaded_assets().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn alt_rename_info_and_ls_show_alt_text() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path());
    let a = dir.path().join("a.txt");
    let up = run(
        &fake,
        &["upload", a.to_str().unwrap(), "--alt", "Alpha text"],
    )
    .await;
    assert_eq!(up.status.code(), Some(0), "{}", text(&up));
    let id = fake.state().uploaded_assets()[0].id.clone();

    let alt = run(
        &fake,
        &[
            "alt",
            &id,
            "Texte alpha",
            "--locale",
            "65f0aa00bb11cc22dd33ee99",
        ],
    )
    .await;
    assert_eq!(alt.status.code(), Some(0), "{}", text(&alt));
    let renamed = run(&fake, &["rename", &id, "Alpha"]).await;
    assert!(
        text(&renamed).contains("display name  Alpha"),
        "{}",
        text(&renamed)
    );

    let info = run(&fake, &["info", &id, "--json"]).await;
    let info: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
    assert_eq!(info["displayName"], "Alpha");
    assert_eq!(info["altText"], "Alpha text");
    let french = run(
        &fake,
        &["info", &id, "--locale", "65f0aa00bb11cc22dd33ee99"],
    )
    .await;
    assert!(
        text(&french).contains("alt text      Texte alpha"),
        "{}",
        text(&french)
    );

    let listed = run(&fake, &["ls", "--json"]).await;
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed["alt_text"], "Alpha text");

    let bad = run(&fake, &["alt", "not-an-id", "x"]).await;
    assert_eq!(
        bad.status.code(),
        Some(2),
        "a malformed id is a usage error"
    );
    let two = run(
        &fake,
        &[
            "upload",
            a.to_str().unwrap(),
            a.to_str().unwrap(),
            "--alt",
            "x",
        ],
    )
    .await;
    assert_eq!(two.status.code(), Some(2), "a usage error: {}", text(&two));
}

#[tokio::test(flavor = "multi_thread")]
async fn upload_from_a_url_with_alt_text() {
    use std::io::{Read, Write};
    let fake = FakeWebflow::builder().start().await.unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    // One answer, then the thread ends: the server stops by itself.
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = [0u8; 4096];
        let n = stream.read(&mut request).unwrap();
        let request = String::from_utf8_lossy(&request[..n]).to_ascii_lowercase();
        let body = b"served text\n";
        write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .unwrap();
        stream.write_all(body).unwrap();
        request.contains("authorization")
    });
    let url = format!("http://{addr}/notes/served.txt");
    let refused = run(&fake, &["upload", &url]).await;
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(
        text(&refused).contains("127.0.0.1, a loopback address"),
        "{}",
        text(&refused)
    );
    let out = run(
        &fake,
        &[
            "upload",
            &url,
            "--alt",
            "Served",
            "--folder",
            "web",
            "--allow-private-urls",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!server.join().unwrap(), "the download carried no token");
    let asset = &fake.state().uploaded_assets()[0];
    assert_eq!(asset.file_name, "served.txt");
    assert_eq!(asset.alt_text.as_deref(), Some("Served"));
    assert!(asset.stored.as_ref().unwrap().md5_matches);
}

#[tokio::test(flavor = "multi_thread")]
async fn sigkill_at_any_point_then_rerun_leaves_one_asset_per_file() {
    let fake = FakeWebflow::builder()
        .rate_limit(6, Duration::from_millis(400))
        .start()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for i in 0..36 {
        let sub = format!("set-{}", i % 3);
        std::fs::create_dir_all(dir.path().join(&sub)).unwrap();
        let relative = format!("{sub}/f{i:02}.txt");
        std::fs::write(dir.path().join(&relative), format!("file {i}\n")).unwrap();
        files.push(relative);
    }
    let path = dir.path().to_str().unwrap().to_string();
    let args = [
        "sync",
        &path,
        "--folder",
        "kill",
        "--concurrency",
        "4",
        "--rate-limit",
        "6",
        "--rate-window",
        "0.4",
    ];
    // Each run is killed mid-run at an instant the fake sees, further on each time: an asset
    // just created (its bytes not yet sent), files whose bytes S3 just stored.
    let created = || fake.state().assets().len();
    let uploaded = || fake.state().uploaded_assets().len();
    let points: [(&str, &dyn Fn() -> usize, usize); 4] = [
        ("assets created", &created, 1),
        ("files uploaded", &uploaded, 3),
        ("assets created", &created, 6),
        ("files uploaded", &uploaded, 8),
    ];
    for (round, (what, count, more)) in points.into_iter().enumerate() {
        // Every other round without a manifest: a crashed runner that lost its disk.
        if round % 2 == 1 {
            let _ = std::fs::remove_file(dir.path().join(".webflow-assets-manifest.json"));
        }
        let start = count();
        let child = command(&fake, &args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let what = format!("{more} more {what} in round {round}");
        common::kill_when(child, &what, || count() >= start + more).await;
    }
    let finish = run(&fake, &args).await;
    assert_eq!(finish.status.code(), Some(0), "{}", text(&finish));

    let assets = fake.state().uploaded_assets();
    let mut names: Vec<(Option<String>, String)> = assets
        .iter()
        .map(|a| (a.parent_folder.clone(), a.file_name.clone()))
        .collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), assets.len(), "no file has two assets");
    assert_eq!(assets.len(), files.len(), "every file has one");
    assert!(
        assets
            .iter()
            .all(|a| a.stored.as_ref().unwrap().md5_matches)
    );
    let rerun = run(&fake, &args).await;
    assert!(text(&rerun).contains("0 uploaded"), "{}", text(&rerun));
}

#[tokio::test(flavor = "multi_thread")]
async fn numeric_options_are_checked_before_anything_is_sent() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    for bad in [
        ["--rate-window", "1e30"],
        ["--rate-window", "0"],
        ["--rate-window", "NaN"],
        ["--rate-window=-1", "--json"],
        ["--concurrency", "0"],
        ["--concurrency", "100000"],
        ["--rate-limit", "0"],
    ] {
        let out = run(&fake, &[&["sync", path][..], &bad[..]].concat()).await;
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", text(&out));
        let option = bad[0].split('=').next().unwrap();
        assert!(text(&out).contains(option), "{bad:?} names the option");
    }
    let folder = run(&fake, &["sync", path, "--folder", "a//b"]).await;
    assert_eq!(folder.status.code(), Some(2), "{}", text(&folder));
    assert!(fake.requests().is_empty());
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn a_second_ctrl_c_stops_at_once_and_the_rerun_finishes_the_job() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    for i in 0..6 {
        std::fs::write(dir.path().join(format!("f{i:02}.txt")), format!("{i}")).unwrap();
    }
    let path = dir.path().to_str().unwrap().to_string();
    // The second upload to reach S3 is held and never released: only a second Ctrl-C ends
    // the run before it.
    let s3 = webflow_fake::Target::S3Upload;
    let hold = webflow_fake::Hold::new();
    fake.faults()
        .inject(s3, webflow_fake::Fault::Delay(Duration::ZERO), 1);
    fake.faults()
        .inject(s3, webflow_fake::Fault::Hold(hold.clone()), 1);
    let mut child = command(&fake, &["sync", &path])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id().to_string();
    let child_pid = pid.clone();
    let (stdout, stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let runtime = tokio::runtime::Handle::current();
    let ended = tokio::task::spawn_blocking(move || {
        use std::io::{BufRead, BufReader};
        let mut lines = BufReader::new(stdout).lines();
        let mut notes = BufReader::new(stderr).lines();
        let first = lines.next().unwrap().unwrap();
        // The held upload is in flight once it has reached the hold.
        runtime.block_on(hold.reached());
        let interrupt = || Command::new("kill").args(["-INT", &pid]).status().unwrap();
        interrupt();
        // The second Ctrl-C goes once the command has said it saw the first.
        let seen = notes
            .by_ref()
            .map(Result::unwrap)
            .find(|l| l.starts_with("interrupted"));
        interrupt();
        let rest: Vec<String> = lines.map(Result::unwrap).collect();
        (first, seen, rest, child.wait().unwrap())
    });
    // A command that ignored either Ctrl-C would wait for the held upload forever; this
    // bound only turns that hang into a failure.
    let (first, seen, rest, status) =
        match tokio::time::timeout(Duration::from_secs(60), ended).await {
            Ok(ended) => ended.unwrap(),
            Err(_) => {
                let _ = Command::new("kill").args(["-KILL", &child_pid]).status();
                panic!("the command had not ended 60 s after it started");
            }
        };
    assert!(first.starts_with("uploaded"), "{first}");
    assert!(seen.is_some(), "the first Ctrl-C is acknowledged");
    assert_eq!(status.code(), Some(130));
    assert!(
        !rest.iter().any(|l| l.contains(" failed")),
        "no report after the second Ctrl-C: {rest:?}"
    );

    let resumed = run(&fake, &["sync", &path]).await;
    assert_eq!(resumed.status.code(), Some(0), "{}", text(&resumed));
    assert_eq!(fake.state().uploaded_assets().len(), 6);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_token_and_site_come_from_the_official_names_and_a_dot_env() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("project/src");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::write(
        dir.path().join("project/.env"),
        format!(
            "# from webflow auth login\nexport WEBFLOW_API_TOKEN=\"{}\"\nWEBFLOW_SITE_ID={}\n",
            fake.token(),
            fake.site_id()
        ),
    )
    .unwrap();
    let run_in = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = Command::new(BIN);
        command
            .env_clear()
            .current_dir(&nested)
            .args(["--base-url", &fake.base_url()])
            .args(args)
            .stdin(Stdio::null());
        for (k, v) in env {
            command.env(k, v);
        }
        #[cfg(windows)]
        if let Some(root) = std::env::var_os("SystemRoot") {
            command.env("SystemRoot", root);
        }
        // The in-process fake keeps serving on the runtime's other threads meanwhile.
        tokio::task::block_in_place(|| command.output().unwrap())
    };
    // The .env file two levels up gives both the token and the site.
    let folders = run_in(&["folders"], &[]);
    assert_eq!(folders.status.code(), Some(0), "{}", text(&folders));
    let status = run_in(&["auth", "status"], &[]);
    assert_eq!(status.status.code(), Some(0), "{}", text(&status));
    assert!(
        text(&status).contains("WEBFLOW_API_TOKEN in ") && text(&status).contains(".env"),
        "{}",
        text(&status)
    );
    assert!(!text(&status).contains(fake.token()), "never the token");
    // The environment wins over the file, and --token-env over both.
    let wrong = run_in(&["folders"], &[("WEBFLOW_TOKEN", "not-the-token")]);
    assert_eq!(wrong.status.code(), Some(1), "{}", text(&wrong));
    let named = run_in(
        &["auth", "status", "--token-env", "MY_TOKEN"],
        &[
            ("WEBFLOW_TOKEN", "not-the-token"),
            ("MY_TOKEN", fake.token()),
        ],
    );
    assert_eq!(named.status.code(), Some(0), "{}", text(&named));
    assert!(
        text(&named).contains("$MY_TOKEN (--token-env)"),
        "{}",
        text(&named)
    );
    let unset = run_in(&["folders", "--token-env", "NOPE"], &[]);
    assert_eq!(unset.status.code(), Some(1));
    assert!(
        text(&unset).contains("--token-env names $NOPE"),
        "{}",
        text(&unset)
    );
}

/// A URL is a URL whatever the case of its scheme, as the library decides it: `HTTP://` and
/// `HTTPS://` are fetched (and refused here for their loopback address), never looked up as
/// paths; a dry run downloads and counts them as URLs.
#[tokio::test(flavor = "multi_thread")]
async fn an_upper_case_scheme_names_a_url() {
    use std::io::{Read, Write};
    let fake = FakeWebflow::builder().start().await.unwrap();
    for args in [
        &["upload", "HTTP://127.0.0.1:9/a.txt"][..],
        &["upload", "HTTPS://127.0.0.1:9/a.txt"],
        &["upload", "Https://127.0.0.1:9/a.txt", "--dry-run"],
    ] {
        let out = run(&fake, args).await;
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out));
        assert!(
            text(&out).contains("127.0.0.1, a loopback address"),
            "{args:?}: {}",
            text(&out)
        );
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    // One answer, then the thread ends: the server stops by itself.
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let _ = stream.read(&mut [0u8; 4096]).unwrap();
        let body = b"served text\n";
        write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .unwrap();
        stream.write_all(body).unwrap();
    });
    let url = format!("HTTP://{addr}/notes/served.txt");
    // A file whose name starts like a URL is planned, and counted, as a file.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("https:x.txt");
    std::fs::write(&file, "local text\n").unwrap();
    let file = file.to_str().unwrap();
    let args = ["upload", &url, file, "--dry-run", "--allow-private-urls"];
    let dry = run(&fake, &args).await;
    server.join().unwrap();
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry));
    assert!(
        text(&dry).contains("plan: 2 to upload")
            && text(&dry).contains("1 URL(s) were downloaded from their hosts"),
        "{}",
        text(&dry)
    );
    assert!(
        text(&dry).contains(&format!(
            "would upload  {file}  as https:x.txt  (text/plain, 11 bytes"
        )),
        "{}",
        text(&dry)
    );
    assert!(fake.state().uploaded_assets().is_empty());
}

/// `alt` takes an asset and its text, or a subcommand: what is neither is refused by the
/// parser as a usage error (status 2), before any token is looked up.
#[tokio::test(flavor = "multi_thread")]
async fn alt_is_an_asset_and_its_text_or_a_subcommand() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let id = "6500aa00bb11cc22dd33ee01";
    for args in [
        &["alt"][..],
        &["alt", id],
        &["alt", "export", id],
        &["alt", id, "text", "export"],
        &["alt", "--json"],
    ] {
        let mut command = command(&fake, args);
        command.env_remove("WEBFLOW_TOKEN");
        let out = tokio::task::spawn_blocking(move || command.output().unwrap())
            .await
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert!(!text(&out).contains("token"), "{args:?}: {}", text(&out));
    }
    assert!(fake.log().all().is_empty());
}
