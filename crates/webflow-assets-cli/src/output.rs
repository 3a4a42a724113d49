//! What the command prints: a progress bar on a terminal, plain lines otherwise, or JSON.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use tokio::sync::watch;
use webflow_assets::bulk::{FileOutcome, Outcome, Progress, Report};
use webflow_assets::raw::types::{Asset, AssetFolder};

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
        };
        self.line(text, bar);
    }

    /// The final tally.
    pub fn report(&self, report: &Report) {
        if self.json {
            println!("{}", json!({ "report": report }));
        } else {
            println!(
                "{} uploaded, {} skipped, {} failed",
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
                    json!({ "id": id, "name": name, "size": size, "hosted_url": url, "folder_id": asset.folder_id })
                );
            } else {
                println!("{id}  {size:>9}  {name}  {url}");
            }
        }
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
