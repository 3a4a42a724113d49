//! Bad input gets a typed error naming the file and the rule, and nothing is sent.

use crate::common;

use common::*;
use webflow_assets::manifest::Manifest;
use webflow_assets::sync::SyncOptions;
use webflow_assets::{
    Error, FolderId, FolderPath, IoOperation, Kind, Limits, Rule, SiteId, UploadSource,
};

async fn refused(
    source: UploadSource,
    setup: impl FnOnce(webflow_assets::UploadBuilder<'_>) -> webflow_assets::UploadBuilder<'_>,
) -> (Option<String>, Rule) {
    let (fake, client) = fake().await;
    let err = setup(client.upload(&common::site(fake.site_id()), source))
        .send()
        .await
        .unwrap_err();
    assert!(
        fake.requests().is_empty(),
        "nothing may be sent: {:?}",
        fake.requests()
    );
    assert!(!err.is_retryable());
    match err {
        Error::Validation { file, rule, .. } => (file, rule),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn bytes(name: &str, data: &[u8]) -> UploadSource {
    UploadSource::bytes(name.to_string(), data.to_vec())
}

#[tokio::test]
async fn file_name_rules() {
    let long = format!("{}.png", "n".repeat(96));
    // Patterns, not values: a rule's fields may grow, so users match them with `..` too.
    type Expected = fn(&Rule) -> bool;
    let cases: [(&str, Expected); 5] = [
        ("", |r| matches!(r, Rule::EmptyFileName)),
        (long.as_str(), |r| {
            matches!(r, Rule::FileNameTooLong { chars: 100, .. })
        }),
        ("a/b.png", |r| matches!(r, Rule::PathSeparator)),
        ("README", |r| matches!(r, Rule::NoExtension)),
        (
            "tool.exe",
            |r| matches!(r, Rule::UnsupportedType { extension, .. } if extension == "exe"),
        ),
    ];
    for (name, expected) in cases {
        let (file, got) = refused(bytes("x.png", PNG), |u| u.file_name(name)).await;
        assert!(expected(&got), "{name}: {got:?}");
        assert_eq!(file.as_deref(), Some(name));
    }
}

#[tokio::test]
async fn empty_and_oversized_files() {
    let (file, rule) = refused(bytes("empty.txt", b""), |u| u).await;
    assert_eq!(
        (file.as_deref(), rule),
        (Some("empty.txt"), Rule::EmptyFile)
    );

    let big = vec![1u8; 4 * 1024 * 1024 + 1];
    let (_, rule) = refused(bytes("big.png", &big), |u| u).await;
    assert!(
        matches!(
            rule,
            Rule::TooLarge {
                size,
                limit: 0x40_0000,
                kind: Kind::Image,
                ..
            } if size == big.len() as u64
        ),
        "{rule:?}"
    );
    // The same bytes are fine as a document (10 MB).
    let (fake, client) = fake().await;
    client
        .upload(&common::site(fake.site_id()), bytes("big.txt", &big))
        .send()
        .await
        .unwrap();

    // From disk, an oversized file is refused from its size alone.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.pdf");
    std::fs::File::create(&path)
        .unwrap()
        .set_len(10 * 1024 * 1024 + 1)
        .unwrap();
    let (file, rule) = refused(UploadSource::path(&path), |u| u).await;
    assert_eq!(file.as_deref(), Some("huge.pdf"));
    assert!(
        matches!(
            rule,
            Rule::TooLarge {
                kind: Kind::Document,
                ..
            }
        ),
        "{rule:?}"
    );
}

#[tokio::test]
async fn limits_can_be_overridden() {
    let fake = webflow_fake::FakeWebflow::builder().start().await.unwrap();
    let client = builder(&fake)
        .limits(Limits::default().image(10))
        .build()
        .unwrap();
    let err = client
        .upload(&common::site(fake.site_id()), bytes("logo.png", PNG))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Validation {
                rule: Rule::TooLarge { limit: 10, .. },
                ..
            }
        ),
        "{err:?}"
    );
    assert!(fake.requests().is_empty());
}

/// The rule a validation error names; anything else fails the test.
fn rule_of(err: Error) -> Rule {
    match err {
        Error::Validation { rule, .. } => rule,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn ids_folder_paths_and_reader_lengths() {
    let (fake, client) = fake().await;
    let site = fake.site_id();
    // Bad ids are refused when built; the typed error converts into the crate's error.
    let bad_site: Error = "not-a-site".parse::<SiteId>().unwrap_err().into();
    assert!(matches!(
        rule_of(bad_site),
        Rule::InvalidId { what: "site", .. }
    ));
    let bad_folder: Error = FolderId::try_from("123").unwrap_err().into();
    assert!(matches!(
        rule_of(bad_folder),
        Rule::InvalidId { what: "folder", .. }
    ));
    // A folder path is checked when parsed, before an upload can be built with it.
    let bad_path: Error = "a//b".parse::<FolderPath>().unwrap_err().into();
    assert!(matches!(rule_of(bad_path), Rule::InvalidFolderName { .. }));
    let short = UploadSource::reader("a.png", &PNG[..10], 20);
    let err = client
        .upload(&common::site(site), short)
        .send()
        .await
        .unwrap_err();
    let rule = rule_of(err);
    assert!(
        matches!(
            rule,
            Rule::LengthMismatch {
                declared: 20,
                actual: 10,
                ..
            }
        ),
        "{rule:?}"
    );
    let long = UploadSource::reader("a.png", PNG, 10);
    let err = client
        .upload(&common::site(site), long)
        .send()
        .await
        .unwrap_err();
    let rule = rule_of(err);
    assert!(
        matches!(
            rule,
            Rule::LengthMismatch {
                declared: 10,
                actual: 11,
                ..
            }
        ),
        "{rule:?}"
    );
    let err = client
        .ensure_folder(&common::site(site), " ", None)
        .await
        .unwrap_err();
    assert!(matches!(rule_of(err), Rule::InvalidFolderName { .. }));
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());
}

#[tokio::test]
async fn a_missing_file_is_an_io_error_naming_it() {
    let (fake, client) = fake().await;
    let err = client
        .upload(&common::site(fake.site_id()), "/nonexistent/dir/photo.jpg")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Io { operation: IoOperation::Reading, path, .. } if path.ends_with("photo.jpg")
        ),
        "{err:?}"
    );
    assert!(err.to_string().starts_with("reading "), "{err}");
    assert!(err.to_string().contains("photo.jpg"));
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn io_errors_say_whether_they_were_reading_writing_or_parsing() {
    let (fake, client) = fake().await;
    let dir = tempfile::tempdir().unwrap();

    let manifest = Manifest::load(
        &dir.path().join("m.json"),
        &common::site(fake.site_id()),
        None,
    )
    .unwrap();
    let err = manifest
        .save(&dir.path().join("no-such-dir/m.json"))
        .unwrap_err();
    assert!(
        matches!(&err, Error::Io { operation: IoOperation::Writing, path, .. } if path.ends_with("m.json")),
        "{err:?}"
    );
    assert!(err.to_string().starts_with("writing "), "{err}");

    std::fs::write(dir.path().join("alt-text.json"), "[1, 2]").unwrap();
    let err = client
        .sync_plan(
            &common::site(fake.site_id()),
            dir.path(),
            SyncOptions::default(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Io { operation: IoOperation::Parsing, path, .. } if path.ends_with("alt-text.json")),
        "{err:?}"
    );
    assert!(err.to_string().starts_with("parsing "), "{err}");
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());
}
