//! Webflow's per-token request budget: a fixed number of requests per window.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The outcome of asking for one request's worth of budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Allowed; this much budget is left in the window.
    Allowed { remaining: u32 },
    /// Refused; the window resets after this long.
    Limited { retry_after: Duration },
}

/// Fixed-window counters, one per token.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    windows: Mutex<HashMap<String, (Instant, u32)>>,
    suspended: AtomicBool,
}

impl RateLimiter {
    /// `limit` requests per `window` for each token.
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            windows: Mutex::new(HashMap::new()),
            suspended: AtomicBool::new(false),
        }
    }

    /// The configured budget per window.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// While suspended, every request is allowed and none is counted.
    pub fn suspend(&self, suspended: bool) {
        self.suspended.store(suspended, Ordering::SeqCst);
    }

    /// Spends one request of `token`'s budget at `now`, if there is any left.
    pub fn check(&self, token: &str, now: Instant) -> Decision {
        if self.suspended.load(Ordering::SeqCst) {
            return Decision::Allowed {
                remaining: self.limit,
            };
        }
        let mut windows = self.windows.lock().expect("rate limiter");
        let (start, used) = windows.entry(token.to_string()).or_insert((now, 0));
        if now.duration_since(*start) >= self.window {
            *start = now;
            *used = 0;
        }
        if *used >= self.limit {
            return Decision::Limited {
                retry_after: self.window - now.duration_since(*start),
            };
        }
        *used += 1;
        Decision::Allowed {
            remaining: self.limit - *used,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_is_spent_then_refused_then_renewed() {
        let limiter = RateLimiter::new(2, Duration::from_secs(10));
        let t0 = Instant::now();
        assert_eq!(limiter.check("a", t0), Decision::Allowed { remaining: 1 });
        assert_eq!(limiter.check("a", t0), Decision::Allowed { remaining: 0 });
        assert_eq!(
            limiter.check("a", t0 + Duration::from_secs(4)),
            Decision::Limited {
                retry_after: Duration::from_secs(6)
            }
        );
        assert_eq!(
            limiter.check("b", t0),
            Decision::Allowed { remaining: 1 },
            "per token"
        );
        assert_eq!(
            limiter.check("a", t0 + Duration::from_secs(10)),
            Decision::Allowed { remaining: 1 }
        );
    }
}
