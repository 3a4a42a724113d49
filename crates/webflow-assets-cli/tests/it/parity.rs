//! The official CLI's `assets` options, and the agent and CI contract: `ls --fields` and
//! `--format`, `upload --name` and `--dry-run`, `alt`/`rename --dry-run`, `folders create`,
//! and one JSON error line with a stable code for every failure.

use crate::common;

use common::{command, json_lines, output, run, text};
use serde_json::Value;
use webflow_fake::{FakeHandle, FakeWebflow, Side};

/// Two files uploaded: `a.txt` at the root, `b.txt` under `brand`.
async fn seeded(dir: &std::path::Path) -> FakeHandle {
    let fake = FakeWebflow::builder().start().await.unwrap();
    std::fs::write(dir.join("a.txt"), "alpha").unwrap();
    std::fs::write(dir.join("b.txt"), "bravo!").unwrap();
    let a = dir.join("a.txt");
    let b = dir.join("b.txt");
    let up = run(&fake, &["upload", a.to_str().unwrap()]).await;
    assert_eq!(up.status.code(), Some(0), "{}", text(&up));
    let up = run(&fake, &["upload", b.to_str().unwrap(), "--folder", "brand"]).await;
    assert_eq!(up.status.code(), Some(0), "{}", text(&up));
    fake
}

