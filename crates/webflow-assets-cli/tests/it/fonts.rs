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

/// A font fixture of the library's tests (real fonts; see their PROVENANCE.md).
fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../webflow-assets/tests/fixtures/fonts/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn s3_posts(fake: &FakeHandle) -> usize {
    fake.requests()
        .iter()
        .filter(|r| r.side == Side::S3 && r.method == "POST")
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn fonts_upload_woff2_compresses_shows_sizes_and_a_rerun_is_a_no_op() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    let ttf = fixture("DejaVuSans-Latin.ttf");
    let otf = fixture("Cantarell-Thin.otf");
    std::fs::write(dir.path().join("DejaVuSans-Latin.ttf"), &ttf).unwrap();
    std::fs::write(dir.path().join("Cantarell-Thin.otf"), &otf).unwrap();

    // The dry run says each file's size before and after, and sends nothing but the listing.
    let plan = run(
        &fake,
        true,
        &["fonts", "upload", path, "--woff2", "--dry-run"],
    )
    .await;
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan));
    let out = text(&plan);
    assert!(
        out.contains(&format!(
            "would upload DejaVuSans-Latin.ttf as DejaVuSans-Latin.woff2: {} -> ",
            ttf.len()
        )),
        "{out}"
    );
    assert!(
        out.contains("would upload Cantarell-Thin.otf as Cantarell-Thin.woff2"),
        "{out}"
    );
    assert!(
        out.contains("plan: 2 to upload, 0 skipped, 0 failed"),
        "{out}"
    );
    let lines = json_lines(
        &run(
            &fake,
            true,
            &["fonts", "upload", path, "--woff2", "--dry-run", "--json"],
        )
        .await,
    );
    let planned: Vec<&Value> = lines.iter().filter(|l| l["status"] == "planned").collect();
    assert_eq!(planned.len(), 2, "{lines:?}");
    let dejavu = planned
        .iter()
        .find(|l| l["file"] == "DejaVuSans-Latin.ttf")
        .unwrap();
    assert_eq!(dejavu["upload_as"], "DejaVuSans-Latin.woff2");
    assert_eq!(dejavu["source_size"], ttf.len() as u64);
    let size = dejavu["size"].as_u64().unwrap();
    assert!(size * 2 < ttf.len() as u64, "{size}");
    assert_eq!(
        (dejavu["family"].as_str(), dejavu["weight"].as_u64()),
        (Some("DejaVu Sans"), Some(400))
    );
    // A dry run ends with the report line every run ends with: nothing uploaded.
    let report = &lines.last().unwrap()["report"];
    assert_eq!(
        (report["uploaded"].as_u64(), report["failed"].as_u64()),
        (Some(0), Some(0))
    );
    assert!(
        fake.requests().iter().all(|r| r.method == "GET"),
        "a dry run only reads"
    );
    assert!(!dir.path().join(".webflow-fonts.json").exists());

    let first = run(&fake, true, &["fonts", "upload", path, "--woff2", "--json"]).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let listed = json_lines(&run(&fake, true, &["fonts", "ls", "--json"]).await);
    let mut names: Vec<&str> = listed
        .iter()
        .map(|f| f["fileName"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["Cantarell-Thin.woff2", "DejaVuSans-Latin.woff2"]);
    assert!(listed.iter().all(|f| f["format"] == "woff2"));
    let cantarell = listed
        .iter()
        .find(|f| f["fileName"] == "Cantarell-Thin.woff2")
        .unwrap();
    assert_eq!(
        (
            cantarell["fontFamily"].as_str(),
            cantarell["weight"].as_u64()
        ),
        (Some("Cantarell"), Some(100))
    );
    // The manifest remembers each source file by its own name and MD5.
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join(".webflow-fonts.json")).unwrap())
            .unwrap();
    assert_eq!(
        manifest["DejaVuSans-Latin.ttf"]["md5"],
        webflow_assets::hash::md5_bytes(&ttf)
    );

    // A rerun is a no-op: the manifest's MD5 is the TTF's, so nothing is compressed or
    // fetched (the fake's CDN is on loopback, which this run may not reach: comparing the
    // hosted WOFF2 would fail the files).
    fake.log().clear();
    let again = run(&fake, true, &["fonts", "upload", path, "--woff2"]).await;
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert!(
        text(&again).contains("0 uploaded, 2 skipped, 0 failed"),
        "{}",
        text(&again)
    );
    assert_eq!(s3_posts(&fake), 0);
    assert!(fake.requests().iter().all(|r| r.side == Side::Webflow));
}

