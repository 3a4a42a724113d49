//! `webflow-assets sites` and `fonts ls|upload|replace|rm` against the fake.

use std::process::{Command, Output, Stdio};

use serde_json::Value;
use webflow_fake::{FakeHandle, FakeWebflow, SampleFont, Side};

const BIN: &str = env!("CARGO_BIN_EXE_webflow-assets");

/// Runs the command off the runtime's threads, so the in-process fake keeps serving.
async fn run(fake: &FakeHandle, site: bool, args: &[&str]) -> Output {
    let mut command = Command::new(BIN);
    command
        .env_clear()
        .env("WEBFLOW_TOKEN", fake.token())
        .args(["--base-url", &fake.base_url()])
        .args(args)
        .stdin(Stdio::null());
    if site {
        command.env("WEBFLOW_SITE_ID", fake.site_id());
    }
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

fn text(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr)
}

fn json_lines(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("every line is JSON"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn sites_need_no_site_id() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let out = run(&fake, false, &["sites", "--json"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let sites = json_lines(&out);
    assert_eq!(sites.len(), 1);
    assert_eq!(sites[0]["id"], fake.site_id());
    let plain = run(&fake, false, &["sites"]).await;
    assert!(text(&plain).contains(fake.site_id()), "{}", text(&plain));
}

#[tokio::test(flavor = "multi_thread")]
async fn fonts_upload_a_directory_then_skip_it_then_replace_and_remove() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    let variable = SampleFont::new("Dir Sans", 400, false).axis("wght", 100.0, 400.0, 900.0);
    std::fs::write(dir.path().join("DirSans.ttf"), variable.ttf()).unwrap();
    std::fs::write(
        dir.path().join("DirSans-Italic.woff"),
        SampleFont::new("Dir Sans", 400, true).woff(),
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a font").unwrap();

    let first = run(&fake, true, &["fonts", "upload", path, "--json"]).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let lines = json_lines(&first);
    let uploaded: Vec<&Value> = lines.iter().filter(|l| l["status"] == "uploaded").collect();
    assert_eq!(uploaded.len(), 2, "{lines:?}");
    assert_eq!(lines.last().unwrap()["report"]["uploaded"], 2);

    let listed = run(&fake, true, &["fonts", "ls", "--json"]).await;
    let fonts = json_lines(&listed);
    assert_eq!(fonts.len(), 2);
    let ttf = fonts
        .iter()
        .find(|f| f["fileName"] == "DirSans.ttf")
        .unwrap();
    assert_eq!(ttf["fontFamily"], "Dir Sans");
    assert_eq!(ttf["axes"][0]["tag"], "wght");
    let id = ttf["id"].as_str().unwrap().to_string();

    // Again: both are on the site, nothing is uploaded.
    fake.log().clear();
    let again = run(&fake, true, &["fonts", "upload", path]).await;
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert!(
        text(&again).contains("0 uploaded, 2 skipped, 0 failed"),
        "{}",
        text(&again)
    );
    assert_eq!(
        fake.requests()
            .iter()
            .filter(|r| r.side == Side::S3)
            .count(),
        0
    );

    // A changed file is reported, not uploaded as a second font.
    std::fs::write(
        dir.path().join("DirSans.ttf"),
        SampleFont::new("Dir Sans", 400, false).ttf(),
    )
    .unwrap();
    let changed = run(&fake, true, &["fonts", "upload", path]).await;
    assert!(
        text(&changed).contains(&format!(
            "changed DirSans.ttf: changed since it was uploaded as {id}"
        )),
        "{}",
        text(&changed)
    );

    // Without the manifest, the hosted files are hashed instead: the unchanged one is
    // skipped, the changed one reported. The fake's CDN is on loopback, which the command
    // reaches only when allowed; refused, the check fails rather than guessing.
    std::fs::remove_file(dir.path().join(".webflow-fonts.json")).unwrap();
    let refused = run(&fake, true, &["fonts", "upload", path]).await;
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(
        text(&refused).contains("0 uploaded, 0 skipped, 2 failed"),
        "{}",
        text(&refused)
    );
    // With --json, the run's failure ends in one error line.
    let refused = run(&fake, true, &["fonts", "upload", path, "--json"]).await;
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    let lines = json_lines(&refused);
    assert_eq!(
        lines.last().unwrap()["code"],
        "partial",
        "{}",
        text(&refused)
    );
    assert_eq!(lines.iter().filter(|l| l.get("code").is_some()).count(), 1);
    // A bad --display is a usage error before anything is sent.
    fake.log().clear();
    let display = run(&fake, true, &["fonts", "upload", path, "--display", "loud"]).await;
    assert_eq!(display.status.code(), Some(2), "{}", text(&display));
    assert!(fake.requests().is_empty());
    let hashed = run(
        &fake,
        true,
        &["fonts", "upload", path, "--allow-private-urls", "--json"],
    )
    .await;
    assert_eq!(hashed.status.code(), Some(0), "{}", text(&hashed));
    let statuses: Vec<(String, String)> = json_lines(&hashed)
        .iter()
        .filter(|l| l["file"].is_string())
        .map(|l| {
            (
                l["file"].as_str().unwrap().into(),
                l["status"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("DirSans-Italic.woff".to_string(), "skipped".to_string()),
            ("DirSans.ttf".to_string(), "changed".to_string())
        ]
    );
    assert_eq!(
        fake.requests()
            .iter()
            .filter(|r| r.side == Side::S3)
            .count(),
        0,
        "nothing uploaded"
    );

    let replaced = run(
        &fake,
        true,
        &[
            "fonts",
            "replace",
            &id,
            &dir.path().join("DirSans.ttf").to_string_lossy(),
        ],
    )
    .await;
    assert_eq!(replaced.status.code(), Some(0), "{}", text(&replaced));
    assert!(text(&replaced).contains(&format!("replaced {id}")));

    let missing = "0123456789abcdef01234567";
    let removed = run(&fake, true, &["fonts", "rm", &id, missing, "--json"]).await;
    assert_eq!(removed.status.code(), Some(0), "{}", text(&removed));
    let lines = json_lines(&removed);
    assert_eq!(lines[0]["status"], "deleted");
    assert_eq!(lines[1]["status"], "not_found");
    let left = run(&fake, true, &["fonts", "ls"]).await;
    assert!(text(&left).contains("DirSans-Italic.woff") && !text(&left).contains(&id));
}
