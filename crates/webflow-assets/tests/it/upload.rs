//! Happy paths against the fake and its real S3.

use crate::common;

use common::*;
use rand::{RngExt, SeedableRng};
use webflow_assets::{FolderId, UploadSource};
use webflow_fake::Side;

#[tokio::test]
async fn an_image_from_disk_into_the_root() {
    let (fake, client) = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pixel.png");
    std::fs::write(&path, PNG).unwrap();
    let asset = client
        .upload(&common::site(fake.site_id()), path.as_path())
        .send()
        .await
        .unwrap();
    assert_eq!(asset.file_name, "pixel.png");
    assert_eq!(asset.content_type, "image/png");
    assert_eq!(asset.size, PNG.len() as u64);
    assert_eq!(asset.folder_id, None);
    assert_eq!(asset.requests, 3, "create, S3 form, confirm");
    assert_eq!(
        asset.asset.as_ref().unwrap().id.as_deref(),
        Some(asset.id.as_str())
    );
    let stored = fake
        .state()
        .asset(asset.id.as_str())
        .unwrap()
        .stored
        .unwrap();
    assert!(stored.md5_matches);
    assert_eq!(stored.md5, asset.md5);
    assert!(asset.s3_url.starts_with(&fake.s3_url()), "{}", asset.s3_url);
    let served = reqwest::get(&asset.hosted_url)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(&served[..], PNG);
}

#[tokio::test]
async fn without_confirmation_one_request_less() {
    let (fake, client) = fake().await;
    let asset = client
        .upload(
            &common::site(fake.site_id()),
            UploadSource::bytes("a.png", PNG.to_vec()),
        )
        .confirm(false)
        .send()
        .await
        .unwrap();
    assert_eq!(asset.requests, 2);
    assert!(asset.asset.is_none());
    assert_eq!(
        reqwest::get(&asset.hosted_url)
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap(),
        PNG
    );
}

