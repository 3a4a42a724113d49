//! Scripted failures: the next N calls to one endpoint (or to S3) fail in a chosen way.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::Value;

/// Where a fault applies: one of the eight Webflow endpoints, or the S3 upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// `GET /sites/{site_id}/assets`
    ListAssets,
    /// `POST /sites/{site_id}/assets`
    CreateAsset,
    /// `GET /assets/{asset_id}`
    GetAsset,
    /// `PATCH /assets/{asset_id}`
    UpdateAsset,
    /// `DELETE /assets/{asset_id}`
    DeleteAsset,
    /// `GET /sites/{site_id}/asset_folders`
    ListAssetFolders,
    /// `POST /sites/{site_id}/asset_folders`
    CreateAssetFolder,
    /// `GET /asset_folders/{asset_folder_id}`
    GetAssetFolder,
    /// The form POST to the upload URL.
    S3Upload,
}

impl Target {
    /// Which endpoint a Webflow API request is for, from its method and its path below `/v2`.
    pub fn of_api_request(method: &str, path: &str) -> Option<Target> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        Some(match (method, parts.as_slice()) {
            ("GET", ["sites", _, "assets"]) => Target::ListAssets,
            ("POST", ["sites", _, "assets"]) => Target::CreateAsset,
            ("GET", ["assets", _]) => Target::GetAsset,
            ("PATCH", ["assets", _]) => Target::UpdateAsset,
            ("DELETE", ["assets", _]) => Target::DeleteAsset,
            ("GET", ["sites", _, "asset_folders"]) => Target::ListAssetFolders,
            ("POST", ["sites", _, "asset_folders"]) => Target::CreateAssetFolder,
            ("GET", ["asset_folders", _]) => Target::GetAssetFolder,
            _ => return None,
        })
    }
}

/// A body for a scripted status.
#[derive(Debug, Clone)]
pub enum FaultBody {
    /// A JSON body (`application/json`).
    Json(Value),
    /// An HTML page, as a proxy or gateway would send.
    Html(String),
    /// No body at all.
    Empty,
}

/// How a call fails.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Answer this status with this body instead of handling the call.
    Status(u16, FaultBody),
    /// Wait this long, then handle the call normally.
    Delay(Duration),
    /// Wait, unanswered, until the test calls [`Hold::release`], then handle the call
    /// normally: a call kept in flight for exactly as long as the test needs, with no
    /// guessed duration. A hold never released keeps its calls until the fake is dropped.
    Hold(Hold),
    /// Close the connection without answering.
    DropConnection,
    /// S3 only: answer 503 with the XML error `SlowDown`.
    SlowDown,
    /// S3 only: answer 500 with the XML error `InternalError`.
    InternalError,
    /// Create asset only: succeed, but with a policy that has already expired.
    ExpiredPolicy,
    /// Webflow only: 429 `too_many_requests` with this `Retry-After` (whole seconds, at
    /// least one).
    RateLimited(Duration),
    /// Handle the call normally (its effects happen), then send only the first half of the
    /// answer's body: a success whose body cannot be read.
    Truncate,
}

impl Fault {
    /// A status with Webflow's JSON error body for `code`.
    pub fn webflow_error(status: u16, code: &str, message: &str) -> Fault {
        Fault::Status(
            status,
            FaultBody::Json(serde_json::json!({
                "code": code,
                "message": message,
                "externalReference": null,
                "details": []
            })),
        )
    }

    /// A status with an HTML page, as a proxy in front of the API would answer.
    pub fn html(status: u16) -> Fault {
        Fault::Status(
            status,
            FaultBody::Html(format!(
                "<html><head><title>{status}</title></head><body><h1>{status}</h1></body></html>"
            )),
        )
    }
}

/// A gate for calls given [`Fault::Hold`]: they wait at it until [`Hold::release`]. Clones
/// share one gate, so the test keeps one and injects another.
///
/// ```no_run
/// # async fn example() -> anyhow::Result<()> {
/// use webflow_fake::{FakeWebflow, Fault, Hold, Target};
///
/// let fake = FakeWebflow::builder().start().await?;
/// let hold = Hold::new();
/// fake.faults().inject(Target::S3Upload, Fault::Hold(hold.clone()), 1);
/// // … start an upload …
/// hold.reached().await; // the upload is in flight, its answer held
/// // … act while it is in flight …
/// hold.release(); // it is handled, and answered
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default)]
pub struct Hold {
    gate: Arc<tokio::sync::watch::Sender<Gate>>,
}

