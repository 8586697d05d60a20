//! Cue features: hand-written regex families over the model form of a headline, in English, Russian and
//! Kazakh with their inflections. Each family is one binary model feature (its weight is learned) and,
//! when it fires, a readable reason.
//!
//! "Visa wording" counts only visa words that are not part of a visa-free form (`безвизовый`, `визасыз`,
//! `visa-free`, `без виз`): the regex crate has no look-around, so visa matches inside a visa-free match
//! are discarded by position.

use super::needles::Needles;
use regex::{Regex, RegexBuilder};

/// Lazy-DFA cache per regex: the Unicode classes make many states.
const DFA_CACHE: usize = 8 << 20;

/// Letters of the model form in the three languages: ASCII, Latin-1 to Latin Extended-B (transliterated
/// Kazakh: ı, ğ, ş, ä...) and the Cyrillic block (Russian and Kazakh letters).
const LETTER: &str = r"[a-z\u{c0}-\u{24f}\u{400}-\u{4ff}]";
const NON_WORD: &str = r"(?:^|$|[^0-9a-z_\u{c0}-\u{24f}\u{400}-\u{4ff}])";

/// Rewrites `\p{L}` and `\b` with the small classes above. The regex crate's lazy DFA cannot evaluate
/// a Unicode `\b` on non-ASCII text and falls back to the PikeVM (~100x slower on Cyrillic); the full
/// Unicode classes make the automaton too big to compile quickly. Text reaching the cues is NFKC and
/// lower-cased, so the small classes lose nothing. A boundary character or the text's edge is
/// equivalent to `\b` here: families only test for a match, and the visa / visa-free overlap test
/// compares spans that both include that extra character.
fn dfa_friendly(pattern: &str) -> String {
    pattern.replace(r"\p{L}", LETTER).replace(r"\b", NON_WORD)
}

/// A family's stable id (stored in the model) and its reason text.
pub struct CueFamily {
    pub id: &'static str,
    pub reason: &'static str,
    pattern: &'static str,
}

const VISA_ID: &str = "visa";
const VISA_PATTERN: &str = r"\b(?:visas?|виз\p{L}*|viz\p{L}*)\b";
/// `без ?виз`, not `без\s?виз`: model-form text has no whitespace but single spaces (a `\s` made the
/// branch one the matcher must leave to the regex, which then ran on every headline with `без`).
const VISA_FREE_PATTERN: &str = r"\b(?:visa[- ]?(?:free|exempt\p{L}*|waiver)|без ?виз\p{L}*|визасыз\p{L}*|vizasyz\p{L}*|bezviz\p{L}*|without (?:a )?visas?|no[- ]visa)";

