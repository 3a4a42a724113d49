//! Sync plans from the site, not from the manifest: a lost, stale or foreign manifest never
//! causes a duplicate; prune deletes only what it should; filters keep files out entirely.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use common::*;
use webflow_assets::Client;
use webflow_assets::bulk::{Report, SkipReason};
use webflow_assets::manifest::{DEFAULT_FILE_NAME, Manifest, Pending};
use webflow_assets::sync::{DeleteReason, Filter, SyncOptions, UploadReason, Verify};
use webflow_assets::{Error, RelPath, UploadSource};
use webflow_fake::{FakeHandle, FakeWebflow, Side};

async fn roomy() -> (FakeHandle, Client) {
    start(FakeWebflow::builder().rate_limit(100_000, Duration::from_secs(60))).await
}

/// `count` files over nested directories, of distinct sizes within a directory.
fn tree(root: &Path, count: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            let dir = match i % 3 {
                0 => String::new(),
                1 => format!("a/{}/", i % 4),
                _ => format!("b/c{}/d/", i % 2),
            };
            std::fs::create_dir_all(root.join(&dir)).unwrap();
            let relative = format!("{dir}f{i:03}.txt");
            std::fs::write(root.join(&relative), format!("file {i}\n")).unwrap();
            relative
        })
        .collect()
}

fn rel(path: &str) -> RelPath {
    RelPath::parse(path).unwrap()
}

fn options(folder: &str) -> SyncOptions {
    SyncOptions::default().folder(folder.parse().unwrap())
}

/// A sync in which nothing may fail.
async fn clean_sync(
    client: &Client,
    fake: &FakeHandle,
    dir: &Path,
    options: SyncOptions,
) -> Report {
    let report = common::sync(client, fake, dir, options).await;
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    report
}

/// Listed assets per (folder id, name): a duplicate shows as a count above one.
async fn duplicates(client: &Client, fake: &FakeHandle) -> usize {
    let mut seen: BTreeMap<(Option<String>, String), usize> = BTreeMap::new();
    for asset in client
        .list_assets(&common::site(fake.site_id()), None)
        .await
        .unwrap()
    {
        *seen
            .entry((asset.folder_id, asset.original_file_name.unwrap()))
            .or_default() += 1;
    }
    seen.values().filter(|&&n| n > 1).count()
}

fn creates(fake: &FakeHandle) -> usize {
    count(fake, Side::Webflow, "POST", "/assets")
}

#[tokio::test]
async fn a_lost_or_foreign_manifest_uploads_nothing_twice() {
    let (fake, client) = roomy().await;
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path(), 200);
    let first = clean_sync(&client, &fake, dir.path(), options("mirror")).await;
    assert_eq!(first.uploaded.len(), 200);
    let manifest_path = dir.path().join(DEFAULT_FILE_NAME);

    std::fs::remove_file(&manifest_path).unwrap();
    fake.log().clear();
    let plan = client
        .sync_plan(&common::site(fake.site_id()), dir.path(), options("mirror"))
        .await
        .unwrap();
    assert_eq!((plan.uploads.len(), plan.unchanged.len()), (0, 200));
    assert_eq!(
        plan.cost.planning, 3,
        "one folder listing and two pages of assets"
    );
    assert_eq!(plan.cost.execution, 0);
    let rerun = plan.execute(&client).await.unwrap();
    assert_eq!(rerun.uploaded.len(), 0);
    assert_eq!(creates(&fake), 0);
    assert_eq!(duplicates(&client, &fake).await, 0);
    assert_eq!(fake.state().uploaded_assets().len(), 200);
    assert!(
        manifest_path.exists(),
        "the adopted assets are cached again"
    );

    // A manifest written for another site, then one for another folder: neither is trusted.
    let mut foreign = Manifest::load(
        &manifest_path,
        &common::site(fake.site_id()),
        Some(&"mirror".parse().unwrap()),
    )
    .unwrap();
    assert_eq!(foreign.files.len(), 200);
    foreign.site_id = common::site("0123456789abcdef01234567");
    foreign.save(&manifest_path).unwrap();
    let rerun = clean_sync(&client, &fake, dir.path(), options("mirror")).await;
    assert_eq!(rerun.uploaded.len(), 0);
    foreign.site_id = common::site(fake.site_id());
    foreign.folder = Some("elsewhere".parse().unwrap());
    for entry in foreign.files.values_mut() {
        entry.asset_id = common::asset("0123456789abcdef01234567");
    }
    foreign.save(&manifest_path).unwrap();
    let rerun = clean_sync(&client, &fake, dir.path(), options("mirror")).await;
    assert_eq!(rerun.uploaded.len(), 0);
    assert_eq!(creates(&fake), 0);
    assert_eq!(duplicates(&client, &fake).await, 0);
}

