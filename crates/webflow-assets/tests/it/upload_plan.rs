//! Planning uploads: the checks and hash of a real upload, with nothing sent to Webflow.

use crate::common;

use webflow_assets::bulk::BulkFile;
use webflow_assets::{Error, Rule, UploadSource, hash};
use webflow_fake::Side;

#[tokio::test]
async fn a_plan_checks_and_hashes_as_the_upload_would_and_sends_nothing() {
    let (fake, client) = common::fake().await;
    let site = fake.site_id();
    let plan = client
        .upload(
            &common::site(site),
            UploadSource::bytes("logo.svg", b"<svg/>".to_vec()),
        )
        .folder("brand/logos".parse().unwrap())
        .alt_text("Our logo")
        .plan()
        .await
        .unwrap();
    assert_eq!(plan.file_name, "logo.svg");
    assert_eq!(plan.content_type, "image/svg+xml");
    assert_eq!(plan.size, 6);
    assert_eq!(plan.md5, hash::md5_bytes(b"<svg/>"));
    let folder = plan.folder_path.as_ref().expect("a folder path");
    assert_eq!(folder.segments().collect::<Vec<_>>(), ["brand", "logos"]);
    let planned: Vec<(&str, &str)> = plan
        .requests
        .iter()
        .map(|r| (r.method.as_str(), r.target.as_str()))
        .collect();
    let folders = format!("/sites/{site}/asset_folders");
    let assets = format!("/sites/{site}/assets");
    assert_eq!(
        planned,
        [
            ("GET", folders.as_str()),
            ("POST", assets.as_str()),
            ("POST", "the uploadUrl Webflow answers with"),
            ("PATCH", "/assets/{asset_id}"),
        ]
    );

    // Refused as the upload would refuse it, before reading: type, then size.
    let refused = client
        .upload(
            &common::site(site),
            UploadSource::bytes("tool.exe", b"MZ".to_vec()),
        )
        .plan()
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, Error::Validation { file: Some(f), rule: Rule::UnsupportedType { .. }, .. } if f == "tool.exe"),
        "{refused:?}"
    );
    let big = vec![0u8; 5 * 1024 * 1024];
    let too_large = client
        .upload(&common::site(site), UploadSource::bytes("big.png", big))
        .plan()
        .await
        .unwrap_err();
    assert!(
        matches!(
            too_large,
            Error::Validation {
                rule: Rule::TooLarge { .. },
                ..
            }
        ),
        "{too_large:?}"
    );

    // The bulk form: one plan per file, labelled as the run labels them.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "alpha").unwrap();
    let files = [
        BulkFile::path(dir.path().join("a.txt")).display_name("Alpha"),
        BulkFile::path(dir.path().join("missing.png")),
        BulkFile::bytes("b", b"b".to_vec()).folder("brand/logos".parse().unwrap()),
    ];
    let plans = client
        .plan_uploads(&common::site(site), files, &Default::default())
        .await;
    assert_eq!(plans.len(), 3);
    let first = plans[0].1.as_ref().unwrap();
    assert_eq!(first.display_name.as_deref(), Some("Alpha"));
    assert_eq!(first.md5, hash::md5_bytes(b"alpha"));
    assert!(
        matches!(plans[1].1, Err(Error::Io { .. })),
        "{:?}",
        plans[1]
    );
    assert!(
        matches!(&plans[2].1, Err(Error::Validation { file: Some(f), .. }) if f == "b"),
        "{:?}",
        plans[2]
    );

    assert!(
        fake.requests().iter().all(|r| r.side != Side::Webflow),
        "{:?}",
        fake.requests()
    );
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn a_display_name_given_to_a_bulk_file_is_set() {
    let (fake, client) = common::fake().await;
    let file = BulkFile::bytes("a.txt", b"alpha".to_vec()).display_name("Alpha sheet");
    let report = client
        .upload_many(&common::site(fake.site_id()), [file], Default::default())
        .unwrap()
        .finish()
        .await;
    assert_eq!(report.uploaded.len(), 1, "{report:?}");
    let assets = fake.state().uploaded_assets();
    assert_eq!(assets[0].display_name, "Alpha sheet");
    assert_eq!(assets[0].file_name, "a.txt");
}
