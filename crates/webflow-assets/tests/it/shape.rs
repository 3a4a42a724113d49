//! One shape for every operation, through the public API against the fake: each takes an
//! options type, every plan's `execute` is awaited for its report, and the errors agree.

use crate::common;

use common::*;
use webflow_assets::alt_text::{AltExportOptions, AltImportOptions};
use webflow_assets::audit::AuditOptions;
use webflow_assets::{Client, FolderPath, LocaleId};
use webflow_fake::FakeHandle;

const LOCALE: &str = "653ad57de882f528b32e810e";

fn locale() -> LocaleId {
    LOCALE.parse().unwrap()
}

fn path(text: &str) -> FolderPath {
    text.parse().unwrap()
}

/// Two images in `brand/`, one at the root: the first has alt text in the primary locale and
/// another in `LOCALE`, the second only in `LOCALE`, the third none.
async fn seeded() -> (FakeHandle, Client) {
    let (fake, client) = fake().await;
    let site = site(fake.site_id());
    let first = client
        .upload(&site, webflow_assets::UploadSource::bytes("a.png", PNG))
        .folder("brand".parse().unwrap())
        .alt_text("primary")
        .send()
        .await
        .unwrap();
    client
        .update_asset(&first.id)
        .alt_text("localized")
        .locale(locale())
        .send()
        .await
        .unwrap();
    let second = client
        .upload(&site, webflow_assets::UploadSource::bytes("b.png", PNG))
        .folder("brand".parse().unwrap())
        .send()
        .await
        .unwrap();
    client
        .update_asset(&second.id)
        .alt_text("only localized")
        .locale(locale())
        .send()
        .await
        .unwrap();
    client
        .upload(&site, webflow_assets::UploadSource::bytes("c.png", PNG))
        .send()
        .await
        .unwrap();
    (fake, client)
}

