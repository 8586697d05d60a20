//! A headline as a card on the desk: the stored item plus what the template cannot compute safely on its
//! own: the title cut into plain and highlighted pieces (the words the model's reasons name), the link
//! (http(s) only) and the four probabilities in order. The pieces are text; the template escapes them.

use crate::domain::Label;
use crate::report::safe_url;
use crate::store::desk::DeskItem;
use serde::Serialize;

/// A piece of a title; `mark` when it is one of the model's n-grams.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Piece {
    pub text: String,
    pub mark: bool,
}

/// A label's probability, for the card's four bars.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prob {
    pub label: Label,
    pub p: f64,
}

/// Everything a card shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    #[serde(flatten)]
    pub item: DeskItem,
    pub pieces: Vec<Piece>,
    pub href: Option<String>,
    pub probs: Vec<Prob>,
    /// Reasons other than the n-gram list (cue families).
    pub cues: Vec<String>,
    /// The n-grams the model weighed most.
    pub ngrams: Vec<String>,
}

/// The quoted n-grams of a `n-grams: "a", "b c"` reason.
fn ngrams_of(reasons: &[String]) -> (Vec<String>, Vec<String>) {
    let mut cues = Vec::new();
    let mut grams = Vec::new();
    for r in reasons {
        match r.strip_prefix("n-grams: ") {
            Some(list) => grams.extend(
                list.split("\", \"")
                    .map(|g| g.trim_matches('"').to_string())
                    .filter(|g| !g.trim().is_empty()),
            ),
            None => cues.push(r.clone()),
        }
    }
    (cues, grams)
}

fn fold(c: char) -> char {
    let c = c.to_lowercase().next().unwrap_or(c);
    if c == 'ё' {
        'е'
    } else {
        c
    }
}

/// Cuts `title` into pieces, marking every case-insensitive occurrence of a phrase of at least three
/// letters that starts a word.
pub fn highlight(title: &str, phrases: &[String]) -> Vec<Piece> {
    let chars: Vec<char> = title.chars().collect();
    let folded: Vec<char> = chars.iter().map(|&c| fold(c)).collect();
    let mut marked = vec![false; chars.len()];
    for phrase in phrases {
        let p: Vec<char> = phrase.trim().chars().map(fold).collect();
        if p.iter().filter(|c| c.is_alphanumeric()).count() < 3 || p.len() > folded.len() {
            continue;
        }
        for start in 0..=folded.len() - p.len() {
            // A phrase starts a word: "визовый режим" is not marked inside "безвизовый режим".
            let at_word_start = start == 0 || !folded[start - 1].is_alphanumeric();
            if at_word_start && folded[start..start + p.len()] == p[..] {
                marked[start..start + p.len()]
                    .iter_mut()
                    .for_each(|m| *m = true);
            }
        }
    }
    let mut pieces: Vec<Piece> = Vec::new();
    for (c, m) in chars.into_iter().zip(marked) {
        match pieces.last_mut() {
            Some(last) if last.mark == m => last.text.push(c),
            _ => pieces.push(Piece {
                text: c.to_string(),
                mark: m,
            }),
        }
    }
    pieces
}

impl Card {
    pub fn new(item: DeskItem) -> Card {
        let (cues, ngrams) = item
            .classification
            .as_ref()
            .map(|c| ngrams_of(&c.reasons))
            .unwrap_or_default();
        let probs = item
            .classification
            .as_ref()
            .map(|c| {
                Label::ALL
                    .iter()
                    .map(|&label| Prob {
                        label,
                        p: c.p[label.index()],
                    })
                    .collect()
            })
            .unwrap_or_default();
        Card {
            pieces: highlight(&item.title, &ngrams),
            href: item.url.as_deref().and_then(safe_url),
            probs,
            cues,
            ngrams,
            item,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_ngrams_case_insensitively() {
        let (cues, grams) = ngrams_of(&[
            "visa wording".into(),
            "n-grams: \"визовый режим\", \"russia\"".into(),
        ]);
        assert_eq!(cues, vec!["visa wording"]);
        assert_eq!(grams, vec!["визовый режим", "russia"]);
        let p = highlight("Россия вводит Визовый режим — Russia", &grams);
        let marked: Vec<&str> = p
            .iter()
            .filter(|p| p.mark)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(marked, vec!["Визовый режим", "Russia"]);
        let whole: String = p.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(whole, "Россия вводит Визовый режим — Russia");
        assert_eq!(highlight("ab", &["a".into()]).len(), 1);
        let inside = highlight("Москва обсуждает безвизовый режим", &grams);
        assert!(inside.iter().all(|p| !p.mark), "{inside:?}");
    }
}
