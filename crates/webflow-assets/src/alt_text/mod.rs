//! Alt text at scale: every asset's alt text as CSV rows a person edits
//! ([`Client::alt_export`]), and the edited file applied back ([`Client::alt_import_plan`],
//! [`AltImportPlan::execute`]) with a stale-write guard: each row carries the alt text it
//! expects to replace, and a row whose asset's alt text changed on the site since is refused
//! unless forced.

pub mod audit;

use std::collections::HashMap;
#[cfg(feature = "csv")]
use std::io::{Read, Write};

use futures::StreamExt;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::http::client::Client;
use crate::ids::{AssetId, SiteId};
use crate::inventory::remote::{Missing, SiteInventory};
use crate::path::FolderPath;
use crate::reasons::SkipReason;
use crate::run::cost::RequestCost;
use crate::run::outcome::Outcome;
use crate::run::report::{Record, Report, Status};
use crate::run::{BulkRun, spawn_run};

/// The CSV header, in column order.
pub const COLUMNS: [&str; 5] = ["id", "folder_path", "name", "alt_text", "new_alt_text"];

/// One asset's row: what it is, its alt text as exported (the value an import expects to
/// replace), and the alt text wanted (prefilled with the current one; edit this column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AltRow {
    /// The asset's id.
    pub id: crate::AssetId,
    /// Its folder path from the site root (written empty at the root).
    pub folder_path: FolderPath,
    /// Its file name.
    pub name: String,
    /// Its alt text when exported (empty for none).
    pub alt_text: String,
    /// The alt text it should have.
    pub new_alt_text: String,
}

impl AltRow {
    /// A row for an asset whose alt text is `alt_text`, with the wanted text the same.
    pub fn new(
        id: crate::AssetId,
        folder_path: FolderPath,
        name: impl Into<String>,
        alt_text: impl Into<String>,
    ) -> Self {
        let alt_text = alt_text.into();
        Self {
            id,
            folder_path,
            name: name.into(),
            new_alt_text: alt_text.clone(),
            alt_text,
        }
    }

    /// How a run labels the row: its folder path and name.
    pub fn label(&self) -> String {
        match self.folder_path.is_root() {
            true => self.name.clone(),
            false => format!("{}/{}", self.folder_path, self.name),
        }
    }
}

/// A CSV failure: the disk's, or the file's form.
#[cfg(feature = "csv")]
pub(crate) fn csv_error(file: crate::CsvFile, writing: bool, error: csv::Error) -> Error {
    if !error.is_io_error() {
        return Error::Csv {
            file,
            line: error.position().map(csv::Position::line),
            message: error.to_string(),
        };
    }
    let source = match error.into_kind() {
        csv::ErrorKind::Io(source) => source,
        other => std::io::Error::other(format!("{other:?}")),
    };
    Error::Io {
        operation: match writing {
            true => crate::IoOperation::Writing,
            false => crate::IoOperation::Reading,
        },
        path: file.to_string().into(),
        source,
    }
}

/// Writes `rows` as CSV with a header row ([`COLUMNS`]). Needs the `csv` feature (on by
/// default).
#[cfg(feature = "csv")]
pub fn write_csv(rows: &[AltRow], writer: impl Write) -> Result<(), Error> {
    let mut out = csv::Writer::from_writer(writer);
    for row in rows {
        out.serialize(row)
            .map_err(|e| csv_error(crate::CsvFile::AltText, true, e))?;
    }
    out.flush().map_err(|source| Error::Io {
        operation: crate::IoOperation::Writing,
        path: crate::CsvFile::AltText.to_string().into(),
        source,
    })
}

