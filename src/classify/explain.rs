//! `reasons`: the cue features (families and their conjunctions) that fired and pushed towards the
//! predicted label, then the n-grams that pushed hardest, e.g.
//! `["visa wording", "names Kazakhstan", "n-grams: \"визы\", \"вводит\""]`.

use super::cues::{reason, N_CUES};
use super::model::{Model, Prediction};

/// Most cue reasons listed (strongest first).
const MAX_CUE_REASONS: usize = 4;

/// Short, readable reasons for a prediction, into `out`, reusing its strings (no allocation once they
/// have grown: `classify` calls this for every headline).
pub fn reasons_into(model: &Model, p: &Prediction, out: &mut Vec<String>) {
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
    let mut n = 0;
    let mut next = |out: &mut Vec<String>| -> usize {
        if n == out.len() {
            out.push(String::new());
        }
        out[n].clear();
        n += 1;
        n - 1
    };
    for &(_, j) in cues.iter().take(MAX_CUE_REASONS) {
        let i = next(out);
        out[i].push_str(reason(j));
    }
    if !p.top_ngrams.is_empty() {
        let i = next(out);
        let grams = &mut out[i];
        grams.push_str("n-grams: ");
        for (i, &c) in p.top_ngrams.iter().enumerate() {
            if i > 0 {
                grams.push_str(", ");
            }
            grams.push_str(model.display(c));
        }
    }
    out.truncate(n);
}
