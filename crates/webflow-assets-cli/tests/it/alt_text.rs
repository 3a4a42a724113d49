//! `alt export` and `alt import` against the fake: the round trip, the stale-write guard,
//! `--dry-run`, `--force` and `--locale`.

use crate::common;

use common::{json_lines, run, text};
use webflow_assets::alt_text::{read_csv, write_csv};
use webflow_fake::{FakeWebflow, Side};

const LOCALE: &str = "65f0aa00bb11cc22dd33ee99";

fn patches(fake: &webflow_fake::FakeHandle) -> usize {
    fake.requests()
        .iter()
        .filter(|r| r.side == Side::Webflow && r.method == "PATCH")
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn export_edit_import_with_the_stale_write_guard() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("a.txt"), "alpha\n").unwrap();
    std::fs::write(dir.path().join("sub/b.txt"), "beta\n").unwrap();
    std::fs::write(dir.path().join("sub/c.txt"), "gamma\n").unwrap();
    let synced = run(
        &fake,
        &["sync", dir.path().to_str().unwrap(), "--folder", "top"],
    )
    .await;
    assert_eq!(synced.status.code(), Some(0), "{}", text(&synced));

    let exported = run(&fake, &["alt", "export"]).await;
    assert_eq!(exported.status.code(), Some(0), "{}", text(&exported));
    let mut rows = read_csv(exported.stdout.as_slice()).unwrap();
    let names: Vec<String> = rows.iter().map(|r| r.label()).collect();
    assert_eq!(names, ["top/a.txt", "top/sub/b.txt", "top/sub/c.txt"]);
    assert!(
        rows.iter()
            .all(|r| r.alt_text.is_empty() && r.new_alt_text.is_empty())
    );
    let only_sub = run(&fake, &["alt", "export", "--folder", "top/sub"]).await;
    assert_eq!(read_csv(only_sub.stdout.as_slice()).unwrap().len(), 2);

    // The user edits a and b; c is left as exported. Meanwhile someone changes b on the site.
    rows[0].new_alt_text = "Alpha, the first".into();
    rows[1].new_alt_text = "Beta".into();
    let b_id = rows[1].id.clone();
    let other = run(&fake, &["alt", b_id.as_str(), "Someone else's"]).await;
    assert_eq!(other.status.code(), Some(0), "{}", text(&other));
    let csv = dir.path().join("alt.csv");
    let mut file = Vec::new();
    write_csv(&rows, &mut file).unwrap();
    std::fs::write(&csv, file).unwrap();
    let csv = csv.to_str().unwrap();
    let alt_of = |id: &str| fake.state().asset(id).unwrap().alt_text;

    fake.log().clear();
    let dry = run(&fake, &["alt", "import", csv, "--dry-run", "--json"]).await;
    assert_eq!(
        dry.status.code(),
        Some(1),
        "a stale row fails: {}",
        text(&dry)
    );
    let lines = json_lines(&dry);
    let status_of = |lines: &[serde_json::Value], file: &str| {
        lines
            .iter()
            .find(|l| l["file"] == file)
            .map(|l| l["status"].as_str().unwrap().to_string())
    };
    assert_eq!(
        status_of(&lines, "top/a.txt").as_deref(),
        Some("planned_alt_text")
    );
    assert_eq!(
        status_of(&lines, "top/sub/b.txt").as_deref(),
        Some("failed")
    );
    assert_eq!(
        status_of(&lines, "top/sub/c.txt").as_deref(),
        Some("unchanged")
    );
    let stale = lines.iter().find(|l| l["file"] == "top/sub/b.txt").unwrap();
    assert_eq!(stale["kind"], "stale");
    assert_eq!(patches(&fake), 0, "a dry run writes nothing");
    assert_eq!(alt_of(rows[0].id.as_str()), None);

    let guarded = run(&fake, &["alt", "import", csv]).await;
    assert_eq!(guarded.status.code(), Some(1), "{}", text(&guarded));
    assert!(
        text(&guarded).contains("Someone else's"),
        "{}",
        text(&guarded)
    );
    assert_eq!(
        alt_of(rows[0].id.as_str()).as_deref(),
        Some("Alpha, the first")
    );
    assert_eq!(
        alt_of(b_id.as_str()).as_deref(),
        Some("Someone else's"),
        "not overwritten"
    );
    assert_eq!(patches(&fake), 1, "only the row that differs is written");

    fake.log().clear();
    let forced = run(&fake, &["alt", "import", csv, "--force"]).await;
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced));
    assert_eq!(alt_of(b_id.as_str()).as_deref(), Some("Beta"));
    assert_eq!(patches(&fake), 1, "a is already set; c was not edited");

    // Per locale: the primary locale's text is untouched.
    let localized = run(&fake, &["alt", "export", "--locale", LOCALE]).await;
    let mut rows = read_csv(localized.stdout.as_slice()).unwrap();
    assert_eq!(
        rows[1].alt_text, "Beta",
        "a locale without its own shows the primary's"
    );
    rows[1].new_alt_text = "Bêta".into();
    let mut file = Vec::new();
    write_csv(&rows, &mut file).unwrap();
    std::fs::write(csv, file).unwrap();
    let imported = run(&fake, &["alt", "import", csv, "--locale", LOCALE]).await;
    assert_eq!(imported.status.code(), Some(0), "{}", text(&imported));
    let b = fake.state().asset(b_id.as_str()).unwrap();
    assert_eq!(b.alt_text.as_deref(), Some("Beta"));
    assert_eq!(
        b.localized_alt_text.get(LOCALE).map(String::as_str),
        Some("Bêta")
    );

    let listed = run(&fake, &["ls", "--json", "--locale", LOCALE]).await;
    let b_line = json_lines(&listed)
        .into_iter()
        .find(|l| l["id"] == b_id.as_str())
        .unwrap();
    assert_eq!(b_line["alt_text"], "Bêta", "ls shows the locale's alt text");

    let bad = std::path::Path::new(csv).with_file_name("bad.csv");
    std::fs::write(&bad, "id,name\nx,y\n").unwrap();
    let refused = run(&fake, &["alt", "import", bad.to_str().unwrap()]).await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused).contains("folder_path"), "{}", text(&refused));
}

