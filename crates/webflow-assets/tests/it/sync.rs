//! Bulk upload and directory sync against the fake: every file accounted for, reruns cheap,
//! cancellation resumable, the rate budget respected.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use common::*;
use futures::StreamExt;
use webflow_assets::bulk::{BulkFile, BulkOptions, Outcome, SkipReason};
use webflow_assets::sync::SyncOptions;
use webflow_assets::{Client, RateLimit, Rule};
use webflow_fake::{FakeHandle, FakeWebflow, Side};

/// A fake with budget to spare, so only the tests about the budget meet it.
async fn roomy() -> (FakeHandle, Client) {
    start(FakeWebflow::builder().rate_limit(100_000, Duration::from_secs(60))).await
}

/// Writes `count` small text files spread over nested directories.
fn tree(root: &Path, count: usize) -> Vec<String> {
    let mut names = Vec::new();
    for i in 0..count {
        let dir = match i % 4 {
            0 => String::new(),
            1 => "docs/".to_string(),
            2 => format!("docs/{}/", 2020 + i % 3),
            _ => format!("media/set-{}/", i % 5),
        };
        std::fs::create_dir_all(root.join(&dir)).unwrap();
        let relative = format!("{dir}file-{i:03}.txt");
        std::fs::write(root.join(&relative), format!("contents of file {i}\n")).unwrap();
        names.push(relative);
    }
    names
}

fn s3_uploads(fake: &FakeHandle) -> usize {
    fake.requests()
        .iter()
        .filter(|r| r.side == Side::S3 && r.status == Some(201))
        .count()
}

#[tokio::test]
async fn a_tree_of_200_files_then_cheap_reruns() {
    let (fake, client) = roomy().await;
    let dir = tempfile::tempdir().unwrap();
    let names = tree(dir.path(), 200);
    let options = SyncOptions::default().folder("mirror".parse().unwrap());

    let first = sync(&client, &fake, dir.path(), options.clone()).await;
    assert_eq!(first.uploaded.len(), 200, "{:?}", first.failed);
    assert!(first.failed.is_empty() && first.skipped.is_empty());
    assert_eq!(
        first.hashed, 0,
        "new files are hashed once, by their upload"
    );
    // Folders mirror the tree under `mirror`, each created once.
    let folders: BTreeMap<String, Option<String>> = fake
        .state()
        .folders()
        .into_iter()
        .map(|f| (f.id, f.parent_folder))
        .collect();
    assert_eq!(
        folders.len(),
        1 + 1 + 3 + 1 + 5,
        "mirror, docs, docs/2020-2022, media, media/set-0..4"
    );
    let nested = fake
        .state()
        .assets()
        .into_iter()
        .find(|a| a.file_name == "file-002.txt")
        .unwrap();
    let year = fake
        .state()
        .folder(nested.parent_folder.as_deref().unwrap())
        .unwrap();
    assert_eq!(year.display_name, "2022");
    let docs = fake
        .state()
        .folder(year.parent_folder.as_deref().unwrap())
        .unwrap();
    assert_eq!(docs.display_name, "docs");
    assert_eq!(
        fake.state()
            .folder(docs.parent_folder.as_deref().unwrap())
            .unwrap()
            .display_name,
        "mirror"
    );

    let second = sync(&client, &fake, dir.path(), options.clone()).await;
    assert_eq!(
        (second.uploaded.len(), second.hashed, second.unchanged.len()),
        (0, 0, 200)
    );
    assert!(second.skipped.is_empty());

    // Three files change; a fourth is only touched.
    for name in &names[10..13] {
        std::fs::write(dir.path().join(name), "new contents\n").unwrap();
    }
    let touched = dir.path().join(&names[20]);
    let file = std::fs::File::options().write(true).open(&touched).unwrap();
    file.set_modified(std::time::SystemTime::now() + Duration::from_secs(5))
        .unwrap();
    let before = s3_uploads(&fake);
    let third = sync(&client, &fake, dir.path(), options.clone()).await;
    assert_eq!(third.uploaded.len(), 3);
    assert_eq!(
        third.hashed, 1,
        "only the touched file is hashed: the site's listing shows the resized ones differ"
    );
    assert_eq!(s3_uploads(&fake) - before, 3);
    let uploaded: Vec<&str> = third.uploaded.iter().map(|e| e.file.as_str()).collect();
    let mut expected: Vec<&str> = names[10..13].iter().map(String::as_str).collect();
    expected.sort();
    let mut uploaded_sorted = uploaded.clone();
    uploaded_sorted.sort();
    assert_eq!(uploaded_sorted, expected);

    let fourth = sync(&client, &fake, dir.path(), options).await;
    assert_eq!(
        (fourth.uploaded.len(), fourth.hashed),
        (0, 0),
        "the touched file's new time was recorded"
    );
}

