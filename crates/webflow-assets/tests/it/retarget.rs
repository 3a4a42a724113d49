//! A directory synced to one folder (or site) and then pointed at another: the plan says so,
//! and a pruning sync is refused before anything is sent unless the new target is confirmed.

use crate::common;

use std::path::Path;
use std::time::Duration;

use common::*;
use webflow_assets::sync::{Retarget, SyncOptions, SyncTarget};
use webflow_assets::{Client, Error, ErrorKind, FolderPath};
use webflow_fake::{FakeHandle, FakeWebflow};

async fn roomy() -> (FakeHandle, Client) {
    start(FakeWebflow::builder().rate_limit(100_000, Duration::from_secs(60))).await
}

fn files(root: &Path) {
    for name in ["a.txt", "b.txt", "sub/c.txt"] {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, format!("{name}\n")).unwrap();
    }
}

fn pipe() -> FolderPath {
    "pipe".parse().unwrap()
}

/// The defect as a user met it: a directory holding the whole site, synced with `--folder
/// pipe --delete`, would upload it all again under `pipe/` and delete what `pipe/` held.
#[tokio::test]
async fn a_pruning_sync_to_another_folder_is_refused_before_anything_is_sent() {
    let (fake, client) = roomy().await;
    let site_id = site(fake.site_id());
    let dir = tempfile::tempdir().unwrap();
    files(dir.path());
    // What `pipe/` holds already, then the whole site synced from the directory's root.
    let elsewhere = tempfile::tempdir().unwrap();
    files(elsewhere.path());
    let there = sync(
        &client,
        &fake,
        elsewhere.path(),
        SyncOptions::default().folder(pipe()),
    )
    .await;
    assert_eq!(there.uploaded.len(), 3);
    let here = sync(&client, &fake, dir.path(), SyncOptions::default()).await;
    assert_eq!(here.uploaded.len(), 3);
    let assets = fake.state().uploaded_assets().len();
    let requests = fake.requests().len();

    for dry_run in [false, true] {
        let options = SyncOptions::default()
            .folder(pipe())
            .prune(true)
            .dry_run(dry_run);
        let error = client
            .sync_plan(&site_id, dir.path(), options)
            .await
            .unwrap_err();
        let Error::TargetChanged { retarget, .. } = &error else {
            panic!("expected TargetChanged, got {error:?}");
        };
        assert_eq!(
            **retarget,
            expected(
                SyncTarget::new(site_id.clone(), FolderPath::root()),
                pipe(),
                &site_id
            )
        );
        assert_eq!(error.kind(), ErrorKind::TargetChanged);
        let words = error.to_string();
        assert!(
            words.contains("the site root") && words.contains("\"pipe\""),
            "{words}"
        );
    }
    assert_eq!(fake.requests().len(), requests, "nothing was sent");
    assert_eq!(fake.state().uploaded_assets().len(), assets);

    // Without pruning, the plan says so and goes on.
    let plan = client
        .sync_plan(
            &site_id,
            dir.path(),
            SyncOptions::default().folder(pipe()).dry_run(true),
        )
        .await
        .unwrap();
    assert_eq!(
        plan.retarget,
        Some(expected(
            SyncTarget::new(site_id.clone(), FolderPath::root()),
            pipe(),
            &site_id
        ))
    );
    // The same folder as before: no retarget.
    let plan = client
        .sync_plan(
            &site_id,
            dir.path(),
            SyncOptions::default().prune(true).dry_run(true),
        )
        .await
        .unwrap();
    assert_eq!(plan.retarget, None);
    assert!(plan.uploads.is_empty());
    // At the root, what pipe/ holds is not in the directory: a pruning sync there, asked
    // for, deletes it. That is what the guard keeps a changed --folder from doing unasked.
    assert_eq!(plan.deletes.len(), 3);

    // Confirmed, the pruning sync goes to the new folder, and the manifest records it.
    let options = SyncOptions::default()
        .folder(pipe())
        .prune(true)
        .retarget(true);
    let plan = client
        .sync_plan(&site_id, dir.path(), options)
        .await
        .unwrap();
    assert!(plan.retarget.is_some());
    let report = plan.execute(&client).await.unwrap();
    assert!(report.is_success(), "{:?}", report.failed);
    let again = SyncOptions::default()
        .folder(pipe())
        .prune(true)
        .dry_run(true);
    let plan = client.sync_plan(&site_id, dir.path(), again).await.unwrap();
    assert_eq!(plan.retarget, None, "the manifest now names pipe");
}

#[tokio::test]
async fn a_manifest_of_another_site_is_refused_the_same_way() {
    let (fake, client) = roomy().await;
    let dir = tempfile::tempdir().unwrap();
    files(dir.path());
    let first = sync(&client, &fake, dir.path(), SyncOptions::default()).await;
    assert_eq!(first.uploaded.len(), 3);
    let (other, token) = fake.add_site_with_token();
    let other = site(&other);
    let other_client = Client::builder(token)
        .base_url(fake.base_url())
        .build()
        .unwrap();
    let requests = fake.requests().len();
    let options = SyncOptions::default().prune(true);
    let error = other_client
        .sync_plan(&other, dir.path(), options.clone())
        .await
        .unwrap_err();
    let Error::TargetChanged { retarget, .. } = &error else {
        panic!("expected TargetChanged, got {error:?}");
    };
    assert_eq!(retarget.recorded.site_id, site(fake.site_id()));
    assert_eq!(retarget.requested.site_id, other);
    let words = error.to_string();
    assert!(
        words.contains(fake.site_id()) && words.contains(&other.to_string()),
        "{words}"
    );
    assert_eq!(fake.requests().len(), requests, "nothing was sent");

    let plan = other_client
        .sync_plan(&other, dir.path(), options.retarget(true).dry_run(true))
        .await
        .unwrap();
    assert_eq!(
        plan.retarget.unwrap().recorded.site_id,
        site(fake.site_id())
    );
}

#[tokio::test]
async fn an_old_manifest_names_its_folder_too() {
    let (fake, client) = roomy().await;
    let site_id = site(fake.site_id());
    let dir = tempfile::tempdir().unwrap();
    files(dir.path());
    // Version 1: no `pending`, no alt text.
    let manifest =
        format!(r#"{{"version":1,"site_id":"{site_id}","folder":"brand","files":{{}}}}"#);
    std::fs::write(dir.path().join(".webflow-assets-manifest.json"), manifest).unwrap();
    let options = SyncOptions::default().prune(true).dry_run(true);
    let error = client
        .sync_plan(&site_id, dir.path(), options)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::TargetChanged, "{error}");
    let options = SyncOptions::default()
        .folder("brand".parse().unwrap())
        .prune(true)
        .dry_run(true);
    let plan = client
        .sync_plan(&site_id, dir.path(), options)
        .await
        .unwrap();
    assert_eq!(plan.retarget, None);
    assert_eq!(plan.uploads.len(), 3);
}

/// A retarget from `recorded` to `folder` of `site_id`.
fn expected(
    recorded: SyncTarget,
    folder: FolderPath,
    site_id: &webflow_assets::SiteId,
) -> Retarget {
    Retarget::new(recorded, SyncTarget::new(site_id.clone(), folder))
}
