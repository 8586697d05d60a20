//! `reasons`: the cue features (families and their conjunctions) that fired and pushed towards the
//! predicted label, then the n-grams that pushed hardest, e.g.
//! `["visa wording", "names Kazakhstan", "n-grams: \"визы\", \"вводит\""]`.

use super::cues::{reason, N_CUES};
use super::model::{Model, Prediction};

/// Most cue reasons listed (strongest first).
const MAX_CUE_REASONS: usize = 4;

/// Short, readable reasons for a prediction.
pub fn reasons(model: &Model, p: &Prediction) -> Vec<String> {
    let k = p.label.index();
    let mut cues: Vec<(f32, usize)> = Vec::new();
    for j in 0..N_CUES {
        if !p.cues[j] {
            continue;
        }
        let w = &model.linear.cue_weights[j];
        let others = (0..4).filter(|&i| i != k).map(|i| w[i]).sum::<f32>() / 3.0;
        if w[k] > others {
            cues.push((w[k] - others, j));
        }
    }
    cues.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out: Vec<String> = cues
        .iter()
        .take(MAX_CUE_REASONS)
        .map(|&(_, j)| reason(j).to_string())
        .collect();
    if !p.top_ngrams.is_empty() {
        out.push(format!("n-grams: {}", p.top_ngrams.join(", ")));
    }
    out
}
