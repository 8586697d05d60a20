//! The CSV report: one row per flagged headline (then one per headline corrected in the period, with
//! its correction status and title history), for spreadsheets. UTF-8 with a byte-order mark (so Excel
//! reads Cyrillic correctly), CRLF rows, RFC 4180 quoting, and every text cell that a spreadsheet would read
//! as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) neutralised with a leading `'`.

use super::corrections::VersionInfo;
use super::ReportModel;

const BOM: &str = "\u{feff}";
const HEADER: [&str; 17] = [
    "item_id",
    "published_at",
    "fetched_at",
    "outlet",
    "lang",
    "title",
    "url",
    "label",
    "p_misleading",
    "review_status",
    "review_label",
    "reviewer",
    "review_note",
    "reasons",
    // Follow-up columns (appended, so positional readers keep working).
    "correction_status",
    "changed_at",
    "title_history",
];

/// One text cell: neutralised, then quoted when it holds a comma, quote or line break.
pub fn cell(s: &str) -> String {
    let neutral = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

/// Every wording of a headline, one per line: `first seen: title`.
fn history(versions: &[VersionInfo]) -> String {
    versions
        .iter()
        .map(|v| format!("{}: {}", v.first_seen, v.title))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Renders the flagged headlines as CSV, then the period's corrected headlines (no longer flagged, so
/// not among them), each with its correction status and title history.
pub fn render(m: &ReportModel) -> String {
    let mut out = String::from(BOM);
    out.push_str(&HEADER.join(","));
    out.push_str("\r\n");
    let change = |id: i64| m.followup.corrections.iter().find(|c| c.item_id == id);
    for e in &m.flagged {
        let r = &e.review;
        let c = change(e.item_id);
        let row = [
            e.item_id.to_string(),
            cell(&e.published_at),
            cell(&e.fetched_at),
            cell(&e.source),
            cell(e.lang.as_deref().unwrap_or("")),
            cell(&e.title),
            cell(e.url.as_deref().unwrap_or("")),
            cell(e.label.as_str()),
            format!("{:.4}", e.p_misleading),
            cell(r.status),
            cell(r.label.map(|l| l.as_str()).unwrap_or("")),
            cell(r.reviewer.as_deref().unwrap_or("")),
            cell(r.note.as_deref().unwrap_or("")),
            cell(&e.reasons.join("; ")),
            cell(c.map(|c| c.status.as_str()).unwrap_or("")),
            cell(c.map(|c| c.changed_at.as_str()).unwrap_or("")),
            cell(&history(&e.versions)),
        ];
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    for c in &m.followup.corrections {
        if m.flagged.iter().any(|e| e.item_id == c.item_id) {
            continue;
        }
        let latest = c.versions.last();
        let row = [
            c.item_id.to_string(),
            cell(&c.published_at),
            String::new(),
            cell(&c.source),
            cell(c.lang.as_deref().unwrap_or("")),
            cell(&c.after),
            cell(c.url.as_deref().unwrap_or("")),
            cell(
                latest
                    .and_then(|v| v.label)
                    .map(|l| l.as_str())
                    .unwrap_or(""),
            ),
            latest
                .and_then(|v| v.p_misleading)
                .map(|p| format!("{p:.4}"))
                .unwrap_or_default(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            cell(c.status.as_str()),
            cell(&c.changed_at),
            cell(&history(&c.versions)),
        ];
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_quoting_is_rfc4180() {
        assert_eq!(
            cell("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("\rx"), "\"'\rx\"");
        assert_eq!(cell("a, b"), "\"a, b\"");
        assert_eq!(cell("Визы"), "Визы");
    }
}
