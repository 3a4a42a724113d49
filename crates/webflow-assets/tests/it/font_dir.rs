//! Putting a font directory on the fake: a rerun sends nothing, the site (not the manifest)
//! decides what is there, and the manifest is replaced whole, never written in place.

use crate::common;

use std::path::Path;

use webflow_assets::Client;
use webflow_assets::font_dir::{
    AlreadyHosted, FontDirOptions, FontDirReport, FontFailure, FontOutcome, MANIFEST_FILE_NAME,
};
use webflow_fake::{FakeHandle, Side};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/fonts/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A client that may download the fake's loopback CDN, to compare hosted bytes.
async fn fake() -> (FakeHandle, Client) {
    let fake = webflow_fake::FakeWebflow::builder().start().await.unwrap();
    let client = common::builder(&fake)
        .allow_private_urls(true)
        .build()
        .unwrap();
    (fake, client)
}

async fn put(
    client: &Client,
    fake: &FakeHandle,
    dir: &Path,
    options: FontDirOptions,
) -> FontDirReport {
    let site = common::site(fake.site_id());
    let plan = client.font_dir_plan(&site, [dir], options).await.unwrap();
    plan.execute(client).await.unwrap()
}

fn writes(fake: &FakeHandle) -> Vec<String> {
    fake.requests()
        .iter()
        .filter(|r| r.method != "GET")
        .map(|r| format!("{:?} {} {}", r.side, r.method, r.path))
        .collect()
}

fn font_count(fake: &FakeHandle) -> usize {
    fake.requests()
        .iter()
        .filter(|r| {
            r.side == Side::Webflow && r.method == "POST" && r.path.ends_with("/custom_fonts")
        })
        .count()
}

fn a_directory(dir: &Path) {
    std::fs::write(
        dir.join("DejaVuSans-Latin.ttf"),
        fixture("DejaVuSans-Latin.ttf"),
    )
    .unwrap();
    std::fs::write(
        dir.join("Inter.woff2"),
        fixture("Inter-Italic-Variable-Latin.woff2"),
    )
    .unwrap();
    // Not a font: left alone.
    std::fs::write(dir.join("notes.txt"), b"not a font").unwrap();
}

#[tokio::test]
async fn a_directory_is_uploaded_once_and_a_rerun_sends_nothing() {
    let (fake, client) = fake().await;
    let dir = tempfile::tempdir().unwrap();
    a_directory(dir.path());
    let site = common::site(fake.site_id());
    let plan = client
        .font_dir_plan(&site, [dir.path()], FontDirOptions::default().woff2(true))
        .await
        .unwrap();
    let names: Vec<_> = plan.files.iter().map(|f| f.name()).collect();
    assert_eq!(names, ["DejaVuSans-Latin.ttf", "Inter.woff2"]);
    let first = plan.execute(&client).await.unwrap();
    assert_eq!(first.uploaded(), 2, "{first:?}");
    let FontOutcome::Uploaded(dejavu) = &first.files()[0].outcome else {
        panic!("{first:?}")
    };
    assert_eq!(dejavu.file_name, "DejaVuSans-Latin.woff2");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join(MANIFEST_FILE_NAME)).unwrap())
            .unwrap();
    assert_eq!(manifest["DejaVuSans-Latin.ttf"]["id"], dejavu.id.as_str());
    // The source's MD5, so a rerun knows the file without compressing it.
    assert_eq!(
        manifest["DejaVuSans-Latin.ttf"]["md5"],
        webflow_assets::hash::md5_bytes(&fixture("DejaVuSans-Latin.ttf"))
    );

    fake.log().clear();
    let again = put(
        &client,
        &fake,
        dir.path(),
        FontDirOptions::default().woff2(true),
    )
    .await;
    for file in again.files() {
        assert!(
            matches!(
                file.outcome,
                FontOutcome::Skipped {
                    hosted: AlreadyHosted::SameName,
                    ..
                }
            ),
            "{file:?}"
        );
    }
    assert_eq!(again.files().len(), 2);
    // The listing, and nothing else: no upload, no download of the hosted files.
    let requests = fake.requests();
    assert!(
        requests
            .iter()
            .all(|r| r.side == Side::Webflow && r.method == "GET"),
        "{requests:?}"
    );
}

