//! Output GitHub Actions understands, when a run is a workflow step (`GITHUB_ACTIONS=true`):
//! an `::error` annotation per failed file and a `::warning` per refused one, a Markdown
//! summary appended to `$GITHUB_STEP_SUMMARY`, and the counts appended to `$GITHUB_OUTPUT`
//! as `key=N` lines with the keys of the `--json` report line.
//!
//! Everything here is made from the typed report or plan, never from the text printed for
//! people. `--no-github` (or `WEBFLOW_ASSETS_NO_GITHUB=1`) turns it all off.
//!
//! The annotations go to standard error. The runner reads workflow commands from both of a
//! step's streams, and standard output belongs to the command's own output: with `--json`
//! a script reads it line by line and must see nothing but JSON lines.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use serde::Serialize;
use webflow_assets::bulk::{Record, Report, Status};
use webflow_assets::sync::SyncPlan;

use crate::lines::{PlanTotals, Totals};

/// How many entries a list of the summary shows before "and N more".
const LIST_LIMIT: usize = 50;

/// Where a workflow step's extras go; `None` outside GitHub Actions or when turned off.
static GITHUB: OnceLock<Option<GitHub>> = OnceLock::new();

/// A workflow step's files, and the directory file labels are relative to.
#[derive(Debug)]
struct GitHub {
    summary: Option<PathBuf>,
    output: Option<PathBuf>,
    /// The workspace, to make absolute paths relative for annotations.
    workspace: Option<PathBuf>,
    /// The directory a sync's labels are relative to.
    root: Mutex<Option<PathBuf>>,
    /// The labels of the run's files fetched from URLs, as the command read what the user
    /// named; every other label is a file.
    urls: Mutex<BTreeSet<String>>,
}

/// Reads the environment once: on when `GITHUB_ACTIONS` is `true` and `off` is not set.
pub fn init(off: bool) {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    let on = !off && std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    let _ = GITHUB.set(on.then(|| GitHub {
        summary: var("GITHUB_STEP_SUMMARY").map(PathBuf::from),
        output: var("GITHUB_OUTPUT").map(PathBuf::from),
        workspace: var("GITHUB_WORKSPACE").map(PathBuf::from),
        root: Mutex::new(None),
        urls: Mutex::new(BTreeSet::new()),
    }));
}

fn github() -> Option<&'static GitHub> {
    GITHUB.get().and_then(Option::as_ref)
}

/// The labels of the run's files are relative to `dir` (a sync's directory).
pub fn files_under(dir: &Path) {
    if let Some(github) = github() {
        *github.root.lock().unwrap_or_else(|e| e.into_inner()) = Some(dir.to_path_buf());
    }
}

/// The run's files labelled so are fetched from URLs (an `upload`'s URLs, labelled by the
/// URL): their annotations name no file.
pub fn fetched_from_urls(labels: impl IntoIterator<Item = String>) {
    if let Some(github) = github() {
        let mut urls = github.urls.lock().unwrap_or_else(|e| e.into_inner());
        urls.extend(labels);
    }
}

/// A finished run: annotations, the summary and the step's outputs.
pub fn report(report: &Report) {
    let Some(github) = github() else { return };
    let root = github
        .root
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let urls = github
        .urls
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let annotations = annotations(
        report.failed.iter().chain(&report.skipped),
        root.as_deref(),
        github.workspace.as_deref(),
        &urls,
    );
    emit(&annotations);
    github.append_summary(&report_summary(report));
    github.append_outputs(&Totals::from(report));
}

/// A sync's `--dry-run`: annotations for what would fail or be refused, the plan as the
/// summary, and its counts (the keys of the `--json` plan line) as the step's outputs.
pub fn sync_plan(plan: &SyncPlan) {
    let Some(github) = github() else { return };
    let root = github
        .root
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let records = plan.records();
    // A sync's files are all on disk.
    emit(&annotations(
        &records,
        root.as_deref(),
        github.workspace.as_deref(),
        &BTreeSet::new(),
    ));
    github.append_summary(&plan_summary(plan, &records));
    github.append_outputs(&PlanTotals::from(plan));
}

