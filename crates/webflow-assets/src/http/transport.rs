//! The one path every Webflow API request takes, whether it comes from a helper of this crate
//! or from [`Client::raw`](crate::Client::raw): the token's shared budget, retries of
//! transient failures, and a count of the requests sent.

use std::cell::Cell;
use std::future::Future;

use tokio::time::Instant;
use webflow_assets_raw::types::WebflowError;
use webflow_assets_raw::{BoxFuture, ResponseValue, Transport};

use crate::error::Error;
use crate::error::{is_retryable_status, retry_after};
use crate::http::budget::Budget;
use crate::http::retry::Next;
use crate::http::retry::RetryPolicy;

/// Sends API requests within the budget, retrying as the policy allows.
#[derive(Debug)]
pub(crate) struct ApiTransport {
    pub(crate) budget: Budget,
    pub(crate) retry: RetryPolicy,
}

impl Transport for ApiTransport {
    fn send<'a>(
        &'a self,
        http: &'a reqwest::Client,
        request: reqwest::Request,
        operation: &'static str,
    ) -> BoxFuture<'a, reqwest::Result<reqwest::Response>> {
        Box::pin(async move {
            // JSON bodies can be cloned; a streaming one (none of Webflow's endpoints takes
            // one) can be sent only once.
            let template = request.try_clone();
            let mut first = Some(request);
            let (result, attempts) = self
                .retry
                .run_until(
                    |_| {
                        let request = first
                            .take()
                            .or_else(|| template.as_ref().and_then(|t| t.try_clone()));
                        self.attempt(http, request)
                    },
                    |result| match template {
                        Some(_) => next(result),
                        None => Next::Done,
                    },
                )
                .await;
            tracing::trace!(operation, attempts, "API request");
            count(attempts);
            result
        })
    }
}

impl ApiTransport {
    async fn attempt(
        &self,
        http: &reqwest::Client,
        request: Option<reqwest::Request>,
    ) -> reqwest::Result<reqwest::Response> {
        let request = request.expect("a request to send: the template clones when retried");
        self.budget.acquire().await;
        let sent_at = Instant::now();
        let result = http.execute(request).await;
        if let Ok(response) = &result {
            self.budget.observe(response.headers(), sent_at);
            if response.status().as_u16() == 429 {
                self.budget.exhausted(retry_after(response.headers()));
            }
        }
        result
    }
}

/// Whether an answer is worth another attempt.
///
/// A 2xx is never retried, even when its body turns out unreadable: Webflow has done the work
/// by then, and for `create_asset` a second attempt would create a second asset. Rate limits,
/// 408 and 5xx answers (Webflow's or a gateway's) and failed connections are retried: Webflow
/// has not done the work, or will dedupe it (an asset whose upload never arrived stays
/// invisible).
fn next(result: &reqwest::Result<reqwest::Response>) -> Next {
    match result {
        Ok(response) => next_for(response.status().as_u16(), response.headers()),
        Err(_) => Next::Retry(None),
    }
}

/// [`next`] for an answer: the statuses are decided by `is_retryable_status`, as for every
/// other error; a rate limit waits as long as it asks.
fn next_for(status: u16, headers: &reqwest::header::HeaderMap) -> Next {
    match status {
        429 => Next::Retry(retry_after(headers)),
        status if is_retryable_status(status) => Next::Retry(None),
        _ => Next::Done,
    }
}

tokio::task_local! {
    /// API requests sent by the task's current [`counted`] scope.
    static SENT: Cell<u32>;
}

/// Adds requests to the current [`counted`] scope, if there is one (the S3 form counts too).
pub(crate) fn count(attempts: u32) {
    let _ = SENT.try_with(|sent| sent.set(sent.get() + attempts));
}

/// Runs `work`, counting the API requests it sends (retries included).
pub(crate) async fn counted<T>(work: impl Future<Output = T>) -> (T, u32) {
    SENT.scope(Cell::new(0), async {
        let out = work.await;
        (out, SENT.with(Cell::get))
    })
    .await
}

/// Awaits a generated call and turns its error into this crate's.
pub(crate) async fn api<T>(
    call: impl Future<Output = Result<ResponseValue<T>, webflow_assets_raw::Error<WebflowError>>>,
) -> Result<T, Error> {
    crate::runtime::current()?;
    match call.await {
        Ok(response) => Ok(response.into_inner()),
        Err(error) => Err(Error::from_raw(error).await),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_transport_retries_exactly_the_retryable_statuses() {
        let mut headers = reqwest::header::HeaderMap::new();
        for status in 100..600 {
            let retried = matches!(next_for(status, &headers), Next::Retry(_));
            assert_eq!(retried, is_retryable_status(status), "{status}");
        }
        headers.insert("retry-after", "7".parse().unwrap());
        assert!(matches!(
            next_for(429, &headers),
            Next::Retry(Some(wait)) if wait == std::time::Duration::from_secs(7)
        ));
    }
}
