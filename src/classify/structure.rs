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
//! Lexicon entries are matched against the headline's *word form*: its words (letters and digits) in model
//! form, separated by single spaces, with a space at each end. An entry becomes a regex whose words are
//! literal, a trailing `*` being any further letters and a leading one at least one; a leading `^` anchors it at the headline's start. Every match is then a
//! whole-word match without `\b`, which keeps the regexes on the fast literal path on Cyrillic text, and
//! `*` is any byte but a space (`(?-u:[^ ])`: on UTF-8 text between spaces the same as any character, with
//! a far smaller automaton than Unicode's).
//!
//! A visa word inside a visa-free phrase ("без визы", "visa-free", "визасыз") is not a visa word, and a
//! proposal word inside a denial phrase ("не рассматривается", "не поддержали") is not a proposal: matches
//! starting inside the other category's match are dropped (the regex crate has no look-around).

use crate::error::{Error, Result};
use crate::narrative::Lexicon;
use regex::bytes::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use std::path::PathBuf;
use std::sync::OnceLock;

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

/// The regex of one entry (without its surrounding spaces), and whether it is anchored at the start.
fn entry_regex(e: &str) -> (bool, String) {
    let (anchored, body) = (e.starts_with('^'), e.trim_start_matches('^'));
    let words: Vec<String> = body
        .split(' ')
        .map(|w| {
            // A leading `*` needs at least one letter: "*майды" is a suffix, not the word "майды".
            let pre = if w.starts_with('*') {
                "(?-u:[^ ])+"
            } else {
                ""
            };
            let post = if w.len() > 1 && w.ends_with('*') {
                "(?-u:[^ ])*"
            } else {
                ""
            };
            format!("{pre}{}{post}", regex::escape(w.trim_matches('*')))
        })
        .collect();
    (anchored, words.join(" "))
}

/// Lazy-DFA cache per category regex: a category's alternation of hundreds of words makes many states,
/// and a cache that is too small is cleared and rebuilt over and over.
const DFA_CACHE: usize = 8 << 20;

/// Letters and digits; everything else separates words. (ASCII and Cyrillic first: `is_alphanumeric`
/// takes a slow table lookup outside ASCII.)
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || ('\u{430}'..='\u{4ff}').contains(&c)
        || (!c.is_ascii() && c.is_alphanumeric())
}