#[tokio::test]
async fn a_stale_manifest_entry_means_upload_again_and_pending_ones_are_checked() {
    let (fake, client) = roomy().await;
    let dir = tempfile::tempdir().unwrap();
    let names = tree(dir.path(), 6);
    clean_sync(&client, &fake, dir.path(), options("m")).await;
    let manifest_path = dir.path().join(DEFAULT_FILE_NAME);
    let mut manifest = Manifest::load(
        &manifest_path,
        &common::site(fake.site_id()),
        Some(&"m".parse().unwrap()),
    )
    .unwrap();

    // Someone deleted one asset on the site; the manifest still names it.
    let gone = manifest.files[&rel(&names[1])].asset_id.clone();
    client.delete_asset(&gone).await.unwrap();
    // A run died after creating and uploading another, before recording it: only a pending
    // note is left.
    let finished = manifest.files.remove(&rel(&names[2])).unwrap();
    manifest
        .pending
        .insert(rel(&names[2]), Pending::new(finished.md5, finished.size, 1));
    manifest.save(&manifest_path).unwrap();

    let plan = client
        .sync_plan(&common::site(fake.site_id()), dir.path(), options("m"))
        .await
        .unwrap();
    assert_eq!(plan.uploads.len(), 1);
    assert_eq!(plan.uploads[0].file, rel(&names[1]));
    assert_eq!(plan.uploads[0].reason, UploadReason::Gone);
    plan.execute(&client).await.unwrap();
    let manifest = Manifest::load(
        &manifest_path,
        &common::site(fake.site_id()),
        Some(&"m".parse().unwrap()),
    )
    .unwrap();
    assert!(manifest.pending.is_empty());
    assert_eq!(manifest.files.len(), 6);
    assert_eq!(fake.state().uploaded_assets().len(), 6);
    assert_eq!(duplicates(&client, &fake).await, 0);
}

#[tokio::test]
async fn prune_deletes_removed_and_superseded_assets_inside_the_target_only() {
    let (fake, client) = roomy().await;
    let dir = tempfile::tempdir().unwrap();
    let names = tree(dir.path(), 12);
    clean_sync(&client, &fake, dir.path(), options("site/mirror")).await;
    // Assets outside the target folder: at the root, and in a sibling folder.
    client
        .upload(
            &common::site(fake.site_id()),
            UploadSource::bytes("outside.png", PNG),
        )
        .send()
        .await
        .unwrap();
    let sibling = client
        .upload(
            &common::site(fake.site_id()),
            UploadSource::bytes("f000.txt", "sibling"),
        )
        .folder("site/other".parse().unwrap())
        .send()
        .await
        .unwrap();

    for name in &names[3..6] {
        std::fs::write(dir.path().join(name), "changed, and longer than before\n").unwrap();
    }
    for name in &names[6..8] {
        std::fs::remove_file(dir.path().join(name)).unwrap();
    }
    let pruning = options("site/mirror").prune(true);
    let plan = client
        .sync_plan(&common::site(fake.site_id()), dir.path(), pruning.clone())
        .await
        .unwrap();
    assert_eq!(plan.uploads.len(), 3);
    let mut reasons: Vec<DeleteReason> = plan.deletes.iter().map(|d| d.reason).collect();
    reasons.sort_by_key(|r| format!("{r:?}"));
    assert_eq!(
        reasons,
        [
            DeleteReason::NoLocalFile,
            DeleteReason::NoLocalFile,
            DeleteReason::Superseded,
            DeleteReason::Superseded,
            DeleteReason::Superseded
        ]
    );
    assert_eq!(plan.cost.execution, 3 + 5);
    // The plan answers for the limit before it is executed, by the rule execute applies.
    assert!(plan.check_max_delete().is_ok());
    let over = client
        .sync_plan(
            &common::site(fake.site_id()),
            dir.path(),
            pruning.clone().max_delete(1),
        )
        .await
        .unwrap();
    assert!(matches!(
        over.check_max_delete(),
        Err(Error::TooManyDeletes {
            planned: 5,
            max: 1,
            ..
        })
    ));

    let refused = client
        .sync_plan(
            &common::site(fake.site_id()),
            dir.path(),
            pruning.clone().max_delete(1),
        )
        .await
        .unwrap()
        .execute(&client)
        .await
        .unwrap_err();
    assert!(matches!(
        refused,
        Error::TooManyDeletes {
            planned: 5,
            max: 1,
            ..
        }
    ));
    assert_eq!(creates(&fake), 14, "the refused plan changed nothing");

    let report = plan.execute(&client).await.unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!((report.uploaded.len(), report.deleted.len()), (3, 5));
    let left = fake.state().uploaded_assets();
    assert_eq!(
        left.len(),
        12 - 2 + 2,
        "10 mirrored files and the two outside"
    );
    assert!(left.iter().any(|a| a.file_name == "outside.png"));
    assert!(left.iter().any(|a| a.id == sibling.id));
    assert_eq!(duplicates(&client, &fake).await, 0);
}

