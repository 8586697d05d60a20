//! The small inline SVG chart of the HTML report: flagged headlines per day and per outlet, as horizontal
//! bars. Plain SVG with text escaped, no scripts, no external references.

use super::Count;
use std::fmt::Write;

// Sized for 15px labels (the stylesheet's `.chart` font): readable even when a phone scales the chart
// down to its width.
const ROW: usize = 22;
const LABEL_W: usize = 190;
const BAR_W: usize = 230;

fn esc(s: &str) -> String {
    html_escape::encode_text(s).replace('"', "&quot;")
}

/// One bar chart titled `title` over `rows` (their `flagged` counts). Empty when there are no rows.
pub fn bars(title: &str, rows: &[Count]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let max = rows.iter().map(|r| r.flagged).max().unwrap_or(0).max(1) as f64;
    let h = ROW * rows.len() + 28;
    let w = LABEL_W + BAR_W + 40;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{t}" class="chart"><title>{t}</title><text x="0" y="16" class="ct">{t}</text>"#,
        t = esc(title)
    );
    for (i, r) in rows.iter().enumerate() {
        let y = 28 + i * ROW;
        let bw = ((r.flagged as f64 / max) * BAR_W as f64).round() as usize;
        let mut name: String = r.name.chars().take(22).collect();
        if r.name.chars().count() > 22 {
            name.push('…');
        }
        let _ = write!(
            s,
            r#"<text x="{lx}" y="{ty}" text-anchor="end">{n}</text><rect x="{bx}" y="{y}" width="{bw}" height="{bh}"/><text x="{vx}" y="{ty}">{v}</text>"#,
            lx = LABEL_W - 6,
            ty = y + 15,
            n = esc(&name),
            bx = LABEL_W,
            bh = ROW - 6,
            vx = LABEL_W + bw + 4,
            v = r.flagged
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped() {
        let svg = bars(
            "per outlet",
            &[Count {
                name: "<script>x</script>\"".into(),
                items: 1,
                flagged: 1,
            }],
        );
        assert!(!svg.contains("<script"));
        assert!(svg.contains("&lt;script&gt;"));
        assert_eq!(bars("t", &[]), "");
    }
}
