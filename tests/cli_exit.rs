//! The real binary's exit codes and help as cron, systemd and a new user meet them: a command line that
//! cannot be parsed exits 64 (not 2, which means "the run completed, some sources failed"); `--help` and
//! `--version` exit 0; every `review` argument is described by its help.

use std::process::{Command, Output};

fn hw(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("tempdir");
    Command::new(env!("CARGO_BIN_EXE_headline-watch"))
        .env_remove("HEADLINE_WATCH_CONFIG")
        .env_remove("HEADLINE_WATCH_DB")
        .env_remove("HEADLINE_WATCH_LOG")
        .current_dir(dir.path())
        .args(args)
        .output()
        .expect("run binary")
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

#[test]
fn usage_errors_exit_64() {
    for args in [
        &["run", "--formt", "html"][..],
        &["review", "mark"][..],
        &["report", "--format", "pdf"][..],
        &["review", "mark", "3", "--label", "fake"][..],
        &["no-such-command"][..],
        &[][..],
    ] {
        let o = hw(args);
        assert_eq!(
            code(&o),
            64,
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!o.stderr.is_empty(), "{args:?}: a usage error says why");
    }
}

#[test]
fn help_and_version_exit_0_on_stdout() {
    for args in [&["--help"][..], &["--version"][..], &["run", "--help"][..]] {
        let o = hw(args);
        assert_eq!(code(&o), 0, "{args:?}");
        assert!(!o.stdout.is_empty(), "{args:?}: answer on stdout");
    }
}

#[test]
fn review_help_describes_every_argument() {
    let mark = String::from_utf8_lossy(&hw(&["review", "mark", "--help"]).stdout).into_owned();
    for (arg, words) in [
        ("<ID>", "item id"),
        ("--label", "misleading, accurate, rebuttal or unrelated"),
        ("--note", "note"),
        ("--reviewer", "who"),
    ] {
        let line = mark
            .lines()
            .find(|l| l.trim_start().starts_with(arg))
            .unwrap_or_else(|| panic!("{arg} missing from:\n{mark}"));
        assert!(
            line.to_lowercase().contains(words),
            "{arg} is not described: {line:?}\n{mark}"
        );
    }
    let export = String::from_utf8_lossy(&hw(&["review", "export", "--help"]).stdout).into_owned();
    let line = export
        .lines()
        .find(|l| l.trim_start().starts_with("--output"))
        .unwrap_or_else(|| panic!("--output missing from:\n{export}"));
    assert!(line.contains("corpus/reviews.tsv"), "{line:?}");
}
