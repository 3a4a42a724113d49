//! Webflow's per-token request budget, shared by everything a client sends.
//!
//! Webflow counts requests per token in fixed one-minute windows and says how many are left
//! (`X-RateLimit-Remaining`) on every response, but not when the window resets; a 429's
//! `Retry-After` does. So the budget starts full at the plan's limit, believes the server's
//! remaining count over its own, learns where windows start (from the first response of a
//! fresh window, or from a 429), and when it is spent holds every caller until the next window
//! instead of letting each one discover the limit with a 429 of its own.
//!
//! Off-the-shelf limiters (governor's GCRA, token buckets) pace at a steady rate; they cannot
//! take a count or a reset time from the server, which is what keeps 429s rare here.

use std::sync::Mutex;
use std::time::Duration;

// tokio's Instant: std's clock in a program, and the clock tokio's paused test runtime moves,
// so the timing tests run on logical time (`start_paused`) instead of real sleeps.
use tokio::time::Instant;

/// A request budget: `requests` per `window` (Webflow: 60 or 120 per minute, by plan).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests per window.
    pub requests: u32,
    /// The window's length: from a millisecond to a day (a longer or shorter one is taken
    /// as the nearest of the two, so no setting can overflow a deadline).
    pub window: Duration,
}

/// The shortest and the longest window the budget keeps time by.
const WINDOW_RANGE: (Duration, Duration) =
    (Duration::from_millis(1), Duration::from_secs(24 * 60 * 60));

impl RateLimit {
    /// `requests` per `window`.
    pub fn new(requests: u32, window: Duration) -> Self {
        Self { requests, window }
    }

    /// `requests` per minute.
    pub fn per_minute(requests: u32) -> Self {
        Self {
            requests,
            window: Duration::from_secs(60),
        }
    }
}

impl Default for RateLimit {
    /// 60 requests per minute, Webflow's smallest plan; a response announcing a larger limit
    /// raises it.
    fn default() -> Self {
        Self::per_minute(60)
    }
}

/// The longest a 429 holds the budget, in windows.
pub(crate) const MAX_HOLD_WINDOWS: u32 = 2;

#[derive(Debug)]
struct State {
    limit: u32,
    window: Duration,
    /// Requests this client may still start in the current window.
    tokens: u32,
    /// When the current window ends, once known.
    window_end: Option<Instant>,
}

/// The shared budget.
#[derive(Debug)]
pub(crate) struct Budget {
    state: Mutex<State>,
}

impl Budget {
    pub(crate) fn new(limit: RateLimit) -> Self {
        let limit_requests = limit.requests.max(1);
        Self {
            state: Mutex::new(State {
                limit: limit_requests,
                window: limit.window.clamp(WINDOW_RANGE.0, WINDOW_RANGE.1),
                tokens: limit_requests,
                window_end: None,
            }),
        }
    }

    /// Waits until a request may be sent, and counts it.
    pub(crate) async fn acquire(&self) {
        loop {
            let wait = {
                let mut state = self.state.lock().expect("budget");
                let now = Instant::now();
                state.roll(now);
                if state.tokens > 0 {
                    state.tokens -= 1;
                    return;
                }
                match state.window_end {
                    Some(end) => end.saturating_duration_since(now),
                    // Spent, and the server has not told us when its window ends: try again
                    // at the plan's average pace; a 429 will teach us the reset time.
                    None => state.window / state.limit,
                }
            };
            tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
            let mut state = self.state.lock().expect("budget");
            if state.window_end.is_none() && state.tokens == 0 {
                state.tokens = 1;
            }
        }
    }

    /// Takes in what a response said: the limit, and what is left of it.
    pub(crate) fn observe(&self, headers: &reqwest::header::HeaderMap, sent_at: Instant) {
        let number = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse::<u32>().ok();
        let (limit, remaining) = (number("x-ratelimit-limit"), number("x-ratelimit-remaining"));
        let mut state = self.state.lock().expect("budget");
        if let Some(limit) = limit.filter(|l| *l > 0)
            && limit != state.limit
        {
            state.tokens = state
                .tokens
                .saturating_add(limit)
                .saturating_sub(state.limit);
            state.limit = limit;
        }
        let Some(remaining) = remaining else {
            return;
        };
        let remaining = remaining.min(state.limit);
        if remaining.saturating_add(1) == state.limit {
            // The first request of a fresh window leaves limit - 1: the server's window began
            // between its sending and now. Counting from now can only err late, whatever the
            // network's delay, so the next window's first request never arrives early.
            // Re-learning it each window follows servers whose windows start at the first
            // request after the last one ended, not on a fixed beat.
            state.window_end = Some(Instant::now() + state.window);
            state.tokens = state.tokens.min(remaining);
        } else if state
            .window_end
            .is_none_or(|end| sent_at + state.window >= end)
        {
            // Sent in the current window: the server's count is the truth. An answer to a
            // request sent in an earlier window says nothing about this one.
            state.tokens = state.tokens.min(remaining);
        }
    }

