//! Structure features on the shipped lexicon (src/classify/structure.rs): who does what to whom in real
//! headline shapes, in English, Russian and Kazakh.

use headline_watch::classify::structure::{Structure, FEATURES};
use headline_watch::narrative::Narrative;
use headline_watch::text::normalize_for_model;

fn fired(t: &str) -> Vec<&'static str> {
    let s = Structure::new(&Narrative::shipped().lexicon).unwrap();
    let f = s.features(&normalize_for_model(t));
    FEATURES
        .iter()
        .zip(f)
        .filter(|(_, on)| *on)
        .map(|(feat, _)| feat.id)
        .collect()
}

#[test]
fn a_visa_word_inside_a_visa_free_phrase_is_not_a_visa_word() {
    for t in [
        "Въезд без визы сохраняется",
        "Visa-free regime stays",
        "Визасыз режим сақталады",
    ] {
        let f = fired(t);
        assert!(
            f.contains(&"visa_free") && !f.contains(&"visa"),
            "{t}: {f:?}"
        );
    }
    let f = fired("Безвиз закончился: визы для казахстанцев");
    assert!(f.contains(&"visa") && f.contains(&"visa_free"), "{f:?}");
    let f = fired("visa-free visa");
    assert!(f.contains(&"visa"), "{f:?}");
}

#[test]
fn who_does_what_to_whom() {
    let f = fired("Россия вводит визы для казахстанцев");
    for id in [
        "actor_russia",
        "target_kz",
        "introduce",
        "decision",
        "visa+target_kz",
        "claim",
    ] {
        assert!(f.contains(&id), "{id}: {f:?}");
    }
    let f = fired("Russia and the UAE to simplify their visa regime");
    for id in [
        "actor_russia",
        "target_other",
        "simplify",
        "visa+target_other",
    ] {
        assert!(f.contains(&id), "{id}: {f:?}");
    }
    assert!(!f.contains(&"claim"), "{f:?}");
    let f = fired("ЛДПР предлагает ввести визы для мигрантов из Средней Азии");
    assert!(
        f.contains(&"proposal")
            && f.contains(&"target_grouping")
            && !f.contains(&"decision")
            && !f.contains(&"claim"),
        "{f:?}"
    );
    let f = fired("Казахстан не будет вводить визы для россиян");
    for id in [
        "actor_kz",
        "target_pair",
        "denial",
        "visa+negated",
        "claim_denied",
    ] {
        assert!(f.contains(&id), "{id}: {f:?}");
    }
    let f = fired("Россия ужесточает визовые правила для иностранцев");
    assert!(
        f.contains(&"visa+tighten") && f.contains(&"target_foreigners"),
        "{f:?}"
    );
    let f = fired("МИД РК: безвизовый режим с Россией сохраняется");
    assert!(
        f.contains(&"visa_free+keep") && f.contains(&"quotation") && f.contains(&"claim_denied"),
        "{f:?}"
    );
    let f = fired("Ресей Қазақстан азаматтарына виза енгізбейді");
    assert!(f.contains(&"denial") && f.contains(&"target_kz"), "{f:?}");
    let f = fired("Will Kazakhs need visas for Russia?");
    assert!(
        f.contains(&"question") && f.contains(&"visa+question"),
        "{f:?}"
    );
}

#[test]
fn the_false_flag_shapes_of_the_issue_read_as_what_they_are() {
    // Another country pair with visa words: the target is that pair, and the claim does not fire.
    for t in [
        "Russia and Qatar to simplify their visa regime",
        "Россия и Беларусь договорились о взаимном признании виз",
        "Ukraine introduces visas for Russians",
    ] {
        let f = fired(t);
        assert!(
            f.contains(&"target_other") && !f.contains(&"claim"),
            "{t}: {f:?}"
        );
    }
    // Procedures for foreigners who already need visas.
    let f = fired("Russia tightens visa procedures for foreign nationals");
    assert!(
        f.contains(&"visa+tighten") && f.contains(&"target_foreigners"),
        "{f:?}"
    );
    assert!(!f.contains(&"claim"), "{f:?}");
    // Officials saying visas for CIS citizens won't be brought in: a denial, not the claim.
    for t in [
        "Visas for CIS citizens won't be brought in, Russian official says",
        "В МВД заявили, что визы для граждан СНГ вводить не будут",
    ] {
        let f = fired(t);
        assert!(
            f.contains(&"claim_denied") && !f.contains(&"claim"),
            "{t}: {f:?}"
        );
    }
    // A 2013 proposal or an expert debate is not a decision.
    let f = fired("Депутат предложил ввести визовый режим со странами Центральной Азии");
    assert!(
        f.contains(&"visa+proposal") && !f.contains(&"decision"),
        "{f:?}"
    );
}

#[test]
fn another_states_visas_are_another_country_pair_even_with_kazakhstan_named() {
    for t in [
        "Поедут ли россияне за американскими визами в Астану?",
        "Russians can apply for U.S. visas in Astana",
    ] {
        let f = fired(t);
        assert!(
            f.contains(&"target_other") && !f.contains(&"claim"),
            "{t}: {f:?}"
        );
    }
    // A visit and a visa run are not visa words.
    for t in [
        "Посол: визит Путина в Казахстан",
        "Казахстан отменил «визаран» для россиян",
    ] {
        assert!(!fired(t).contains(&"visa"), "{t}");
    }
}

