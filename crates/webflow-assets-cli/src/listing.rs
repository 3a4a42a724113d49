//! `ls` with `--fields` and `--format table|json|csv`: the columns are Webflow's field
//! names, as the official CLI's `assets list --fields` takes them.
//!
//! The table fits the terminal: when standard output is one, the widest free-text column
//! (names, alt text, URLs) is cut with an ellipsis until the row fits its width; ids, sizes
//! and dates are never cut, since a cut one is useless. Piped or redirected output is never
//! cut, so nothing a script or `grep` reads is lost; CSV and JSON are the formats to parse.
//! Control characters in a cell are escaped, so a site's text cannot split a row or send
//! the terminal escapes.

use anyhow::Result;
use serde_json::{Map, Value};
use webflow_assets::FolderTree;
use webflow_assets::raw::types::Asset;

use crate::lines::{AssetLine, Line};

/// Every field `--fields` takes: Webflow's names for an asset, and `folderPath`, the
/// folder's path from the site root (one more request to list the folders).
pub const FIELDS: &[&str] = &[
    "id",
    "displayName",
    "originalFileName",
    "size",
    "contentType",
    "hostedUrl",
    "altText",
    "folderId",
    "folderPath",
    "siteId",
    "createdOn",
    "lastUpdated",
];

/// The table's and the CSV's columns when `--fields` names none.
const DEFAULT_FIELDS: &[&str] = &["id", "size", "displayName", "hostedUrl"];

/// The columns never cut: an id, a size or a date is useless in part.
const WHOLE: &[&str] = &[
    "id",
    "size",
    "folderId",
    "siteId",
    "createdOn",
    "lastUpdated",
];

/// The narrowest a column is cut to, ellipsis included.
const MIN_WIDTH: usize = 6;

/// How `ls` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns with a header, fitted to the terminal.
    Table,
    /// One JSON object per line (as `--json`).
    Json,
    /// Comma-separated values with a header row.
    Csv,
}

/// The fields asked for, in order, by their canonical names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields(Vec<&'static str>);

/// Parses `--fields`: Webflow's camelCase names, or the snake_case names of `ls --json`'s
/// lines (`hosted_url`, and `name` for `displayName`). An unknown name is a usage error
/// that lists the valid ones. A field named twice (or by two of its names) is one column,
/// where it was first named.
pub fn fields(text: &str) -> Result<Fields, String> {
    let mut fields = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let camel = match name {
            "name" => "displayName".to_string(),
            _ => camel_case(name),
        };
        match FIELDS.iter().find(|f| **f == camel) {
            Some(field) if fields.contains(field) => {}
            Some(field) => fields.push(*field),
            None => {
                return Err(format!(
                    "unknown field `{name}`; valid fields: {}",
                    FIELDS.join(",")
                ));
            }
        }
    }
    match fields.is_empty() {
        true => Err(format!("name at least one field of: {}", FIELDS.join(","))),
        false => Ok(Fields(fields)),
    }
}

fn camel_case(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        match (c, upper) {
            ('_', _) => upper = true,
            (c, true) => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            (c, false) => out.push(c),
        }
    }
    out
}

/// What `ls` prints and how.
#[derive(Debug, Clone)]
pub struct Listing {
    pub fields: Option<Fields>,
    pub format: Format,
}

impl Listing {
    fn columns(&self) -> &[&'static str] {
        match &self.fields {
            Some(Fields(fields)) => fields,
            None => DEFAULT_FIELDS,
        }
    }

    /// Whether a column needs the folder listing.
    pub fn needs_folder_paths(&self) -> bool {
        let json_line = self.format == Format::Json && self.fields.is_none();
        !json_line && self.columns().contains(&"folderPath")
    }