/// The methods of the requests an upload plan lists, in order.
fn methods(plan: &Value) -> Vec<&str> {
    plan["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["method"].as_str().unwrap())
        .collect()
}

fn only_line(out: &std::process::Output) -> Value {
    let lines = json_lines(out);
    assert_eq!(lines.len(), 1, "exactly one line: {}", text(out));
    lines.into_iter().next().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn ls_fields_and_formats() {
    let dir = tempfile::tempdir().unwrap();
    let fake = seeded(dir.path()).await;
    let assets = fake.state().uploaded_assets();

    let csv_out = run(
        &fake,
        &[
            "ls",
            "--fields",
            "id,displayName,size,folderPath",
            "--format",
            "csv",
        ],
    )
    .await;
    assert_eq!(csv_out.status.code(), Some(0), "{}", text(&csv_out));
    let mut reader = csv::Reader::from_reader(csv_out.stdout.as_slice());
    assert_eq!(
        reader.headers().unwrap(),
        vec!["id", "displayName", "size", "folderPath"]
    );
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    rows.sort_by(|x, y| x[1].cmp(&y[1]));
    let id_of = |name: &str| {
        assets
            .iter()
            .find(|a| a.file_name == name)
            .unwrap()
            .id
            .clone()
    };
    assert_eq!(
        rows,
        vec![
            vec![id_of("a.txt"), "a.txt".into(), "5".into(), "".into()],
            vec![id_of("b.txt"), "b.txt".into(), "6".into(), "brand".into()],
        ]
    );

    // JSON with --fields: exactly the fields asked for, in order, by Webflow's names (the
    // JSON lines' snake_case names are taken too).
    let picked = run(&fake, &["ls", "--json", "--fields", "hosted_url,id"]).await;
    for line in json_lines(&picked) {
        let keys: Vec<&String> = line.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["hostedUrl", "id"]);
    }
    assert_eq!(json_lines(&picked).len(), 2);

    // --format json is --json.
    let json = run(&fake, &["ls", "--json"]).await;
    let format_json = run(&fake, &["ls", "--format", "json"]).await;
    assert_eq!(json.stdout, format_json.stdout);
    assert_eq!(json_lines(&json).len(), 2);

    // The table: a header, then a row per asset, not cut when piped.
    let table = run(&fake, &["ls", "--fields", "displayName,hostedUrl,altText"]).await;
    let table = String::from_utf8(table.stdout).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    assert!(lines[0].starts_with("displayName  hostedUrl"), "{table}");
    for listed in json_lines(&json) {
        let name = listed["name"].as_str().unwrap();
        let row = lines.iter().find(|l| l.starts_with(name)).unwrap();
        assert!(
            row.contains(listed["hosted_url"].as_str().unwrap()),
            "{table}"
        );
    }

    // An unknown field is a usage error naming the valid ones.
    let unknown = run(&fake, &["ls", "--fields", "id,colour"]).await;
    assert_eq!(unknown.status.code(), Some(2));
    let words = text(&unknown);
    assert!(
        words.contains("colour") && words.contains("folderPath"),
        "{words}"
    );
    let unknown = run(&fake, &["ls", "--fields", "id,colour", "--json"]).await;
    assert_eq!(unknown.status.code(), Some(2));
    let line = only_line(&unknown);
    assert_eq!(line["code"], "usage");
    assert!(line["error"].as_str().unwrap().contains("colour"), "{line}");
}

#[tokio::test(flavor = "multi_thread")]
async fn upload_dry_run_checks_and_hashes_but_sends_nothing() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    std::fs::write(&a, "alpha").unwrap();
    let exe = dir.path().join("tool.exe");
    std::fs::write(&exe, "MZ").unwrap();

    let dry = run(
        &fake,
        &[
            "upload",
            a.to_str().unwrap(),
            "--folder",
            "brand/2026",
            "--name",
            "Alpha",
            "--dry-run",
            "--json",
        ],
    )
    .await;
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry));
    let line = only_line(&dry);
    let plan = &line["upload_plan"];
    assert_eq!(plan["file_name"], "a.txt");
    assert_eq!(plan["size"], 5);
    assert_eq!(plan["md5"], webflow_assets::hash::md5_bytes(b"alpha"));
    assert_eq!(plan["folder_path"], "brand/2026");
    assert_eq!(plan["display_name"], "Alpha");
    assert_eq!(methods(plan), ["GET", "POST", "POST", "PATCH"]);

    // Without alt text or a name the run confirms nothing: the create and the S3 form.
    let bare = run(
        &fake,
        &["upload", a.to_str().unwrap(), "--dry-run", "--json"],
    )
    .await;
    let bare_plan = &only_line(&bare)["upload_plan"];
    assert_eq!(methods(bare_plan), ["POST", "POST"], "{}", text(&bare));

    let plain = run(&fake, &["upload", a.to_str().unwrap(), "--dry-run"]).await;
    assert_eq!(plain.status.code(), Some(0));
    assert!(
        text(&plain).contains("nothing was sent"),
        "{}",
        text(&plain)
    );

    // A refused file fails the dry run as it would fail the upload.
    let refused = run(
        &fake,
        &[
            "upload",
            a.to_str().unwrap(),
            exe.to_str().unwrap(),
            "--dry-run",
            "--json",
        ],
    )
    .await;
    assert_eq!(refused.status.code(), Some(1));
    let lines = json_lines(&refused);
    assert_eq!(
        lines.last().unwrap()["code"],
        "refused_file",
        "{}",
        text(&refused)
    );
    assert_eq!(lines.iter().filter(|l| l.get("code").is_some()).count(), 1);

    // Each refused file is named in the error line, with their count.
    let empty = dir.path().join("empty.png");
    std::fs::write(&empty, "").unwrap();
    let two = run(
        &fake,
        &[
            "upload",
            exe.to_str().unwrap(),
            empty.to_str().unwrap(),
            "--dry-run",
            "--json",
        ],
    )
    .await;
    assert_eq!(two.status.code(), Some(1));
    let error = json_lines(&two).last().unwrap()["error"].to_string();
    assert!(error.contains("2 files would be refused"), "{error}");
    assert!(
        error.contains("tool.exe") && error.contains("empty.png"),
        "{error}"
    );

    assert!(fake.requests().is_empty(), "{:?}", fake.requests());
    assert!(fake.state().uploaded_assets().is_empty());

    // With no site named, the token's only site is found with one request, which the plan
    // owns up to; no upload is sent.
    let mut default_site = command(&fake, &["upload", a.to_str().unwrap(), "--dry-run"]);
    default_site.env_remove("WEBFLOW_SITE_ID");
    let default_site = output(default_site).await;
    assert_eq!(
        default_site.status.code(),
        Some(0),
        "{}",
        text(&default_site)
    );
    assert!(
        text(&default_site).contains("choosing the site took GET /token/introspect"),
        "{}",
        text(&default_site)
    );
    assert_eq!(fake.requests().len(), 1, "{:?}", fake.requests());
    assert!(fake.state().uploaded_assets().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn upload_name_sets_the_display_name_of_one_file() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    std::fs::write(&a, "alpha").unwrap();
    let up = run(
        &fake,
        &["upload", a.to_str().unwrap(), "--name", "Alpha sheet"],
    )
    .await;
    assert_eq!(up.status.code(), Some(0), "{}", text(&up));
    let assets = fake.state().uploaded_assets();
    assert_eq!(assets.len(), 1);
    assert_eq!(assets[0].display_name, "Alpha sheet");
    assert_eq!(assets[0].file_name, "a.txt");

    let two = run(
        &fake,
        &[
            "upload",
            a.to_str().unwrap(),
            a.to_str().unwrap(),
            "--name",
            "x",
            "--json",
        ],
    )
    .await;
    assert_eq!(two.status.code(), Some(2), "a usage error exits 2");
    assert_eq!(only_line(&two)["code"], "usage");

    // A blank display name is the input refused, not the file; nothing is sent.
    fake.log().clear();
    let blank = run(
        &fake,
        &["upload", a.to_str().unwrap(), "--name", " ", "--json"],
    )
    .await;
    assert_eq!(blank.status.code(), Some(1), "{}", text(&blank));
    assert_eq!(only_line(&blank)["code"], "invalid_input");
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());
}