#[tokio::test]
async fn alt_export_takes_its_options() {
    let (fake, client) = seeded().await;
    let site = site(fake.site_id());
    let all = client
        .alt_export(&site, AltExportOptions::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    // The folder path is typed: the root row (first, as its text is empty) is the root.
    let folders: Vec<&FolderPath> = all.iter().map(|r| &r.folder_path).collect();
    assert_eq!(
        folders,
        [&FolderPath::root(), &path("brand"), &path("brand")]
    );
    let brand = client
        .alt_export(&site, AltExportOptions::default().folder(path("brand")))
        .await
        .unwrap();
    let labels: Vec<_> = brand.iter().map(|r| r.label()).collect();
    assert_eq!(labels, ["brand/a.png", "brand/b.png"]);
    assert_eq!(brand[0].alt_text, "primary");
    let localized = client
        .alt_export(
            &site,
            AltExportOptions::default()
                .folder(path("brand"))
                .locale(locale()),
        )
        .await
        .unwrap();
    assert_eq!(localized[0].alt_text, "localized");
    assert_eq!(localized[1].alt_text, "only localized");
}

#[tokio::test]
async fn audit_takes_its_options() {
    let (fake, client) = seeded().await;
    let site = site(fake.site_id());
    let all = client.audit(&site, AuditOptions::default()).await.unwrap();
    assert_eq!(all.assets, 3);
    let paths = |audit: &webflow_assets::audit::Audit| {
        audit
            .missing_alt_text
            .iter()
            .map(|a| a.path.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(paths(&all), ["brand/b.png", "c.png"]);
    let brand = client
        .audit(&site, AuditOptions::default().folder(path("brand")))
        .await
        .unwrap();
    assert_eq!(brand.assets, 2);
    assert_eq!(paths(&brand), ["brand/b.png"]);
    let localized = client
        .audit(&site, AuditOptions::default().locale(locale()))
        .await
        .unwrap();
    assert_eq!(paths(&localized), ["c.png"]);
    // An empty folder is reported by its typed path.
    client
        .ensure_folder_path(&site, &path("empty/inner"))
        .await
        .unwrap();
    let with_empty = client.audit(&site, AuditOptions::default()).await.unwrap();
    assert_eq!(with_empty.empty_folders, [path("empty/inner")]);
}

/// Every plan's `execute` is an `async fn` returning the run's report, and `start` the same
/// run as a stream; outside a Tokio runtime both are [`Error::NoRuntime`], never a panic, as
/// are making a plan, a request, an upload and hashing.
/// (The font directory's plan is among them, so the test needs the `fonts` feature.)
#[cfg(feature = "fonts")]
#[test]
fn runs_outside_a_tokio_runtime_are_an_error_not_a_panic() {
    use futures::executor::block_on;
    use webflow_assets::Error;
    use webflow_assets::bulk::{BulkFile, BulkOptions};

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "alpha").unwrap();
    let pulled = tempfile::tempdir().unwrap();
    // The fake and the plans are made inside the runtime; the runs are started outside it.
    let (fake, client, plans) = runtime.block_on(async {
        let (fake, client) = seeded().await;
        let site = site(fake.site_id());
        let sync = client
            .sync_plan(&site, dir.path(), Default::default())
            .await
            .unwrap();
        let sync_again = client
            .sync_plan(&site, dir.path(), Default::default())
            .await
            .unwrap();
        let pull = client
            .pull_plan(&site, pulled.path(), Default::default())
            .await
            .unwrap();
        let copy = client
            .copy_plan(&site, &client, &site, Default::default())
            .await
            .unwrap();
        let rows = client
            .alt_export(&site, AltExportOptions::default())
            .await
            .unwrap();
        let alt = client
            .alt_import_plan(&site, rows, AltImportOptions::default())
            .await
            .unwrap();
        let fonts = || {
            client.font_dir_plan(
                &site,
                [dir.path()],
                webflow_assets::font_dir::FontDirOptions::default(),
            )
        };
        let fonts = (fonts().await.unwrap(), fonts().await.unwrap());
        (fake, client, (sync, sync_again, pull, copy, alt, fonts))
    });
    let (sync, sync_again, pull, copy, alt, fonts) = plans;
    let before = fake.requests().len();
    fn no_runtime<T>(result: Result<T, Error>) -> bool {
        matches!(result, Err(Error::NoRuntime { .. }))
    }
    assert!(no_runtime(block_on(sync.execute(&client))));
    assert!(no_runtime(block_on(sync_again.start(&client))));
    assert!(no_runtime(block_on(pull.execute(&client))));
    assert!(no_runtime(block_on(copy.execute(&client))));
    assert!(no_runtime(block_on(alt.execute(&client))));
    assert!(no_runtime(block_on(fonts.0.execute(&client))));
    assert!(no_runtime(block_on(fonts.1.start(&client))));
    let files = [BulkFile::bytes("b.png", PNG)];
    let site = site(fake.site_id());
    assert!(no_runtime(client.upload_many(
        &site,
        files,
        BulkOptions::default()
    )));
    // Planning, a request, an upload and hashing, which need the runtime's I/O, timers or
    // blocking threads, say so too instead of panicking inside Tokio.
    assert!(no_runtime(block_on(client.sync_plan(
        &site,
        dir.path(),
        Default::default()
    ))));
    assert!(no_runtime(block_on(client.pull_plan(
        &site,
        pulled.path(),
        Default::default()
    ))));
    assert!(no_runtime(block_on(client.copy_plan(
        &site,
        &client,
        &site,
        Default::default()
    ))));
    assert!(no_runtime(block_on(client.alt_import_plan(
        &site,
        Vec::new(),
        AltImportOptions::default()
    ))));
    assert!(no_runtime(block_on(client.font_dir_plan(
        &site,
        [dir.path()],
        webflow_assets::font_dir::FontDirOptions::default()
    ))));
    assert!(no_runtime(block_on(client.list_assets(&site, None))));
    assert!(no_runtime(block_on(
        client.upload(&site, dir.path().join("a.txt")).send()
    )));
    let hashed = block_on(webflow_assets::hash::md5_file(dir.path().join("a.txt")));
    assert!(hashed.is_err_and(|e| e.to_string().contains("Tokio runtime")));
    let hashed = block_on(webflow_assets::hash::md5_files(vec![
        dir.path().join("a.txt"),
    ]));
    assert!(matches!(&hashed[..], [Err(_)]), "{hashed:?}");
    assert_eq!(fake.requests().len(), before, "nothing was sent");
    assert!(
        !pulled.path().join("brand").exists(),
        "the pull wrote nothing"
    );
    // Inside a runtime, the same calls run and report.
    runtime.block_on(async {
        let plan = client
            .sync_plan(&site, dir.path(), Default::default())
            .await
            .unwrap();
        let report = plan.execute(&client).await.unwrap();
        assert_eq!(report.uploaded.len(), 1, "{:?}", report.failed);
    });
}

/// A folder the site lacks is one typed error in every operation that reads a folder, before
/// anything is written; a folder an operation writes to is created.
#[tokio::test]
async fn a_missing_folder_is_one_error_everywhere() {
    use webflow_assets::Error;
    use webflow_assets::copy::CopyOptions;
    use webflow_assets::pull::PullOptions;
    use webflow_assets::sync::SyncOptions;

    let (fake, client) = seeded().await;
    let site = site(fake.site_id());
    let missing = path("brand/nope");
    let is_missing = |error: Error| {
        assert_eq!(error.kind(), webflow_assets::ErrorKind::NotFound);
        match error {
            Error::FolderNotFound { folder, .. } => folder == missing,
            other => panic!("expected FolderNotFound, got {other:?}"),
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let pull = client
        .pull_plan(
            &site,
            dir.path().join("out"),
            PullOptions::default().folder(missing.clone()),
        )
        .await;
    assert!(is_missing(pull.unwrap_err()));
    assert!(!dir.path().join("out").exists());
    let copy = client
        .copy_plan(
            &site,
            &client,
            &site,
            CopyOptions::default().folder(missing.clone()),
        )
        .await;
    assert!(is_missing(copy.unwrap_err()));
    let export = client
        .alt_export(&site, AltExportOptions::default().folder(missing.clone()))
        .await;
    assert!(is_missing(export.unwrap_err()));
    let audit = client
        .audit(&site, AuditOptions::default().folder(missing.clone()))
        .await;
    assert!(is_missing(audit.unwrap_err()));
    let tree = client.folder_tree(&site).await.unwrap();
    assert!(is_missing(tree.require_id(&missing).unwrap_err()));
    assert!(tree.require_id(&path("brand")).is_ok());

    // A copy's target folder and a sync's target folder are created, not refused.
    let copy = client
        .copy_plan(
            &site,
            &client,
            &site,
            CopyOptions::default()
                .folder(path("brand"))
                .to_folder(path("elsewhere/new")),
        )
        .await
        .unwrap();
    assert_eq!(copy.copies.len(), 2);
    std::fs::write(dir.path().join("a.txt"), "alpha").unwrap();
    let synced = client
        .sync_plan(
            &site,
            dir.path(),
            SyncOptions::default().folder(missing.clone()),
        )
        .await
        .unwrap()
        .execute(&client)
        .await
        .unwrap();
    assert_eq!(synced.uploaded.len(), 1, "{:?}", synced.failed);
    let tree = client.folder_tree(&site).await.unwrap();
    assert!(tree.require_id(&missing).is_ok());
}

/// A CSV file that does not read is `Error::Csv`, naming the file and the line at fault.
#[cfg(feature = "csv")]
#[test]
fn csv_failures_have_their_own_error() {
    use webflow_assets::alt_text::read_csv;
    use webflow_assets::{CsvFile, Error, ErrorKind};

    let line_of = |text: &str| match read_csv(text.as_bytes()).unwrap_err() {
        error @ Error::Csv { .. } => {
            assert_eq!(error.kind(), ErrorKind::Validation);
            let Error::Csv { file, line, .. } = error else {
                unreachable!()
            };
            assert_eq!(file, CsvFile::AltText);
            line
        }
        other => panic!("expected a CSV error, got {other:?}"),
    };
    assert_eq!(line_of("id,name\n6500aa00bb11cc22dd33ee01,x\n"), Some(1));
    let header = "id,folder_path,name,alt_text,new_alt_text\n";
    let good = "6500aa00bb11cc22dd33ee01,,a.png,,\n";
    assert_eq!(
        line_of(&format!("{header}{good}not-an-id,,b.png,,\n")),
        Some(3)
    );
    assert_eq!(
        line_of(&format!("{header}{good}6500aa00bb11cc22dd33ee02,,a.png\n")),
        Some(3)
    );
    let message = read_csv(format!("{header}not-an-id,,b.png,,\n").as_bytes())
        .unwrap_err()
        .to_string();
    assert!(message.starts_with("alt-text CSV, line 2: "), "{message}");
}

/// The one inventory step costs what the plans report: one request for the folders, one per
/// 100 assets, and as many again per extra locale; a target folder not there yet costs the
/// folder request alone.
#[tokio::test]
async fn the_inventory_step_costs_what_the_plans_report() {
    use webflow_assets::copy::CopyOptions;
    use webflow_assets::pull::PullOptions;

    let (fake, client) = seeded().await;
    let site = site(fake.site_id());
    let api = |fake: &FakeHandle| {
        fake.requests()
            .iter()
            .filter(|r| r.side == webflow_fake::Side::Webflow)
            .count()
    };
    let dir = tempfile::tempdir().unwrap();
    let before = api(&fake);
    let pull = client
        .pull_plan(
            &site,
            dir.path(),
            PullOptions::default()
                .folder(path("brand"))
                .locales([locale()]),
        )
        .await
        .unwrap();
    assert_eq!(
        pull.cost.planning, 3,
        "folders, assets, assets in the locale"
    );
    assert_eq!(api(&fake) - before, 3);
    assert_eq!(pull.downloads.len(), 2);

    let before = api(&fake);
    let copy = client
        .copy_plan(
            &site,
            &client,
            &site,
            CopyOptions::default()
                .folder(path("brand"))
                .to_folder(path("copied"))
                .locales([locale()]),
        )
        .await
        .unwrap();
    let (source, target) = copy.cost;
    assert_eq!(source.planning, 3, "folders, assets, assets in the locale");
    assert_eq!(
        target.planning, 1,
        "folders only: the target folder is not there yet"
    );
    assert_eq!(api(&fake) - before, 4);

    let before = api(&fake);
    client
        .alt_export(&site, AltExportOptions::default().locale(locale()))
        .await
        .unwrap();
    assert_eq!(api(&fake) - before, 2, "folders, assets in the locale");

    // An import finds its rows by id: the assets in the locale, and no folder request.
    let rows = client
        .alt_export(&site, AltExportOptions::default())
        .await
        .unwrap();
    let before = api(&fake);
    let import = client
        .alt_import_plan(&site, rows, AltImportOptions::default().locale(locale()))
        .await
        .unwrap();
    assert_eq!(import.cost.planning, 1, "assets in the locale");
    assert_eq!(api(&fake) - before, 1);
}

/// A row naming an asset the site does not have fails with its own typed error, the asset's
/// id in it, never an HTTP answer nobody sent; the other rows are planned and written as
/// usual, and the report counts the row failed.
#[tokio::test]
async fn an_alt_import_row_for_an_asset_not_on_the_site_fails_typed() {
    use webflow_assets::Error;
    use webflow_assets::alt_text::AltRow;
    use webflow_assets::bulk::Status;

    let (fake, client) = seeded().await;
    let site = site(fake.site_id());
    let mut rows = client
        .alt_export(&site, AltExportOptions::default())
        .await
        .unwrap();
    let gone: webflow_assets::AssetId = "6500aa00bb11cc22dd33ee99".parse().unwrap();
    let mut missing = AltRow::new(gone.clone(), path("brand"), "gone.png", "");
    missing.new_alt_text = "Gone".into();
    rows.push(missing);
    let edited = rows.iter().position(|r| r.name == "c.png").unwrap();
    rows[edited].new_alt_text = "Third".into();
    let edited_id = rows[edited].id.clone();

    let plan = client
        .alt_import_plan(&site, rows, AltImportOptions::default())
        .await
        .unwrap();
    assert_eq!(plan.patches.len(), 1);
    assert_eq!(plan.unchanged.len(), 2);
    match plan.failed.as_slice() {
        [(label, Error::AssetNotFound { asset_id, .. })] => {
            assert_eq!((label.as_str(), asset_id), ("brand/gone.png", &gone));
        }
        other => panic!("expected the row's asset not found, got {other:?}"),
    }
    let error = &plan.failed[0].1;
    assert_eq!(error.kind(), webflow_assets::ErrorKind::NotFound);
    assert_eq!(
        error.to_string(),
        "the site has no asset 6500aa00bb11cc22dd33ee99"
    );
    let dry = plan.records();
    let record = dry.iter().find(|r| r.file == "brand/gone.png").unwrap();
    assert!(
        matches!(
            &record.status,
            Status::Failed {
                kind: webflow_assets::ErrorKind::NotFound,
                ..
            }
        ),
        "{record:?}"
    );

    let report = plan.execute(&client).await.unwrap();
    assert!(!report.is_success());
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].file, "brand/gone.png");
    assert_eq!(report.updated.len(), 1);
    assert_eq!(
        fake.state()
            .asset(edited_id.as_str())
            .unwrap()
            .alt_text
            .as_deref(),
        Some("Third")
    );
}
