//! Where the claim came from: groups near-identical flagged headlines (the same wording re-published by
//! other outlets, often with small edits) and orders each group by first appearance.
//!
//! # Architecture
//! - Text: [`crate::text::normalize_for_model`] (case, `ё`, quotes and dashes folded), then letters and
//!   digits only, runs of anything else as one space; the set of its character [`SHINGLE`]-grams.
//!   Character shingles also make most Russian and Kazakh inflections count as near-identical words.
//! - Candidates: MinHash signatures of [`BANDS`] x [`ROWS`] values, banded (locality-sensitive hashing):
//!   two headlines whose shingle sets have Jaccard similarity 0.5 share a band with probability 0.99.
//! - Each candidate pair is verified with the exact Jaccard similarity (at least [`SIMILARITY`]), and
//!   verified pairs are joined (union-find, so a chain of small edits stays one group).
//! - Order: earliest publication first, ties by fetch time, then item id. The first is the group's first
//!   appearance; the others repeated it, in that order.
//!
//! Hashes are fixed functions (no random seeds), so the same headlines always give the same groups.

use std::collections::HashMap;

/// Character n-gram length of the shingles.
pub const SHINGLE: usize = 3;
/// Minimum Jaccard similarity of two headlines' shingle sets to count as the same headline.
pub const SIMILARITY: f64 = 0.5;
/// LSH bands and rows per band (signature length `BANDS * ROWS`).
pub const BANDS: usize = 32;
pub const ROWS: usize = 3;

/// A flagged headline to group.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    pub item_id: i64,
    pub source: String,
    pub title: String,
    pub url: Option<String>,
    /// ISO-8601 UTC, as stored (so they order as text).
    pub published_at: String,
    pub fetched_at: String,
}