/// Reads rows written by [`write_csv`] (and edited). The header must name the five
/// [`COLUMNS`]; a row that does not read is an error naming its line, before anything is sent.
/// Needs the `csv` feature (on by default).
#[cfg(feature = "csv")]
pub fn read_csv(reader: impl Read) -> Result<Vec<AltRow>, Error> {
    let file = crate::CsvFile::AltText;
    let mut input = csv::Reader::from_reader(reader);
    let headers = input
        .headers()
        .map_err(|e| csv_error(file, false, e))?
        .clone();
    for column in COLUMNS {
        if !headers.iter().any(|h| h.trim() == column) {
            return Err(Error::Csv {
                file,
                line: Some(1),
                message: format!(
                    "the header has no {column:?} column (expected {})",
                    COLUMNS.join(",")
                ),
            });
        }
    }
    let mut rows = Vec::new();
    for (index, row) in input.deserialize::<CsvRow>().enumerate() {
        let line = index as u64 + 2;
        let at_line = |message: String| Error::Csv {
            file,
            line: Some(line),
            message,
        };
        let row = row.map_err(|e| match csv_error(file, false, e) {
            Error::Csv { message, .. } => at_line(message),
            other => other,
        })?;
        // A malformed id is the input refused, nothing sent, as an id given any other way.
        let id = row
            .id
            .parse()
            .map_err(|rule: crate::Rule| at_line(rule.to_string()))?;
        // A folder path the export could not have written is refused at its line too.
        let folder_path = FolderPath::from_display(&row.folder_path)
            .map_err(|rule: crate::Rule| at_line(rule.to_string()))?;
        rows.push(AltRow {
            id,
            folder_path,
            name: row.name,
            alt_text: row.alt_text,
            new_alt_text: row.new_alt_text,
        });
    }
    Ok(rows)
}

#[cfg(feature = "csv")]
/// A row as the CSV holds it, its id not yet checked.
#[derive(Deserialize)]
struct CsvRow {
    id: String,
    folder_path: String,
    name: String,
    alt_text: String,
    new_alt_text: String,
}

/// Settings for [`Client::alt_export`]: which assets, and in which locale.
///
/// ```
/// use webflow_assets::alt_text::AltExportOptions;
///
/// let options = AltExportOptions::default()
///     .folder("brand/logos".parse()?)
///     .locale("653ad57de882f528b32e810e");
/// # Ok::<(), webflow_assets::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct AltExportOptions {
    /// Export only this folder and the folders below it (the whole site when `None`). A
    /// folder the site lacks is [`Error::FolderNotFound`].
    pub folder: Option<FolderPath>,
    /// Read the alt text of this locale instead of the primary one.
    pub locale: Option<String>,
}

crate::run::settings::shared_settings!(AltExportOptions { folder, locale });

/// Settings for [`Client::alt_import_plan`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AltImportOptions {
    /// Read and write the alt text of this locale instead of the primary one.
    pub locale: Option<String>,
    /// Write rows whose asset's alt text changed on the site since the export.
    pub force: bool,
    /// Only report what would change.
    pub dry_run: bool,
    /// Updates in flight at once (default 4).
    pub concurrency: usize,
}

impl Default for AltImportOptions {
    fn default() -> Self {
        Self {
            locale: None,
            force: false,
            dry_run: false,
            concurrency: 4,
        }
    }
}

crate::run::settings::shared_settings!(AltImportOptions {
    locale,
    dry_run,
    concurrency => concurrency
});

impl AltImportOptions {
    /// Sets whether rows whose alt text changed on the site since the export are written.
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }
}

/// One alt-text change to make.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AltPatch {
    /// The row's label (folder path and name).
    pub label: String,
    /// The asset.
    pub asset_id: crate::AssetId,
    /// The alt text to set.
    pub alt_text: String,
}

/// What an import will do: see [`Client::alt_import_plan`].
#[derive(Debug)]
#[non_exhaustive]
pub struct AltImportPlan {
    /// Rows to write.
    pub patches: Vec<AltPatch>,
    /// Rows that change nothing (not edited, or the site already has the wanted text), by
    /// label and asset.
    pub unchanged: Vec<(String, crate::AssetId)>,
    /// Rows refused or impossible, each with its typed reason: the site's alt text changed
    /// since the export ([`Error::StaleAltText`], unless forced), or the site has no asset
    /// of the row's id ([`Error::AssetNotFound`]).
    pub failed: Vec<(String, Error)>,
    /// Requests spent planning (one per 100 assets listed) and needed to carry it out.
    pub cost: RequestCost,
    options: AltImportOptions,
}