#[tokio::test]
async fn a_lost_manifest_costs_a_comparison_never_a_duplicate() {
    let (fake, client) = fake().await;
    let dir = tempfile::tempdir().unwrap();
    a_directory(dir.path());
    let first = put(&client, &fake, dir.path(), FontDirOptions::default()).await;
    assert_eq!(first.uploaded(), 2, "{first:?}");
    let dejavu_id = match &first.files()[0].outcome {
        FontOutcome::Uploaded(font) => font.id.clone(),
        other => panic!("{other:?}"),
    };

    // The manifest is lost, and the same DejaVu bytes appear under another name: Webflow
    // would answer 409 to that face, and the site shows them to be the same bytes.
    std::fs::remove_file(dir.path().join(MANIFEST_FILE_NAME)).unwrap();
    std::fs::write(dir.path().join("Copy.ttf"), fixture("DejaVuSans-Latin.ttf")).unwrap();
    fake.log().clear();
    let again = put(&client, &fake, dir.path(), FontDirOptions::default()).await;
    assert_eq!(again.uploaded(), 0, "{again:?}");
    assert_eq!(again.failed(), 0, "{again:?}");
    let copy = again.files().iter().find(|f| f.name == "Copy.ttf").unwrap();
    match &copy.outcome {
        FontOutcome::Skipped {
            id,
            hosted: AlreadyHosted::SameFace { hosted_name },
            ..
        } => {
            assert_eq!(id, &dejavu_id);
            assert_eq!(hosted_name, "DejaVuSans-Latin.ttf");
        }
        other => panic!("{other:?}"),
    }
    let sent = writes(&fake);
    assert!(
        sent.iter().all(|w| !w.starts_with("S3")),
        "nothing reached S3: {sent:?}"
    );
    // At most the refused attempt for the copy (409), never a second font.
    assert!(font_count(&fake) <= 1, "{sent:?}");
    let site = common::site(fake.site_id());
    assert_eq!(client.list_fonts(&site).await.unwrap().len(), 2);

    // The comparisons were remembered: the next run reads the listing and nothing else.
    fake.log().clear();
    let third = put(&client, &fake, dir.path(), FontDirOptions::default()).await;
    assert_eq!(third.files().len(), 3);
    assert_eq!(third.uploaded() + third.failed(), 0, "{third:?}");
    let requests = fake.requests();
    assert!(
        requests
            .iter()
            .all(|r| r.side == Side::Webflow && r.method == "GET"),
        "{requests:?}"
    );
}

/// The manifest is written to a temporary file that is renamed over the old one: the old
/// file is never opened for writing, so a kill at any instant leaves it whole. A hard link to
/// the old manifest keeps its bytes through the rerun's write, and a temporary file a killed
/// run left behind is neither read nor in the way.
#[cfg(unix)]
#[tokio::test]
async fn the_manifest_is_replaced_whole_never_written_in_place() {
    let (fake, client) = fake().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("DejaVuSans-Latin.ttf"),
        fixture("DejaVuSans-Latin.ttf"),
    )
    .unwrap();
    put(&client, &fake, dir.path(), FontDirOptions::default()).await;
    let manifest = dir.path().join(MANIFEST_FILE_NAME);
    let old = std::fs::read(&manifest).unwrap();
    let link = dir.path().join("manifest-before");
    std::fs::hard_link(&manifest, &link).unwrap();
    // What a run killed mid-write leaves: a half-written temporary file.
    std::fs::write(dir.path().join(".tmpKILLED"), &old[..old.len() / 2]).unwrap();

    std::fs::write(
        dir.path().join("Inter.woff2"),
        fixture("Inter-Italic-Variable-Latin.woff2"),
    )
    .unwrap();
    let report = put(&client, &fake, dir.path(), FontDirOptions::default()).await;
    assert_eq!(report.uploaded(), 1, "{report:?}");
    assert!(report.files().iter().all(|f| f.manifest_error.is_none()));
    assert_eq!(
        std::fs::read(&link).unwrap(),
        old,
        "the old file was written in place"
    );
    let new: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    assert!(new["DejaVuSans-Latin.ttf"]["id"].is_string(), "{new}");
    assert!(new["Inter.woff2"]["id"].is_string(), "{new}");
    // No temporary file of this run is left beside the fonts.
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ".tmpKILLED",
            MANIFEST_FILE_NAME,
            "DejaVuSans-Latin.ttf",
            "Inter.woff2",
            "manifest-before"
        ]
    );
}

