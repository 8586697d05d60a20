//! Feed documents (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed) to [`NewItem`]s: feed-rs does the parsing
//! on UTF-8 bytes prepared by [`super::charset`]; titles and links go through [`crate::text`]; dates end up
//! in UTC, missing ones fall back to the fetch time and future ones are clamped, both marked as estimated.

use crate::domain::NewItem;
use crate::text::{canonical_url, clean_title, title_hash};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashSet;

/// How far in the future a publication date may be before it is considered wrong and clamped.
pub const MAX_FUTURE: Duration = Duration::days(1);
/// Longest summary kept, in characters.
pub const MAX_SUMMARY_CHARS: usize = 1000;
/// Prefix of GUIDs we make up for entries that have none (never collides with a real id in practice).
const GENERATED_ID: &str = "hw-generated:";

/// A parsed feed.
#[derive(Debug, Default)]
pub struct ParsedFeed {
    pub title: Option<String>,
    /// Entries in the document (before dedup and the per-source cap).
    pub entries: usize,
    pub items: Vec<NewItem>,
    /// Entries dropped because they had neither a title nor a summary.
    pub untitled: usize,
}

/// Parses `utf8` (already transcoded) fetched from `base` at `fetched_at`.
pub fn parse(
    utf8: &[u8],
    base: &str,
    lang: Option<&str>,
    fetched_at: DateTime<Utc>,
    max_items: usize,
) -> Result<ParsedFeed, String> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(base))
        .id_generator(|_, _, _| GENERATED_ID.to_string())
        .build();
    let repaired = repair(utf8);
    let utf8: &[u8] = &repaired;
    // quick-xml asserts on some malformed declarations; one bad feed must not take the crawl down.
    let feed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.parse(utf8)))
        .map_err(|_| "not a feed: the XML parser gave up on this document".to_string())?
        .map_err(|e| format!("not a feed: {e}"))?;
    let mut out = ParsedFeed {
        title: feed.title.as_ref().map(|t| clean_title(&t.content)),
        entries: feed.entries.len(),
        ..ParsedFeed::default()
    };
    let feed_lang = feed.language.as_deref();
    let mut seen_urls = HashSet::new();
    let mut seen_guids = HashSet::new();
    for entry in feed.entries.into_iter().take(max_items) {
        let summary = entry
            .summary
            .as_ref()
            .map(|s| cap(&clean_title_uncapped(&s.content), MAX_SUMMARY_CHARS))
            .filter(|s| !s.is_empty());
        let title = entry
            .title
            .as_ref()
            .map(|t| clean_title(&t.content))
            .filter(|t| !t.is_empty())
            .or_else(|| summary.as_deref().map(clean_title));
        let Some(title) = title else {
            out.untitled += 1;
            continue;
        };
        let link = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or_else(|| entry.links.first())
            .map(|l| resolve(base, &l.href));
        let canonical = link.as_deref().and_then(canonical_url);
        let guid = if entry.id.is_empty() || entry.id == GENERATED_ID {
            // No id in the document: one made from what identifies the story, stable across fetches.
            let key = format!(
                "{}\n{}",
                canonical.as_deref().unwrap_or(""),
                title_hash(&title)
            );
            format!(
                "{GENERATED_ID}{}",
                &blake3::hash(key.as_bytes()).to_hex()[..32]
            )
        } else {
            entry.id.clone()
        };
        if let Some(c) = &canonical {
            if !seen_urls.insert(c.clone()) {
                continue;
            }
        }
        if !seen_guids.insert(guid.clone()) {
            continue;
        }
        let (published_at, published_estimated) =
            settle_date(entry.published.or(entry.updated), fetched_at, &title);
        let item_lang =
            crate::text::item_lang(lang.or(entry.language.as_deref()).or(feed_lang), &title);
        out.items.push(NewItem {
            title,
            url: link,
            canonical_url: canonical,
            guid: Some(guid),
            summary,
            published_at,
            published_estimated,
            lang: item_lang,
        });
    }
    Ok(out)
}

/// Atom 0.3's namespace, which feed-rs does not know; its elements are Atom 1.0's for our purposes.
const ATOM03_NS: &str = "http://purl.org/atom/ns#";
const ATOM10_NS: &str = "http://www.w3.org/2005/Atom";

/// Best-effort repairs before parsing: a document cut off inside its final end tag (`</rss`) gets its `>`,
/// and the Atom 0.3 namespace is read as Atom 1.0 (the elements we use are the same).
fn repair(doc: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let mut out = std::borrow::Cow::Borrowed(doc);
    let trimmed = doc.trim_ascii_end();
    if let Some(lt) = trimmed.iter().rposition(|b| *b == b'<') {
        let tail = &trimmed[lt..];
        if tail.starts_with(b"</")
            && tail.len() > 2
            && tail[2..]
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b':')
        {
            let mut v = trimmed.to_vec();
            v.push(b'>');
            out = std::borrow::Cow::Owned(v);
        }
    }
    let head_len = out.len().min(4096);
    let head = String::from_utf8_lossy(&out[..head_len]).into_owned();
    if head.contains(ATOM03_NS) {
        // Atom 0.3 also wrote content types as MIME types, which feed-rs rejects.
        let text = String::from_utf8_lossy(&out)
            .replace(ATOM03_NS, ATOM10_NS)
            .replace("type=\"text/plain\"", "type=\"text\"")
            .replace("type=\"text/html\"", "type=\"html\"")
            .replace("type=\"application/xhtml+xml\"", "type=\"xhtml\"");
        out = std::borrow::Cow::Owned(text.into_bytes());
    }
    if let Some(fixed) = rss_version(&head) {
        let text = String::from_utf8_lossy(&out).replacen(&fixed.0, &fixed.1, 1);
        out = std::borrow::Cow::Owned(text.into_bytes());
    }
    if out.trim_ascii_start().starts_with(b"{") {
        if let Some(fixed) = json_feed_version(&out) {
            out = std::borrow::Cow::Owned(fixed);
        }
    }
    out
}

