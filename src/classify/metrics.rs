//! Classification metrics: per-class precision / recall / F1, macro-F1, per-language figures, the
//! confusion matrix and (when probabilities are given) the log-loss.

use crate::domain::Label;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Figures for one class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassMetrics {
    pub label: Label,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

/// Figures for one language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LangMetrics {
    pub lang: String,
    pub rows: usize,
    pub accuracy: f64,
    pub macro_f1: f64,
    pub misleading_f1: f64,
}

/// The whole set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub rows: usize,
    pub accuracy: f64,
    pub macro_f1: f64,
    /// Mean negative log-probability of the true class (calibration), when probabilities were given.
    pub log_loss: Option<f64>,
    pub classes: Vec<ClassMetrics>,
    pub languages: Vec<LangMetrics>,
    /// `confusion[true][predicted]` in [`Label::ALL`] order.
    pub confusion: [[usize; 4]; 4],
}

impl Metrics {
    /// The figures of one class.
    pub fn class(&self, label: Label) -> Option<&ClassMetrics> {
        self.classes.iter().find(|c| c.label == label)
    }

    /// F1 of one class.
    pub fn f1(&self, label: Label) -> f64 {
        self.class(label).map_or(0.0, |c| c.f1)
    }

    /// False flags: the share of headlines that are not misleading predicted `misleading`.
    pub fn false_flag_rate(&self) -> f64 {
        let m = Label::Misleading.index();
        let (wrong, total) = (0..4).filter(|&t| t != m).fold((0, 0), |(w, n), t| {
            (
                w + self.confusion[t][m],
                n + self.confusion[t].iter().sum::<usize>(),
            )
        });
        wrong as f64 / total.max(1) as f64
    }
}

fn confusion(truth: &[Label], pred: &[Label]) -> [[usize; 4]; 4] {
    let mut m = [[0usize; 4]; 4];
    for (t, p) in truth.iter().zip(pred) {
        m[t.index()][p.index()] += 1;
    }
    m
}

fn class_figures(m: &[[usize; 4]; 4]) -> (Vec<ClassMetrics>, f64, f64) {
    let total: usize = m.iter().flatten().sum();
    let mut classes = Vec::new();
    let mut f1_sum = 0.0;
    let mut present = 0;
    let mut correct = 0;
    for l in Label::ALL {
        let k = l.index();
        let tp = m[k][k];
        correct += tp;
        let support: usize = m[k].iter().sum();
        let predicted: usize = (0..4).map(|t| m[t][k]).sum();
        let (precision, recall) = (ratio(tp, predicted), ratio(tp, support));
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        // Like scikit-learn: macro over the labels that occur in the truth or the predictions.
        if support + predicted > 0 {
            f1_sum += f1;
            present += 1;
        }
        classes.push(ClassMetrics {
            label: l,
            precision,
            recall,
            f1,
            support,
        });
    }
    (
        classes,
        f1_sum / present.max(1) as f64,
        ratio(correct, total),
    )
}

/// `a / b`, 0 when `b` is 0.
fn ratio(a: usize, b: usize) -> f64 {
    a as f64 / b.max(1) as f64
}

/// Computes the metrics of predictions `pred` against `truth`, per language from `langs`.
pub fn compute(
    truth: &[Label],
    pred: &[Label],
    langs: &[String],
    probs: Option<&[[f64; 4]]>,
) -> Metrics {
    let m = confusion(truth, pred);
    let (classes, macro_f1, accuracy) = class_figures(&m);
    let mut by_lang: BTreeMap<&str, (Vec<Label>, Vec<Label>)> = BTreeMap::new();
    for ((t, p), l) in truth.iter().zip(pred).zip(langs) {
        let e = by_lang.entry(l.as_str()).or_default();
        e.0.push(*t);
        e.1.push(*p);
    }
    let languages = by_lang
        .into_iter()
        .map(|(lang, (t, p))| {
            let lm = confusion(&t, &p);
            let (lc, lf, la) = class_figures(&lm);
            LangMetrics {
                lang: lang.to_string(),
                rows: t.len(),
                accuracy: la,
                macro_f1: lf,
                misleading_f1: lc[0].f1,
            }
        })
        .collect();
    let log_loss = probs.map(|ps| {
        let n = truth.len().max(1) as f64;
        truth
            .iter()
            .zip(ps)
            .map(|(t, p)| -(p[t.index()].max(1e-12)).ln())
            .sum::<f64>()
            / n
    });
    Metrics {
        rows: truth.len(),
        accuracy,
        macro_f1,
        log_loss,
        classes,
        languages,
        confusion: m,
    }
}

