//! What a new user's first runs meet, through the built command against the fake: a directory
//! pointed at another folder or site, a dry run's exit status, a refused download, and the
//! report line every run ends with.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{BIN, command, json_lines, output, run, text};
use serde_json::Value;
use webflow_fake::{FakeHandle, FakeWebflow, SampleFont};

fn write(root: &Path, relative: &str, contents: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

fn last_line(out: &std::process::Output) -> Value {
    json_lines(out).pop().expect("a line")
}

/// The command as a user runs it: no `--allow-private-urls`, so the fake's CDN, on loopback,
/// is refused.
fn strict(fake: &FakeHandle, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .env_clear()
        .env("WEBFLOW_TOKEN", fake.token())
        .env("WEBFLOW_SITE_ID", fake.site_id())
        .args(["--base-url", &fake.base_url()])
        .args(args)
        .stdin(std::process::Stdio::null());
    #[cfg(windows)]
    if let Some(root) = std::env::var_os("SystemRoot") {
        command.env("SystemRoot", root);
    }
    command
}

/// A pull of the whole site, then `sync DIR --folder pipe --delete`: refused before anything
/// is sent, naming both folders and the flag; a dry run without --delete says so; with
/// --retarget it goes.
#[tokio::test(flavor = "multi_thread")]
async fn a_directory_pointed_at_another_folder_is_not_pruned_there() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let site = fake.site_id().to_string();
    let pipe = fake.seed_folder(&site, None, "pipe");
    for name in ["one.txt", "two.txt"] {
        fake.seed_asset(&site, Some(&pipe), name, name.as_bytes())
            .unwrap();
    }
    fake.seed_asset(&site, None, "root.txt", b"root").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    let pulled = run(&fake, &["pull", path]).await;
    assert_eq!(pulled.status.code(), Some(0), "{}", text(&pulled));
    let assets = fake.state().uploaded_assets().len();
    let requests = fake.requests().len();

    let refused = run(&fake, &["sync", path, "--folder", "pipe", "--delete"]).await;
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    let said = text(&refused);
    for words in [
        "the site root",
        "folder \"pipe\"",
        "--retarget",
        "nothing was sent",
    ] {
        assert!(said.contains(words), "{words:?} in {said}");
    }
    let json = run(
        &fake,
        &["sync", path, "--folder", "pipe", "--delete", "--json"],
    )
    .await;
    assert_eq!(json.status.code(), Some(1), "{}", text(&json));
    let line = last_line(&json);
    assert_eq!(line["code"], "refused", "{line}");
    assert_eq!(line["kind"], "target_changed", "{line}");
    assert!(
        line["error"].as_str().unwrap().contains("--retarget"),
        "{line}"
    );
    assert!(
        line["hint"].as_str().unwrap().contains("no --folder"),
        "{line}"
    );
    let dry = run(
        &fake,
        &["sync", path, "--folder", "pipe", "--delete", "--dry-run"],
    )
    .await;
    assert_eq!(
        dry.status.code(),
        Some(1),
        "the dry run exits as the run would"
    );
    assert_eq!(fake.requests().len(), requests, "nothing was sent");
    assert_eq!(fake.state().uploaded_assets().len(), assets);

    // Without --delete the plan says so.
    let plan = run(&fake, &["sync", path, "--folder", "pipe", "--dry-run"]).await;
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan));
    let stdout = String::from_utf8_lossy(&plan.stdout);
    assert!(
        stdout.contains("note: the directory was synced to the site root, not to folder \"pipe\""),
        "{stdout}"
    );
    let plan = run(
        &fake,
        &["sync", path, "--folder", "pipe", "--dry-run", "--json"],
    )
    .await;
    let totals = &last_line(&plan)["plan"];
    assert_eq!(totals["retarget"]["recorded"]["folder"], "", "{totals}");
    assert_eq!(
        totals["retarget"]["requested"]["folder"], "pipe",
        "{totals}"
    );
    let back = run(&fake, &["sync", path, "--dry-run", "--json", "--delete"]).await;
    assert_eq!(back.status.code(), Some(0), "{}", text(&back));
    assert_eq!(last_line(&back)["plan"]["retarget"], Value::Null);
    assert_eq!(last_line(&back)["plan"]["deletes"], 0);

    // Confirmed: the tree goes under pipe/, and pipe/'s own assets, which the directory
    // does not hold there, are deleted, as asked.
    let args = [
        "sync",
        path,
        "--folder",
        "pipe",
        "--delete",
        "--retarget",
        "--json",
    ];
    let confirmed = run(&fake, &args).await;
    assert_eq!(confirmed.status.code(), Some(0), "{}", text(&confirmed));
    let report = &last_line(&confirmed)["report"];
    assert_eq!(report["uploaded"], 3, "{report}");
    assert_eq!(report["deleted"], 2, "{report}");
    let again = run(&fake, &["sync", path, "--folder", "pipe", "--delete"]).await;
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_directory_synced_to_another_site_is_not_pruned_on_this_one() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    write(dir.path(), "a.txt", "alpha");
    assert_eq!(run(&fake, &["sync", path]).await.status.code(), Some(0));
    let (other, token) = fake.add_site_with_token();
    let mut command = command(&fake, &["sync", path, "--delete", "--site", &other]);
    command.env("WEBFLOW_TOKEN", &token);
    let requests = fake.requests().len();
    let refused = output(command).await;
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    let said = text(&refused);
    for words in [fake.site_id(), other.as_str(), "--retarget", "--site"] {
        assert!(said.contains(words), "{words:?} in {said}");
    }
    assert_eq!(fake.requests().len(), requests, "nothing was sent");
}

