//! N-gram features over the model form of a headline ([`crate::text::normalize_for_model`]).
//!
//! A headline becomes a bag of n-grams: word unigrams (`w:`), word bigrams (`b:`) and character 3–5-grams
//! inside each word padded with `<` and `>` (`c:`), which catch Russian and Kazakh inflections (`визов`,
//! `визалық`) without a stemmer. Digits are folded to `0` so dates and numbers generalise. Training and
//! prediction walk the same function ([`for_each_ngram`]); the vocabulary is a hash map from these strings.

use super::structure::is_word_char;

/// Shortest character n-gram.
pub const CHAR_MIN: usize = 3;
/// Longest character n-gram.
pub const CHAR_MAX: usize = 5;

/// The kind of an n-gram: its `w:`, `b:` or `c:` prefix in the model file's vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gram {
    Word = 0,
    Bigram = 1,
    Chars = 2,
}

impl Gram {
    pub const PREFIXES: [&'static str; 3] = ["w:", "b:", "c:"];

    /// Splits a vocabulary entry (`"c:<виз"`) into its kind and text.
    pub fn split(entry: &str) -> Option<(Gram, &str)> {
        [Gram::Word, Gram::Bigram, Gram::Chars]
            .into_iter()
            .find_map(|k| {
                entry
                    .strip_prefix(Gram::PREFIXES[k as usize])
                    .map(|t| (k, t))
            })
    }
}

/// Buffers reused from one headline to the next.
#[derive(Default)]
pub struct Scratch {
    /// The words, digits folded, separated by single spaces: a word and a bigram are slices of it.
    folded: String,
    words: Vec<(usize, usize)>,
    /// `<word>`, and the byte offset of each of its characters (and its end).
    padded: String,
    bounds: Vec<usize>,
    /// The vocabulary columns a headline's n-grams hit (`model::Linear::terms`).
    pub(crate) cols: Vec<u32>,
}

/// Calls `f` with every n-gram of `norm` and its kind (with repeats: the count is the term frequency).
/// The n-grams are slices of reused buffers: no allocation per n-gram. When `f` returns true for a word
/// unigram, its character n-grams are skipped (the caller counted them from `model::Linear::known`).
pub fn for_each_ngram(norm: &str, s: &mut Scratch, mut f: impl FnMut(Gram, &str) -> bool) {
    s.folded.clear();
    s.words.clear();
    let mut start = None;
    for c in norm.chars() {
        if is_word_char(c) {
            if start.is_none() {
                if !s.folded.is_empty() {
                    s.folded.push(' ');
                }
                start = Some(s.folded.len());
            }
            s.folded.push(if c.is_ascii_digit() { '0' } else { c });
        } else if let Some(b) = start.take() {
            s.words.push((b, s.folded.len()));
        }
    }
    if let Some(b) = start {
        s.words.push((b, s.folded.len()));
    }
    for (i, &(b, e)) in s.words.iter().enumerate() {
        if i > 0 {
            f(Gram::Bigram, &s.folded[s.words[i - 1].0..e]);
        }
        if f(Gram::Word, &s.folded[b..e]) {
            continue;
        }
        s.padded.clear();
        s.padded.push('<');
        s.padded.push_str(&s.folded[b..e]);
        s.padded.push('>');
        s.bounds.clear();
        s.bounds.extend(s.padded.char_indices().map(|(at, _)| at));
        s.bounds.push(s.padded.len());
        let n = s.bounds.len() - 1;
        for a in 0..n {
            for k in CHAR_MIN..=CHAR_MAX.min(n - a) {
                f(Gram::Chars, &s.padded[s.bounds[a]..s.bounds[a + k]]);
            }
        }
    }
}

/// The n-grams of `norm` as vocabulary entries (`"w:визы"`, `"c:<виз"`): training and tests.
pub fn ngrams(norm: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_ngram(norm, &mut Scratch::default(), |k, g| {
        out.push(format!("{}{g}", Gram::PREFIXES[k as usize]));
        false
    });
    out
}

/// True for n-grams made only of (folded) digits and padding, e.g. `"00"` from "30 июня": noise as a reason.
pub fn is_number_only(gram: &str) -> bool {
    let core = gram.get(2..).unwrap_or("");
    core.chars().any(|c| c == '0') && core.chars().all(|c| matches!(c, '0' | '<' | '>' | ' '))
}

/// A readable form of a vocabulary entry for `reasons`: `"визовый режим"`, `"…виз…"`.
pub fn display_ngram(s: &str) -> String {
    if let Some(w) = s.strip_prefix("w:").or_else(|| s.strip_prefix("b:")) {
        format!("\"{w}\"")
    } else if let Some(c) = s.strip_prefix("c:") {
        let core = c.trim_start_matches('<').trim_end_matches('>');
        let before = if c.starts_with('<') { "" } else { "…" };
        let after = if c.ends_with('>') { "" } else { "…" };
        format!("\"{before}{core}{after}\"")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize_for_model;

    #[test]
    fn words_bigrams_and_padded_char_grams() {
        let g = ngrams(&normalize_for_model("Визы для РК 2025"));
        for want in [
            "w:визы",
            "b:визы для",
            "c:<виз",
            "c:зы>",
            "w:0000",
            "c:<рк>",
        ] {
            assert!(g.contains(&want.to_string()), "{want}: {g:?}");
        }
        assert!(!g.iter().any(|s| s.contains("c:<в>")));
        // Reused scratch gives the same n-grams as a fresh one, after a longer headline.
        let mut s = Scratch::default();
        for_each_ngram("один два три четыре", &mut s, |_, _| false);
        let mut again = Vec::new();
        for_each_ngram(
            &normalize_for_model("Визы для РК 2025"),
            &mut s,
            |k, x| {
                again.push(format!("{}{x}", Gram::PREFIXES[k as usize]));
                false
            },
        );
        assert_eq!(again, g);
        assert_eq!(Gram::split("b:визы для"), Some((Gram::Bigram, "визы для")));
    }

    #[test]
    fn kazakh_letters_stay_whole() {
        let g = ngrams(&normalize_for_model("ВИЗАЛЫҚ режим"));
        assert!(g.contains(&"w:визалық".to_string()));
        assert!(g.contains(&"c:лық>".to_string()));
    }

    #[test]
    fn number_only_ngrams_are_recognised() {
        for g in ["w:00", "c:<00>", "c:<00", "b:00 0000"] {
            assert!(is_number_only(g), "{g}");
        }
        for g in ["w:июня", "c:<0х", "b:00 июня", "w:"] {
            assert!(!is_number_only(g), "{g}");
        }
    }

    #[test]
    fn display_forms() {
        assert_eq!(display_ngram("b:visa regime"), "\"visa regime\"");
        assert_eq!(display_ngram("c:<виз"), "\"виз…\"");
        assert_eq!(display_ngram("c:изов"), "\"…изов…\"");
    }
}
