//! Relative paths in a config file follow the file, not the folder the command runs from: a
//! `--config /x/config.toml` run from elsewhere finds its model, database and report folder, and an
//! error names the absolute path it tried.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn hw(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_headline-watch"))
        .env_remove("HEADLINE_WATCH_CONFIG")
        .env_remove("HEADLINE_WATCH_DB")
        .env_remove("HEADLINE_WATCH_LOG")
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("run binary")
}

fn shipped_model() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models/visa-regime.json")
}

#[test]
fn relative_paths_resolve_against_the_config_folder() {
    let home = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("m")).unwrap();
    std::fs::copy(shipped_model(), home.path().join("m/model.json")).unwrap();
    let config = home.path().join("config.toml");
    std::fs::write(
        &config,
        "[storage]\ndatabase = \"data/db.sqlite\"\n\n[report]\ndir = \"out\"\n\n[narrative]\nmodel = \"m/model.json\"\n",
    )
    .unwrap();
    let cfg = config.to_str().unwrap();
    let o = hw(
        elsewhere.path(),
        &[
            "--config",
            cfg,
            "classify",
            "Россия вводит визы для казахстанцев",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = hw(
        elsewhere.path(),
        &["--config", cfg, "report", "--format", "md"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        home.path().join("data/db.sqlite").exists(),
        "database beside the config"
    );
    let reports: Vec<_> = std::fs::read_dir(home.path().join("out"))
        .expect("report folder beside the config")
        .collect();
    assert_eq!(reports.len(), 1);
    let md = std::fs::read_to_string(reports[0].as_ref().unwrap().path()).unwrap();
    assert!(
        !md.contains("could not be read"),
        "the report found the model:\n{md}"
    );
    assert!(
        std::fs::read_dir(elsewhere.path())
            .unwrap()
            .next()
            .is_none(),
        "nothing written in the current folder"
    );
}

#[test]
fn a_missing_model_is_named_by_its_absolute_path() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config.toml");
    std::fs::write(&config, "[narrative]\nmodel = \"m/none.json\"\n").unwrap();
    let o = hw(
        home.path(),
        &["--config", "config.toml", "classify", "a headline"],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    let want = home.path().canonicalize().unwrap().join("m/none.json");
    let want2 = home.path().join("m/none.json");
    assert!(
        err.contains(want.to_str().unwrap()) || err.contains(want2.to_str().unwrap()),
        "{err}"
    );
}