    /// Prints the assets; `tree` gives `folderPath` (see [`Self::needs_folder_paths`]).
    pub fn print(&self, assets: &[Asset], tree: Option<&FolderTree>) -> Result<()> {
        match (self.format, &self.fields) {
            // The line `ls --json` has always printed, which scripts read.
            (Format::Json, None) => {
                for asset in assets {
                    crate::lines::print(&Line::Asset(AssetLine::from(asset)));
                }
            }
            (Format::Json, Some(_)) => {
                for asset in assets {
                    let row = self.row(asset, tree);
                    let object = self.columns().iter().map(|f| f.to_string()).zip(row);
                    crate::lines::print(&Line::Fields(object.collect()));
                }
            }
            (Format::Csv, _) => {
                // Written whole, then sent: a closed pipe is then one write to end on.
                let mut writer = csv::Writer::from_writer(Vec::new());
                writer.write_record(self.columns())?;
                for asset in assets {
                    let row = self.row(asset, tree);
                    writer.write_record(row.iter().map(cell))?;
                }
                crate::stdout::write(&writer.into_inner()?)?;
            }
            (Format::Table, _) => {
                let rows: Vec<Vec<String>> = assets
                    .iter()
                    .map(|a| self.row(a, tree).iter().map(cell).collect())
                    .collect();
                let width = match crate::stdout::is_terminal() {
                    true => console::Term::stdout()
                        .size_checked()
                        .map(|(_, cols)| usize::from(cols)),
                    false => None,
                };
                crate::stdout::write(table(self.columns(), &rows, width).as_bytes())?;
            }
        }
        Ok(())
    }

    /// The asset's fields asked for, in the columns' order (one value per column).
    fn row(&self, asset: &Asset, tree: Option<&FolderTree>) -> Vec<Value> {
        let all = match serde_json::to_value(asset) {
            Ok(Value::Object(all)) => all,
            _ => Map::new(),
        };
        self.columns()
            .iter()
            .map(|field| match *field {
                "folderPath" => Value::String(folder_path(asset, tree)),
                field => all.get(field).cloned().unwrap_or(Value::Null),
            })
            .collect()
    }
}

/// The asset's folder's path from the site root (empty at the root), or `?` when the
/// folder listing does not place it.
fn folder_path(asset: &Asset, tree: Option<&FolderTree>) -> String {
    match (&asset.folder_id, tree) {
        (None, _) => String::new(),
        (Some(id), Some(tree)) => tree
            .path_of(id)
            .map(ToString::to_string)
            .unwrap_or_else(|| "?".into()),
        (Some(_), None) => "?".into(),
    }
}

/// A value as a cell: text as it is, nothing for null, numbers and the rest as JSON.
fn cell(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A table cell's text with its control characters (C0, C1, DEL) escaped as Rust writes
/// them (`\n`, `\u{1b}`), so one row stays one line and the terminal gets no escapes.
fn escaped(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escape = c.is_control().then(|| c.escape_default());
            let plain = (!c.is_control()).then_some(c);
            escape.into_iter().flatten().chain(plain)
        })
        .collect()
}

/// Whether a cell is a plain decimal number (a size), not `nan`, `inf` or `1e3`.
fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    digits.chars().any(|c| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1
}

