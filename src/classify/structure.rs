//! Structure features: who does what to whom, read from the narrative's lexicon
//! ([`crate::narrative::Lexicon`]). Each feature is one binary model column beside the n-grams (its weight is
//! learned, nothing is a hard rule) and, when it fires and pushes towards the predicted label, a reason.
//!
//! - **target**: Kazakhstan or its citizens; the Kazakhstan–Russia pair; CIS / Central Asia (which include
//!   them; also migrants named with visa words, whose visa debate is about the visa-free CIS states);
//!   foreigners or migrants in general, even when the pair acts on their visas; another country pair.
//! - **actor**: the first state a headline names (Russia, Kazakhstan, another state): headlines put the
//!   actor first ("Russia to simplify visas for the UAE", "Казахстан не будет вводить визы для россиян").
//! - **action**: introduce, tighten, simplify, abolish, keep, deny.
//! - **modality**: a reported decision, a proposal or debate, a question, a conditional, a denial, a quotation.
//! - and their conjunctions with the visa words (a linear model cannot form conjunctions itself).
//!
//! Lexicon entries are matched against the headline's words (runs of letters and digits in model form). An
//! entry's words match consecutive whole words: literally, a trailing `*` allowing
//! any further letters and a leading one at least one letter before; a leading `^` anchors the entry at the
//! headline's start. The entries are indexed by their first word's letters, so a headline looks up each
//! prefix of each word (a hash lookup per letter) instead of running an automaton over thousands of
//! alternatives: with every state of the world in the lexicon, a regex set spent most of `classify` building
//! lazy-DFA states.
//!
//! A visa word inside a visa-free phrase ("без визы", "visa-free", "визасыз") is not a visa word, and a
//! proposal word inside a denial phrase ("не рассматривается", "не поддержали") is not a proposal: matches
//! starting inside the other category's match are dropped.

use crate::error::{Error, Result};
use crate::narrative::Lexicon;
use rustc_hash::FxHashMap;

/// Defines [`CATEGORIES`] and a constant index for each.
macro_rules! categories {
    ($($name:ident $id:literal;)*) => {
        /// The lexicon's categories, in this order; a narrative file may leave any of them empty.
        pub const CATEGORIES: &[&str] = &[$($id),*];
        categories!(@index 0usize; $($name)*);
    };
    (@index $i:expr; $name:ident $($rest:ident)*) => {
        const $name: usize = $i;
        categories!(@index $i + 1; $($rest)*);
    };
    (@index $i:expr;) => {};
}

categories! {
    KAZAKHSTAN "kazakhstan"; KAZAKHSTAN_PEOPLE "kazakhstan_people"; RUSSIA "russia";
    RUSSIA_PEOPLE "russia_people"; GROUPING "grouping"; FOREIGNERS "foreigners"; MIGRANTS "migrants";
    OTHER_COUNTRY "other_country"; VISA "visa"; VISA_FREE "visa_free"; VISA_REGIME "visa_regime";
    REQUIREMENT "requirement"; ENTRY_RULES "entry_rules"; OFFICIAL "official"; INTRODUCE "introduce";
    TIGHTEN "tighten"; SIMPLIFY "simplify"; ABOLISH "abolish"; KEEP "keep"; DENY "deny";
    PROPOSAL "proposal"; QUESTION "question"; CONDITIONAL "conditional"; DENIAL "denial";
    QUOTATION "quotation"; RUMOUR "rumour"; ALARM "alarm"; PANDEMIC "pandemic";
}

/// The first state a headline names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    None,
    Russia,
    Kazakhstan,
    Other,
}

/// What the lexicon found in one headline: whether each category occurs, and the actor.
#[derive(Debug, Clone)]
pub struct Found {
    pub on: [bool; CATEGORIES.len()],
    pub actor: Actor,
    /// A `?` in the headline (a question without question words).
    pub question_mark: bool,
    /// A quote mark or a colon (attributed speech: "МИД: ...").
    pub quote_mark: bool,
    /// Another state's name right before or after a visa word: that state's visas ("американскими
    /// визами", "US visa", "АҚШ визасына", "визой США"), whatever else the headline names.
    pub foreign_visa: bool,
}