/// A row whose asset the site does not have (deleted since the export) is that row failed,
/// `not_found` with the asset's id in its words, and the command exits 1, in a dry run and
/// a real one alike; the other rows are still written.
#[tokio::test(flavor = "multi_thread")]
async fn a_row_for_an_asset_not_on_the_site_fails_and_the_exit_code_says_so() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "alpha\n").unwrap();
    std::fs::write(dir.path().join("b.txt"), "beta\n").unwrap();
    let synced = run(&fake, &["sync", dir.path().to_str().unwrap()]).await;
    assert_eq!(synced.status.code(), Some(0), "{}", text(&synced));
    let exported = run(&fake, &["alt", "export"]).await;
    let mut rows = read_csv(exported.stdout.as_slice()).unwrap();
    assert_eq!(rows.len(), 2);
    rows[0].new_alt_text = "Alpha".into();
    rows[1].new_alt_text = "Beta".into();
    let gone = rows[1].id.clone();
    let removed = run(&fake, &["rm", gone.as_str()]).await;
    assert_eq!(removed.status.code(), Some(0), "{}", text(&removed));
    assert!(fake.state().asset(gone.as_str()).is_none());
    let csv = dir.path().join("alt.csv");
    let mut file = Vec::new();
    write_csv(&rows, &mut file).unwrap();
    std::fs::write(&csv, file).unwrap();
    let csv = csv.to_str().unwrap();

    for dry_run in [true, false] {
        fake.log().clear();
        let mut args = vec!["alt", "import", csv, "--json"];
        if dry_run {
            args.push("--dry-run");
        }
        let imported = run(&fake, &args).await;
        assert_eq!(imported.status.code(), Some(1), "{}", text(&imported));
        let lines = json_lines(&imported);
        let line = lines
            .iter()
            .find(|l| l["file"] == "b.txt")
            .unwrap_or_else(|| panic!("no line for b.txt: {}", text(&imported)));
        assert_eq!(line["status"], "failed", "{line}");
        assert_eq!(line["kind"], "not_found", "{line}");
        assert_eq!(
            line["error"],
            format!("the site has no asset {gone}"),
            "the row's own failure, not an HTTP answer: {line}"
        );
        let a = lines.iter().find(|l| l["file"] == "a.txt").unwrap();
        let wanted = if dry_run {
            "planned_alt_text"
        } else {
            "alt_text_set"
        };
        assert_eq!(a["status"], wanted, "{a}");
        let error = lines.iter().find(|l| l.get("code").is_some());
        assert_eq!(
            error.map(|l| l["code"].clone()),
            Some(serde_json::json!("not_found")),
            "{}",
            text(&imported)
        );
        assert_eq!(
            patches(&fake),
            usize::from(!dry_run),
            "only a's row is written"
        );
    }
    assert_eq!(
        fake.state()
            .asset(rows[0].id.as_str())
            .unwrap()
            .alt_text
            .as_deref(),
        Some("Alpha")
    );
}