impl Client {
    /// One row per asset of the site, or of the options' folder and the folders below it,
    /// with its alt text in the options' locale (the primary locale's when none). Costs one
    /// request for the folders and one per 100 assets.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// use webflow_assets::alt_text::AltExportOptions;
    ///
    /// let site = "580e63e98c9a982ac9b8b741".parse()?;
    /// let rows = client.alt_export(&site, AltExportOptions::default()).await?;
    /// webflow_assets::alt_text::write_csv(&rows, std::io::stdout())?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn alt_export(
        &self,
        site_id: &SiteId,
        options: AltExportOptions,
    ) -> Result<Vec<AltRow>, Error> {
        let folder = options.folder.unwrap_or_default();
        let site = SiteInventory::read(
            self,
            site_id,
            &folder,
            options.locale.as_deref(),
            &[],
            Missing::Refused,
        )
        .await?;
        let mut rows: Vec<AltRow> = site
            .assets
            .iter()
            .filter_map(|asset| {
                let name = asset
                    .original_file_name
                    .as_ref()
                    .or(asset.display_name.as_ref())?;
                let id = crate::error::id_from_server(asset.id.clone()?);
                Some(id.map(|id| {
                    AltRow::new(
                        id,
                        site.folder_path_of(asset),
                        crate::path::nfc(name),
                        asset.alt_text.clone().unwrap_or_default(),
                    )
                }))
            })
            .collect::<Result<_, Error>>()?;
        // In the order of the folder path's text, as the CSV writes it.
        rows.sort_by_cached_key(|r| (r.folder_path.to_string(), r.name.clone(), r.id.clone()));
        Ok(rows)
    }

    /// Plans applying edited rows: lists the site's alt text (in the options' locale; one
    /// request per 100 assets) and compares. A row whose wanted text equals its exported text,
    /// or the site's current text, changes nothing. A row whose asset's current alt text is no
    /// longer the exported one is refused ([`Error::StaleAltText`]) unless forced; a row whose
    /// asset the site no longer has fails with [`Error::AssetNotFound`]. Neither sends
    /// anything.
    pub async fn alt_import_plan(
        &self,
        site_id: &SiteId,
        rows: Vec<AltRow>,
        options: AltImportOptions,
    ) -> Result<AltImportPlan, Error> {
        // Rows are found by id, so the folder tree is not read.
        let read = SiteInventory::read_by_id(self, site_id, options.locale.as_deref());
        let (site, planning) = crate::http::transport::counted(read).await;
        let site = site?;
        let current: HashMap<AssetId, &str> = site
            .by_id()?
            .into_iter()
            .map(|(id, asset)| (id, asset.alt_text.as_deref().unwrap_or_default()))
            .collect();
        let mut plan = AltImportPlan {
            patches: Vec::new(),
            unchanged: Vec::new(),
            failed: Vec::new(),
            cost: RequestCost {
                planning,
                execution: 0,
            },
            options,
        };
        for row in rows {
            let label = row.label();
            let Some(&now) = current.get(&row.id) else {
                let gone = Error::AssetNotFound { asset_id: row.id };
                plan.failed.push((label, gone));
                continue;
            };
            if row.new_alt_text == row.alt_text || now == row.new_alt_text {
                plan.unchanged.push((label, row.id));
            } else if now != row.alt_text && !plan.options.force {
                let stale = Error::StaleAltText {
                    asset_id: row.id.clone(),
                    expected: row.alt_text,
                    current: now.to_string(),
                };
                plan.failed.push((label, stale));
            } else {
                plan.patches.push(AltPatch {
                    label,
                    asset_id: row.id,
                    alt_text: row.new_alt_text,
                });
            }
        }
        plan.cost.execution = plan.patches.len() as u32;
        Ok(plan)
    }
}

impl AltImportPlan {
    /// The plan as records, as `--dry-run --json` prints them.
    pub fn records(&self) -> Vec<Record> {
        let mut records = Vec::new();
        for patch in &self.patches {
            let status = Status::PlannedAltText {
                asset_id: patch.asset_id.clone(),
                alt_text: patch.alt_text.clone(),
            };
            records.push(Record::new(patch.label.clone(), status));
        }
        for (label, asset_id) in &self.unchanged {
            let status = Status::Unchanged {
                asset_id: asset_id.clone(),
            };
            records.push(Record::new(label.clone(), status));
        }
        for (label, error) in &self.failed {
            records.push(Record::failed(label.clone(), error));
        }
        records
    }

