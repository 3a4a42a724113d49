//! Every command that prints, with its reader gone: `| head -0` (the pipe is closed before
//! the command writes anything) and `| head -1` (closed after the first line), in plain and
//! `--json` modes. Output stops there; the run goes on to its end and exits with its own
//! status, never the 101 of a panic.

use crate::common;

use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{command, json_lines, run, text};
use serde_json::Value;
use webflow_fake::{FakeHandle, FakeWebflow, SampleFont};

/// How the reader of standard output goes away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reader {
    /// `| head -0`: closed before the command starts.
    HeadZero,
    /// `| head -1`: closed once the first line is read.
    HeadOne,
}

/// The four ways each command is run.
const MODES: [(bool, Reader); 4] = [
    (false, Reader::HeadZero),
    (false, Reader::HeadOne),
    (true, Reader::HeadZero),
    (true, Reader::HeadOne),
];

/// What a run whose reader went away left.
struct Piped {
    status: Option<i32>,
    first_line: String,
    stderr: String,
}

/// Runs `command` with its standard output read by `reader`.
async fn piped(mut command: Command, reader: Reader) -> Piped {
    tokio::task::spawn_blocking(move || {
        let (read, write) = std::io::pipe().unwrap();
        command.stdout(write).stderr(Stdio::piped());
        let mut first_line = String::new();
        let child = match reader {
            Reader::HeadZero => {
                drop(read);
                let child = command.spawn().unwrap();
                // The command keeps a copy of the pipe's writing end; let it go.
                drop(command);
                child
            }
            Reader::HeadOne => {
                let child = command.spawn().unwrap();
                drop(command);
                let mut lines = std::io::BufReader::new(read);
                lines.read_line(&mut first_line).unwrap();
                child
            }
        };
        let out = child.wait_with_output().unwrap();
        Piped {
            status: out.status.code(),
            first_line,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    })
    .await
    .unwrap()
}

/// One command, run in one mode: it exits with `code`, does not panic, and under `head -1`
/// gives a whole first line (a JSON object with `--json`).
async fn check(what: &str, mut command: Command, json: bool, reader: Reader, code: i32) {
    if json {
        command.arg("--json");
    }
    let out = piped(command, reader).await;
    let context = format!("{what} (json: {json}, {reader:?}): {}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{context}");
    assert!(!out.stderr.contains("Broken pipe"), "{context}");
    assert_eq!(out.status, Some(code), "{context}");
    if reader == Reader::HeadOne && !out.first_line.is_empty() {
        assert!(
            out.first_line.ends_with('\n'),
            "{context}: {:?}",
            out.first_line
        );
        if json {
            serde_json::from_str::<Value>(&out.first_line)
                .unwrap_or_else(|e| panic!("{context}: {e}: {:?}", out.first_line));
        }
    }
}

/// A command's status with a reader that reads everything: a read-only command's own.
async fn status_of(mut command: Command, json: bool) -> i32 {
    if json {
        command.arg("--json");
    }
    let out = common::output(command).await;
    out.status.code().unwrap()
}

/// The JSON lines a command prints.
async fn lines_of(fake: &FakeHandle, args: &[&str]) -> Vec<Value> {
    let out = run(fake, &[args, &["--json"]].concat()).await;
    assert!(
        out.status.success() || out.status.code() == Some(4),
        "{args:?}: {}",
        text(&out)
    );
    json_lines(&out)
}

/// The id of the asset a `--json` upload of `file` made.
async fn uploaded(fake: &FakeHandle, file: &Path) -> String {
    let lines = lines_of(fake, &["upload", file.to_str().unwrap()]).await;
    lines[0]["asset_id"].as_str().unwrap().to_string()
}

/// A fake whose rate limit no test here meets: they run over a hundred commands.
async fn roomy() -> FakeHandle {
    FakeWebflow::builder()
        .rate_limit(100_000, std::time::Duration::from_secs(60))
        .start()
        .await
        .unwrap()
}

fn tree(root: &Path) {
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(root.join("a.txt"), "alpha\n").unwrap();
    std::fs::write(root.join("sub/b.csv"), "x,y\n1,2\n").unwrap();
    std::fs::write(root.join("c.txt"), "gamma\n").unwrap();
    // Refused: the sync completes with status 3.
    std::fs::write(root.join("tool.exe"), "MZ").unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn runs_that_change_the_site_finish_and_keep_their_status() {
    let fake = roomy().await;
    let (site_b, token_b) = fake.add_site_with_token();
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("one.txt");
    std::fs::write(&file, "one\n").unwrap();
    let file = file.to_str().unwrap();
    for (n, (json, reader)) in MODES.into_iter().enumerate() {
        let mode = |name: &str| work.path().join(format!("{name}-{n}"));
        let assets = || fake.state().uploaded_assets().len();

        // sync: every file uploaded whatever the reader, and status 3 for the refused one.
        let dir = mode("sync");
        tree(&dir);
        let dir = dir.to_str().unwrap();
        let folder = format!("mirror-{n}");
        let before = assets();
        let sync = command(&fake, &["sync", dir, "--folder", &folder]);
        check("sync", sync, json, reader, 3).await;
        assert_eq!(assets(), before + 3, "sync uploaded every file");
        let manifest = Path::new(dir).join(".webflow-assets-manifest.json");
        assert!(manifest.exists(), "the manifest is written");
        let dry = command(&fake, &["sync", dir, "--folder", &folder, "--dry-run"]);
        check("sync --dry-run", dry, json, reader, 3).await;
        std::fs::write(Path::new(dir).join("d.txt"), "delta\n").unwrap();
        std::fs::remove_file(Path::new(dir).join("tool.exe")).unwrap();
        std::fs::remove_file(Path::new(dir).join("a.txt")).unwrap();
        let delete = command(&fake, &["sync", dir, "--folder", &folder, "--delete"]);
        check("sync --delete", delete, json, reader, 0).await;
        assert_eq!(assets(), before + 3, "one uploaded, one deleted");

        let before = assets();
        check("upload", command(&fake, &["upload", file]), json, reader, 0).await;
        assert_eq!(assets(), before + 1);
        let plan = command(&fake, &["upload", file, "--dry-run"]);
        check("upload --dry-run", plan, json, reader, 0).await;
        let missing = command(&fake, &["upload", "/nonexistent/x.png"]);
        check("upload of a missing file", missing, json, reader, 1).await;

        let pull = mode("pull");
        let pulled = command(&fake, &["pull", pull.to_str().unwrap()]);
        check("pull", pulled, json, reader, 0).await;
        assert!(pull.join(format!("mirror-{n}/sub/b.csv")).exists());
        let pull_plan = command(
            &fake,
            &["pull", mode("plan").to_str().unwrap(), "--dry-run"],
        );
        check("pull --dry-run", pull_plan, json, reader, 0).await;

        let mapping = mode("map");
        for dry_run in [true, false] {
            let mut copy = command(&fake, &["copy", "--to-site", &site_b]);
            copy.env("WEBFLOW_TARGET_TOKEN", &token_b).args([
                "--folder",
                &folder,
                "--mapping",
                mapping.to_str().unwrap(),
            ]);
            if dry_run {
                copy.arg("--dry-run");
            }
            check("copy", copy, json, reader, 0).await;
        }
        assert!(
            mapping.with_extension("csv").exists(),
            "the mapping is written"
        );

        let id = uploaded(&fake, Path::new(file)).await;
        let created = command(&fake, &["folders", "create", &format!("made-{n}")]);
        check("folders create", created, json, reader, 0).await;
        for args in [
            &["alt", &id, "Alt text"][..],
            &["alt", &id, "Other", "--dry-run"],
            &["rename", &id, "A name"],
            &["rename", &id, "Other", "--dry-run"],
        ] {
            check(&args.join(" "), command(&fake, args), json, reader, 0).await;
        }
        check("rm", command(&fake, &["rm", &id]), json, reader, 0).await;
        check("rm again", command(&fake, &["rm", &id]), json, reader, 1).await;

        let export = mode("alt.csv");
        let out = run(&fake, &["alt", "export"]).await;
        std::fs::write(&export, &out.stdout).unwrap();
        let export = export.to_str().unwrap();
        for args in [
            &["alt", "import", export, "--dry-run"][..],
            &["alt", "import", export],
        ] {
            check(&args.join(" "), command(&fake, args), json, reader, 0).await;
        }

        // Fonts: a new one, then it is replaced and removed.
        let fonts = mode("fonts");
        std::fs::create_dir_all(&fonts).unwrap();
        let font = fonts.join(format!("Pipe{n}.ttf"));
        std::fs::write(
            &font,
            SampleFont::new(&format!("Pipe {n}"), 400, false).ttf(),
        )
        .unwrap();
        let upload = command(&fake, &["fonts", "upload", fonts.to_str().unwrap()]);
        check("fonts upload", upload, json, reader, 0).await;
        let listed = lines_of(&fake, &["fonts", "ls"]).await;
        let font_id = listed
            .iter()
            .find(|f| f["fileName"] == format!("Pipe{n}.ttf"))
            .and_then(|f| f["id"].as_str())
            .unwrap()
            .to_string();
        let replace = command(
            &fake,
            &["fonts", "replace", &font_id, font.to_str().unwrap()],
        );
        check("fonts replace", replace, json, reader, 0).await;
        let rm = command(&fake, &["fonts", "rm", &font_id]);
        check("fonts rm", rm, json, reader, 0).await;

        let config = mode("config");
        let token = mode("token");
        std::fs::write(&token, format!("{}\n", fake.token())).unwrap();
        let mut login = command(&fake, &["auth", "login", "--stdin"]);
        login
            .env("WEBFLOW_ASSETS_CONFIG_DIR", &config)
            .stdin(std::fs::File::open(&token).unwrap());
        check("auth login", login, json, reader, 0).await;
        let mut logout = command(&fake, &["auth", "logout"]);
        logout.env("WEBFLOW_ASSETS_CONFIG_DIR", &config);
        check("auth logout", logout, json, reader, 0).await;
        let man = command(&fake, &["man", mode("man").to_str().unwrap()]);
        check("man", man, false, reader, 0).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn commands_that_read_keep_their_status() {
    let fake = roomy().await;
    let work = tempfile::tempdir().unwrap();
    tree(work.path());
    std::fs::write(work.path().join("same.txt"), "alpha\n").unwrap();
    let sync = run(
        &fake,
        &["sync", work.path().to_str().unwrap(), "--folder", "f"],
    )
    .await;
    assert_eq!(sync.status.code(), Some(3), "{}", text(&sync));
    let id = fake.state().uploaded_assets()[0].id.clone();
    let font = work.path().join("Read.ttf");
    std::fs::write(&font, SampleFont::new("Read", 400, false).ttf()).unwrap();
    let fonts = run(&fake, &["fonts", "upload", font.to_str().unwrap()]).await;
    assert_eq!(fonts.status.code(), Some(0), "{}", text(&fonts));

    let no_such = "0123456789abcdef01234567";
    let cases: Vec<Vec<&str>> = vec![
        vec!["ls"],
        vec!["ls", "--fields", "id,size,folderPath"],
        vec!["folders"],
        vec!["folders", "list"],
        vec!["info", &id],
        vec!["info", no_such],
        vec!["sites"],
        vec!["fonts", "ls"],
        // Duplicates (same.txt and a.txt): status 4.
        vec!["audit"],
        vec!["auth", "status"],
    ];
    for args in &cases {
        for (json, reader) in MODES {
            let code = status_of(command(&fake, args), json).await;
            check(&args.join(" "), command(&fake, args), json, reader, code).await;
        }
    }
    assert_eq!(status_of(command(&fake, &["audit"]), false).await, 4);
    assert_eq!(status_of(command(&fake, &["info", no_such]), true).await, 1);

    // Not JSON lines, whatever --json says, or no --json at all.
    let raw: Vec<Vec<&str>> = vec![
        vec!["ls", "--format", "csv"],
        vec!["alt", "export"],
        vec!["schema"],
        vec!["completions", "bash"],
        vec!["--help"],
        vec!["sync", "--help"],
        vec!["--version"],
    ];
    for args in &raw {
        for (_, reader) in MODES {
            check(&args.join(" "), command(&fake, args), false, reader, 0).await;
        }
    }
}

/// `2>&1 | head -0`: standard error goes to the closed pipe too. Its lines (notes, errors,
/// hints) are dropped; the run ends as it would, never with a panic's 101.
#[tokio::test(flavor = "multi_thread")]
async fn both_streams_into_a_closed_pipe() {
    let fake = roomy().await;
    let work = tempfile::tempdir().unwrap();
    tree(work.path());
    let dir = work.path().to_str().unwrap();
    let no_such = "0123456789abcdef01234567";
    let cases: [(&[&str], i32); 4] = [
        (&["sync", dir, "--folder", "both"], 3),
        (&["sync", dir, "--folder", "elsewhere", "--delete"], 1),
        (&["info", no_such], 1),
        (&["upload", "/nonexistent/x.png"], 1),
    ];
    for (args, code) in cases {
        for json in [false, true] {
            let mut command = command(&fake, args);
            if json {
                command.arg("--json");
            }
            let status = tokio::task::spawn_blocking(move || {
                let (read, write) = std::io::pipe().unwrap();
                drop(read);
                command.stdout(write.try_clone().unwrap()).stderr(write);
                let mut child = command.spawn().unwrap();
                drop(command);
                child.wait().unwrap().code()
            })
            .await
            .unwrap();
            assert_eq!(status, Some(code), "{args:?} (json: {json})");
        }
    }
    assert_eq!(fake.state().uploaded_assets().len(), 3, "the sync finished");
}
