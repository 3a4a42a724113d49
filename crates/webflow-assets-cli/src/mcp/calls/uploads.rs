//! The tools that upload: local files, and one URL.

use anyhow::{Result, bail};
use rmcp::RoleServer;
use rmcp::service::RequestContext;
use webflow_assets::UploadSource;
use webflow_assets::bulk::{BulkFile, FileOutcome, Outcome, Record, Report};

use super::folder;
use crate::failure::{self, Code, Failure, Needs};
use crate::lines::Totals;
use crate::mcp::progress::{Named, Reporter, drive, summary};
use crate::mcp::results::{self, ErrorObject};
use crate::mcp::roots::Expect;
use crate::mcp::tools;
use crate::mcp::{Answer, Server};

pub(super) async fn upload_files(
    server: &Server,
    args: tools::UploadFiles,
    progress: &Reporter,
    context: &RequestContext<RoleServer>,
) -> Result<Answer> {
    let one = |what: &str| {
        Failure::new(
            Code::InvalidInput,
            format!("{what} is set on one file; give exactly one path"),
        )
    };
    if args.alt_text.is_some() && args.paths.len() != 1 {
        bail!(one("alt_text"));
    }
    if args.display_name.is_some() && args.paths.len() != 1 {
        bail!(one("display_name"));
    }
    if args.paths.is_empty() {
        bail!(Failure::new(Code::InvalidInput, "paths names no file"));
    }
    if let Some(name) = &args.display_name {
        webflow_assets::validate::check_display_name(name).map_err(webflow_assets::Error::from)?;
    }
    let target = folder(args.folder.as_deref())?;
    // Every path is checked before anything is sent.
    let mut files = Vec::new();
    for given in &args.paths {
        // The file is read at the path checked (resolved, inside a root), not at the path
        // given, which a link swapped in after the check could lead elsewhere. Its name is
        // the given one's, as `upload` names it, though it be a link to a file of another
        // name. What remains is a race no path check closes: a directory on the resolved
        // path replaced by a link between this check and the open, by someone who can
        // already write inside the root.
        let resolved = server.roots.resolve(given, Expect::File)?;
        let name = std::path::Path::new(given)
            .file_name()
            .or(resolved.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let file = BulkFile::path(resolved)
            .file_name(name)
            .label(given.clone())
            .maybe_alt_text(args.alt_text.clone())
            .maybe_display_name(args.display_name.clone())
            .maybe_folder(target.clone());
        files.push(file);
    }
    let site = server.site().await?;
    let run = server
        .client
        .upload_many(&site, files, server.bulk.clone())?;
    let run = drive(run, progress, context, Named::Yes, Needs::Write).await;
    let summary = summary(&run);
    Answer::of(&run, summary)
}

/// The result of one file's outcome, as a run of one.
fn run_of_one(label: String, outcome: Outcome) -> results::Run {
    let mut report = Report::default();
    let record = Record::of(&FileOutcome::new(label, outcome));
    report.push(record.clone());
    let error = failure::of_run(&report)
        .map(|f| ErrorObject::from(failure::describe(&f.into(), Needs::Write)));
    results::Run {
        files: vec![record],
        report: Totals::from(&report),
        error,
    }
}

pub(super) async fn upload_url(server: &Server, args: tools::UploadUrl) -> Result<Answer> {
    let target = folder(args.folder.as_deref())?;
    let site = server.site().await?;
    let upload = server
        .client
        .upload(&site, UploadSource::url(args.url.clone()))
        .maybe_file_name(args.file_name.clone())
        .maybe_folder(target.clone())
        .maybe_alt_text(args.alt_text.clone());
    let outcome = match upload.send().await {
        Ok(asset) => Outcome::Uploaded(Box::new(asset)),
        Err(e) => Outcome::Failed(e),
    };
    let run = run_of_one(args.url, outcome);
    let summary = summary(&run);
    Answer::of(&run, summary)
}
