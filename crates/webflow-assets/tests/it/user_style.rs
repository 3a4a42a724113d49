//! The crate as a dependent service uses it. This file is its own crate, so it sees only the
//! public API, with `#[non_exhaustive]` enforced as for any user: it must keep compiling when a
//! release adds a variant, a field or a setting (the wildcard arms below are the ones the
//! attributes require), and it checks against the fake that what it reads means what it says.

use std::time::Duration;

use webflow_assets::bulk::{BulkFile, BulkOptions, Outcome, SkipReason, Status};
use webflow_assets::models::{Asset, AssetFolder, FontAxis, FontDisplay, KnownErrorCode};
use webflow_assets::sync::{SyncOptions, Verify};
use webflow_assets::{
    AssetId, Client, Error, ErrorCode, FolderId, Kind, Limits, RateLimit, RetryPolicy, Rule, SiteId,
};
use webflow_fake::FakeWebflow;

fn kind(kind: Kind) -> &'static str {
    match kind {
        Kind::Image => "image",
        Kind::Document => "document",
        Kind::Lottie => "lottie",
        _ => "another kind",
    }
}

fn rule(rule: &Rule) -> String {
    match rule {
        Rule::InvalidId { what, .. } => format!("bad {what} id"),
        Rule::TooLarge { kind: k, limit, .. } => format!("{} over {limit}", kind(*k)),
        Rule::UnsupportedType { extension, .. } => format!("no .{extension}"),
        other => other.to_string(),
    }
}

fn code(code: &ErrorCode) -> String {
    match code {
        ErrorCode::Known(KnownErrorCode::ResourceNotFound) => "not found".into(),
        ErrorCode::Known(other) => other.to_string(),
        ErrorCode::Unknown(text) => text.clone(),
        _ => "a new kind of code".into(),
    }
}

fn error(error: &Error) -> String {
    match error {
        Error::Validation { rule: r, .. } => rule(r),
        Error::Api {
            status, code: c, ..
        } => format!("{status} {}", code(c)),
        Error::RateLimited { retry_after, .. } => format!("wait {retry_after:?}"),
        other => format!("{:?}", other.kind()),
    }
}

fn outcome(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Uploaded(asset) => format!("uploaded {}", asset.file_name),
        Outcome::Unchanged { asset_id, .. } => format!("unchanged {asset_id}"),
        Outcome::Skipped(SkipReason::Refused { rule: r, .. }) => format!("refused: {}", rule(r)),
        Outcome::Skipped(_) => "skipped".into(),
        Outcome::Failed(e) => format!("failed: {}", error(e)),
        _ => "something new".into(),
    }
}

fn status(status: &Status) -> &'static str {
    match status {
        Status::Uploaded { .. } => "uploaded",
        Status::Unchanged { .. } => "unchanged",
        Status::Skipped { .. } => "skipped",
        Status::Failed { .. } => "failed",
        _ => "something new",
    }
}

fn display(display: FontDisplay) -> &'static str {
    match display {
        FontDisplay::Swap => "swap",
        FontDisplay::Block => "block",
        _ => "another display",
    }
}

/// A model read field by field, as users read them.
fn describe(asset: &Asset) -> (Option<&str>, Option<i64>, Option<&str>) {
    (
        asset.original_file_name.as_deref(),
        asset.size,
        asset.folder_id.as_deref(),
    )
}

