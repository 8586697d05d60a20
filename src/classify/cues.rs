//! Cue features: hand-written regex families over the model form of a headline, in English, Russian and
//! Kazakh with their inflections. Each family is one binary model feature (its weight is learned) and,
//! when it fires, a readable reason.
//!
//! "Visa wording" counts only visa words that are not part of a visa-free form (`безвизовый`, `визасыз`,
//! `visa-free`, `без виз`): the regex crate has no look-around, so visa matches inside a visa-free match
//! are discarded by position.

use regex::{Regex, RegexSet};

/// A family's stable id (stored in the model) and its reason text.
pub struct CueFamily {
    pub id: &'static str,
    pub reason: &'static str,
    pattern: &'static str,
}

const VISA_ID: &str = "visa";
const VISA_PATTERN: &str = r"\b(?:visas?|виз\p{L}*)\b";
const VISA_FREE_PATTERN: &str = r"\b(?:visa[- ]?(?:free|exempt\p{L}*|waiver)|без\s?виз\p{L}*|визасыз\p{L}*|without (?:a )?visas?|no[- ]visa)";

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
        pattern: r"(?:visa regime|visa requirement|визов\p{L}* режим|режим\p{L}* виз|визалық режим|визалық тәртіп)",
    },
    CueFamily {
        id: "introduce",
        reason: "introduction or end wording",
        pattern: r"(?:\bintroduc\p{L}*|\bimpos\p{L}*|\bbring\p{L}* in\b|\bend (?:of|to)\b|\bends\b|\bscrap\p{L}*|\bввод\p{L}*|\bввед\p{L}*|\bвводя\p{L}*|\bконец\b|\bотмен\p{L}*|\bзакончил\p{L}*|\bенгіз\p{L}*|\bаяқтал\p{L}*|\bжойыл\p{L}*|\bтоқтат\p{L}*)",
    },
    CueFamily {
        id: "denial",
        reason: "denial or negation",
        pattern: r"(?:\bне будет\b|\bне ввод\p{L}*|\bне планиру\p{L}*|\bопроверг\p{L}*|\bфейк\p{L}*|\bнеправд\p{L}*|\bложн\p{L}*|\bмиф\p{L}*|\bнет\b|\bникак\p{L}*|\bсохран\p{L}*|\bостает\p{L}*|\bостанет\p{L}*|\bfake\b|\bfalse\b|\bdeni\p{L}*|\bdeny\p{L}*|\bmyth\p{L}*|\bdebunk\p{L}*|\bno visa|\bnot\b|\bremain\p{L}*|\bstays?\b|\bstill\b|\bжоқ\b|\bсақтал\p{L}*|\bжалған\p{L}*|\bенгізбей\p{L}*|\bенгізілмей\p{L}*|\bболмайды\b|\bемес\b|\bтеріске\b)",
    },
    CueFamily {
        id: "official",
        reason: "official source",
        pattern: r"(?:\bмид\p{L}*|\bсім\b|\bсыртқы істер\p{L}*|\bministry\b|\bmfa\b|\bminist\p{L}*|\bмининдел\p{L}*|\bминистр\p{L}*|\bмвд\p{L}*|\bфсб\p{L}*|smadiyarov|смадияров\p{L}*|\bspokes\p{L}*|\bофициальн\p{L}*|\bресми\p{L}*|\bembass\p{L}*|\bпосольств\p{L}*|\bелшіліг\p{L}*|\bпресс-секретар\p{L}*|\bкремл\p{L}*|\bпесков\p{L}*|\bзахаров\p{L}*)",
    },
    CueFamily {
        id: "border_rules",
        reason: "border-requirement terms",
        pattern: r"(?:\bfingerprint\p{L}*|\bbiometric\p{L}*|\bfacial\b|\bface (?:image|photo)|electronic application|e-application|\bnotif\p{L}*|\bотпечат\p{L}*|\bбиометри\p{L}*|\bдактилоскоп\p{L}*|\bуведомлен\p{L}*|\bзаявлени\p{L}*|\bфотограф\p{L}*|саусақ із\p{L}*|\bбиометрия\p{L}*|\bөтініш\p{L}*|\bхабарлама\p{L}*|\bruid\b|\bqr\b|\b30 (?:июня|june|маусым\p{L}*)|\bjune 30\b)",
    },
    CueFamily {
        id: "russia",
        reason: "names Russia",
        pattern: r"(?:\brussia\p{L}*|\bросси\p{L}*|\bрф\b|\bресей\p{L}*|\bмоскв\p{L}*|\bmoscow\b)",
    },
    CueFamily {
        id: "kazakhstan",
        reason: "names Kazakhstan",
        pattern: r"(?:\bkazakh\p{L}*|\bказах\p{L}*|\bқазақ\p{L}*|\bрк\b|\bқр\b|\bastana\b|\bастан\p{L}*|\bалмат\p{L}*|\balmaty\b)",
    },
    CueFamily {
        id: "cis",
        reason: "names CIS / Central Asia",
        pattern: r"(?:\bcis\b|\bснг\b|central asia\p{L}*|средн\p{L}* ази\p{L}*|центральн\p{L}* ази\p{L}*|орталық ази\p{L}*|\bмигрант\p{L}*|\bmigrant\p{L}*|\bеаэс\b|\beaeu\b)",
    },
    CueFamily {
        id: "other_countries",
        reason: "names another country or border",
        pattern: r"(?:\bukrain\p{L}*|\bукраин\p{L}*|\bgeorgia\p{L}*|\bгрузи\p{L}*|\bbelarus\p{L}*|\bбелорус\p{L}*|\bбеларус\p{L}*|\bschengen\b|\bшенген\p{L}*|\bees\b|\beta\b|\busa?\b|\bсша\b|\bамерик\p{L}*|\bchin\p{L}*|\bкита\p{L}*|\bқытай\p{L}*|\bindia\p{L}*|\bинди\p{L}*|\buk\b|\bbritain\b|\bбритан\p{L}*|\beurop\p{L}*|\bевроп\p{L}*|\bturk\p{L}*|\bтурц\p{L}*|\bтүркия\p{L}*|\buzbek\p{L}*|\bузбек\p{L}*|\bkyrgyz\p{L}*|\bкиргиз\p{L}*|\bкыргыз\p{L}*|\bқырғыз\p{L}*|\btajik\p{L}*|\bтаджик\p{L}*|\bjapan\p{L}*|\bяпони\p{L}*|\bkorea\p{L}*|\bкоре\p{L}*|\be-visa\p{L}*|\bэлектронн\p{L}* виз\p{L}*)",
    },
    CueFamily {
        id: "proposal",
        reason: "proposal or debate wording",
        pattern: r"(?:\bpropos\p{L}*|\bsuggest\p{L}*|\bcall\p{L}* for\b|\burg\p{L}*|\bпредлож\p{L}*|\bпредлага\p{L}*|\bпризыва\p{L}*|\bпризвал\p{L}*|\bдепутат\p{L}*|\bлдпр\b|\bслуцк\p{L}*|\bжириновск\p{L}*|\bинициатив\p{L}*|\bзаконопроект\p{L}*|\bұсын\p{L}*|\bmp\b|\blawmaker\p{L}*)",
    },
    CueFamily {
        id: "question",
        reason: "question headline",
        pattern: r"\?",
    },
];

