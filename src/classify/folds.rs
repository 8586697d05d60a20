//! Stratified k-fold assignment that keeps near-duplicates together, so cross-validation never scores a
//! headline against its own rewording, and keeps each outlet's real rows together, so the figures on real
//! rows say how the model does on an outlet it was not trained on.
//!
//! Two rows are in one group when their [`near_duplicate_key`]s are equal (digits, numbers and dates
//! masked), when their word sets have a Jaccard similarity of at least [`JACCARD`], or when both are real
//! rows of one outlet (the URL's host). Groups are placed, largest first in a fixed pseudo-random order,
//! into the fold that holds the fewest rows of the group's majority label, which keeps the label mix of
//! every fold close to the corpus's.

use super::corpus::near_duplicate_key;
use crate::domain::Label;
use std::hash::{Hash, Hasher};

/// A stable 64-bit hash (FxHash: no per-process seed, so folds are the same on every run).
fn hash_str(s: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    s.hash(&mut h);
    h.finish()
}

/// Word-set Jaccard similarity at or above which two rows are near-duplicates.
pub const JACCARD: f64 = 0.8;

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.0[a.max(b)] = a.min(b);
        }
    }
}

/// A group id per text (the smallest row index of its group).
pub fn near_duplicate_groups(texts: &[&str]) -> Vec<usize> {
    let n = texts.len();
    let mut uf = UnionFind((0..n).collect());
    let mut by_key: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut sets: Vec<Vec<u64>> = Vec::with_capacity(n);
    for (i, t) in texts.iter().enumerate() {
        let key = near_duplicate_key(t);
        let mut set: Vec<u64> = key.split(' ').map(hash_str).collect();
        set.sort_unstable();
        set.dedup();
        sets.push(set);
        match by_key.get(&key) {
            Some(&j) => uf.union(i, j),
            None => {
                by_key.insert(key, i);
            }
        }
    }
    // Jaccard >= 0.8 needs |small| >= 0.8 |large|: compare only rows of compatible sizes.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| sets[i].len());
    for a in 0..n {
        let i = order[a];
        let li = sets[i].len();
        for &j in &order[a + 1..] {
            let lj = sets[j].len();
            if (li as f64) < JACCARD * lj as f64 {
                break;
            }
            let inter = intersection(&sets[i], &sets[j]);
            let union = li + lj - inter;
            if union > 0 && inter as f64 >= JACCARD * union as f64 {
                uf.union(i, j);
            }
        }
    }
    (0..n).map(|i| uf.find(i)).collect()
}

fn intersection(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Assigns each row a fold in `0..k`, stratified by label, groups (near-duplicates, and the rows of one
/// `outlets` entry) kept whole; `seed` 0 gives `train`'s folds, others other arrangements (`--repeats`).
pub fn assign_folds(
    texts: &[&str],
    labels: &[Label],
    outlets: &[Option<String>],
    k: usize,
    seed: u64,
) -> Vec<usize> {
    let k = k.max(2);
    let mut uf = UnionFind(near_duplicate_groups(texts));
    let mut first_of: std::collections::HashMap<&str, usize> = Default::default();
    for (i, o) in outlets.iter().enumerate() {
        if let Some(o) = o {
            let j = *first_of.entry(o.as_str()).or_insert(i);
            uf.union(i, j);
        }
    }
    let groups: Vec<usize> = (0..texts.len()).map(|i| uf.find(i)).collect();
    let mut members: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (i, g) in groups.iter().enumerate() {
        members.entry(*g).or_default().push(i);
    }
    let mut list: Vec<(usize, u64, Vec<usize>)> = members
        .into_iter()
        .map(|(g, m)| {
            (
                m.len(),
                hash_str(texts[g]) ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15),
                m,
            )
        })
        .collect();
    list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut counts = vec![[0usize; 4]; k];
    let mut sizes = vec![0usize; k];
    let mut fold = vec![0usize; texts.len()];
    for (_, _, m) in list {
        let mut lc = [0usize; 4];
        for &i in &m {
            lc[labels[i].index()] += 1;
        }
        let major = (0..4).max_by_key(|&l| (lc[l], 4 - l)).unwrap_or(0);
        let f = (0..k)
            .min_by_key(|&f| (counts[f][major], sizes[f], f))
            .unwrap_or(0);
        for &i in &m {
            fold[i] = f;
            counts[f][labels[i].index()] += 1;
            sizes[f] += 1;
        }
    }
    fold
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_duplicates_share_a_fold_and_folds_are_stratified() {
        let texts = [
            "Russia introduces visas for Kazakhs from June 30",
            "Russia introduces visas for Kazakhs from July 1",
            "Russia introduces new visas for Kazakhs from June 30",
            "MFA: visa-free regime stays",
            "Fingerprints at the border",
            "Weather in Almaty",
            "Georgia visa news",
            "Ministry denies visa rumours",
        ];
        let labels = [
            Label::Misleading,
            Label::Misleading,
            Label::Misleading,
            Label::Rebuttal,
            Label::Accurate,
            Label::Unrelated,
            Label::Unrelated,
            Label::Rebuttal,
        ];
        let g = near_duplicate_groups(&texts);
        assert_eq!(g[0], g[1]);
        assert_eq!(g[0], g[2], "Jaccard 6/7 >= 0.8");
        assert_ne!(g[0], g[3]);
        let f = assign_folds(&texts, &labels, &vec![None; texts.len()], 2, 0);
        assert_eq!(f[0], f[1]);
        assert_eq!(f[0], f[2]);
        assert_ne!(f[3], f[7], "the two rebuttals go to different folds");
        // The same outlet's real rows share a fold, whatever their labels.
        let mut outlets = vec![None; texts.len()];
        outlets[3] = Some("a.example".to_string());
        outlets[7] = Some("a.example".to_string());
        outlets[5] = Some("b.example".to_string());
        let f = assign_folds(&texts, &labels, &outlets, 3, 0);
        assert_eq!(f[3], f[7]);
        assert_eq!(f[0], f[2]);
    }
}