/// feed-rs reads `<rss>` only with version 2.0, 0.91 or 0.92; RSS 0.93, 0.94, 2.01 and version-less
/// documents are RSS 2.0 for our purposes. Returns the root start tag and its replacement.
fn rss_version(head: &str) -> Option<(String, String)> {
    let start = head
        .match_indices("<rss")
        .map(|(i, _)| i)
        .find(|&i| head[i + 4..].starts_with(|c: char| c.is_whitespace() || c == '>'))?;
    let end = start + head[start..].find('>')?;
    let tag = &head[start..=end];
    let version = tag.split_once("version=").map(|(_, v)| {
        v.trim_start_matches(['"', '\''])
            .split(['"', '\''])
            .next()
            .unwrap_or("")
    });
    match version {
        Some("2.0" | "0.91" | "0.92") => None,
        Some(v) => Some((
            tag.to_string(),
            tag.replacen(&format!("version=\"{v}\""), "version=\"2.0\"", 1)
                .replacen(&format!("version='{v}'"), "version=\"2.0\"", 1),
        )),
        None => Some((
            tag.to_string(),
            tag.replacen("<rss", "<rss version=\"2.0\"", 1),
        )),
    }
}

/// JSON Feeds in the wild write `"version": "1.1"` instead of the spec's URL, which feed-rs rejects.
fn json_feed_version(doc: &[u8]) -> Option<Vec<u8>> {
    let mut value: serde_json::Value = serde_json::from_slice(doc).ok()?;
    let version = value.get("version")?.as_str()?;
    if version.starts_with("https://jsonfeed.org/") {
        return None;
    }
    let fixed = if version.starts_with('1') && version != "1" && version != "1.0" {
        "https://jsonfeed.org/version/1.1"
    } else {
        "https://jsonfeed.org/version/1"
    };
    value["version"] = serde_json::Value::String(fixed.into());
    serde_json::to_vec(&value).ok()
}

/// A date in UTC and whether it is our estimate: missing dates become the fetch time, dates more than
/// [`MAX_FUTURE`] ahead are clamped to it (a wrong server clock or time zone, usually).
pub fn settle_date(
    date: Option<DateTime<Utc>>,
    fetched_at: DateTime<Utc>,
    title: &str,
) -> (DateTime<Utc>, bool) {
    match date {
        None => {
            tracing::debug!(title, "no publication date; using the fetch time");
            (fetched_at, true)
        }
        Some(d) if d > fetched_at + MAX_FUTURE => {
            tracing::warn!(title, date = %d, "publication date is in the future; clamped to the fetch time");
            (fetched_at, true)
        }
        Some(d) => (d, false),
    }
}

/// An href made absolute against the document URL (feed-rs resolves `xml:base`, not the fetch URL).
pub fn resolve(base: &str, href: &str) -> String {
    let href = href.trim();
    match url::Url::parse(base).and_then(|b| b.join(href)) {
        Ok(u) => u.to_string(),
        Err(_) => href.to_string(),
    }
}

fn clean_title_uncapped(s: &str) -> String {
    let stripped = crate::text::strip_tags(s);
    let decoded = html_escape::decode_html_entities(&stripped);
    crate::text::collapse_whitespace(&decoded)
}

fn cap(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((cut, _)) => format!("{}…", s[..cut].trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>T &amp; Co</title>
<item><title>One</title><link>https://ex.example/a?utm_source=x</link><pubDate>Mon, 09 Jun 2025 08:30:00 +0300</pubDate></item>
<item><title>One again</title><link>https://ex.example/a</link></item>
<item><title>Future</title><link>https://ex.example/f</link><pubDate>Mon, 09 Jun 2099 08:30:00 +0000</pubDate></item>
<item><description>only a summary</description></item>
</channel></rss>"#;

    #[test]
    fn parses_dedups_and_settles_dates() {
        let now = Utc::now();
        let f = parse(
            RSS.as_bytes(),
            "https://ex.example/rss",
            Some("en"),
            now,
            100,
        )
        .unwrap();
        assert_eq!(f.title.as_deref(), Some("T & Co"));
        assert_eq!(f.entries, 4);
        assert_eq!(f.items.len(), 3, "{:?}", f.items);
        let first = &f.items[0];
        assert_eq!(first.canonical_url.as_deref(), Some("https://ex.example/a"));
        assert_eq!(first.published_at.to_rfc3339(), "2025-06-09T05:30:00+00:00");
        assert!(!first.published_estimated);
        assert!(f.items[1].published_estimated);
        assert_eq!(f.items[1].published_at, now);
        assert_eq!(f.items[2].title, "only a summary");
        // Generated GUIDs are stable across parses.
        let again = parse(RSS.as_bytes(), "https://ex.example/rss", None, now, 100).unwrap();
        assert_eq!(f.items[2].guid, again.items[2].guid);
    }

    #[test]
    fn cap_on_items() {
        let f = parse(
            RSS.as_bytes(),
            "https://ex.example/rss",
            None,
            Utc::now(),
            1,
        )
        .unwrap();
        assert_eq!(f.items.len(), 1);
    }
}
