//! What the real binary writes on stderr for cron: no ANSI colours when stderr is not a terminal, nothing
//! but errors with `-q`, and many sources failing alike summarised in one line that says what to check.

mod crawl_support;

use crawl_support::*;

fn fine_server() -> Server {
    Server::start(|_| Response::xml(rss("Fine", "http://fine.example", 2, "")))
}

#[test]
fn no_colours_in_logs_that_are_not_a_terminal() {
    let s = setup(&[("broken", "http://127.0.0.1:9/feed", "")], "");
    crawl(&s, &[]);
    // Held back now: logged as a warning, the level that used to come in yellow.
    let r = crawl(&s, &[]);
    assert!(r.stderr.contains("WARN"), "{}", r.stderr);
    assert!(!r.stderr.contains('\u{1b}'), "{:?}", r.stderr);
}

#[test]
fn quiet_prints_nothing_but_errors() {
    let server = fine_server();
    let s = setup(&[("fine", &server.url("/feed"), "")], "");
    let r = crawl(&s, &["-q"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stderr, "", "crawl -q printed the summary");
    // `run -q`: crawl, classify, report, and still not a word.
    let model = concat!(env!("CARGO_MANIFEST_DIR"), "/models/visa-regime.json");
    let mut text = std::fs::read_to_string(&s.config).unwrap();
    text.push_str(&format!(
        "\n[report]\ndir = {:?}\n\n[narrative]\nmodel = {model:?}\n",
        s.dir.path().join("reports").display().to_string()
    ));
    std::fs::write(&s.config, text).unwrap();
    let out = bin()
        .arg("--config")
        .arg(&s.config)
        .args(["-q", "run"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "run -q");
    // An error still shows.
    let s = setup(&[("broken", "http://127.0.0.1:9/feed", "")], "");
    let r = crawl(&s, &["-q"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("broken"), "{}", r.stderr);
}

#[test]
fn many_sources_failing_alike_make_one_line() {
    let urls: Vec<(String, String)> = (0..6)
        .map(|i| {
            (
                format!("outlet {i}"),
                format!("http://outlet-{i}.invalid/feed"),
            )
        })
        .collect();
    let sources: Vec<(&str, &str, &str)> = urls
        .iter()
        .map(|(n, u)| (n.as_str(), u.as_str(), ""))
        .collect();
    let s = setup(&sources, "");
    let r = crawl(&s, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let dns: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.to_lowercase().contains("dns"))
        .collect();
    assert_eq!(dns.len(), 1, "{}", r.stderr);
    assert!(
        dns[0].contains("6 of 6 sources failed to resolve DNS")
            && dns[0].ends_with("is the network up?"),
        "{}",
        dns[0]
    );
    // Every failure is still stored with its own error.
    let conn = db(&s.db);
    for (name, _) in &urls {
        let (outcome, error, _) = last_fetch(&conn, name);
        assert_eq!(outcome, "failed");
        assert!(error.unwrap_or_default().contains("dns"), "{name}");
    }
}
