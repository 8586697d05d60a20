//! N-gram features over the model form of a headline ([`crate::text::normalize_for_model`]).
//!
//! A headline becomes a bag of n-grams: word unigrams (`w:`), word bigrams (`b:`) and character 3–5-grams
//! inside each word padded with `<` and `>` (`c:`), which catch Russian and Kazakh inflections (`визов`,
//! `визалық`) without a stemmer. Digits are folded to `0` so dates and numbers generalise.
//!
//! Each n-gram is identified by a stable 64-bit FNV-1a hash of its kind prefix and its text. Training asks
//! for the strings ([`ngram_strings`]) to build a readable vocabulary; prediction only hashes
//! ([`for_each_ngram_hash`]), walking the text once with no allocation per n-gram. Both paths hash the same
//! bytes, which the tests check. A loaded model keys its index with a cheaper hash over characters instead
//! ([`CharHash`], computed from the vocabulary strings at load), which the prediction loop then uses.

/// Shortest character n-gram.
pub const CHAR_MIN: usize = 3;
/// Longest character n-gram.
pub const CHAR_MAX: usize = 5;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// A 64-bit hash of n-grams, fed one character at a time: [`Fnv`] (training and the model file's
/// identity of an n-gram) or [`CharHash`] (prediction, cheaper per character). Any two n-grams the same
/// function hashes equally are the same n-gram for the model, so prediction keys its vocabulary index with
/// the hash it computes ([`NgramHash::of_str`] of each vocabulary string).
pub trait NgramHash: Copy {
    /// The states after the kind prefixes `w:`, `b:` and `c:`.
    const WORD: Self;
    const BIGRAM: Self;
    const CHARS: Self;
    fn char(&mut self, c: char);
    fn value(self) -> u64;
    /// The hash of an n-gram written as a string with its prefix (`"c:<виз"`).
    fn of_str(s: &str) -> u64;
}

/// Incremental FNV-1a over UTF-8 bytes: the stable hash of an n-gram ([`hash_str`]).
#[derive(Clone, Copy)]
pub struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(FNV_OFFSET)
    }
    const fn step(h: u64, b: u8) -> u64 {
        (h ^ b as u64).wrapping_mul(FNV_PRIME)
    }
    #[inline]
    fn byte(&mut self, b: u8) {
        self.0 = Fnv::step(self.0, b);
    }
    #[inline]
    fn bytes(&mut self, s: &[u8]) {
        for &b in s {
            self.byte(b);
        }
    }
}

/// A hash's state after the ASCII `prefix`, at compile time: `step` applied from `seed` to each byte (a
/// `while` loop, as a const fn cannot take the step as an argument). For ASCII, one byte is one character
/// for both hashes.
macro_rules! state_after {
    ($seed:expr, $step:path, $prefix:expr) => {{
        let prefix: &[u8] = $prefix;
        let mut h = $seed;
        let mut i = 0;
        while i < prefix.len() {
            h = $step(h, prefix[i] as _);
            i += 1;
        }
        h
    }};
}

impl NgramHash for Fnv {
    const WORD: Fnv = Fnv(state_after!(FNV_OFFSET, Fnv::step, b"w:"));
    const BIGRAM: Fnv = Fnv(state_after!(FNV_OFFSET, Fnv::step, b"b:"));
    const CHARS: Fnv = Fnv(state_after!(FNV_OFFSET, Fnv::step, b"c:"));

    /// The UTF-8 bytes of `c`, without a buffer (headlines are ASCII and Cyrillic: one or two bytes).
    #[inline(always)]
    fn char(&mut self, c: char) {
        let u = c as u32;
        if u < 0x80 {
            self.byte(u as u8);
        } else if u < 0x800 {
            self.byte((0xC0 | (u >> 6)) as u8);
            self.byte((0x80 | (u & 0x3F)) as u8);
        } else {
            let mut buf = [0u8; 4];
            self.bytes(c.encode_utf8(&mut buf).as_bytes());
        }
    }
    #[inline(always)]
    fn value(self) -> u64 {
        self.0
    }
    fn of_str(s: &str) -> u64 {
        hash_str(s)
    }
}

/// One multiply per character (FxHash's step over code points), where FNV takes one per UTF-8 byte and a
/// branch on the character's width: prediction's hash.
#[derive(Clone, Copy)]
pub struct CharHash(u64);

const FX_SEED: u64 = 0x243f_6a88_85a3_08d3;
const FX_K: u64 = 0x517c_c1b7_2722_0a95;

impl CharHash {
    const fn step(h: u64, c: u32) -> u64 {
        (h.rotate_left(5) ^ c as u64).wrapping_mul(FX_K)
    }
}

