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

/// Buffers reused from one headline to the next.
#[derive(Default)]
pub struct Scratch {
    words: Vec<String>,
    gram: String,
    padded: Vec<char>,
}

/// Calls `f` with every n-gram of `norm` (with repeats: the count is the term frequency).
pub fn for_each_ngram(norm: &str, s: &mut Scratch, mut f: impl FnMut(&str)) {
    let mut n = 0;
    let mut in_word = false;
    for c in norm.chars() {
        if is_word_char(c) {
            if !in_word {
                if s.words.len() == n {
                    s.words.push(String::new());
                }
                s.words[n].clear();
                n += 1;
                in_word = true;
            }
            s.words[n - 1].push(if c.is_ascii_digit() { '0' } else { c });
        } else {
            in_word = false;
        }
    }
    for i in 0..n {
        let word = &s.words[i];
        s.gram.clear();
        s.gram.push_str("w:");
        s.gram.push_str(word);
        f(&s.gram);
        if i > 0 {
            s.gram.clear();
            s.gram.push_str("b:");
            s.gram.push_str(&s.words[i - 1]);
            s.gram.push(' ');
            s.gram.push_str(word);
            f(&s.gram);
        }
        s.padded.clear();
        s.padded.push('<');
        s.padded.extend(word.chars());
        s.padded.push('>');
        let len = s.padded.len();
        for start in 0..len {
            for k in CHAR_MIN..=CHAR_MAX.min(len - start) {
                s.gram.clear();
                s.gram.push_str("c:");
                s.gram.extend(&s.padded[start..start + k]);
                f(&s.gram);
            }
        }
    }
}

/// The n-grams of `norm` as strings (training and tests).
pub fn ngrams(norm: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_ngram(norm, &mut Scratch::default(), |g| out.push(g.to_string()));
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
        for_each_ngram("один два три четыре", &mut s, |_| {});
        let mut again = Vec::new();
        for_each_ngram(
            &normalize_for_model("Визы для РК 2025"),
            &mut s,
            |x| again.push(x.to_string()),
        );
        assert_eq!(again, g);
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