impl Found {
    fn kz_side(&self) -> bool {
        self.on[KAZAKHSTAN] || self.on[KAZAKHSTAN_PEOPLE]
    }
    fn ru_side(&self) -> bool {
        self.on[RUSSIA] || self.on[RUSSIA_PEOPLE]
    }
    fn target_kz(&self) -> bool {
        self.on[KAZAKHSTAN_PEOPLE]
            || (self.on[KAZAKHSTAN] && self.actor != Actor::Kazakhstan && !self.target_foreigners())
    }
    fn target_pair(&self) -> bool {
        self.kz_side() && self.ru_side()
    }
    /// CIS / Central Asia, or migrants named with visa words (see the module docs).
    fn target_grouping(&self) -> bool {
        self.on[GROUPING] || (self.on[MIGRANTS] && self.visa_any())
    }
    fn target_narrative(&self) -> bool {
        self.target_kz() || self.target_pair() || self.target_grouping()
    }
    fn target_foreigners(&self) -> bool {
        let named = self.on[FOREIGNERS] || self.on[MIGRANTS];
        named && !self.on[KAZAKHSTAN_PEOPLE] && !self.target_grouping()
    }
    /// Another state with at most one side of the narrative's pair: Russia–UAE, Kazakhstan–China; or
    /// another state with the grouping when Russia is not named (US visa bonds for Central Asians).
    fn target_other(&self) -> bool {
        let grouping_of_russia = self.target_grouping() && self.ru_side();
        self.foreign_visa || (self.on[OTHER_COUNTRY] && !grouping_of_russia && !self.target_pair())
    }
    fn negated(&self) -> bool {
        self.on[DENIAL] || self.on[DENY]
    }
    fn question(&self) -> bool {
        self.question_mark || self.on[QUESTION]
    }
    fn decision(&self) -> bool {
        [INTRODUCE, TIGHTEN, SIMPLIFY, ABOLISH]
            .iter()
            .any(|&a| self.on[a])
            && !self.on[PROPOSAL]
            && !self.question()
            && !self.on[CONDITIONAL]
            && !self.negated()
    }
    fn visa_any(&self) -> bool {
        self.on[VISA] || self.on[VISA_FREE] || self.on[VISA_REGIME]
    }
}

/// A feature's stable id (stored in the model), the reason it gives, and when it fires.
pub struct Feature {
    pub id: &'static str,
    pub reason: &'static str,
    test: fn(&Found) -> bool,
}

macro_rules! features {
    ($($id:literal, $reason:literal, |$f:ident| $test:expr;)*) => {
        &[$(Feature { id: $id, reason: $reason, test: |$f: &Found| $test },)*]
    };
}

