//! The real binary: `train` on the sanity fixture, then `classify` in every format, with blank and
//! non-UTF-8 lines, checked against the golden output shape of CONTRACT.md.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

const BIN: &str = env!("CARGO_BIN_EXE_headline-watch");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/classify")
}

/// A model trained once on the fixture corpus (3 folds), shared by the tests of this file.
fn model() -> &'static Path {
    static MODEL: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = MODEL.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        let out = Command::new(BIN)
            .current_dir(dir.path())
            .args(["-q", "train", "--folds", "3", "--corpus"])
            .arg(fixtures())
            .arg("--output")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("macro-F1"), "{stdout}");
        (dir, path)
    });
    path
}

fn classify(args: &[&str], stdin: &[u8]) -> (bool, String, String) {
    let mut child = Command::new(BIN)
        .current_dir(model().parent().unwrap())
        .arg("classify")
        .arg("--model")
        .arg(model())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Replaces numbers and reason texts so only the shape remains.
fn shape(v: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Number(_) => Value::from(0),
        Value::Array(_) => Value::Array(vec![]),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let v = if k == "label" || k == "flagged" {
                        Value::from("_")
                    } else {
                        shape(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

#[test]
fn jsonl_matches_the_golden_shape_line_for_line() {
    let mut bytes = Vec::new();
    bytes.extend_from_slice("Россия вводит визы для граждан Казахстана\n\n".as_bytes());
    bytes.extend_from_slice("МИД РК: визового режима с Россией не будет\r\n".as_bytes());
    bytes.extend_from_slice(b"\xff\xfe\n");
    bytes.extend_from_slice(b"Foreigners entering Russia to give fingerprints from June 30\n");
    bytes.extend_from_slice(b"Kazakhstan extends visa-free entry for 54 countries");
    let (ok, out, err) = classify(&["--format", "jsonl"], &bytes);
    assert!(ok, "{err}");
    let golden = std::fs::read_to_string(fixtures().join("golden.jsonl")).unwrap();
    let got: Vec<serde_json::Value> = out
        .lines()
        .map(|l| shape(&serde_json::from_str(l).unwrap()))
        .collect();
    let want: Vec<serde_json::Value> = golden
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(got, want, "full output:\n{out}");
    // Key order is CONTRACT.md's, and scores are probabilities summing to 1.
    let first = out.lines().next().unwrap();
    let order: Vec<usize> = [
        "\"text\"",
        "\"label\"",
        "\"flagged\"",
        "\"scores\"",
        "\"reasons\"",
    ]
    .iter()
    .map(|k| first.find(k).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{first}");
    let labels: Vec<String> = out
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            if let Some(s) = v.get("scores") {
                let sum: f64 = s
                    .as_object()
                    .unwrap()
                    .values()
                    .map(|x| x.as_f64().unwrap())
                    .sum();
                assert!((sum - 1.0).abs() < 1e-9, "{l}");
            }
            v.get("label")
                .and_then(|l| l.as_str())
                .unwrap_or("error")
                .to_string()
        })
        .collect();
    assert_eq!(
        labels,
        [
            "misleading",
            "error",
            "rebuttal",
            "error",
            "accurate",
            "unrelated"
        ]
    );
}

#[test]
fn arguments_text_and_json_formats_and_threshold() {
    let (ok, out, _) = classify(
        &[
            "--format",
            "json",
            "Russia brings in visas for Kazakhs",
            "Weather in Almaty",
        ],
        b"",
    );
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[0]["flagged"], true);
    let (ok, out, _) = classify(
        &[
            "--threshold",
            "1",
            "--format",
            "text",
            "Russia brings in visas for Kazakhs",
        ],
        b"",
    );
    assert!(ok);
    assert!(
        out.starts_with("misleading") && !out.contains("FLAGGED"),
        "{out}"
    );
}

#[test]
fn missing_and_corrupt_models_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        b"{\"format\": \"headline-watch-classifier\", \"format_ver",
    )
    .unwrap();
    for (path, want) in [
        (bad.clone(), "corrupt model file"),
        (dir.path().join("none.json"), "no model file"),
    ] {
        let out = Command::new(BIN)
            .current_dir(dir.path())
            .args(["classify", "--model"])
            .arg(&path)
            .arg("x")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(want) && err.contains("headline-watch train"),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}