#[tokio::test]
async fn prune_never_runs_after_a_failure() {
    let (fake, client) = roomy().await;
    let dir = tempfile::tempdir().unwrap();
    let names = tree(dir.path(), 4);
    clean_sync(&client, &fake, dir.path(), options("m")).await;
    std::fs::remove_file(dir.path().join(&names[0])).unwrap();
    std::fs::write(dir.path().join("new.txt"), "new").unwrap();
    fake.faults().inject(
        webflow_fake::Target::CreateAsset,
        webflow_fake::Fault::webflow_error(400, "bad_request", "no"),
        1,
    );
    let report = client
        .sync_dir(
            &common::site(fake.site_id()),
            dir.path(),
            options("m").prune(true),
        )
        .await
        .unwrap()
        .finish()
        .await;
    assert_eq!(report.failed.len(), 1);
    assert!(report.deleted.is_empty());
    assert_eq!(count(&fake, Side::Webflow, "DELETE", ""), 0);
}

#[tokio::test]
async fn excluded_files_are_not_hashed_uploaded_or_deleted() {
    let (fake, client) = roomy().await;
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path(), 9);
    std::fs::create_dir_all(dir.path().join("drafts")).unwrap();
    std::fs::write(dir.path().join("drafts/wip.txt"), "wip").unwrap();
    std::fs::write(dir.path().join("art.csv"), "a,b").unwrap();
    clean_sync(&client, &fake, dir.path(), options("m")).await;
    assert_eq!(fake.state().uploaded_assets().len(), 11);

    // Now exclude them, delete the manifest (so anything matched would be hashed), and prune.
    std::fs::remove_file(dir.path().join(DEFAULT_FILE_NAME)).unwrap();
    std::fs::write(dir.path().join("drafts/more.txt"), "more").unwrap();
    let filtered = options("m")
        .prune(true)
        .filter(Filter::new(Vec::<&str>::new(), ["drafts", "*.csv"]).unwrap());
    fake.log().clear();
    let report = clean_sync(&client, &fake, dir.path(), filtered).await;
    assert_eq!(report.hashed, 9, "the nine included files, none excluded");
    assert_eq!(report.uploaded.len(), 0, "drafts/more.txt stays local");
    assert!(
        report.deleted.is_empty(),
        "excluded assets stay on the site"
    );
    let excluded: Vec<&str> = report
        .skipped
        .iter()
        .filter(|s| s.skip_reason() == Some(&SkipReason::Excluded))
        .map(|s| s.file.as_str())
        .collect();
    assert_eq!(excluded, ["art.csv", "drafts"]);
    assert_eq!(fake.state().uploaded_assets().len(), 11);
}