/// The families, in model column order. Visa wording is computed specially (see the module docs).
pub const FAMILIES: &[CueFamily] = &[
    CueFamily {
        id: VISA_ID,
        reason: "visa wording",
        pattern: VISA_PATTERN,
    },
    CueFamily {
        id: "visa_free",
        reason: "visa-free wording",
        pattern: VISA_FREE_PATTERN,
    },
    CueFamily {
        id: "visa_regime",
        reason: "visa-regime wording",
        pattern: r"(?:visa regime|visa requirement|визов\p{L}* режим|режим\p{L}* виз|визалық (?:режим|тәртіп|жүйе)|viz\p{L}* (?:rejim|rezhim|tartip))",
    },
    CueFamily {
        id: "introduce",
        reason: "introduction wording",
        pattern: r"(?:\bintroduc\p{L}*|\bimpos\p{L}*|\bbring\p{L}* in\b|\brequir\p{L}*|\bneed\p{L}*|\bввод\p{L}*|\bввед\p{L}*|\bвводя\p{L}*|\bпонадоб\p{L}*|\bнужн\p{L}*|\bпридется\b|\bенгіз\p{L}*|\bengiz\p{L}*|\bengız\p{L}*|\bқажет\p{L}*|\bкерек\b)",
    },
    CueFamily {
        id: "ending",
        reason: "end-of-visa-free wording",
        pattern: r"(?:\bend(?:s|ed|ing)?\b|\bno longer\b|\bno more\b|\bgoodbye\b|\bпрощай\p{L}*|\bосталось\b|\bне попасть\b|\bsuspend\p{L}*|\bscrap\p{L}*|\babolish\p{L}*|\bover\b|\bконец\b|\bзакончил\p{L}*|\bотмен\p{L}*|\bбольше не\b|\bпрекращ\p{L}*|\bлиш\p{L}*|\bаяқтал\p{L}*|\baiaqtal\p{L}*|\bтоқтатыл\p{L}*|\bақыры\b|\bжойыл\p{L}*)",
    },
    CueFamily {
        id: "denial",
        reason: "denial or negation",
        pattern: r"(?:\bне\b|\bни\b|\bникто\b|\bнельзя\b|\bвымысл\p{L}*|\bвымысел\b|\bошиб\p{L}*|\bправда ли\b|\bn't\b|\bне будет\b|\bне ввод\p{L}*|\bне планиру\p{L}*|\bне нужн\p{L}*|\bопроверг\p{L}*|\bфейк\p{L}*|\bнеправд\p{L}*|\bложь\b|\bложн\p{L}*|\bмиф\p{L}*|\bнет\b|\bникак\p{L}*|\bfake\b|\bfalse\b|\bwrong\b|\bdeni\p{L}*|\bdeny\p{L}*|\breject\p{L}*|\bmyth\p{L}*|\bdebunk\p{L}*|\bgroundless\b|\bno visa|\bnot\b|\bisn't\b|\bno\b|\bжоқ\b|\bжалған\p{L}*|\bсенбе\p{L}*|\bignore\p{L}*|\bbust\p{L}*|\bpush\p{L}* back\b|\bнедостоверн\p{L}*|\bқате\b|\bемес\b|\bтеріске\b|\p{L}{2,}(?:ма|ме|ба|бе|па|пе)й(?:ды|ді|мыз|міз)\b|\p{L}{2,}(?:bei|bai|mei|mai|pei|pai)d[yı]\b)",
    },
    CueFamily {
        id: "remains",
        reason: "visa-free-stays wording",
        pattern: r"(?:\bremain\p{L}*|\bstay\p{L}*|\bcontinu\p{L}*|\bkeep\p{L}*|\bstill\b|\bintact\b|\bunchanged\b|\bсохран\p{L}*|\bоста\p{L}*|\bостанет\p{L}*|\bпродолж\p{L}*|\bв силе\b|\bпо-прежнему\b|\bсақта\p{L}*|\bsaqta\p{L}*|\bnothing changes\b|\bбұрынғыша\b|\bжалғас\p{L}*|\bөз күшінде\b|\bөзгеріссіз\b|\bбұрынғыдай\b|\bқалады\b)",
    },
    CueFamily {
        id: "claim",
        reason: "rumour or fact-check wording",
        pattern: r#"(?:\brumou?r\p{L}*|\bclaim\p{L}*|\bfact.?check\p{L}*|\btruth\b|\bmislead\p{L}*|\bdistort\p{L}*|\bheadlines?\b|\bслух\p{L}*|\bфактчек\p{L}*|\bпровер\p{L}*|\bзаблужд\p{L}*|\bискаж\p{L}*|\bзаголов\p{L}*|\bпаник\p{L}*|\bтексер\p{L}*|\bақпарат\p{L}*|\bдүрбелең\p{L}*|\bсөз\p{L}*|"[^"]*(?:виз|visa|viza)[^"]*")"#,
    },
    CueFamily {
        id: "official",
        reason: "official source",
        pattern: r"(?:\bмид\p{L}*|\bсім\b|\bsim\b|\bсыртқы істер\p{L}*|\bministry\b|\bmfa\b|\bminist\p{L}*|\bмининдел\p{L}*|\bминистр\p{L}*|\bмвд\p{L}*|\bіім\b|\bфсб\p{L}*|smadiyarov|смадияров\p{L}*|\bspokes\p{L}*|\bdiplomat\p{L}*|\bдипломат\p{L}*|\bофициальн\p{L}*|\bресми\p{L}*|\bembass\p{L}*|\bпосольств\p{L}*|\bелшіліг\p{L}*|\bпресс-секретар\p{L}*|\bкремл\p{L}*|\bпесков\p{L}*|\bзахаров\p{L}*)",
    },
    CueFamily {
        id: "border_rules",
        reason: "border-requirement terms",
        pattern: r"(?:\bfingerprint\p{L}*|\bbiometric\p{L}*|\bfacial\b|\bface (?:image|photo)|electronic application|e-application|\bnotif\p{L}*|\bотпечат\p{L}*|\bбиометри\p{L}*|\bдактилоскоп\p{L}*|\bуведомлен\p{L}*|\bзаявлени\p{L}*|\bзаявк\p{L}*|\bфотограф\p{L}*|саусақ із\p{L}*|\bбиометрия\p{L}*|\bөтініш\p{L}*|\bөтінім\p{L}*|\bхабарлама\p{L}*|\bruid\b|\bqr\b|\b30 (?:июня|june|маусым\p{L}*)|\bjune 30\b)",
    },
    CueFamily {
        id: "stay_rules",
        reason: "entry and stay rules",
        pattern: r"(?:\b90 (?:дней|days|күн\p{L}*)|\b180\b|\bпребыван\p{L}*|\bрегистрац\p{L}*|\bна учет\b|\bвнж\b|\bвид\p{L}* на жительство|\bвизаран\p{L}*|\bvisa.?run\p{L}*|\bstay\b|\bregist\p{L}*|\bresiden\p{L}*|\bцифров\p{L}* профил\p{L}*|\bdigital profile\b|\bгосуслуг\p{L}*|\bмиграцион\p{L}*|\bmigration\b|\bзагранпаспорт\p{L}*|\bpassport\p{L}*|\bпаспорт\p{L}*|\bтөлқұжат\p{L}*|\bтіркел\p{L}*|\bправил\p{L}* въезд\p{L}*|\bentry\b|\bвъезд\p{L}*|\bкіру\p{L}*|\bграниц\p{L}*|\bborder\p{L}*|\bшекара\p{L}*|\bexempt\p{L}*|\bисключени\p{L}*|\bосвобожд\p{L}*|\bтребовани\p{L}*|\bталап\p{L}*|\brules?\b|\bправил\p{L}*|\bереже\p{L}*)",
    },
    CueFamily {
        id: "russia",
        reason: "names Russia",
        pattern: r"(?:\brussia\p{L}*|\bросси\p{L}*|\bрф\b|\bресей\p{L}*|\bresei\p{L}*|\bresey\p{L}*|\bмоскв\p{L}*|\bmoscow\b)",
    },
    CueFamily {
        id: "kazakhstan",
        reason: "names Kazakhstan",
        pattern: r"(?:\bkazakh\p{L}*|\bказах\p{L}*|\bқазақ\p{L}*|\bqazaq\p{L}*|\bрк\b|\bқр\b|\bastana\b|\bастан\p{L}*|\bалмат\p{L}*|\balmaty\b)",
    },
    CueFamily {
        id: "cis",
        reason: "names CIS / Central Asia",
        pattern: r"(?:\bcis\b|\bснг\b|central asia\p{L}*|средн\p{L}* ази\p{L}*|центральн\p{L}* ази\p{L}*|орталық ази\p{L}*|\bмигрант\p{L}*|\bmigrant\p{L}*|\bеаэс\b|\beaeu\b)",
    },
    CueFamily {
        id: "other_countries",
        reason: "names another country or border",
        pattern: r"(?:\bukrain\p{L}*|\bукраин\p{L}*|\bgeorgia\p{L}*|\bгрузи\p{L}*|\bbelarus\p{L}*|\bбелорус\p{L}*|\bбеларус\p{L}*|\bschengen\b|\bшенген\p{L}*|\bees\b|\beta\b|\busa?\b|\bсша\b|\bамерик\p{L}*|\bchin\p{L}*|\bкита\p{L}*|\bқытай\p{L}*|\bindia\p{L}*|\bинди\p{L}*|\buk\b|\bbritain\b|\bбритан\p{L}*|\beurop\p{L}*|\bевроп\p{L}*|\bturk\p{L}*|\bтурц\p{L}*|\bтүркия\p{L}*|\buzbek\p{L}*|\bузбек\p{L}*|\bkyrgyz\p{L}*|\bкиргиз\p{L}*|\bкыргыз\p{L}*|\bқырғыз\p{L}*|\btajik\p{L}*|\bтаджик\p{L}*|\bтәжік\p{L}*|\bөзбек\p{L}*|\bcanad\p{L}*|\bканад\p{L}*|\bkyiv\b|\bкиев\p{L}*|\bjapan\p{L}*|\bяпони\p{L}*|\bkorea\p{L}*|\bкоре\p{L}*|\be-visa\p{L}*|\bэлектронн\p{L}* виз\p{L}*|\b\d+ (?:countries|стран|ел\p{L}*)\b)",
    },
    CueFamily {
        id: "proposal",
        reason: "proposal or debate wording",
        pattern: r"(?:\bpropos\p{L}*|\bsuggest\p{L}*|\bcall\p{L}* for\b|\bпредлож\p{L}*|\bпредлага\p{L}*|\bпризыва\p{L}* ввести|\bдепутат\p{L}*|\bлдпр\b|\bслуцк\p{L}*|\bжириновск\p{L}*|\bинициатив\p{L}*|\bзаконопроект\p{L}*|\bұсын\p{L}*|\bmp\b|\blawmaker\p{L}*|\bэксперт\p{L}*|\bполитолог\p{L}*|\bобсужд\p{L}*|\bдебат\p{L}*|\bdebat\p{L}*|\bexpert\p{L}*|\beconomist\p{L}*|\bshould\b|\bviews?\b|\bпікірталас\p{L}*|\bсарапшы\p{L}*|\bсаясаткер\p{L}*|\bпарти\p{L}*|\bparty\b|\bnationalist\p{L}*|\bpolitician\p{L}*|\bполитик\p{L}*|\bвыгод\p{L}*|\bзиян\p{L}*|\bhurt\b)",
    },
    CueFamily {
        id: "assertive",
        reason: "de-facto or alarm wording",
        pattern: r"(?:\bde facto\b|\bin all but name\b|\bin effect\b|\beffectively\b|\bquietly\b|\bvisa.style\b|\bvirtual visa\p{L}*|\bshock\p{L}*|\bшок\p{L}*|\bback\b|\bфактически\b|\bпо сути\b|\bэто и есть\b|\bтеперь официально\b|\bуже\b|\bне шутка\b|\bважно\b|\bіс жүзінде\b|\bвизаландыр\p{L}*|\bенді\b|\bnow\b|\bтеперь\b)",
    },
    CueFamily {
        id: "question",
        reason: "question headline",
        pattern: r"\?",
    },
];