impl GitHub {
    fn append_summary(&self, markdown: &str) {
        if let Some(path) = &self.summary {
            append(path, markdown, "GITHUB_STEP_SUMMARY");
        }
    }

    /// Each number of `totals` as `key=N`, by the names its JSON line uses.
    fn append_outputs(&self, totals: &impl Serialize) {
        let Some(path) = &self.output else { return };
        append(path, &outputs(totals), "GITHUB_OUTPUT");
    }
}

/// The `key=N` lines for each number of `totals`, by its JSON names.
fn outputs(totals: &impl Serialize) -> String {
    let mut text = String::new();
    if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(totals) {
        for (key, value) in fields {
            if let Some(n) = value.as_u64() {
                text.push_str(&format!("{key}={n}\n"));
            }
        }
    }
    text
}

/// Appends `text` to the file a workflow variable names; a file that cannot be written is
/// said on standard error and changes nothing else (the run's outcome stands).
fn append(path: &Path, text: &str, variable: &str) {
    let written = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()));
    if let Err(e) = written {
        crate::stderr::line(&format!(
            "warning: could not write ${variable} ({}): {e}",
            path.display()
        ));
    }
}

/// Prints workflow commands on standard error.
fn emit(lines: &[String]) {
    for line in lines {
        crate::stderr::line(line);
    }
}

/// An `::error` for each failed record and a `::warning` for each refused one; those of
/// the files labelled as in `urls`, fetched from URLs, name no file.
fn annotations<'a>(
    records: impl IntoIterator<Item = &'a Record>,
    root: Option<&Path>,
    workspace: Option<&Path>,
    urls: &BTreeSet<String>,
) -> Vec<String> {
    records
        .into_iter()
        .filter_map(|record| {
            let (command, reason) = match &record.status {
                Status::Failed { error, .. } => ("error", error),
                Status::Skipped { reason, detail, .. } if reason.is_refused() => {
                    ("warning", detail)
                }
                _ => return None,
            };
            let message = escape_data(&format!("{}: {}", record.file, unnamed(record, reason)));
            Some(match urls.contains(&record.file) {
                true => format!("::{command}::{message}"),
                false => {
                    let path = annotation_path(&record.file, root, workspace);
                    format!("::{command} file={}::{message}", escape_property(&path))
                }
            })
        })
        .collect()
}

/// The path an annotation names for a file's label: under the sync's directory, relative
/// to the workspace when it is inside it, without `./`.
fn annotation_path(label: &str, root: Option<&Path>, workspace: Option<&Path>) -> String {
    let path = match root {
        Some(root) => root.join(label),
        None => PathBuf::from(label),
    };
    let path = match workspace {
        Some(workspace) if path.is_absolute() => match path.strip_prefix(workspace) {
            Ok(inside) => inside.to_path_buf(),
            Err(_) => path,
        },
        _ => path,
    };
    let path: PathBuf = path
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    path.to_string_lossy().replace('\\', "/")
}

/// A workflow command's message, escaped as GitHub's toolkit escapes it: a crafted name
/// cannot end the line and start a command of its own.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: its data escaping, and `:` and `,`, which end a
/// property.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The summary of a finished run.
fn report_summary(report: &Report) -> String {
    let totals = Totals::from(report);
    let mut columns = vec![
        ("uploaded", totals.uploaded),
        ("unchanged", totals.unchanged),
    ];
    for (key, n) in [
        ("updated", totals.updated),
        ("downloaded", totals.downloaded),
        ("copied", totals.copied),
    ] {
        if n > 0 {
            columns.push((key, n));
        }
    }
    columns.extend([
        ("deleted", totals.deleted),
        ("skipped", totals.skipped),
        ("refused", totals.refused),
        ("failed", totals.failed),
    ]);
    let mut text = String::from("### webflow-assets\n\n");
    text.push_str(&table(&columns));
    let refused: Vec<&Record> = report.skipped.iter().filter(|r| is_refused(r)).collect();
    text.push_str(&list("Failed", &report.failed, reason_of));
    text.push_str(&list("Refused", &refused, reason_of));
    text.push_str(&list("Deleted", &report.deleted, asset_of));
    text
}

