//! How a run ends: Ctrl-C and the exit status, in one place.
//!
//! A first Ctrl-C stops starting new files (those in flight finish, the report is printed,
//! the status is 130); a second stops at once with 130. Otherwise the status says what
//! happened to the files: 1 when anything failed, 3 when a tree's files were refused, 4
//! when an audit found something, else 0 (see `--help`).

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use futures::StreamExt;
use indicatif::ProgressBar;
use webflow_assets::bulk::{BulkRun, Outcome, Record, Report, SkipReason};
use webflow_assets::font_dir::{FontDirRun, FontOutcome};

use crate::output::Output;
use crate::{failure, github};

// The statuses other than 0, as `--help` lists them; every one the command exits with is
// named here, so the unit tests below pin each.
/// Something failed, or the command could not run.
const FAILED: u8 = 1;
/// The arguments do not parse.
const USAGE: u8 = 2;
/// A tree's run in which nothing failed, though the SDK refused some files.
const REFUSED: u8 = 3;
/// An audit found something to fix.
const FOUND: u8 = 4;
/// Ctrl-C stopped the run (128 + SIGINT, as shells report it).
const INTERRUPTED: u8 = 130;

/// Ctrl-C, each time it is pressed. On Unix the handler is installed when this is made, so an
/// interrupt that comes early is not lost to the default action (killing the process
/// mid-write).
struct Interrupts {
    #[cfg(unix)]
    signal: Option<tokio::signal::unix::Signal>,
}

impl Interrupts {
    fn new() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Self {
                signal: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        Self {}
    }