#[tokio::test]
async fn a_cancelled_run_resumes_and_uploads_each_file_exactly_once() {
    let (fake, client) = roomy().await;
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path(), 60);
    let options = SyncOptions::default().bulk(BulkOptions::default().concurrency(2));

    let mut run = client
        .sync_dir(&common::site(fake.site_id()), dir.path(), options.clone())
        .await
        .unwrap();
    let cancel = run.cancel_handle();
    let mut seen = 0;
    while let Some(file) = run.next().await {
        seen += 1;
        if seen == 10 {
            cancel.cancel();
        }
        let _ = file;
    }
    let first = run.report().clone();
    assert_eq!(
        first.uploaded.len() + first.skipped.len() + first.failed.len(),
        60,
        "every file accounted for"
    );
    assert!(first.failed.is_empty());
    let cancelled = first
        .skipped
        .iter()
        .filter(|s| s.skip_reason() == Some(&SkipReason::Cancelled))
        .count();
    assert!(
        cancelled > 0 && first.uploaded.len() >= 10,
        "{} uploaded, {cancelled} cancelled",
        first.uploaded.len()
    );
    assert_eq!(first.uploaded.len() + cancelled, 60);

    let second = sync(&client, &fake, dir.path(), options).await;
    assert_eq!(
        second.uploaded.len(),
        cancelled,
        "the rest, and only the rest"
    );
    let mut per_file: BTreeMap<String, usize> = BTreeMap::new();
    for asset in fake.state().uploaded_assets() {
        *per_file.entry(asset.file_name).or_default() += 1;
    }
    assert_eq!(per_file.len(), 60);
    assert!(per_file.values().all(|n| *n == 1), "{per_file:?}");
}

#[tokio::test]
async fn refused_hidden_and_linked_files_are_reported_not_fatal() {
    let (fake, client) = roomy().await;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("ok.txt"), "fine").unwrap();
    std::fs::write(root.join("tool.exe"), "MZ").unwrap();
    std::fs::write(root.join("empty.csv"), "").unwrap();
    std::fs::write(root.join("huge.png"), vec![0u8; 4 * 1024 * 1024 + 1]).unwrap();
    std::fs::write(root.join(".env"), "SECRET=1").unwrap();
    std::fs::create_dir(root.join(".git")).unwrap();
    std::fs::write(root.join(".git/config"), "[core]").unwrap();
    // Making a link takes a privilege on Windows; there the rest of the test still runs.
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("ok.txt"), root.join("link.txt")).unwrap();

    let report = sync(&client, &fake, root, SyncOptions::default()).await;
    assert_eq!(
        report
            .uploaded
            .iter()
            .map(|e| e.file.as_str())
            .collect::<Vec<_>>(),
        ["ok.txt"]
    );
    assert!(report.failed.is_empty());
    let skipped: BTreeMap<&str, &SkipReason> = report
        .skipped
        .iter()
        .map(|e| (e.file.as_str(), e.skip_reason().unwrap()))
        .collect();
    assert_eq!(skipped.len(), if cfg!(unix) { 6 } else { 5 }, "{skipped:?}");
    assert_eq!(skipped[".env"], &SkipReason::Hidden);
    assert_eq!(skipped[".git"], &SkipReason::Hidden);
    #[cfg(unix)]
    assert_eq!(skipped["link.txt"], &SkipReason::Symlink);
    let rule = |file: &str| match skipped[file] {
        SkipReason::Refused { rule, .. } => rule.clone(),
        other => panic!("{file}: {other:?}"),
    };
    assert!(matches!(rule("tool.exe"), Rule::UnsupportedType { .. }));
    assert_eq!(rule("empty.csv"), Rule::EmptyFile);
    assert!(matches!(
        rule("huge.png"),
        Rule::TooLarge { limit: 4194304, .. }
    ));
    assert_eq!(
        fake.state().assets().len(),
        1,
        "refused files cost no request"
    );
}

