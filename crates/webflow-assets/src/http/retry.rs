//! When and how long to wait before trying a failed request again.

use std::future::Future;
use std::time::Duration;

// tokio's Instant: std's clock in a program, and the clock tokio's paused test runtime moves,
// so the timing tests run on logical time (`start_paused`) instead of real sleeps.
use tokio::time::Instant;

use backon::{BackoffBuilder, ExponentialBuilder};

use crate::error::Error;

/// How failed requests are retried: rate limits wait for `Retry-After`; 5xx answers,
/// timeouts, dropped connections and S3 `SlowDown`/`InternalError` back off exponentially with
/// jitter. Validation errors and other 4xx answers are never retried.
///
/// ```
/// use std::time::Duration;
/// use webflow_assets::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_attempts(8)
///     .max_elapsed(Duration::from_secs(600));
/// let never = RetryPolicy::none();
/// # let _ = (patient, never);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    /// Up to 5 attempts, backing off from 500 ms to at most 30 s, within 2 minutes in all
    /// (long enough for one Webflow rate-limit window of 60 s).
    fn default() -> Self {
        Self {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_elapsed: Duration::from_secs(120),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Attempts in all, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first backoff delay; each later one doubles, up to [`Self::max_backoff`].
    pub fn initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }

    /// The longest backoff delay.
    pub fn max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }

    /// No retry starts (or waits) past this much time since the first attempt.
    pub fn max_elapsed(mut self, total: Duration) -> Self {
        self.max_elapsed = total;
        self
    }

    /// Whether backoff delays are randomised (on by default, so many clients that failed
    /// together do not retry together).
    pub fn jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }

    /// Runs `attempt` until it succeeds, fails for good, or the policy is spent. Returns the
    /// result and how many attempts were made.
    pub(crate) async fn run<T, F, Fut>(&self, attempt: F) -> (Result<T, Error>, u32)
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        self.run_until(attempt, |result| match result {
            Err(error) if error.is_retryable() => Next::Retry(match error {
                Error::RateLimited { retry_after, .. } => *retry_after,
                _ => None,
            }),
            _ => Next::Done,
        })
        .await
    }

    /// Runs `attempt` until `next` says its result is final or the policy is spent; the last
    /// result is returned whatever it is, with how many attempts were made.
    pub(crate) async fn run_until<T, F, Fut>(
        &self,
        mut attempt: F,
        next: impl Fn(&T) -> Next,
    ) -> (T, u32)
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = T>,
    {
        let started = Instant::now();
        let mut builder = ExponentialBuilder::default()
            .with_min_delay(self.initial_backoff)
            .with_max_delay(self.max_backoff)
            .with_max_times(usize::MAX);
        if self.jitter {
            builder = builder.with_jitter();
        }
        let mut backoff = builder.build();
        let mut attempts = 0;
        loop {
            attempts += 1;
            let result = attempt(attempts).await;
            let told = match next(&result) {
                Next::Done => return (result, attempts),
                Next::Retry(told) => told,
            };
            if attempts >= self.max_attempts {
                return (result, attempts);
            }
            let delay = told.unwrap_or_else(|| backoff.next().unwrap_or(self.max_backoff));
            if started.elapsed().saturating_add(delay) > self.max_elapsed {
                return (result, attempts);
            }
            tracing::debug!(attempt = attempts, ?delay, "retrying");
            tokio::time::sleep(delay).await;
        }
    }
}

/// What one attempt's result says about the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// Final: success, or a failure that trying again cannot fix.
    Done,
    /// Transient: try again, after the wait the server asked for when it named one.
    Retry(Option<Duration>),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Rule;

    fn transient() -> Error {
        Error::UnexpectedResponse {
            file: None,
            status: Some(502),
            body: String::new(),
        }
    }

    fn fast() -> RetryPolicy {
        RetryPolicy::default()
            .initial_backoff(Duration::from_millis(1))
            .max_backoff(Duration::from_millis(2))
    }

    #[tokio::test]
    async fn retries_transient_errors_until_success() {
        let (result, attempts) = fast()
            .run(|n| async move { if n < 3 { Err(transient()) } else { Ok(n) } })
            .await;
        assert_eq!((result.unwrap(), attempts), (3, 3));
    }

    #[tokio::test]
    async fn stops_at_max_attempts_and_never_retries_final_errors() {
        let (result, attempts) = fast()
            .max_attempts(4)
            .run(|_| async { Err::<(), _>(transient()) })
            .await;
        assert!(result.is_err());
        assert_eq!(attempts, 4);
        let (result, attempts) = fast()
            .run(|_| async { Err::<(), _>(Error::from(Rule::EmptyFile)) })
            .await;
        assert!(result.is_err());
        assert_eq!(attempts, 1);
        let (_, attempts) = RetryPolicy::none()
            .run(|_| async { Err::<(), _>(transient()) })
            .await;
        assert_eq!(attempts, 1);
    }

    // Paused: the waits are measured on tokio's logical clock, exactly.
    #[tokio::test(start_paused = true)]
    async fn honours_retry_after_and_the_total_time_budget() {
        let started = Instant::now();
        let (result, attempts) = fast()
            .run(|n| async move {
                if n == 1 {
                    Err(Error::RateLimited {
                        file: None,
                        retry_after: Some(Duration::from_millis(150)),
                    })
                } else {
                    Ok(())
                }
            })
            .await;
        assert!(result.is_ok());
        assert_eq!(attempts, 2);
        assert_eq!(started.elapsed(), Duration::from_millis(150));

        let (result, attempts) = fast()
            .max_elapsed(Duration::from_secs(1))
            .run(|_| async {
                Err::<(), _>(Error::RateLimited {
                    file: None,
                    retry_after: Some(Duration::from_secs(60)),
                })
            })
            .await;
        assert!(matches!(result, Err(Error::RateLimited { .. })));
        assert_eq!(attempts, 1, "a wait past the budget is not started");
    }
}