/// A dry run exits with the status the run would: 3 when a file would be refused.
#[tokio::test(flavor = "multi_thread")]
async fn a_dry_run_exits_as_the_run_would() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    write(dir.path(), "a.txt", "alpha");
    write(dir.path(), "tool.exe", "MZ");
    for json in [false, true] {
        let mut args = vec!["sync", path, "--dry-run"];
        if json {
            args.push("--json");
        }
        let dry = run(&fake, &args).await;
        assert_eq!(dry.status.code(), Some(3), "{}", text(&dry));
    }
    let real = run(&fake, &["sync", path]).await;
    assert_eq!(real.status.code(), Some(3), "{}", text(&real));
    std::fs::remove_file(dir.path().join("tool.exe")).unwrap();
    let clean = run(&fake, &["sync", path, "--dry-run"]).await;
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean));
}

/// Hosted files on a loopback address are refused as downloads, with the flag that allows
/// them, by every command that downloads one.
#[tokio::test(flavor = "multi_thread")]
async fn a_refused_download_is_called_a_download() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let (site_b, token_b) = fake.add_site_with_token();
    let site = fake.site_id().to_string();
    fake.seed_asset(&site, None, "a.txt", b"same").unwrap();
    fake.seed_asset(&site, None, "b.txt", b"same").unwrap();
    let work = tempfile::tempdir().unwrap();
    let pull = work.path().join("pull");
    let mapping = work.path().join("map");
    let synced = work.path().join("synced");
    // Same name and size as the site's, unknown to any manifest: --checksum fetches it.
    write(&synced, "a.txt", "SAME");
    let mut copy = strict(&fake, &["copy", "--to-site", &site_b]);
    copy.env("WEBFLOW_TARGET_TOKEN", &token_b)
        .args(["--mapping", mapping.to_str().unwrap()]);
    let runs = [
        ("pull", strict(&fake, &["pull", pull.to_str().unwrap()])),
        ("copy", copy),
        ("audit", strict(&fake, &["audit"])),
        (
            "sync --checksum",
            strict(&fake, &["sync", synced.to_str().unwrap(), "--checksum"]),
        ),
        (
            "sync --checksum --dry-run",
            strict(
                &fake,
                &["sync", synced.to_str().unwrap(), "--checksum", "--dry-run"],
            ),
        ),
    ];
    for (what, command) in runs {
        let mut json = Command::new(command.get_program());
        json.args(command.get_args()).arg("--json");
        json.env_clear()
            .envs(command.get_envs().filter_map(|(k, v)| Some((k, v?))));
        let plain = output(command).await;
        assert_eq!(plain.status.code(), Some(1), "{what}: {}", text(&plain));
        let said = text(&plain);
        assert!(
            said.contains("cannot download \"http://127.0.0.1"),
            "{what}: {said}"
        );
        assert!(!said.contains("upload from"), "{what}: {said}");
        assert!(
            said.contains("hint: ") && said.contains("--allow-private-urls"),
            "{what}: {said}"
        );

        let json = output(json).await;
        assert_eq!(json.status.code(), Some(1), "{what}: {}", text(&json));
        let lines = json_lines(&json);
        let error = lines.last().unwrap();
        assert!(
            error["hint"]
                .as_str()
                .unwrap_or("")
                .contains("--allow-private-urls"),
            "{what}: {error}"
        );
        let failed: Vec<&Value> = lines
            .iter()
            .filter(|l| l["status"] == "failed" || l["finding"] == "unchecked")
            .collect();
        assert!(!failed.is_empty(), "{what}: {lines:?}");
        for line in failed {
            let words = line["error"].as_str().unwrap();
            assert!(words.contains("cannot download"), "{what}: {words}");
        }
    }
    // An upload source is still an upload.
    let url = format!("{}/nowhere/x.png", fake.base_url());
    let source = output(strict(&fake, &["upload", &url])).await;
    assert_eq!(source.status.code(), Some(1), "{}", text(&source));
    assert!(
        text(&source).contains("cannot upload from"),
        "{}",
        text(&source)
    );
    assert!(
        text(&source).contains("--allow-private-urls"),
        "{}",
        text(&source)
    );
}

/// `fonts upload --json` ends with the `{"report": …}` line every run ends with.
#[tokio::test(flavor = "multi_thread")]
async fn fonts_upload_ends_with_the_report_line() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let font = dir.path().join("Report.ttf");
    std::fs::write(&font, SampleFont::new("Report", 400, false).ttf()).unwrap();
    let font = font.to_str().unwrap();
    let sync_dir = tempfile::tempdir().unwrap();
    write(sync_dir.path(), "a.txt", "alpha");
    let sync = run(
        &fake,
        &["sync", sync_dir.path().to_str().unwrap(), "--json"],
    )
    .await;
    let sync_keys = keys(&last_line(&sync)["report"]);

    let first = run(&fake, &["fonts", "upload", font, "--json"]).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let line = last_line(&first);
    assert_eq!(keys(&line), ["report"], "{line}");
    assert_eq!(keys(&line["report"]), sync_keys, "one shape: {line}");
    assert_eq!(line["report"]["uploaded"], 1, "{line}");
    let second = run(&fake, &["fonts", "upload", font, "--json"]).await;
    let report = &last_line(&second)["report"];
    assert_eq!(
        (report["uploaded"].clone(), report["skipped"].clone()),
        (0.into(), 1.into())
    );
    let plain = run(&fake, &["fonts", "upload", font]).await;
    let stdout = String::from_utf8_lossy(&plain.stdout);
    assert!(
        stdout.ends_with("0 uploaded, 1 skipped, 0 failed\n"),
        "{stdout}"
    );
}

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}
