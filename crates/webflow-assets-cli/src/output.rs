//! What the command prints: a progress bar on a terminal, plain lines otherwise, or JSON
//! lines ([`Line`]).

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::watch;
use webflow_assets::FolderTree;
use webflow_assets::bulk::{Progress, Record, Report, Status};
use webflow_assets::models::Asset;
use webflow_assets::sync::SyncPlan;

use crate::failure::Described;
use crate::lines::{AuditTotals, AuthLine, FolderLine, Line, PlanTotals, PullPlanTotals, Totals};

/// A serialisable enum value as its snake_case name.
fn name_of(value: impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// Whether the environment asks for plain output: `NO_COLOR` (set and not empty, as
/// no-color.org says) or a `dumb` terminal. Progress bars redraw with escape codes, so they
/// go too.
pub fn plain_requested() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
        || std::env::var_os("TERM").is_some_and(|t| t == "dumb")
}

/// What a plan aimed at a new target says of it.
pub fn retarget_note(retarget: &webflow_assets::sync::Retarget) -> String {
    format!(
        "note: {retarget}; its manifest says nothing of the new target and starts afresh \
         (--delete needs --retarget to confirm it)"
    )
}

/// Where and how to print.
pub struct Output {
    json: bool,
    terminal: bool,
    /// What the command does to files, as the tally says it: `uploaded`, `downloaded`,
    /// `copied`.
    verb: &'static str,
}

impl Output {
    pub fn new(json: bool) -> Self {
        Self {
            json,
            terminal: !json && crate::stderr::is_terminal() && !plain_requested(),
            verb: "uploaded",
        }
    }

    /// The tally's verb for the command's main outcome.
    pub fn verb(mut self, verb: &'static str) -> Self {
        self.verb = verb;
        self
    }

    fn json_line(&self, line: &Line) {
        crate::lines::print(line);
    }

    fn line(&self, text: String, bar: Option<&ProgressBar>) {
        match bar {
            Some(bar) => bar.println(text),
            None => crate::stdout::line(&text),
        }
    }

