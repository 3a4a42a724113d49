//! The alt-text rows as a CSV file a person edits: written with a header, read back with
//! every row checked before anything is sent.

use std::io::{Read, Write};

use serde::Deserialize;

use crate::alt_text::row::{AltRow, COLUMNS};
use crate::error::Error;
use crate::path::FolderPath;

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

#[cfg(test)]
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