/// How many calls reached a hold, and whether it was released.
#[derive(Debug, Clone, Copy, Default)]
struct Gate {
    reached: usize,
    released: bool,
}

impl Hold {
    /// A closed gate no call has reached.
    pub fn new() -> Hold {
        Hold::default()
    }

    /// Lets every call waiting at this hold through, and every later one.
    pub fn release(&self) {
        self.gate.send_modify(|gate| gate.released = true);
    }

    /// Waits until a call has reached this hold (at once if one already has).
    pub async fn reached(&self) {
        let mut gate = self.gate.subscribe();
        // The sender lives in `self`, so the wait ends only when a call arrives.
        let _ = gate.wait_for(|gate| gate.reached > 0).await;
    }

    /// How many calls have reached this hold so far.
    pub fn calls(&self) -> usize {
        self.gate.borrow().reached
    }

    /// Holds a call: counts it, then waits until [`Hold::release`].
    pub(crate) async fn pass(&self) {
        let mut gate = self.gate.subscribe();
        self.gate.send_modify(|gate| gate.reached += 1);
        let _ = gate.wait_for(|gate| gate.released).await;
    }
}

/// The queue of scripted faults, shared by both servers, and the random ones of chaos mode.
#[derive(Debug, Default)]
pub struct Faults {
    queue: Mutex<Vec<(Target, VecDeque<Fault>)>>,
    chaos: Mutex<Option<Chaos>>,
    hidden: Mutex<Vec<String>>,
    unlinked: Mutex<Vec<String>>,
}

/// Random faults: each call fails with `probability`, in a way drawn from `rng`.
#[derive(Debug)]
struct Chaos {
    rng: StdRng,
    probability: f64,
}

impl Chaos {
    /// A fault that can happen to a call to `target`: what Webflow, a gateway in front of it,
    /// S3 and the network do under load.
    fn draw(&mut self, target: Target) -> Option<Fault> {
        if !self.rng.random_bool(self.probability) {
            return None;
        }
        let delay = Duration::from_millis(self.rng.random_range(20..150));
        let kinds = if target == Target::S3Upload { 4 } else { 6 };
        Some(match (target, self.rng.random_range(0..kinds)) {
            (Target::S3Upload, 0) => Fault::SlowDown,
            (Target::S3Upload, 1) => Fault::InternalError,
            (Target::S3Upload, 2) => Fault::DropConnection,
            (Target::S3Upload, _) => Fault::Delay(delay),
            (_, 0) => Fault::RateLimited(Duration::from_secs(1)),
            (_, 1) => Fault::webflow_error(500, "internal_error", "Internal Error"),
            (_, 2) => Fault::html(502),
            (_, 3) => Fault::DropConnection,
            (Target::CreateAsset, 4) => Fault::ExpiredPolicy,
            (_, _) => Fault::Delay(delay),
        })
    }
}

impl Faults {
    /// Makes the next `times` calls to `target` fail with `fault` (after any already queued).
    pub fn inject(&self, target: Target, fault: Fault, times: usize) {
        let mut queue = self.queue.lock().expect("fault queue");
        let slot = match queue.iter_mut().position(|(t, _)| *t == target) {
            Some(i) => &mut queue[i].1,
            None => {
                queue.push((target, VecDeque::new()));
                &mut queue.last_mut().expect("just pushed").1
            }
        };
        slot.extend(std::iter::repeat_n(fault, times));
    }

    /// From now on, every call without a scripted fault fails with `probability` (0 to 1),
    /// in a way drawn at random for its endpoint: 429s with `Retry-After`, 500s with JSON and
    /// HTML 502s, dropped connections and slow answers on the Webflow side, expired policies
    /// from create asset, and `SlowDown`, `InternalError`, drops and delays from S3. The same
    /// seed and the same calls in the same order give the same faults.
    pub fn chaos(&self, seed: u64, probability: f64) {
        *self.chaos.lock().expect("chaos") = Some(Chaos {
            rng: StdRng::seed_from_u64(seed),
            probability: probability.clamp(0.0, 1.0),
        });
    }

    /// Ends chaos mode.
    pub fn calm(&self) {
        *self.chaos.lock().expect("chaos") = None;
    }

    /// Takes the fault for the next call to `target`: a scripted one if queued, else maybe a
    /// random one in chaos mode.
    pub fn take(&self, target: Target) -> Option<Fault> {
        let scripted = {
            let mut queue = self.queue.lock().expect("fault queue");
            queue
                .iter_mut()
                .find(|(t, _)| *t == target)
                .and_then(|(_, q)| q.pop_front())
        };
        scripted.or_else(|| self.chaos.lock().expect("chaos").as_mut()?.draw(target))
    }

