//! `headline-watch classify`: headlines from the arguments or stdin (one per line), one result per input
//! line in input order (CONTRACT.md). A blank or non-UTF-8 line gets an error object and the rest go on.
//! A closed stdout (broken pipe, e.g. `| head`) ends the command successfully.

use super::{Context, Outcome};
use crate::cli::{ClassifyArgs, ClassifyFormat};
use anyhow::{Context as _, Result};
use headline_watch::classify::Classifier;
use headline_watch::domain::Classification;
use serde::Serialize;
use std::borrow::Cow;
use std::io::{BufWriter, Read, Write};

#[derive(Serialize)]
struct Scores {
    misleading: f64,
    accurate: f64,
    rebuttal: f64,
    unrelated: f64,
}

/// The JSON object of one result; field order is CONTRACT.md's.
#[derive(Serialize)]
#[serde(untagged)]
enum Output<'a> {
    Ok {
        text: &'a str,
        label: &'static str,
        flagged: bool,
        scores: Scores,
        reasons: &'a [String],
    },
    Err {
        text: &'a str,
        error: &'a str,
    },
}

fn output<'a>(text: &'a str, r: &'a Result<Classification, String>) -> Output<'a> {
    match r {
        Ok(c) => Output::Ok {
            text,
            label: c.label.as_str(),
            flagged: c.flagged,
            scores: Scores {
                misleading: c.scores[0],
                accurate: c.scores[1],
                rebuttal: c.scores[2],
                unrelated: c.scores[3],
            },
            reasons: &c.reasons,
        },
        Err(e) => Output::Err { text, error: e },
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
    for (i, (text, ok)) in lines.iter().enumerate() {
        let result: Result<Classification, String> = match ok {
            Err(e) => Err(e.clone()),
            Ok(()) if text.trim().is_empty() => Err("blank line".to_string()),
            Ok(()) => Ok(classifier.classify(text)),
        };
        match format {
            ClassifyFormat::Jsonl | ClassifyFormat::Json => {
                if format == ClassifyFormat::Json && i > 0 {
                    out.write_all(b",\n")?;
                }
                serde_json::to_writer(&mut *out, &output(text, &result))?;
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
