//! Cue features: hand-written regex families over the model form of a headline, in English, Russian and
//! Kazakh with their inflections. Each family is one binary model feature (its weight is learned) and,
//! when it fires, a readable reason.
//!
//! "Visa wording" counts only visa words that are not part of a visa-free form (`безвизовый`, `визасыз`,
//! `visa-free`, `без виз`): the regex crate has no look-around, so visa matches inside a visa-free match
//! are discarded by position.

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
const VISA_FREE_PATTERN: &str = r"\b(?:visa[- ]?(?:free|exempt\p{L}*|waiver)|без\s?виз\p{L}*|визасыз\p{L}*|vizasyz\p{L}*|bezviz\p{L}*|without (?:a )?visas?|no[- ]visa)";

/// The families, in model column order. The first is visa wording (computed specially).
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
/// One regex per family rather than a `RegexSet`: the set's combined lazy DFA has so many states that it
/// kept re-determinising (70% of classify time); separate small DFAs warm up once.
pub struct Cues {
    families: Vec<Regex>,
    visa: Regex,
    visa_free: Regex,
}

impl Cues {
    /// Compiles the families (they are constants, covered by tests).
    pub fn new() -> Self {
        let one = |p: &str| {
            RegexBuilder::new(&dfa_friendly(p))
                .dfa_size_limit(DFA_CACHE)
                .build()
                .expect("visa patterns compile")
        };
        Cues {
            families: FAMILIES.iter().map(|f| one(f.pattern)).collect(),
            visa: one(VISA_PATTERN),
            visa_free: one(VISA_FREE_PATTERN),
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
        for (o, re) in out.iter_mut().zip(&self.families) {
            *o = re.is_match(norm);
        }
        if out[0] && out[1] {
            // Drop visa matches that lie inside a visa-free match.
            let free: Vec<(usize, usize)> = self
                .visa_free
                .find_iter(norm)
                .map(|m| (m.start(), m.end()))
                .collect();
            out[0] = self
                .visa
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
