//! `reasons`: the cue families that fired and pushed towards the predicted label, then the n-grams that
//! pushed hardest, e.g. `["visa wording", "names Kazakhstan", "n-grams: \"визы\", \"вводит\""]`.

use super::cues::FAMILIES;
use super::model::{Model, Prediction};

/// Short, readable reasons for a prediction.
pub fn reasons(model: &Model, p: &Prediction) -> Vec<String> {
    let k = p.label.index();
    let mut out = Vec::new();
    for (j, fam) in FAMILIES.iter().enumerate() {
        if !p.cues[j] {
            continue;
        }
        let w = &model.linear.cue_weights[j];
        let others = (0..4).filter(|&i| i != k).map(|i| w[i]).sum::<f32>() / 3.0;
        if w[k] > others {
            out.push(fam.reason.to_string());
        }
    }
    if !p.top_ngrams.is_empty() {
        out.push(format!("n-grams: {}", p.top_ngrams.join(", ")));
    }
    out
}