/// Compiled cue families.
pub struct Cues {
    set: RegexSet,
    visa: Regex,
    visa_free: Regex,
}

impl Cues {
    /// Compiles the families (they are constants, covered by tests).
    pub fn new() -> Self {
        let set = RegexSet::new(FAMILIES.iter().map(|f| f.pattern)).expect("cue patterns compile");
        Cues {
            set,
            visa: Regex::new(VISA_PATTERN).expect("visa pattern compiles"),
            visa_free: Regex::new(VISA_FREE_PATTERN).expect("visa-free pattern compiles"),
        }
    }

    /// Number of families (model columns).
    pub fn len(&self) -> usize {
        FAMILIES.len()
    }

    /// Always false; there is at least one family.
    pub fn is_empty(&self) -> bool {
        FAMILIES.is_empty()
    }

    /// Which families fire on `norm` (model-form text), in [`FAMILIES`] order.
    pub fn fire(&self, norm: &str) -> [bool; FAMILIES.len()] {
        let mut out = [false; FAMILIES.len()];
        let matches = self.set.matches(norm);
        for i in matches.iter() {
            out[i] = true;
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
                .any(|m| !free.iter().any(|&(s, e)| m.start() >= s && m.end() <= e));
        }
        out
    }

    /// Ids of the families, in column order (stored in the model to detect a changed cue set).
    pub fn ids() -> Vec<String> {
        FAMILIES.iter().map(|f| f.id.to_string()).collect()
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
        assert!(f.contains(&"official") && f.contains(&"denial") && f.contains(&"kazakhstan"));
        let f = fired("Ukraine and Georgia visa talks?");
        assert!(f.contains(&"other_countries") && f.contains(&"question"));
    }
}
