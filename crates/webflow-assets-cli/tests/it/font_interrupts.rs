//! Ctrl-C during `fonts upload`, as during `upload` and `sync`: the first lets the font in
//! flight finish and starts no other, the second stops at once; both end with 130.

#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use webflow_fake::{FakeHandle, FakeWebflow, Fault, SampleFont, Side, Target};

use crate::common::command;

/// A directory of three fonts, uploaded in order: a.woff, b.woff, c.woff.
fn three_fonts() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, weight) in [("a", 100), ("b", 400), ("c", 700)] {
        let font = SampleFont::new("Stop Sans", weight, false).woff();
        std::fs::write(dir.path().join(format!("{name}.woff")), font).unwrap();
    }
    dir
}

/// The fake with the second font's upload to S3 held for `hold`.
async fn second_upload_held(hold: Duration) -> Arc<FakeHandle> {
    let fake = Arc::new(FakeWebflow::builder().start().await.unwrap());
    fake.faults()
        .inject(Target::S3Upload, Fault::Delay(Duration::ZERO), 1);
    fake.faults()
        .inject(Target::S3Upload, Fault::Delay(hold), 1);
    fake
}

/// Waits until the fake has taken the held upload: the second font is in flight.
fn wait_for_second_upload(fake: &FakeHandle) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while fake.faults().pending(Target::S3Upload) > 0 {
        assert!(Instant::now() < deadline, "no second upload");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn interrupt(pid: &str) {
    Command::new("kill").args(["-INT", pid]).status().unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_first_ctrl_c_lets_the_font_in_flight_finish_and_starts_no_other() {
    // Held long enough for the Ctrl-C to arrive while the second font is in flight.
    let fake = second_upload_held(Duration::from_secs(5)).await;
    let dir = three_fonts();
    let path = dir.path().to_str().unwrap().to_string();
    let mut child = command(&fake, &["fonts", "upload", &path, "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id().to_string();
    let stdout = child.stdout.take().unwrap();
    let held = Arc::clone(&fake);
    let (lines, status) = tokio::task::spawn_blocking(move || {
        let mut lines = BufReader::new(stdout).lines();
        let first = lines.next().unwrap().unwrap();
        wait_for_second_upload(&held);
        interrupt(&pid);
        let mut read = vec![first];
        read.extend(lines.map(Result::unwrap));
        (read, child.wait().unwrap())
    })
    .await
    .unwrap();
    assert_eq!(status.code(), Some(130), "{lines:?}");
    let lines: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let statuses: Vec<(&str, &str)> = lines
        .iter()
        .filter(|l| l["file"].is_string())
        .map(|l| (l["file"].as_str().unwrap(), l["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("a.woff", "uploaded"),
            ("b.woff", "uploaded"),
            ("c.woff", "skipped")
        ],
        "{lines:?}"
    );
    let cancelled = lines.iter().find(|l| l["file"] == "c.woff").unwrap();
    assert_eq!(cancelled["reason"], "cancelled", "{lines:?}");
    let report = &lines[lines.len() - 2]["report"];
    assert_eq!(report["uploaded"], 2, "{lines:?}");
    assert_eq!(report["skipped"], 1, "{lines:?}");
    // The run ends in one error line, the interruption.
    let errors: Vec<&serde_json::Value> =
        lines.iter().filter(|l| l.get("error").is_some()).collect();
    assert_eq!(errors.len(), 1, "{lines:?}");
    assert_eq!(errors[0]["code"], "interrupted", "{lines:?}");
    assert_eq!(lines.last().unwrap(), errors[0]);
    // The third font was never sent.
    let sent = fake
        .requests()
        .iter()
        .filter(|r| r.side == Side::S3)
        .count();
    assert_eq!(sent, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_ctrl_c_stops_a_font_upload_at_once() {
    // Held far longer than this test runs: only a second Ctrl-C ends the run before it.
    let fake = second_upload_held(Duration::from_secs(600)).await;
    let dir = three_fonts();
    let path = dir.path().to_str().unwrap().to_string();
    let mut child = command(&fake, &["fonts", "upload", &path])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id().to_string();
    let child_pid = pid.clone();
    let (stdout, stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let held = Arc::clone(&fake);
    let ended = tokio::task::spawn_blocking(move || {
        let mut lines = BufReader::new(stdout).lines();
        let mut notes = BufReader::new(stderr).lines();
        let first = lines.next().unwrap().unwrap();
        wait_for_second_upload(&held);
        interrupt(&pid);
        // The second Ctrl-C goes once the command has said it saw the first.
        let seen = notes
            .by_ref()
            .map(Result::unwrap)
            .find(|l| l.starts_with("interrupted"));
        interrupt(&pid);
        let rest: Vec<String> = lines.map(Result::unwrap).collect();
        let notes: Vec<String> = notes.map(Result::unwrap).collect();
        (first, seen, rest, notes, child.wait().unwrap())
    });
    // A command that ignored either Ctrl-C would wait out the held upload.
    let (first, seen, rest, notes, status) =
        match tokio::time::timeout(Duration::from_secs(20), ended).await {
            Ok(ended) => ended.unwrap(),
            Err(_) => {
                let _ = Command::new("kill").args(["-KILL", &child_pid]).status();
                panic!("the command had not ended 20 s after it started");
            }
        };
    assert!(first.starts_with("uploaded a.woff"), "{first}");
    let seen = seen.expect("the first Ctrl-C is acknowledged");
    assert!(seen.contains("font in flight"), "{seen}");
    assert_eq!(status.code(), Some(130));
    assert!(
        rest.is_empty(),
        "no report after the second Ctrl-C: {rest:?}"
    );
    assert!(
        notes.iter().any(|l| l.contains("interrupted twice")),
        "{notes:?}"
    );
}
