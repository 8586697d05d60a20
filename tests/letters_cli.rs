//! `headline-watch letters` with the real binary on a seeded database (headlines written for this test):
//! golden letters per language (`tests/fixtures/letters/{ru,en,kk}.md`, the letter's date filtered out;
//! `UPDATE_GOLDEN=1 cargo test --test letters_cli` rewrites them, review the diff), one letter per outlet
//! in its own language by default, paths on stdout, corrected and reviewer-rejected headlines left out,
//! hostile headlines inert, and templates replaced from the configured folder.

mod report_support;

use headline_watch::domain::{Label, Verdict};
use headline_watch::store::Store;
use report_support::*;
use std::path::{Path, PathBuf};

const RU_FLAG: &str = "Россия вводит визовый режим для казахстанцев";
const HOSTILE: &str =
    "<script>alert(1)</script> [Визы](javascript:alert(1)) **срочно** # | =cmd|' /C calc'!A0";
const EDITED_BEFORE: &str = "Казахстанцам понадобятся визы";
const EDITED_AFTER: &str = "Казахстанцам понадобятся визы уже с 30 июня";
const CORRECTED_BEFORE: &str = "Визы для казахстанцев с 30 июня";
const CORRECTED_AFTER: &str = "Биометрия на границе России с 30 июня";
const REJECTED: &str = "Граница с Россией: что изменится для казахстанцев";
const EN_FLAG: &str = "Russia brings in visas for Kazakhs from June 30";
const KK_FLAG: &str = "Ресей қазақстандықтарға виза енгізеді";

fn seed(db: &Path) {
    let mut store = Store::open(db).unwrap();
    let fetched = t("2025-06-10T06:00:00Z");
    let rows = [
        (
            "Пример-Новости",
            "ru",
            RU_FLAG,
            "https://novosti.example/1",
            "2025-06-09T09:30:00Z",
        ),
        (
            "Пример-Новости",
            "ru",
            HOSTILE,
            "javascript:alert(1)",
            "2025-06-09T10:00:00Z",
        ),
        (
            "Пример-Новости",
            "ru",
            EDITED_BEFORE,
            "https://novosti.example/3",
            "2025-06-09T11:00:00Z",
        ),
        (
            "Пример-Новости",
            "ru",
            CORRECTED_BEFORE,
            "https://novosti.example/4",
            "2025-06-09T12:00:00Z",
        ),
        (
            "Пример-Новости",
            "ru",
            REJECTED,
            "https://novosti.example/5",
            "2025-06-09T13:00:00Z",
        ),
        (
            "Example Times",
            "en",
            EN_FLAG,
            "https://times.example/1",
            "2025-06-09T07:00:00Z",
        ),
        (
            "Мысал Ақпарат",
            "kk",
            KK_FLAG,
            "https://aqparat.example/1",
            "2025-06-10T04:00:00Z",
        ),
    ];
    let ids = seed_flagged(&mut store, &rows, fetched);
    let later = t("2025-06-10T09:00:00Z");
    let edited = store.seed_version(ids[2], EDITED_AFTER, later).unwrap();
    let corrected = store.seed_version(ids[3], CORRECTED_AFTER, later).unwrap();
    store
        .insert_version_classifications(
            "m",
            &[(edited, flag_cls(true)), (corrected, flag_cls(false))],
            later,
        )
        .unwrap();
    store
        .insert_review(&Verdict {
            item_id: ids[4],
            label: Label::Accurate,
            reviewer: Some("press office".into()),
            note: None,
            reviewed_at: later,
        })
        .unwrap();
}

/// A folder with a config (shipped `[report]`, `[narrative]`, `[letters]` with a signature, plus
/// `templates` when given) and the seeded database.
fn setup(templates: Option<&Path>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        &manifest_dir().join("models/visa-regime.json"),
        "",
    );
    let mut text = std::fs::read_to_string(&config).unwrap();
    let mut letters = "signature = \"Press service\\nexample.org\"".to_string();
    if let Some(t) = templates {
        letters.push_str(&format!("\ntemplates = {:?}", t.display().to_string()));
    }
    assert!(
        text.contains("signature = \"\""),
        "config.toml has [letters] signature"
    );
    text = text.replace("signature = \"\"", &letters);
    std::fs::write(&config, text).unwrap();
    seed(&dir.path().join("db.sqlite"));
    (dir, config)
}

fn letters(config: &Path, args: &[&str]) -> Vec<PathBuf> {
    let mut all = vec!["letters", "--since", "2025-06-09", "--until", "2025-06-11"];
    all.extend_from_slice(args);
    let out = hw(config, &all);
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(PathBuf::from)
        .collect()
}

fn filter(s: &str) -> String {
    regex::Regex::new(r"(?m)^\d{4}-\d\d-\d\d$")
        .unwrap()
        .replace_all(s, "{DATE}")
        .into_owned()
}