#[tokio::test(flavor = "multi_thread")]
async fn alt_and_rename_dry_runs_read_once_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let fake = seeded(dir.path()).await;
    let asset = fake.state().uploaded_assets()[0].clone();
    fake.log().clear();

    let alt = run(
        &fake,
        &["alt", &asset.id, "A new text", "--dry-run", "--json"],
    )
    .await;
    assert_eq!(alt.status.code(), Some(0), "{}", text(&alt));
    let line = only_line(&alt);
    assert_eq!(line["field"], "altText");
    assert_eq!(line["from"], Value::Null);
    assert_eq!(line["to"], "A new text");
    assert_eq!(line["changed"], true);

    let rename = run(
        &fake,
        &["rename", &asset.id, &asset.display_name, "--dry-run"],
    )
    .await;
    assert_eq!(rename.status.code(), Some(0), "{}", text(&rename));
    assert!(
        text(&rename).contains("nothing would change"),
        "{}",
        text(&rename)
    );
    let rename = run(&fake, &["rename", &asset.id, "Renamed", "--dry-run"]).await;
    assert!(
        text(&rename).contains("-> \"Renamed\""),
        "{}",
        text(&rename)
    );

    let missing = run(
        &fake,
        &[
            "rename",
            "6500aa00bb11cc22dd33ee01",
            "x",
            "--dry-run",
            "--json",
        ],
    )
    .await;
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(only_line(&missing)["code"], "not_found");

    let sent: Vec<String> = fake
        .requests()
        .iter()
        .filter(|r| r.side == Side::Webflow)
        .map(|r| r.method.clone())
        .collect();
    assert_eq!(
        sent,
        ["GET", "GET", "GET", "GET"],
        "one read each, no change"
    );
    let now = fake.state().asset(&asset.id).unwrap();
    assert_eq!(
        (now.alt_text, now.display_name),
        (asset.alt_text, asset.display_name)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn folders_create_under_a_parent_by_id_or_path() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let brand = run(&fake, &["folders", "create", "brand", "--json"]).await;
    assert_eq!(brand.status.code(), Some(0), "{}", text(&brand));
    assert_eq!(only_line(&brand)["path"], "brand");

    let logos = run(
        &fake,
        &["folders", "create", "logos", "--parent", "brand", "--json"],
    )
    .await;
    let logos = only_line(&logos);
    assert_eq!(logos["path"], "brand/logos");
    let logos_id = logos["id"].as_str().unwrap().to_string();

    let year = run(&fake, &["folders", "create", "2026", "--parent", &logos_id]).await;
    assert_eq!(year.status.code(), Some(0), "{}", text(&year));
    assert!(text(&year).contains("brand/logos/2026"), "{}", text(&year));
    let year = fake
        .state()
        .folders()
        .into_iter()
        .find(|f| f.display_name == "2026")
        .unwrap();
    assert_eq!(year.parent_folder.as_deref(), Some(logos_id.as_str()));

    // Listing, bare or as `folders list`.
    let listed = run(&fake, &["folders"]).await;
    let listed_too = run(&fake, &["folders", "list"]).await;
    assert_eq!(listed.stdout, listed_too.stdout);
    assert_eq!(String::from_utf8(listed.stdout).unwrap().lines().count(), 3);

    let taken = run(
        &fake,
        &["folders", "create", "logos", "--parent", "brand", "--json"],
    )
    .await;
    assert_eq!(taken.status.code(), Some(1));
    assert_eq!(only_line(&taken)["code"], "conflict");
    let nowhere = run(
        &fake,
        &["folders", "create", "x", "--parent", "nope/none", "--json"],
    )
    .await;
    assert_eq!(only_line(&nowhere)["code"], "not_found");
    let unknown_id = run(
        &fake,
        &[
            "folders",
            "create",
            "x",
            "--parent",
            "6500aa00bb11cc22dd33ee01",
            "--json",
        ],
    )
    .await;
    assert_eq!(only_line(&unknown_id)["code"], "not_found");
    assert_eq!(fake.state().folders().len(), 3);

    // A folder named with 24 hex digits is found by its path.
    let site = fake.site_id().to_string();
    let hex_name = "6500aa00bb11cc22dd33ee0f";
    let hex = fake.seed_folder(&site, None, hex_name);
    let under_hex = run(
        &fake,
        &["folders", "create", "x", "--parent", hex_name, "--json"],
    )
    .await;
    assert_eq!(under_hex.status.code(), Some(0), "{}", text(&under_hex));
    assert_eq!(only_line(&under_hex)["path"], format!("{hex_name}/x"));
    // A name that is also another folder's id names two folders: an error naming both.
    fake.seed_folder(&site, None, &logos_id);
    let both = run(
        &fake,
        &["folders", "create", "y", "--parent", &logos_id, "--json"],
    )
    .await;
    assert_eq!(both.status.code(), Some(1), "{}", text(&both));
    let line = only_line(&both);
    assert_eq!(line["code"], "conflict");
    assert!(
        line["error"].as_str().unwrap().contains("brand/logos"),
        "{line}"
    );
    // Two folders with one path: an error listing both, not the first.
    let twin_a = fake.seed_folder(&site, None, "twin");
    let twin_b = fake.seed_folder(&site, None, "twin");
    let twins = run(
        &fake,
        &["folders", "create", "z", "--parent", "twin", "--json"],
    )
    .await;
    assert_eq!(twins.status.code(), Some(1), "{}", text(&twins));
    let error = only_line(&twins)["error"].to_string();
    assert!(
        error.contains(&twin_a) && error.contains(&twin_b),
        "{error}"
    );
    let created = fake.state().folders().len();
    assert_eq!(created, 8, "only {hex}/x was created");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_failure_is_one_json_line_with_a_code() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let exe = dir.path().join("tool.exe");
    std::fs::write(&exe, "MZ").unwrap();

    let mut no_token = command(&fake, &["ls", "--json"]);
    no_token.env_remove("WEBFLOW_TOKEN").current_dir(dir.path());
    let no_token = output(no_token).await;
    assert_eq!(no_token.status.code(), Some(1));
    assert_eq!(only_line(&no_token)["code"], "missing_token");

    // With one site the token's only site is the default; with two, one must be named.
    fake.state().add_site();
    let mut no_site = command(&fake, &["ls", "--json"]);
    no_site
        .env_remove("WEBFLOW_SITE_ID")
        .current_dir(dir.path());
    let no_site = output(no_site).await;
    assert_eq!(only_line(&no_site)["code"], "missing_site");
    assert!(
        only_line(&no_site)["error"]
            .as_str()
            .unwrap()
            .contains("--site")
    );

    let mut wrong = command(&fake, &["ls", "--json"]);
    wrong.env("WEBFLOW_TOKEN", "not-the-token");
    let wrong = output(wrong).await;
    let line = only_line(&wrong);
    assert_eq!(line["code"], "invalid_token");
    assert_eq!(line["kind"], "unauthorized");
    assert!(
        line["hint"]
            .as_str()
            .unwrap()
            .contains("invalid or expired"),
        "{line}"
    );

    let missing = run(&fake, &["info", "6500aa00bb11cc22dd33ee01", "--json"]).await;
    assert_eq!(only_line(&missing)["code"], "not_found");

    let refused = run(&fake, &["upload", exe.to_str().unwrap(), "--json"]).await;
    assert_eq!(refused.status.code(), Some(1));
    let lines = json_lines(&refused);
    assert_eq!(
        lines.last().unwrap()["code"],
        "refused_file",
        "{}",
        text(&refused)
    );
    assert_eq!(lines.iter().filter(|l| l.get("code").is_some()).count(), 1);

    let gone = run(&fake, &["rm", "6500aa00bb11cc22dd33ee01", "--json"]).await;
    assert_eq!(gone.status.code(), Some(1));
    let lines = json_lines(&gone);
    assert_eq!(lines[0]["kind"], "not_found", "the file's line");
    assert_eq!(
        lines.last().unwrap()["code"],
        "not_found",
        "then the error line"
    );

    let usage = run(&fake, &["upload", "--json"]).await;
    assert_eq!(usage.status.code(), Some(2));
    let line = only_line(&usage);
    assert_eq!(line["code"], "usage");
    assert!(
        line["error"].as_str().unwrap().contains("<FILES>"),
        "{line}"
    );
    // Without --json, clap's own words on standard error, as before.
    let usage = run(&fake, &["upload"]).await;
    assert_eq!(usage.status.code(), Some(2));
    assert!(usage.stdout.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_scope_is_named() {
    let read_only = FakeWebflow::builder()
        .scopes(["assets:read"])
        .start()
        .await
        .unwrap();
    let create = run(&read_only, &["folders", "create", "brand", "--json"]).await;
    assert_eq!(create.status.code(), Some(1));
    let line = only_line(&create);
    assert_eq!(line["code"], "missing_scope", "{line}");
    assert!(
        line["hint"].as_str().unwrap().contains("assets:write"),
        "{line}"
    );
    assert!(read_only.state().folders().is_empty());

    let none = FakeWebflow::builder()
        .scopes(Vec::<String>::new())
        .start()
        .await
        .unwrap();
    let listed = run(&none, &["ls"]).await;
    assert_eq!(listed.status.code(), Some(1));
    let words = text(&listed);
    assert!(words.contains("missing_scopes"), "{words}");
    assert!(
        words.contains("hint: ") && words.contains("assets:read"),
        "{words}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_connection_prints_its_causes_once() {
    // A port held for the whole test but never listened on: connections to it are refused,
    // and nothing else (the fake included) can take it meanwhile.
    let held = tokio::net::TcpSocket::new_v4().unwrap();
    held.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let port = held.local_addr().unwrap().port();
    let fake = FakeWebflow::builder().start().await.unwrap();
    let base = format!("http://127.0.0.1:{port}/v2");
    let mut plain = command(&fake, &["folders", "--base-url", &base]);
    plain.env("NO_COLOR", "1");
    let plain = output(plain).await;
    assert_eq!(plain.status.code(), Some(1));
    let words = String::from_utf8_lossy(&plain.stderr).into_owned();
    assert_eq!(words.matches("error sending request").count(), 1, "{words}");
    assert!(
        words.contains("tcp connect error"),
        "the cause is shown: {words}"
    );
    let json = output(command(&fake, &["folders", "--base-url", &base, "--json"])).await;
    let line = only_line(&json);
    assert_eq!(line["code"], "network");
    assert_eq!(line["kind"], "network");
    assert!(fake.requests().is_empty());
    drop(held);
}

#[tokio::test(flavor = "multi_thread")]
async fn ls_fields_named_twice_are_one_column() {
    let dir = tempfile::tempdir().unwrap();
    let fake = seeded(dir.path()).await;
    for fields in ["id,id", "name,displayName,id"] {
        let table = run(&fake, &["ls", "--fields", fields]).await;
        assert_eq!(table.status.code(), Some(0), "{fields}: {}", text(&table));
        let table = String::from_utf8(table.stdout).unwrap();
        let header: Vec<&str> = table.lines().next().unwrap().split_whitespace().collect();
        let expected: &[&str] = match fields {
            "id,id" => &["id"],
            _ => &["displayName", "id"],
        };
        assert_eq!(header, expected, "{table}");
        assert_eq!(table.lines().count(), 3, "{table}");

        let csv_out = run(&fake, &["ls", "--fields", fields, "--format", "csv"]).await;
        assert_eq!(csv_out.status.code(), Some(0), "{}", text(&csv_out));
        let mut reader = csv::Reader::from_reader(csv_out.stdout.as_slice());
        assert_eq!(reader.headers().unwrap(), expected);
        for record in reader.records() {
            assert_eq!(record.unwrap().len(), expected.len());
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn json_failures_without_a_subcommand_are_one_usage_line() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    for args in [&["--json", "fonts"][..], &["auth", "--json"], &["--json"]] {
        let out = run(&fake, args).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        let line = only_line(&out);
        assert_eq!(line["code"], "usage", "{args:?}");
    }
    // --format json asks for JSON lines as --json does, a usage error's included.
    let out = run(&fake, &["ls", "--format", "json", "--fields", "id,colour"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert_eq!(only_line(&out)["code"], "usage");
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reader_that_stops_early_ends_the_listing_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let fake = seeded(dir.path()).await;
    for args in [&["ls", "--json"][..], &["ls", "--format", "csv"], &["ls"]] {
        let mut command = command(&fake, args);
        command
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let out = tokio::task::spawn_blocking(move || {
            let mut child = command.spawn().unwrap();
            // Closed before the listing arrives, as `head` closes it after its lines.
            drop(child.stdout.take());
            child.wait_with_output().unwrap()
        })
        .await
        .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_whose_reader_stops_early_still_uploads_every_file() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let names = ["a.txt", "b.txt", "c.txt"];
    for name in names {
        std::fs::write(dir.path().join(name), name).unwrap();
    }
    let args = [
        "sync",
        dir.path().to_str().unwrap(),
        "--json",
        "--concurrency",
        "1",
    ];
    let mut command = command(&fake, &args);
    command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let out = tokio::task::spawn_blocking(move || {
        let mut child = command.spawn().unwrap();
        drop(child.stdout.take());
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let mut uploaded: Vec<String> = fake
        .state()
        .uploaded_assets()
        .iter()
        .map(|a| a.file_name.clone())
        .collect();
    uploaded.sort();
    assert_eq!(uploaded, names, "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dry_run_refused_by_max_delete_has_its_code() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    for name in ["a.txt", "b.txt", "c.txt"] {
        std::fs::write(dir.path().join(name), name).unwrap();
    }
    assert_eq!(run(&fake, &["sync", path]).await.status.code(), Some(0));
    for name in ["a.txt", "b.txt"] {
        std::fs::remove_file(dir.path().join(name)).unwrap();
    }
    let args = [
        "sync",
        path,
        "--delete",
        "--dry-run",
        "--max-delete",
        "1",
        "--json",
    ];
    let dry = run(&fake, &args).await;
    assert_eq!(dry.status.code(), Some(1), "{}", text(&dry));
    let lines = json_lines(&dry);
    assert_eq!(lines.last().unwrap()["code"], "refused", "{}", text(&dry));
    assert_eq!(lines.iter().filter(|l| l.get("code").is_some()).count(), 1);
    // The run refuses it by the same rule, in the same words: one rule, the library's.
    let real: Vec<&str> = args.iter().copied().filter(|a| *a != "--dry-run").collect();
    let refused = run(&fake, &real).await;
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    let error = json_lines(&refused).pop().unwrap();
    assert_eq!(&error, lines.last().unwrap(), "{}", text(&refused));
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .contains("more than the 1 allowed"),
        "{error}"
    );
    // At the limit, both go ahead: the dry run plans the two deletes, the run makes them.
    let at_limit = ["sync", path, "--delete", "--dry-run", "--max-delete", "2"];
    let dry = run(&fake, &at_limit).await;
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry));
    assert_eq!(fake.state().uploaded_assets().len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_token_s_hint_names_where_it_came_from() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let hint = |out: &std::process::Output| {
        assert_eq!(out.status.code(), Some(1), "{}", text(out));
        let line = only_line(out);
        assert_eq!(line["code"], "invalid_token", "{line}");
        line["hint"].as_str().unwrap().to_string()
    };

    let mut env = command(&fake, &["ls", "--json"]);
    env.env("WEBFLOW_TOKEN", "stale").current_dir(dir.path());
    let env = hint(&output(env).await);
    assert!(env.contains("from $WEBFLOW_TOKEN is invalid"), "{env}");
    assert!(env.contains("unset $WEBFLOW_TOKEN"), "{env}");

    std::fs::write(dir.path().join(".env"), "WEBFLOW_API_TOKEN=stale\n").unwrap();
    let mut dot_env = command(&fake, &["ls", "--json"]);
    dot_env.env_remove("WEBFLOW_TOKEN").current_dir(dir.path());
    let dot_env = hint(&output(dot_env).await);
    assert!(
        dot_env.contains("WEBFLOW_API_TOKEN in") && dot_env.contains(".env"),
        "{dot_env}"
    );
    assert!(!dot_env.contains("$WEBFLOW_TOKEN"), "{dot_env}");
    std::fs::remove_file(dir.path().join(".env")).unwrap();

    // The copy's target token may be the refused one: the hint names it too.
    let mut copy = command(&fake, &["copy", "--to-site", fake.site_id(), "--json"]);
    copy.env("WEBFLOW_TOKEN", "stale")
        .env("WEBFLOW_TARGET_TOKEN", "stale")
        .current_dir(dir.path());
    let copy = hint(&output(copy).await);
    assert!(copy.contains("WEBFLOW_TARGET_TOKEN"), "{copy}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_site_s_text_cannot_split_a_table_row() {
    let dir = tempfile::tempdir().unwrap();
    let fake = seeded(dir.path()).await;
    let asset = fake.state().uploaded_assets()[0].clone();
    let set = run(&fake, &["alt", &asset.id, "two\nlines \u{1b}[2Jgone"]).await;
    assert_eq!(set.status.code(), Some(0), "{}", text(&set));
    let table = run(&fake, &["ls", "--fields", "id,altText"]).await;
    assert_eq!(table.status.code(), Some(0), "{}", text(&table));
    let table = String::from_utf8(table.stdout).unwrap();
    assert_eq!(table.lines().count(), 3, "a header and two rows: {table}");
    assert!(!table.contains('\u{1b}'), "{table:?}");
    assert!(table.contains(r"two\nlines \u{1b}[2Jgone"), "{table}");
}

#[tokio::test(flavor = "multi_thread")]
async fn ls_folder_with_folder_paths_lists_the_folders_once() {
    let dir = tempfile::tempdir().unwrap();
    let fake = seeded(dir.path()).await;
    fake.log().clear();
    let out = run(
        &fake,
        &[
            "ls",
            "--folder",
            "brand",
            "--fields",
            "id,folderPath",
            "--format",
            "csv",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains(",brand"), "{}", text(&out));
    let listings = fake
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path.contains("asset_folders"))
        .count();
    assert_eq!(listings, 1, "{:?}", fake.requests());

    // --json is --format json; another format with it is a usage error.
    let both = run(&fake, &["ls", "--json", "--format", "csv"]).await;
    assert_eq!(both.status.code(), Some(2), "{}", text(&both));
    assert_eq!(only_line(&both)["code"], "usage");
}