/// The features, in model column order.
pub const FEATURES: &[Feature] = features![
    "visa", "visa wording", |f| f.on[VISA];
    "visa_free", "visa-free wording", |f| f.on[VISA_FREE];
    "visa_regime", "visa-regime wording", |f| f.on[VISA_REGIME];
    "requirement", "border-requirement terms", |f| f.on[REQUIREMENT];
    "entry_rules", "entry and stay rules", |f| f.on[ENTRY_RULES];
    "official", "an official source", |f| f.on[OFFICIAL];
    "rumour", "about rumours, headlines or the media", |f| f.on[RUMOUR];
    "alarm", "de-facto or alarm wording", |f| f.on[ALARM];
    "pandemic", "pandemic-era rules (COVID, PCR, quarantine)", |f| f.on[PANDEMIC];
    "names_kz", "names Kazakhstan", |f| f.kz_side();
    "names_ru", "names Russia", |f| f.ru_side();
    "target_kz", "target: Kazakhstan or its citizens", |f| f.target_kz();
    "target_pair", "target: the Kazakhstan–Russia pair", |f| f.target_pair();
    "target_grouping", "target: CIS / Central Asia (incl. Kazakhstan)", |f| f.target_grouping();
    "target_foreigners", "target: foreigners or migrants in general", |f| f.target_foreigners();
    "target_other", "target: another country pair", |f| f.target_other();
    "actor_russia", "actor: Russia", |f| f.actor == Actor::Russia;
    "actor_kz", "actor: Kazakhstan", |f| f.actor == Actor::Kazakhstan;
    "actor_other", "actor: another state", |f| f.actor == Actor::Other;
    "introduce", "action: introduce", |f| f.on[INTRODUCE];
    "tighten", "action: tighten", |f| f.on[TIGHTEN];
    "simplify", "action: simplify", |f| f.on[SIMPLIFY];
    "abolish", "action: abolish or end", |f| f.on[ABOLISH];
    "keep", "action: keep", |f| f.on[KEEP];
    "deny", "action: deny a report", |f| f.on[DENY];
    "decision", "a reported decision", |f| f.decision();
    "proposal", "a proposal, not a decision", |f| f.on[PROPOSAL];
    "question", "a question", |f| f.question();
    "conditional", "conditional (may, could, if)", |f| f.on[CONDITIONAL];
    "denial", "a denial or negation", |f| f.on[DENIAL];
    "quotation", "a quotation or attributed statement", |f| f.on[QUOTATION] || f.quote_mark;
    "visa+target_kz", "visas for Kazakhstan's citizens", |f| f.on[VISA] && f.target_kz();
    "visa+target_pair", "visas between Kazakhstan and Russia", |f| f.on[VISA] && f.target_pair();
    "visa+target_grouping", "visas for CIS / Central Asia", |f| f.on[VISA] && f.target_grouping();
    "visa+target_other", "visa news of another country pair", |f| f.visa_any() && f.target_other();
    "visa+target_foreigners", "visa procedures for foreigners in general", |f| f.on[VISA] && f.target_foreigners();
    "visa+decision", "visas as a decision", |f| f.on[VISA] && f.decision();
    "visa+proposal", "visas proposed, not decided", |f| f.visa_any() && f.on[PROPOSAL];
    "visa+question", "visas asked about", |f| f.visa_any() && f.question();
    "visa+conditional", "visas as a possibility", |f| f.visa_any() && f.on[CONDITIONAL];
    "visa+negated", "visas denied", |f| f.on[VISA] && f.negated();
    "visa+requirement", "border requirements called a visa", |f| f.on[VISA] && f.on[REQUIREMENT];
    "visa+rumour", "visa rumours or headlines", |f| f.visa_any() && f.on[RUMOUR];
    "visa+official", "officials on visas", |f| f.visa_any() && f.on[OFFICIAL];
    "visa+tighten", "visa procedures tightened", |f| f.on[VISA] && f.on[TIGHTEN];
    "visa+simplify", "visa rules eased", |f| f.visa_any() && f.on[SIMPLIFY];
    "visa+alarm", "visas with alarm wording", |f| f.on[VISA] && f.on[ALARM];
    "visa_free+abolish", "end of visa-free travel", |f| f.on[VISA_FREE] && f.on[ABOLISH];
    "visa_free+keep", "visa-free travel stays", |f| f.on[VISA_FREE] && f.on[KEEP];
    "visa_free+negated", "visa-free with negation", |f| f.on[VISA_FREE] && f.negated();
    "claim", "the claim asserted: visas for Kazakhstan or the CIS", |f| f.target_narrative()
        && (f.on[VISA] || f.on[VISA_REGIME] || (f.on[VISA_FREE] && f.on[ABOLISH]))
        && !f.negated() && !f.on[KEEP] && !f.on[PROPOSAL] && !f.target_other() && !f.target_foreigners();
    "claim_denied", "the claim denied: visa-free travel stays", |f| f.visa_any()
        && (f.target_narrative() || f.on[OFFICIAL])
        && (f.negated() || f.on[KEEP]) && !f.target_other();
    "requirement+target_kz", "border requirements for Kazakhstan's citizens", |f| f.on[REQUIREMENT] && f.target_kz();
    "requirement+russia", "Russia's border requirements", |f| f.on[REQUIREMENT] && f.ru_side();
    "entry_rules+pair", "entry rules of Kazakhstan or Russia", |f| f.on[ENTRY_RULES] && (f.kz_side() || f.ru_side()) && !f.target_other();
    "rules+foreigners", "entry rules or requirements for foreigners", |f| (f.on[ENTRY_RULES] || f.on[REQUIREMENT]) && f.target_foreigners() && !f.target_other();
];

/// Number of structure features (model columns after the n-grams).
pub const N_FEATURES: usize = FEATURES.len();

/// The feature ids in column order (stored in the model: a model of another feature set is refused).
pub fn ids() -> Vec<String> {
    FEATURES.iter().map(|f| f.id.to_string()).collect()
}

/// Checks a lexicon's categories, languages and entries (the narrative loader calls this); errors name
/// `path` and the category.
pub fn check_lexicon(lexicon: &Lexicon, path: &std::path::Path) -> Result<()> {
    check(lexicon).map_err(|message| Error::Narrative {
        path: path.to_path_buf(),
        message,
    })
}

fn check(lexicon: &Lexicon) -> std::result::Result<(), String> {
    for (category, langs) in &lexicon.0 {
        if !CATEGORIES.contains(&category.as_str()) {
            return Err(format!(
                "lexicon.{category}: unknown category (known: {})",
                CATEGORIES.join(", ")
            ));
        }
        for (lang, entries) in langs {
            if lang.len() != 2 || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
                return Err(format!(
                    "lexicon.{category}.{lang}: not an ISO 639-1 language code (en, ru, kk)"
                ));
            }
            for e in entries {
                check_entry(e)
                    .map_err(|why| format!("lexicon.{category}.{lang}: entry {e:?} {why}"))?;
            }
        }
    }
    Ok(())
}

