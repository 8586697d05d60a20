//! Correction requests: one Markdown letter per outlet with unresolved flagged headlines (flagged now,
//! not rejected by a reviewer, not corrected), quoting the headlines verbatim with dates and links, the
//! official positions verbatim with speaker, date and source, and the facts with their sources.
//!
//! # Templates
//! The wording is in minijinja templates, one per language (`ru`, `en`, `kk`): the shipped defaults are
//! `templates/letters/<lang>.md`, embedded in the binary; a folder named by `[letters] templates` may
//! hold `<lang>.md` files that replace them. Every value a template prints is Markdown-escaped by
//! [`crate::report::markdown::escape`] (the formatter below does it, so an edited template cannot forget
//! it), except the links this module builds from escaped text and http(s) URLs, and the configured
//! signature, which the press office writes itself.
//!
//! Headlines and quotes are never translated here: they are quoted in the language they were published
//! in, and the templates say so (the Kazakh letter quotes Russian headlines as published and marks any
//! Kazakh rendering as a translation).

use crate::config::{Fact, Position};
use crate::error::{Error, Result};
use crate::report::markdown::{escape, link};
use crate::report::{safe_url, ReportModel};
use minijinja::{context, Environment, Value};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A letter's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lang {
    Ru,
    En,
    Kk,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Ru, Lang::En, Lang::Kk];

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
            Lang::Kk => "kk",
        }
    }

    fn shipped(self) -> &'static str {
        match self {
            Lang::Ru => include_str!("../templates/letters/ru.md"),
            Lang::En => include_str!("../templates/letters/en.md"),
            Lang::Kk => include_str!("../templates/letters/kk.md"),
        }
    }

    fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.as_str() == code)
    }
}

/// One flagged headline as a template sees it.
#[derive(Debug, Clone, Serialize)]
struct Headline {
    title: String,
    url: Option<String>,
    /// `[title](url)` for http(s) URLs, else the escaped title (safe Markdown).
    link: Value,
    lang: Option<String>,
    published_at: String,
    /// The date part of `published_at`.
    published: String,
    published_estimated: bool,
    /// The first flagged wording, when the outlet has since edited it (still flagged).
    first_wording: Option<String>,
    /// When it vanished from the outlet's feed (noted, not a correction).
    gone_at: Option<String>,
    review_status: String,
}

/// An official position as a template sees it.
#[derive(Debug, Clone, Serialize)]
struct Quote<'a> {
    #[serde(flatten)]
    position: &'a Position,
    source_link: Value,
}

/// A fact as a template sees it.
#[derive(Debug, Clone, Serialize)]
struct FactView<'a> {
    #[serde(flatten)]
    fact: &'a Fact,
    source_link: Value,
}

/// A rendered letter.
#[derive(Debug, Clone, PartialEq)]
pub struct Letter {
    pub outlet: String,
    pub lang: Lang,
    pub headlines: usize,
    pub text: String,
}

/// What to write and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only these outlets (all when empty).
    pub outlets: Vec<String>,
    /// Force a language; otherwise each outlet's own (the language most of its flagged headlines are
    /// in, English when that is none of ru, en, kk).
    pub lang: Option<Lang>,
    /// `[letters] templates`: a folder whose `<lang>.md` replace the shipped templates.
    pub templates: Option<PathBuf>,
    /// `[letters] signature` (Markdown, printed as written).
    pub signature: String,
    /// The letter's date, `YYYY-MM-DD`.
    pub date: String,
}

/// The template text for `lang`: the folder's `<lang>.md` if there is one, else the shipped default.
fn template_text(lang: Lang, dir: Option<&Path>) -> Result<(String, String)> {
    if let Some(dir) = dir {
        let path = dir.join(format!("{}.md", lang.as_str()));
        match std::fs::read_to_string(&path) {
            Ok(t) => return Ok((path.display().to_string(), t)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(Error::Io { path, source }),
        }
    }
    Ok((
        format!("templates/letters/{}.md (shipped)", lang.as_str()),
        lang.shipped().to_string(),
    ))
}

/// The template environment: Markdown escaping of every printed value that is not marked safe.
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_formatter(|out, _state, value| {
        if value.is_none() || value.is_undefined() {
            return Ok(());
        }
        let text = if value.is_safe() {
            value.to_string()
        } else {
            escape(&value.to_string())
        };
        out.write_str(&text)
            .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string()))
    });
    env
}

fn safe_link(text: &str, url: &str) -> Value {
    Value::from_safe_string(link(text, safe_url(url).as_deref()))
}

