//! `audit` against the fake: each finding, the downloads it makes (equal sizes only), and
//! its exit status.

use crate::common;

use common::{json_lines, run, text};
use webflow_fake::{FakeWebflow, Side};

#[tokio::test(flavor = "multi_thread")]
async fn audit_finds_what_to_fix_and_exits_4() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let site = fake.site_id().to_string();
    let sub = fake.seed_folder(&site, None, "sub");
    fake.seed_folder(&site, Some(&sub), "empty");
    let clean = fake.seed_folder(&site, None, "clean");
    let seed = |folder: Option<&str>, name: &str, bytes: &[u8]| {
        fake.seed_asset(&site, folder, name, bytes).unwrap()
    };
    let bare = seed(None, "bare.png", b"png-without-alt");
    let described = seed(Some(&clean), "described.png", b"png-with-alt-text");
    seed(None, "c.txt", b"same bytes");
    seed(Some(&sub), "c-copy.txt", b"same bytes");
    seed(None, "d.txt", b"other byte");
    let long = format!("{}.txt", "n".repeat(120));
    seed(None, &long, b"a long name");
    let set = run(&fake, &["alt", &described, "A described picture"]).await;
    assert_eq!(set.status.code(), Some(0), "{}", text(&set));

    fake.log().clear();
    let audit = run(&fake, &["audit", "--json"]).await;
    assert_eq!(audit.status.code(), Some(4), "{}", text(&audit));
    let lines = json_lines(&audit);
    let of = |finding: &str| -> Vec<String> {
        lines
            .iter()
            .filter(|l| l["finding"] == finding)
            .map(|l| l["path"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(of("missing_alt_text"), ["bare.png"]);
    assert_eq!(of("duplicate"), ["c.txt", "sub/c-copy.txt"]);
    assert_eq!(of("long_name"), [long]);
    assert_eq!(of("empty_folder"), ["sub/empty"]);
    assert!(of("unchecked").is_empty());
    let totals = &lines.last().unwrap()["audit"];
    assert_eq!(totals["duplicate_groups"], 1);
    assert_eq!(totals["assets"], 6);
    // Only the three files of equal size were downloaded, without the token.
    let hosted: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.side == Side::Hosted)
        .collect();
    assert_eq!(hosted.len(), 3);
    assert!(hosted.iter().all(|r| r.header("authorization").is_none()));
    assert_eq!(totals["downloaded"], 3);

    let plain = run(&fake, &["audit"]).await;
    assert_eq!(plain.status.code(), Some(4));
    assert!(
        text(&plain).contains("1 images without alt text"),
        "{}",
        text(&plain)
    );

    let fine = run(&fake, &["audit", "--folder", "clean"]).await;
    assert_eq!(fine.status.code(), Some(0), "{}", text(&fine));
    let set = run(&fake, &["alt", &bare, "Now described"]).await;
    assert_eq!(set.status.code(), Some(0));
    let only_sub = run(&fake, &["audit", "--folder", "sub", "--json"]).await;
    assert_eq!(
        only_sub.status.code(),
        Some(4),
        "the empty folder below sub"
    );
    let missing = run(&fake, &["audit", "--folder", "nowhere"]).await;
    assert_eq!(missing.status.code(), Some(1));

    // The fake's CDN is on loopback: without --allow-private-urls the equal-sized files
    // cannot be compared, and with --json the incomplete audit ends in one error line.
    let mut command = std::process::Command::new(common::BIN);
    command
        .env_clear()
        .env("WEBFLOW_TOKEN", fake.token())
        .env("WEBFLOW_SITE_ID", fake.site_id())
        .args(["--base-url", &fake.base_url(), "audit", "--json"]);
    let unchecked = common::output(command).await;
    assert_eq!(unchecked.status.code(), Some(1), "{}", text(&unchecked));
    let lines = json_lines(&unchecked);
    assert!(
        lines.iter().any(|l| l["finding"] == "unchecked"),
        "{}",
        text(&unchecked)
    );
    let errors: Vec<_> = lines.iter().filter(|l| l.get("code").is_some()).collect();
    assert_eq!(errors.len(), 1, "{}", text(&unchecked));
    assert!(
        errors[0]["error"]
            .as_str()
            .unwrap()
            .contains("could not be compared"),
        "{}",
        errors[0]
    );
}

/// `--folder` naming a folder the site lacks fails the same way in every command that reads
/// a folder: code `not_found`, exit 1, before anything is written.
#[tokio::test(flavor = "multi_thread")]
async fn a_missing_folder_fails_alike_everywhere() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let site = fake.site_id().to_string();
    fake.seed_asset(&site, None, "a.txt", b"alpha").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    for args in [
        vec!["ls", "--folder", "nope", "--json"],
        vec!["alt", "export", "--folder", "nope", "--json"],
        vec!["audit", "--folder", "nope", "--json"],
        vec!["pull", out, "--folder", "nope", "--json"],
        vec!["folders", "create", "x", "--parent", "nope", "--json"],
    ] {
        let failed = run(&fake, &args).await;
        assert_eq!(failed.status.code(), Some(1), "{args:?}: {}", text(&failed));
        let line = json_lines(&failed)
            .into_iter()
            .find(|l| l.get("error").is_some())
            .unwrap_or_else(|| panic!("{args:?}: no error line in {}", text(&failed)));
        assert_eq!(line["code"], "not_found", "{args:?}: {line}");
        assert_eq!(line["kind"], "not_found", "{args:?}: {line}");
        assert!(
            text(&failed).contains("the site has no folder nope"),
            "{args:?}: {}",
            text(&failed)
        );
    }
    assert!(!dir.path().join("out").exists(), "the pull wrote nothing");
}