/// The sorted, distinct shingle hashes of a headline.
pub fn shingles(title: &str) -> Vec<u64> {
    let norm = crate::text::normalize_for_model(title);
    let mut chars: Vec<char> = Vec::with_capacity(norm.len());
    let mut space = false;
    for c in norm.chars() {
        if c.is_alphanumeric() {
            if space && !chars.is_empty() {
                chars.push(' ');
            }
            space = false;
            chars.push(c);
        } else {
            space = true;
        }
    }
    let mut out: Vec<u64> = if chars.len() <= SHINGLE {
        if chars.is_empty() {
            Vec::new()
        } else {
            vec![fnv(&chars)]
        }
    } else {
        chars.windows(SHINGLE).map(fnv).collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

fn fnv(chars: &[char]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in chars {
        h ^= *c as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// SplitMix64's finaliser: a fixed, well-mixed hash of a 64-bit value.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Exact Jaccard similarity of two sorted, distinct sets.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common as f64 / (a.len() + b.len() - common) as f64
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// Groups `headlines` (any order) into near-identical sets; returns each group of two or more as indices
/// into `headlines` in order of appearance, groups ordered by their first appearance.
pub fn group(headlines: &[Headline]) -> Vec<Vec<usize>> {
    let sets: Vec<Vec<u64>> = headlines.iter().map(|h| shingles(&h.title)).collect();
    let mut parent: Vec<usize> = (0..headlines.len()).collect();
    let mut buckets: HashMap<(usize, u64), Vec<usize>> = HashMap::new();
    let mut sig = [0u64; BANDS * ROWS];
    for (i, set) in sets.iter().enumerate() {
        if set.is_empty() {
            continue;
        }
        sig.fill(u64::MAX);
        for &s in set {
            for (k, slot) in sig.iter_mut().enumerate() {
                let h = mix(s ^ (k as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
                if h < *slot {
                    *slot = h;
                }
            }
        }
        for (band, rows) in sig.chunks(ROWS).enumerate() {
            let key = rows.iter().fold(band as u64, |acc, r| mix(acc ^ r));
            let bucket = buckets.entry((band, key)).or_default();
            for &j in bucket.iter() {
                let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                if ri != rj && jaccard(set, &sets[j]) >= SIMILARITY {
                    parent[ri] = rj;
                }
            }
            bucket.push(i);
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..headlines.len() {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let order = |a: &usize, b: &usize| {
        let (x, y) = (&headlines[*a], &headlines[*b]);
        x.published_at
            .cmp(&y.published_at)
            .then_with(|| x.fetched_at.cmp(&y.fetched_at))
            .then(x.item_id.cmp(&y.item_id))
    };
    let mut out: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
    for g in &mut out {
        g.sort_by(order);
    }
    out.sort_by(|a, b| order(&a[0], &b[0]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(id: i64, source: &str, title: &str, published: &str) -> Headline {
        Headline {
            item_id: id,
            source: source.into(),
            title: title.into(),
            url: None,
            published_at: published.into(),
            fetched_at: "2025-06-10T06:00:00Z".into(),
        }
    }

    fn titles(hs: &[Headline], g: &[usize]) -> Vec<i64> {
        g.iter().map(|&i| hs[i].item_id).collect()
    }

    /// Headlines written for this test: one Russian claim re-published by four outlets with small edits
    /// (case, quotes, a dropped date, an added lead word, a changed ending), one English claim and its
    /// copy, a Kazakh claim with an inflected copy, and on-topic headlines that are different headlines.
    fn fixture() -> Vec<Headline> {
        vec![
            h(
                1,
                "B",
                "Россия вводит визовый режим для граждан Казахстана с 30 июня",
                "2025-06-09T08:00:00Z",
            ),
            h(
                2,
                "A",
                "Россия вводит визовый режим для граждан Казахстана с 30 июня",
                "2025-06-09T07:00:00Z",
            ),
            h(
                3,
                "C",
                "РОССИЯ ВВОДИТ «ВИЗОВЫЙ РЕЖИМ» для граждан Казахстана",
                "2025-06-09T09:00:00Z",
            ),
            h(
                4,
                "D",
                "Срочно: Россия вводит визовый режим для граждан Казахстана с 30 июня",
                "2025-06-09T10:00:00Z",
            ),
            h(
                5,
                "E",
                "Россия вводит визовый режим для гражданина Казахстана с 30-го июня",
                "2025-06-09T10:00:00Z",
            ),
            h(
                6,
                "A",
                "Russia introduces visa regime for Kazakhstan citizens from June 30",
                "2025-06-09T06:00:00Z",
            ),
            h(
                7,
                "F",
                "Russia introduces a visa regime for Kazakhstan's citizens from 30 June",
                "2025-06-09T11:00:00Z",
            ),
            h(
                8,
                "G",
                "Ресей Қазақстан азаматтары үшін визалық режим енгізеді",
                "2025-06-09T12:00:00Z",
            ),
            h(
                9,
                "H",
                "Ресей Қазақстан азаматтарына визалық режим енгізеді",
                "2025-06-09T13:00:00Z",
            ),
            h(
                10,
                "I",
                "Казахстанцам понадобятся визы для въезда в Россию",
                "2025-06-09T08:30:00Z",
            ),
            h(
                11,
                "J",
                "Kazakhs will need visas to enter Russia, reports say",
                "2025-06-09T09:30:00Z",
            ),
            h(
                12,
                "K",
                "Визовый режим с Казахстаном: что известно",
                "2025-06-09T14:00:00Z",
            ),
        ]
    }

    #[test]
    fn republications_with_small_edits_group_and_order_by_first_appearance() {
        let hs = fixture();
        let groups = group(&hs);
        assert_eq!(
            groups.len(),
            3,
            "{:?}",
            groups.iter().map(|g| titles(&hs, g)).collect::<Vec<_>>()
        );
        // Ordered by first appearance: the English claim (06:00) first.
        assert_eq!(titles(&hs, &groups[0]), vec![6, 7]);
        // A published at 07:00 first; D and E tie on publication at 10:00 and fetch time: item id.
        assert_eq!(titles(&hs, &groups[1]), vec![2, 1, 3, 4, 5]);
        assert_eq!(titles(&hs, &groups[2]), vec![8, 9]);
    }

    #[test]
    fn ties_on_publication_go_by_fetch_time() {
        let mut a = h(
            1,
            "A",
            "Russia introduces visa regime for Kazakhs",
            "2025-06-09T07:00:00Z",
        );
        let mut b = h(
            2,
            "B",
            "Russia introduces visa regime for Kazakhs",
            "2025-06-09T07:00:00Z",
        );
        a.fetched_at = "2025-06-09T09:00:00Z".into();
        b.fetched_at = "2025-06-09T08:00:00Z".into();
        let hs = vec![a, b];
        assert_eq!(titles(&hs, &group(&hs)[0]), vec![2, 1]);
    }

    #[test]
    fn shingles_ignore_case_quotes_and_punctuation() {
        assert_eq!(shingles("«Визы» — для всех!"), shingles("визы для всех"));
        assert!(shingles("").is_empty());
        assert_eq!(shingles("ab").len(), 1);
        assert_eq!(jaccard(&shingles("a b c d"), &shingles("a b c d")), 1.0);
    }
}