fn check_entry(e: &str) -> std::result::Result<(), &'static str> {
    let body = e.strip_prefix('^').unwrap_or(e);
    if body.is_empty() || body.split(' ').any(|w| w.trim_matches('*').is_empty()) {
        return Err("has an empty word (one space between words; `*` needs letters beside it)");
    }
    for w in body.split(' ') {
        let core = w.trim_matches('*');
        if w.len() - core.len() > 2 || core.contains('*') {
            return Err("has `*` inside a word (only at a word's start or end)");
        }
        if !core
            .chars()
            .all(|c| c.is_alphanumeric() && !c.is_uppercase())
        {
            return Err("must be lower-case letters and digits (the headline's word form has no punctuation)");
        }
    }
    Ok(())
}

/// One lexicon entry: its category, whether it is anchored at the headline's start, and its words: each
/// word's letters, and whether letters may come before them (`*майды`, at least one) or after (`виз*`).
#[derive(Debug, Clone)]
struct Entry {
    category: usize,
    anchored: bool,
    words: Vec<(String, bool, bool)>,
}

/// Whether headline word `w` matches an entry's word.
fn word_matches((core, before, after): &(String, bool, bool), w: &str) -> bool {
    match (before, after) {
        (false, false) => w == core,
        (false, true) => w.starts_with(core.as_str()),
        (true, false) => w.len() > core.len() && w.ends_with(core.as_str()),
        // Bytes, not a substring search: its searcher's set-up cost more than the search (UTF-8 cannot
        // match a letter's lead byte at another letter's continuation byte).
        (true, true) => (w.as_bytes().get(1..))
            .is_some_and(|b| b.windows(core.len()).any(|x| x == core.as_bytes())),
    }
}

/// Letters and digits; everything else separates words. (ASCII and Cyrillic first: `is_alphanumeric`
/// takes a slow table lookup outside ASCII.)
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || ('\u{430}'..='\u{4ff}').contains(&c)
        || (!c.is_ascii() && c.is_alphanumeric())
}

/// The lexicon compiled: its entries indexed by how a headline's word can start them.
#[derive(Debug, Clone)]
pub struct Structure {
    /// Entries whose first word begins with letters, by those letters ("виз" for "виз*" and "визов* режим*"):
    /// each prefix of a headline's word is looked up.
    by_start: FxHashMap<String, Vec<Entry>>,
    /// Entries whose first word is a suffix ("*майды"), by its letters: each proper suffix is looked up.
    by_end: FxHashMap<String, Vec<Entry>>,
    /// Entries whose first word has `*` at both ends ("*майтын*"): tried on every word.
    inside: Vec<Entry>,
}

impl Structure {
    /// Indexes `lexicon` (already checked by [`check_lexicon`]); nothing in it can fail.
    pub fn new(lexicon: &Lexicon) -> Structure {
        let mut s = Structure {
            by_start: FxHashMap::default(),
            by_end: FxHashMap::default(),
            inside: Vec::new(),
        };
        for (category, name) in CATEGORIES.iter().enumerate() {
            for e in lexicon.entries(name) {
                let words = e.trim_start_matches('^').split(' ').map(|w| {
                    let core = w.trim_matches('*').to_string();
                    (core, w.starts_with('*'), w.len() > 1 && w.ends_with('*'))
                });
                let (anchored, words) = (e.starts_with('^'), words.collect::<Vec<_>>());
                let entry = Entry {
                    category,
                    anchored,
                    words,
                };
                let map = match entry.words[0] {
                    (_, true, true) => {
                        s.inside.push(entry);
                        continue;
                    }
                    (_, true, false) => &mut s.by_end,
                    _ => &mut s.by_start,
                };
                map.entry(entry.words[0].0.clone()).or_default().push(entry);
            }
        }
        s
    }

