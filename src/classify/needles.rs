//! Finds every occurrence of a few hundred short byte strings (the cue families' literals) in a headline,
//! overlaps included: what an overlapping Aho-Corasick search reports, from tables a few kilobytes big.
//!
//! At every start position the next eight bytes are read as one integer `w`. Needles of four bytes or more
//! are grouped by their first four bytes, in an open-addressing table of 4-byte keys (4 KB) behind a 1 KB
//! Bloom filter: one load rules most positions out. Shorter needles are grouped by their first byte.
//! Within a group, a needle is compared as `w & mask == prefix` (its first eight bytes, masked to its
//! length), and only a needle longer than eight bytes is compared further. Positions inside a UTF-8
//! character are skipped: a needle is UTF-8 and cannot start there.
//!
//! An Aho-Corasick DFA over the same needles had to be kept to their first six bytes to be fast; its
//! transition table was still 591 KB, and its cache misses were 11% of `classify`'s time.

/// The needle set and its tables.
#[derive(Debug, Clone)]
pub struct Needles {
    needles: Vec<Vec<u8>>,
    /// Needles of at least four bytes by their first four: keys (0 = empty slot; a needle has no zero
    /// byte) and, per slot, the key's range in `entries`.
    long_keys: Vec<u32>,
    /// A 1 KB blocked Bloom filter of `long_keys` ([`bloom`]): most positions stop here.
    long_bloom: Vec<u64>,
    long_groups: Vec<(u32, u32)>,
    long_shift: u32,
    /// Needles of one to three bytes by their first byte: the range in `entries`, and a filter on the
    /// second byte (bit `b & 63` set if some needle of the group has second byte `b`, or has none).
    short_groups: Vec<(u32, u32)>,
    short_second: Vec<u64>,
    entries: Vec<Entry>,
}

/// Words of [`Needles`]' Bloom filter (1 KB).
const BLOOM_WORDS: usize = 128;

/// The word of the Bloom filter for a 4-byte key and the two bits in it that the key sets.
#[inline(always)]
fn bloom(key: u32) -> (usize, u64) {
    let h = u64::from(key).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let word = (h >> 20) as usize & (BLOOM_WORDS - 1);
    (word, (1 << ((h >> 52) & 63)) | (1 << ((h >> 58) & 63)))
}

/// A needle as the search compares it.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Its first eight bytes (little-endian, zero-padded) and the mask of the bytes it has.
    prefix: u64,
    mask: u64,
    len: u32,
    id: u32,
}

impl Needles {
    /// Tables for `needles`: non-empty UTF-8 strings without NUL, as bytes (others are never reported).
    /// Needle `i` is reported as `i`.
    pub fn new(needles: Vec<Vec<u8>>) -> Needles {
        let mut long: std::collections::BTreeMap<u32, Vec<Entry>> = Default::default();
        let mut short: Vec<Vec<Entry>> = vec![Vec::new(); 256];
        for (id, n) in needles.iter().enumerate() {
            if n.is_empty() || n.contains(&0) {
                continue;
            }
            let head = &n[..n.len().min(8)];
            let mut b = [0u8; 8];
            b[..head.len()].copy_from_slice(head);
            let e = Entry {
                prefix: u64::from_le_bytes(b),
                mask: u64::MAX >> (8 * (8 - head.len())),
                len: n.len() as u32,
                id: id as u32,
            };
            if n.len() >= 4 {
                long.entry(e.prefix as u32).or_default().push(e);
            } else {
                short[usize::from(n[0])].push(e);
            }
        }
        let cap = (long.len() * 5 / 2).next_power_of_two().max(16);
        let mut t = Needles {
            needles,
            long_keys: vec![0; cap],
            long_bloom: vec![0; BLOOM_WORDS],
            long_groups: vec![(0, 0); cap],
            long_shift: 32 - cap.trailing_zeros(),
            short_groups: Vec::with_capacity(256),
            short_second: Vec::with_capacity(256),
            entries: Vec::new(),
        };
        for (key, group) in long {
            let mut slot = t.slot(key);
            while t.long_keys[slot] != 0 {
                slot = (slot + 1) & (cap - 1);
            }
            t.long_keys[slot] = key;
            let (word, bits) = bloom(key);
            t.long_bloom[word] |= bits;
            t.long_groups[slot] = (t.entries.len() as u32, group.len() as u32);
            t.entries.extend(group);
        }
        for group in short {
            let second = group.iter().fold(0u64, |acc, e| match e.len {
                1 => u64::MAX,
                _ => acc | 1 << ((e.prefix >> 8) & 63),
            });
            t.short_second.push(second);
            t.short_groups
                .push((t.entries.len() as u32, group.len() as u32));
            t.entries.extend(group);
        }
        t
    }

