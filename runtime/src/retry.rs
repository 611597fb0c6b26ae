//! When to try a request again, and how long to wait first.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// Retries of `429 Too Many Requests` and `503 Service Unavailable`, and of
/// connection failures that happened before the request was sent; of other
/// statuses when `retried_statuses` names them, for a request that may be
/// sent twice.
///
/// Waits grow exponentially from `initial_backoff` up to `max_backoff`,
/// with full jitter; a `Retry-After` header replaces the computed wait. No
/// retry starts after `max_elapsed` would be exceeded, and there are at most
/// `max_attempts` attempts in all.
///
/// Built from [`RetryPolicy::default`] or [`RetryPolicy::disabled`] and the
/// `with_` methods, so that a setting added later breaks no caller:
///
/// ```
/// # use std::time::Duration;
/// let policy = client_runtime::RetryPolicy::default()
///     .with_max_attempts(6)
///     .with_max_elapsed(Duration::from_secs(120));
/// assert_eq!(policy.max_attempts, 6);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 turns retries off.
    pub max_attempts: u32,
    /// The first wait before jitter.
    pub initial_backoff: Duration,
    /// The longest wait before jitter.
    pub max_backoff: Duration,
    /// The time budget for a call, waits included.
    pub max_elapsed: Duration,
    /// Statuses retried besides 429 and 503 (a gateway's 502 or 504, say).
    /// 429 and 503 say the server did not act on the request, so any
    /// request is sent again; these do not, so only an idempotent method
    /// (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`) or a call with an
    /// idempotency key is. Empty by default.
    pub retried_statuses: Vec<StatusCode>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(20),
            max_elapsed: Duration::from_secs(60),
            retried_statuses: Vec::new(),
        }
    }
}

impl RetryPolicy {
    /// No retries: every call is one attempt.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// At most `attempts` attempts in all, the first included; 1 turns
    /// retries off.
    #[must_use]
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// The first wait, before jitter.
    #[must_use]
    pub fn with_initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// The longest wait, before jitter.
    #[must_use]
    pub fn with_max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// The time budget for a call, waits included.
    #[must_use]
    pub fn with_max_elapsed(mut self, budget: Duration) -> Self {
        self.max_elapsed = budget;
        self
    }

    /// Retries `status` too, for a request that may be sent twice (see
    /// [`retried_statuses`](Self::retried_statuses)).
    #[must_use]
    pub fn with_retried_status(mut self, status: StatusCode) -> Self {
        if !self.retried_statuses.contains(&status) {
            self.retried_statuses.push(status);
        }
        self
    }

    /// Whether a response of `status` is tried again, for a request that
    /// may (`repeatable`) or may not be sent twice.
    pub(crate) fn retries(&self, status: StatusCode, repeatable: bool) -> bool {
        Self::retries_status(status) || (repeatable && self.retried_statuses.contains(&status))
    }

    /// Is this status worth another attempt, whatever the request? 429
    /// and 503, which say the server did not act on it.
    pub fn retries_status(status: StatusCode) -> bool {
        matches!(
            status,
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
        )
    }

    /// How long to wait before attempt `attempt + 1`, or `None` to stop.
    ///
    /// `attempt` counts from 1; `elapsed` is the time spent so far.
    pub fn delay(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        elapsed: Duration,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let wait = match retry_after {
            Some(wait) => wait,
            None => {
                let exponent = attempt.saturating_sub(1).min(16);
                let ceiling = self
                    .initial_backoff
                    .saturating_mul(1 << exponent)
                    .min(self.max_backoff);
                // Full jitter: spreads clients that failed together. The
                // fallible form, because a ceiling near Duration::MAX can round up.
                Duration::try_from_secs_f64(ceiling.as_secs_f64() * fastrand::f64())
                    .unwrap_or(ceiling)
            }
        };
        // Checked: a server's `Retry-After` can be as large as u64::MAX seconds.
        let deadline = elapsed.checked_add(wait)?;
        (deadline <= self.max_elapsed).then_some(wait)
    }
}

/// `Retry-After` as seconds or as an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(250),
            max_elapsed: Duration::from_secs(2),
            retried_statuses: Vec::new(),
        }
    }

    #[test]
    fn backoff_grows_and_is_capped_with_jitter() {
        let policy = policy();
        for _ in 0..100 {
            assert!(policy.delay(1, None, Duration::ZERO).unwrap() <= Duration::from_millis(100));
            assert!(policy.delay(2, None, Duration::ZERO).unwrap() <= Duration::from_millis(200));
            assert!(policy.delay(3, None, Duration::ZERO).unwrap() <= Duration::from_millis(250));
        }
    }

    #[test]
    fn attempts_and_time_are_bounded() {
        let policy = policy();
        assert_eq!(policy.delay(4, None, Duration::ZERO), None);
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(3)), Duration::ZERO),
            None
        );
        assert_eq!(
            policy.delay(
                1,
                Some(Duration::from_millis(500)),
                Duration::from_millis(1600)
            ),
            None
        );
        assert_eq!(RetryPolicy::disabled().delay(1, None, Duration::ZERO), None);
    }

    #[test]
    fn huge_waits_stop_retrying_instead_of_overflowing() {
        let policy = policy();
        let huge = Some(Duration::from_secs(u64::MAX));
        assert_eq!(policy.delay(1, huge, Duration::from_secs(1)), None);
        assert_eq!(policy.delay(1, huge, Duration::ZERO), None);
        let unbounded = RetryPolicy {
            max_backoff: Duration::MAX,
            initial_backoff: Duration::MAX,
            max_elapsed: Duration::MAX,
            max_attempts: 3,
            retried_statuses: Vec::new(),
        };
        // Jitter of a ceiling at Duration::MAX must neither panic nor exceed it.
        for _ in 0..100 {
            assert!(unbounded.delay(2, None, Duration::ZERO).is_some());
        }
    }

    #[test]
    fn retry_after_replaces_the_backoff() {
        assert_eq!(
            policy().delay(1, Some(Duration::from_secs(1)), Duration::ZERO),
            Some(Duration::from_secs(1))
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        let later = SystemTime::now() + Duration::from_secs(30);
        headers.insert(RETRY_AFTER, httpdate::fmt_http_date(later).parse().unwrap());
        let wait = retry_after(&headers).unwrap();
        assert!(
            wait > Duration::from_secs(25) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        headers.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn only_429_and_503_are_retried() {
        assert!(RetryPolicy::retries_status(StatusCode::TOO_MANY_REQUESTS));
        assert!(RetryPolicy::retries_status(StatusCode::SERVICE_UNAVAILABLE));
        for status in [400, 401, 404, 500, 502, 504] {
            assert!(!RetryPolicy::retries_status(
                StatusCode::from_u16(status).unwrap()
            ));
        }
    }
}