#[tokio::test]
async fn a_document_into_a_folder_by_id() {
    let (fake, client) = fake().await;
    let folder = client
        .ensure_folder(&common::site(fake.site_id()), "docs", None)
        .await
        .unwrap();
    let again = client
        .ensure_folder(&common::site(fake.site_id()), "docs", None)
        .await
        .unwrap();
    assert_eq!(folder, again, "ensure_folder finds before it creates");
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let asset = client
        .upload(
            &common::site(fake.site_id()),
            UploadSource::bytes("Terms of Service.pdf", pdf.clone()),
        )
        .folder_id(folder.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(asset.folder_id.as_ref(), Some(&folder));
    assert_eq!(asset.content_type, "application/pdf");
    assert_eq!(fake.state().folders().len(), 1);
    assert_eq!(
        fake.state()
            .asset(asset.id.as_str())
            .unwrap()
            .parent_folder
            .as_deref(),
        Some(folder.as_str())
    );
}

/// The root path means the site's root on an upload and a bulk file, as on every options
/// type: no folder is listed or created, and the plan says the same.
#[tokio::test]
async fn the_root_folder_path_is_the_site_root() {
    use webflow_assets::FolderPath;
    use webflow_assets::bulk::{BulkFile, BulkOptions};

    let (fake, client) = fake().await;
    let site = common::site(fake.site_id());
    let upload = || {
        client
            .upload(&site, UploadSource::bytes("root.png", PNG))
            .folder_id(common::folder("6500aa00bb11cc22dd33ee77"))
            .folder(FolderPath::root())
    };
    let plan = upload().plan().await.unwrap();
    assert!(
        plan.requests
            .iter()
            .all(|r| !r.target.contains("asset_folders")),
        "{:?}",
        plan.requests
    );
    assert_eq!((plan.folder_id, plan.folder_path), (None, None));
    // `maybe_folder(None)` is the default, the root, in place of a folder id as well.
    let cleared = client
        .upload(&site, UploadSource::bytes("root.png", PNG))
        .folder_id(common::folder("6500aa00bb11cc22dd33ee77"))
        .maybe_folder(None)
        .plan()
        .await
        .unwrap();
    assert_eq!((cleared.folder_id, cleared.folder_path), (None, None));
    let asset = upload().send().await.unwrap();
    assert_eq!(asset.folder_id, None);
    assert_eq!(asset.requests, 3, "create, S3 form, confirm");

    let files = vec![
        BulkFile::bytes("a.png", PNG).folder(FolderPath::root()),
        BulkFile::bytes("b.png", PNG).maybe_folder(Some(FolderPath::root())),
        BulkFile::bytes("c.png", PNG).maybe_folder(None),
    ];
    let report = client
        .upload_many(&site, files, BulkOptions::default())
        .unwrap()
        .finish()
        .await;
    assert_eq!(report.uploaded.len(), 3, "{:?}", report.failed);
    let on_site = fake.state().uploaded_assets();
    assert_eq!(on_site.len(), 4);
    assert!(on_site.iter().all(|a| a.parent_folder.is_none()));
    assert_eq!(count(&fake, Side::Webflow, "GET", "/asset_folders"), 0);
    assert!(fake.state().folders().is_empty());
}

#[tokio::test]
async fn a_lottie_file_into_a_nested_folder_path_from_a_reader() {
    let (fake, client) = fake().await;
    let lottie = br#"{"v":"5.7.4","fr":30,"ip":0,"op":60,"w":100,"h":100,"layers":[]}"#;
    let existing = client
        .ensure_folder(&common::site(fake.site_id()), "motion", None)
        .await
        .unwrap();
    let asset = client
        .upload(
            &common::site(fake.site_id()),
            UploadSource::reader("spinner.json", &lottie[..], lottie.len() as u64),
        )
        .folder("motion/loaders/2026".parse().unwrap())
        .send()
        .await
        .unwrap();
    let folders = fake.state().folders();
    let names: Vec<&str> = folders.iter().map(|f| f.display_name.as_str()).collect();
    assert_eq!(
        names,
        ["motion", "loaders", "2026"],
        "the existing level is reused"
    );
    assert_eq!(
        folders[1].parent_folder.as_deref(),
        Some(existing.as_str()),
        "ensure_folder gives the typed id the next level names"
    );
    let deepest = folders[2].id.parse::<FolderId>().unwrap();
    assert_eq!(asset.folder_id.as_ref(), Some(&deepest));
    assert_eq!(asset.content_type, "application/json");
    // The same path again creates nothing.
    let again = client
        .ensure_folder_path(
            &common::site(fake.site_id()),
            &"motion/loaders/2026".parse().unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(again, deepest);
    assert_eq!(fake.state().folders().len(), 3);
    // Written the Windows way, it is the same path.
    let windows = client
        .upload(
            &common::site(fake.site_id()),
            UploadSource::bytes("w.png", PNG),
        )
        .folder(r"motion\loaders\2026".parse().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(windows.folder_id, Some(deepest.clone()));
    assert_eq!(fake.state().folders().len(), 3);
    // Finding creates nothing, and a missing level finds nothing.
    let found = client
        .find_folder_path(
            &common::site(fake.site_id()),
            &"motion/loaders/2026".parse().unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(found, Some(deepest));
    assert!(
        client
            .find_folder_path(
                &common::site(fake.site_id()),
                &"motion/2026".parse().unwrap()
            )
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(fake.state().folders().len(), 3);
}

#[tokio::test]
async fn file_hash_equals_md5sum_for_random_files_of_random_sizes() {
    let (fake, client) = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x5eed);
    for i in 0..6 {
        let size = rng.random_range(1..=1_500_000);
        let mut bytes = vec![0u8; size];
        rng.fill(&mut bytes[..]);
        let path = dir.path().join(format!("random-{i}.txt"));
        std::fs::write(&path, &bytes).unwrap();
        let md5sum = std::process::Command::new("md5sum")
            .arg(&path)
            .output()
            .unwrap();
        let md5sum = String::from_utf8(md5sum.stdout).unwrap();
        let expected = md5sum.split_whitespace().next().unwrap();
        assert_eq!(
            webflow_assets::hash::md5_file(&path).await.unwrap(),
            expected
        );
        let asset = client
            .upload(&common::site(fake.site_id()), path.as_path())
            .send()
            .await
            .unwrap();
        assert_eq!(asset.md5, expected, "{size} bytes");
        let record = fake.state().asset(asset.id.as_str()).unwrap();
        assert_eq!(record.declared_hash, expected);
        assert!(record.stored.unwrap().md5_matches);
    }
    assert_eq!(fake.state().uploaded_assets().len(), 6);
    assert_eq!(count(&fake, Side::S3, "POST", ""), 6);
}

/// The ids Webflow gives are typed where its answer arrives: a folder created without an id,
/// or an asset created with one that is not an id, fails there as the unexpected answer it is,
/// before anything is uploaded (never into the root instead, never with an id re-read later).
#[tokio::test]
async fn ids_webflow_gives_are_typed_where_they_arrive() {
    use webflow_assets::Error;
    use webflow_fake::{Fault, FaultBody, Target};

    let (fake, client) = fake().await;
    let site = common::site(fake.site_id());
    let no_id = || {
        Fault::Status(
            200,
            FaultBody::Json(serde_json::json!({"displayName": "docs"})),
        )
    };
    fake.faults().inject(Target::CreateAssetFolder, no_id(), 2);
    let err = client
        .ensure_folder_path(&site, &"docs".parse().unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UnexpectedResponse { .. }), "{err:?}");
    let err = client
        .upload(&site, UploadSource::bytes("a.png", PNG))
        .folder("docs".parse().unwrap())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UnexpectedResponse { .. }), "{err:?}");
    assert_eq!(
        count(&fake, Side::Webflow, "POST", "/assets"),
        0,
        "nothing created"
    );

    let bad_id = Fault::Status(
        200,
        FaultBody::Json(serde_json::json!({
            "id": "not-an-id",
            "uploadUrl": fake.s3_url(),
            "uploadDetails": {"key": "x"},
        })),
    );
    fake.faults().inject(Target::CreateAsset, bad_id, 1);
    let err = client
        .upload(&site, UploadSource::bytes("a.png", PNG))
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::UnexpectedResponse { body, .. } => assert!(body.contains("not-an-id"), "{body}"),
        other => panic!("expected an unexpected response, got {other:?}"),
    }
    assert!(
        fake.requests().iter().all(|r| r.side != Side::S3),
        "no form is posted for an asset whose id could not be read"
    );
    // With honest answers, the same calls give typed ids that name what the fake holds.
    let id = client
        .ensure_folder_path(&site, &"docs".parse().unwrap())
        .await
        .unwrap();
    assert!(fake.state().folder(id.as_str()).is_some());
    let asset = client
        .upload(&site, UploadSource::bytes("a.png", PNG))
        .folder_id(id.clone())
        .send()
        .await
        .unwrap();
    let stored = fake.state().asset(asset.id.as_str()).unwrap();
    assert_eq!(stored.parent_folder.as_deref(), Some(id.as_str()));
}
