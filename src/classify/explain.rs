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
    // At most N_CUES candidates: a fixed array, sorted in place (stable: ties keep column order).
    let mut cues = [(0.0f32, 0usize); N_CUES];
    let mut n = 0;
    for j in 0..N_CUES {
        if !p.cues[j] {
            continue;
        }
        let w = &model.linear.cue_weights[j];
        let others = (0..4).filter(|&i| i != k).map(|i| w[i]).sum::<f32>() / 3.0;
        if w[k] > others {
            cues[n] = (w[k] - others, j);
            n += 1;
        }
    }
    let cues = &mut cues[..n];
    cues.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out: Vec<String> = Vec::with_capacity(MAX_CUE_REASONS + 1);
    out.extend(
        cues.iter()
            .take(MAX_CUE_REASONS)
            .map(|&(_, j)| reason(j).to_string()),
    );
    if !p.top_ngrams.is_empty() {
        let mut grams = String::with_capacity(80);
        grams.push_str("n-grams: ");
        for (i, &c) in p.top_ngrams.iter().enumerate() {
            if i > 0 {
                grams.push_str(", ");
            }
            grams.push_str(model.display(c));
        }
        out.push(grams);
    }
    out
}
