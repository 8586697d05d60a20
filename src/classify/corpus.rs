//! The labelled corpus: `corpus/*.tsv` (CONTRACT.md: header `label<TAB>lang<TAB>text`, optional further
//! columns, no quoting). Loading checks every row and names `file:line` on error. The corpus hash that a
//! model records is BLAKE3 over the sorted `label\tlang\tnormalized text` rows, so reordering rows or files,
//! or changing only typography, does not change it.

use crate::domain::Label;
use crate::error::{Error, Result};
use crate::text::normalize_for_model;
use std::path::{Path, PathBuf};

/// One labelled headline.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub label: Label,
    pub lang: String,
    pub text: String,
    /// The `source` column, if present.
    pub source: Option<String>,
    /// File and 1-based line the row came from.
    pub file: PathBuf,
    pub line: usize,
}

impl Row {
    /// The outlet of a real published headline: the host of its `source` URL (without `www.`, `m.` or
    /// `amp.`); `None` for written, conformance and review rows.
    pub fn outlet(&self) -> Option<String> {
        let src = self.source.as_deref()?;
        if !(src.starts_with("http://") || src.starts_with("https://")) {
            return None;
        }
        let url = url::Url::parse(src).ok()?;
        let host = url.host_str()?.trim_end_matches('.').to_ascii_lowercase();
        let host = ["www.", "m.", "amp."]
            .iter()
            .find_map(|p| host.strip_prefix(p))
            .unwrap_or(&host);
        Some(host.to_string())
    }
}

/// Reads one TSV file.
pub fn load_file(path: &Path) -> Result<Vec<Row>> {
    // Error::Other, not Error::Io: the binary prints the source chain, which would repeat the cause.
    let bytes = std::fs::read(path)
        .map_err(|e| Error::Other(format!("{}: cannot read corpus file: {e}", path.display())))?;
    let corpus_err = |line: usize, message: String| Error::Corpus {
        path: path.to_path_buf(),
        line,
        message,
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        corpus_err(line, "not valid UTF-8".into())
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut lines = text.split('\n').enumerate();
    let header = lines.next().map(|(_, h)| h.trim_end_matches('\r'));
    let cols: Vec<&str> = header.unwrap_or("").split('\t').collect();
    if cols.len() < 3 || cols[0] != "label" || cols[1] != "lang" || cols[2] != "text" {
        return Err(corpus_err(
            1,
            "the header must start with label<TAB>lang<TAB>text".into(),
        ));
    }
    let source_col = cols.iter().position(|c| *c == "source");
    let mut rows = Vec::new();
    for (i, raw) in lines {
        let line_no = i + 1;
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = raw.split('\t').collect();
        if fields.len() < 3 {
            return Err(corpus_err(
                line_no,
                format!(
                    "expected at least 3 tab-separated fields, found {}",
                    fields.len()
                ),
            ));
        }
        let label: Label = fields[0]
            .parse()
            .map_err(|e: String| corpus_err(line_no, e))?;
        let lang = fields[1].trim().to_ascii_lowercase();
        if lang.len() != 2 || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(corpus_err(
                line_no,
                format!("lang {:?} is not an ISO 639-1 code", fields[1]),
            ));
        }
        let text = fields[2].trim();
        if text.is_empty() {
            return Err(corpus_err(line_no, "empty text".into()));
        }
        rows.push(Row {
            label,
            lang,
            text: text.to_string(),
            source: source_col
                .and_then(|c| fields.get(c))
                .map(|s| s.to_string())
                .filter(|s| !s.is_empty()),
            file: path.to_path_buf(),
            line: line_no,
        });
    }
    Ok(rows)
}

/// The `*.tsv` files of a corpus folder, sorted by name.
pub fn corpus_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Error::Other(format!(
            "{}: cannot read the corpus folder: {e}",
            dir.display()
        ))
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tsv") && p.is_file())
        .collect();
    files.sort();
    Ok(files)
}

/// Reads every `*.tsv` in `dir`. An empty corpus is an error.
pub fn load_dir(dir: &Path) -> Result<Vec<Row>> {
    let files = corpus_files(dir)?;
    let mut rows = Vec::new();
    for f in &files {
        rows.extend(load_file(f)?);
    }
    if rows.is_empty() {
        return Err(Error::Other(format!(
            "{}: no labelled rows (expected *.tsv files with a label<TAB>lang<TAB>text header)",
            dir.display()
        )));
    }
    Ok(rows)
}

/// Reads a folder (every `*.tsv`) or a single file.
pub fn load(path: &Path) -> Result<Vec<Row>> {
    match path {
        p if p.is_dir() => load_dir(p),
        p if p.exists() => load_file(p),
        p => Err(Error::Other(format!(
            "{}: no such corpus folder or file",
            p.display()
        ))),
    }
}

/// BLAKE3 (hex) over the sorted `label\tlang\tnormalized text` lines of `rows`.
pub fn corpus_hash(rows: &[Row]) -> String {
    let mut lines: Vec<String> = rows
        .iter()
        .map(|r| format!("{}\t{}\t{}", r.label, r.lang, normalize_for_model(&r.text)))
        .collect();
    lines.sort();
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    blake3::hash(text.as_bytes()).to_hex().to_string()
}

/// The near-duplicate key of the labelling guide: model normalisation, digits removed, number / date
/// tokens masked, punctuation dropped. Two rows with equal keys are "the same headline".
pub fn near_duplicate_key(text: &str) -> String {
    let norm = normalize_for_model(text);
    let number = |w: &str| w.chars().any(|c| c.is_ascii_digit());
    let month = |w: &str| MONTHS.split_whitespace().any(|m| w.starts_with(m));
    let words = norm
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let masked: Vec<&str> = words
        .map(|w| if number(w) || month(w) { "#" } else { w })
        .collect();
    masked.join(" ")
}

/// Month stems (en, ru, kk) masked by [`near_duplicate_key`].
const MONTHS: &str =
    "january february march april june july august september october november december \
    январ феврал март апрел мая июн июл август сентябр октябр ноябр декабр \
    қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қараша желтоқсан";

/// Fewest words a headline needs before a one-word substitution makes it a near-duplicate: in shorter
/// headlines one word is too large a share of the text.
const MIN_WORDS_FOR_SUBSTITUTION: usize = 4;

/// Pairs of rows (indices) that are the same headline: equal [`near_duplicate_key`]s (numbers, dates and
/// months masked), or, for rows of the same label, keys that differ in exactly one word (the same headline
/// with a place or a name changed). Rows of different labels that differ in one word are kept: they are the
/// contrast pairs ("вводит" / "не вводит") the classifier must learn from.
pub fn duplicates(rows: &[Row]) -> Vec<(usize, usize)> {
    use std::collections::HashMap;
    let mut exact: HashMap<String, usize> = HashMap::new();
    let mut one_word: HashMap<(Label, String), usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let key = near_duplicate_key(&r.text);
        if let Some(&j) = exact.get(&key) {
            out.push((j, i));
            continue;
        }
        exact.insert(key.clone(), i);
        let words: Vec<&str> = key.split(' ').collect();
        if words.len() < MIN_WORDS_FOR_SUBSTITUTION {
            continue;
        }
        let mask = |k: usize| {
            let mut w = words.clone();
            w[k] = "\u{1}";
            w.join(" ")
        };
        let masks: Vec<String> = (0..words.len()).map(mask).collect();
        match masks
            .iter()
            .find_map(|m| one_word.get(&(r.label, m.clone())))
        {
            Some(&j) => out.push((j, i)),
            None => one_word.extend(masks.into_iter().map(|m| ((r.label, m), i))),
        }
    }
    out
}
