//! `headline-watch classify`: headlines from the arguments or stdin (one per line), one result per input
//! line in input order (CONTRACT.md). A blank or non-UTF-8 line gets an error object and the rest go on.
//! A closed stdout (broken pipe, e.g. `| head`) ends the command successfully.

use super::{Context, Outcome};
use crate::cli::{ClassifyArgs, ClassifyFormat};
use anyhow::{Context as _, Result};
use headline_watch::classify::Classifier;
use headline_watch::domain::Classification;
use std::borrow::Cow;
use std::io::{BufWriter, Read, Write};

/// Writes one result as a compact JSON object, fields in CONTRACT.md's order: exactly what serde_json
/// writes for `{text, label, flagged, scores: {misleading, accurate, rebuttal, unrelated}, reasons}` (or
/// `{text, error}`), without its per-field machinery: strings that need no escaping (nearly all) are
/// copied as they are, the rest and every number go through serde_json.
fn write_result(
    out: &mut impl Write,
    text: &str,
    r: &Result<Classification, String>,
) -> std::io::Result<()> {
    out.write_all(b"{\"text\":")?;
    write_str(out, text)?;
    match r {
        Ok(c) => {
            out.write_all(b",\"label\":\"")?;
            out.write_all(c.label.as_str().as_bytes())?;
            out.write_all(if c.flagged {
                b"\",\"flagged\":true,\"scores\":{"
            } else {
                b"\",\"flagged\":false,\"scores\":{"
            })?;
            let keys: [&[u8]; 4] = [
                b"\"misleading\":",
                b",\"accurate\":",
                b",\"rebuttal\":",
                b",\"unrelated\":",
            ];
            for (key, score) in keys.iter().zip(c.scores) {
                out.write_all(key)?;
                serde_json::to_writer(&mut *out, &score)?;
            }
            out.write_all(b"},\"reasons\":[")?;
            for (i, reason) in c.reasons.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",")?;
                }
                write_str(out, reason)?;
            }
            out.write_all(b"]}")
        }
        Err(e) => {
            out.write_all(b",\"error\":")?;
            write_str(out, e)?;
            out.write_all(b"}")
        }
    }
}