/// Pairs of families whose co-occurrence is its own feature (a linear model cannot form conjunctions):
/// visa words asserted vs denied, visa-free said to end vs to stay.
pub const CONJUNCTIONS: &[(&str, &str, &str)] = &[
    ("visa", "introduce", "visa words with introduction wording"),
    ("visa", "denial", "visa words denied"),
    ("visa", "claim", "visa words as a rumour or fact-check"),
    ("visa", "official", "officials on visas"),
    ("visa", "question", "visa question"),
    ("visa", "other_countries", "visa news about another country"),
    ("visa", "proposal", "visa proposal"),
    ("visa", "border_rules", "border rules called a visa"),
    ("visa_free", "ending", "end of visa-free travel"),
    ("visa_free", "remains", "visa-free travel stays"),
    ("visa_free", "denial", "visa-free with negation"),
    (
        "visa_free",
        "introduce",
        "visa-free with introduction wording",
    ),
    ("visa_regime", "denial", "visa regime denied"),
    ("visa_regime", "introduce", "visa regime introduced"),
    ("russia", "kazakhstan", "names Russia and Kazakhstan"),
    (
        "stay_rules",
        "kazakhstan",
        "entry or stay rules for Kazakhstan",
    ),
    ("stay_rules", "russia", "entry or stay rules for Russia"),
    (
        "border_rules",
        "kazakhstan",
        "border requirements for Kazakhstan",
    ),
    ("visa", "cis", "visas for CIS / Central Asia"),
    ("visa", "kazakhstan", "visas and Kazakhstan"),
    ("visa", "assertive", "visas asserted as fact"),
];

/// Number of cue features: families then conjunctions.
pub const N_CUES: usize = FAMILIES.len() + CONJUNCTIONS.len();

const fn family_index(id: &str) -> usize {
    let mut i = 0;
    while i < FAMILIES.len() {
        let a = FAMILIES[i].id.as_bytes();
        let b = id.as_bytes();
        if a.len() == b.len() {
            let mut j = 0;
            let mut eq = true;
            while j < a.len() {
                if a[j] != b[j] {
                    eq = false;
                }
                j += 1;
            }
            if eq {
                return i;
            }
        }
        i += 1;
    }
    panic!("unknown cue family in CONJUNCTIONS")
}

/// The visa and visa-free families' columns: visa words inside a visa-free match do not count.
const VISA: usize = family_index(VISA_ID);
const VISA_FREE: usize = family_index("visa_free");

const CONJ_INDEX: [(usize, usize); CONJUNCTIONS.len()] = {
    let mut out = [(0, 0); CONJUNCTIONS.len()];
    let mut i = 0;
    while i < CONJUNCTIONS.len() {
        out[i] = (
            family_index(CONJUNCTIONS[i].0),
            family_index(CONJUNCTIONS[i].1),
        );
        i += 1;
    }
    out
};

/// The reason text of cue feature `i` (a family or a conjunction).
pub fn reason(i: usize) -> &'static str {
    if i < FAMILIES.len() {
        FAMILIES[i].reason
    } else {
        CONJUNCTIONS[i - FAMILIES.len()].2
    }
}

/// Compiled cue families.
///
/// Each family is a regex (the definition, and the fallback) plus a one-pass matcher derived from it
/// ([`Matcher`]): most branches of the families are a word or a word prefix, which one pass over the
/// headline ([`Needles`]) finds for all families at once; a family's regex runs only when one of its other
/// branches' literal needles occurs. [`Cues::fire`] gives exactly what running every regex gives
/// ([`Cues::fire_regex`]); the tests compare them.
///
/// One regex per family rather than a `RegexSet`: the set's combined lazy DFA has so many states that it
/// kept re-determinising (70% of classify time); separate small DFAs warm up once.
pub struct Cues {
    families: Vec<LazyRegex>,
    matcher: Matcher,
}

/// A family's regex, compiled the first time it is needed. [`Cues::fire`] needs only the regexes of
/// families with complex branches, and only on headlines that contain their literals: compiling all of
/// them at load was ~60M instructions (~15 ms) of every `classify` start.
struct LazyRegex {
    pattern: &'static str,
    regex: std::sync::OnceLock<Regex>,
}

