//! The report period: `--since`/`--until` parsing (a `YYYY-MM-DD` date is UTC midnight, otherwise
//! RFC 3339) and the defaults (since the previous report, else the last 24 hours; until now).

use chrono::{DateTime, Duration, DurationRound, NaiveDate, Utc};

/// How far back a report reaches when there is no previous report.
pub const DEFAULT_LOOKBACK: Duration = Duration::hours(24);

/// `t` rounded up to the next whole second. Stored times have whole seconds, so a period ending "now"
/// must end after every time stored this second, or an item fetched a moment before would fall between
/// this report and the next.
pub fn ceil_to_second(t: DateTime<Utc>) -> DateTime<Utc> {
    match t.duration_trunc(Duration::seconds(1)) {
        Ok(floor) if floor == t => t,
        Ok(floor) => floor + Duration::seconds(1),
        Err(_) => t,
    }
}

/// Parses one bound. The error names the value and the accepted forms.
pub fn parse_bound(s: &str) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        if let Some(t) = d.and_hms_opt(0, 0, 0) {
            return Ok(t.and_utc());
        }
    }
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            format!("{s:?} is not a date (YYYY-MM-DD, UTC midnight) or an RFC 3339 timestamp (2025-06-09T08:00:00Z)")
        })
}

/// Resolves the period from the flags, the previous report's end and the current time.
pub fn resolve(
    since: Option<&str>,
    until: Option<&str>,
    previous_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), String> {
    let (until, until_is_now) = match until {
        Some(u) => (parse_bound(u).map_err(|e| format!("--until: {e}"))?, false),
        None => (ceil_to_second(now), true),
    };
    let since = match since {
        Some(s) => parse_bound(s).map_err(|e| format!("--since: {e}"))?,
        None => default_since(previous_until, until, until_is_now),
    };
    if since >= until {
        return Err(format!(
            "the period is empty: --since {} is not before --until {}",
            crate::store::fmt_time(since),
            crate::store::fmt_time(until)
        ));
    }
    Ok((since, until))
}

/// Since the previous report, else [`DEFAULT_LOOKBACK`] before `until`. A period ending now never
/// starts later than one second before it (two reports in the same second); a period ending in the past
/// before the previous report falls back to the lookback.
pub fn default_since(
    previous_until: Option<DateTime<Utc>>,
    until: DateTime<Utc>,
    until_is_now: bool,
) -> DateTime<Utc> {
    match previous_until {
        Some(p) if p < until => p,
        Some(p) if until_is_now => p.min(until - Duration::seconds(1)),
        _ => until - DEFAULT_LOOKBACK,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        parse_bound(s).unwrap()
    }

    #[test]
    fn dates_are_utc_midnight_and_rfc3339_is_converted() {
        assert_eq!(t("2025-06-09"), t("2025-06-09T00:00:00Z"));
        assert_eq!(t("2025-06-09T08:00:00+05:00"), t("2025-06-09T03:00:00Z"));
        assert!(parse_bound("09.06.2025").unwrap_err().contains("RFC 3339"));
    }

    #[test]
    fn now_is_rounded_up_to_a_whole_second() {
        let t0 = t("2025-06-10T06:00:00Z");
        assert_eq!(ceil_to_second(t0), t0);
        assert_eq!(
            ceil_to_second(t0 + Duration::milliseconds(300)),
            t("2025-06-10T06:00:01Z")
        );
    }

    #[test]
    fn defaults_follow_previous_report_else_24h() {
        let now = t("2025-06-10T06:00:00Z");
        assert_eq!(
            resolve(None, None, None, now).unwrap(),
            (t("2025-06-09T06:00:00Z"), now)
        );
        let prev = t("2025-06-09T20:00:00Z");
        assert_eq!(resolve(None, None, Some(prev), now).unwrap(), (prev, now));
        assert!(resolve(Some("2025-06-11"), None, None, now).is_err());
        // A previous report ending this very second: the next one still starts there.
        assert_eq!(
            resolve(None, None, Some(now), now).unwrap().0,
            now - Duration::seconds(1)
        );
        assert_eq!(
            resolve(Some("2025-06-01"), Some("2025-06-02"), Some(prev), now).unwrap(),
            (t("2025-06-01"), t("2025-06-02"))
        );
    }
}
