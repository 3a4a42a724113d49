//! The mapping of a copy: each source asset and its copy on the target, and its CSV.

#[cfg(feature = "csv")]
use std::io::Write;

use serde::Serialize;

#[cfg(feature = "csv")]
use crate::error::Error;
use crate::path::FolderPath;
use crate::run::report::Status;

/// One source asset and its copy on the target: the rows of the mapping file users relink
/// their CMS content with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MappingRow {
    /// The source asset's id.
    pub old_id: crate::AssetId,
    /// The target asset's id.
    pub new_id: crate::AssetId,
    /// Where the source site serves it.
    pub old_hosted_url: String,
    /// Where the target site serves it.
    pub new_hosted_url: String,
    /// Its folder path on the source site, from the root (written empty at the root).
    pub folder_path: FolderPath,
    /// Its name.
    pub name: String,
}

/// The mapping of a finished copy: the assets the target already had, as planned, and
/// those the run copied, as its report records them; sorted by folder path and name.
pub fn mapping(matched: &[MappingRow], report: &crate::run::bulk::Report) -> Vec<MappingRow> {
    let mut rows = matched.to_vec();
    for record in &report.copied {
        if let Status::Copied {
            asset_id,
            hosted_url,
            new_asset_id,
            new_hosted_url,
            folder_path,
            name,
        } = &record.status
        {
            rows.push(MappingRow {
                old_id: asset_id.clone(),
                new_id: new_asset_id.clone(),
                old_hosted_url: hosted_url.clone(),
                new_hosted_url: new_hosted_url.clone(),
                folder_path: folder_path.clone(),
                name: name.clone(),
            });
        }
    }
    // In the order of the folder path's text, as the CSV writes it.
    rows.sort_by_cached_key(|r| (r.folder_path.to_string(), r.name.clone(), r.old_id.clone()));
    rows
}

/// Writes the mapping as CSV, a header row first. Needs the `csv` feature (on by default).
#[cfg(feature = "csv")]
pub fn write_mapping_csv(rows: &[MappingRow], writer: impl Write) -> Result<(), Error> {
    let mut out = csv::Writer::from_writer(writer);
    for row in rows {
        out.serialize(row)
            .map_err(|e| crate::alt_text::csv_error(crate::CsvFile::Mapping, true, e))?;
    }
    out.flush().map_err(|source| Error::Io {
        operation: crate::IoOperation::Writing,
        path: crate::CsvFile::Mapping.to_string().into(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::report::{Record, Report};

    /// The mapping takes the name the copy carried, not the last part of a label.
    #[test]
    fn the_mapping_takes_the_copied_assets_typed_name_and_folder() {
        let id = |text: &str| -> crate::AssetId { text.parse().unwrap() };
        let folder: FolderPath = "brand/logos".parse().unwrap();
        let mut report = Report::default();
        report.copied.push(Record::new(
            "a label/that is not the name".to_string(),
            Status::Copied {
                asset_id: id("6500aa00bb11cc22dd33ee01"),
                hosted_url: "https://cdn.example/a.png".into(),
                new_asset_id: id("6500aa00bb11cc22dd33ee02"),
                new_hosted_url: "https://cdn.example/b.png".into(),
                folder_path: folder.clone(),
                name: "a/b.png".into(),
            },
        ));
        let rows = mapping(&[], &report);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].name, "a/b.png");
        assert_eq!(rows[0].folder_path, folder);
        assert_eq!(rows[0].new_id, id("6500aa00bb11cc22dd33ee02"));
    }
}