impl NgramHash for CharHash {
    const WORD: CharHash = CharHash(state_after!(FX_SEED, CharHash::step, b"w:"));
    const BIGRAM: CharHash = CharHash(state_after!(FX_SEED, CharHash::step, b"b:"));
    const CHARS: CharHash = CharHash(state_after!(FX_SEED, CharHash::step, b"c:"));

    #[inline(always)]
    fn char(&mut self, c: char) {
        self.0 = CharHash::step(self.0, c as u32);
    }
    #[inline(always)]
    fn value(self) -> u64 {
        self.0
    }
    fn of_str(s: &str) -> u64 {
        s.chars().fold(FX_SEED, |h, c| CharHash::step(h, c as u32))
    }
}

/// The stable hash of an n-gram written as a string (`"w:виза"`, `"b:visa regime"`, `"c:<виз"`).
pub fn hash_str(s: &str) -> u64 {
    let mut h = Fnv::new();
    h.bytes(s.as_bytes());
    h.0
}

#[inline]
fn fold_char(c: char) -> char {
    if c.is_ascii_digit() {
        '0'
    } else {
        c
    }
}

/// Letters and digits, with a fast path for ASCII and the Cyrillic block (where `char::is_alphanumeric`
/// takes a slow table lookup).
#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if ('\u{400}'..='\u{481}').contains(&c) || ('\u{48a}'..='\u{4ff}').contains(&c) {
        true
    } else {
        c.is_alphanumeric()
    }
}

/// Splits model-form text into words: maximal runs of letters and digits (digits folded to `0`).
/// `buf` receives every word padded as `<word>`, `spans` the `(start, end)` of each word itself in `buf`
/// (so `buf[start - 1..end + 1]` is the padded word the character n-grams are taken from).
pub fn words(norm: &str, buf: &mut Vec<char>, spans: &mut Vec<(usize, usize)>) {
    buf.clear();
    spans.clear();
    let mut start: Option<usize> = None;
    for c in norm.chars() {
        if is_word_char(c) {
            if start.is_none() {
                buf.push('<');
                start = Some(buf.len());
            }
            buf.push(fold_char(c));
        } else if let Some(s) = start.take() {
            spans.push((s, buf.len()));
            buf.push('>');
        }
    }
    if let Some(s) = start {
        spans.push((s, buf.len()));
        buf.push('>');
    }
}

/// Calls `f` with the hash of every n-gram of `norm` (with repeats: the count is the term frequency).
pub fn for_each_ngram_hash(
    norm: &str,
    buf: &mut Vec<char>,
    spans: &mut Vec<(usize, usize)>,
    mut f: impl FnMut(u64),
) {
    for_each_ngram_hash_or_word::<Fnv>(norm, buf, spans, |h, _| {
        f(h);
        false
    });
}

/// The kind of an n-gram (its `w:`, `b:` or `c:` prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gram {
    Word,
    Bigram,
    Chars,
}

/// [`for_each_ngram_hash`] with each n-gram's [`Gram`] kind, where the caller may account for a whole word
/// at once: when `f(hash, Gram::Word)` returns true, that word's character n-grams are skipped (the caller
/// counted them itself, e.g. from a table precomputed for vocabulary words). For the other kinds the
/// return value is ignored. `H` is the hash ([`Fnv`] for training's stable hashes).
pub fn for_each_ngram_hash_or_word<H: NgramHash>(
    norm: &str,
    buf: &mut Vec<char>,
    spans: &mut Vec<(usize, usize)>,
    mut f: impl FnMut(u64, Gram) -> bool,
) {
    words(norm, buf, spans);
    let mut prev: Option<H> = None;
    for &(s, e) in spans.iter() {
        let word = &buf[s..e];
        // w:word, and b:word as the start of the next bigram.
        let mut hw = H::WORD;
        let mut hb_next = H::BIGRAM;
        for &c in word {
            hw.char(c);
            hb_next.char(c);
        }
        let counted = f(hw.value(), Gram::Word);
        // b:prev word — continue the previous word's "b:" hash with a space and this word.
        if let Some(mut hb) = prev {
            hb.char(' ');
            for &c in word {
                hb.char(c);
            }
            f(hb.value(), Gram::Bigram);
        }
        prev = Some(hb_next);
        if counted {
            continue;
        }
        // c: character n-grams of "<word>" (`words` wrote the padding around it).
        let padded = &buf[s - 1..e + 1];
        let n = padded.len();
        for i in 0..n.saturating_sub(CHAR_MIN - 1) {
            let mut h = H::CHARS;
            for &c in &padded[i..i + CHAR_MIN] {
                h.char(c);
            }
            f(h.value(), Gram::Chars);
            for &c in &padded[i + CHAR_MIN..(i + CHAR_MAX).min(n)] {
                h.char(c);
                f(h.value(), Gram::Chars);
            }
        }
    }
}