#[tokio::test]
async fn a_service_written_against_the_public_api() {
    // Ids: checked once, then passed by reference.
    assert_eq!(
        rule(&"not-an-id".parse::<AssetId>().unwrap_err()),
        "bad asset id"
    );
    assert_eq!(
        FolderId::try_from("6390C49774A71F0E3C1ED2A4").unwrap(),
        "6390c49774a71f0e3c1ed2a4"
    );

    // Settings: constructors and setters, never struct literals.
    let fake = FakeWebflow::builder().start().await.unwrap();
    let site: SiteId = fake.site_id().parse().unwrap();
    let client = Client::builder(fake.token())
        .base_url(fake.base_url())
        .rate_limit(RateLimit::new(600, Duration::from_secs(60)))
        .limits(Limits::default().document(16))
        .retry_policy(RetryPolicy::default().max_attempts(3))
        .build()
        .unwrap();

    let folder: AssetFolder = client.create_folder(&site, "inbox", None).await.unwrap();
    let folder_id: FolderId = folder.id.clone().unwrap().parse().unwrap();
    let asset = client
        .upload(
            &site,
            webflow_assets::UploadSource::bytes("note.txt", "hello"),
        )
        .folder_id(folder_id.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(asset.folder_id, Some(folder_id.clone()));
    let asset_id = asset.id.clone();
    let read = client.get_asset(&asset_id, None).await.unwrap();
    assert_eq!(read.id.as_deref(), Some(asset_id.as_str()));
    // Listings say which folder an asset is in.
    let listed = client.list_assets(&site, Some(&folder_id)).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        describe(&listed[0]),
        (Some("note.txt"), Some(5), Some(folder_id.as_str()))
    );

    let files = [
        BulkFile::bytes("a.txt", "alpha"),
        BulkFile::bytes("big.txt", "x".repeat(32)),
        BulkFile::bytes("tool.exe", "MZ"),
    ];
    let mut run = client
        .upload_many(&site, files, BulkOptions::default().concurrency(2))
        .unwrap();
    let mut seen = Vec::new();
    let mut uploaded_id = None;
    while let Some(file) = futures::StreamExt::next(&mut run).await {
        if let Outcome::Uploaded(asset) = &file.outcome {
            uploaded_id = Some(asset.id.clone());
        }
        seen.push((file.label.clone(), outcome(&file.outcome)));
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            ("a.txt".to_string(), "uploaded a.txt".to_string()),
            ("big.txt".into(), "refused: document over 16".into()),
            ("tool.exe".into(), "refused: no .exe".into()),
        ]
    );
    let report = run.finish().await;
    let statuses: Vec<&str> = report.uploaded.iter().map(|r| status(&r.status)).collect();
    assert_eq!(statuses, ["uploaded"]);
    // The outcome's and the record's ids are typed: what one says is passed to the next
    // call as it is, and names the asset the site has.
    let uploaded_id: AssetId = uploaded_id.expect("an upload outcome");
    assert_eq!(report.uploaded[0].asset_id(), Some(&uploaded_id));
    let on_site = client.get_asset(&uploaded_id, None).await.unwrap();
    assert_eq!(on_site.id.as_deref(), Some(uploaded_id.as_str()));

    // A dry-run sync of a directory whose one file the site already has.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("note.txt"), "hello").unwrap();
    let options = SyncOptions::default()
        .folder("inbox".parse().unwrap())
        .verify(Verify::NameAndSize)
        .dry_run(true);
    let plan = client.sync_plan(&site, dir.path(), options).await.unwrap();
    assert_eq!((plan.uploads.len(), plan.unchanged.len()), (0, 1));

    let gone: AssetId = "0123456789abcdef01234567".parse().unwrap();
    let missing = client.get_asset(&gone, None).await.unwrap_err();
    assert_eq!(error(&missing), "404 not found");

    // Models: built with their builders or Default, read by field.
    let axis: FontAxis = FontAxis::builder()
        .tag(Some("wght".to_string()))
        .min(Some(100.0))
        .max(Some(900.0))
        .default_value(Some(400.0))
        .try_into()
        .unwrap();
    let mut same = FontAxis::default();
    same.tag = Some("wght".into());
    same.min = Some(100.0);
    same.max = Some(900.0);
    same.default_value = Some(400.0);
    assert_eq!(axis, same);
    assert_eq!(display(FontDisplay::Swap), "swap");
}