#[tokio::test]
async fn checksum_catches_a_same_size_edit_that_name_and_size_miss() {
    let fake = FakeWebflow::builder()
        .rate_limit(100_000, Duration::from_secs(60))
        .start()
        .await
        .unwrap();
    // The fake's CDN is on 127.0.0.1, a private address.
    let client = builder(&fake).allow_private_urls(true).build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "aaaa").unwrap();
    clean_sync(&client, &fake, dir.path(), options("m")).await;
    std::fs::remove_file(dir.path().join(DEFAULT_FILE_NAME)).unwrap();
    std::fs::write(dir.path().join("a.txt"), "bbbb").unwrap();

    let plain = client
        .sync_plan(&common::site(fake.site_id()), dir.path(), options("m"))
        .await
        .unwrap();
    assert_eq!(plain.uploads.len(), 0, "name and size say unchanged");
    let checked = client
        .sync_plan(
            &common::site(fake.site_id()),
            dir.path(),
            options("m").verify(Verify::Checksum).prune(true),
        )
        .await
        .unwrap();
    assert_eq!(checked.uploads.len(), 1);
    assert_eq!(checked.uploads[0].reason, UploadReason::Changed);
    assert_eq!(checked.deletes[0].reason, DeleteReason::Superseded);
    let hosted = fake
        .requests()
        .iter()
        .filter(|r| r.side == Side::Hosted)
        .count();
    assert_eq!(
        hosted, 1,
        "the hosted bytes were fetched once, from the CDN"
    );
    let report = checked.execute(&client).await.unwrap();
    assert_eq!((report.uploaded.len(), report.deleted.len()), (1, 1));
    let left = fake.state().uploaded_assets();
    assert_eq!(left.len(), 1);
    assert_eq!(
        left[0].stored.as_ref().unwrap().md5,
        webflow_assets::hash::md5_bytes(b"bbbb")
    );
}

#[tokio::test]
async fn a_dry_run_plans_deletes_and_changes_nothing() {
    let (fake, client) = roomy().await;
    let dir = tempfile::tempdir().unwrap();
    let names = tree(dir.path(), 5);
    clean_sync(&client, &fake, dir.path(), options("m")).await;
    std::fs::remove_file(dir.path().join(&names[0])).unwrap();
    std::fs::write(dir.path().join("z.txt"), "z").unwrap();
    fake.log().clear();
    let dry = options("m").prune(true).dry_run(true);
    let plan = client
        .sync_plan(&common::site(fake.site_id()), dir.path(), dry.clone())
        .await
        .unwrap();
    assert_eq!((plan.uploads.len(), plan.deletes.len()), (1, 1));
    let report = plan.execute(&client).await.unwrap();
    assert!(report.uploaded.is_empty() && report.deleted.is_empty());
    let requests = fake.requests();
    assert!(requests.iter().all(|r| r.method == "GET"), "{requests:?}");
    assert_eq!(fake.state().uploaded_assets().len(), 5);
}

// Reads an alt-text.csv sidecar.
#[cfg(feature = "csv")]
#[tokio::test]
async fn sidecar_alt_text_is_set_once_and_patched_only_when_edited() {
    let (fake, client) = roomy().await;
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path(), 4);
    std::fs::write(
        dir.path().join("alt-text.csv"),
        "path,alt_text\nf000.txt,Zero\nb/c0/d/f002.txt,Two\nmissing.png,Nobody\n",
    )
    .unwrap();
    let first = clean_sync(&client, &fake, dir.path(), options("m")).await;
    assert_eq!(
        first.uploaded.len(),
        4,
        "the sidecar itself is not uploaded"
    );
    assert!(first.skipped.iter().any(|s| s.file == "missing.png"));
    let alt = |name: &str| {
        fake.state()
            .uploaded_assets()
            .into_iter()
            .find(|a| a.file_name == name)
            .unwrap()
            .alt_text
    };
    assert_eq!(alt("f000.txt").as_deref(), Some("Zero"));
    assert_eq!(alt("f002.txt").as_deref(), Some("Two"));

    fake.log().clear();
    let rerun = clean_sync(&client, &fake, dir.path(), options("m")).await;
    assert!(rerun.updated.is_empty());
    assert!(fake.requests().iter().all(|r| r.method == "GET"));

    std::fs::write(
        dir.path().join("alt-text.csv"),
        "f000.txt,Zero\nb/c0/d/f002.txt,\"Two, edited\"\n",
    )
    .unwrap();
    let edited = clean_sync(&client, &fake, dir.path(), options("m")).await;
    assert_eq!(edited.updated.len(), 1);
    assert_eq!(count(&fake, Side::Webflow, "PATCH", ""), 1);
    assert_eq!(alt("f002.txt").as_deref(), Some("Two, edited"));
}
