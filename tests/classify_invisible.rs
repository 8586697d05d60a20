//! Zero-width characters, soft hyphens, joiners and the word joiner inside words do not change what the
//! shipped model says about a headline (the real binary, `classify --format jsonl`).

use std::io::Write;
use std::process::{Command, Stdio};

#[test]
fn invisible_characters_do_not_change_the_verdict() {
    let plain = "Россия вводит визовый режим для казахстанцев";
    let lines = [
        plain.to_string(),
        "Россия вводит ви\u{200b}зовый ре\u{200b}жим для каза\u{200b}хстанцев".to_string(),
        "Россия вводит ви\u{ad}зо\u{ad}вый режим для казах\u{ad}станцев".to_string(),
        "Россия вво\u{200d}дит визо\u{200c}вый ре\u{2060}жим для казахстанцев".to_string(),
    ];
    let model = concat!(env!("CARGO_MANIFEST_DIR"), "/models/visa-regime.json");
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_headline-watch"))
        .env_remove("HEADLINE_WATCH_CONFIG")
        .env_remove("HEADLINE_WATCH_LOG")
        .current_dir(dir.path())
        .args(["classify", "--format", "jsonl", "--model", model])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run binary");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(lines.join("\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), lines.len());
    assert_eq!(rows[0]["label"], "misleading", "{}", rows[0]);
    for r in &rows[1..] {
        assert_eq!(r["label"], rows[0]["label"], "{} vs {}", r, rows[0]);
        assert_eq!(r["scores"], rows[0]["scores"], "{} vs {}", r, rows[0]);
    }
}
