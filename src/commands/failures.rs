//! What a crawl prints about the sources that failed or were held back: one line per source, except
//! that many sources failing for the same reason (offline: every source fails to resolve DNS) make one
//! line that says what they have in common and what to check, instead of a screenful of the same error.

use headline_watch::text::collapse_whitespace as shown;

/// This many sources sharing a cause are summarised in one line.
const GROUP_MIN: usize = 3;
/// Names listed in a summary line before "and N more".
const NAMES_SHOWN: usize = 5;

/// A cause many sources can share, recognised in the error text.
struct Cause {
    /// The error text contains one of these (lower case).
    needles: &'static [&'static str],
    /// "N of M sources {what}".
    what: &'static str,
    /// What to check.
    hint: &'static str,
}

const CAUSES: &[Cause] = &[
    Cause {
        needles: &[
            "dns error",
            "failed to lookup address",
            "name or service not known",
        ],
        what: "failed to resolve DNS",
        hint: "is the network up?",
    },
    Cause {
        needles: &["connection refused"],
        what: "were refused a connection",
        hint: "is the network, a firewall or a proxy blocking them?",
    },
    Cause {
        needles: &["network is unreachable", "no route to host"],
        what: "found no route to their hosts",
        hint: "is the network up?",
    },
    Cause {
        needles: &["timed out", "deadline reached"],
        what: "timed out",
        hint: "is the network slow or down?",
    },
    Cause {
        needles: &["certificate", "tls handshake", "invalid peer"],
        what: "failed the TLS handshake",
        hint: "is the system clock right, or is a proxy intercepting TLS?",
    },
];

fn cause_of(error: &str) -> Option<usize> {
    let lower = error.to_lowercase();
    CAUSES
        .iter()
        .position(|c| c.needles.iter().any(|n| lower.contains(n)))
}

/// Failures and held-back sources of one crawl, printed at its end.
#[derive(Default)]
pub struct FailureLog {
    failed: Vec<(String, String)>,
    held_back: Vec<(String, String)>,
}

impl FailureLog {
    pub fn failed(&mut self, name: &str, error: &str) {
        self.failed.push((shown(name), shown(error)));
    }

    pub fn held_back(&mut self, name: &str, reason: &str) {
        self.held_back.push((shown(name), shown(reason)));
    }

    /// The lines to print: failures (errors, shown even with `-q`), then held-back sources (warnings).
    pub fn lines(&self, attempted: usize) -> (Vec<String>, Vec<String>) {
        let mut errors = Vec::new();
        let mut groups: Vec<Vec<&str>> = vec![Vec::new(); CAUSES.len()];
        let mut single = Vec::new();
        for (name, error) in &self.failed {
            match cause_of(error) {
                Some(i) => groups[i].push(name),
                None => single.push((name, error)),
            }
        }
        for (i, names) in groups.iter().enumerate() {
            if names.len() >= GROUP_MIN {
                let c = &CAUSES[i];
                errors.push(format!(
                    "headline-watch: {} of {attempted} sources {} ({}): {}",
                    names.len(),
                    c.what,
                    list(names),
                    c.hint
                ));
            } else {
                for (name, error) in self
                    .failed
                    .iter()
                    .filter(|(n, _)| names.contains(&n.as_str()))
                {
                    errors.push(format!("headline-watch: {name}: {error}"));
                }
            }
        }
        for (name, error) in single {
            errors.push(format!("headline-watch: {name}: {error}"));
        }
        let warnings = if self.held_back.len() >= GROUP_MIN {
            let names: Vec<&str> = self.held_back.iter().map(|(n, _)| n.as_str()).collect();
            vec![format!(
                "{} sources held back by backoff or Retry-After ({}); `crawl --force` fetches them now",
                names.len(),
                list(&names)
            )]
        } else {
            self.held_back
                .iter()
                .map(|(name, reason)| format!("{name}: {reason}"))
                .collect()
        };
        (errors, warnings)
    }
}

fn list(names: &[&str]) -> String {
    let mut s = names
        .iter()
        .take(NAMES_SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > NAMES_SHOWN {
        s.push_str(&format!(" and {} more", names.len() - NAMES_SHOWN));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_cause_is_one_line_others_stay_apart() {
        let mut log = FailureLog::default();
        for i in 0..24 {
            log.failed(
                &format!("s{i}"),
                "error sending request: dns error: failed to lookup address information",
            );
        }
        log.failed("odd", "HTTP 500");
        let (errors, _) = log.lines(25);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("headline-watch: 24 of 25 sources failed to resolve DNS (s0, s1, s2, s3, s4 and 19 more): is the network up?"), "{errors:?}");
        assert_eq!(errors[1], "headline-watch: odd: HTTP 500");
    }
}