/// The table: a header, then the rows, columns two spaces apart, numbers right-aligned. With
/// a `width`, the widest column that may be cut (not in [`WHOLE`]) is narrowed (its cells
/// cut with an ellipsis) until each line fits, down to [`MIN_WIDTH`] per column; a line of
/// whole columns alone wider than the terminal wraps.
pub fn table(header: &[&str], rows: &[Vec<String>], width: Option<usize>) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|c| escaped(c)).collect())
        .collect();
    let rows = rows.as_slice();
    let measure = console::measure_text_width;
    let mut widths: Vec<usize> = header.iter().map(|h| measure(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(measure(cell));
        }
    }
    if let Some(width) = width {
        let gaps = 2 * widths.len().saturating_sub(1);
        while widths.iter().sum::<usize>() + gaps > width {
            let widest = (0..widths.len())
                .filter(|&i| !WHOLE.contains(&header[i]))
                .max_by_key(|&i| (widths[i], std::cmp::Reverse(i)));
            match widest {
                Some(i) if widths[i] > MIN_WIDTH => widths[i] -= 1,
                _ => break,
            }
        }
    }
    let numeric: Vec<bool> = (0..header.len())
        .map(|i| !rows.is_empty() && rows.iter().all(|r| is_number(&r[i])))
        .collect();
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                let cut = console::truncate_str(cell, widths[i], "…");
                let align = match numeric[i] {
                    true => console::Alignment::Right,
                    false => console::Alignment::Left,
                };
                console::pad_str(&cut, widths[i], align, None).into_owned()
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_take_webflow_names_and_the_json_lines_names() {
        assert_eq!(
            fields("id,displayName, hosted_url,name,folderPath").unwrap(),
            Fields(vec!["id", "displayName", "hostedUrl", "folderPath"]),
            "a field named twice, or by its alias, is one column"
        );
        assert_eq!(fields("id,id").unwrap(), Fields(vec!["id"]));
        let unknown = fields("id,colour").unwrap_err();
        assert!(unknown.contains("`colour`"), "{unknown}");
        assert!(
            unknown.contains("altText"),
            "lists the valid ones: {unknown}"
        );
        assert!(fields(" , ").is_err());
    }

    #[test]
    fn the_widest_column_is_cut_to_fit_the_width() {
        let rows = vec![
            vec![
                "6500aa00bb11cc22dd33ee01".to_string(),
                "12".to_string(),
                "https://cdn.example.com/a-very-long-name-indeed.png".to_string(),
            ],
            vec!["6500aa00bb11cc22dd33ee02".into(), "3456".into(), "b".into()],
        ];
        let full = table(&["id", "size", "hostedUrl"], &rows, None);
        assert!(full.contains("a-very-long-name-indeed.png"), "{full}");
        assert!(full.contains("  12  "), "numbers right-aligned: {full}");
        let fitted = table(&["id", "size", "hostedUrl"], &rows, Some(60));
        for line in fitted.lines() {
            assert!(console::measure_text_width(line) <= 60, "{line:?}");
        }
        assert!(fitted.contains("…"), "{fitted}");
        assert!(
            fitted.contains("6500aa00bb11cc22dd33ee01"),
            "only the widest column is cut: {fitted}"
        );
        // Too narrow for every column: the free text stops at the minimum, the ids whole.
        let narrow = table(&["id", "size", "hostedUrl"], &rows, Some(5));
        assert!(
            narrow
                .lines()
                .all(|l| l.starts_with("6500aa00bb11cc22dd33ee0") || l.starts_with("id")),
            "{narrow}"
        );
        assert!(narrow.contains("https…"), "{narrow}");
    }

    #[test]
    fn ids_and_dates_are_never_cut_on_an_80_column_terminal() {
        let rows = vec![vec![
            "6500aa00bb11cc22dd33ee01".to_string(),
            "2026-11-30T10:00:00.000Z".to_string(),
            "a-long-display-name-for-an-asset.png".to_string(),
            "https://cdn.example.com/6500aa00bb11cc22dd33ee01_a-long-name.png".to_string(),
        ]];
        let header = ["id", "createdOn", "displayName", "hostedUrl"];
        let fitted = table(&header, &rows, Some(80));
        for line in fitted.lines() {
            assert!(console::measure_text_width(line) <= 80, "{line:?}");
        }
        assert!(fitted.contains("6500aa00bb11cc22dd33ee01  "), "{fitted}");
        assert!(fitted.contains("2026-11-30T10:00:00.000Z"), "{fitted}");
    }

    #[test]
    fn control_characters_cannot_split_a_row_or_reach_the_terminal() {
        let rows = vec![vec![
            "6500aa00bb11cc22dd33ee01".to_string(),
            "two\nlines \u{1b}[31mred\u{9b}".to_string(),
        ]];
        let out = table(&["id", "altText"], &rows, None);
        assert_eq!(out.lines().count(), 2, "{out}");
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{9b}'),
            "{out:?}"
        );
        assert!(out.contains("two\\nlines \\u{1b}[31mred"), "{out}");
    }

    #[test]
    fn only_plain_numbers_are_right_aligned() {
        for text in ["12", "3456", "-1", "0.5"] {
            assert!(is_number(text), "{text}");
        }
        for text in ["nan", "inf", "1e3", "", "-", ".", "1.2.3", "Infinity"] {
            assert!(!is_number(text), "{text}");
        }
    }
}