/// The outlet's own letter language.
fn outlet_lang(headlines: &[Headline]) -> Lang {
    let mut counts: BTreeMap<Lang, usize> = BTreeMap::new();
    for h in headlines {
        if let Some(l) = h.lang.as_deref().and_then(Lang::from_code) {
            *counts.entry(l).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map_or(Lang::En, |(l, _)| l)
}

/// Writes one letter per outlet with unresolved flagged headlines in the report model `m`, ordered by
/// outlet name.
pub fn build(m: &ReportModel, opts: &Options) -> Result<Vec<Letter>> {
    let gone: BTreeMap<i64, &str> = m
        .followup
        .disappeared
        .iter()
        .map(|d| (d.item_id, d.gone_at.as_str()))
        .collect();
    let mut by_outlet: BTreeMap<&str, Vec<Headline>> = BTreeMap::new();
    for e in m.live_flags() {
        if !opts.outlets.is_empty() && !opts.outlets.contains(&e.source) {
            continue;
        }
        let first_flagged = e.versions.iter().find(|v| v.flagged);
        by_outlet.entry(&e.source).or_default().push(Headline {
            title: e.title.clone(),
            url: e.url.clone(),
            link: Value::from_safe_string(link(&e.title, e.href.as_deref())),
            lang: e.lang.clone(),
            published_at: e.published_at.clone(),
            published: e.published_at.get(..10).unwrap_or("").to_string(),
            published_estimated: e.published_estimated,
            first_wording: first_flagged
                .filter(|v| v.title != e.title)
                .map(|v| v.title.clone()),
            gone_at: gone.get(&e.item_id).map(|g| g.to_string()),
            review_status: e.review.status.to_string(),
        });
    }
    let quotes: Vec<Quote> = m
        .positions
        .iter()
        .map(|p| Quote {
            position: p,
            source_link: safe_link(&p.source_name, &p.source_url),
        })
        .collect();
    let facts: Vec<FactView> = m
        .facts
        .iter()
        .map(|f| FactView {
            fact: f,
            source_link: safe_link(&f.source_name, &f.source_url),
        })
        .collect();
    let mut env = environment();
    let mut loaded = Vec::new();
    let mut letters = Vec::new();
    for (outlet, mut headlines) in by_outlet {
        headlines.sort_by(|a, b| a.published_at.cmp(&b.published_at));
        let lang = opts.lang.unwrap_or_else(|| outlet_lang(&headlines));
        let (name, text) = template_text(lang, opts.templates.as_deref())?;
        if !loaded.contains(&lang) {
            env.add_template_owned(name.clone(), text)
                .map_err(|e| Error::Other(format!("letter template {name}: {e}")))?;
            loaded.push(lang);
        }
        let tmpl = env
            .get_template(&name)
            .map_err(|e| Error::Other(format!("letter template {name}: {e}")))?;
        let text = tmpl
            .render(context! {
                lang => lang.as_str(),
                outlet => outlet,
                since => m.since.get(..10).unwrap_or(&m.since),
                until => m.until.get(..10).unwrap_or(&m.until),
                date => &opts.date,
                claim => &m.claim,
                headlines => Value::from(minijinja::value::Serde(&headlines)),
                positions => Value::from(minijinja::value::Serde(&quotes)),
                facts => Value::from(minijinja::value::Serde(&facts)),
                signature => Value::from_safe_string(opts.signature.clone()),
            })
            .map_err(|e| Error::Other(format!("letter template {name}: {e:#}")))?;
        letters.push(Letter {
            outlet: outlet.to_string(),
            lang,
            headlines: headlines.len(),
            text,
        });
    }
    Ok(letters)
}

/// A file-name-safe form of an outlet's name: letters and digits (any script) lower-cased, anything else
/// one `-`, at most 60 characters; `outlet` when nothing is left.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.chars().count() >= 60 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "outlet".into()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("Пример-Новости"), "пример-новости");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("<b>"), "b");
        assert_eq!(slug("///"), "outlet");
        assert!(slug(&"ab ".repeat(100)).chars().count() <= 60);
    }

    #[test]
    fn the_formatter_escapes_what_is_not_marked_safe() {
        let mut env = environment();
        env.add_template("t.md", "{{ a }}|{{ b }}|{{ c }}").unwrap();
        let out = env
            .get_template("t.md")
            .unwrap()
            .render(context! {
                a => "<script>[x](javascript:y)",
                b => Value::from_safe_string("[ok](https://x.example/)".into()),
                c => Option::<String>::None,
            })
            .unwrap();
        assert_eq!(
            out,
            "&lt;script&gt;\\[x\\]\\(javascript:y\\)|[ok](https://x.example/)|"
        );
    }

    #[test]
    fn every_shipped_template_parses() {
        for lang in Lang::ALL {
            let mut env = environment();
            env.add_template("t", lang.shipped()).unwrap();
        }
    }
}