#[test]
fn shared_settings_have_one_setter_one_meaning_and_take_an_option_alike() {
    use std::path::PathBuf;
    use webflow_assets::alt_text::AltImportOptions;
    use webflow_assets::copy::CopyOptions;
    use webflow_assets::pull::PullOptions;
    use webflow_assets::{FolderPath, LocaleId};

    // `locales` is the secondary locales carried along, the same on a pull and a copy.
    // Each is a typed `LocaleId`, checked when parsed.
    let fr: LocaleId = "65f0aa00bb11cc22dd33ee01".parse().unwrap();
    let de: LocaleId = "65f0aa00bb11cc22dd33ee02".parse().unwrap();
    let es: LocaleId = "65f0aa00bb11cc22dd33ee03".parse().unwrap();
    let pull = PullOptions::default().locales([fr.clone(), de.clone()]);
    assert_eq!(pull.locales, [fr.as_str(), de.as_str()]);
    let copy = CopyOptions::default()
        .locales([es])
        .locales(vec![fr.clone()]);
    assert_eq!(
        copy.locales,
        [fr.as_str()],
        "locales replaces what came before"
    );
    // `locale` is the one locale an operation reads and writes in.
    let alt = AltImportOptions::default().locale(fr.clone());
    assert_eq!(alt.locale.as_ref(), Some(&fr));

    // A caller holding an `Option` passes it to the `maybe_` twin of a setter; `None`
    // restores the default.
    let asked: Option<FolderPath> = Some("brand/logos".parse().unwrap());
    let manifest: Option<PathBuf> = None;
    let locale: Option<LocaleId> = None;
    let sync = SyncOptions::default()
        .maybe_folder(asked.clone())
        .manifest("m.json")
        .maybe_manifest(manifest.clone())
        .concurrency(2)
        .dry_run(true);
    assert_eq!(sync.folder, asked);
    assert_eq!(sync.manifest, None);
    assert_eq!((sync.bulk.concurrency, sync.dry_run), (2, true));
    let pull = PullOptions::default()
        .folder("brand".parse().unwrap())
        .maybe_manifest(Some("p.json".into()));
    assert_eq!(pull.manifest, Some(PathBuf::from("p.json")));
    assert_eq!(pull.folder, Some("brand".parse().unwrap()));
    let copy = CopyOptions::default()
        .folder("brand".parse().unwrap())
        .maybe_folder(None)
        .maybe_to_folder(asked.clone())
        .concurrency(3);
    assert_eq!((copy.folder, copy.bulk.concurrency), (None, 3));
    assert_eq!(copy.to_folder, asked);
    let alt = alt.maybe_locale(locale).concurrency(5);
    assert_eq!((alt.locale, alt.concurrency), (None, 5));
    let alt = AltImportOptions::default().dry_run(true).force(true);
    assert_eq!((alt.dry_run, alt.force, alt.concurrency), (true, true, 4));

    // An export and an audit read a folder in a locale, set as everywhere else.
    use webflow_assets::alt_text::AltExportOptions;
    use webflow_assets::audit::AuditOptions;
    let export = AltExportOptions::default()
        .maybe_folder(asked.clone())
        .locale(fr.clone());
    assert_eq!(
        (&export.folder, export.locale.as_ref()),
        (&asked, Some(&fr))
    );
    let audit = AuditOptions::default()
        .folder("brand".parse().unwrap())
        .maybe_folder(None)
        .maybe_locale(Some(de.clone()));
    assert_eq!((audit.folder, audit.locale.as_ref()), (None, Some(&de)));
}

/// A font directory's boolean settings take their value like every other (a caller holding
/// a flag passes it as it is, and a later call undoes an earlier one), and its optional
/// ones have `maybe_` twins.
#[cfg(feature = "fonts")]
#[test]
fn font_dir_settings_take_their_value_like_every_other() {
    use webflow_assets::font_dir::FontDirOptions;

    let options = FontDirOptions::default()
        .without_manifest(true)
        .dry_run(true)
        .woff2(true)
        .family("Inter")
        .maybe_weight(Some(700));
    assert!(options.without_manifest && options.dry_run && options.woff2);
    assert_eq!(
        (options.family.as_deref(), options.weight),
        (Some("Inter"), Some(700))
    );
    let options = options
        .without_manifest(false)
        .dry_run(false)
        .maybe_family(None)
        .maybe_italic(Some(true));
    assert!(!options.without_manifest && !options.dry_run);
    assert_eq!((options.family, options.italic), (None, Some(true)));
}
