//! `--dry-run` for `upload`, `alt` and `rename`: what would happen, with nothing changed.
//! An upload's plan sends no upload: only the request choosing the site, when the site is
//! named by name or not at all, reaches Webflow, and a URL is downloaded from its host to
//! check and hash it. A change reads the asset once, to show its value now.

use std::process::ExitCode;

use anyhow::Result;
use webflow_assets::bulk::{FileOutcome, Outcome, Record};
use webflow_assets::validate::check_display_name;
use webflow_assets::{AssetId, Client, Error, LocaleId, UploadPlan};

use crate::failure::{Code, Failure, code_of};
use crate::lines::{ChangeLine, Line};

/// Prints each file's plan, or why it would be refused. A refused file fails the dry run, as
/// it would fail the upload: the last line is then the error, naming every refused file.
/// `urls` is how many of the files are fetched from URLs (downloaded to plan them), and
/// `site_request` the request spent choosing the site, which the summary owns up to.
pub fn uploads(
    plans: Vec<(String, Result<UploadPlan, Error>)>,
    urls: usize,
    site_request: Option<&str>,
    json: bool,
) -> Result<ExitCode> {
    let mut refused: Vec<(Code, String)> = Vec::new();
    let (mut planned, mut requests) = (0, 0);
    for (file, plan) in plans {
        match plan {
            Ok(plan) => {
                planned += 1;
                requests += plan.requests.len();
                print_plan(file, plan, json);
            }
            Err(error) => {
                refused.push((code_of(&error), error.to_string()));
                let record = Record::of(&FileOutcome::new(file, Outcome::Failed(error)));
                match json {
                    true => crate::lines::print(&Line::File(record)),
                    false => {
                        if let webflow_assets::bulk::Status::Failed { error, .. } = &record.status {
                            crate::stdout::line(&format!("refused  {}  {error}", record.file));
                        }
                    }
                }
            }
        }
    }
    if let Some(failure) = refused_files(&refused) {
        return Err(failure.into());
    }
    if !json {
        let sent = match site_request {
            Some(request) => format!("no upload was sent (choosing the site took {request})"),
            None => "nothing was sent".into(),
        };
        let fetched = match urls {
            0 => String::new(),
            n => format!("; {n} URL(s) were downloaded from their hosts to check them"),
        };
        crate::stdout::line(&format!(
            "plan: {planned} to upload, at least {requests} API requests; {sent}{fetched}"
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// The failure of a dry run some of whose files would be refused: how many, and each
/// (the first few), with the code they share or `partial`.
fn refused_files(refused: &[(Code, String)]) -> Option<Failure> {
    const SHOWN: usize = 5;
    let (first, _) = refused.first()?;
    let code = match refused.iter().all(|(code, _)| code == first) {
        true => *first,
        false => Code::Partial,
    };
    let mut message = match refused.len() {
        1 => refused[0].1.clone(),
        n => format!(
            "{n} files would be refused: {}",
            refused
                .iter()
                .take(SHOWN)
                .map(|(_, error)| error.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ),
    };
    if refused.len() > SHOWN {
        message.push_str(&format!("; and {} more", refused.len() - SHOWN));
    }
    Some(Failure::new(code, message))
}

fn print_plan(file: String, plan: UploadPlan, json: bool) {
    if json {
        crate::lines::print(&Line::UploadPlan {
            file,
            upload_plan: plan,
        });
        return;
    }
    let mut extra = String::new();
    if let Some(path) = &plan.folder_path {
        extra.push_str(&format!("  into {path}/"));
    }
    if let Some(id) = &plan.folder_id {
        extra.push_str(&format!("  into folder {id}"));
    }
    if let Some(name) = &plan.display_name {
        extra.push_str(&format!("  display name {name:?}"));
    }
    if let Some(text) = &plan.alt_text {
        extra.push_str(&format!("  alt text {text:?}"));
    }
    crate::stdout::line(&format!(
        "would upload  {file}  as {}  ({}, {} bytes, MD5 {}){extra}",
        plan.file_name, plan.content_type, plan.size, plan.md5
    ));
    for request in &plan.requests {
        crate::stdout::line(&format!(
            "  {} {}  ({})",
            request.method, request.target, request.purpose
        ));
    }
}

/// Which field of an asset a change sets.
#[derive(Debug, Clone, Copy)]
pub enum Field {
    AltText,
    DisplayName,
}

/// Shows what `alt` or `rename` would change: checks the input as the change would, reads
/// the asset once (in the locale given), and sends no change.
pub async fn change(
    client: &Client,
    asset_id: &AssetId,
    field: Field,
    to: String,
    locale: Option<LocaleId>,
    json: bool,
) -> Result<ExitCode> {
    if let Field::DisplayName = field {
        check_display_name(&to)
            .map_err(|rule| Failure::new(Code::InvalidInput, rule.to_string()))?;
    }
    let asset = client.get_asset(asset_id, locale.as_ref()).await?;
    let (name, from) = match field {
        Field::AltText => ("altText", asset.alt_text),
        Field::DisplayName => ("displayName", asset.display_name),
    };
    let line = ChangeLine {
        asset_id: asset_id.to_string(),
        field: name.to_string(),
        locale,
        changed: from.as_deref() != Some(to.as_str()),
        from,
        to,
    };
    if json {
        crate::lines::print(&Line::Change(line));
        return Ok(ExitCode::SUCCESS);
    }
    let what = match field {
        Field::AltText => "alt text",
        Field::DisplayName => "display name",
    };
    match line.changed {
        true => crate::stdout::line(&format!(
            "would change the {what} of {}: {:?} -> {:?}; nothing was sent",
            line.asset_id,
            line.from.unwrap_or_default(),
            line.to
        )),
        false => crate::stdout::line(&format!(
            "the {what} of {} is {:?} already; nothing would change",
            line.asset_id, line.to
        )),
    }
    Ok(ExitCode::SUCCESS)
}