impl LazyRegex {
    fn new(pattern: &'static str) -> LazyRegex {
        LazyRegex {
            pattern,
            regex: std::sync::OnceLock::new(),
        }
    }

    fn get(&self) -> &Regex {
        self.regex.get_or_init(|| {
            RegexBuilder::new(&dfa_friendly(self.pattern))
                .dfa_size_limit(DFA_CACHE)
                .build()
                .expect("cue patterns compile (a test compiles every one)")
        })
    }
}

impl Cues {
    /// The families (constants; a test compiles every regex).
    pub fn new() -> Self {
        Cues {
            families: FAMILIES.iter().map(|f| LazyRegex::new(f.pattern)).collect(),
            matcher: Matcher::new(FAMILIES.iter().map(|f| f.pattern)),
        }
    }

    /// Number of cue features (model columns).
    pub fn len(&self) -> usize {
        N_CUES
    }

    /// Always false; there is at least one family.
    pub fn is_empty(&self) -> bool {
        FAMILIES.is_empty()
    }

    /// Which families fire on `norm` (model-form text), in [`FAMILIES`] order.
    pub fn fire(&self, norm: &str) -> [bool; N_CUES] {
        let mut out = [false; N_CUES];
        self.matcher
            .fire(norm, &self.families, &mut out[..FAMILIES.len()]);
        self.finish(norm, out)
    }

    /// The same as [`Cues::fire`], by running every family's regex: the definition the matcher must agree
    /// with (tests), and the simplest reading of what a family means.
    pub fn fire_regex(&self, norm: &str) -> [bool; N_CUES] {
        let mut out = [false; N_CUES];
        for (o, re) in out.iter_mut().zip(&self.families) {
            *o = re.get().is_match(norm);
        }
        self.finish(norm, out)
    }

    /// Visa wording inside visa-free wording does not count; conjunctions from the families.
    fn finish(&self, norm: &str, mut out: [bool; N_CUES]) -> [bool; N_CUES] {
        if out[VISA] && out[VISA_FREE] {
            // Drop visa matches that lie inside a visa-free match (the two families' own regexes).
            let free: Vec<(usize, usize)> = self.families[VISA_FREE]
                .get()
                .find_iter(norm)
                .map(|m| (m.start(), m.end()))
                .collect();
            out[VISA] = self.families[VISA]
                .get()
                .find_iter(norm)
                .any(|m| !free.iter().any(|&(s, e)| m.start() >= s && m.start() < e));
        }
        for (k, &(a, b)) in CONJ_INDEX.iter().enumerate() {
            out[FAMILIES.len() + k] = out[a] && out[b];
        }
        out
    }

    /// Ids of the families, in column order (stored in the model to detect a changed cue set).
    pub fn ids() -> Vec<String> {
        FAMILIES
            .iter()
            .map(|f| f.id.to_string())
            .chain(CONJUNCTIONS.iter().map(|(a, b, _)| format!("{a}+{b}")))
            .collect()
    }
}

/// A word character for the cue patterns' `\b` (see [`dfa_friendly`]'s `NON_WORD`).
#[inline]
fn is_cue_word(c: char) -> bool {
    matches!(c, '0'..='9' | 'a'..='z' | '_' | '\u{c0}'..='\u{24f}' | '\u{400}'..='\u{4ff}')
}

/// A letter for the cue patterns' `\p{L}` (see [`dfa_friendly`]'s `LETTER`).
#[inline]
fn is_cue_letter(c: char) -> bool {
    matches!(c, 'a'..='z' | '\u{c0}'..='\u{24f}' | '\u{400}'..='\u{4ff}')
}

/// What must follow a literal for a simple branch to match.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tail {
    /// Nothing (`LIT`, or `LIT\p{L}*` at the end of the branch, which matches wherever `LIT` does).
    Any,
    /// `LIT\b`: the end of the text or a non-word character.
    Boundary,
    /// `LIT\p{L}*\b`: after the letters that follow, the end of the text or a non-word character.
    LettersThenBoundary,
}

/// What an occurrence of a needle means for a family.
#[derive(Debug, Clone, Copy)]
enum Action {
    /// A whole branch: the family fires if the occurrence has the branch's boundaries.
    Check {
        family: usize,
        lead: bool,
        tail: Tail,
        /// For `A\p{L}* B`, `A.B` and `A.?B` branches: the index of what follows A in
        /// [`Matcher::joints`].
        joint: Option<usize>,
    },
    /// A literal every match of a more complex branch contains: the family's regex must decide.
    RunRegex { family: usize },
}

/// The one-pass matcher for the cue families (see [`Cues`]).
struct Matcher {
    /// Finds the needles (the branches' literals) in one pass.
    needles: Needles,
    /// What follows A in `A\p{L}* B`, `A.B` and `A.?B` branches (see [`Branch::Simple`]).
    joints: Vec<Joint>,
    /// Per needle (pattern id), what its occurrence means.
    actions: Vec<Vec<Action>>,
    /// Families with a branch no literal can stand for: their regex always runs.
    always: Vec<bool>,
    /// The [`Branch::Quoted`] branches: (family, quote, literals).
    quoted: Vec<(usize, char, Vec<String>)>,
}

/// The second part of a [`Branch::Simple`], after its literal.
#[derive(Debug, Clone)]
enum Joint {
    /// `\p{L}* (one of these)`, every string starting with a character that is not a letter: the
    /// letters after the literal are then all of them, and a string must follow.
    Letters(Vec<Vec<u8>>),
    /// `. (one of then)` or, if `optional`, `.? (one of then)`: any one character but `\n`, or none.
    Any { optional: bool, then: Vec<Vec<u8>> },
}

/// A branch of a family's pattern, as [`analyse`] reads it.
#[derive(Debug)]
enum Branch {
    /// `[\b] (one of lits) [\b | \p{L}* | \p{L}*\b]`.
    ///
    /// With a `joint`, the branch is `[\b] (one of lits) (joint) [tail]` (see [`Joint`]).
    Simple {
        lits: Vec<Vec<u8>>,
        lead: bool,
        tail: Tail,
        joint: Option<Joint>,
    },
    /// `Q[^Q]*(one of lits)[^Q]*Q` for an ASCII character `Q` (a quoted span containing a literal): between
    /// two consecutive `Q`s of the text, one of `lits` occurs.
    Quoted { quote: char, lits: Vec<String> },
    /// Anything else, with literals every match contains (`None`: no such literals found).
    Complex { needles: Option<Vec<Vec<u8>>> },
}