    /// A progress bar fed from the run's progress, on a terminal only.
    pub fn progress(&self, mut progress: watch::Receiver<Progress>) -> Option<ProgressBar> {
        if !self.terminal {
            return None;
        }
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files  {msg}",
            )
            .expect("a valid template"),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        let feed = bar.clone();
        tokio::spawn(async move {
            while progress.changed().await.is_ok() {
                let p = progress.borrow().clone();
                feed.set_length(p.files_total as u64);
                feed.set_position(p.files_done as u64);
                let eta = p
                    .eta()
                    .map(|d| format!(", ETA {}s", d.as_secs()))
                    .unwrap_or_default();
                feed.set_message(format!(
                    "{}/{}  {}/s{eta}",
                    indicatif::HumanBytes(p.bytes_done),
                    indicatif::HumanBytes(p.bytes_total),
                    indicatif::HumanBytes(p.rate() as u64),
                ));
            }
        });
        Some(bar)
    }

    /// One file's record.
    pub fn record(&self, record: &Record, bar: Option<&ProgressBar>) {
        if self.json {
            self.json_line(&Line::File(record.clone()));
            return;
        }
        let file = &record.file;
        let text = match &record.status {
            Status::Uploaded {
                asset_id,
                hosted_url,
                ..
            } => format!("uploaded  {file}  {asset_id}  {hosted_url}"),
            Status::Unchanged { .. } => format!("unchanged {file}"),
            Status::AltTextSet { asset_id, .. } => format!("alt text  {file}  {asset_id}"),
            Status::Skipped { detail, .. } => format!("skipped   {file}  {detail}"),
            Status::Failed { error, .. } => format!("failed    {file}  {error}"),
            Status::Deleted { asset_id, .. } if asset_id == file => format!("deleted   {file}"),
            Status::Deleted {
                asset_id, reason, ..
            } => {
                format!("deleted   {file}  {asset_id}  ({})", name_of(reason))
            }
            Status::PlannedUpload { reason, .. } => {
                format!("would upload  {file}  ({})", name_of(reason))
            }
            Status::PlannedAltText { alt_text, .. } => {
                format!("would set alt text  {file}  {alt_text:?}")
            }
            Status::PlannedDelete {
                asset_id, reason, ..
            } => {
                format!("would delete  {file}  {asset_id}  ({})", name_of(reason))
            }
            Status::Downloaded { renamed_from, .. } => match renamed_from {
                Some(from) => format!("downloaded {file}  (renamed from {from:?})"),
                None => format!("downloaded {file}"),
            },
            Status::PlannedDownload { renamed_from, .. } => match renamed_from {
                Some(from) => format!("would download  {file}  (renamed from {from:?})"),
                None => format!("would download  {file}"),
            },
            Status::Copied {
                new_asset_id,
                new_hosted_url,
                ..
            } => format!("copied    {file}  {new_asset_id}  {new_hosted_url}"),
            Status::PlannedCopy { .. } => format!("would copy  {file}"),
            other => format!("{:<9} {file}", name_of(other)),
        };
        self.line(text, bar);
    }

    /// A sync plan, as `--dry-run` shows it.
    pub fn plan(&self, plan: &SyncPlan) {
        for record in plan.records() {
            self.record(&record, None);
        }
        let totals = PlanTotals::from(plan);
        if self.json {
            self.json_line(&Line::Plan { plan: totals });
            return;
        }
        if let Some(retarget) = &plan.retarget {
            crate::stdout::line(&retarget_note(retarget));
        }
        crate::stdout::line(&format!(
            "plan: {} to upload, {} to delete, {} unchanged, {} skipped, {} failed; API requests: {} spent planning, {} to carry it out",
            totals.uploads,
            totals.deletes,
            totals.unchanged,
            totals.skipped,
            totals.failed,
            totals.requests.planning,
            totals.requests.execution,
        ));
    }

    /// A pull plan, as `pull --dry-run` shows it.
    pub fn pull_plan(&self, plan: &webflow_assets::pull::PullPlan) {
        for record in plan.records() {
            self.record(&record, None);
        }
        let totals = PullPlanTotals::from(plan);
        if self.json {
            self.json_line(&Line::PullPlan { pull_plan: totals });
            return;
        }
        crate::stdout::line(&format!(
            "plan: {} to download ({}), {} already here, {} renamed; API requests: {} spent planning, none to carry it out",
            totals.downloads,
            indicatif::HumanBytes(totals.bytes),
            totals.unchanged,
            totals.renamed,
            totals.requests,
        ));
    }

    /// The final tally.
    pub fn report(&self, report: &Report) {
        self.totals(Totals::from(report));
    }

    /// The final tally of a run, from its totals: `{"report": …}` with `--json`, the line
    /// every run ends with.
    pub fn totals(&self, totals: Totals) {
        if self.json {
            self.json_line(&Line::Report { report: totals });
            return;
        }
        let mut extra = String::new();
        if totals.unchanged > 0 {
            extra.push_str(&format!(", {} unchanged", totals.unchanged));
        }
        if totals.updated > 0 {
            extra.push_str(&format!(", {} alt text set", totals.updated));
        }
        if totals.deleted > 0 {
            extra.push_str(&format!(", {} deleted", totals.deleted));
        }
        let done = match self.verb {
            "downloaded" => totals.downloaded,
            "copied" => totals.copied,
            _ => totals.uploaded,
        };
        let first = format!("{done} {}", self.verb);
        crate::stdout::line(&format!(
            "{first}{extra}, {} skipped, {} failed",
            totals.skipped, totals.failed
        ));
    }

    /// `auth status`: where the token came from, never the token itself.
    pub fn auth_status(&self, source: &str, info: &webflow_assets::TokenInfo) {
        self.auth_line(source, info, None);
    }

    /// `auth login`: the token just stored, and the source commands will use instead, if
    /// one ranks above the stored login.
    pub fn auth_line(
        &self,
        source: &str,
        info: &webflow_assets::TokenInfo,
        used_instead: Option<String>,
    ) {
        if self.json {
            self.json_line(&Line::Auth(AuthLine {
                source: source.to_string(),
                scopes: info.scopes.clone(),
                site_ids: info.site_ids.iter().map(ToString::to_string).collect(),
                used_instead,
            }));
            return;
        }
        crate::stdout::line(&format!("token from  {source}"));
        crate::stdout::line(&format!("scopes      {}", info.scopes.join(", ")));
        let sites: Vec<&str> = info.site_ids.iter().map(|id| id.as_str()).collect();
        crate::stdout::line(&format!("sites       {}", sites.join(", ")));
    }

    pub fn note(&self, text: &str, bar: Option<&ProgressBar>) {
        if !self.json {
            match bar {
                Some(bar) => bar.println(text),
                None => crate::stderr::line(text),
            }
        }
    }

    /// With `--json`, the one error line of a run some of whose files failed (their lines
    /// say why), so every failure ends with one; the plain report says it already. `hint`
    /// is the fix the failed files call for, shown in both.
    pub fn run_failed(&self, report: &Report, hint: Option<&str>) {
        let Some(failure) = crate::failure::of_run(report) else {
            return;
        };
        match (self.json, hint) {
            (true, _) => self.error(&crate::failure::describe(
                &failure.hint(hint.map(String::from)).into(),
                crate::failure::Needs::Write,
            )),
            (false, Some(hint)) => crate::stderr::line(&format!("hint: {hint}")),
            (false, None) => {}
        }
    }

    /// The failure that stopped the command, and its fix.
    pub fn error(&self, failure: &Described) {
        if self.json {
            self.json_line(&Line::Error {
                error: failure.message.clone(),
                code: failure.code,
                kind: failure.kind,
                hint: failure.hint.clone(),
            });
            return;
        }
        crate::stderr::line(&format!("error: {}", failure.message));
        if let Some(hint) = &failure.hint {
            crate::stderr::line(&format!("hint: {hint}"));
        }
    }

    /// One asset, in full, as Webflow describes it.
    pub fn asset(&self, asset: &Asset) {
        if self.json {
            crate::stdout::line(&serde_json::to_value(asset).unwrap_or_default().to_string());
            return;
        }
        let field = |value: &Option<String>| value.clone().unwrap_or_default();
        crate::stdout::line(&format!("id            {}", field(&asset.id)));
        crate::stdout::line(&format!("display name  {}", field(&asset.display_name)));
        crate::stdout::line(&format!(
            "file name     {}",
            field(&asset.original_file_name)
        ));
        crate::stdout::line(&format!("alt text      {}", field(&asset.alt_text)));
        crate::stdout::line(&format!("content type  {}", field(&asset.content_type)));
        crate::stdout::line(&format!("size          {}", asset.size.unwrap_or(0)));
        crate::stdout::line(&format!("hosted at     {}", field(&asset.hosted_url)));
    }

    /// Every folder with its path; one whose parent cannot be found shows `?` for the part
    /// of its path that is unknown.
    pub fn folders(&self, tree: &FolderTree) {
        let lines = FolderLine::all(tree);
        for line in lines {
            if self.json {
                self.json_line(&Line::Folder(line));
            } else {
                crate::stdout::line(&format!("{}  {}", line.id, line.path));
            }
        }
    }

    /// A folder just created.
    pub fn folder_created(&self, line: FolderLine) {
        match self.json {
            true => self.json_line(&Line::Folder(line)),
            false => crate::stdout::line(&format!("created  {}  {}", line.id, line.path)),
        }
    }

    /// An audit: each finding's assets, then the counts.
    pub fn audit(&self, audit: &webflow_assets::audit::Audit) {
        for line in crate::lines::findings(audit) {
            if self.json {
                self.json_line(&Line::Finding(line));
                continue;
            }
            let group = line.group.map(|g| format!(" #{g}")).unwrap_or_default();
            let id = line.asset_id.as_ref().map_or("", |id| id.as_str());
            let error = line.error.map(|e| format!("  {e}")).unwrap_or_default();
            crate::stdout::line(&format!(
                "{:<16} {}  {id}{error}",
                format!("{}{group}", name_of(line.finding)),
                line.path
            ));
        }
        let totals = AuditTotals::from(audit);
        if self.json {
            self.json_line(&Line::Audit { audit: totals });
            return;
        }
        crate::stdout::line(&format!(
            "audit of {} assets: {} images without alt text, {} groups of duplicates ({} assets), {} names too long, {} empty folders{}",
            totals.assets,
            totals.missing_alt_text,
            totals.duplicate_groups,
            totals.duplicates,
            totals.long_names,
            totals.empty_folders,
            match totals.unchecked {
                0 => String::new(),
                n => format!(", {n} assets could not be compared"),
            }
        ));
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every `.rs` file under `dir`, with its text.
    fn sources(dir: &Path, found: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                found.push((path.display().to_string(), text));
            }
        }
    }

    /// One writer: main.rs makes the command's `Output` and every command prints through
    /// it, so the tally's verb and the `--json` choice are the same on every line.
    #[test]
    fn only_main_makes_an_output() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = Vec::new();
        sources(&src, &mut found);
        let makers: Vec<&str> = found
            .iter()
            .filter(|(_, text)| text.contains(&["Output", "::new("].concat()))
            .map(|(path, _)| path.as_str())
            .collect();
        assert_eq!(makers.len(), 1, "{makers:?}");
        assert!(makers[0].ends_with("main.rs"), "{makers:?}");
    }
}
