//! Charset decisions for fetched bodies. The order is fixed by the issue and CONTRACT.md: a byte-order
//! mark, else the source's `encoding` override, else the HTTP `charset`, else the XML declaration (or an
//! HTML `<meta charset>` for pages), else UTF-8.
//!
//! feed-rs decodes by the XML declaration only, so handing it raw bytes is right only when the declaration
//! is the deciding voice. Everything else (a windows-1251 body with no declaration, a server charset that
//! contradicts the declaration, an override) is transcoded here to UTF-8 and the declaration's `encoding`
//! is rewritten to `utf-8`, so feed-rs always sees consistent input (STACK.md).

use encoding_rs::{Encoding, KOI8_R, UTF_8, WINDOWS_1251};
use std::borrow::Cow;

/// Which rule chose the charset (logged, useful when a feed comes out wrong).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decided {
    Bom,
    Override,
    Http,
    Declaration,
    Guess,
    Default,
}

/// How far into a document the XML declaration or a `<meta charset>` is looked for.
const SNIFF_BYTES: usize = 1024;

/// The charset named by a `Content-Type` header value, if any.
pub fn http_charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']))
    })
}

/// The `encoding` of an XML declaration at the start of `bytes` (after optional whitespace), if any.
/// Works for ASCII-compatible encodings only, which is all a declaration can usefully name without a BOM.
pub fn xml_declared(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = &head[start..];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&head[..end]).ok()?;
    let pos = decl.find("encoding")?;
    let rest = decl[pos + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?;
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = rest[1..].split(quote).next()?;
    Some(value.trim().to_string())
}

/// An HTML `<meta charset=...>` or `<meta http-equiv content="...; charset=...">` near the top.
fn html_meta_charset(bytes: &[u8]) -> Option<String> {
    let head =
        String::from_utf8_lossy(&bytes[..bytes.len().min(SNIFF_BYTES * 4)]).to_ascii_lowercase();
    let pos = head.find("charset=")?;
    let rest = head[pos + "charset=".len()..].trim_start_matches(['"', '\'']);
    let value: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (!value.is_empty() && head[..pos].contains("<meta")).then_some(value)
}

/// Guesses between the two common single-byte Russian charsets when nothing declared one and the bytes
/// are not UTF-8: in running text lower-case letters dominate, and windows-1251 puts them in 0xE0–0xFF
/// while KOI8-R puts them in 0xC0–0xDF.
fn guess_cyrillic(bytes: &[u8]) -> Option<&'static Encoding> {
    let (mut hi, mut lo) = (0usize, 0usize);
    for &b in bytes {
        match b {
            0xE0..=0xFF => hi += 1,
            0xC0..=0xDF => lo += 1,
            _ => {}
        }
    }
    if hi + lo < 8 {
        return None;
    }
    Some(if hi >= lo { WINDOWS_1251 } else { KOI8_R })
}

/// Decides the charset of `bytes`. `is_html` makes `<meta charset>` count where the XML declaration would.
pub fn decide(
    bytes: &[u8],
    override_label: Option<&str>,
    http_label: Option<&str>,
    is_html: bool,
) -> (&'static Encoding, Decided) {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        return (enc, Decided::Bom);
    }
    // XML 1.0 Appendix F: `<?` in UTF-16 without a byte-order mark is as certain as one.
    if bytes.starts_with(&[0, b'<', 0, b'?']) {
        return (encoding_rs::UTF_16BE, Decided::Bom);
    }
    if bytes.starts_with(&[b'<', 0, b'?', 0]) {
        return (encoding_rs::UTF_16LE, Decided::Bom);
    }
    let lookup = |l: &str| Encoding::for_label(l.trim().as_bytes());
    if let Some(enc) = override_label.and_then(lookup) {
        return (enc, Decided::Override);
    }
    if let Some(enc) = http_label.and_then(lookup) {
        return (enc, Decided::Http);
    }
    let declared = if is_html {
        html_meta_charset(bytes)
    } else {
        xml_declared(bytes)
    };
    if let Some(enc) = declared.as_deref().and_then(lookup) {
        return (enc, Decided::Declaration);
    }
    if std::str::from_utf8(bytes).is_err() && declared.is_none() {
        if let Some(enc) = guess_cyrillic(bytes) {
            return (enc, Decided::Guess);
        }
    }
    (UTF_8, Decided::Default)
}