#[tokio::test]
async fn a_dry_run_changes_nothing() {
    let (fake, client) = roomy().await;
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path(), 8);
    let options = SyncOptions::default()
        .dry_run(true)
        .folder("x/y".parse().unwrap());
    let report = sync(&client, &fake, dir.path(), options).await;
    assert_eq!(report.skipped.len(), 8);
    assert!(
        report
            .skipped
            .iter()
            .all(|s| s.skip_reason() == Some(&SkipReason::DryRun))
    );
    // It reads the site (the folder listing; no target folder, so no asset listing) and
    // changes nothing.
    let requests = fake.requests();
    assert!(!requests.is_empty());
    assert!(requests.iter().all(|r| r.method == "GET"), "{requests:?}");
    assert!(
        !dir.path()
            .join(webflow_assets::manifest::DEFAULT_FILE_NAME)
            .exists()
    );
}

#[tokio::test]
async fn upload_many_streams_results_and_reports_progress() {
    let (fake, client) = roomy().await;
    let files = (0..12).map(|i| {
        BulkFile::bytes(format!("f{i}.txt"), vec![b'x'; 100 + i])
            .folder("bulk/batch".parse().unwrap())
    });
    let bad = [
        BulkFile::bytes("nope.exe", b"MZ".to_vec()),
        BulkFile::bytes("x.png", Vec::new()),
    ];
    let mut run = client
        .upload_many(
            &common::site(fake.site_id()),
            files.chain(bad),
            BulkOptions::default().concurrency(3),
        )
        .unwrap();
    let progress = run.progress();
    let mut labels = Vec::new();
    while let Some(file) = run.next().await {
        if let Outcome::Uploaded(asset) = &file.outcome {
            assert_eq!(asset.file_name, file.label);
        }
        labels.push(file.label);
    }
    assert_eq!(labels.len(), 14);
    let report = run.report();
    assert_eq!(
        (
            report.uploaded.len(),
            report.skipped.len(),
            report.failed.len()
        ),
        (12, 2, 0)
    );
    let last = progress.borrow().clone();
    assert_eq!((last.files_done, last.files_total), (14, 14));
    assert_eq!(last.bytes_done, last.bytes_total);
    assert_eq!(
        last.bytes_total,
        (0..12).map(|i| 100 + i as u64).sum::<u64>() + 2
    );
    assert!(last.rate() > 0.0 && last.eta() == Some(Duration::ZERO));
    assert_eq!(
        fake.state().folders().len(),
        2,
        "one folder path, resolved once"
    );
    assert!(matches!(
        SkipReason::refused(webflow_assets::Rule::EmptyFile)
            .to_string()
            .as_str(),
        "refused: the file is empty"
    ));
}

#[tokio::test]
async fn under_a_small_rate_limit_nothing_fails_and_429s_stay_rare() {
    let window = Duration::from_millis(400);
    let fake = FakeWebflow::builder()
        .rate_limit(10, window)
        .start()
        .await
        .unwrap();
    let client = builder(&fake)
        .retry_policy(fast_retries())
        .rate_limit(RateLimit::new(10, window))
        .build()
        .unwrap();
    let files = (0..40).map(|i| BulkFile::bytes(format!("r{i}.txt"), format!("{i}").into_bytes()));
    let report = client
        .upload_many(
            &common::site(fake.site_id()),
            files,
            BulkOptions::default().concurrency(8),
        )
        .unwrap()
        .finish()
        .await;
    let creates = count(&fake, Side::Webflow, "POST", "/assets");
    let limited = fake
        .requests()
        .iter()
        .filter(|r| r.status == Some(429))
        .count();
    println!(
        "40 files under 10 requests per {window:?}: {creates} create requests, {limited} answered 429"
    );
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.uploaded.len(), 40);
    assert!(limited <= 2, "{limited} 429s");
}
