//! `prune` deletes only what is provably gone. Each test replays a way a mirror used to
//! delete assets the user still had, against the fake and its real S3.

use crate::common;

use std::path::Path;
use std::time::Duration;

use common::*;
use webflow_assets::bulk::{SkipReason, Status};
use webflow_assets::sync::{SyncOptions, Verify};
use webflow_assets::{Client, Error, ErrorKind};
use webflow_fake::{FakeHandle, FakeWebflow, Fault, Side, Target};

/// The fake, and a client that may fetch its hosted files: its CDN is on loopback, which
/// `--checksum` downloads reach only when private addresses are allowed.
async fn roomy() -> (FakeHandle, Client) {
    let fake = FakeWebflow::builder()
        .rate_limit(100_000, Duration::from_secs(60))
        .start()
        .await
        .unwrap();
    let client = builder(&fake).allow_private_urls(true).build().unwrap();
    (fake, client)
}

fn pruning(folder: &str) -> SyncOptions {
    SyncOptions::default()
        .folder(folder.parse().unwrap())
        .prune(true)
}

fn write(root: &Path, relative: &str, contents: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

fn assets(fake: &FakeHandle) -> usize {
    fake.state().uploaded_assets().len()
}

#[cfg(unix)]
#[tokio::test]
async fn a_directory_replaced_by_a_link_keeps_its_assets() {
    let (fake, client) = roomy().await;
    let dir = tempfile::tempdir().unwrap();
    let (root, elsewhere) = (dir.path().join("site"), dir.path().join("shared"));
    for name in ["logo.png.txt", "mark.txt", "type.txt"] {
        write(&root, &format!("brand/{name}"), name);
        write(&elsewhere, name, name);
    }
    write(&root, "index.txt", "index");
    let first = sync(&client, &fake, &root, pruning("web")).await;
    assert_eq!((first.uploaded.len(), first.failed.len()), (4, 0));

    // The user moves brand/ away and links it back: the same three files.
    std::fs::remove_dir_all(root.join("brand")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, root.join("brand")).unwrap();
    let plan = client
        .sync_plan(&common::site(fake.site_id()), &root, pruning("web"))
        .await
        .unwrap();
    assert!(plan.deletes.is_empty(), "{:?}", plan.deletes);
    assert_eq!(plan.skipped, [("brand".to_string(), SkipReason::Symlink)]);
    let report = plan.execute(&client).await.unwrap();
    assert!(report.deleted.is_empty() && report.failed.is_empty());
    assert_eq!(assets(&fake), 4);

    // Followed, the link is the same directory as before: nothing to do.
    let followed = pruning("web").follow_links(true);
    let report = sync(&client, &fake, &root, followed).await;
    assert_eq!(
        (report.uploaded.len(), report.unchanged.len()),
        (0, 4),
        "{report:?}"
    );
    assert!(report.deleted.is_empty());

    // A followed link that leads back up is skipped, and protects its path.
    std::os::unix::fs::symlink(&root, root.join("loop")).unwrap();
    let looped = pruning("web").follow_links(true);
    let report = sync(&client, &fake, &root, looped).await;
    assert!(
        report
            .skipped
            .iter()
            .any(|r| r.file == "loop" && r.skip_reason() == Some(&SkipReason::LinkLoop)),
        "{report:?}"
    );
    assert!(report.deleted.is_empty() && report.failed.is_empty());
}

#[tokio::test]
async fn a_hosted_file_that_cannot_be_fetched_fails_and_deletes_nothing() {
    let (fake, client) = roomy().await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", "alpha");
    write(dir.path(), "b.txt", "bravo");
    write(dir.path(), "gone.txt", "to delete");
    sync(&client, &fake, dir.path(), pruning("cdn")).await;
    std::fs::remove_file(dir.path().join("gone.txt")).unwrap();
    std::fs::remove_file(dir.path().join(".webflow-assets-manifest.json")).unwrap();
    fake.faults().hide_hosted("b.txt");

    let checksum = pruning("cdn").verify(Verify::Checksum);
    let plan = client
        .sync_plan(&common::site(fake.site_id()), dir.path(), checksum.clone())
        .await
        .unwrap();
    assert!(plan.uploads.is_empty(), "{:?}", plan.uploads);
    assert!(plan.deletes.is_empty(), "{:?}", plan.deletes);
    assert_eq!(plan.failed.len(), 1);
    assert!(matches!(&plan.failed[0].1, Error::Unverified { file, .. } if file == "b.txt"));
    assert_eq!(
        plan.withheld
            .iter()
            .map(|d| d.path.as_str())
            .collect::<Vec<_>>(),
        ["gone.txt"],
        "the delete the failure holds back is said"
    );
    let report = plan.execute(&client).await.unwrap();
    assert_eq!(
        report
            .skipped
            .iter()
            .map(|r| (r.file.as_str(), r.skip_reason()))
            .collect::<Vec<_>>(),
        [("gone.txt", Some(&SkipReason::KeptAfterFailure))]
    );
    assert_eq!(report.failed.len(), 1, "{report:?}");
    assert!(matches!(
        report.failed[0].status,
        Status::Failed {
            kind: ErrorKind::Unverified,
            ..
        }
    ));
    assert!(report.uploaded.is_empty() && report.deleted.is_empty());
    assert_eq!(assets(&fake), 3, "nothing uploaded again, nothing deleted");
}

#[tokio::test]
async fn a_name_renamed_from_nfd_to_nfc_is_the_same_file() {
    let (fake, client) = roomy().await;
    let dir = tempfile::tempdir().unwrap();
    let nfd = "cafe\u{301}-menu\u{308}.txt";
    let nfc = "caf\u{e9}-men\u{fc}.txt";
    write(dir.path(), &format!("m\u{e9}nu/{nfd}"), "soup");
    let first = sync(&client, &fake, dir.path(), pruning("nfc")).await;
    assert_eq!(first.uploaded.len(), 1);

    std::fs::rename(
        dir.path().join(format!("m\u{e9}nu/{nfd}")),
        dir.path().join(format!("m\u{e9}nu/{nfc}")),
    )
    .unwrap();
    std::fs::rename(dir.path().join("m\u{e9}nu"), dir.path().join("me\u{301}nu")).unwrap();
    let second = sync(&client, &fake, dir.path(), pruning("nfc")).await;
    assert_eq!(
        (
            second.uploaded.len(),
            second.deleted.len(),
            second.unchanged.len()
        ),
        (0, 0, 1),
        "{second:?}"
    );
    assert_eq!(fake.state().folders().len(), 2, "nfc and menu, once each");
}

#[tokio::test]
async fn a_failed_alt_text_update_stops_the_deletes() {
    let (fake, client) = roomy().await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", "alpha");
    write(dir.path(), "old.txt", "old");
    sync(&client, &fake, dir.path(), pruning("alt")).await;
    std::fs::remove_file(dir.path().join("old.txt")).unwrap();
    write(dir.path(), "alt-text.json", r#"{"a.txt": "The letter A"}"#);
    fake.faults().inject(
        Target::UpdateAsset,
        Fault::webflow_error(400, "validation_error", "no"),
        1,
    );
    let report = sync(&client, &fake, dir.path(), pruning("alt")).await;
    assert_eq!(report.failed.len(), 1, "{report:?}");
    assert!(report.deleted.is_empty());
    assert_eq!(
        report
            .skipped
            .iter()
            .map(|r| r.skip_reason())
            .collect::<Vec<_>>(),
        [Some(&SkipReason::KeptAfterFailure)],
        "the planned delete is reported as kept"
    );
    assert_eq!(assets(&fake), 2);

    // Once the update goes through, the delete does too.
    let report = sync(&client, &fake, dir.path(), pruning("alt")).await;
    assert_eq!((report.updated.len(), report.deleted.len()), (1, 1));
}

#[tokio::test]
async fn the_execution_reuses_the_plans_folder_listing() {
    let (fake, client) = roomy().await;
    let dir = tempfile::tempdir().unwrap();
    for i in 0..6 {
        write(
            dir.path(),
            &format!("d{}/e/f{i}.txt", i % 3),
            &format!("{i}"),
        );
    }
    let plan = client
        .sync_plan(&common::site(fake.site_id()), dir.path(), pruning("tree"))
        .await
        .unwrap();
    let cost = plan.cost;
    let before = fake.requests().len();
    let report = plan.execute(&client).await.unwrap();
    assert_eq!(report.uploaded.len(), 6);
    let executing = fake.requests().len() - before;
    let s3 = count(&fake, Side::S3, "POST", "");
    assert_eq!(
        count(&fake, Side::Webflow, "GET", "/asset_folders"),
        1,
        "listed once, by the plan"
    );
    assert_eq!(
        executing - s3,
        cost.execution as usize,
        "the plan counted every request"
    );
}

/// A Webflow stand-in whose listings say they hold more than they return.
async fn short_listings() -> (tokio::task::JoinHandle<()>, Client) {
    use axum::Router;
    use axum::routing::get;
    let folder = serde_json::json!({"id": "6500aa00bb11cc22dd33ee02", "displayName": "a"});
    let router = Router::new()
        .route(
            "/v2/sites/{site}/asset_folders",
            get(move || async move {
                axum::Json(serde_json::json!({
                    "assetFolders": [folder],
                    "pagination": {"limit": 100, "offset": 0, "total": 2}
                }))
            }),
        )
        .route(
            "/v2/sites/{site}/assets",
            get(|| async {
                axum::Json(serde_json::json!({
                    "assets": [],
                    "pagination": {"limit": 100, "offset": 0, "total": 5}
                }))
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v2", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let client = Client::builder("token").base_url(base).build().unwrap();
    (server, client)
}

/// An alt-text import whose listing of the site holds one id that is not an id fails whole,
/// sending nothing: the asset behind it may be a row's, so no row can be told "not found"
/// or "unchanged" on the strength of it (a check that could not be made is a failure).
#[tokio::test]
async fn an_alt_import_over_a_listing_with_a_malformed_id_fails_whole() {
    use axum::Router;
    use axum::routing::get;
    let good = "6500aa00bb11cc22dd33ee01";
    let router = Router::new().route(
        "/v2/sites/{site}/assets",
        get(move || async move {
            axum::Json(serde_json::json!({
                "assets": [
                    {"id": good, "altText": "old", "originalFileName": "a.png"},
                    {"id": "not-an-id", "altText": "old", "originalFileName": "b.png"}
                ],
                "pagination": {"limit": 100, "offset": 0, "total": 2}
            }))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v2", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let client = Client::builder("token").base_url(base).build().unwrap();
    let mut row = webflow_assets::alt_text::AltRow::new(
        good.parse().unwrap(),
        webflow_assets::FolderPath::root(),
        "a.png".to_string(),
        "old".to_string(),
    );
    row.new_alt_text = "new".to_string();
    let planned = client
        .alt_import_plan(
            &common::site("580e63e98c9a982ac9b8b741"),
            vec![row],
            webflow_assets::alt_text::AltImportOptions::default(),
        )
        .await;
    match planned {
        Err(Error::UnexpectedResponse { body, .. }) => {
            assert!(body.contains("not-an-id"), "{body}")
        }
        other => panic!("expected an unexpected response, got {other:?}"),
    }
    server.abort();
}

#[tokio::test]
async fn a_listing_shorter_than_its_total_is_an_error_not_an_answer() {
    let (server, client) = short_listings().await;
    let site = "580e63e98c9a982ac9b8b741";
    assert!(matches!(
        client.list_folders(&common::site(site)).await,
        Err(Error::IncompleteListing {
            listed: 1,
            total: 2,
            ..
        })
    ));
    assert!(matches!(
        client.list_assets(&common::site(site), None).await,
        Err(Error::IncompleteListing {
            listed: 0,
            total: 5,
            ..
        })
    ));
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/x.txt", "x");
    assert!(matches!(
        client
            .sync_plan(&common::site(site), dir.path(), pruning("a"))
            .await,
        Err(Error::IncompleteListing { .. })
    ));
    server.abort();
}

#[tokio::test]
async fn a_checksum_download_stops_at_the_kinds_limit() {
    use axum::Router;
    use axum::routing::get;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    // The listing says 10 bytes, like the local file; the CDN serves 5 MB, past the 4 MB
    // image limit. The download is cut off there and the file fails.
    let asset = serde_json::json!({
        "id": "6500aa00bb11cc22dd33ee01", "originalFileName": "x.png", "size": 10,
        "hostedUrl": format!("{origin}/cdn/x.png"),
    });
    let router = Router::new()
        .route(
            "/v2/sites/{site}/asset_folders",
            get(|| async { axum::Json(serde_json::json!({"assetFolders": []})) }),
        )
        .route(
            "/v2/sites/{site}/assets",
            get(move || async move {
                axum::Json(serde_json::json!({
                    "assets": [asset], "pagination": {"limit": 100, "offset": 0, "total": 1}
                }))
            }),
        )
        .route(
            "/cdn/x.png",
            // Streamed with no length: only the count of bytes read can stop it.
            get(|| async {
                let chunks = (0..80).map(|_| Ok::<_, std::io::Error>(vec![0u8; 64 * 1024]));
                axum::body::Body::from_stream(futures::stream::iter(chunks))
            }),
        );
    let server = tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let client = Client::builder("token")
        .base_url(format!("{origin}/v2"))
        .allow_private_urls(true)
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "x.png", "0123456789");
    let checksum = SyncOptions::default().verify(Verify::Checksum).prune(true);
    let plan = client
        .sync_plan(
            &common::site("580e63e98c9a982ac9b8b741"),
            dir.path(),
            checksum,
        )
        .await
        .unwrap();
    assert!(plan.uploads.is_empty() && plan.unchanged.is_empty() && plan.deletes.is_empty());
    let (file, error) = &plan.failed[0];
    assert_eq!(file, "x.png");
    assert!(
        error.to_string().contains("more than 4194304 bytes"),
        "{error}"
    );
    server.abort();
}

#[tokio::test]
async fn a_second_asset_that_matches_a_file_is_never_deleted() {
    let (fake, client) = roomy().await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", "alpha");
    for _ in 0..2 {
        client
            .upload(&common::site(fake.site_id()), dir.path().join("a.txt"))
            .folder("dup".parse().unwrap())
            .send()
            .await
            .unwrap();
    }
    for verify in [Verify::NameAndSize, Verify::Checksum] {
        let options = pruning("dup").verify(verify);
        let report = sync(&client, &fake, dir.path(), options).await;
        assert!(report.deleted.is_empty(), "{verify:?}: {report:?}");
        assert_eq!(report.unchanged.len(), 1);
    }
    assert_eq!(assets(&fake), 2);

    // Under --checksum, one copy the CDN cannot serve fails the file, whichever matches.
    std::fs::remove_file(dir.path().join(".webflow-assets-manifest.json")).unwrap();
    let hidden = fake.state().uploaded_assets()[1].clone();
    fake.faults().hide_hosted(hidden.id.clone());
    let checksum = pruning("dup").verify(Verify::Checksum);
    let plan = client
        .sync_plan(&common::site(fake.site_id()), dir.path(), checksum)
        .await
        .unwrap();
    assert_eq!(plan.failed.len(), 1, "{plan:?}");
    assert!(plan.deletes.is_empty() && plan.uploads.is_empty());
}

#[tokio::test]
async fn two_names_equal_once_normalised_both_fail_and_keep_their_asset() {
    let (fake, client) = roomy().await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "caf\u{e9}.txt", "one");
    sync(&client, &fake, dir.path(), pruning("twins")).await;
    write(dir.path(), "cafe\u{301}.txt", "two");
    let report = sync(&client, &fake, dir.path(), pruning("twins")).await;
    assert_eq!(report.failed.len(), 2, "{report:?}");
    assert!(report.uploaded.is_empty() && report.deleted.is_empty());
    assert!(matches!(
        report.failed[0].status,
        Status::Failed {
            kind: ErrorKind::Validation,
            ..
        }
    ));
    assert_eq!(assets(&fake), 1);
}

#[cfg(unix)]
#[tokio::test]
async fn a_name_that_is_not_utf8_is_skipped_and_protects_its_directory() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let (fake, client) = roomy().await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "docs/menu.txt", "menu");
    write(dir.path(), "docs/old.txt", "old");
    sync(&client, &fake, dir.path(), pruning("bytes")).await;
    std::fs::remove_file(dir.path().join("docs/old.txt")).unwrap();
    let latin1 = dir
        .path()
        .join("docs")
        .join(OsStr::from_bytes(b"caf\xe9.txt"));
    if std::fs::write(&latin1, "x").is_err() {
        // A file system that takes only UTF-8 names cannot hold the case.
        return;
    }
    let report = sync(&client, &fake, dir.path(), pruning("bytes")).await;
    let skipped: Vec<_> = report.skipped.iter().map(|r| r.skip_reason()).collect();
    assert_eq!(skipped, [Some(&SkipReason::NotUtf8)], "{report:?}");
    assert!(
        report.deleted.is_empty(),
        "docs/ was not fully read: old.txt might be the unreadable name"
    );
    assert_eq!(assets(&fake), 2);
}
