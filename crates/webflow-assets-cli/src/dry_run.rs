//! `--dry-run` for `upload`, `alt` and `rename`: what would happen, with nothing changed.
//! An upload's plan sends nothing to Webflow; a change reads the asset once, to show its
//! value now.

use std::process::ExitCode;

use anyhow::Result;
use webflow_assets::bulk::{FileOutcome, Outcome, Record};
use webflow_assets::validate::{check_display_name, check_id};
use webflow_assets::{AssetId, Client, Error, UploadPlan};

use crate::failure::{Code, Failure, code_of};
use crate::lines::{ChangeLine, Line};

/// Prints each file's plan, or why it would be refused. A refused file fails the dry run, as
/// it would fail the upload: the last line is then the error.
pub fn uploads(plans: Vec<(String, Result<UploadPlan, Error>)>, json: bool) -> Result<ExitCode> {
    let mut first_failure: Option<(Code, String)> = None;
    let (mut planned, mut requests) = (0, 0);
    for (file, plan) in plans {
        match plan {
            Ok(plan) => {
                planned += 1;
                requests += plan.requests.len();
                print_plan(file, plan, json);
            }
            Err(error) => {
                let code = code_of(&error);
                first_failure.get_or_insert((code, error.to_string()));
                let record = Record::of(&FileOutcome::new(file, Outcome::Failed(error)));
                match json {
                    true => crate::lines::print(&Line::File(record)),
                    false => {
                        if let webflow_assets::bulk::Status::Failed { error, .. } = &record.status {
                            println!("refused  {}  {error}", record.file);
                        }
                    }
                }
            }
        }
    }
    if let Some((code, message)) = first_failure {
        return Err(Failure::new(code, message).into());
    }
    if !json {
        println!("plan: {planned} to upload, at least {requests} API requests; nothing was sent");
    }
    Ok(ExitCode::SUCCESS)
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
    println!(
        "would upload  {file}  as {}  ({}, {} bytes, MD5 {}){extra}",
        plan.file_name, plan.content_type, plan.size, plan.md5
    );
    for request in &plan.requests {
        println!(
            "  {} {}  ({})",
            request.method, request.target, request.purpose
        );
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
    locale: Option<String>,
    json: bool,
) -> Result<ExitCode> {
    if let Some(locale) = &locale {
        check_id("locale", locale)
            .map_err(|rule| Failure::new(Code::InvalidInput, rule.to_string()))?;
    }
    if let Field::DisplayName = field {
        check_display_name(&to)
            .map_err(|rule| Failure::new(Code::InvalidInput, rule.to_string()))?;
    }
    let asset = client.get_asset(asset_id, locale.as_deref()).await?;
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
        true => println!(
            "would change the {what} of {}: {:?} -> {:?}; nothing was sent",
            line.asset_id,
            line.from.unwrap_or_default(),
            line.to
        ),
        false => println!(
            "the {what} of {} is {:?} already; nothing would change",
            line.asset_id, line.to
        ),
    }
    Ok(ExitCode::SUCCESS)
}
