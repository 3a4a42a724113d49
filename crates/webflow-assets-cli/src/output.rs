//! What the command prints: a progress bar on a terminal, plain lines otherwise, or JSON.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use tokio::sync::watch;
use webflow_assets::bulk::{FileOutcome, Outcome, Progress, Report};
use webflow_assets::raw::types::{Asset, AssetFolder};
use webflow_assets::sync::SyncPlan;

/// A serialisable enum value as its snake_case name.
fn name_of(value: impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// Where and how to print.
pub struct Output {
    json: bool,
    terminal: bool,
}

impl Output {
    pub fn new(json: bool) -> Self {
        Self {
            json,
            terminal: !json && std::io::stderr().is_terminal(),
        }
    }

    fn line(&self, text: String, bar: Option<&ProgressBar>) {
        match bar {
            Some(bar) => bar.println(text),
            None => println!("{text}"),
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

    /// One file's outcome.
    pub fn file(&self, file: &FileOutcome, bar: Option<&ProgressBar>) {
        if self.json {
            let value = match &file.outcome {
                Outcome::Uploaded(asset) => json!({
                    "file": file.label, "status": "uploaded", "asset_id": asset.id,
                    "hosted_url": asset.hosted_url, "size": asset.size, "md5": asset.md5,
                }),
                Outcome::Skipped(reason) => {
                    json!({ "file": file.label, "status": "skipped", "reason": reason.to_string() })
                }
                Outcome::Failed(error) => {
                    json!({ "file": file.label, "status": "failed", "error": error.to_string() })
                }
                Outcome::AltTextSet { asset_id } => {
                    json!({ "file": file.label, "status": "alt_text_set", "asset_id": asset_id })
                }
                Outcome::Deleted { asset_id, reason } => json!({
                    "file": file.label, "status": "deleted", "asset_id": asset_id,
                    "reason": name_of(reason),
                }),
            };
            println!("{value}");
            return;
        }
        let text = match &file.outcome {
            Outcome::Uploaded(asset) => format!(
                "uploaded  {}  {}  {}",
                file.label, asset.id, asset.hosted_url
            ),
            Outcome::Skipped(reason) => format!("skipped   {}  {reason}", file.label),
            Outcome::Failed(error) => format!("failed    {}  {error}", file.label),
            Outcome::AltTextSet { asset_id } => format!("alt text  {}  {asset_id}", file.label),
            Outcome::Deleted { asset_id, reason } => {
                format!(
                    "deleted   {}  {asset_id}  ({})",
                    file.label,
                    name_of(reason)
                )
            }
        };
        self.line(text, bar);
    }

    /// A sync plan, as `--dry-run` shows it.
    pub fn plan(&self, plan: &SyncPlan) {
        for upload in &plan.uploads {
            let reason = name_of(upload.reason);
            match self.json {
                true => println!(
                    "{}",
                    json!({ "file": upload.file, "status": "planned_upload", "reason": reason,
                        "size": upload.size, "folder": upload.folder_path, "alt_text": upload.alt_text })
                ),
                false => println!("would upload  {}  ({reason})", upload.file),
            }
        }
        for delete in &plan.deletes {
            let reason = name_of(delete.reason);
            match self.json {
                true => println!(
                    "{}",
                    json!({ "file": delete.path, "status": "planned_delete",
                        "asset_id": delete.asset_id, "reason": reason })
                ),
                false => println!(
                    "would delete  {}  {}  ({reason})",
                    delete.path, delete.asset_id
                ),
            }
        }
        for unchanged in &plan.unchanged {
            match (self.json, &unchanged.alt_text) {
                (true, alt) => println!(
                    "{}",
                    json!({ "file": unchanged.file, "status": "unchanged",
                        "asset_id": unchanged.asset_id, "planned_alt_text": alt })
                ),
                (false, Some(text)) => {
                    println!("would set alt text  {}  {text:?}", unchanged.file)
                }
                (false, None) => println!("unchanged     {}", unchanged.file),
            }
        }
        for (file, reason) in &plan.skipped {
            match self.json {
                true => println!(
                    "{}",
                    json!({ "file": file, "status": "skipped", "reason": reason.to_string() })
                ),
                false => println!("skipped       {file}  {reason}"),
            }
        }
        let summary = json!({
            "uploads": plan.uploads.len(), "deletes": plan.deletes.len(),
            "unchanged": plan.unchanged.len(), "skipped": plan.skipped.len(),
            "hashed": plan.hashed, "requests": plan.cost,
        });
        match self.json {
            true => println!("{}", json!({ "plan": summary })),
            false => println!(
                "plan: {} to upload, {} to delete, {} unchanged, {} skipped; API requests: {} spent planning, {} to carry it out",
                plan.uploads.len(),
                plan.deletes.len(),
                plan.unchanged.len(),
                plan.skipped.len(),
                plan.cost.planning,
                plan.cost.execution,
            ),
        }
    }

    /// The final tally.
    pub fn report(&self, report: &Report) {
        if self.json {
            println!("{}", json!({ "report": report }));
        } else {
            let mut extra = String::new();
            if !report.updated.is_empty() {
                extra.push_str(&format!(", {} alt text set", report.updated.len()));
            }
            if !report.deleted.is_empty() {
                extra.push_str(&format!(", {} deleted", report.deleted.len()));
            }
            println!(
                "{} uploaded, {} skipped{extra}, {} failed",
                report.uploaded.len(),
                report.skipped.len(),
                report.failed.len()
            );
        }
    }

    pub fn note(&self, text: &str, bar: Option<&ProgressBar>) {
        if !self.json {
            match bar {
                Some(bar) => bar.println(text),
                None => eprintln!("{text}"),
            }
        }
    }

    pub fn error(&self, text: &str) {
        if self.json {
            println!("{}", json!({ "error": text }));
        } else {
            eprintln!("error: {text}");
        }
    }

    pub fn assets(&self, assets: &[Asset]) {
        for asset in assets {
            let (id, name) = (
                asset.id.as_deref().unwrap_or("?"),
                asset.display_name.as_deref().unwrap_or("?"),
            );
            let (size, url) = (
                asset.size.unwrap_or(0),
                asset.hosted_url.as_deref().unwrap_or(""),
            );
            if self.json {
                println!(
                    "{}",
                    json!({ "id": id, "name": name, "size": size, "hosted_url": url,
                        "folder_id": asset.folder_id, "alt_text": asset.alt_text })
                );
            } else {
                println!("{id}  {size:>9}  {name}  {url}");
            }
        }
    }

    /// One asset, in full.
    pub fn asset(&self, asset: &Asset) {
        if self.json {
            println!("{}", serde_json::to_value(asset).unwrap_or_default());
            return;
        }
        let field = |value: &Option<String>| value.clone().unwrap_or_default();
        println!("id            {}", field(&asset.id));
        println!("display name  {}", field(&asset.display_name));
        println!("file name     {}", field(&asset.original_file_name));
        println!("alt text      {}", field(&asset.alt_text));
        println!("content type  {}", field(&asset.content_type));
        println!("size          {}", asset.size.unwrap_or(0));
        println!("hosted at     {}", field(&asset.hosted_url));
    }

    pub fn folders(&self, folders: &[AssetFolder]) {
        let path_of = |folder: &AssetFolder| {
            let mut names = vec![folder.display_name.clone().unwrap_or_default()];
            let mut parent = folder.parent_folder.clone();
            while let Some(id) = parent {
                match folders
                    .iter()
                    .find(|f| f.id.as_deref() == Some(id.as_str()))
                {
                    Some(up) if names.len() < 64 => {
                        names.push(up.display_name.clone().unwrap_or_default());
                        parent = up.parent_folder.clone();
                    }
                    _ => break,
                }
            }
            names.reverse();
            names.join("/")
        };
        let mut rows: Vec<(String, &str)> = folders
            .iter()
            .map(|f| (path_of(f), f.id.as_deref().unwrap_or("?")))
            .collect();
        rows.sort();
        for (path, id) in rows {
            if self.json {
                println!("{}", json!({ "id": id, "path": path }));
            } else {
                println!("{id}  {path}");
            }
        }
    }

    pub fn deleted(&self, id: &str, error: Option<&str>) {
        match (self.json, error) {
            (true, None) => println!("{}", json!({ "id": id, "status": "deleted" })),
            (true, Some(e)) => println!("{}", json!({ "id": id, "status": "failed", "error": e })),
            (false, None) => println!("deleted   {id}"),
            (false, Some(e)) => println!("failed    {id}  {e}"),
        }
    }
}