/// The summary of a sync's `--dry-run`: what it would do.
fn plan_summary(plan: &SyncPlan, records: &[Record]) -> String {
    let totals = PlanTotals::from(plan);
    let refused: Vec<&Record> = records.iter().filter(|r| is_refused(r)).collect();
    let of = |pick: fn(&Status) -> bool| -> Vec<&Record> {
        records.iter().filter(|r| pick(&r.status)).collect()
    };
    let uploads = of(|s| matches!(s, Status::PlannedUpload { .. }));
    let alt_text = of(|s| matches!(s, Status::PlannedAltText { .. }));
    let deletes = of(|s| matches!(s, Status::PlannedDelete { .. }));
    let failed = of(|s| matches!(s, Status::Failed { .. }));
    let mut text = String::from("### webflow-assets: plan (dry run, nothing changed)\n\n");
    text.push_str(&table(&[
        ("to upload", totals.uploads),
        ("to delete", totals.deletes),
        ("unchanged", totals.unchanged),
        ("skipped", totals.skipped),
        ("refused", refused.len()),
        ("failed", totals.failed),
    ]));
    text.push_str(&format!(
        "API requests: {} spent planning, {} to carry it out.\n\n",
        totals.requests.planning, totals.requests.execution
    ));
    text.push_str(&list("Would upload", &uploads, reason_of));
    text.push_str(&list("Would set alt text", &alt_text, reason_of));
    text.push_str(&list("Would delete", &deletes, asset_of));
    text.push_str(&list("Failed", &failed, reason_of));
    text.push_str(&list("Refused", &refused, reason_of));
    text
}

/// A reason without the file's name in front, which a file's error may already carry: the
/// annotation and the summary put the name before it once.
fn unnamed<'a>(record: &Record, reason: &'a str) -> &'a str {
    reason
        .strip_prefix(record.file.as_str())
        .and_then(|rest| rest.strip_prefix(": "))
        .unwrap_or(reason)
}

fn is_refused(record: &Record) -> bool {
    record.skip_reason().is_some_and(|r| r.is_refused())
}

/// A one-row table of counts.
fn table(columns: &[(&str, usize)]) -> String {
    let row = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    row(columns.iter().map(|(key, _)| key.to_string()).collect())
        + &row(columns.iter().map(|_| "---:".to_string()).collect())
        + &row(columns.iter().map(|(_, n)| n.to_string()).collect())
        + "\n"
}

/// A titled list of records, each with what `detail` says of it; at most [`LIST_LIMIT`]
/// entries, then "and N more". Nothing when the list is empty.
fn list<R: std::borrow::Borrow<Record>>(
    title: &str,
    records: &[R],
    detail: fn(&Record) -> String,
) -> String {
    if records.is_empty() {
        return String::new();
    }
    let mut text = format!("**{title}** ({})\n\n", records.len());
    for record in records.iter().take(LIST_LIMIT) {
        let record = record.borrow();
        let detail = detail(record);
        match detail.is_empty() {
            true => text.push_str(&format!("- {}\n", code(&record.file))),
            false => text.push_str(&format!("- {}: {detail}\n", code(&record.file))),
        }
    }
    if records.len() > LIST_LIMIT {
        text.push_str(&format!("- and {} more\n", records.len() - LIST_LIMIT));
    }
    text.push('\n');
    text
}

/// Why a record is in its list, as Markdown text.
fn reason_of(record: &Record) -> String {
    match &record.status {
        Status::Failed { error, .. } => markdown_text(unnamed(record, error)),
        Status::Skipped { detail, .. } => markdown_text(detail),
        Status::PlannedUpload { reason, .. } => markdown_text(&name_of(reason)),
        Status::PlannedAltText { alt_text, .. } => markdown_text(alt_text),
        _ => String::new(),
    }
}

/// The asset a deletion concerns, and why.
fn asset_of(record: &Record) -> String {
    match &record.status {
        Status::Deleted {
            asset_id, reason, ..
        }
        | Status::PlannedDelete {
            asset_id, reason, ..
        } if asset_id != &record.file => {
            format!(
                "{} ({})",
                code(asset_id.as_str()),
                markdown_text(&name_of(reason))
            )
        }
        _ => String::new(),
    }
}

