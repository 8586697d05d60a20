//! Probability calibration by temperature scaling: one scalar `T` dividing the logits, fitted to minimise
//! the log-loss of out-of-fold logits. It keeps the argmax (the label) and makes `scores` honest, which
//! matters because the flag threshold is applied to `p(misleading)`.

use super::model::softmax;
use crate::domain::Label;

fn nll(logits: &[[f64; 4]], truth: &[Label], t: f64) -> f64 {
    logits
        .iter()
        .zip(truth)
        .map(|(z, y)| -softmax(z, t)[y.index()].max(1e-12).ln())
        .sum::<f64>()
        / logits.len().max(1) as f64
}

/// The temperature in [0.05, 20] minimising the log-loss (golden-section search on ln T).
pub fn fit_temperature(logits: &[[f64; 4]], truth: &[Label]) -> f64 {
    if logits.is_empty() {
        return 1.0;
    }
    let (mut a, mut b) = (0.05f64.ln(), 20f64.ln());
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let mut c = b - g * (b - a);
    let mut d = a + g * (b - a);
    let (mut fc, mut fd) = (nll(logits, truth, c.exp()), nll(logits, truth, d.exp()));
    for _ in 0..60 {
        if fc < fd {
            b = d;
            d = c;
            fd = fc;
            c = b - g * (b - a);
            fc = nll(logits, truth, c.exp());
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + g * (b - a);
            fd = nll(logits, truth, d.exp());
        }
    }
    ((a + b) / 2.0).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overconfident_logits_get_a_temperature_above_one() {
        // Right 75% of the time with huge margins: the best temperature softens them.
        let mut z = Vec::new();
        let mut y = Vec::new();
        for i in 0..100 {
            z.push([10.0, 0.0, 0.0, 0.0]);
            y.push(if i % 4 == 0 {
                Label::Accurate
            } else {
                Label::Misleading
            });
        }
        let t = fit_temperature(&z, &y);
        assert!(t > 2.0, "{t}");
        assert!(nll(&z, &y, t) < nll(&z, &y, 1.0));
    }
}