    /// A 429: nothing more until `retry_after` has passed (a whole window when Webflow did
    /// not say), when a fresh window starts. A wait longer than [`MAX_HOLD_WINDOWS`] windows
    /// is not believed: a server (or proxy) asking for hours would otherwise stall every
    /// caller of the client; the retry policy decides whether to wait that long.
    pub(crate) fn exhausted(&self, retry_after: Option<Duration>) {
        let mut state = self.state.lock().expect("budget");
        state.tokens = 0;
        let longest = state.window.saturating_mul(MAX_HOLD_WINDOWS);
        let wait = retry_after.unwrap_or(state.window).min(longest);
        state.window_end = Instant::now().checked_add(wait);
    }

    /// How long a request asked for now would wait.
    #[cfg(test)]
    pub(crate) fn wait_now(&self) -> Duration {
        let mut state = self.state.lock().expect("budget");
        let now = Instant::now();
        state.roll(now);
        match (state.tokens, state.window_end) {
            (0, Some(end)) => end.saturating_duration_since(now),
            (0, None) => state.window / state.limit,
            _ => Duration::ZERO,
        }
    }
}

impl State {
    /// Starts a new window (with a full budget) if the known one has ended.
    fn roll(&mut self, now: Instant) {
        let Some(end) = self.window_end else {
            return;
        };
        if now < end {
            return;
        }
        // The window now falls in, counted on from the known one in whole windows.
        let window = self.window.max(Duration::from_nanos(1));
        let passed = now.duration_since(end).as_nanos() / window.as_nanos() + 1;
        let ahead = window.saturating_mul(u32::try_from(passed).unwrap_or(u32::MAX));
        self.window_end = Some(end.checked_add(ahead).unwrap_or(now + window));
        self.tokens = self.limit;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn no_window_overflows_a_deadline() {
        for window in [Duration::MAX, Duration::ZERO] {
            let budget = Budget::new(RateLimit {
                requests: 0,
                window,
            });
            budget.acquire().await;
            budget.exhausted(None);
            assert!(budget.wait_now() <= WINDOW_RANGE.1 * MAX_HOLD_WINDOWS);
        }
    }
    use reqwest::header::{HeaderMap, HeaderValue};

    fn headers(limit: u32, remaining: u32) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-limit", HeaderValue::from(limit));
        h.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
        h
    }

    // Paused: the clock moves only when every task waits, straight to the next timer, so
    // waits are measured exactly and a slow machine cannot fail these tests.
    #[tokio::test(start_paused = true)]
    async fn starts_full_then_waits_for_the_learned_window() {
        let budget = Budget::new(RateLimit {
            requests: 3,
            window: Duration::from_millis(300),
        });
        let start = Instant::now();
        for remaining in [2, 1, 0] {
            budget.acquire().await;
            budget.observe(&headers(3, remaining), start);
        }
        assert_eq!(
            start.elapsed(),
            Duration::ZERO,
            "the plan's budget is used at once"
        );
        budget.acquire().await;
        assert_eq!(
            start.elapsed(),
            Duration::from_millis(300),
            "held until the window learned from the first response ends"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_servers_count_wins_and_a_429_holds_everyone() {
        let budget = Budget::new(RateLimit {
            requests: 100,
            window: Duration::from_secs(60),
        });
        budget.acquire().await;
        budget.observe(&headers(100, 0), Instant::now() - Duration::from_secs(30));
        budget.exhausted(Some(Duration::from_millis(150)));
        let start = Instant::now();
        budget.acquire().await;
        assert_eq!(start.elapsed(), Duration::from_millis(150));
    }

    #[tokio::test(start_paused = true)]
    async fn a_larger_announced_limit_is_adopted() {
        let budget = Budget::new(RateLimit {
            requests: 1,
            window: Duration::from_secs(60),
        });
        budget.acquire().await;
        budget.observe(&headers(120, 118), Instant::now());
        let start = Instant::now();
        for _ in 0..5 {
            budget.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO, "no waiting");
    }
}
