//! Scripted failures: the next N calls to one endpoint (or to S3) fail in a chosen way.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

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
    /// Close the connection without answering.
    DropConnection,
    /// S3 only: answer 503 with the XML error `SlowDown`.
    SlowDown,
    /// S3 only: answer 500 with the XML error `InternalError`.
    InternalError,
    /// Create asset only: succeed, but with a policy that has already expired.
    ExpiredPolicy,
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

/// The queue of scripted faults, shared by both servers.
#[derive(Debug, Default)]
pub struct Faults {
    queue: Mutex<Vec<(Target, VecDeque<Fault>)>>,
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

    /// Takes the fault for the next call to `target`, if one is queued.
    pub fn take(&self, target: Target) -> Option<Fault> {
        let mut queue = self.queue.lock().expect("fault queue");
        queue.iter_mut().find(|(t, _)| *t == target)?.1.pop_front()
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
}