/// The body as UTF-8 bytes for feed-rs: decoded with the decided charset (invalid sequences become
/// U+FFFD), leading whitespace before an XML declaration dropped, and the declaration's `encoding`
/// rewritten to `utf-8`. Returns the input unchanged when it already is what feed-rs needs.
pub fn to_utf8<'a>(
    bytes: &'a [u8],
    override_label: Option<&str>,
    http_label: Option<&str>,
    is_html: bool,
) -> (Cow<'a, [u8]>, &'static Encoding, Decided) {
    let (enc, decided) = decide(bytes, override_label, http_label, is_html);
    let body = match Encoding::for_bom(bytes) {
        Some((_, bom_len)) => &bytes[bom_len..],
        None => bytes,
    };
    let utf32 = utf32_decode(bytes);
    let text: Cow<'a, str> = if let Some(t) = utf32 {
        Cow::Owned(t)
    } else if enc == UTF_8 {
        String::from_utf8_lossy(body)
    } else {
        enc.decode_without_bom_handling(body).0
    };
    if is_html {
        return (cow_str_to_bytes(text), enc, decided);
    }
    let trimmed = text.trim_start();
    if !trimmed.starts_with("<?xml") {
        // No declaration: feed-rs assumes UTF-8, which the text now is.
        if trimmed.len() == text.len() {
            return (cow_str_to_bytes(text), enc, decided);
        }
        return (Cow::Owned(trimmed.as_bytes().to_vec()), enc, decided);
    }
    let end = trimmed.find("?>").map(|e| e + 2).unwrap_or(0);
    let decl = &trimmed[..end];
    let new_decl = match decl.find("encoding") {
        Some(pos) => {
            let after = &decl[pos..];
            // Replace `encoding="..."` (either quote) with `encoding="utf-8"`.
            let value_end = after
                .char_indices()
                .filter(|(_, c)| *c == '"' || *c == '\'')
                .nth(1)
                .map(|(i, _)| pos + i + 1);
            match value_end {
                Some(ve) => format!("{}encoding=\"utf-8\"{}", &decl[..pos], &decl[ve..]),
                None => decl.to_string(),
            }
        }
        None => decl.to_string(),
    };
    if new_decl == decl && trimmed.len() == text.len() {
        return (cow_str_to_bytes(text), enc, decided);
    }
    let mut out = String::with_capacity(trimmed.len() + 8);
    out.push_str(&new_decl);
    out.push_str(&trimmed[end..]);
    (Cow::Owned(out.into_bytes()), enc, decided)
}

/// UTF-32 (which encoding_rs, following WHATWG, does not know): by byte-order mark or by the XML
/// Appendix F pattern of `<` in four bytes. `None` when the bytes are not UTF-32.
fn utf32_decode(bytes: &[u8]) -> Option<String> {
    let (big_endian, skip) = match bytes {
        [0, 0, 0xFE, 0xFF, ..] => (true, 4),
        [0xFF, 0xFE, 0, 0, ..] => (false, 4),
        [0, 0, 0, b'<', ..] => (true, 0),
        [b'<', 0, 0, 0, ..] => (false, 0),
        _ => return None,
    };
    let text = bytes[skip..]
        .chunks(4)
        .map(|c| {
            let mut w = [0u8; 4];
            w[..c.len()].copy_from_slice(c);
            let v = if big_endian {
                u32::from_be_bytes(w)
            } else {
                u32::from_le_bytes(w)
            };
            char::from_u32(v).unwrap_or('\u{FFFD}')
        })
        .collect();
    Some(text)
}

fn cow_str_to_bytes(s: Cow<'_, str>) -> Cow<'_, [u8]> {
    match s {
        Cow::Borrowed(b) => Cow::Borrowed(b.as_bytes()),
        Cow::Owned(o) => Cow::Owned(o.into_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cp1251(s: &str) -> Vec<u8> {
        WINDOWS_1251.encode(s).0.into_owned()
    }

    #[test]
    fn order_bom_override_http_declaration() {
        let body = b"\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss/>";
        assert_eq!(decide(body, Some("koi8-r"), None, false).1, Decided::Bom);
        let body = b"<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss/>";
        assert_eq!(decide(body, Some("koi8-r"), Some("utf-8"), false).0, KOI8_R);
        assert_eq!(decide(body, None, Some("utf-8"), false).0, UTF_8);
        assert_eq!(decide(body, None, None, false).0, WINDOWS_1251);
        assert_eq!(decide(b"<rss/>", None, None, false).1, Decided::Default);
    }

    #[test]
    fn transcodes_and_rewrites_declaration() {
        let mut body = b"<?xml version='1.0' encoding='koi8-r'?>".to_vec();
        body.extend(cp1251(
            "<rss><channel><title>Новости</title></channel></rss>",
        ));
        let (out, enc, _) = to_utf8(&body, None, Some("windows-1251"), false);
        assert_eq!(enc, WINDOWS_1251);
        let s = std::str::from_utf8(&out).unwrap();
        assert!(
            s.starts_with("<?xml version='1.0' encoding=\"utf-8\"?>"),
            "{s}"
        );
        assert!(s.contains("Новости"));
    }

    #[test]
    fn guesses_russian_single_byte_charsets() {
        let text = "Россия и Казахстан сохраняют безвизовый режим";
        let koi = KOI8_R.encode(text).0.into_owned();
        assert_eq!(decide(&koi, None, None, false).0, KOI8_R);
        assert_eq!(decide(&cp1251(text), None, None, false).0, WINDOWS_1251);
    }

    #[test]
    fn http_charset_and_meta() {
        assert_eq!(
            http_charset("text/xml; charset=\"Windows-1251\""),
            Some("Windows-1251")
        );
        assert_eq!(http_charset("text/xml"), None);
        let page = b"<html><head><meta charset=\"windows-1251\"></head></html>";
        assert_eq!(decide(page, None, None, true).0, WINDOWS_1251);
    }
}