#[test]
fn an_official_on_another_pairs_visas_is_not_the_claim_denied() {
    for t in [
        "Путин не считает нужным вводить визовый режим с Украиной",
        "Зеленский: визового режима с Россией пока не будет",
    ] {
        let f = fired(t);
        assert!(
            f.contains(&"target_other") && !f.contains(&"claim_denied"),
            "{t}: {f:?}"
        );
    }
}

#[test]
fn kazakhstan_with_a_third_state_is_another_pair_too() {
    for t in [
        "Kazakhstan and China to introduce mutual visa-free regime",
        "Процедура обращения за визой США изменилась для казахстанцев",
    ] {
        let f = fired(t);
        assert!(
            f.contains(&"target_other") && !f.contains(&"claim"),
            "{t}: {f:?}"
        );
    }
    // Both sides of the narrative's pair named: the claim, whatever third state is named too.
    let f = fired("Россия вводит визы для казахстанцев и киргизов");
    assert!(
        f.contains(&"claim") && !f.contains(&"target_other"),
        "{f:?}"
    );
}

#[test]
fn migrants_named_with_visa_words_are_the_grouping_and_alone_foreigners() {
    for t in [
        "Лавров выступил против визового режима для трудовых мигрантов",
        "Russian MP proposes visas for guest workers",
    ] {
        let f = fired(t);
        assert!(
            f.contains(&"target_grouping") && !f.contains(&"target_foreigners"),
            "{t}: {f:?}"
        );
    }
    let f = fired("В Москве мигрантов обяжут установить приложение");
    assert!(
        f.contains(&"target_foreigners") && !f.contains(&"target_grouping"),
        "{f:?}"
    );
}

#[test]
fn a_proposal_word_inside_a_denial_phrase_is_not_a_proposal() {
    let f = fired("В Думе не рассматривается вопрос введения виз со странами СНГ");
    assert!(f.contains(&"deny") && !f.contains(&"proposal"), "{f:?}");
    let f = fired("В Думе рассматривается вопрос введения виз со странами СНГ");
    assert!(f.contains(&"proposal") && !f.contains(&"deny"), "{f:?}");
    // A proposal word outside the denial keeps the proposal.
    let f = fired("Депутаты не рассматривают визы, эксперты предлагают их");
    assert!(f.contains(&"proposal") && f.contains(&"deny"), "{f:?}");
}

#[test]
fn entry_rules_of_the_pair_and_for_foreigners_are_told_from_other_borders() {
    for t in [
        "Россия изменила правила въезда для казахстанцев",
        "Kazakhstan lifted restrictions on crossing the border with Russia",
        "Ресей шекарасынан өту тәртібі",
    ] {
        let f = fired(t);
        assert!(f.contains(&"entry_rules+pair"), "{t}: {f:?}");
    }
    for t in [
        "Иностранцы будут въезжать в Россию только по загранпаспортам",
        "Foreigners will be fingerprinted to enter Russia",
    ] {
        let f = fired(t);
        assert!(f.contains(&"rules+foreigners"), "{t}: {f:?}");
    }
    // Another country's entry rules, even for Russians or Kazakhstanis, are neither.
    for t in [
        "Латвия ужесточает правила въезда в страну для иностранцев",
        "Кыргызстан ввел новые правила пребывания для граждан Казахстана",
        "Armenia introduces new entry rules for Russian citizens",
    ] {
        let f = fired(t);
        assert!(!f.contains(&"entry_rules+pair"), "{t}: {f:?}");
        assert!(!f.contains(&"rules+foreigners"), "{t}: {f:?}");
    }
}

#[test]
fn another_states_visas_for_central_asia_are_another_pair_unless_russia_is_named() {
    for t in [
        "U.S. introduces visa bonds of up to $15,000 for Central Asians",
        "Saudi Arabia opens tourist e-visas to Kazakhstan and Central Asia",
        "АҚШ Орталық Азия азаматтарына 15 мың АҚШ долларға дейін визалық кепіл енгізді",
    ] {
        let f = fired(t);
        assert!(f.contains(&"target_other"), "{t}: {f:?}");
        assert!(!f.contains(&"claim"), "{t}: {f:?}");
    }
    // With Russia named, another state's voice on Russia's visas for the grouping is still the grouping.
    let t = "Kyrgyzstan's envoy: Russia will not bring in visas for Central Asian migrants";
    let f = fired(t);
    assert!(
        !f.contains(&"target_other") && f.contains(&"claim_denied"),
        "{t}: {f:?}"
    );
}

#[test]
fn foreign_students_and_third_country_nationals_are_foreigners() {
    for t in [
        "Russia tightens visa rules for foreign students",
        "Виза для граждан третьих стран: новые правила",
        "Үшінші елдердің азаматтарына виза беру тәртібі өзгерді",
    ] {
        let f = fired(t);
        assert!(
            f.contains(&"target_foreigners") && !f.contains(&"claim"),
            "{t}: {f:?}"
        );
    }
    // "foreign" alone is not a target: the foreign ministry is who speaks.
    let f = fired("Foreign ministry: no visa regime with Russia");
    assert!(!f.contains(&"target_foreigners"), "{f:?}");
}