impl Matcher {
    fn new<'a>(patterns: impl Iterator<Item = &'a str>) -> Matcher {
        let mut ids = Default::default();
        let mut needles: Vec<Vec<u8>> = Vec::new();
        let mut actions: Vec<Vec<Action>> = Vec::new();
        let mut always = Vec::new();
        let mut joints: Vec<Joint> = Vec::new();
        let mut quoted = Vec::new();
        let letter = parse(r"\p{L}");
        for (family, pattern) in patterns.enumerate() {
            let mut branches = Vec::new();
            analyse(&parse(pattern), &letter, &mut branches);
            let mut add = |lit: &[u8], action: Action| {
                let id = intern(&mut ids, &mut needles, lit);
                if id == actions.len() {
                    actions.push(Vec::new());
                }
                actions[id].push(action);
            };
            let mut always_run = false;
            for b in branches {
                match b {
                    Branch::Simple {
                        lits,
                        lead,
                        tail,
                        joint,
                    } => {
                        let joint = joint.map(|j| {
                            joints.push(j);
                            joints.len() - 1
                        });
                        for l in lits {
                            add(
                                &l,
                                Action::Check {
                                    family,
                                    lead,
                                    tail,
                                    joint,
                                },
                            );
                        }
                    }
                    Branch::Complex {
                        needles: Some(lits),
                    } => {
                        for l in lits {
                            add(&l, Action::RunRegex { family });
                        }
                    }
                    Branch::Quoted { quote, lits } => quoted.push((family, quote, lits)),
                    Branch::Complex { needles: None } => always_run = true,
                }
            }
            always.push(always_run);
        }
        Matcher {
            needles: Needles::new(needles),
            joints,
            actions,
            always,
            quoted,
        }
    }

    #[cfg(test)]
    fn needle_strings(&self) -> Vec<String> {
        let mut v: Vec<String> = (0..self.actions.len())
            .map(|id| {
                String::from_utf8(self.needles.needle(id).to_vec()).expect("needles are UTF-8")
            })
            .collect();
        v.sort();
        v
    }

    #[cfg(test)]
    fn action_counts(&self) -> (usize, usize) {
        let all = self.actions.iter().flatten();
        let checks = all
            .clone()
            .filter(|a| matches!(a, Action::Check { .. }))
            .count();
        (checks, all.count() - checks)
    }

    /// Sets `out[f]` for every family `f` that matches `norm`.
    fn fire(&self, norm: &str, regexes: &[LazyRegex], out: &mut [bool]) {
        let mut run_regex = [false; FAMILIES.len()];
        run_regex.copy_from_slice(&self.always);
        let bytes = norm.as_bytes();
        self.needles.find(bytes, |start, id| {
            let end = start + self.needles.needle(id).len();
            for action in &self.actions[id] {
                match *action {
                    Action::Check {
                        family,
                        lead,
                        tail,
                        joint,
                    } => {
                        if !out[family] {
                            let joint = joint.map(|j| &self.joints[j]);
                            out[family] = simple_match(norm, bytes, start, end, lead, tail, joint);
                        }
                    }
                    Action::RunRegex { family } => run_regex[family] = true,
                }
            }
        });
        for (family, quote, lits) in &self.quoted {
            if !out[*family] {
                out[*family] = quoted_match(norm, *quote, lits);
            }
        }
        for (f, re) in regexes.iter().enumerate() {
            if run_regex[f] && !out[f] {
                out[f] = re.get().is_match(norm);
            }
        }
    }
}

/// Whether one of `lits` occurs between two consecutive `quote`s of `norm` (see [`Branch::Quoted`]).
fn quoted_match(norm: &str, quote: char, lits: &[String]) -> bool {
    // The pieces between consecutive quotes: all but the first and the last of a split on the quote.
    let mut pieces = norm.split(quote).skip(1).peekable();
    while let Some(piece) = pieces.next() {
        if pieces.peek().is_none() {
            break;
        }
        if lits.iter().any(|l| piece.contains(l.as_str())) {
            return true;
        }
    }
    false
}

/// The index of `key` in `list`, appended (and remembered in `ids`) when new.
fn intern(
    ids: &mut std::collections::HashMap<Vec<u8>, usize>,
    list: &mut Vec<Vec<u8>>,
    key: &[u8],
) -> usize {
    *ids.entry(key.to_vec()).or_insert_with(|| {
        list.push(key.to_vec());
        list.len() - 1
    })
}

/// Whether a literal found at `start..end` has the boundaries its branch asks for.
#[inline]
fn simple_match(
    norm: &str,
    bytes: &[u8],
    start: usize,
    end: usize,
    lead: bool,
    tail: Tail,
    joint: Option<&Joint>,
) -> bool {
    // Needles are UTF-8, so a byte match starts and ends on character boundaries; checked anyway, so that
    // the slicing below can never panic.
    if !norm.is_char_boundary(start) || !norm.is_char_boundary(end) {
        return false;
    }
    debug_assert!(end <= bytes.len());
    if lead && norm[..start].chars().next_back().is_some_and(is_cue_word) {
        return false;
    }
    let tail_ok = |end: usize| {
        let mut rest = norm[end..].chars();
        match tail {
            Tail::Any => true,
            Tail::Boundary => !rest.next().is_some_and(is_cue_word),
            Tail::LettersThenBoundary => {
                !rest.find(|&c| !is_cue_letter(c)).is_some_and(is_cue_word)
            }
        }
    };
    let then_at = |at: usize, then: &[Vec<u8>]| {
        then.iter()
            .any(|b| bytes[at..].starts_with(b) && tail_ok(at + b.len()))
    };
    match joint {
        None => tail_ok(end),
        Some(Joint::Letters(then)) => {
            // All the letters that follow (no string of `then` starts with one), then a string.
            let after = norm[end..]
                .char_indices()
                .find(|&(_, c)| !is_cue_letter(c))
                .map_or(norm.len(), |(i, _)| end + i);
            then_at(after, then)
        }
        Some(Joint::Any { optional, then }) => {
            (*optional && then_at(end, then))
                || norm[end..]
                    .chars()
                    .next()
                    .is_some_and(|c| c != '\n' && then_at(end + c.len_utf8(), then))
        }
    }
}