/// A plain-text table of the metrics (for `train` and `evaluate`).
pub fn table(m: &Metrics) -> String {
    let mut s = format!(
        "{:<11} {:>9} {:>7} {:>6} {:>8}\n",
        "class", "precision", "recall", "F1", "support"
    );
    for c in &m.classes {
        let (l, p, r, f, n) = (c.label.as_str(), c.precision, c.recall, c.f1, c.support);
        s += &format!("{l:<11} {p:>9.3} {r:>7.3} {f:>6.3} {n:>8}\n");
    }
    let (f1, acc, rows, ff) = (m.macro_f1, m.accuracy, m.rows, 100.0 * m.false_flag_rate());
    s += &format!("macro-F1 {f1:.4}   accuracy {acc:.3}   rows {rows}   false flags {ff:.2} %");
    if let Some(ll) = m.log_loss {
        s += &format!("   log-loss {ll:.3}");
    }
    s += &format!(
        "\n{:<6} {:>6} {:>9} {:>9} {:>14}\n",
        "lang", "rows", "accuracy", "macro-F1", "misleading F1"
    );
    for l in &m.languages {
        let (n, r, a, f, mf) = (&l.lang, l.rows, l.accuracy, l.macro_f1, l.misleading_f1);
        s += &format!("{n:<6} {r:>6} {a:>9.3} {f:>9.3} {mf:>14.3}\n");
    }
    s += &format!("confusion (rows: true, columns: predicted)\n{:<11}", "");
    for l in Label::ALL {
        s += &format!(" {:>10}", l.as_str());
    }
    for l in Label::ALL {
        s += &format!("\n{:<11}", l.as_str());
        for p in 0..4 {
            s += &format!(" {:>10}", m.confusion[l.index()][p]);
        }
    }
    s + "\n"
}

/// The real-row figures first (the ones that say how the model does on published headlines), then every
/// row's: what `train` and `evaluate` print.
pub fn report(all: &Metrics, real: Option<&Metrics>) -> String {
    let mut s = String::new();
    match real {
        Some(r) => {
            let recall = |l: Label| r.class(l).map_or(0.0, |c| c.recall);
            s.push_str(&format!(
                "REAL published rows ({}; cross-validated, folds grouped by outlet): false flags {:.2} %, rebuttal recall {:.3}, misleading recall {:.3}, macro-F1 {:.3}\n",
                r.rows,
                100.0 * r.false_flag_rate(),
                recall(Label::Rebuttal),
                recall(Label::Misleading),
                r.macro_f1
            ));
            s.push_str(&table(r));
        }
        None => s.push_str("REAL published rows: none in this corpus\n"),
    }
    s.push_str(&format!("ALL rows ({}):\n", all.rows));
    s.push_str(&table(all));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use Label::*;

    #[test]
    fn perfect_and_imperfect() {
        let t = [Misleading, Accurate, Rebuttal, Unrelated];
        let langs: Vec<String> = ["en", "ru", "kk", "en"].map(String::from).to_vec();
        let m = compute(&t, &t, &langs, None);
        assert_eq!(m.macro_f1, 1.0);
        let p = [Misleading, Misleading, Rebuttal, Unrelated];
        let m = compute(&t, &p, &langs, None);
        assert!((m.f1(Misleading) - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(m.f1(Accurate), 0.0);
        assert_eq!(m.confusion[1][0], 1);
        assert_eq!(m.languages.len(), 3);
        assert!(table(&m).contains("macro-F1"));
        // One of three non-misleading rows predicted misleading.
        assert!((m.false_flag_rate() - 1.0 / 3.0).abs() < 1e-9);
    }
}
