//! `copy` between two sites of the fake, each with its own token: the folder tree, the bytes,
//! alt text and display names, the mapping file, reruns, and runs killed with SIGKILL.

use crate::common;

use std::process::Stdio;
use std::time::Duration;

use common::{command, output, run, text};
use webflow_fake::{FakeHandle, FakeWebflow, Side};

const LOCALE: &str = "65f0aa00bb11cc22dd33ee99";

fn copy(fake: &FakeHandle, target_token: &str, args: &[&str]) -> std::process::Command {
    let mut command = command(fake, &[&["copy"], args].concat());
    command.env("WEBFLOW_TARGET_TOKEN", target_token);
    command
}

fn on_site(fake: &FakeHandle, site: &str) -> Vec<webflow_fake::AssetRecord> {
    fake.state()
        .uploaded_assets()
        .into_iter()
        .filter(|a| a.site_id == site)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn copy_recreates_the_tree_and_writes_the_mapping() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let (site_b, token_b) = fake.add_site_with_token();
    let source = tempfile::tempdir().unwrap();
    let src = source.path();
    std::fs::create_dir_all(src.join("sub")).unwrap();
    std::fs::write(src.join("a.txt"), "alpha\n").unwrap();
    std::fs::write(src.join("sub/b.csv"), "x,y\n").unwrap();
    std::fs::write(src.join("c.txt"), "gamma\n").unwrap();
    std::fs::write(src.join("alt-text.csv"), "a.txt,The first\n").unwrap();
    let synced = run(&fake, &["sync", src.to_str().unwrap(), "--folder", "brand"]).await;
    assert_eq!(synced.status.code(), Some(0), "{}", text(&synced));
    let a_site = fake.site_id().to_string();
    let b_csv = on_site(&fake, &a_site)
        .into_iter()
        .find(|a| a.file_name == "b.csv")
        .unwrap();
    let renamed = run(&fake, &["rename", &b_csv.id, "The B table"]).await;
    assert_eq!(renamed.status.code(), Some(0));
    let localized = run(&fake, &["alt", &b_csv.id, "La table B", "--locale", LOCALE]).await;
    assert_eq!(localized.status.code(), Some(0));
    let brand = fake
        .state()
        .folders()
        .into_iter()
        .find(|f| f.display_name == "brand")
        .unwrap();
    fake.seed_folder(&a_site, Some(&brand.id), "empty");
    let work = tempfile::tempdir().unwrap();
    let mapping = work.path().join("map");
    let mapping_text = mapping.to_str().unwrap();
    let args = [
        "--to-site",
        &site_b,
        "--folder",
        "brand",
        "--to-folder",
        "imported",
        "--mapping",
        mapping_text,
        "--locale",
        LOCALE,
    ];

    // The main token cannot reach the other account's site: the target token is needed.
    let mut without = command(&fake, &[&["copy"], &args[..]].concat());
    without.env_remove("WEBFLOW_TARGET_TOKEN");
    let refused = output(without).await;
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    // A target token of blanks counts as unset, like every token variable: the same refusal,
    // not a client built for an empty token.
    let blank = output(copy(&fake, "  ", &args)).await;
    assert_eq!(text(&blank), text(&refused));
    assert_eq!(blank.status.code(), Some(1));

    let dry = output(copy(&fake, &token_b, &[&args[..], &["--dry-run"]].concat())).await;
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry));
    assert!(text(&dry).contains("3 to copy"), "{}", text(&dry));
    assert!(on_site(&fake, &site_b).is_empty());

    fake.log().clear();
    let copied = output(copy(&fake, &token_b, &args)).await;
    assert_eq!(copied.status.code(), Some(0), "{}", text(&copied));
    let on_b = on_site(&fake, &site_b);
    assert_eq!(on_b.len(), 3);
    let on_a = on_site(&fake, &a_site);
    for asset in &on_b {
        let original = on_a
            .iter()
            .find(|a| a.file_name == asset.file_name)
            .unwrap();
        assert_eq!(asset.stored, original.stored, "the same bytes");
        assert_eq!(asset.alt_text, original.alt_text);
        assert_eq!(asset.display_name, original.display_name);
        assert_eq!(asset.localized_alt_text, original.localized_alt_text);
    }
    assert_eq!(
        on_b.iter()
            .filter(|a| !a.localized_alt_text.is_empty())
            .count(),
        1
    );
    let folder_paths: Vec<String> = fake
        .state()
        .folders()
        .into_iter()
        .filter(|f| f.site_id == site_b)
        .map(|f| f.display_name)
        .collect();
    assert_eq!(
        folder_paths.len(),
        3,
        "imported, imported/sub, imported/empty: {folder_paths:?}"
    );
    // Each site's requests carried its own token.
    for request in fake.requests().iter().filter(|r| r.side == Side::Webflow) {
        let bearer = request
            .header("authorization")
            .unwrap_or_default()
            .to_string();
        let expected = match request.path.contains(&site_b) {
            true => format!("Bearer {token_b}"),
            false if request.path.contains(&a_site) => format!("Bearer {}", fake.token()),
            false => continue,
        };
        assert_eq!(bearer, expected, "{}", request.path);
    }
    assert!(
        fake.requests()
            .iter()
            .filter(|r| r.side == Side::Hosted)
            .all(|r| r.header("authorization").is_none())
    );

    let csv = std::fs::read_to_string(work.path().join("map.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("old_id,new_id,old_hosted_url,new_hosted_url,folder_path,name")
    );
    assert_eq!(lines.count(), 3);
    let json: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(work.path().join("map.json")).unwrap())
            .unwrap();
    let b_row = json.iter().find(|r| r["name"] == "b.csv").unwrap();
    assert_eq!(b_row["old_id"], b_csv.id.as_str());
    assert_eq!(b_row["folder_path"], "brand/sub");
    let new_b = on_b.iter().find(|a| a.file_name == "b.csv").unwrap();
    assert_eq!(b_row["new_id"], new_b.id.as_str());
    assert!(
        b_row["new_hosted_url"]
            .as_str()
            .unwrap()
            .contains(&new_b.id)
    );

    // A rerun copies nothing, and still writes the whole mapping.
    fake.log().clear();
    let rerun = output(copy(&fake, &token_b, &args)).await;
    assert_eq!(rerun.status.code(), Some(0), "{}", text(&rerun));
    assert!(text(&rerun).contains("0 copied"), "{}", text(&rerun));
    assert!(
        text(&rerun).contains("unchanged sub/b.csv"),
        "labelled relative to the copied folder, as copies are: {}",
        text(&rerun)
    );
    assert_eq!(on_site(&fake, &site_b).len(), 3);
    assert!(fake.requests().iter().all(|r| r.method != "POST"));
    let json: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(work.path().join("map.json")).unwrap())
            .unwrap();
    assert_eq!(json.len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_copy_killed_at_any_instant_then_rerun_leaves_one_asset_per_source_asset() {
    let fake = FakeWebflow::builder()
        .rate_limit(6, Duration::from_millis(400))
        .start()
        .await
        .unwrap();
    let (site_b, token_b) = fake.add_site_with_token();
    let a_site = fake.site_id().to_string();
    fake.suspend_rate_limit(true);
    let folders = [
        fake.seed_folder(&a_site, None, "one"),
        fake.seed_folder(&a_site, None, "two"),
    ];
    for i in 0..24u32 {
        let folder = &folders[i as usize % 2];
        let body = format!("file {i}\n");
        fake.seed_asset(
            &a_site,
            Some(folder),
            &format!("f{i:02}.txt"),
            body.as_bytes(),
        )
        .unwrap();
    }
    fake.suspend_rate_limit(false);
    let work = tempfile::tempdir().unwrap();
    let mapping = work.path().join("map");
    let args = [
        "--to-site",
        &site_b,
        "--mapping",
        mapping.to_str().unwrap(),
        "--concurrency",
        "4",
        "--rate-limit",
        "6",
        "--rate-window",
        "0.4",
    ];
    // Each run is killed mid-run at an instant the fake sees, further on each time: an asset
    // just created on the target (its bytes not yet sent), assets whose bytes S3 just stored.
    let created = || {
        let assets = fake.state().assets();
        assets.iter().filter(|a| a.site_id == site_b).count()
    };
    let copied = || on_site(&fake, &site_b).len();
    let points: [(&str, &dyn Fn() -> usize, usize); 4] = [
        ("assets created", &created, 1),
        ("assets copied", &copied, 2),
        ("assets created", &created, 3),
        ("assets copied", &copied, 5),
    ];
    for (round, (what, count, more)) in points.into_iter().enumerate() {
        let start = count();
        let child = copy(&fake, &token_b, &args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let what = format!("{more} more {what} in round {round}");
        common::kill_when(child, &what, || count() >= start + more).await;
        eprintln!("killed after {what}: {} copied", copied());
    }
    let finish = output(copy(&fake, &token_b, &args)).await;
    assert_eq!(finish.status.code(), Some(0), "{}", text(&finish));
    let on_b = on_site(&fake, &site_b);
    let mut names: Vec<(Option<String>, String)> = on_b
        .iter()
        .map(|a| {
            let folder = a
                .parent_folder
                .as_ref()
                .and_then(|id| fake.state().folder(id))
                .map(|f| f.display_name);
            (folder, a.file_name.clone())
        })
        .collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), on_b.len(), "no source asset has two copies");
    assert_eq!(on_b.len(), 24, "every source asset has one");
    let folders_b = fake
        .state()
        .folders()
        .into_iter()
        .filter(|f| f.site_id == site_b)
        .count();
    assert_eq!(folders_b, 2, "no folder made twice");
    let rerun = output(copy(&fake, &token_b, &args)).await;
    assert!(text(&rerun).contains("0 copied"), "{}", text(&rerun));
}
