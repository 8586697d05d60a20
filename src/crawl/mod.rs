//! The crawler: fetch (reqwest, conditional GET, per-host politeness, retries, size/time caps), charset
//! detection, feed parsing (feed-rs), HTML page sources (scraper) and scheduling. Produces
//! [`crate::domain::NewItem`]s per source; the binary stores them.