/// The n-grams of `norm` as strings, in the same order and with the same repeats as
/// [`for_each_ngram_hash`]. Used when building the vocabulary and in tests.
pub fn ngram_strings(norm: &str) -> Vec<String> {
    let mut buf = Vec::new();
    let mut spans = Vec::new();
    words(norm, &mut buf, &mut spans);
    let mut out = Vec::new();
    let mut prev: Option<String> = None;
    for &(s, e) in &spans {
        let word: String = buf[s..e].iter().collect();
        out.push(format!("w:{word}"));
        if let Some(p) = &prev {
            out.push(format!("b:{p} {word}"));
        }
        let padded: Vec<char> = std::iter::once('<')
            .chain(word.chars())
            .chain(std::iter::once('>'))
            .collect();
        for i in 0..padded.len() {
            for len in CHAR_MIN..=CHAR_MAX {
                if i + len <= padded.len() {
                    out.push(format!(
                        "c:{}",
                        padded[i..i + len].iter().collect::<String>()
                    ));
                }
            }
        }
        prev = Some(word);
    }
    out
}

/// A readable form of a vocabulary entry for `reasons`: `"визовый режим"`, `"…виз…"`.
pub fn display_ngram(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_display_ngram(&mut out, s);
    out
}

/// Appends [`display_ngram`]'s form of `s` to `out`.
pub fn push_display_ngram(out: &mut String, s: &str) {
    let mut quoted = |before: &str, core: &str, after: &str| {
        out.push('"');
        out.push_str(before);
        out.push_str(core);
        out.push_str(after);
        out.push('"');
    };
    if let Some(w) = s.strip_prefix("w:").or_else(|| s.strip_prefix("b:")) {
        quoted("", w, "")
    } else if let Some(c) = s.strip_prefix("c:") {
        let start = c.starts_with('<');
        let end = c.ends_with('>');
        let core = c.trim_start_matches('<').trim_end_matches('>');
        quoted(
            if start { "" } else { "…" },
            core,
            if end { "" } else { "…" },
        )
    } else {
        out.push_str(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize_for_model;

    fn hashes<H: NgramHash>(norm: &str) -> Vec<u64> {
        let mut v = Vec::new();
        for_each_ngram_hash_or_word::<H>(norm, &mut Vec::new(), &mut Vec::new(), |h, _| {
            v.push(h);
            false
        });
        v
    }

    #[test]
    fn hash_path_matches_string_path() {
        for t in [
            "Россия вводит визовый режим для Казахстана с 30 июня",
            "Ресей Қазақстанға визалық режим енгізбейді: визасыз режим сақталады",
            "Visa-free regime stays, says MFA",
            "В 2025-м — 30 дней; ٣ дня, x2 и 1",
            "Türkiye vizasız: ışık, ğ, ş; Qazaqstan ýa 🙂",
            "a",
            "я б",
            "",
            "...!",
        ] {
            let n = normalize_for_model(t);
            let strings = ngram_strings(&n);
            let fnv: Vec<u64> = strings.iter().map(|s| hash_str(s)).collect();
            assert_eq!(hashes::<Fnv>(&n), fnv, "{t}");
            let char_hash: Vec<u64> = strings.iter().map(|s| CharHash::of_str(s)).collect();
            assert_eq!(hashes::<CharHash>(&n), char_hash, "{t}");
        }
    }

    #[test]
    fn words_bigrams_and_padded_char_grams() {
        let g = ngram_strings(&normalize_for_model("Визы для РК 2025"));
        assert!(g.contains(&"w:визы".to_string()));
        assert!(g.contains(&"b:визы для".to_string()));
        assert!(g.contains(&"c:<виз".to_string()));
        assert!(g.contains(&"c:зы>".to_string()));
        assert!(g.contains(&"w:0000".to_string()), "digits fold to 0");
        assert!(!g.iter().any(|s| s.contains("c:<в>")));
    }

    #[test]
    fn kazakh_letters_stay_whole() {
        let g = ngram_strings(&normalize_for_model("ВИЗАЛЫҚ режим"));
        assert!(g.contains(&"w:визалық".to_string()));
        assert!(g.contains(&"c:лық>".to_string()));
    }

    #[test]
    fn display_forms() {
        assert_eq!(display_ngram("b:visa regime"), "\"visa regime\"");
        assert_eq!(display_ngram("c:<виз"), "\"виз…\"");
        assert_eq!(display_ngram("c:изов"), "\"…изов…\"");
    }
}
