//! The model: a multinomial logistic regression over TF-IDF n-gram features plus cue features, its
//! versioned JSON file, and sparse prediction.
//!
//! # Prediction
//! A headline's n-grams are hashed ([`super::features`]) and looked up in the vocabulary (a hash map from
//! n-gram hash to column); term frequencies are sublinear (`1 + ln tf`), multiplied by the stored IDF and
//! L2-normalised; cue features are binary, scaled by `cue_scale`. The four class logits are dot products
//! with the learned coefficients, divided by the calibration temperature and soft-maxed. No dense vector is
//! ever built.
//!
//! # The model file and its checks
//! JSON with `format` / `format_version`, the vocabulary (n-gram strings), IDF, coefficients, cue ids,
//! corpus hash, training date, crate version, the chosen regularisation and the cross-validation metrics.
//! - A file that is not JSON of this shape is an error ("corrupt ... run `headline-watch train`"), never a
//!   panic; so is an unknown format version or a cue set that differs from this build's.
//! - The corpus hash is *not* checked when classifying: a fresh clone or a cron job must classify without
//!   the corpus. [`Model::check_corpus`] compares it where the corpus matters (evaluation, the model
//!   agreement test) and says to run `train`. `classify` never reads the corpus (that would cost its
//!   cold start ~10 ms per thousand rows and fail on a machine without it).

use super::cues::{Cues, N_CUES};
use super::features::{for_each_ngram_hash_or_word, push_display_ngram, CharHash, Gram, NgramHash};
use super::metrics::Metrics;
use crate::domain::Label;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::path::Path;

/// The model file's `format` field.
pub const FORMAT: &str = "headline-watch-classifier";
/// Bumped whenever features or the file layout change; an older file must be retrained.
pub const FORMAT_VERSION: u32 = 1;

/// The serialised model (field order is the file's).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    pub format: String,
    pub format_version: u32,
    pub crate_version: String,
    pub trained_at: String,
    pub corpus_hash: String,
    pub corpus_rows: usize,
    /// Class order of every `[f32; 4]` below (misleading, accurate, rebuttal, unrelated).
    pub labels: Vec<Label>,
    /// Inverse L2 strength (alpha = 1 / c) chosen by cross-validation.
    pub c: f64,
    /// Softmax temperature fitted on out-of-fold logits.
    pub temperature: f64,
    pub cue_scale: f64,
    pub cue_ids: Vec<String>,
    pub cue_weights: Vec<[f32; 4]>,
    pub intercept: [f64; 4],
    /// N-gram strings (`w:`, `b:`, `c:` prefixes), one per column.
    pub vocabulary: Vec<String>,
    pub idf: Vec<f32>,
    pub weights: Vec<[f32; 4]>,
    /// Cross-validation metrics of the training run (calibrated).
    pub metrics: Option<Metrics>,
}

/// Bits of [`Index`]'s presence bitmap.
const PRESENT_BITS: u32 = 17;

/// N-gram hash → column: an open-addressing table with linear probing, sized to about 40% full.
///
/// Built for the hot loop of prediction (every n-gram of every headline is looked up): keys and columns
/// in two flat arrays behind a small Bloom filter; a miss usually reads only the filter, a hit one key
/// and one column.
/// The key 0 marks an empty slot; the one n-gram whose hash might be 0 is kept aside.
#[derive(Debug, Clone)]
pub struct Index {
    keys: Vec<u64>,
    cols: Vec<u32>,
    /// A 2^17-bit (16 KB) blocked Bloom filter of the keys ([`Index::present_bits`]): most n-grams of a
    /// headline are not in the index, and a miss then usually reads this small, cached bitmap instead of
    /// a slot of the 256 KB key array.
    present: Vec<u64>,
    shift: u32,
    zero: Option<u32>,
    /// Keyed with [`CharHash`] (prediction) rather than training's FNV ([`Index::for_prediction`]).
    char_hash: bool,
    /// Keys given more than once (each kept its last column).
    repeats: usize,
}