fn parse(pattern: &str) -> regex_syntax::hir::Hir {
    regex_syntax::Parser::new()
        .parse(pattern)
        .expect("cue patterns parse")
}

/// Splits a family's pattern into [`Branch`]es: alternations become branches, a `\b` or `\p{L}*` around an
/// alternation is distributed over it, and a branch whose middle is a small finite set of strings is simple.
fn analyse(hir: &regex_syntax::hir::Hir, letter: &regex_syntax::hir::Hir, out: &mut Vec<Branch>) {
    use regex_syntax::hir::{Hir, HirKind, Look};
    match hir.kind() {
        HirKind::Alternation(alts) => {
            for a in alts {
                analyse(a, letter, out);
            }
            return;
        }
        HirKind::Capture(c) => return analyse(&c.sub, letter, out),
        _ => {}
    }
    let items: Vec<&Hir> = match hir.kind() {
        HirKind::Concat(items) => items.iter().collect(),
        _ => vec![hir],
    };
    let is_word_look = |h: &Hir| matches!(h.kind(), HirKind::Look(Look::WordUnicode));
    let is_letters = |h: &Hir| matches!(h.kind(), HirKind::Repetition(r) if r.min == 0 && r.max.is_none() && *r.sub == *letter);
    let is_any_star = |h: &Hir| matches!(h.kind(), HirKind::Repetition(r) if r.min == 0 && r.max.is_none() && matches!(r.sub.kind(), HirKind::Class(_)));
    let (mut lo, mut hi) = (0, items.len());
    let lead = hi > 0 && is_word_look(items[0]);
    if lead {
        lo = 1;
    }
    let mut tail = Tail::Any;
    if hi > lo && is_word_look(items[hi - 1]) {
        hi -= 1;
        tail = Tail::Boundary;
        if hi > lo && is_letters(items[hi - 1]) {
            hi -= 1;
            tail = Tail::LettersThenBoundary;
        }
    } else if hi > lo && is_any_star(items[hi - 1]) {
        // `X[class]*` at the end of a branch matches exactly where `X` does.
        hi -= 1;
    }
    let middle = &items[lo..hi];
    if let Some(b) = quoted_branch(&items, lead, tail) {
        out.push(b);
        return;
    }
    // The branches of an alternation at `middle[k]`: `X(?:a|b)Y` is `XaY|XbY`.
    let alternatives = |h: &Hir| match h.kind() {
        HirKind::Alternation(alts) => Some(alts.clone()),
        HirKind::Capture(c) => match c.sub.kind() {
            HirKind::Alternation(alts) => Some(alts.clone()),
            _ => None,
        },
        _ => None,
    };
    let distribute = |k: usize, alts: Vec<Hir>, out: &mut Vec<Branch>| {
        for a in alts {
            let mut parts: Vec<Hir> = items[..lo].iter().map(|h| (*h).clone()).collect();
            parts.extend(middle[..k].iter().map(|h| (*h).clone()));
            parts.push(a);
            parts.extend(middle[k + 1..].iter().map(|h| (*h).clone()));
            parts.extend(items[hi..].iter().map(|h| (*h).clone()));
            analyse(&Hir::concat(parts), letter, out);
        }
    };
    // `\b(?:a|b)\b` is `\ba\b|\bb\b`.
    if let [only] = middle {
        if let Some(alts) = alternatives(only) {
            distribute(0, alts, out);
            return;
        }
    }
    let middle_hir = Hir::concat(middle.iter().map(|h| (*h).clone()).collect());
    if middle_hir.properties().look_set().is_empty() {
        let nonempty = |l: &Vec<Vec<u8>>| l.iter().all(|s| !s.is_empty());
        if let Some(lits) = finite_language(&middle_hir).filter(nonempty) {
            out.push(Branch::Simple {
                lits,
                lead,
                tail,
                joint: None,
            });
            return;
        }
        // `A\p{L}* B` with A and B small finite sets and every B starting with a non-letter.
        let reps: Vec<usize> = (0..middle.len())
            .filter(|&k| is_letters(middle[k]))
            .collect();
        if let [k] = reps[..] {
            let part = |items: &[&Hir]| {
                finite_language(&Hir::concat(items.iter().map(|h| (*h).clone()).collect()))
            };
            let starts_with_non_letter = |b: &Vec<u8>| {
                std::str::from_utf8(b)
                    .ok()
                    .and_then(|s| s.chars().next())
                    .is_some_and(|c| !is_cue_letter(c))
            };
            if let (Some(lits), Some(bridge)) = (
                part(&middle[..k]).filter(nonempty),
                part(&middle[k + 1..]).filter(|b| b.iter().all(starts_with_non_letter)),
            ) {
                out.push(Branch::Simple {
                    lits,
                    lead,
                    tail,
                    joint: Some(Joint::Letters(bridge)),
                });
                return;
            }
        }
        // `A.B` or `A.?B` with A and B small finite sets (`.`: any character but `\n`).
        let dot = Hir::dot(regex_syntax::hir::Dot::AnyCharExceptLF);
        let gap = |h: &Hir| -> Option<bool> {
            if *h == dot {
                return Some(false);
            }
            match h.kind() {
                HirKind::Repetition(r) if r.min == 0 && r.max == Some(1) && *r.sub == dot => {
                    Some(true)
                }
                _ => None,
            }
        };
        let gaps: Vec<(usize, bool)> = (0..middle.len())
            .filter_map(|k| gap(middle[k]).map(|optional| (k, optional)))
            .collect();
        if let [(k, optional)] = gaps[..] {
            let part = |items: &[&Hir]| {
                finite_language(&Hir::concat(items.iter().map(|h| (*h).clone()).collect()))
                    .filter(nonempty)
            };
            if let (Some(lits), Some(then)) = (part(&middle[..k]), part(&middle[k + 1..])) {
                out.push(Branch::Simple {
                    lits,
                    lead,
                    tail,
                    joint: Some(Joint::Any { optional, then }),
                });
                return;
            }
        }
    }
    // A branch none of the above reads whose only obstacle is an alternation inside
    // (`\b30 (?:июня|june|маусым\p{L}*)`: the rest is a finite language): each alternative may make a
    // branch that one of them reads. (Elsewhere, as in `\p{L}{2,}(?:ма|ме)й…`, splitting only multiplies
    // the regex branches and the work at load.)
    let rest_finite = |k: usize| {
        let rest: Vec<Hir> = (middle[..k].iter().chain(&middle[k + 1..]))
            .map(|h| (*h).clone())
            .collect();
        finite_language(&Hir::concat(rest)).is_some()
    };
    if let Some((k, alts)) = middle
        .iter()
        .enumerate()
        .find_map(|(k, h)| alternatives(h).filter(|_| rest_finite(k)).map(|a| (k, a)))
    {
        distribute(k, alts, out);
        return;
    }
    // Literals every match contains: the prefixes of a tail of the branch, or the suffixes of a head of it,
    // whichever set has the longest shortest literal (the rarest; on a tie the earliest, a prefix). Only when `\b` appears at the branch's
    // edges alone (inside, the DFA-friendly rewrite would consume a character mid-match).
    let needles = if middle_hir.properties().look_set().is_empty() {
        use regex_syntax::hir::literal::{ExtractKind, Extractor};
        let extract = |kind: ExtractKind, part: &[&Hir]| -> Option<Vec<Vec<u8>>> {
            let h = Hir::concat(part.iter().map(|h| (*h).clone()).collect());
            let seq = Extractor::new().kind(kind).extract(&h);
            let lits: Vec<Vec<u8>> = seq
                .literals()?
                .iter()
                .map(|l| l.as_bytes().to_vec())
                .collect();
            (!lits.is_empty() && lits.iter().all(|l| !l.is_empty())).then_some(lits)
        };
        let n = items.len();
        (0..n)
            .filter_map(|k| extract(ExtractKind::Prefix, &items[k..]))
            .chain((1..=n).filter_map(|k| extract(ExtractKind::Suffix, &items[..k])))
            .rev()
            .max_by_key(|lits| lits.iter().map(Vec::len).min().unwrap_or(0))
    } else {
        None
    };
    out.push(Branch::Complex { needles });
}

