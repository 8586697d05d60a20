//! `reasons`: the structure features that fired and pushed towards the predicted label (who does what to
//! whom: "target: another country pair", "a proposal, not a decision"), then the n-grams that pushed
//! hardest, e.g. `["visas for Kazakhstan's citizens", "actor: Russia", "n-grams: \"визы\", \"вводит\""]`.

use super::model::{Model, Prediction};
use super::structure::FEATURES;

/// Most structure-feature reasons listed (strongest first).
const MAX_FEATURE_REASONS: usize = 4;

/// Short, readable reasons for a prediction.
pub fn reasons(model: &Model, p: &Prediction) -> Vec<String> {
    let k = p.label.index();
    let mut pushes: Vec<(f32, usize)> = (0..FEATURES.len())
        .filter(|&j| p.features[j])
        .filter_map(|j| {
            let w = &model.linear.feature_weights[j];
            let others = (0..4).filter(|&i| i != k).map(|i| w[i]).sum::<f32>() / 3.0;
            (w[k] > others).then_some((w[k] - others, j))
        })
        .collect();
    // Strongest first; ties keep column order.
    pushes.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out: Vec<String> = pushes
        .iter()
        .take(MAX_FEATURE_REASONS)
        .map(|&(_, j)| FEATURES[j].reason.to_string())
        .collect();
    if !p.top_ngrams.is_empty() {
        let grams: Vec<&str> = p.top_ngrams.iter().map(|&c| model.display(c)).collect();
        out.push(format!("n-grams: {}", grams.join(", ")));
    }
    out
}