/// A JSON string: copied between quotes when no byte needs escaping (serde_json escapes only `"`, `\`
/// and control characters below U+0020), else written by serde_json.
fn write_str(out: &mut impl Write, s: &str) -> std::io::Result<()> {
    // No short-circuit: the fold compiles to a vector loop.
    let plain = !s.bytes().fold(false, |acc, b| {
        acc | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if plain {
        out.write_all(b"\"")?;
        out.write_all(s.as_bytes())?;
        out.write_all(b"\"")
    } else {
        serde_json::to_writer(&mut *out, s).map_err(std::io::Error::from)
    }
}

pub fn run(ctx: &Context, args: ClassifyArgs) -> Result<Outcome> {
    let model_path = args
        .model
        .clone()
        .unwrap_or_else(|| ctx.config.narrative.model.clone());
    let threshold = args.threshold.unwrap_or(ctx.config.narrative.threshold);
    if !(0.0..=1.0).contains(&threshold) {
        anyhow::bail!("--threshold must be between 0 and 1, got {threshold}");
    }
    let classifier = Classifier::load(&model_path, threshold)?;

    let mut bytes = Vec::new();
    let lines: Vec<(Cow<str>, Result<(), String>)> = if args.headlines.is_empty() {
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("reading stdin")?;
        split_lines(&bytes)
    } else {
        args.headlines
            .iter()
            .map(|h| (Cow::Borrowed(h.as_str()), Ok(())))
            .collect()
    };

    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    match write_all(&classifier, &lines, args.format, &mut out).and_then(|_| out.flush()) {
        Ok(()) => Ok(Outcome::Success),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(Outcome::Success),
        Err(e) => Err(e).context("writing results to stdout"),
    }
}

/// Lines of stdin: split on `\n`, a trailing `\r` removed, no line after a final newline.
fn split_lines(bytes: &[u8]) -> Vec<(Cow<'_, str>, Result<(), String>)> {
    let mut parts: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    if parts.last().is_some_and(|l| l.is_empty()) {
        parts.pop();
    }
    // The usual case, all of stdin valid UTF-8, is checked in one SIMD pass (std's check goes character
    // by character outside ASCII); then every line, split at a newline byte, is valid too.
    if let Ok(all) = simdutf8::basic::from_utf8(bytes) {
        let mut lines = Vec::with_capacity(parts.len());
        let mut rest = all;
        for p in &parts {
            let (line, after) = rest.split_at(p.len());
            lines.push((
                Cow::Borrowed(line.strip_suffix('\r').unwrap_or(line)),
                Ok(()),
            ));
            rest = after.get(1..).unwrap_or("");
        }
        return lines;
    }
    parts
        .into_iter()
        .map(|l| {
            let l = l.strip_suffix(b"\r").unwrap_or(l);
            match std::str::from_utf8(l) {
                Ok(s) => (Cow::Borrowed(s), Ok(())),
                Err(e) => (
                    String::from_utf8_lossy(l),
                    Err(format!(
                        "not valid UTF-8 (invalid byte at offset {})",
                        e.valid_up_to()
                    )),
                ),
            }
        })
        .collect()
}

fn write_all(
    classifier: &Classifier,
    lines: &[(Cow<str>, Result<(), String>)],
    format: ClassifyFormat,
    out: &mut impl Write,
) -> std::io::Result<()> {
    if format == ClassifyFormat::Json {
        out.write_all(b"[")?;
    }
    // One result reused for every line: its reason strings keep their allocations.
    let mut result: Result<Classification, String> = Err(String::new());
    for (i, (text, ok)) in lines.iter().enumerate() {
        match ok {
            Err(e) => result = Err(e.clone()),
            Ok(()) if text.trim().is_empty() => result = Err("blank line".to_string()),
            Ok(()) => {
                if let Ok(c) = &mut result {
                    classifier.classify_into(text, c);
                } else {
                    result = Ok(classifier.classify(text));
                }
            }
        }
        match format {
            ClassifyFormat::Jsonl | ClassifyFormat::Json => {
                if format == ClassifyFormat::Json && i > 0 {
                    out.write_all(b",\n")?;
                }
                write_result(out, text, &result)?;
                if format == ClassifyFormat::Jsonl {
                    out.write_all(b"\n")?;
                }
            }
            ClassifyFormat::Text => match &result {
                Ok(c) => writeln!(
                    out,
                    "{:<10} {:.2}{}  {}  [{}]",
                    c.label.as_str(),
                    c.score(),
                    if c.flagged { "  FLAGGED" } else { "" },
                    text,
                    c.reasons.join("; ")
                )?,
                Err(e) => writeln!(out, "{:<10} {:>4}  {}  [{}]", "error", "", text, e)?,
            },
        }
    }
    if format == ClassifyFormat::Json {
        out.write_all(b"]\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use headline_watch::domain::Label;

    #[test]
    fn valid_input_splits_as_the_line_by_line_path_does() {
        // All-valid input takes the one-pass path; adding one invalid line forces the line-by-line path
        // for every line. The valid lines must come out the same either way.
        for input in [
            "a\nб\r\n\n\r\nвиза режимі\n",
            "no final newline\r\nвторая",
            "",
            "\n",
            "\r",
            "одна\r\r\n",
        ] {
            let fast = split_lines(input.as_bytes());
            let mut bytes = input.as_bytes().to_vec();
            if !bytes.is_empty() && !bytes.ends_with(b"\n") {
                bytes.push(b'\n');
            }
            bytes.extend_from_slice(b"\xff\n");
            let slow = split_lines(&bytes);
            assert_eq!(slow.len(), fast.len() + 1, "{input:?}");
            assert!(slow.last().is_some_and(|l| l.1.is_err()));
            for (f, s) in fast.iter().zip(&slow) {
                assert_eq!(f.0, s.0, "{input:?}");
                assert!(f.1.is_ok() && s.1.is_ok());
            }
        }
    }

    fn written(text: &str, r: &Result<Classification, String>) -> String {
        let mut v = Vec::new();
        write_result(&mut v, text, r).expect("writes to a Vec");
        String::from_utf8(v).expect("UTF-8")
    }

    #[test]
    fn results_are_written_exactly_as_serde_json_writes_them() {
        let texts = [
            "Россия вводит «визовый режим»",
            "quote \" backslash \\ tab \t nl \n nul \u{0} del \u{7f} end",
            "<script>alert('x')</script> &amp; =HYPERLINK(\"x\")",
            "Қазақстан 🙂 \u{2028} \u{feff}",
            "",
        ];
        for text in texts {
            for (label, flagged, scores) in [
                (Label::Misleading, true, [0.9, 0.05, 0.03, 0.02]),
                (
                    Label::Unrelated,
                    false,
                    [1e-300, 6.907061642191417e-6, 0.1 + 0.2, 1.0],
                ),
                (Label::Rebuttal, false, [f64::NAN, f64::INFINITY, 0.0, -0.0]),
            ] {
                let c = Classification {
                    label,
                    scores,
                    flagged,
                    reasons: vec![text.to_string(), "n-grams: \"виз…\"".into()],
                };
                let want = serde_json::json!({
                    "text": text,
                    "label": label.as_str(),
                    "flagged": flagged,
                    "scores": {
                        "misleading": scores[0],
                        "accurate": scores[1],
                        "rebuttal": scores[2],
                        "unrelated": scores[3],
                    },
                    "reasons": c.reasons,
                });
                let got = written(text, &Ok(c));
                // The same value, and byte for byte what serde_json writes for each part in this order.
                let parsed: serde_json::Value = serde_json::from_str(&got).expect("valid JSON");
                assert_eq!(parsed, want, "{got}");
                let mut exact = String::from("{\"text\":");
                exact += &serde_json::to_string(text).unwrap();
                exact += &format!(
                    ",\"label\":\"{}\",\"flagged\":{flagged},\"scores\":{{\"misleading\":{},\"accurate\":{},\"rebuttal\":{},\"unrelated\":{}}},\"reasons\":{}}}",
                    label.as_str(),
                    serde_json::to_string(&scores[0]).unwrap(),
                    serde_json::to_string(&scores[1]).unwrap(),
                    serde_json::to_string(&scores[2]).unwrap(),
                    serde_json::to_string(&scores[3]).unwrap(),
                    serde_json::to_string(&[text, "n-grams: \"виз…\""]).unwrap(),
                );
                assert_eq!(got, exact);
            }
            let err = written(text, &Err("blank line".into()));
            assert_eq!(
                err,
                format!(
                    "{{\"text\":{},\"error\":\"blank line\"}}",
                    serde_json::to_string(text).unwrap()
                )
            );
        }
    }
}
