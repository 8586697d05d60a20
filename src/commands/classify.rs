//! `headline-watch classify`: headlines from the arguments or stdin (one per line), one result per input
//! line in input order (CONTRACT.md). A blank or non-UTF-8 line gets an error object and the rest go on.
//! A closed stdout (broken pipe, e.g. `| head`) ends the command successfully.

use super::{Context, Outcome};
use crate::cli::{ClassifyArgs, ClassifyFormat};
use anyhow::{Context as _, Result};
use headline_watch::classify::Classifier;
use headline_watch::domain::Classification;
use headline_watch::narrative::ModelSource;
use serde::Serialize;
use std::borrow::Cow;
use std::io::{BufWriter, Read, Write};

/// Why an input line gets no classification.
#[derive(Debug, Clone, PartialEq)]
enum LineError {
    Blank,
    NotUtf8 { offset: usize },
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LineError::Blank => f.write_str("blank line"),
            LineError::NotUtf8 { offset } => {
                write!(f, "not valid UTF-8 (invalid byte at offset {offset})")
            }
        }
    }
}

/// One result in CONTRACT.md's field order.
#[derive(Serialize)]
struct Scores {
    misleading: f64,
    accurate: f64,
    rebuttal: f64,
    unrelated: f64,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Out<'a> {
    Ok {
        text: &'a str,
        label: &'static str,
        flagged: bool,
        scores: Scores,
        reasons: &'a [String],
    },
    Err {
        text: &'a str,
        error: String,
    },
}

fn out<'a>(text: &'a str, r: &'a Result<Classification, LineError>) -> Out<'a> {
    match r {
        Ok(c) => Out::Ok {
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
        Err(e) => Out::Err {
            text,
            error: e.to_string(),
        },
    }
}

pub fn run(ctx: &Context, args: ClassifyArgs) -> Result<Outcome> {
    let source = args.model.clone().map_or_else(
        || ctx.config.narrative_config.model_source(),
        ModelSource::File,
    );
    let threshold = args.threshold.unwrap_or(ctx.config.narrative.threshold);
    if !(0.0..=1.0).contains(&threshold) {
        anyhow::bail!("--threshold must be between 0 and 1, got {threshold}");
    }
    let classifier = Classifier::load(&source, &ctx.config.narrative, threshold)?;

    let mut bytes = Vec::new();
    let lines: Vec<(Cow<str>, Result<(), LineError>)> = if args.headlines.is_empty() {
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
    let mut w = BufWriter::new(stdout.lock());
    match write_all(&classifier, &lines, args.format, &mut w).and_then(|_| w.flush()) {
        Ok(()) => Ok(Outcome::Success),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(Outcome::Success),
        Err(e) => Err(e).context("writing results to stdout"),
    }
}

/// Lines of stdin: split on `\n`, a trailing `\r` removed, no line after a final newline.
fn split_lines(bytes: &[u8]) -> Vec<(Cow<'_, str>, Result<(), LineError>)> {
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
                    Err(LineError::NotUtf8 {
                        offset: e.valid_up_to(),
                    }),
                ),
            }
        })
        .collect()
}

fn write_all(
    classifier: &Classifier,
    lines: &[(Cow<str>, Result<(), LineError>)],
    format: ClassifyFormat,
    w: &mut impl Write,
) -> std::io::Result<()> {
    if format == ClassifyFormat::Json {
        w.write_all(b"[")?;
    }
    for (i, (text, ok)) in lines.iter().enumerate() {
        let result = match ok {
            Err(e) => Err(e.clone()),
            Ok(()) if text.trim().is_empty() => Err(LineError::Blank),
            Ok(()) => Ok(classifier.classify(text)),
        };
        match format {
            ClassifyFormat::Jsonl | ClassifyFormat::Json => {
                if format == ClassifyFormat::Json && i > 0 {
                    w.write_all(b",\n")?;
                }
                serde_json::to_writer(&mut *w, &out(text, &result))?;
                if format == ClassifyFormat::Jsonl {
                    w.write_all(b"\n")?;
                }
            }
            ClassifyFormat::Text => match &result {
                Ok(c) => writeln!(
                    w,
                    "{:<10} {:.2}{}  {}  [{}]",
                    c.label.as_str(),
                    c.score(),
                    if c.flagged { "  FLAGGED" } else { "" },
                    text,
                    c.reasons.join("; ")
                )?,
                Err(e) => writeln!(w, "{:<10} {:>4}  {}  [{}]", "error", "", text, e)?,
            },
        }
    }
    if format == ClassifyFormat::Json {
        w.write_all(b"]\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use headline_watch::domain::Label;

    #[test]
    fn results_keep_the_contract_field_order() {
        let c = Classification {
            label: Label::Misleading,
            scores: [0.9, 0.05, 0.03, 0.02],
            flagged: true,
            reasons: vec!["visa wording".into()],
        };
        let r = Ok(c);
        let got = serde_json::to_string(&out("t \"q\"", &r)).unwrap();
        assert_eq!(
            got,
            r#"{"text":"t \"q\"","label":"misleading","flagged":true,"scores":{"misleading":0.9,"accurate":0.05,"rebuttal":0.03,"unrelated":0.02},"reasons":["visa wording"]}"#
        );
        let e = Err(LineError::Blank);
        assert_eq!(
            serde_json::to_string(&out(" ", &e)).unwrap(),
            r#"{"text":" ","error":"blank line"}"#
        );
    }
}