fn check_golden(lang: &str, actual: &str) {
    let path = manifest_dir().join(format!("tests/fixtures/letters/{lang}.md"));
    let actual = filter(actual);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 creates it)", path.display()));
    assert_eq!(
        expected,
        actual,
        "{lang} letter differs from {}",
        path.display()
    );
}

#[test]
fn golden_letters_per_language_leave_out_resolved_flags_and_keep_hostile_text_inert() {
    let (dir, config) = setup(None);
    let out = dir.path().join("out");
    for lang in ["ru", "en", "kk"] {
        let paths = letters(
            &config,
            &[
                "--outlet",
                "Пример-Новости",
                "--lang",
                lang,
                "--output",
                out.to_str().unwrap(),
            ],
        );
        assert_eq!(
            paths,
            vec![out.join(format!("2025-06-11-пример-новости.{lang}.md"))]
        );
        let text = std::fs::read_to_string(&paths[0]).unwrap();
        for t in [RU_FLAG, EDITED_AFTER, EDITED_BEFORE] {
            assert!(text.contains(t), "{lang}: quotes {t} verbatim");
        }
        for t in [
            CORRECTED_BEFORE,
            CORRECTED_AFTER,
            REJECTED,
            EN_FLAG,
            KK_FLAG,
        ] {
            assert!(!text.contains(t), "{lang}: {t} is not in this letter");
        }
        assert!(!text.contains("<script"), "{lang}: raw script tag");
        assert!(!text.contains("](javascript"), "{lang}: javascript link");
        assert!(
            !text.contains("**срочно**"),
            "{lang}: emphasis from a headline"
        );
        assert!(
            text.contains("Smadiyarov") && text.contains("tass.com/world/1970939"),
            "{lang}: cites the TASS article"
        );
        // The Russian wording is the outlet's quotation, said so, never the ministry's transcript.
        let quoted = text
            .split("\n\n")
            .find(|p| p.contains("Айбек Смадияров"))
            .unwrap_or_else(|| panic!("{lang}: the Russian wording is quoted"));
        assert!(
            quoted.contains("Tsargrad") && quoted.contains("tsargrad.tv"),
            "{lang}: attributed to the outlet that quoted it: {quoted}"
        );
        assert!(
            text.contains("Press service\nexample.org"),
            "{lang}: signature"
        );
        check_golden(lang, &text);
    }
    let kk = std::fs::read_to_string(out.join("2025-06-11-пример-новости.kk.md")).unwrap();
    assert!(
        kk.contains("аударма"),
        "the Kazakh letter marks renderings as translations"
    );
    assert!(
        kk.contains("(түпнұсқа тілі: `ru`)"),
        "and names the headline's language"
    );
}

#[test]
fn one_letter_per_outlet_in_its_own_language_into_the_report_folder() {
    let (dir, config) = setup(None);
    let paths = letters(&config, &[]);
    let folder = dir.path().join("reports/letters");
    assert_eq!(
        paths,
        vec![
            folder.join("2025-06-11-example-times.en.md"),
            folder.join("2025-06-11-мысал-ақпарат.kk.md"),
            folder.join("2025-06-11-пример-новости.ru.md"),
        ]
    );
    for p in &paths {
        assert!(p.exists(), "{}", p.display());
    }
    let en = std::fs::read_to_string(&paths[0]).unwrap();
    assert!(en.contains(EN_FLAG) && !en.contains(RU_FLAG));
    // An outlet with nothing unresolved gets no letter.
    assert!(letters(&config, &["--outlet", "Nobody"]).is_empty());
}

#[test]
fn templates_from_the_configured_folder_replace_the_shipped_ones() {
    let custom = tempfile::tempdir().unwrap();
    std::fs::write(
        custom.path().join("en.md"),
        "Custom letter to {{ outlet }}: {{ headlines|length }} headline(s). {% for h in headlines %}{{ h.title }}{% endfor %}\n",
    )
    .unwrap();
    let (_dir, config) = setup(Some(custom.path()));
    let paths = letters(&config, &["--outlet", "Пример-Новости", "--lang", "en"]);
    let text = std::fs::read_to_string(&paths[0]).unwrap();
    assert!(
        text.starts_with("Custom letter to Пример-Новости: 3 headline(s)."),
        "{text}"
    );
    assert!(
        text.contains("&lt;script&gt;"),
        "an edited template still escapes: {text}"
    );
    // Russian is not in the folder: the shipped template.
    let paths = letters(&config, &["--outlet", "Пример-Новости", "--lang", "ru"]);
    let text = std::fs::read_to_string(&paths[0]).unwrap();
    assert!(text.contains("Уважаемая редакция"));
    // A broken template is an error naming the file.
    std::fs::write(custom.path().join("en.md"), "{% for %}").unwrap();
    let out = hw(
        &config,
        &[
            "letters",
            "--since",
            "2025-06-09",
            "--until",
            "2025-06-11",
            "--lang",
            "en",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("en.md"), "{}", stderr(&out));
}
