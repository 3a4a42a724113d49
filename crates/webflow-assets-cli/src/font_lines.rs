//! A font file's line: what became of it in the words of the command (and of the MCP server,
//! which reports the same statuses): what to run next is said with the command that does it.

use std::path::Path;

use webflow_assets::font_dir::{AlreadyHosted, Differs, FontFailure, FontOutcome};
use webflow_assets::{Error, FontId, FontRule, Rule};

use crate::lines::FontStatus;

/// A font file's outcome as the command reports it (and the MCP server, which runs without
/// `--woff2`): what to run next is said with the command that does it.
pub(crate) fn status_of(path: &Path, outcome: &FontOutcome, woff2: bool) -> FontStatus {
    let replace = |id: &str| replace_command(id, path, woff2);
    match outcome {
        FontOutcome::Uploaded(font) => FontStatus::Uploaded {
            id: font.id.to_string(),
            md5: font.md5.clone(),
        },
        FontOutcome::Planned(plan) => FontStatus::Planned {
            upload_as: plan.file_name.clone(),
            source_size: plan.source_size,
            size: plan.size,
            md5: plan.md5.clone(),
            family: plan.family.clone(),
            weight: plan.weight,
            italic: plan.italic,
        },
        FontOutcome::Skipped { id, hosted, .. } => FontStatus::Skipped {
            id: Some(id.to_string()),
            reason: None,
            detail: match hosted {
                AlreadyHosted::SameFace { hosted_name, .. } => {
                    format!("already on the site as {id} ({hosted_name}), the same bytes")
                }
                _ => format!("already on the site as {id}"),
            },
        },
        FontOutcome::Changed { id, .. } => FontStatus::Changed {
            id: id.to_string(),
            detail: format!(
                "changed since it was uploaded as {id}; run `{}`",
                replace(id.as_str())
            ),
        },
        FontOutcome::Failed { id, reason, .. } => FontStatus::Failed {
            id: id.as_ref().map(FontId::to_string),
            detail: match reason.as_ref() {
                FontFailure::Prepare(e) | FontFailure::Upload(e) => describe(e),
                FontFailure::Conflict(e) => format!("{e}; `fonts ls` lists the site's fonts"),
                FontFailure::NoHostedFile => {
                    let id = id.as_ref().map(FontId::as_str).unwrap_or_default();
                    format!(
                        "{id} has its name and no hosted file to compare it with, so it was not \
                         touched; to put this file in its place run `{}`",
                        replace(id)
                    )
                }
                FontFailure::SameFace {
                    face,
                    hosted_name,
                    differs,
                    ..
                } => {
                    let id = id.as_ref().map(FontId::as_str).unwrap_or_default();
                    match differs {
                        Differs::Bytes => format!(
                            "{face} is already on the site as {id} ({hosted_name}) with other \
                             bytes; to put this file in its place run `{}`",
                            replace(id)
                        ),
                        Differs::Unreadable(e) => format!(
                            "{face} is already on the site as {id} ({hosted_name}) and could \
                             not be compared: {e}"
                        ),
                        _ => format!(
                            "{face} is already on the site as {id} ({hosted_name}), whose file \
                             cannot be compared; to put this file in its place run `{}`",
                            replace(id)
                        ),
                    }
                }
                other => other.to_string(),
            },
        },
        FontOutcome::Cancelled => FontStatus::Skipped {
            id: None,
            reason: Some("cancelled".into()),
            detail: "cancelled before it was started".into(),
        },
        other => FontStatus::Failed {
            id: None,
            detail: format!("{other:?}"),
        },
    }
}

/// The command that replaces font `id`'s file with `path`.
fn replace_command(id: &str, path: &Path, woff2: bool) -> String {
    let flag = if woff2 { " --woff2" } else { "" };
    format!("webflow-assets fonts replace {id} {}{flag}", path.display())
}

/// A library error in the command's words, for a font's line or the error that ends its
/// command: what the builder would be told to set is said with the flag that sets it.
pub(crate) fn describe(error: &Error) -> String {
    let Error::Validation {
        file,
        rule: Rule::Font(rule),
        ..
    } = error
    else {
        return error.to_string();
    };
    let prefix = file
        .as_deref()
        .map(|f| format!("{f}: "))
        .unwrap_or_default();
    match rule {
        FontRule::MetadataUnreadable {
            missing, reason, ..
        } => {
            let flags: Vec<&str> = missing
                .iter()
                .map(|name| match *name {
                    "family" => "--family NAME",
                    "weight" => "--weight N",
                    "italic" => "--italic or --no-italic",
                    other => other,
                })
                .collect();
            format!(
                "{prefix}cannot read the font's {} from the file ({reason}); pass {}",
                missing.join(", "),
                flags.join(", ")
            )
        }
        FontRule::AxesRequired => format!(
            "{prefix}the font being replaced is variable and the new file's axes cannot be \
             read (a compressed EOT): replace it with a WOFF2, WOFF, TTF or OTF file"
        ),
        _ => error.to_string(),
    }
}
