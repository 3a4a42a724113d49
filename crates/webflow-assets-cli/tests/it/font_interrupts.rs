//! Ctrl-C during `fonts upload`, as during `upload` and `sync`: the first lets the font in
//! flight finish and starts no other, the second stops at once; both end with 130.
//!
//! The second font's upload to S3 is held by the fake until the test releases it, so it is
//! in flight for exactly as long as the test needs: each step waits for an event (the fake
//! took the upload, the command said it saw the Ctrl-C), never for a guessed time.

#![cfg(unix)]

use std::future::Future;
use std::process::{Command, Stdio};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStderr, ChildStdout};
use webflow_fake::{FakeHandle, FakeWebflow, Fault, Hold, SampleFont, Side, Target};

use crate::common::command;

/// A bound on every wait, there only so that a command that ignores a Ctrl-C fails the test
/// instead of hanging it: each wait ends on an event long before.
const PATIENCE: Duration = Duration::from_secs(60);

/// `wait`'s result, or a panic naming `what` once [`PATIENCE`] is spent.
async fn within<T>(what: &str, wait: impl Future<Output = T>) -> T {
    tokio::time::timeout(PATIENCE, wait)
        .await
        .unwrap_or_else(|_| panic!("{what}: nothing after {PATIENCE:?}"))
}

/// A directory of three fonts, uploaded in order: a.woff, b.woff, c.woff.
fn three_fonts() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, weight) in [("a", 100), ("b", 400), ("c", 700)] {
        let font = SampleFont::new("Stop Sans", weight, false).woff();
        std::fs::write(dir.path().join(format!("{name}.woff")), font).unwrap();
    }
    dir
}

/// The fake with the second font's upload to S3 held until the test releases the hold.
async fn second_upload_held() -> (FakeHandle, Hold) {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let hold = Hold::new();
    fake.faults()
        .inject(Target::S3Upload, Fault::Delay(Duration::ZERO), 1);
    fake.faults()
        .inject(Target::S3Upload, Fault::Hold(hold.clone()), 1);
    (fake, hold)
}

/// A running `fonts upload DIR`, its standard output and error read line by line; killed
/// if the test ends first.
struct Upload {
    child: Child,
    lines: Lines<BufReader<ChildStdout>>,
    notes: Lines<BufReader<ChildStderr>>,
}

impl Upload {
    fn start(fake: &FakeHandle, dir: &tempfile::TempDir) -> Upload {
        let path = dir.path().to_str().unwrap();
        let mut std = command(fake, &["fonts", "upload", path]);
        std.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = tokio::process::Command::from(std)
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let notes = BufReader::new(child.stderr.take().unwrap()).lines();
        Upload {
            child,
            lines,
            notes,
        }
    }

    /// The next line of standard output.
    async fn line(&mut self) -> String {
        within("a line of output", self.lines.next_line())
            .await
            .unwrap()
            .expect("a line of output")
    }

    /// Sends Ctrl-C (SIGINT), then waits for the command's note that it saw it.
    async fn interrupt(&mut self) -> String {
        let pid = self.child.id().expect("still running").to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
        assert!(sent.success());
        let notes = &mut self.notes;
        within("the note on the Ctrl-C", async {
            loop {
                let note = notes.next_line().await.unwrap();
                let note = note.expect("a note before standard error closed");
                if note.starts_with("interrupted") {
                    return note;
                }
            }
        })
        .await
    }

    /// The rest of standard output and error, and the exit status.
    async fn end(mut self) -> (Vec<String>, Vec<String>, std::process::ExitStatus) {
        let (lines, notes) = (rest(self.lines), rest(self.notes));
        within("the end of the run", async {
            let (lines, notes) = tokio::join!(lines, notes);
            (lines, notes, self.child.wait().await.unwrap())
        })
        .await
    }
}

/// Every line left, to the end.
async fn rest(mut lines: Lines<impl tokio::io::AsyncBufRead + Unpin>) -> Vec<String> {
    let mut read = Vec::new();
    while let Some(line) = lines.next_line().await.unwrap() {
        read.push(line);
    }
    read
}

/// `fonts upload` of [`three_fonts`], interrupted once while the second font's upload is
/// held: the first font is uploaded and the command has said it saw the Ctrl-C.
async fn interrupted_on_the_second_font() -> (FakeHandle, Hold, tempfile::TempDir, Upload) {
    let (fake, hold) = second_upload_held().await;
    let dir = three_fonts();
    let mut upload = Upload::start(&fake, &dir);
    let first = upload.line().await;
    assert!(first.starts_with("uploaded a.woff"), "{first}");
    within("the second upload", hold.reached()).await;
    let seen = upload.interrupt().await;
    assert!(seen.contains("font in flight"), "{seen}");
    (fake, hold, dir, upload)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_first_ctrl_c_lets_the_font_in_flight_finish_and_starts_no_other() {
    let (fake, hold, _dir, upload) = interrupted_on_the_second_font().await;
    hold.release();
    let (rest, notes, status) = upload.end().await;
    assert_eq!(status.code(), Some(130), "{rest:?} {notes:?}");
    let [second, third, tally] = &rest[..] else {
        panic!("a line per font and the tally: {rest:?}")
    };
    assert!(second.starts_with("uploaded b.woff"), "{rest:?}");
    assert_eq!(third, "skipped c.woff: cancelled before it was started");
    assert_eq!(tally, "2 uploaded, 1 skipped, 0 failed");
    // The run ends in one error, the interruption.
    let errors: Vec<&String> = notes.iter().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(
        errors,
        ["error: interrupted: the font in flight finished, the rest were not started"],
        "{notes:?}"
    );
    // The third font was never sent; the second is on the site.
    let sent: Vec<Option<u16>> = fake
        .requests()
        .iter()
        .filter(|r| r.side == Side::S3)
        .map(|r| r.status)
        .collect();
    assert_eq!(sent, [Some(201), Some(201)]);
    assert_eq!(hold.calls(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_ctrl_c_stops_a_font_upload_at_once() {
    // Never released: only a second Ctrl-C ends the run while the second font is in flight.
    let (fake, _hold, _dir, mut upload) = interrupted_on_the_second_font().await;
    // The second Ctrl-C goes once the command has said it saw the first.
    let again = upload.interrupt().await;
    assert!(again.contains("stopping now"), "{again}");
    let (rest, notes, status) = upload.end().await;
    assert_eq!(status.code(), Some(130));
    assert!(
        rest.is_empty(),
        "no report after the second Ctrl-C: {rest:?}"
    );
    assert!(
        notes.iter().any(|l| l.contains("interrupted twice")),
        "{notes:?}"
    );
    // The held upload never got its answer: S3 answered the first font only.
    let answered = fake
        .requests()
        .iter()
        .filter(|r| r.side == Side::S3)
        .count();
    assert_eq!(answered, 1);
}
