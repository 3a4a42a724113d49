//! Sync plans an agent has read: `plan_sync` keeps each under an id nobody can guess, and
//! `apply_sync` takes it (once) and carries it out only if planning again gives the same
//! plan. A plan lives [`LIFETIME`]; the server keeps at most [`KEPT`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use webflow_assets::FolderPath;
use webflow_assets::bulk::{Record, Status};

/// How long a plan may wait to be applied.
pub const LIFETIME: Duration = Duration::from_secs(15 * 60);

/// How many plans are kept at once; a new one past this drops the oldest.
const KEPT: usize = 64;

/// What was asked of `plan_sync`: enough to plan again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRequest {
    /// The directory, resolved inside a root.
    pub dir: PathBuf,
    /// The folder path the tree goes under.
    pub folder: Option<FolderPath>,
    /// Whether the plan deletes what is provably gone.
    pub delete: bool,
    /// Include patterns.
    pub include: Vec<String>,
    /// Exclude patterns.
    pub exclude: Vec<String>,
    /// Whether hosted files are compared by MD5.
    pub checksum: bool,
}

/// What a plan said, in a form two plans can be compared by: every record (what happens to
/// each file and asset, with asset ids and reasons), and the size and modification time of
/// each file it uploads, so a file edited since (even to the same size) makes it stale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    records: Vec<String>,
    files: Vec<(String, Option<Stat>)>,
}

/// A file's size and modification time (when the system keeps one).
type Stat = (u64, Option<std::time::SystemTime>);

impl Snapshot {
    /// The snapshot of a plan of `dir` with these records.
    pub fn of(dir: &Path, records: &[Record]) -> Self {
        let mut lines: Vec<String> = records
            .iter()
            .map(|r| serde_json::to_string(r).unwrap_or_default())
            .collect();
        lines.sort();
        let mut files: Vec<_> = records
            .iter()
            .filter(|r| matches!(r.status, Status::PlannedUpload { .. }))
            .map(|r| {
                let stat = std::fs::metadata(dir.join(&r.file))
                    .ok()
                    .map(|m| (m.len(), m.modified().ok()));
                (r.file.clone(), stat)
            })
            .collect();
        files.sort();
        Self {
            records: lines,
            files,
        }
    }

    /// The first difference between two plans, in words.
    pub fn difference(&self, now: &Snapshot) -> Option<String> {
        if let Some(line) = self.records.iter().find(|l| !now.records.contains(l)) {
            return Some(format!("the plan had {line}, which it no longer has"));
        }
        if let Some(line) = now.records.iter().find(|l| !self.records.contains(l)) {
            return Some(format!("the plan now has {line}"));
        }
        if let Some((file, _)) = self.files.iter().find(|f| !now.files.contains(f)) {
            return Some(format!("{file} changed since it was planned"));
        }
        None
    }
}

/// A plan kept for `apply_sync`.
#[derive(Debug)]
pub struct Kept {
    /// What was asked.
    pub request: PlanRequest,
    /// What it said.
    pub snapshot: Snapshot,
    made: Instant,
}

/// The plans kept.
#[derive(Debug, Default)]
pub struct Plans(Mutex<HashMap<String, Kept>>);

/// Why a plan id cannot be applied.
#[derive(Debug, PartialEq, Eq)]
pub enum Missing {
    /// No plan had this id (or it was applied already).
    Unknown,
    /// It was made longer ago than [`LIFETIME`].
    Expired,
}

impl Plans {
    /// Keeps a plan; its id.
    pub fn keep(&self, request: PlanRequest, snapshot: Snapshot) -> String {
        let id = new_id();
        let mut plans = self.0.lock().unwrap_or_else(|e| e.into_inner());
        plans.retain(|_, kept| kept.made.elapsed() < LIFETIME);
        if plans.len() >= KEPT
            && let Some(oldest) = plans
                .iter()
                .min_by_key(|(_, kept)| kept.made)
                .map(|(id, _)| id.clone())
        {
            plans.remove(&oldest);
        }
        plans.insert(
            id.clone(),
            Kept {
                request,
                snapshot,
                made: Instant::now(),
            },
        );
        id
    }

    /// Takes a plan out to apply it: a plan is applied at most once.
    pub fn take(&self, id: &str) -> Result<Kept, Missing> {
        let mut plans = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match plans.remove(id) {
            Some(kept) if kept.made.elapsed() < LIFETIME => Ok(kept),
            Some(_) => Err(Missing::Expired),
            None => Err(Missing::Unknown),
        }
    }
}

/// 128 random bits, in hex.
fn new_id() -> String {
    let bits: u128 = rand::random();
    format!("plan_{bits:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> PlanRequest {
        PlanRequest {
            dir: PathBuf::from("."),
            folder: None,
            delete: true,
            include: vec![],
            exclude: vec![],
            checksum: false,
        }
    }

    #[test]
    fn a_plan_is_taken_once() {
        let plans = Plans::default();
        let snapshot = Snapshot::of(Path::new("."), &[]);
        let id = plans.keep(request(), snapshot.clone());
        let other = plans.keep(request(), snapshot);
        assert_ne!(id, other);
        assert!(plans.take(&id).is_ok());
        assert_eq!(plans.take(&id).unwrap_err(), Missing::Unknown);
        assert_eq!(plans.take("plan_0").unwrap_err(), Missing::Unknown);
    }

    #[test]
    fn an_old_plan_has_expired() {
        let plans = Plans::default();
        let id = plans.keep(request(), Snapshot::of(Path::new("."), &[]));
        let Some(long_ago) = Instant::now().checked_sub(LIFETIME + Duration::from_secs(1)) else {
            return; // a clock that started less than a lifetime ago cannot say
        };
        plans.0.lock().unwrap().get_mut(&id).unwrap().made = long_ago;
        assert_eq!(plans.take(&id).unwrap_err(), Missing::Expired);
        assert_eq!(
            plans.take(&id).unwrap_err(),
            Missing::Unknown,
            "and it is gone"
        );
    }
}