    /// Every entry's match in `norm`: its category and its words' span (first word, one past the last).
    fn matches(&self, norm: &str) -> Vec<(usize, usize, usize)> {
        let words: Vec<&str> = norm
            .split(|c| !is_word_char(c))
            .filter(|w| !w.is_empty())
            .collect();
        let mut found = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let prefixes = w.char_indices().map(|(b, c)| &w[..b + c.len_utf8()]);
            let suffixes = w.char_indices().skip(1).map(|(b, _)| &w[b..]);
            let entries = (prefixes.filter_map(|p| self.by_start.get(p)).flatten())
                .chain(suffixes.filter_map(|p| self.by_end.get(p)).flatten());
            for e in entries.chain(&self.inside) {
                let rest = &words[i..];
                let fits = (!e.anchored || i == 0) && e.words.len() <= rest.len();
                if fits && e.words.iter().zip(rest).all(|(ew, t)| word_matches(ew, t)) {
                    found.push((e.category, i, i + e.words.len()));
                }
            }
        }
        found
    }

    /// What the lexicon finds in `norm` (model-form text).
    pub fn find(&self, norm: &str) -> Found {
        let found = self.matches(norm);
        let spans = |c: usize| {
            found
                .iter()
                .filter(move |m| m.0 == c)
                .map(|&(_, s, e)| (s, e))
        };
        let mut on = [false; CATEGORIES.len()];
        for &(c, ..) in &found {
            on[c] = true;
        }
        let foreign_visa =
            spans(OTHER_COUNTRY).any(|(os, oe)| spans(VISA).any(|(vs, ve)| vs == oe || os == ve));
        // Category `c` is off when every match of it starts inside a match of `outer`: "виз" in "без виз",
        // "рассматривается" in "не рассматривается".
        for (c, outer) in [(VISA, VISA_FREE), (PROPOSAL, DENY)] {
            let inside = |s: usize| spans(outer).any(|(a, b)| (a..b).contains(&s));
            on[c] = spans(c).any(|(s, _)| !inside(s));
        }
        // The actor is the state named first.
        let actor = [
            (KAZAKHSTAN, Actor::Kazakhstan),
            (RUSSIA, Actor::Russia),
            (OTHER_COUNTRY, Actor::Other),
        ]
        .into_iter()
        .filter_map(|(c, a)| spans(c).map(|(s, _)| s).min().map(|at| (at, a)))
        .min_by_key(|&(at, _)| at)
        .map_or(Actor::None, |(_, a)| a);
        Found {
            on,
            actor,
            question_mark: norm.contains('?'),
            quote_mark: norm.contains('"') || norm.contains(':'),
            foreign_visa,
        }
    }

    /// The structure features of `norm`, in [`FEATURES`] order.
    pub fn features(&self, norm: &str) -> [bool; N_FEATURES] {
        let found = self.find(norm);
        std::array::from_fn(|j| (FEATURES[j].test)(&found))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::narrative::Narrative;
    use crate::text::normalize_for_model;
    #[test]
    fn category_indices_name_their_categories() {
        assert_eq!(CATEGORIES[VISA_FREE], "visa_free");
        assert_eq!(CATEGORIES[PANDEMIC], "pandemic");
        assert_eq!(CATEGORIES.len(), PANDEMIC + 1);
    }

    #[test]
    fn ids_are_unique_and_every_category_is_in_the_shipped_lexicon() {
        let mut ids = ids();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), N_FEATURES);
        let lex = Narrative::shipped().lexicon;
        for c in CATEGORIES {
            assert!(lex.entries(c).next().is_some(), "{c} is empty");
        }
    }

    #[test]
    fn entries_match_whole_words_prefixes_suffixes_and_the_start() {
        let mut lex = Lexicon::default();
        let put = |lex: &mut Lexicon, cat: &str, e: &[&str]| {
            lex.0
                .entry(cat.into())
                .or_default()
                .insert("xx".into(), e.iter().map(|s| s.to_string()).collect());
        };
        put(&mut lex, "visa", &["visa", "виз*"]);
        put(&mut lex, "denial", &["*майды"]);
        put(&mut lex, "question", &["^will"]);
        let s = Structure::new(&lex);
        let on = |t: &str, c: &str| {
            s.find(&normalize_for_model(t)).on[CATEGORIES.iter().position(|x| *x == c).unwrap()]
        };
        assert!(on("Visa rules", "visa") && on("a visa.", "visa") && !on("visas", "visa"));
        assert!(on("Визовый режим", "visa") && !on("безвизовый", "visa"));
        assert!(on("виза енгізбейді енгізілмайды", "denial") && !on("майды", "denial"));
        assert!(on("Will Russia?", "question") && !on("Russia will", "question"));
    }

    #[test]
    fn bad_entries_are_refused_with_their_category() {
        for bad in ["Visa", "vi*sa", "visa-free", "", "a  b", "*"] {
            let mut lex = Lexicon::default();
            lex.0
                .entry("visa".into())
                .or_default()
                .insert("en".into(), vec![bad.into()]);
            let e = check(&lex).unwrap_err();
            assert!(e.starts_with("lexicon.visa.en"), "{bad:?}: {e}");
        }
    }
}