    /// The next Ctrl-C.
    async fn next(&mut self) {
        #[cfg(unix)]
        match &mut self.signal {
            Some(signal) => {
                signal.recv().await;
            }
            None => std::future::pending().await,
        }
        #[cfg(not(unix))]
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// What the files of a run are to the user.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// Named one by one: each one not on the site afterwards is a failure.
    Named,
    /// Found in a tree: refused files get their own exit code.
    Tree,
}

/// Shows a run's files as they finish, cancels it on the first Ctrl-C (the files in flight
/// finish), stops at once on the second, and prints the report.
pub async fn drive(run: BulkRun, output: &Output, strictness: Strictness) -> Result<ExitCode> {
    Ok(drive_report(run, output, strictness).await?.0)
}

/// [`drive`], returning the report too.
pub async fn drive_report(
    mut run: BulkRun,
    output: &Output,
    strictness: Strictness,
) -> Result<(ExitCode, Report)> {
    let cancel = run.cancel_handle();
    let bar = output.progress(run.progress());
    let mut interrupted = false;
    let mut interrupts = Interrupts::new();
    let mut report = Report::default();
    // A URL refused for its address calls for the flag that allows it.
    let mut private_url = false;
    loop {
        tokio::select! {
            file = run.next() => match file {
                Some(mut file) => {
                    if strictness == Strictness::Named {
                        named_file_not_uploaded_is_a_failure(&mut file.outcome);
                    }
                    if let Outcome::Failed(error) = &file.outcome {
                        private_url |= failure::is_private_url(error);
                    }
                    let record = Record::of(&file);
                    output.record(&record, bar.as_ref());
                    report.push(record);
                }
                None => break,
            },
            _ = interrupts.next() => {
                if interrupted {
                    stop_now(output, bar.as_ref());
                }
                interrupted = true;
                cancel.cancel();
                output.note(
                    "interrupted: letting the files in flight finish (Ctrl-C again to stop now)",
                    bar.as_ref(),
                );
            }
        }
    }
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    report.hashed = run.report().hashed;
    output.report(&report);
    github::report(&report);
    let code = match interrupted {
        true => ExitCode::from(INTERRUPTED),
        false => exit_code(&report, strictness == Strictness::Tree),
    };
    match interrupted {
        true => output.error(&failure::interrupted(
            "interrupted: the files in flight finished, the rest were not started",
        )),
        false => output.run_failed(&report, private_url.then_some(failure::PRIVATE_URL_HINT)),
    }
    Ok((code, report))
}

/// Drives a font directory run one file at a time, handing each to `each` (its name, path
/// and outcome) as it is done. A first Ctrl-C lets the font in flight finish and cancels the
/// rest, each handed to `each` as cancelled; a second stops at once with 130. `Ok(true)`
/// when the run was interrupted; `Err` when a directory's manifest cannot be written.
pub async fn drive_fonts(
    mut run: FontDirRun<'_>,
    output: &Output,
    mut each: impl FnMut(String, &Path, &FontOutcome),
) -> Result<bool> {
    let mut interrupts = Interrupts::new();
    let mut interrupted = false;
    loop {
        // The font in flight is never dropped half-sent: its future is kept across a first
        // Ctrl-C and awaited to its end.
        let next = run.next();
        tokio::pin!(next);
        let file = loop {
            tokio::select! {
                file = &mut next => break file,
                _ = interrupts.next() => {
                    if interrupted {
                        stop_now(output, None);
                    }
                    interrupted = true;
                    output.note(
                        "interrupted: letting the font in flight finish (Ctrl-C again to stop now)",
                        None,
                    );
                }
            }
        };
        let Some(file) = file else { break };
        each(file.name.clone(), &file.path, &file.outcome);
        if let Some(error) = file.manifest_error.take() {
            return Err(error.into());
        }
        if interrupted {
            break;
        }
    }
    if interrupted {
        let rest: Vec<_> = run
            .remaining()
            .map(|source| (source.name(), source.path.clone()))
            .collect();
        run.cancel();
        for (name, path) in rest {
            each(name, &path, &FontOutcome::Cancelled);
        }
    }
    Ok(interrupted)
}

/// A second Ctrl-C: stops at once, with 130. What the run wrote so far is in its journal or
/// manifest; the next run reads it.
fn stop_now(output: &Output, bar: Option<&ProgressBar>) -> ! {
    if let Some(bar) = bar {
        bar.abandon();
    }
    output.note("interrupted again: stopping now", None);
    output.error(&failure::interrupted(
        "interrupted twice: stopped with files in flight",
    ));
    std::process::exit(INTERRUPTED.into());
}

/// How a font directory run ends: 130 when it was interrupted (the error line says so),
/// else as [`some_failed`].
pub fn font_run_ended(
    output: &Output,
    interrupted: bool,
    failed: usize,
    total: usize,
) -> Result<ExitCode> {
    if interrupted {
        output.error(&failure::interrupted(
            "interrupted: the font in flight finished, the rest were not started",
        ));
        return Ok(ExitCode::from(INTERRUPTED));
    }
    some_failed(failed, total)
}

/// How a font run ends: the error that ends it, with `--json` its one error line, when some
/// of its `total` fonts failed (their lines say why), else 0.
pub fn some_failed(failed: usize, total: usize) -> Result<ExitCode> {
    match failed {
        0 => Ok(ExitCode::SUCCESS),
        _ => Err(failure::Failure::new(
            failure::Code::Partial,
            format!("{failed} of {total} failed; their lines say why"),
        )
        .into()),
    }
}

/// Ends the process at once with the usage status: arguments that do not parse are refused
/// before a runtime exists, so there is no run to return a status from.
pub fn usage_error() -> ! {
    std::process::exit(i32::from(USAGE))
}

/// The exit status a failure of this code ends with: 2 for a usage error, 130 for an
/// interrupted run, else 1.
pub fn of_failure(code: failure::Code) -> ExitCode {
    match code {
        failure::Code::Usage => ExitCode::from(USAGE),
        failure::Code::Interrupted => ExitCode::from(INTERRUPTED),
        _ => ExitCode::from(FAILED),
    }
}

/// The exit status a finished run's report calls for: 1 when anything failed; 3 when files
/// of a tree were refused (they are not on the site, though nothing failed); else 0.
pub fn exit_code(report: &Report, tree: bool) -> ExitCode {
    match (report.is_success(), tree) {
        (false, _) => ExitCode::from(FAILED),
        (true, true) => tree_exit_code(report.refused()),
        (true, false) => ExitCode::SUCCESS,
    }
}

/// The status of a run of a tree in which nothing failed: 3 when the SDK refused some of
/// its files, else 0. A dry run's plan calls for it too, so it exits as the run would.
pub fn tree_exit_code(refused: usize) -> ExitCode {
    match refused {
        0 => ExitCode::SUCCESS,
        _ => ExitCode::from(REFUSED),
    }
}

/// How many of a plan's skipped files the SDK refuses (type, size, name).
pub fn refused(skipped: &[(String, SkipReason)]) -> usize {
    skipped
        .iter()
        .filter(|(_, reason)| reason.is_refused())
        .count()
}

/// An audit's exit status: 1 when some assets could not be compared (the audit is
/// incomplete), 4 when something was found, else 0.
pub fn audit_exit_code(audit: &webflow_assets::audit::Audit) -> ExitCode {
    audit_status(audit.unchecked.len(), audit.findings())
}

/// [`audit_exit_code`], from how many assets could not be compared and how many findings
/// there are.
fn audit_status(unchecked: usize, findings: usize) -> ExitCode {
    if unchecked > 0 {
        ExitCode::from(FAILED)
    } else if findings > 0 {
        ExitCode::from(FOUND)
    } else {
        ExitCode::SUCCESS
    }
}

/// A file the user named and the SDK refused is not on the site: a failure, with the rule it
/// breaks as its reason.
pub fn named_file_not_uploaded_is_a_failure(outcome: &mut Outcome) {
    if let Outcome::Skipped(reason) = outcome
        && let SkipReason::Refused { rule, .. } = reason
    {
        *outcome = Outcome::Failed(webflow_assets::Error::from(rule.clone()));
    }
}

#[cfg(test)]
mod tests {
    use webflow_assets::Rule;
    use webflow_assets::bulk::FileOutcome;