    #[inline(always)]
    fn slot(&self, key: u32) -> usize {
        (key.wrapping_mul(0x9E37_79B1) >> self.long_shift) as usize
    }

    /// Needle `id`'s bytes.
    pub fn needle(&self, id: usize) -> &[u8] {
        &self.needles[id]
    }

    /// Calls `found(start, id)` for every occurrence of every needle in `text` (UTF-8), by start position
    /// (needles sharing a start in no particular order).
    #[inline]
    pub fn find(&self, text: &[u8], mut found: impl FnMut(usize, usize)) {
        let n = text.len();
        let mask = self.long_keys.len() - 1;
        let mut check = |i: usize, w: u64, (start, len): (u32, u32)| {
            for e in &self.entries[start as usize..(start + len) as usize] {
                if w & e.mask == e.prefix
                    && (e.len <= 8 || text[i..].starts_with(&self.needles[e.id as usize]))
                {
                    found(i, e.id as usize);
                }
            }
        };
        for i in 0..n {
            let b0 = text[i];
            // A UTF-8 continuation byte: no needle starts inside a character.
            if b0 & 0xC0 == 0x80 {
                continue;
            }
            // The next eight bytes, zero past the end: no needle has a zero byte, so bytes read past the
            // end match none.
            let w = if i + 8 <= n {
                u64::from_le_bytes(text[i..i + 8].try_into().expect("eight bytes"))
            } else {
                let mut b = [0u8; 8];
                b[..n - i].copy_from_slice(&text[i..]);
                u64::from_le_bytes(b)
            };
            let key = w as u32;
            let (word, bits) = bloom(key);
            if self.long_bloom[word] & bits == bits {
                let mut slot = self.slot(key);
                loop {
                    let k = self.long_keys[slot];
                    if k == key {
                        check(i, w, self.long_groups[slot]);
                        break;
                    }
                    if k == 0 {
                        break;
                    }
                    slot = (slot + 1) & mask;
                }
            }
            if self.short_second[usize::from(b0)] & (1 << ((w >> 8) & 63)) != 0 {
                check(i, w, self.short_groups[usize::from(b0)]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every (start, id) by comparing each needle at each position.
    fn naive(needles: &[Vec<u8>], text: &[u8]) -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        for i in 0..text.len() {
            for (id, n) in needles.iter().enumerate() {
                if !n.is_empty() && text[i..].starts_with(n) {
                    v.push((i, id));
                }
            }
        }
        v
    }

    fn fast(t: &Needles, text: &[u8]) -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        t.find(text, |i, id| v.push((i, id)));
        v.sort();
        v
    }

    #[test]
    fn finds_what_comparing_everywhere_finds() {
        let words = [
            "?",
            "-",
            "no",
            "not",
            "now",
            "uk",
            "us",
            "usa",
            "n't",
            "180",
            "виз",
            "визов",
            "визасыз",
            "без",
            "без виз",
            "безвиз",
            "visa",
            "visa regime",
            "режим",
            "қазақ",
            "қ",
            "ви",
            "в",
            "ы",
            "notnot",
            "aaaa",
            "aaaaa",
            "aa",
        ];
        let needles: Vec<Vec<u8>> = words.iter().map(|w| w.as_bytes().to_vec()).collect();
        let t = Needles::new(needles.clone());
        // Texts built from the needles, fragments of them and separators: overlaps, shared prefixes,
        // needles cut at the end of the text, runs of one letter.
        let pieces = [
            "",
            " ",
            "?",
            "no",
            "not",
            "n't",
            "usa",
            "визов",
            "безвизовый",
            "без ",
            "ви",
            "в",
            "ы",
            "visa",
            "regime",
            "қазақ",
            "aaaaaa",
            "a",
            "é",
            "🙂",
            "1",
            "80",
        ];
        let mut n = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b}{c}");
                    assert_eq!(
                        fast(&t, text.as_bytes()),
                        naive(&needles, text.as_bytes()),
                        "{text:?}"
                    );
                    n += 1;
                }
            }
        }
        assert_eq!(n, pieces.len().pow(3));
    }

    #[test]
    fn keys_that_share_bitmap_bits_are_told_apart() {
        // Many four-byte keys into a 16-bit bitmap and a small exact table: every needle is still found
        // exactly where it is, and nothing else is.
        let needles: Vec<Vec<u8>> = (0..3000u32)
            .map(|i| format!("k{i:05}").into_bytes())
            .collect();
        let t = Needles::new(needles.clone());
        for i in (0..3000u32).step_by(7) {
            let text = format!("xx k{i:05} k{:05}0", i + 1);
            assert_eq!(
                fast(&t, text.as_bytes()),
                naive(&needles, text.as_bytes()),
                "{text}"
            );
        }
    }
}