/// `Q[^Q]*(lits)[^Q]*Q` as a [`Branch::Quoted`], for an ASCII `Q` and literals without `Q`.
fn quoted_branch(items: &[&regex_syntax::hir::Hir], lead: bool, tail: Tail) -> Option<Branch> {
    use regex_syntax::hir::HirKind;
    let [open, before, middle, after, close] = items else {
        return None;
    };
    if lead || tail != Tail::Any {
        return None;
    }
    let quote = match (open.kind(), close.kind()) {
        (HirKind::Literal(a), HirKind::Literal(b))
            if a.0.len() == 1 && a == b && a.0[0].is_ascii() =>
        {
            a.0[0]
        }
        _ => return None,
    };
    let not_quote = parse(&format!(
        "[^{}]*",
        regex_syntax::escape(&char::from(quote).to_string())
    ));
    if **before != not_quote || **after != not_quote {
        return None;
    }
    let lits = finite_language(middle)?
        .into_iter()
        .map(String::from_utf8)
        .collect::<Result<Vec<String>, _>>()
        .ok()?;
    let quote = char::from(quote);
    (!lits.is_empty() && lits.iter().all(|l| !l.is_empty() && !l.contains(quote)))
        .then_some(Branch::Quoted { quote, lits })
}

/// Every string `hir` matches, when that is a small finite set (literals, small classes, bounded repeats,
/// alternations); `None` otherwise.
fn finite_language(hir: &regex_syntax::hir::Hir) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::{Class, HirKind};
    const MAX: usize = 64;
    let lang = match hir.kind() {
        HirKind::Empty => vec![Vec::new()],
        HirKind::Literal(l) => vec![l.0.to_vec()],
        HirKind::Class(Class::Unicode(c)) => {
            let mut v = Vec::new();
            for r in c.ranges() {
                for ch in r.start()..=r.end() {
                    if v.len() == MAX {
                        return None;
                    }
                    v.push(ch.to_string().into_bytes());
                }
            }
            v
        }
        HirKind::Class(Class::Bytes(_)) | HirKind::Look(_) => return None,
        HirKind::Capture(c) => finite_language(&c.sub)?,
        HirKind::Alternation(alts) => {
            let mut v = Vec::new();
            for a in alts {
                v.extend(finite_language(a)?);
            }
            v
        }
        HirKind::Concat(items) => {
            let mut v = vec![Vec::new()];
            for it in items {
                v = product(&v, &finite_language(it)?, MAX)?;
            }
            v
        }
        HirKind::Repetition(r) => {
            let max = r.max.filter(|&m| m <= 4)?;
            let sub = finite_language(&r.sub)?;
            let mut v = Vec::new();
            let mut power = vec![Vec::new()];
            for k in 0..=max {
                if k >= r.min {
                    v.extend(power.iter().cloned());
                }
                power = product(&power, &sub, MAX)?;
            }
            v
        }
    };
    (lang.len() <= MAX).then_some(lang)
}

/// Every string of `a` followed by every string of `b`, unless there would be more than `max`.
fn product(a: &[Vec<u8>], b: &[Vec<u8>], max: usize) -> Option<Vec<Vec<u8>>> {
    (a.len() * b.len() <= max).then(|| {
        a.iter()
            .flat_map(|x| b.iter().map(move |y| [x.as_slice(), y].concat()))
            .collect()
    })
}

impl Default for Cues {
    fn default() -> Self {
        Cues::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize_for_model;

    fn fired(t: &str) -> Vec<&'static str> {
        let cues = Cues::new();
        let f = cues.fire(&normalize_for_model(t));
        FAMILIES
            .iter()
            .zip(f)
            .filter(|(_, on)| *on)
            .map(|(fam, _)| fam.id)
            .collect()
    }

    /// The one-pass matcher must fire exactly the families the regexes fire.
    fn assert_agree(cues: &Cues, norm: &str) {
        assert_eq!(
            cues.fire(norm),
            cues.fire_regex(norm),
            "matcher and regexes disagree on {norm:?}"
        );
    }

    #[test]
    fn every_regex_compiles() {
        // They compile on first use; this is the first use for all of them.
        let cues = Cues::new();
        for re in &cues.families {
            re.get();
        }
    }

