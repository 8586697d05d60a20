//! The Markdown report's follow-up sections: corrections and edits of flagged headlines (both wordings,
//! time to correction), flagged headlines that disappeared, per-outlet correction figures, and how the
//! claim spread (first appearance, then the headlines that repeated it). Untrusted text goes through [`super::markdown::escape`] like the rest of the report.

use super::markdown::{escape, link};
use super::ReportModel;
use std::fmt::Write;

/// `12.5 h`, or `n/a`.
pub fn hours(h: Option<f64>) -> String {
    h.map(|h| format!("{h:.1} h"))
        .unwrap_or_else(|| "n/a".into())
}

/// Appends the follow-up sections to `out`.
pub fn render(out: &mut String, m: &ReportModel) {
    let f = &m.followup;
    out.push_str("## Corrections and edits\n\n");
    if f.corrections.is_empty() {
        out.push_str("No flagged headline was corrected or edited in this period.\n\n");
    }
    for (i, c) in f.corrections.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}. **{}** · {} · published {} · changed {}{}",
            i + 1,
            c.status.as_str(),
            escape(&c.source),
            c.published_at,
            c.changed_at,
            match c.hours_to_correction {
                Some(_) => format!(" · corrected after {}", hours(c.hours_to_correction)),
                None => String::new(),
            }
        );
        let _ = writeln!(out, "   - flagged wording: {}", escape(&c.before));
        let _ = writeln!(out, "   - now: {}", link(&c.after, c.href.as_deref()));
        if c.versions.len() > 2 {
            let history: Vec<String> = c
                .versions
                .iter()
                .map(|v| format!("{} ({})", escape(&v.title), v.first_seen))
                .collect();
            let _ = writeln!(out, "   - every wording: {}", history.join(" → "));
        }
        out.push('\n');
    }
    if !f.disappeared.is_empty() {
        out.push_str("### Flagged headlines that disappeared\n\n");
        out.push_str(
            "Removed from the outlet's feed; noted here, not counted as a correction.\n\n",
        );
        for d in &f.disappeared {
            let _ = writeln!(
                out,
                "- {}: {} · published {} · gone from the feed at {}",
                escape(&d.source),
                link(&d.title, d.href.as_deref()),
                d.published_at,
                d.gone_at
            );
        }
        out.push('\n');
    }
    if !f.outlets.is_empty() {
        out.push_str("### Corrections per outlet\n\n");
        out.push_str("Flagged headlines of this period and what became of them by its end.\n\n");
        out.push_str("| Outlet | Flagged | Corrected | Edited | Disappeared | Median time to correction |\n|---|---:|---:|---:|---:|---:|\n");
        for o in &f.outlets {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                escape(&o.outlet),
                o.flagged,
                o.corrected,
                o.edited,
                o.disappeared,
                hours(o.median_hours_to_correction)
            );
        }
        out.push('\n');
    }
    out.push_str("## How the claim spread\n\n");
    if f.spread.is_empty() {
        out.push_str("No flagged headline of this period was repeated near-identically.\n\n");
        return;
    }
    out.push_str(
        "Near-identical flagged headlines, grouped; the first is the earliest published.\n\n",
    );
    for (i, g) in f.spread.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}. First: **{}** · {} · published {} · repeated {} time(s) by {} outlet(s)",
            i + 1,
            link(&g.first.title, g.first.href.as_deref()),
            escape(&g.first.source),
            g.first.published_at,
            g.repeats.len(),
            g.outlets.len()
        );
        for r in &g.repeats {
            let _ = writeln!(
                out,
                "   - then {} · published {}: {}",
                escape(&r.source),
                r.published_at,
                link(&r.title, r.href.as_deref())
            );
        }
        out.push('\n');
    }
}
