//! HTML pages: headline links picked by a source's CSS selector (`kind = "page"`), feed autodiscovery
//! (`<link rel="alternate" type="application/rss+xml">` on a page configured as a feed), and the small
//! part of robots.txt we need (groups for our user agent or `*`, `Allow`/`Disallow` prefixes, longest
//! match wins).

use super::feed::resolve;
use crate::domain::NewItem;
use crate::text::{canonical_url, clean_title};
use chrono::{DateTime, Utc};
use scraper::{Html, Selector};
use std::collections::HashSet;

/// Headline links matched by `selector`: the element's text (or, when the match is not itself a link, the
/// text of the first link inside it) and its absolute URL.
pub fn extract_links(
    html: &str,
    base: &str,
    selector: &str,
    lang: Option<&str>,
    fetched_at: DateTime<Utc>,
    max_items: usize,
) -> Result<(usize, Vec<NewItem>), String> {
    let sel =
        Selector::parse(selector).map_err(|e| format!("bad CSS selector {selector:?}: {e}"))?;
    let a = Selector::parse("a[href]").map_err(|e| e.to_string())?;
    let doc = Html::parse_document(html);
    let mut seen = HashSet::new();
    let mut items = Vec::new();
    let mut matched = 0;
    for el in doc.select(&sel) {
        matched += 1;
        let link_el = if el.value().name() == "a" {
            Some(el)
        } else {
            el.select(&a).next()
        };
        let Some(href) = link_el.and_then(|l| l.value().attr("href")) else {
            continue;
        };
        let text: String = el.text().collect::<Vec<_>>().join(" ");
        let title = clean_title(&text);
        if title.is_empty() {
            continue;
        }
        let url = resolve(base, href);
        let Some(canonical) = canonical_url(&url) else {
            continue;
        };
        if !seen.insert(canonical.clone()) {
            continue;
        }
        let item_lang = crate::text::item_lang(lang, &title);
        items.push(NewItem {
            title,
            url: Some(url),
            canonical_url: Some(canonical.clone()),
            guid: Some(canonical),
            summary: None,
            published_at: fetched_at,
            published_estimated: true,
            lang: item_lang,
        });
        if items.len() >= max_items {
            break;
        }
    }
    Ok((matched, items))
}

/// Feed URLs a page advertises, in document order, made absolute.
pub fn discover_feeds(html: &str, base: &str) -> Vec<String> {
    let Ok(sel) = Selector::parse("link[rel~=alternate][href]") else {
        return Vec::new();
    };
    let doc = Html::parse_document(html);
    doc.select(&sel)
        .filter(|l| {
            let t = l.value().attr("type").unwrap_or("").to_ascii_lowercase();
            t.contains("rss") || t.contains("atom") || t.contains("feed+json")
        })
        .filter_map(|l| l.value().attr("href"))
        .map(|h| resolve(base, h))
        .collect()
}

/// True when the bytes look like an HTML document rather than a feed.
pub fn looks_like_html(body: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&body[..body.len().min(2048)]).to_ascii_lowercase();
    head.contains("<html") || head.contains("<!doctype html")
}

/// The rules of robots.txt that apply to us.
#[derive(Debug, Default, Clone)]
pub struct Robots {
    /// (allow?, path prefix)
    rules: Vec<(bool, String)>,
}

impl Robots {
    /// Parses robots.txt, keeping the group for `agent` (product token, case-insensitive) if there is
    /// one, else the `*` group.
    pub fn parse(text: &str, agent: &str) -> Robots {
        let token = agent
            .split('/')
            .next()
            .unwrap_or(agent)
            .trim()
            .to_ascii_lowercase();
        let mut specific: Vec<(bool, String)> = Vec::new();
        let mut star: Vec<(bool, String)> = Vec::new();
        let mut have_specific = false;
        let mut agents: Vec<String> = Vec::new();
        let mut in_rules = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if in_rules {
                        agents.clear();
                        in_rules = false;
                    }
                    agents.push(value.to_ascii_lowercase());
                }
                "allow" | "disallow" => {
                    in_rules = true;
                    if value.is_empty() {
                        continue;
                    }
                    let rule = (key == "allow", value.to_string());
                    if agents
                        .iter()
                        .any(|a| !token.is_empty() && a.contains(&token))
                    {
                        have_specific = true;
                        specific.push(rule.clone());
                    }
                    if agents.iter().any(|a| a == "*") {
                        star.push(rule);
                    }
                }
                _ => {}
            }
        }
        Robots {
            rules: if have_specific { specific } else { star },
        }
    }

    /// Whether `path` (path and query of a URL) may be fetched.
    pub fn allowed(&self, path: &str) -> bool {
        self.rules
            .iter()
            .filter(|(_, prefix)| matches_rule(path, prefix))
            .max_by_key(|(allow, prefix)| (prefix.len(), *allow))
            .is_none_or(|(allow, _)| *allow)
    }
}

/// Prefix match with the `*` wildcard and the `$` end anchor of the de-facto standard (RFC 9309).
fn matches_rule(path: &str, pattern: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut pos = 0;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            if !path.starts_with(part) {
                return false;
            }
            pos = part.len();
        } else {
            match path[pos..].find(part) {
                Some(at) => pos += at + part.len(),
                None => return false,
            }
        }
    }
    !anchored || pos == path.len() || pattern.ends_with('*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selector_links_are_absolute_and_unique() {
        let html = r#"<html><body><h2 class="t"><a href="/news/1?utm_source=x">Первая &amp; новость</a></h2>
            <h2 class="t"><a href="/news/1">dup</a></h2><h2 class="t"><a href="https://o.example/2"> Second </a></h2></body></html>"#;
        let (matched, items) = extract_links(
            html,
            "https://ex.example/list",
            "h2.t",
            None,
            Utc::now(),
            10,
        )
        .unwrap();
        assert_eq!(matched, 3);
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].title, "Первая & новость");
        assert_eq!(
            items[0].canonical_url.as_deref(),
            Some("https://ex.example/news/1")
        );
        assert_eq!(items[1].title, "Second");
    }

    #[test]
    fn autodiscovery() {
        let html = r#"<html><head><link rel="stylesheet" href="/s.css">
            <link rel="alternate" type="application/rss+xml" href="/rss.xml"></head></html>"#;
        assert_eq!(
            discover_feeds(html, "https://ex.example/a/"),
            vec!["https://ex.example/rss.xml"]
        );
    }

    #[test]
    fn robots_rules() {
        let r = Robots::parse(
            "User-agent: *\nDisallow: /private\nAllow: /private/ok\n\nUser-agent: other\nDisallow: /",
            "headline-watch/0.1",
        );
        assert!(r.allowed("/news"));
        assert!(!r.allowed("/private/x"));
        assert!(r.allowed("/private/ok/1"));
        let r = Robots::parse(
            "User-agent: headline-watch\nDisallow: /\n\nUser-agent: *\nDisallow:",
            "headline-watch/0.1 (+x)",
        );
        assert!(!r.allowed("/news"));
        assert!(Robots::parse("", "x").allowed("/"));
        assert!(!Robots::parse("User-agent: *\nDisallow: /*.php$", "x").allowed("/a.php"));
    }
}