/// A serialisable enum value as its snake_case name.
fn name_of(value: impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// Text shown as it is in Markdown: every ASCII punctuation mark escaped (so no name
/// becomes a link, an HTML tag or a table cell), line breaks as spaces.
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' | '\n' => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A name as inline code: fenced with more backticks than it holds in a row, on one line.
fn code(text: &str) -> String {
    let text = text.replace(['\r', '\n'], " ");
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    match text.starts_with('`') || text.ends_with('`') {
        true => format!("{fence} {text} {fence}"),
        false => format!("{fence}{text}{fence}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_values_are_escaped_as_the_toolkit_does() {
        assert_eq!(escape_data("a%b\r\nc:d,e"), "a%25b%0D%0Ac:d,e");
        assert_eq!(escape_property("a%b\r\nc:d,e"), "a%25b%0D%0Ac%3Ad%2Ce");
    }

    #[test]
    fn a_crafted_name_cannot_start_a_command() {
        let record = failed("x\n::add-mask::secret,y:z.png");
        let lines = annotations([&record], None, None, &BTreeSet::new());
        assert_eq!(lines.len(), 1);
        assert!(!lines[0].contains('\n'), "{lines:?}");
        assert!(
            lines[0].starts_with("::error file=x%0A%3A%3Aadd-mask%3A%3Asecret%2Cy%3Az.png::x%0A"),
            "{lines:?}"
        );
    }

    #[test]
    fn annotation_paths_are_relative_to_the_workspace() {
        let root = Path::new("./assets");
        assert_eq!(
            annotation_path("brand/a.png", Some(root), None),
            "assets/brand/a.png"
        );
        let workspace = Path::new("/w/repo");
        assert_eq!(
            annotation_path("/w/repo/img/a.png", None, Some(workspace)),
            "img/a.png"
        );
    }

    #[test]
    fn a_url_is_told_from_a_file_by_its_source_not_its_label() {
        // `https:/x.test/a.png` is a file `a.png` in the directories `https:` and `x.test`,
        // and `https://x.test/a.png` names the same file: a file, whatever its label says.
        let (file, url) = (
            failed("https://x.test/a.png"),
            failed("HTTPS://x.test/b.png"),
        );
        let urls = BTreeSet::from([url.file.clone()]);
        let lines = annotations([&file, &url], None, None, &urls);
        assert!(
            lines[0].starts_with("::error file=https%3A/x.test/a.png::"),
            "{lines:?}"
        );
        assert!(
            lines[1].starts_with("::error::HTTPS://x.test/b.png: "),
            "{lines:?}"
        );
    }

    #[test]
    fn markdown_names_and_reasons_stay_text() {
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
        assert_eq!(markdown_text("<b>|x\n"), "\\<b\\>\\|x ");
    }

    #[test]
    fn long_lists_end_with_how_many_more() {
        let records: Vec<Record> = (0..LIST_LIMIT + 7)
            .map(|i| failed(&format!("f{i}.png")))
            .collect();
        let text = list("Failed", &records, reason_of);
        assert!(text.starts_with(&format!("**Failed** ({})", LIST_LIMIT + 7)));
        assert_eq!(text.matches("\n- `f").count(), LIST_LIMIT);
        assert!(text.ends_with("- and 7 more\n\n"), "{text}");
    }

    #[test]
    fn outputs_use_the_report_line_keys() {
        let text = outputs(&Totals::from(&Report::default()));
        for key in [
            "uploaded",
            "unchanged",
            "deleted",
            "skipped",
            "refused",
            "failed",
        ] {
            assert!(
                text.contains(&format!("\n{key}=0\n")) || text.starts_with(&format!("{key}=0\n")),
                "{text}"
            );
        }
    }

    /// A failed record, as the SDK makes one.
    fn failed(file: &str) -> Record {
        let mut report = Report::default();
        let error = webflow_assets::Error::from(webflow_assets::Rule::EmptyFileName);
        report.push(Record::of(&webflow_assets::bulk::FileOutcome::new(
            file.to_string(),
            webflow_assets::bulk::Outcome::Failed(error),
        )));
        report.failed.remove(0)
    }
}