impl Index {
    /// Column `i` for the `i`-th key; a repeated key keeps its last column (as a map insert would).
    pub fn new(keys: &[u64]) -> Index {
        let cap = (keys.len() * 5 / 2).next_power_of_two().max(16);
        let mut index = Index {
            keys: vec![0; cap],
            cols: vec![0; cap],
            present: vec![0; (1 << PRESENT_BITS) / 64],
            shift: 64 - cap.trailing_zeros(),
            zero: None,
            char_hash: false,
            repeats: 0,
        };
        let mask = cap - 1;
        for (col, &k) in keys.iter().enumerate() {
            if k == 0 {
                index.repeats += usize::from(index.zero.is_some());
                index.zero = Some(col as u32);
                continue;
            }
            let mut i = index.slot(k);
            while index.keys[i] != 0 && index.keys[i] != k {
                i = (i + 1) & mask;
            }
            index.repeats += usize::from(index.keys[i] == k);
            let (word, bits) = Index::present_bits(k);
            index.present[word] |= bits;
            index.keys[i] = k;
            index.cols[i] = col as u32;
        }
        index
    }

    /// The index prediction uses: `vocabulary`'s strings keyed with [`CharHash`], the hash
    /// [`Linear::logits`] counts with (one multiply per character instead of one per UTF-8 byte).
    /// `None` if two entries share a key, which would merge their columns (a 64-bit hash of ~10⁴ distinct
    /// strings: it does not happen, but it is checked rather than assumed).
    pub fn for_prediction(vocabulary: &[String]) -> Option<Index> {
        let keys: Vec<u64> = vocabulary.iter().map(|g| CharHash::of_str(g)).collect();
        let mut index = Index::new(&keys);
        index.char_hash = true;
        (index.repeats == 0).then_some(index)
    }