/// The word form of model-form text: ` word word word ` (see the module docs).
pub fn word_form(norm: &str, out: &mut String) {
    out.clear();
    out.push(' ');
    for c in norm.chars() {
        if is_word_char(c) {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
}

/// The lexicon compiled: one regex per non-empty category.
#[derive(Debug, Clone)]
pub struct Structure {
    /// One pattern per category (an empty category never matches), searched in one pass.
    set: RegexSet,
    /// The patterns, and each alone for the categories whose match positions matter (the actor's states,
    /// visa and visa-free words, proposal and deny words), compiled on first use: most headlines need none.
    patterns: Vec<String>,
    regexes: Vec<OnceLock<Regex>>,
}

impl Structure {
    /// Compiles `lexicon` (already checked by [`check_lexicon`]).
    pub fn new(lexicon: &Lexicon) -> Result<Structure> {
        let err = |e: regex::Error| Error::Narrative {
            path: PathBuf::from("lexicon"),
            message: e.to_string(),
        };
        let mut patterns = Vec::with_capacity(CATEGORIES.len());
        for category in CATEGORIES {
            let (mut anchored, mut plain) = (Vec::new(), Vec::new());
            for e in lexicon.entries(category) {
                let (a, re) = entry_regex(e);
                if a { &mut anchored } else { &mut plain }.push(re);
            }
            let mut alts = Vec::new();
            if !anchored.is_empty() {
                alts.push(format!("^ (?:{}) ", anchored.join("|")));
            }
            if !plain.is_empty() {
                alts.push(format!(" (?:{}) ", plain.join("|")));
            }
            // `[^\s\S]` matches nothing: an empty category keeps its place in the set.
            patterns.push(if alts.is_empty() {
                r"[^\s\S]".to_string()
            } else {
                alts.join("|")
            });
        }
        let set = RegexSetBuilder::new(&patterns)
            .dfa_size_limit(DFA_CACHE)
            .build()
            .map_err(err)?;
        let regexes = patterns.iter().map(|_| OnceLock::new()).collect();
        Ok(Structure {
            set,
            patterns,
            regexes,
        })
    }

    /// Category `c`'s regex alone.
    fn regex(&self, c: usize) -> &Regex {
        self.regexes[c].get_or_init(|| {
            let built = RegexBuilder::new(&self.patterns[c])
                .dfa_size_limit(DFA_CACHE)
                .build();
            built.expect("the set compiled this pattern, with the same limits")
        })
    }

    /// The first match of category `c` in `words`.
    fn first(&self, c: usize, words: &str) -> Option<usize> {
        self.regex(c).find(words.as_bytes()).map(|m| m.start())
    }

    /// What the lexicon finds in `norm` (model-form text).
    pub fn find(&self, norm: &str) -> Found {
        thread_local! {
            static WORDS: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        WORDS.with(|w| {
            let words = &mut *w.borrow_mut();
            word_form(norm, words);
            self.find_in(norm, words)
        })
    }

    fn find_in(&self, norm: &str, words: &str) -> Found {
        let matched = self.set.matches(words.as_bytes());
        let mut on = [false; CATEGORIES.len()];
        for c in matched.iter() {
            on[c] = true;
        }
        // A match ends after its trailing space, where the next word's match starts.
        let foreign_visa = on[VISA] && on[OTHER_COUNTRY] && {
            let visas = self.spans(VISA, words);
            self.spans(OTHER_COUNTRY, words)
                .iter()
                .any(|&(os, oe)| visas.iter().any(|&(vs, ve)| vs + 1 == oe || os + 1 == ve))
        };
        self.drop_inside(words, &mut on, VISA, VISA_FREE);
        self.drop_inside(words, &mut on, PROPOSAL, DENY);
        let actor = [
            (KAZAKHSTAN, Actor::Kazakhstan),
            (RUSSIA, Actor::Russia),
            (OTHER_COUNTRY, Actor::Other),
        ]
        .into_iter()
        .filter(|&(c, _)| on[c]);
        // Positions are needed only when two kinds of state are named.
        let actor = if actor.clone().count() < 2 {
            actor.map(|(_, a)| a).next().unwrap_or(Actor::None)
        } else {
            actor
                .filter_map(|(c, a)| self.first(c, words).map(|at| (at, a)))
                .min_by_key(|&(at, _)| at)
                .map_or(Actor::None, |(_, a)| a)
        };
        Found {
            on,
            actor,
            question_mark: norm.contains('?'),
            quote_mark: norm.contains('"') || norm.contains(':'),
            foreign_visa,
        }
    }

    /// The match spans of category `c` in `words`, surrounding spaces included.
    fn spans(&self, c: usize, words: &str) -> Vec<(usize, usize)> {
        let found = self.regex(c).find_iter(words.as_bytes());
        found.map(|m| (m.start(), m.end())).collect()
    }

    /// Turns category `c` off when every match of it starts inside a match of `outer`: "виз" in "без виз",
    /// "рассматривается" in "не рассматривается".
    fn drop_inside(&self, words: &str, on: &mut [bool], c: usize, outer: usize) {
        if on[c] && on[outer] {
            let outer = self.spans(outer, words);
            let inside = |s: usize| {
                outer
                    .iter()
                    .any(|&(a, b)| (a + 1..b - 1).contains(&(s + 1)))
            };
            on[c] = self.spans(c, words).iter().any(|&(s, _)| !inside(s));
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
        let s = Structure::new(&lex).unwrap();
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