#[tokio::test]
async fn a_dry_run_plans_sizes_and_writes_nothing() {
    let (fake, client) = fake().await;
    let dir = tempfile::tempdir().unwrap();
    a_directory(dir.path());
    let report = put(
        &client,
        &fake,
        dir.path(),
        FontDirOptions::default().woff2(true).dry_run(true),
    )
    .await;
    let FontOutcome::Planned(plan) = &report.files()[0].outcome else {
        panic!("{report:?}")
    };
    assert_eq!(plan.file_name, "DejaVuSans-Latin.woff2");
    assert!(plan.compressed && plan.size < plan.source_size, "{plan:?}");
    assert!(writes(&fake).is_empty(), "{:?}", writes(&fake));
    assert!(!dir.path().join(MANIFEST_FILE_NAME).exists());
}

#[tokio::test]
async fn a_path_that_is_neither_file_nor_directory_is_refused_before_anything_is_sent() {
    let (fake, client) = fake().await;
    let site = common::site(fake.site_id());
    let error = client
        .font_dir_plan(&site, ["/nonexistent/fonts"], FontDirOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(error, webflow_assets::Error::Io { .. }),
        "{error:?}"
    );
    assert!(fake.requests().is_empty());
}

/// A file the plan found but that cannot be read when its turn comes is that file's failure,
/// with its reason: the run goes on with the other files, and nothing is sent for it.
#[tokio::test]
async fn a_file_that_cannot_be_read_fails_alone_with_its_reason() {
    let (fake, client) = fake().await;
    let dir = tempfile::tempdir().unwrap();
    a_directory(dir.path());
    let first = put(&client, &fake, dir.path(), FontDirOptions::default()).await;
    assert_eq!(first.uploaded(), 2, "{first:?}");
    let site = common::site(fake.site_id());
    let plan = client
        .font_dir_plan(&site, [dir.path()], FontDirOptions::default())
        .await
        .unwrap();
    // Gone between the plan and its turn: the manifest ties it to its font, so its bytes
    // must be read to know whether it changed.
    std::fs::remove_file(dir.path().join("DejaVuSans-Latin.ttf")).unwrap();
    let before = writes(&fake).len();
    let report = plan.execute(&client).await.unwrap();
    let [gone, other] = report.files() else {
        panic!("{report:?}")
    };
    let FontOutcome::Failed { id, reason, .. } = &gone.outcome else {
        panic!("{report:?}")
    };
    assert!(id.is_some(), "the font it was compared with is named");
    assert!(
        matches!(
            reason.as_ref(),
            FontFailure::Prepare(webflow_assets::Error::Io { .. })
        ),
        "{reason:?}"
    );
    assert!(
        reason.to_string().contains("DejaVuSans-Latin.ttf"),
        "{reason}"
    );
    assert!(
        matches!(other.outcome, FontOutcome::Skipped { .. }),
        "{report:?}"
    );
    assert_eq!(report.failed(), 1);
    assert_eq!(writes(&fake).len(), before, "{:?}", writes(&fake));
}

/// A font of the site has the file's name, the directory keeps no manifest, and the site
/// lists the font without a hosted file: nothing can say whether it is the file's bytes, so
/// the file fails with that reason, is not called unchanged, and nothing is sent.
#[tokio::test]
async fn a_font_that_cannot_be_compared_is_a_failure_not_unchanged() {
    let (fake, client) = fake().await;
    let dir = tempfile::tempdir().unwrap();
    a_directory(dir.path());
    let no_manifest = || FontDirOptions::default().without_manifest(true);
    let first = put(&client, &fake, dir.path(), no_manifest()).await;
    assert_eq!(first.uploaded(), 2, "{first:?}");
    fake.faults().unlink_hosted("DejaVuSans");
    let before = writes(&fake).len();
    let report = put(&client, &fake, dir.path(), no_manifest()).await;
    let dejavu = report
        .files()
        .iter()
        .find(|f| f.name == "DejaVuSans-Latin.ttf")
        .unwrap();
    let FontOutcome::Failed { id, reason, .. } = &dejavu.outcome else {
        panic!("{report:?}")
    };
    assert!(id.is_some(), "the font of its name is named");
    assert!(
        matches!(reason.as_ref(), FontFailure::NoHostedFile),
        "{reason:?}"
    );
    assert!(reason.to_string().contains("compare"), "{reason}");
    // The other file, whose hosted bytes could be read, is still known unchanged.
    assert_eq!(report.failed(), 1, "{report:?}");
    assert_eq!(writes(&fake).len(), before, "{:?}", writes(&fake));
}