    #[test]
    fn matcher_agrees_with_the_regexes_on_the_corpus() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let rows = crate::classify::corpus::load_dir(&dir).expect("corpus loads");
        assert!(rows.len() > 2000);
        let cues = Cues::new();
        let mut fired = 0;
        for r in &rows {
            let norm = normalize_for_model(&r.text);
            assert_agree(&cues, &norm);
            fired += cues.fire(&norm).iter().filter(|&&f| f).count();
        }
        assert!(fired > rows.len(), "the families fire on the corpus");
    }

    #[test]
    fn matcher_agrees_with_the_regexes_at_every_needle_boundary() {
        // Every literal the matcher searches for, with every kind of neighbour the patterns' `\b` and
        // `\p{L}` distinguish: text edge, space, punctuation, ASCII/Latin/Cyrillic letters, digit,
        // underscore, upper case (not a word character after lower-casing), letters then a digit.
        let cues = Cues::new();
        let sides = [
            "", " ", "-", "\"", "a", "é", "я", "қ", "5", "_", "A", "ыы", "ыы5", "ыы ", "ab_",
            " 30 ",
        ];
        let mut n = 0;
        for needle in cues.matcher.needle_strings() {
            for l in sides {
                for r in sides {
                    assert_agree(&cues, &format!("{l}{needle}{r}"));
                    n += 1;
                }
            }
        }
        assert!(n > 10_000, "{n} cases");
    }

    #[test]
    fn letters_then_literal_branches_agree_with_the_regexes() {
        // `визов\p{L}* режим`, `\bcall\p{L}* for\b` and the like, with every kind of run between the parts.
        let cues = Cues::new();
        for a in [
            "визов",
            "режим",
            "viz",
            "bring",
            "push",
            "call",
            "призыва",
            "вид",
            "цифров",
            "правил",
            "средн",
            "центральн",
            "электронн",
        ] {
            for mid in ["", "ый", "ого", "5", "_", "ый5", "-", "ыйы"] {
                for b in [
                    " режим",
                    " виз",
                    " rejim",
                    " in",
                    " back",
                    " for",
                    " ввести",
                    " на жительство",
                    " профиль",
                    " въезд",
                    " ази",
                    " визы",
                    "режим",
                    "  режим",
                ] {
                    for end in ["", " ", "ы", "5", "-x"] {
                        for lead in ["", " ", "б", "без"] {
                            assert_agree(&cues, &format!("{lead}{a}{mid}{b}{end}"));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn quoted_branches_agree_with_the_regexes() {
        let cues = Cues::new();
        assert!(
            !cues.matcher.quoted.is_empty(),
            "the quoted visa words are checked without a regex"
        );
        let pieces = [
            "\"", "виз", "visa", "viza", "x", " ", "визы", "\"\"", "ви", "za",
        ];
        // Every sequence of up to four pieces: quotes before, between, after and around the words.
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for t in &texts {
                for p in pieces {
                    next.push(format!("{t}{p}"));
                }
            }
            texts.extend(next);
            texts.sort();
            texts.dedup();
        }
        for t in &texts {
            assert_agree(&cues, t);
        }
    }

    #[test]
    fn any_character_branches_agree_with_the_regexes() {
        // `\bvisa.?run\p{L}*`, `\bfact.?check\p{L}*`, `\bvisa.style\b`: no character, one of each kind, two.
        let cues = Cues::new();
        for a in ["visa", "fact", "xvisa", "_fact"] {
            for mid in ["", " ", "-", "_", "я", "🙂", "ы5", "  ", "--"] {
                for b in [
                    "run", "check", "style", "runs", "checked", "styles", "ru", "",
                ] {
                    for end in ["", " ", "ы", "5", "-x", "_"] {
                        assert_agree(&cues, &format!("{a}{mid}{b}{end}"));
                    }
                }
            }
        }
    }

    #[test]
    fn most_branches_need_no_regex() {
        // The point of the matcher: word and prefix branches are checked from the literal alone.
        let cues = Cues::new();
        let (checks, regex) = cues.matcher.action_counts();
        assert!(
            checks > 4 * regex,
            "{checks} checked branches, {regex} regex needles"
        );
        assert!(
            !cues.matcher.always.iter().any(|&a| a),
            "every family has needles"
        );
    }

    #[test]
    fn visa_words_in_every_language_and_case() {
        for t in [
            "Россия вводит визы для казахстанцев",
            "Визовый режим с Россией",
            "визового режима не будет",
            "Ресей визалық режим енгізеді",
            "Russia brings in VISAS for Kazakhs",
            "Визу для граждан РК",
        ] {
            assert!(fired(t).contains(&"visa"), "{t}: {:?}", fired(t));
        }
    }

    #[test]
    fn visa_free_forms_are_not_visa_wording() {
        for t in [
            "Безвизовый режим сохраняется",
            "Визасыз режим сақталады",
            "Visa-free regime stays",
            "Въезд без виз остается",
        ] {
            let f = fired(t);
            assert!(f.contains(&"visa_free"), "{t}: {f:?}");
            assert!(!f.contains(&"visa"), "{t}: {f:?}");
        }
        // Both present: a visa word outside the visa-free phrase still counts.
        let f = fired("Безвиз закончился: визы для казахстанцев");
        assert!(f.contains(&"visa") && f.contains(&"visa_free"), "{f:?}");
    }

    #[test]
    fn denial_official_border_and_country_families() {
        let f = fired("МИД РК: визового режима с Россией не будет");
        for id in ["denial", "official", "russia", "kazakhstan", "visa_regime"] {
            assert!(f.contains(&id), "{id}: {f:?}");
        }
        let f = fired("Иностранцы будут сдавать отпечатки пальцев с 30 июня");
        assert!(f.contains(&"border_rules"), "{f:?}");
        let f = fired("Smadiyarov: fingerprints are not a visa");
        assert!(f.contains(&"official") && f.contains(&"border_rules") && f.contains(&"denial"));
        let f = fired("Қазақстан СІМ: визасыз режим сақталады");
        assert!(f.contains(&"official") && f.contains(&"remains") && f.contains(&"kazakhstan"));
        let f = fired("Ресей Қазақстан азаматтарына виза енгізбейді");
        assert!(f.contains(&"denial"), "{f:?}");
        let f = fired("Всё, безвизу конец");
        assert!(f.contains(&"ending") && f.contains(&"visa_free"), "{f:?}");
        let f = fired("Ukraine and Georgia visa talks?");
        assert!(f.contains(&"other_countries") && f.contains(&"question"));
    }
}
