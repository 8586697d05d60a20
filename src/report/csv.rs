//! The CSV report: one row per flagged headline, for spreadsheets. UTF-8 with a byte-order mark (so Excel
//! reads Cyrillic correctly), CRLF rows, RFC 4180 quoting, and every text cell that a spreadsheet would read
//! as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) neutralised with a leading `'`.

use super::ReportModel;

const BOM: &str = "\u{feff}";
const HEADER: [&str; 14] = [
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

/// Renders the flagged headlines as CSV.
pub fn render(m: &ReportModel) -> String {
    let mut out = String::from(BOM);
    out.push_str(&HEADER.join(","));
    out.push_str("\r\n");
    for e in &m.flagged {
        let r = &e.review;
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