    use super::*;
    use crate::failure::Code;

    /// Every failure code; the match stops the build when one is added, so it gets a row in
    /// [`every_failure_ends_with_its_status`].
    fn every_code() -> Vec<Code> {
        let every = vec![
            Code::MissingToken,
            Code::MissingSite,
            Code::MissingScope,
            Code::InvalidToken,
            Code::Forbidden,
            Code::NotFound,
            Code::RateLimited,
            Code::RefusedFile,
            Code::InvalidInput,
            Code::Usage,
            Code::Conflict,
            Code::Network,
            Code::Io,
            Code::Api,
            Code::Storage,
            Code::UnexpectedResponse,
            Code::Refused,
            Code::Partial,
            Code::Interrupted,
            Code::StalePlan,
            Code::OutsideRoots,
            Code::ReadOnly,
            Code::Internal,
        ];
        for code in &every {
            match code {
                Code::MissingToken
                | Code::MissingSite
                | Code::MissingScope
                | Code::InvalidToken
                | Code::Forbidden
                | Code::NotFound
                | Code::RateLimited
                | Code::RefusedFile
                | Code::InvalidInput
                | Code::Usage
                | Code::Conflict
                | Code::Network
                | Code::Io
                | Code::Api
                | Code::Storage
                | Code::UnexpectedResponse
                | Code::Refused
                | Code::Partial
                | Code::Interrupted
                | Code::StalePlan
                | Code::OutsideRoots
                | Code::ReadOnly
                | Code::Internal => {}
            }
        }
        every
    }

    #[test]
    fn every_failure_ends_with_its_status() {
        for code in every_code() {
            let status = match code {
                Code::Usage => 2,
                Code::Interrupted => 130,
                _ => 1,
            };
            assert_eq!(of_failure(code), ExitCode::from(status), "{code:?}");
        }
    }

    /// A second Ctrl-C leaves through `process::exit`, with the same status as the first.
    #[test]
    fn an_interrupt_exits_130_either_way() {
        assert_eq!(ExitCode::from(INTERRUPTED), ExitCode::from(130));
        assert_eq!(i32::from(INTERRUPTED), 130);
    }

    /// Some fonts failed: the run ends with a `partial` failure, whose status is 1.
    #[test]
    fn a_font_run_with_failures_exits_1() {
        assert_eq!(some_failed(0, 3).unwrap(), ExitCode::SUCCESS);
        let error = some_failed(1, 3).unwrap_err();
        let failure = error.downcast_ref::<failure::Failure>().unwrap();
        assert_eq!(failure.code(), Code::Partial);
        assert_eq!(of_failure(failure.code()), ExitCode::from(1));
    }

    fn record(outcome: Outcome) -> Record {
        Record::of(&FileOutcome::new("a.png", outcome))
    }

    #[test]
    fn a_run_s_report_decides_its_status() {
        let mut report = Report::default();
        assert_eq!(exit_code(&report, false), ExitCode::SUCCESS);
        assert_eq!(exit_code(&report, true), ExitCode::SUCCESS);
        // Refused files of a tree are not on the site, though nothing failed: 3.
        let refused = SkipReason::refused(Rule::EmptyDisplayName);
        report.push(record(Outcome::Skipped(refused)));
        assert_eq!(exit_code(&report, true), ExitCode::from(3));
        assert_eq!(exit_code(&report, false), ExitCode::SUCCESS);
        // A failure outranks them.
        let failed = webflow_assets::Error::from(Rule::EmptyDisplayName);
        report.push(record(Outcome::Failed(failed)));
        assert_eq!(exit_code(&report, true), ExitCode::from(1));
        assert_eq!(exit_code(&report, false), ExitCode::from(1));
        assert_eq!(tree_exit_code(0), ExitCode::SUCCESS);
        assert_eq!(tree_exit_code(2), ExitCode::from(3));
    }

    #[test]
    fn an_audit_s_findings_decide_its_status() {
        assert_eq!(audit_status(0, 0), ExitCode::SUCCESS);
        assert_eq!(audit_status(0, 2), ExitCode::from(4));
        // Assets not compared make the audit incomplete, whatever it found.
        assert_eq!(audit_status(1, 0), ExitCode::from(1));
        assert_eq!(audit_status(1, 2), ExitCode::from(1));
        assert_eq!(
            audit_exit_code(&webflow_assets::audit::Audit::default()),
            ExitCode::SUCCESS
        );
    }
}