    /// Writes the changes (a dry run writes none), publishing one outcome per row.
    ///
    /// This is the streaming form: the run's outcomes arrive one by one, with its progress,
    /// and [`BulkRun::finish`] gives the report; [`Self::execute`] awaits the report alone.
    ///
    /// # Errors
    ///
    /// [`Error::NoRuntime`] outside a Tokio runtime (the run is spawned on the current one);
    /// nothing is sent then.
    pub async fn start(self, client: &Client) -> Result<BulkRun, Error> {
        let client = client.clone();
        spawn_run(move |publisher| async move {
            let AltImportPlan {
                patches,
                unchanged,
                failed,
                options,
                ..
            } = self;
            publisher.plan(unchanged.len() + failed.len() + patches.len(), 0);
            for (label, asset_id) in unchanged {
                publisher
                    .publish(label, 0, Outcome::Unchanged { asset_id })
                    .await;
            }
            for (label, error) in failed {
                publisher.publish(label, 0, Outcome::Failed(error)).await;
            }
            let (publisher, client, options) = (&publisher, &client, &options);
            let writes = patches.into_iter().map(|patch| async move {
                let outcome = if options.dry_run {
                    Outcome::Skipped(SkipReason::DryRun)
                } else if publisher.cancel.is_cancelled() {
                    Outcome::Skipped(SkipReason::Cancelled)
                } else {
                    let mut update = client
                        .update_asset(&patch.asset_id)
                        .alt_text(patch.alt_text);
                    if let Some(locale) = &options.locale {
                        update = update.locale_id(locale);
                    }
                    match update.send().await {
                        Ok(_) => Outcome::AltTextSet {
                            asset_id: patch.asset_id,
                        },
                        Err(error) => Outcome::Failed(error),
                    }
                };
                (patch.label, outcome)
            });
            let mut writes =
                futures::stream::iter(writes).buffer_unordered(options.concurrency.max(1));
            while let Some((label, outcome)) = writes.next().await {
                publisher.publish(label, 0, outcome).await;
            }
        })
    }

    /// Carries the plan out as [`Self::start`] does and returns the run's report once every
    /// row is accounted for.
    pub async fn execute(self, client: &Client) -> Result<Report, Error> {
        Ok(self.start(client).await?.finish().await)
    }
}

#[cfg(all(test, feature = "csv"))]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip_through_csv_and_bad_files_are_refused() {
        let rows = vec![
            AltRow::new(
                "6500aa00bb11cc22dd33ee01".parse().unwrap(),
                "brand/logos".parse().unwrap(),
                "a, b.png",
                "Says \"hi\"",
            ),
            AltRow::new(
                "6500aa00bb11cc22dd33ee02".parse().unwrap(),
                FolderPath::root(),
                "c.png",
                "",
            ),
        ];
        let mut out = Vec::new();
        write_csv(&rows, &mut out).unwrap();
        let text = String::from_utf8(out.clone()).unwrap();
        // The folder path is written as the text it always was: the root as nothing.
        assert_eq!(
            text,
            "id,folder_path,name,alt_text,new_alt_text\n\
             6500aa00bb11cc22dd33ee01,brand/logos,\"a, b.png\",\"Says \"\"hi\"\"\",\"Says \"\"hi\"\"\"\n\
             6500aa00bb11cc22dd33ee02,,c.png,,\n"
        );
        let read = read_csv(out.as_slice()).unwrap();
        assert_eq!(read, rows);
        assert_eq!(
            read[0].folder_path.segments().collect::<Vec<_>>(),
            ["brand", "logos"]
        );
        assert!(read[1].folder_path.is_root());
        assert_eq!(rows[0].label(), "brand/logos/a, b.png");
        // A folder path no export writes is the file refused, at its line.
        let bad_folder = "id,folder_path,name,alt_text,new_alt_text\n\
                          6500aa00bb11cc22dd33ee01,,a.png,,\n\
                          6500aa00bb11cc22dd33ee02,brand//logos,b.png,,\n";
        match read_csv(bad_folder.as_bytes()) {
            Err(Error::Csv { line, .. }) => assert_eq!(line, Some(3)),
            other => panic!("expected a CSV error at line 3, got {other:?}"),
        }
        for bad in [
            "id,name\n6500aa00bb11cc22dd33ee01,x\n",
            "id,folder_path,name,alt_text,new_alt_text\nnot-an-id,,a.png,,\n",
            "id,folder_path,name,alt_text,new_alt_text\n6500aa00bb11cc22dd33ee01,,a.png\n",
        ] {
            assert!(read_csv(bad.as_bytes()).is_err(), "{bad}");
        }
    }
}