    /// From now on the CDN answers 404 for every hosted file whose name contains `part`, as
    /// a CDN does for an object it lost or has not yet propagated; the API still lists it.
    pub fn hide_hosted(&self, part: impl Into<String>) {
        self.hidden.lock().expect("hidden").push(part.into());
    }

    /// Whether the hosted file stored under `key` is hidden by [`Self::hide_hosted`].
    pub fn is_hidden(&self, key: &str) -> bool {
        let decoded = percent_encoding::percent_decode_str(key).decode_utf8_lossy();
        self.hidden
            .lock()
            .expect("hidden")
            .iter()
            .any(|part| decoded.contains(part.as_str()))
    }

    /// From now on the API lists every font whose file name contains `part` without a
    /// `hostedUrl`, as Webflow may for a font whose file it has not yet published: a client
    /// then has nothing to download and compare.
    pub fn unlink_hosted(&self, part: impl Into<String>) {
        self.unlinked.lock().expect("unlinked").push(part.into());
    }

    /// Whether a font of this file name is listed without a hosted URL
    /// ([`Self::unlink_hosted`]).
    pub fn is_unlinked(&self, file_name: &str) -> bool {
        self.unlinked
            .lock()
            .expect("unlinked")
            .iter()
            .any(|part| file_name.contains(part.as_str()))
    }

    /// How many faults are still queued for `target`.
    pub fn pending(&self, target: Target) -> usize {
        let queue = self.queue.lock().expect("fault queue");
        queue
            .iter()
            .find(|(t, _)| *t == target)
            .map_or(0, |(_, q)| q.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_map_to_their_endpoint() {
        assert_eq!(
            Target::of_api_request("POST", "/sites/a/assets"),
            Some(Target::CreateAsset)
        );
        assert_eq!(
            Target::of_api_request("GET", "/asset_folders/f"),
            Some(Target::GetAssetFolder)
        );
        assert_eq!(Target::of_api_request("PUT", "/assets/a"), None);
        assert_eq!(Target::of_api_request("GET", "/sites/a/assets/b"), None);
    }

    #[test]
    fn faults_are_taken_in_order_per_target() {
        let faults = Faults::default();
        faults.inject(Target::GetAsset, Fault::DropConnection, 2);
        faults.inject(Target::GetAsset, Fault::SlowDown, 1);
        assert_eq!(faults.pending(Target::GetAsset), 3);
        assert!(faults.take(Target::ListAssets).is_none());
        assert!(matches!(
            faults.take(Target::GetAsset),
            Some(Fault::DropConnection)
        ));
        assert!(matches!(
            faults.take(Target::GetAsset),
            Some(Fault::DropConnection)
        ));
        assert!(matches!(
            faults.take(Target::GetAsset),
            Some(Fault::SlowDown)
        ));
        assert!(faults.take(Target::GetAsset).is_none());
    }

    #[tokio::test]
    async fn a_hold_keeps_its_calls_until_released() {
        let hold = Hold::new();
        assert_eq!(hold.calls(), 0);
        let held = tokio::spawn({
            let hold = hold.clone();
            async move { hold.pass().await }
        });
        hold.reached().await;
        assert_eq!(hold.calls(), 1);
        // Reached, not released: the call still waits, however often it is polled.
        tokio::task::yield_now().await;
        assert!(!held.is_finished());
        hold.release();
        held.await.unwrap();
        // Once released, later calls pass at once.
        hold.pass().await;
        assert_eq!(hold.calls(), 2);
    }

    #[test]
    fn chaos_is_seeded_and_fits_each_side() {
        let draws = |seed| {
            let faults = Faults::default();
            faults.chaos(seed, 0.5);
            (0..200)
                .map(|i| {
                    let target = if i % 2 == 0 {
                        Target::S3Upload
                    } else {
                        Target::CreateAsset
                    };
                    format!("{:?}", faults.take(target))
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(draws(7), draws(7));
        assert_ne!(draws(7), draws(8));
        let faults = Faults::default();
        faults.chaos(1, 1.0);
        for _ in 0..100 {
            assert!(matches!(
                faults.take(Target::S3Upload),
                Some(
                    Fault::SlowDown
                        | Fault::InternalError
                        | Fault::DropConnection
                        | Fault::Delay(_)
                )
            ));
        }
        faults.calm();
        assert!(faults.take(Target::S3Upload).is_none());
    }
}