/// Webflow answers 409 to a face the site has under another file name: the same hosted
/// bytes are a skip naming the font, other bytes a failure naming the `fonts replace` to run.
#[tokio::test(flavor = "multi_thread")]
async fn fonts_upload_of_a_face_on_the_site_skips_same_bytes_and_names_replace_otherwise() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ttf = fixture("DejaVuSans-Latin.ttf");
    let original = dir.path().join("DejaVuSans-Latin.ttf");
    std::fs::write(&original, &ttf).unwrap();
    let first = run(
        &fake,
        true,
        &["fonts", "upload", original.to_str().unwrap(), "--json"],
    )
    .await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let id = json_lines(&first)[0]["id"].as_str().unwrap().to_string();

    let copy = dir.path().join("Copy.ttf");
    std::fs::write(&copy, &ttf).unwrap();
    let skipped = run(
        &fake,
        true,
        &[
            "fonts",
            "upload",
            copy.to_str().unwrap(),
            "--allow-private-urls",
        ],
    )
    .await;
    assert_eq!(skipped.status.code(), Some(0), "{}", text(&skipped));
    assert!(
        text(&skipped).contains(&format!(
            "skipped Copy.ttf: already on the site as {id} (DejaVuSans-Latin.ttf), the same bytes"
        )),
        "{}",
        text(&skipped)
    );

    // The same face as WOFF2: other bytes. The dry run says so too, without uploading.
    let woff2 = dir.path().join("DejaVuSans-Latin.woff2");
    std::fs::write(&woff2, fixture("DejaVuSans-Latin.woff2")).unwrap();
    let woff2 = woff2.to_str().unwrap();
    for dry_run in [true, false] {
        let mut args = vec!["fonts", "upload", woff2, "--allow-private-urls", "--json"];
        if dry_run {
            args.push("--dry-run");
        }
        let refused = run(&fake, true, &args).await;
        assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
        let line = &json_lines(&refused)[0];
        assert_eq!(line["status"], "failed", "{line}");
        assert_eq!(line["id"], id.as_str());
        // The whole text, so a run of spaces from a broken line continuation shows.
        assert_eq!(
            line["detail"].as_str().unwrap(),
            format!(
                "DejaVu Sans 400 is already on the site as {id} (DejaVuSans-Latin.ttf) with \
                 other bytes; to put this file in its place run \
                 `webflow-assets fonts replace {id} {woff2}`"
            )
        );
    }
    // Without leave to fetch from the fake's loopback CDN the hosted file cannot be read:
    // a failure that says so, in one sentence.
    let uncompared = run(&fake, true, &["fonts", "upload", woff2]).await;
    assert_eq!(uncompared.status.code(), Some(1), "{}", text(&uncompared));
    let out = text(&uncompared);
    let line = out
        .lines()
        .find(|l| l.contains("could not be compared"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.starts_with(&format!(
            "failed DejaVuSans-Latin.woff2: DejaVu Sans 400 is already on the site as {id} \
             (DejaVuSans-Latin.ttf) and could not be compared: "
        )),
        "{line}"
    );
    assert!(!line.contains("  "), "{line}");
    assert_eq!(
        json_lines(&run(&fake, true, &["fonts", "ls", "--json"]).await).len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn italic_is_a_switch_and_errors_name_the_flags() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    // A real font whose OS/2 table is renamed away: its weight cannot be read.
    let mut ttf = fixture("DejaVuSans-Latin.ttf");
    let count = usize::from(u16::from_be_bytes([ttf[4], ttf[5]]));
    let entry = (0..count)
        .map(|i| 12 + 16 * i)
        .find(|at| &ttf[*at..*at + 4] == b"OS/2")
        .unwrap();
    ttf[entry..entry + 4].copy_from_slice(b"OS/3");
    let file = dir.path().join("NoWeight.ttf");
    std::fs::write(&file, &ttf).unwrap();
    let file = file.to_str().unwrap();

    let asked = run(&fake, true, &["fonts", "upload", file]).await;
    assert_eq!(asked.status.code(), Some(1), "{}", text(&asked));
    let out = text(&asked);
    assert!(out.contains("cannot read the font's weight"), "{out}");
    assert!(out.contains("pass --weight N"), "{out}");
    assert!(
        !out.contains("weight(..)") && !out.contains("builder"),
        "{out}"
    );

    let with_values = run(
        &fake,
        true,
        &[
            "fonts", "upload", file, "--weight", "300", "--italic", "--json",
        ],
    )
    .await;
    assert_eq!(with_values.status.code(), Some(0), "{}", text(&with_values));
    let font = &json_lines(&run(&fake, true, &["fonts", "ls", "--json"]).await)[0];
    assert_eq!(
        (font["weight"].as_u64(), font["italic"].as_bool()),
        (Some(300), Some(true))
    );

    // The later of --italic and --no-italic wins.
    let upright = dir.path().join("Upright.ttf");
    std::fs::write(&upright, &ttf).unwrap();
    let upright = run(
        &fake,
        true,
        &[
            "fonts",
            "upload",
            upright.to_str().unwrap(),
            "--weight",
            "300",
            "--italic",
            "--no-italic",
        ],
    )
    .await;
    assert_eq!(upright.status.code(), Some(0), "{}", text(&upright));
    let fonts = json_lines(&run(&fake, true, &["fonts", "ls", "--json"]).await);
    let upright = fonts
        .iter()
        .find(|f| f["fileName"] == "Upright.ttf")
        .unwrap();
    assert_eq!(upright["italic"], false);

    // `fonts replace` too: a variable font replaced by a compressed EOT, whose axes only the
    // font inside would tell, is refused in the command's words.
    let variable = dir.path().join("Inter.ttf");
    std::fs::write(&variable, fixture("Inter-Italic-Variable-Latin.ttf")).unwrap();
    let up = run(
        &fake,
        true,
        &["fonts", "upload", variable.to_str().unwrap(), "--json"],
    )
    .await;
    assert_eq!(up.status.code(), Some(0), "{}", text(&up));
    let id = json_lines(&up)[0]["id"].as_str().unwrap().to_string();
    let mut eot = fixture("DejaVuSans-Latin.eot");
    eot[12..16].copy_from_slice(&4u32.to_le_bytes());
    let eot_path = dir.path().join("Compressed.eot");
    std::fs::write(&eot_path, eot).unwrap();
    let replaced = run(
        &fake,
        true,
        &[
            "fonts",
            "replace",
            &id,
            eot_path.to_str().unwrap(),
            "--json",
        ],
    )
    .await;
    assert_eq!(replaced.status.code(), Some(1), "{}", text(&replaced));
    let line = &json_lines(&replaced)[0];
    assert_eq!(line["code"], "refused_file", "{line}");
    let message = line["error"].as_str().unwrap();
    assert!(
        message.contains("replace it with a WOFF2, WOFF, TTF or OTF file"),
        "{message}"
    );
    assert!(!message.contains("axes(..)"), "{message}");

    // `--italic true` is the old form: a usage error now, before anything is sent.
    fake.log().clear();
    let old = run(&fake, true, &["fonts", "upload", file, "--italic", "true"]).await;
    assert_eq!(old.status.code(), Some(2), "{}", text(&old));
    assert!(fake.requests().is_empty());
}

/// A directory's font found to be on the site already, the same bytes (Webflow's 409 for a
/// face hosted under another name, or a hosted file of its name without a manifest entry),
/// is remembered in the manifest: a rerun skips it with no upload, no create request and
/// no download.
#[tokio::test(flavor = "multi_thread")]
async fn a_font_skipped_as_already_hosted_is_remembered_and_a_rerun_sends_nothing() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let ttf = fixture("DejaVuSans-Latin.ttf");
    let first = scratch.path().join("DejaVuSans-Latin.ttf");
    std::fs::write(&first, &ttf).unwrap();
    let args = ["fonts", "upload", first.to_str().unwrap(), "--woff2"];
    let single = run(&fake, true, &args).await;
    assert_eq!(single.status.code(), Some(0), "{}", text(&single));
    let inter = scratch.path().join("Inter.ttf");
    std::fs::write(&inter, fixture("Inter-Italic-Variable-Latin.ttf")).unwrap();
    let args = ["fonts", "upload", inter.to_str().unwrap(), "--woff2"];
    let single = run(&fake, true, &args).await;
    assert_eq!(single.status.code(), Some(0), "{}", text(&single));
    let listed = json_lines(&run(&fake, true, &["fonts", "ls", "--json"]).await);
    let id_of = |file: &str| {
        listed.iter().find(|f| f["fileName"] == file).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (dejavu, inter_id) = (id_of("DejaVuSans-Latin.woff2"), id_of("Inter.woff2"));

    // The same DejaVu bytes under another name (Webflow answers 409), and Inter under its
    // own name; each compressed to what the site has.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    std::fs::write(dir.path().join("Copy.ttf"), &ttf).unwrap();
    std::fs::write(
        dir.path().join("Inter.ttf"),
        fixture("Inter-Italic-Variable-Latin.ttf"),
    )
    .unwrap();
    let args = ["fonts", "upload", path, "--woff2", "--allow-private-urls"];
    let found = run(&fake, true, &args).await;
    assert_eq!(found.status.code(), Some(0), "{}", text(&found));
    assert!(
        text(&found).contains("0 uploaded, 2 skipped, 0 failed"),
        "{}",
        text(&found)
    );
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join(".webflow-fonts.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["Copy.ttf"]["id"], dejavu.as_str(), "{manifest}");
    assert_eq!(
        manifest["Copy.ttf"]["md5"],
        webflow_assets::hash::md5_bytes(&ttf)
    );
    assert_eq!(manifest["Inter.ttf"]["id"], inter_id.as_str(), "{manifest}");
    assert_eq!(
        manifest["Inter.ttf"]["md5"],
        webflow_assets::hash::md5_bytes(&fixture("Inter-Italic-Variable-Latin.ttf"))
    );

    // Without leave to reach the fake's loopback CDN, a download would fail the file: the
    // rerun reads the listing and nothing else.
    fake.log().clear();
    let again = run(&fake, true, &["fonts", "upload", path, "--woff2"]).await;
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    let out = text(&again);
    assert!(out.contains("0 uploaded, 2 skipped, 0 failed"), "{out}");
    assert!(
        out.contains(&format!(
            "skipped Copy.ttf: already on the site as {dejavu}"
        )),
        "{out}"
    );
    let requests = fake.requests();
    assert!(
        requests
            .iter()
            .all(|r| r.side == Side::Webflow && r.method == "GET"),
        "{requests:?}"
    );
}