    #[inline]
    fn slot(&self, k: u64) -> usize {
        // Fibonacci hashing: FNV's low bits are weak, the product's high bits are not.
        (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The word of [`Index::present`] for key `k` and the two bits in it that key sets (a blocked Bloom
    /// filter: one load, ~3% false positives at 12,000 keys where one bit per key gave ~9%). Taken from
    /// the product [`Index::slot`] uses (the hashes' own low bits are their weakest): the word from its
    /// bits 20–30, the two bits from bits 52–57 and 58–63.
    #[inline(always)]
    fn present_bits(k: u64) -> (usize, u64) {
        let h = k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 20;
        let word = (h as usize) & ((1 << (PRESENT_BITS - 6)) - 1);
        let bits = (1u64 << ((h >> 32) & 63)) | (1u64 << ((h >> 38) & 63));
        (word, bits)
    }

    /// The column of n-gram hash `k`, if it is in the vocabulary.
    #[inline]
    pub fn get(&self, k: u64) -> Option<u32> {
        if k == 0 {
            return self.zero;
        }
        let (word, bits) = Index::present_bits(k);
        if self.present[word] & bits != bits {
            return None;
        }
        let mask = self.keys.len() - 1;
        let mut i = self.slot(k);
        loop {
            let key = self.keys[i];
            if key == k {
                return Some(self.cols[i]);
            }
            if key == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }
}

/// The part of the model prediction needs, in memory.
#[derive(Debug, Clone)]
pub struct Linear {
    /// Keyed with the hash the caller counts with: FNV in training ([`Linear::logits_from_columns`]),
    /// [`CharHash`] in a loaded model ([`Index::for_prediction`], for [`Linear::logits`]).
    pub index: Index,
    pub idf: Vec<f32>,
    pub weights: Vec<[f32; 4]>,
    pub cue_weights: Vec<[f32; 4]>,
    pub intercept: [f64; 4],
    pub cue_scale: f64,
    /// The character n-gram columns of each vocabulary word (empty: count every n-gram one by one).
    pub known_words: KnownWords,
}

/// For each word unigram column, the columns of that word's character n-grams (with repeats), computed
/// once when the model loads, as fastText keeps the subwords of its dictionary words. A headline word that
/// is a vocabulary word is then counted from this list instead of hashing and looking up its character
/// n-grams one by one; the counts are the same.
#[derive(Debug, Clone, Default)]
pub struct KnownWords {
    /// Per column, the range of its list in `cols`; `u32::MAX` starts for columns that are not words.
    ranges: Vec<(u32, u32)>,
    cols: Vec<u32>,
}

impl KnownWords {
    /// Lists for every `w:` entry of `vocabulary` (column order), through `index` (keyed with [`CharHash`]).
    pub fn new(vocabulary: &[String], index: &Index) -> KnownWords {
        let mut k = KnownWords {
            ranges: vec![(u32::MAX, 0); vocabulary.len()],
            cols: Vec::new(),
        };
        let (mut chars, mut spans, mut hashes) = (Vec::new(), Vec::new(), Vec::new());
        for (c, g) in vocabulary.iter().enumerate() {
            let Some(word) = g.strip_prefix("w:") else {
                continue;
            };
            // The word's n-grams as prediction hashes them: its unigram, then its character n-grams.
            let mut words = 0;
            hashes.clear();
            for_each_ngram_hash_or_word::<CharHash>(word, &mut chars, &mut spans, |h, kind| {
                words += usize::from(kind == Gram::Word);
                hashes.push(h);
                false
            });
            // Only an entry that is exactly one word (as the tokeniser reads it) has a list.
            if words != 1 || hashes.first() != Some(&CharHash::of_str(g)) {
                continue;
            }
            let start = k.cols.len() as u32;
            k.cols
                .extend(hashes[1..].iter().filter_map(|&h| index.get(h)));
            k.ranges[c] = (start, k.cols.len() as u32 - start);
        }
        k
    }

    /// The character n-gram columns of word column `c`, if it is a vocabulary word with a list.
    #[inline]
    pub fn get(&self, c: u32) -> Option<&[u32]> {
        let &(start, len) = self.ranges.get(c as usize)?;
        (start != u32::MAX).then(|| &self.cols[start as usize..(start + len) as usize])
    }

    /// How many vocabulary words have a list (for tests).
    pub fn len(&self) -> usize {
        self.ranges.iter().filter(|r| r.0 != u32::MAX).count()
    }

    /// True when no word has a list (training's models).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One n-gram column's share in a decision (for reasons).
#[derive(Debug, Clone, Copy)]
pub struct Contribution {
    pub column: u32,
    pub value: f64,
}

/// Scratch buffers reused across headlines.
#[derive(Default)]
pub struct Scratch {
    chars: Vec<char>,
    spans: Vec<(usize, usize)>,
    /// One bit per vocabulary column: seen in this headline.
    seen: Vec<u64>,
    /// One bit per word of `seen`: not zero (the read-back visits only those words).
    seen_words: Vec<u64>,
    /// Occurrences per vocabulary column in this headline (zero outside it).
    tf: Vec<u32>,
    /// (push, column) candidates for reasons.
    candidates: Vec<(f64, u32)>,
    /// (column, weighted value) of the last headline.
    pub terms: Vec<(u32, f64)>,
}

impl Linear {
    /// Class logits for a headline in model form; `s.terms` holds its weighted features afterwards.
    ///
    /// The same arithmetic, in the same order, as [`Linear::logits_from_columns`] (training's path): the
    /// columns are counted in place and read back in ascending order from a two-level bitset (its
    /// non-zero 64-bit words, then their bits) instead of sorted.
    pub fn logits(&self, norm: &str, cues: &[bool], s: &mut Scratch) -> [f64; 4] {
        let Scratch {
            chars,
            spans,
            seen,
            seen_words,
            tf,
            terms,
            ..
        } = s;
        debug_assert!(self.index.char_hash, "prediction counts with CharHash");
        let nv = self.idf.len();
        if tf.len() != nv {
            *tf = vec![0; nv];
            *seen = vec![0; nv.div_ceil(64)];
            *seen_words = vec![0; nv.div_ceil(64 * 64)];
        }
        let mut count = |c: u32| {
            let c = c as usize;
            seen[c >> 6] |= 1 << (c & 63);
            seen_words[c >> 12] |= 1 << ((c >> 6) & 63);
            tf[c] += 1;
        };
        // Vocabulary words are counted with their character n-grams at once; the other n-grams one by one.
        for_each_ngram_hash_or_word::<CharHash>(norm, chars, spans, |h, kind| {
            if let Some(c) = self.index.get(h) {
                count(c);
                if kind == Gram::Word {
                    if let Some(grams) = self.known_words.get(c) {
                        for &g in grams {
                            count(g);
                        }
                        return true;
                    }
                }
            }
            false
        });
        terms.clear();
        let mut norm2 = 0.0;
        for (top, top_bits) in seen_words.iter_mut().enumerate() {
            let mut words = std::mem::take(top_bits);
            while words != 0 {
                let w = top * 64 + words.trailing_zeros() as usize;
                words &= words - 1;
                let mut bits = std::mem::take(&mut seen[w]);
                while bits != 0 {
                    let c = w * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    let tf = std::mem::take(&mut tf[c]);
                    // ln(1) is exactly 0: the common single occurrence skips the logarithm, same value.
                    let sub = if tf == 1 {
                        1.0
                    } else {
                        1.0 + f64::from(tf).ln()
                    };
                    let v = sub * f64::from(self.idf[c]);
                    norm2 += v * v;
                    terms.push((c as u32, v));
                }
            }
        }
        self.weigh(terms, norm2, cues)
    }

    /// Logits from the vocabulary columns of every n-gram occurrence (repeats = term frequency).
    pub fn logits_from_columns(
        &self,
        cols: &mut [u32],
        cues: &[bool],
        terms: &mut Vec<(u32, f64)>,
    ) -> [f64; 4] {
        cols.sort_unstable();
        terms.clear();
        let mut i = 0;
        let mut norm2 = 0.0;
        while i < cols.len() {
            let c = cols[i];
            let mut j = i + 1;
            while j < cols.len() && cols[j] == c {
                j += 1;
            }
            let tf = (j - i) as f64;
            let v = (1.0 + tf.ln()) * f64::from(self.idf[c as usize]);
            norm2 += v * v;
            terms.push((c, v));
            i = j;
        }
        self.weigh(terms, norm2, cues)
    }

    /// L2-normalises the terms (whose squared norm is `norm2`) and adds up the class logits.
    fn weigh(&self, terms: &mut [(u32, f64)], norm2: f64, cues: &[bool]) -> [f64; 4] {
        let inv = if norm2 > 0.0 { 1.0 / norm2.sqrt() } else { 0.0 };
        let mut z = self.intercept;
        for t in terms.iter_mut() {
            t.1 *= inv;
            let w = &self.weights[t.0 as usize];
            for k in 0..4 {
                z[k] += t.1 * f64::from(w[k]);
            }
        }
        for (on, w) in cues.iter().zip(&self.cue_weights) {
            if *on {
                for k in 0..4 {
                    z[k] += self.cue_scale * f64::from(w[k]);
                }
            }
        }
        z
    }
}

/// Softmax of `z / temperature`.
pub fn softmax(z: &[f64; 4], temperature: f64) -> [f64; 4] {
    let t = if temperature > 0.0 { temperature } else { 1.0 };
    let m = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let mut p = [0.0; 4];
    let mut sum = 0.0;
    for k in 0..4 {
        p[k] = ((z[k] - m) / t).exp();
        sum += p[k];
    }
    for v in &mut p {
        *v /= sum;
    }
    p
}

/// A loaded model, ready to classify.
pub struct Model {
    pub file: ModelFile,
    pub linear: Linear,
    cues: Cues,
    /// Whether each column is a word unigram or bigram (preferred in reasons: readable and cheaper).
    word_column: Vec<bool>,
    /// Set when the word n-gram columns are exactly the first ones (models trained since they are
    /// ordered so): a headline's word n-grams are then a prefix of its sorted terms.
    word_prefix: Option<u32>,
    /// How reasons show each column.
    names: Names,
}

/// Each vocabulary entry's display form (`"…виз…"`) and core (`виз`, for the overlap test of reasons),
/// made once at load into one block of text: reasons read a few of them per headline, and reading them
/// from the vocabulary's separately allocated strings was a cache miss each time (a third of the time
/// spent choosing the reasons).
struct Names {
    text: String,
    /// Per column: the display form's and the core's byte ranges in `text`.
    spans: Vec<[(u32, u32); 2]>,
}

impl Names {
    fn new(vocabulary: &[String]) -> Names {
        let mut text = String::new();
        let mut spans = Vec::with_capacity(vocabulary.len());
        for g in vocabulary {
            let start = text.len() as u32;
            push_display_ngram(&mut text, g);
            let display = (start, text.len() as u32);
            let core = g
                .get(2..)
                .unwrap_or("")
                .trim_start_matches('<')
                .trim_end_matches('>');
            let start = text.len() as u32;
            text.push_str(core);
            spans.push([display, (start, text.len() as u32)]);
        }
        Names { text, spans }
    }

    /// Column `c`'s display form.
    fn display(&self, c: u32) -> &str {
        let (a, b) = self.spans[c as usize][0];
        &self.text[a as usize..b as usize]
    }

    /// Column `c`'s core, as bytes (compared, never shown).
    fn core(&self, c: u32) -> &[u8] {
        let (a, b) = self.spans[c as usize][1];
        &self.text.as_bytes()[a as usize..b as usize]
    }
}

/// Whether one of two short byte strings contains the other (a plain loop: the cores are a few bytes,
/// where `str::contains`' general search costs more than the comparison).
fn overlaps(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.is_empty()
        || long
            .windows(short.len())
            .any(|w| w.iter().zip(short).all(|(x, y)| x == y))
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
    static NORM: RefCell<String> = const { RefCell::new(String::new()) };
}

/// What [`Model::predict`] returns.
#[derive(Debug, Clone)]
pub struct Prediction {
    pub label: Label,
    pub probs: [f64; 4],
    pub cues: [bool; N_CUES],
    /// The n-gram columns that pushed most towards `label`, strongest first ([`Model::display`] shows
    /// them).
    pub top_ngrams: TopNgrams,
}

/// Most n-grams named in a prediction's reasons.
pub const TOP_NGRAMS: usize = 3;

/// Up to [`TOP_NGRAMS`] columns, held inline (no allocation per headline); reads as a slice.
#[derive(Debug, Clone, Copy, Default)]
pub struct TopNgrams {
    cols: [u32; TOP_NGRAMS],
    len: usize,
}

impl std::ops::Deref for TopNgrams {
    type Target = [u32];
    fn deref(&self) -> &[u32] {
        &self.cols[..self.len]
    }
}

impl Model {
    /// Builds the in-memory model from its file form, checking that the parts fit together.
    pub fn from_file(file: ModelFile, path: &Path) -> Result<Model> {
        let bad = |m: String| Error::Model {
            path: path.to_path_buf(),
            message: format!("{m}; run `headline-watch train` to rebuild it"),
        };
        if file.format != FORMAT {
            return Err(bad(format!(
                "not a headline-watch model (format {:?})",
                file.format
            )));
        }
        if file.format_version != FORMAT_VERSION {
            return Err(bad(format!(
                "model format version {} is not the version this build reads ({FORMAT_VERSION})",
                file.format_version
            )));
        }
        if file.labels != Label::ALL {
            return Err(bad("the model's label order is not this build's".into()));
        }
        if file.cue_ids != Cues::ids() || file.cue_weights.len() != N_CUES {
            return Err(bad(
                "the model was trained with a different cue set than this build's".into(),
            ));
        }
        let n = file.vocabulary.len();
        if file.idf.len() != n || file.weights.len() != n {
            return Err(bad(format!(
                "corrupt model: {n} vocabulary entries but {} IDF values and {} weight rows",
                file.idf.len(),
                file.weights.len()
            )));
        }
        let finite = file.idf.iter().all(|v| v.is_finite())
            && file.weights.iter().flatten().all(|v| v.is_finite())
            && file.cue_weights.iter().flatten().all(|v| v.is_finite())
            && file.intercept.iter().all(|v| v.is_finite())
            && file.temperature.is_finite()
            && file.temperature > 0.0;
        if !finite {
            return Err(bad("corrupt model: non-finite numbers".into()));
        }
        let index = Index::for_prediction(&file.vocabulary).ok_or_else(|| {
            bad("corrupt model: two vocabulary entries share a prediction hash (or repeat)".into())
        })?;
        let known_words = KnownWords::new(&file.vocabulary, &index);
        let linear = Linear {
            index,
            idf: file.idf.clone(),
            weights: file.weights.clone(),
            cue_weights: file.cue_weights.clone(),
            intercept: file.intercept,
            cue_scale: file.cue_scale,
            known_words,
        };
        let word_column: Vec<bool> = file
            .vocabulary
            .iter()
            .map(|g| g.starts_with("w:") || g.starts_with("b:"))
            .collect();
        let words = word_column.iter().filter(|&&w| w).count();
        let word_prefix = word_column[..words]
            .iter()
            .all(|&w| w)
            .then_some(words as u32);
        Ok(Model {
            word_prefix,
            names: Names::new(&file.vocabulary),
            file,
            linear,
            cues: Cues::new(),
            word_column,
        })
    }

    /// Reads a model file. Missing, unreadable, corrupt or outdated files are errors naming the path.
    pub fn load(path: &Path) -> Result<Model> {
        let bytes = std::fs::read(path).map_err(|e| Error::Model {
            path: path.to_path_buf(),
            message: if e.kind() == std::io::ErrorKind::NotFound {
                "no model file; run `headline-watch train` to create it".into()
            } else {
                format!("cannot read the model file: {e}")
            },
        })?;
        let corrupt = |e: serde_json::Error| Error::Model {
            path: path.to_path_buf(),
            message: format!("corrupt model file ({e}); run `headline-watch train` to rebuild it"),
        };
        // One parse in the common case (the file is ~1 MB: parsing it twice cost ~3 ms of cold start).
        match serde_json::from_slice::<ModelFile>(&bytes) {
            Ok(file) => Model::from_file(file, path),
            Err(e) => {
                // An older file of ours may not fit today's shape: say "outdated", not "corrupt".
                #[derive(Deserialize)]
                struct Head {
                    format: Option<String>,
                    format_version: Option<u32>,
                }
                if let Ok(head) = serde_json::from_slice::<Head>(&bytes) {
                    if head.format.as_deref() == Some(FORMAT)
                        && head.format_version != Some(FORMAT_VERSION)
                    {
                        return Err(Error::Model {
                            path: path.to_path_buf(),
                            message: format!(
                                "model format version {:?} is not the version this build reads ({FORMAT_VERSION}); run `headline-watch train` to rebuild it",
                                head.format_version
                            ),
                        });
                    }
                }
                Err(corrupt(e))
            }
        }
    }

    /// Writes the model as JSON (atomically: a temporary file renamed into place).
    pub fn save(file: &ModelFile, path: &Path) -> Result<()> {
        let io = |e: std::io::Error| Error::Model {
            path: path.to_path_buf(),
            message: format!("cannot write the model file: {e}"),
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let json = serde_json::to_vec(file).map_err(|e| Error::Other(e.to_string()))?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, json).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Errors unless the model was trained on a corpus with this hash.
    pub fn check_corpus(&self, corpus_hash: &str, path: &Path) -> Result<()> {
        if self.file.corpus_hash == corpus_hash {
            Ok(())
        } else {
            Err(Error::Model {
                path: path.to_path_buf(),
                message: format!(
                    "the model was trained on a different corpus (model {}, corpus {}); run `headline-watch train`",
                    short(&self.file.corpus_hash),
                    short(corpus_hash)
                ),
            })
        }
    }

    /// Classifies one headline (raw text; normalised here).
    pub fn predict(&self, raw: &str) -> Prediction {
        NORM.with(|norm| {
            let norm = &mut *norm.borrow_mut();
            crate::text::normalize_for_model_into(raw, norm);
            self.predict_normalized(norm)
        })
    }

    /// Classifies one headline already in model form.
    pub fn predict_normalized(&self, norm: &str) -> Prediction {
        let cues = self.cues.fire(norm);
        SCRATCH.with(|s| {
            let s = &mut *s.borrow_mut();
            let z = self.linear.logits(norm, &cues, s);
            let probs = softmax(&z, self.file.temperature);
            let best = argmax(&probs);
            let top_ngrams = self.top_ngrams(&s.terms, &mut s.candidates, best);
            Prediction {
                label: Label::ALL[best],
                probs,
                cues,
                top_ngrams,
            }
        })
    }

    /// The n-grams whose weighted value pushed hardest towards class `k` against the mean of the others,
    /// skipping those that merely overlap a stronger one (`…станц…` after `казахстанцев`). Word n-grams are
    /// preferred (readable); character n-grams are the fallback when no word n-gram pushed that way.
    fn top_ngrams(
        &self,
        terms: &[(u32, f64)],
        candidates: &mut Vec<(f64, u32)>,
        k: usize,
    ) -> TopNgrams {
        const CANDIDATES: usize = 6;
        // Word n-grams first; all n-grams only when no word n-gram pushed towards `k`.
        for words_only in [true, false] {
            candidates.clear();
            let scan = match self.word_prefix {
                Some(n) if words_only => &terms[..terms.partition_point(|t| t.0 < n)],
                _ => terms,
            };
            for &(c, v) in scan {
                if words_only && self.word_prefix.is_none() && !self.word_column[c as usize] {
                    continue;
                }
                let w = &self.linear.weights[c as usize];
                // w[k] minus the mean of the other three, without a loop: (4 w[k] - Σw) / 3.
                let sum = w[0] + w[1] + w[2] + w[3];
                let push = v * f64::from((4.0 * w[k] - sum) / 3.0);
                if push > 0.0 {
                    candidates.push((push, c));
                }
            }
            if !candidates.is_empty() {
                break;
            }
        }
        // Strongest first; equal pushes in column order.
        let order = |a: &(f64, u32), b: &(f64, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if candidates.len() > CANDIDATES {
            candidates.select_nth_unstable_by(CANDIDATES - 1, order);
            candidates.truncate(CANDIDATES);
        }
        candidates.sort_unstable_by(order);
        let mut out = TopNgrams::default();
        for &(_, c) in candidates.iter() {
            let core = self.names.core(c);
            if out.iter().any(|&o| overlaps(self.names.core(o), core)) {
                continue;
            }
            out.cols[out.len] = c;
            out.len += 1;
            if out.len == TOP_NGRAMS {
                break;
            }
        }
        out
    }

    /// How reasons show vocabulary column `c` (`"визовый режим"`, `"…виз…"`).
    pub fn display(&self, c: u32) -> &str {
        self.names.display(c)
    }
}

/// Index of the largest value (first on ties).
pub fn argmax(p: &[f64; 4]) -> usize {
    let mut best = 0;
    for k in 1..4 {
        if p[k] > p[best] {
            best = k;
        }
    }
    best
}

fn short(h: &str) -> &str {
    &h[..h.len().min(12)]
}

#[cfg(test)]
mod tests {
    use super::super::features::hash_str;
    use super::*;

    #[test]
    fn prediction_counts_the_same_features_as_training_on_every_corpus_row() {
        // Prediction counts vocabulary words from precomputed lists and reads counts back from a bitset;
        // training looks up every n-gram and sorts. Both must give bit-identical logits and terms.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let model =
            Model::load(&root.join("models/visa-regime.json")).expect("committed model loads");
        let words = model
            .file
            .vocabulary
            .iter()
            .filter(|g| g.starts_with("w:"))
            .count();
        assert_eq!(
            model.linear.known_words.len(),
            words,
            "every vocabulary word has a list"
        );
        let rows = crate::classify::corpus::load_dir(&root.join("corpus")).expect("corpus loads");
        let cues = Cues::new();
        // Training's path: FNV hashes, an index keyed with them.
        let fnv: Vec<u64> = model.file.vocabulary.iter().map(|g| hash_str(g)).collect();
        let mut training = model.linear.clone();
        training.index = Index::new(&fnv);
        let mut scratch = Scratch::default();
        let (mut chars, mut spans, mut cols, mut terms) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for r in &rows {
            let norm = crate::text::normalize_for_model(&r.text);
            let fired = cues.fire(&norm);
            let fast = model.linear.logits(&norm, &fired, &mut scratch);
            cols.clear();
            super::super::features::for_each_ngram_hash(&norm, &mut chars, &mut spans, |h| {
                cols.extend(training.index.get(h))
            });
            let slow = training.logits_from_columns(&mut cols, &fired, &mut terms);
            assert_eq!(fast, slow, "{}", r.text);
            assert_eq!(scratch.terms, terms, "{}", r.text);
        }
    }

    #[test]
    fn classify_into_a_reused_result_equals_a_fresh_classify() {
        // `classify` reuses one result for every line: reasons left from a longer earlier list must not
        // survive into a shorter one. Every corpus row, in order, through one reused result.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let model =
            Model::load(&root.join("models/visa-regime.json")).expect("committed model loads");
        let rows = crate::classify::corpus::load_dir(&root.join("corpus")).expect("corpus loads");
        let mut reused = model.classify("", 0.5);
        let mut lengths = std::collections::BTreeSet::new();
        for r in &rows {
            model.classify_into(&r.text, 0.5, &mut reused);
            let fresh = model.classify(&r.text, 0.5);
            assert_eq!(reused.label, fresh.label, "{}", r.text);
            assert_eq!(reused.scores, fresh.scores, "{}", r.text);
            assert_eq!(reused.flagged, fresh.flagged, "{}", r.text);
            assert_eq!(reused.reasons, fresh.reasons, "{}", r.text);
            lengths.insert(fresh.reasons.len());
        }
        assert!(
            lengths.len() >= 3,
            "reason lists of several lengths: {lengths:?}"
        );
    }

    #[test]
    fn reasons_read_word_ngrams_as_a_prefix_and_choose_as_the_general_scan_does() {
        // Training puts the word n-gram columns first; reasons then scan only the prefix of a headline's
        // sorted terms. The general scan (any column order) must choose the same n-grams.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut model =
            Model::load(&root.join("models/visa-regime.json")).expect("committed model loads");
        assert!(model.word_prefix.is_some(), "word n-grams come first");
        let rows = crate::classify::corpus::load_dir(&root.join("corpus")).expect("corpus loads");
        let prefix: Vec<Vec<u32>> = rows
            .iter()
            .map(|r| model.predict(&r.text).top_ngrams.to_vec())
            .collect();
        model.word_prefix = None;
        for (r, want) in rows.iter().zip(&prefix) {
            assert_eq!(
                &model.predict(&r.text).top_ngrams.to_vec(),
                want,
                "{}",
                r.text
            );
        }
        assert!(prefix.iter().filter(|t| !t.is_empty()).count() > rows.len() / 2);
    }

    #[test]
    fn index_answers_like_a_map_for_present_absent_and_colliding_keys() {
        // Keys from a simple LCG, plus keys chosen to share slots (long probe chains) and the key 0.
        let mut x: u64 = 0x1234_5678;
        let mut next = || {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            x
        };
        let mut keys: Vec<u64> = (0..3000).map(|_| next()).collect();
        let probe = Index::new(&keys);
        let target = probe.slot(keys[0]);
        let mut same_slot = Vec::new();
        while same_slot.len() < 12 {
            let k = next();
            if probe.slot(k) == target {
                same_slot.push(k);
            }
        }
        keys.extend(&same_slot[..8]);
        keys.push(0);
        let index = Index::new(&keys);
        let map: std::collections::HashMap<u64, u32> = keys
            .iter()
            .enumerate()
            .map(|(i, &k)| (k, i as u32))
            .collect();
        let absent: Vec<u64> = (0..3000)
            .map(|_| next())
            .chain(same_slot[8..].iter().copied())
            .collect();
        for &k in keys.iter().chain(&absent) {
            let want = map.get(&k).copied();
            assert_eq!(index.get(k), want, "{k:#x}");
        }
        assert_eq!(index.repeats, 0);
        keys.push(keys[5]);
        keys.push(0);
        assert_eq!(Index::new(&keys).repeats, 2);
    }

    #[test]
    fn overlaps_is_containment_either_way() {
        let cores = [
            "",
            "в",
            "виз",
            "визов",
            "изо",
            "visa",
            "is",
            "a",
            "қ",
            "қаз",
            "<",
            "за",
        ];
        for a in cores {
            for b in cores {
                assert_eq!(
                    overlaps(a.as_bytes(), b.as_bytes()),
                    a.contains(b) || b.contains(a),
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn a_vocabulary_whose_prediction_keys_repeat_is_refused() {
        let v = |s: &[&str]| s.iter().map(|g| g.to_string()).collect::<Vec<_>>();
        assert!(Index::for_prediction(&v(&["w:виза", "c:<ви", "b:visa regime"])).is_some());
        assert!(Index::for_prediction(&v(&["w:виза", "c:<ви", "w:виза"])).is_none());
    }
}
