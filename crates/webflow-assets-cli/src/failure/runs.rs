//! The failure of a run, a plan or an audit some of whose files failed: the code their
//! errors share, else `partial`.

use webflow_assets::{Error, ErrorKind};

use super::codes::{code_of, code_of_kind};
use super::hints::{PRIVATE_URL_HINT, is_private_url};
use super::{Code, Failure};

/// Why a plan cannot be carried out whole, when some files could not be read or compared:
/// the code their errors share, else `partial`.
pub fn of_plan(failed: &[(String, Error)]) -> Option<Failure> {
    of_errors(
        failed.iter().map(|(_, e)| e),
        "could not be read or compared",
    )
}

/// Why an audit is incomplete, when some assets could not be compared.
pub fn of_audit(audit: &webflow_assets::audit::Audit) -> Option<Failure> {
    of_errors(
        audit.unchecked.iter().map(|(_, e)| e),
        "assets could not be compared",
    )
}

/// The failure of some errors: the code they share, else `partial`; with the fix for URLs
/// refused for their address, when some were.
fn of_errors<'a>(errors: impl Iterator<Item = &'a Error>, what: &str) -> Option<Failure> {
    let errors: Vec<&Error> = errors.collect();
    let private = errors.iter().any(|e| is_private_url(e));
    let codes: Vec<Code> = errors.into_iter().map(code_of).collect();
    let first = *codes.first()?;
    let code = match codes.iter().all(|c| *c == first) {
        true => first,
        false => Code::Partial,
    };
    Some(
        Failure::new(code, format!("{} {what}; their lines say why", codes.len()))
            .hint(private.then(|| PRIVATE_URL_HINT.into())),
    )
}

/// Why a run of named files failed, when some did: `refused_file` when every failure is a
/// file the SDK refused, else the code of their one kind, else `partial`.
pub fn of_run(report: &webflow_assets::bulk::Report) -> Option<Failure> {
    use webflow_assets::bulk::Status;
    let kinds: Vec<ErrorKind> = report
        .failed
        .iter()
        .filter_map(|record| match &record.status {
            Status::Failed { kind, .. } => Some(*kind),
            _ => None,
        })
        .collect();
    let first = *kinds.first()?;
    let code = match kinds.iter().all(|k| *k == first) {
        true if first == ErrorKind::Validation => Code::RefusedFile,
        true => code_of_kind(first),
        false => Code::Partial,
    };
    let total = report.uploaded.len()
        + report.unchanged.len()
        + report.updated.len()
        + report.skipped.len()
        + report.failed.len()
        + report.deleted.len();
    Some(Failure::new(
        code,
        format!("{} of {total} failed; their lines say why", kinds.len()),
    ))
}
