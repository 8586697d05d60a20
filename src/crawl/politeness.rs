//! Politeness: how many requests may be in flight and when the next one to a host may start.
//!
//! # Architecture
//!
//! * [`Politeness`] holds one global [`Semaphore`] (requests in flight over all hosts) and a map of
//!   [`HostGate`]s, created on first use.
//! * A [`HostGate`] has its own semaphore (requests in flight to that host), the earliest instant the next
//!   request may start (`next_start`, advanced by the minimum interval at each start) and the instant until
//!   which the host asked us to stay away (`blocked_until`, set from a 429/503 `Retry-After`).
//! * [`Politeness::acquire`] returns a [`Permit`] holding both semaphore permits; dropping it frees them.
//!   The global permit is taken only after the host's interval has passed, so a slow host never holds up
//!   the global pool while waiting.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// Shared limits for one crawl.
pub struct Politeness {
    global: Arc<Semaphore>,
    per_host: usize,
    interval: Duration,
    hosts: Mutex<HashMap<String, Arc<HostGate>>>,
}

/// The per-host state.
pub struct HostGate {
    slots: Arc<Semaphore>,
    next_start: Mutex<Instant>,
    blocked_until: Mutex<Option<(Instant, chrono::DateTime<chrono::Utc>)>>,
}

/// Both permits for one request; dropping it releases them.
pub struct Permit {
    _host: OwnedSemaphorePermit,
    _global: OwnedSemaphorePermit,
}

/// Why a request could not be given a slot.
#[derive(Debug, Clone, Copy)]
pub struct HostBlocked {
    /// When the host said we may come back (UTC, for the database).
    pub until: chrono::DateTime<chrono::Utc>,
}

impl HostBlocked {
    /// A semaphore was closed (only when the crawl is shutting down): nothing to wait for.
    fn closed() -> HostBlocked {
        HostBlocked {
            until: chrono::Utc::now(),
        }
    }
}

impl Politeness {
    pub fn new(concurrency: usize, per_host: usize, interval: Duration) -> Politeness {
        Politeness {
            global: Arc::new(Semaphore::new(concurrency.max(1))),
            per_host: per_host.max(1),
            interval,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    fn gate(&self, host: &str) -> Arc<HostGate> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts
            .entry(host.to_string())
            .or_insert_with(|| {
                Arc::new(HostGate {
                    slots: Arc::new(Semaphore::new(self.per_host)),
                    next_start: Mutex::new(Instant::now()),
                    blocked_until: Mutex::new(None),
                })
            })
            .clone()
    }

    /// Waits for a slot to `host` (respecting the minimum interval). Fails at once when the host has
    /// asked, through `Retry-After`, to be left alone beyond this crawl's `deadline`; waits otherwise.
    pub async fn acquire(&self, host: &str, deadline: Instant) -> Result<Permit, HostBlocked> {
        let gate = self.gate(host);
        let host_permit = gate
            .slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| HostBlocked::closed())?;
        loop {
            let blocked = *gate.blocked_until.lock().unwrap_or_else(|p| p.into_inner());
            match blocked {
                Some((until, utc)) if until > Instant::now() => {
                    if until > deadline {
                        return Err(HostBlocked { until: utc });
                    }
                    tokio::time::sleep_until(until).await;
                }
                _ => break,
            }
        }
        let start = {
            let mut next = gate.next_start.lock().unwrap_or_else(|p| p.into_inner());
            let now = Instant::now();
            let start = (*next).max(now);
            *next = start + self.interval;
            start
        };
        tokio::time::sleep_until(start).await;
        let global = self
            .global
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| HostBlocked::closed())?;
        Ok(Permit {
            _host: host_permit,
            _global: global,
        })
    }

    /// Records a host-wide `Retry-After` (429/503): no request to `host` starts before `wait` has passed.
    pub fn block_host(&self, host: &str, wait: Duration) {
        let gate = self.gate(host);
        // A wait too long to represent is as good as "not in this crawl".
        let until = Instant::now()
            .checked_add(wait)
            .unwrap_or_else(|| Instant::now() + Duration::from_secs(30 * 24 * 3600));
        let utc = chrono::Utc::now()
            + chrono::Duration::from_std(wait).unwrap_or_else(|_| chrono::Duration::days(1));
        let mut b = gate.blocked_until.lock().unwrap_or_else(|p| p.into_inner());
        if b.is_none_or(|(old, _)| old < until) {
            *b = Some((until, utc));
        }
    }
}

/// Parses a `Retry-After` value: delay-seconds or an HTTP date. Unparseable values give `None`.
pub fn parse_retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let delta = when.with_timezone(&chrono::Utc) - now;
    Some(delta.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        let now = chrono::Utc::now();
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        let later = (now + chrono::Duration::seconds(60)).to_rfc2822();
        let d = parse_retry_after(&later, now).unwrap();
        assert!(d.as_secs() >= 59 && d.as_secs() <= 60, "{d:?}");
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn interval_spaces_requests_to_one_host() {
        let p = Politeness::new(4, 4, Duration::from_millis(100));
        let deadline = Instant::now() + Duration::from_secs(10);
        let t0 = Instant::now();
        let _a = p.acquire("h", deadline).await.unwrap();
        let _b = p.acquire("h", deadline).await.unwrap();
        let _c = p.acquire("other", deadline).await.unwrap();
        assert!(t0.elapsed() >= Duration::from_millis(100));
        assert!(t0.elapsed() < Duration::from_millis(200));
    }

    #[tokio::test(flavor = "current_thread")]
    async fn retry_after_beyond_deadline_fails_fast() {
        let p = Politeness::new(4, 4, Duration::ZERO);
        let deadline = Instant::now() + Duration::from_secs(10);
        p.block_host("h", Duration::from_secs(3600));
        assert!(p.acquire("h", deadline).await.is_err());
        assert!(p.acquire("other", deadline).await.is_ok());
    }
}
