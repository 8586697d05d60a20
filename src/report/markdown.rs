//! The Markdown report. Untrusted text (titles, outlet names, reasons, notes, error texts) goes through
//! [`escape`], which backslash-escapes the characters of Markdown syntax, so a title can never open a
//! link, an emphasis, a heading, a table cell or raw HTML, nor, under GitHub-flavoured Markdown, become
//! an autolink (`https://…`, `www.…`, `name@host`, `mailto:`/`xmpp:`). Links are only written for
//! http(s) URLs. List items are numbered `N.` with their details indented to the item's content column,
//! so item 10 and beyond keep their sub-lists.

use super::{cite, percent, Entry, ReportModel};
use std::fmt::Write;

/// Characters that open Markdown syntax anywhere in a line (emphasis, code, links, images, tables,
/// headings, strikethrough, HTML blocks); they get a backslash (CommonMark lets any ASCII punctuation be
/// escaped).
const SPECIAL: &str = "\\`*_[](){}#|!~";

/// Escapes untrusted text for Markdown: `<`, `>` and `&` become entities (so even a renderer that is not
/// CommonMark never sees a tag), Markdown syntax characters get a backslash, a leading `-`, `+`, `=` or
/// `.` is escaped so the text cannot start a list or heading underline, line breaks become spaces. What
/// GFM's autolink extension keys on is escaped too, so it links nothing: every `@` (`user@host`, and so
/// `mailto:`/`xmpp:` addresses), a `:` before `/` (`https://`) and a `.` inside a word (`www.host`).
/// Escaped, they are plain text to every CommonMark renderer and no autolink forms across them.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().enumerate().peekable();
    while let Some((i, ch)) = chars.next() {
        let next = chars.peek().map(|(_, n)| *n);
        let autolink = match ch {
            '@' => true,
            ':' => next == Some('/'),
            '.' => next.is_some_and(char::is_alphanumeric),
            _ => false,
        };
        match ch {
            '\n' | '\r' | '\t' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if SPECIAL.contains(c) || autolink || (i == 0 && "-+=.".contains(c)) => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A link target safe inside `(...)`: only for URLs already checked as http(s), with parentheses and
/// angle brackets percent-encoded.
fn link_target(href: &str) -> String {
    href.replace('(', "%28")
        .replace(')', "%29")
        .replace('<', "%3C")
        .replace('>', "%3E")
        .replace(' ', "%20")
}

pub(crate) fn link(text: &str, href: Option<&str>) -> String {
    match href {
        Some(h) => format!("[{}]({})", escape(text), link_target(h)),
        None => escape(text),
    }
}

fn entry(out: &mut String, n: usize, e: &Entry) {
    let _ = writeln!(out, "{n}. **{}**", link(&e.title, e.href.as_deref()));
    // A sub-list belongs to the item only when indented to the item's content: "10. " is 4 wide.
    let pad = " ".repeat(n.to_string().len() + 2);
    let _ = write!(
        out,
        "{pad}- {} · {} · published {}{} · fetched {}\n{pad}- {}",
        escape(&e.source),
        escape(e.lang.as_deref().unwrap_or("?")),
        e.published_at,
        if e.published_estimated {
            " (estimated)"
        } else {
            ""
        },
        e.fetched_at,
        super::score_text(e),
    );
    if !e.reasons.is_empty() {
        let reasons: Vec<String> = e.reasons.iter().map(|r| escape(r)).collect();
        let _ = write!(out, "; reasons: {}", reasons.join(", "));
    }
    out.push('\n');
    if e.href.is_none() {
        if let Some(u) = &e.url {
            let _ = writeln!(
                out,
                "{pad}- link (not http/https, not linked): {}",
                escape(u)
            );
        }
    }
    let r = &e.review;
    let _ = write!(out, "{pad}- review: {}", r.status);
    if r.status == "missed" {
        out.push_str(" (the model did not flag it)");
    }
    if let Some(l) = r.label {
        let _ = write!(out, " as {l}");
    }
    if let Some(who) = &r.reviewer {
        let _ = write!(out, " by {}", escape(who));
    }
    if let Some(note) = &r.note {
        let _ = write!(out, " — {}", escape(note));
    }
    out.push_str("\n\n");
}

/// Renders the report as Markdown.
pub fn render(m: &ReportModel) -> String {
    let mut out = String::new();
    let s = &m.summary;
    let _ = writeln!(
        out,
        "# headline-watch report: {}\n\nPeriod {} to {} (UTC). Generated {}.\n",
        escape(&m.narrative_id),
        m.since,
        m.until,
        m.generated_at
    );
    let _ = writeln!(
        out,
        "**Misleading claim watched for:** {}\n",
        escape(&m.claim)
    );
    out.push_str("## Summary\n\n");
    let _ = writeln!(
        out,
        "- Sources crawled: {}; failed: {}; held back: {}\n- Headlines seen: {} (classified: {})\n- Flagged: {} (confirmed by a reviewer: {}{}, unreviewed: {}; rejected by a reviewer: {})\n- Rebuttals: {}",
        s.sources_crawled, s.sources_failed, s.sources_held_back, s.items_seen, s.items_classified, s.items_flagged,
        s.confirmed,
        if s.missed > 0 { format!(", missed by the model and marked misleading by a reviewer: {}", s.missed) } else { String::new() },
        s.unreviewed, s.corrected, s.rebuttals
    );
    if let Some(r) = m.model.as_ref().and_then(|mi| mi.real_rows.as_deref()) {
        let _ = writeln!(out, "- Model on real published headlines: {}", escape(r));
    }
    match &m.model {
        Some(mi) => {
            let f = |x: Option<f64>| x.map(percent).unwrap_or_else(|| "n/a".into());
            let _ = writeln!(
                out,
                "- Model {} ({}): macro-F1 {}, misleading precision {}, recall {} (cross-validated); flag threshold {}{}",
                escape(&mi.version),
                escape(&mi.path),
                f(mi.macro_f1),
                f(mi.misleading_precision),
                f(mi.misleading_recall),
                percent(m.threshold),
                mi.note.as_deref().map(|n| format!(". {}", escape(n))).unwrap_or_default()
            );
        }
        None => {
            let _ = writeln!(
                out,
                "- Model: unknown; flag threshold {}",
                percent(m.threshold)
            );
        }
    }
    if m.model_versions.len() > 1 {
        let v: Vec<String> = m.model_versions.iter().map(|v| escape(v)).collect();
        let _ = writeln!(
            out,
            "- Classifications here come from several model versions: {}",
            v.join(", ")
        );
    }
    if !s.by_outlet.is_empty() {
        out.push_str("\n| Outlet | Headlines | Flagged |\n|---|---:|---:|\n");
        for c in &s.by_outlet {
            let _ = writeln!(out, "| {} | {} | {} |", escape(&c.name), c.items, c.flagged);
        }
        out.push_str("\n| Language | Headlines | Flagged |\n|---|---:|---:|\n");
        for c in &s.by_language {
            let _ = writeln!(out, "| {} | {} | {} |", escape(&c.name), c.items, c.flagged);
        }
    }
    if !m.failed_sources.is_empty() {
        out.push_str("\n### Sources that failed\n\n");
        for f in &m.failed_sources {
            let _ = writeln!(
                out,
                "- {} at {}: {}",
                escape(&f.source),
                f.at,
                escape(&f.error)
            );
        }
    }
    if !m.held_back_sources.is_empty() {
        out.push_str("\n### Sources held back (not crawled)\n\n");
        for h in &m.held_back_sources {
            let _ = writeln!(
                out,
                "- {} at {}: {}",
                escape(&h.source),
                h.at,
                escape(&h.reason)
            );
        }
    }

    out.push_str("\n## Flagged headlines\n\n");
    if m.flagged.is_empty() {
        out.push_str("Nothing was flagged in this period.\n\n");
    }
    for (i, e) in m.flagged.iter().enumerate() {
        entry(&mut out, i + 1, e);
    }
    out.push_str("## Headlines that rebut the narrative\n\n");
    if m.rebuttals.is_empty() {
        out.push_str("No rebuttals in this period.\n\n");
    }
    for (i, e) in m.rebuttals.iter().enumerate() {
        entry(&mut out, i + 1, e);
    }

    super::followup_md::render(&mut out, m);
    out.push_str("## The official position\n\n");
    for p in &m.positions {
        let _ = writeln!(out, "> {}\n", escape(&p.quote));
        if let Some(en) = p.quote_en.as_deref().filter(|en| *en != p.quote) {
            let _ = writeln!(out, "> *English:* {}\n", escape(en));
        }
        let _ = writeln!(
            out,
            "— {} ({})\n",
            escape(&cite(p)),
            link(&p.source_url, super::safe_url(&p.source_url).as_deref())
        );
    }
    out.push_str("## The facts\n\n");
    for f in &m.facts {
        let _ = writeln!(
            out,
            "- {} — source: {} ({}), {}",
            escape(&f.statement),
            escape(&f.source_name),
            link(&f.source_url, super::safe_url(&f.source_url).as_deref()),
            escape(&f.date)
        );
        if let Some(n) = &f.note {
            let _ = writeln!(out, "  - **Sources differ:** {}", escape(n));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_is_inert() {
        let e = escape("<script>alert(1)</script> [x](javascript:y) **b** # h | c");
        assert!(!e.contains("<script"));
        assert!(e.contains("&lt;script&gt;"));
        assert!(e.contains("\\[x\\]\\(javascript:y\\)"));
        assert_eq!(escape("- a"), "\\- a");
        assert_eq!(escape("a\nb"), "a b");
        assert_eq!(
            link("t", Some("https://x.example/a(b)")),
            "[t](https://x.example/a%28b%29)"
        );
    }
}
