//! Clipped n-gram counts of one segment for BLEU: `Σ_g min(count_hyp(g), max_ref count(g))` per
//! order, with the closest reference length.
//!
//! Three interchangeable counters, chosen by size: dense n-gram ids built from (prefix id, token)
//! tables (the usual case, no hashing or sorting), sorted 16-bit-packed keys (large segments),
//! and hash maps of 32-bit-packed keys (more than 65,535 distinct tokens).

use rustc_hash::FxHashMap;

use super::intern::{Interner, LocalIds};

/// Per-segment n-gram counting; token ids are interned per worker and made dense per segment.
#[derive(Default)]
pub(crate) struct Counter {
    ref_max: FxHashMap<u128, u32>,
    one_ref: FxHashMap<u128, u32>,
    hyp: FxHashMap<u128, u32>,
    interner: Interner,
    local: LocalIds,
    hyp_keys: Vec<u64>,
    ref_keys: Vec<u64>,
    /// Distinct hypothesis n-grams of one order: (key, count, max count over the references).
    runs: Vec<(u64, u32, u32)>,
    /// (prefix id × vocabulary) → n-gram id, valid where `stamp` equals `generation`.
    table_ids: Vec<u32>,
    stamp: Vec<u32>,
    generation: u32,
    counts_h: Vec<u32>,
    counts_r: Vec<u32>,
    counts_max: Vec<u32>,
}

/// Largest (prefixes × vocabulary) table the dense counter uses; bigger pairs sort instead.
const DENSE_TABLE_LIMIT: usize = 1 << 22;

/// Pack the n-grams of one order into sorted `u64` keys (16 bits per token id).
fn sorted_keys(ids: &[u32], n: usize, keys: &mut Vec<u64>) {
    keys.clear();
    keys.extend(ids.windows(n).map(|w| w.iter().fold(0u64, |k, &t| (k << 16) | u64::from(t))));
    keys.sort_unstable();
}

/// One step of [`Counter::clipped_dense`] with a hash map from (prefix id, token) to the n-gram
/// id: returns the number of distinct n-grams of order `n`.
fn extend_hashed(
    cur_h: &mut Vec<u32>,
    hyp: &[u32],
    cur_r: &mut [Vec<u32>],
    refs: &[Vec<u32>],
    n: usize,
) -> usize {
    let mut ids: FxHashMap<u64, u32> = FxHashMap::default();
    let mut extend = |cur: &mut Vec<u32>, tokens: &[u32]| {
        let len = tokens.len().saturating_sub(n - 1);
        for i in 0..len {
            let key = (u64::from(cur[i]) << 32) | u64::from(tokens[i + n - 1]);
            let next = ids.len() as u32;
            cur[i] = *ids.entry(key).or_insert(next);
        }
        cur.truncate(len);
    };
    extend(cur_h, hyp);
    for (cur, r) in cur_r.iter_mut().zip(refs) {
        extend(cur, r);
    }
    ids.len()
}

/// Count every n-gram (orders `1..=max_order`) of `ids` into `map`.
fn count_ngrams(ids: &[u32], max_order: usize, map: &mut FxHashMap<u128, u32>) {
    for start in 0..ids.len() {
        let mut key: u128 = 0;
        for (n, &id) in ids[start..].iter().take(max_order).enumerate() {
            // +1 so that an absent token (0) marks the order of the key.
            key |= u128::from(id + 1) << (32 * n);
            *map.entry(key).or_insert(0) += 1;
        }
    }
}

/// The order of a packed n-gram key (its number of non-zero 32-bit lanes).
#[inline]
fn key_order(key: u128) -> usize {
    (128 - key.leading_zeros() as usize).div_ceil(32)
}

/// The closest reference length; on a tie the shorter reference wins (both libraries).
pub fn closest_ref_len(hyp_len: usize, ref_lens: &[usize]) -> usize {
    ref_lens.iter().copied().min_by_key(|&r| (r.abs_diff(hyp_len), r)).unwrap_or(0)
}

impl Counter {
    /// Fill `out` (`stats_len(max_order)` slots) with the statistics of one segment.
    pub(crate) fn stats(&mut self, hyp: &[&str], refs: &[Vec<&str>], max_order: usize, out: &mut [i64]) {
        self.local.begin();
        let mut intern_local = |tokens: &[&str]| -> Vec<u32> {
            tokens.iter().map(|t| self.local.local(self.interner.id(t))).collect()
        };
        let hyp_ids = intern_local(hyp);
        let ref_ids: Vec<Vec<u32>> = refs.iter().map(|r| intern_local(r)).collect();
        out.fill(0);
        out[0] = hyp.len() as i64;
        let ref_lens: Vec<usize> = refs.iter().map(Vec::len).collect();
        out[1] = closest_ref_len(hyp.len(), &ref_lens) as i64;
        for n in 1..=max_order {
            out[2 + max_order + n - 1] = hyp.len().saturating_sub(n - 1) as i64;
        }
        if self.clipped_dense(&hyp_ids, &ref_ids, max_order, out) {
            return;
        }
        out[2..2 + max_order].fill(0);
        if self.local.len() < (1 << 16) {
            for n in 1..=max_order {
                out[2 + n - 1] = self.clipped_sorted(&hyp_ids, &ref_ids, n);
            }
            return;
        }
        // Very large vocabularies: n-grams packed 32 bits per token in hash maps.
        self.ref_max.clear();
        for (k, r_ids) in ref_ids.iter().enumerate() {
            if k == 0 {
                count_ngrams(r_ids, max_order, &mut self.ref_max);
            } else {
                self.one_ref.clear();
                count_ngrams(r_ids, max_order, &mut self.one_ref);
                for (&g, &c) in &self.one_ref {
                    let e = self.ref_max.entry(g).or_insert(0);
                    *e = (*e).max(c);
                }
            }
        }
        self.hyp.clear();
        count_ngrams(&hyp_ids, max_order, &mut self.hyp);
        for (&g, &c) in &self.hyp {
            if let Some(&r) = self.ref_max.get(&g) {
                out[2 + key_order(g) - 1] += i64::from(c.min(r));
            }
        }
    }

    /// Clipped counts of every order with dense n-gram ids: the id of an n-gram comes from the id
    /// of its (n−1)-gram prefix and its last token through a (prefixes × vocabulary) table, so
    /// counting needs neither hashing nor sorting. Returns false (nothing written) when that table
    /// would be too large.
    fn clipped_dense(&mut self, hyp: &[u32], refs: &[Vec<u32>], max_order: usize, out: &mut [i64]) -> bool {
        let vocab = self.local.len();
        let mut cur_h = hyp.to_vec();
        let mut cur_r: Vec<Vec<u32>> = refs.to_vec();
        let mut distinct = vocab;
        for n in 1..=max_order {
            if n > 1 {
                let size = distinct * vocab;
                if size > DENSE_TABLE_LIMIT {
                    if max_order <= 4 {
                        return false;
                    }
                    // Orders above 4 do not fit the packed keys of the other counters: keep
                    // prefix ids, with a hash map where the table would be too large.
                    distinct = extend_hashed(&mut cur_h, hyp, &mut cur_r, refs, n);
                    out[2 + n - 1] = self.clip(&cur_h, &cur_r, distinct);
                    continue;
                }
                if self.table_ids.len() < size {
                    self.table_ids.resize(size, 0);
                    self.stamp.resize(size, 0);
                }
                self.generation = self.generation.wrapping_add(1);
                if self.generation == 0 {
                    self.stamp.fill(0);
                    self.generation = 1;
                }
                let mut next = 0u32;
                let (table, stamp, generation) = (&mut self.table_ids, &mut self.stamp, self.generation);
                let mut extend = |cur: &mut Vec<u32>, tokens: &[u32]| {
                    let len = tokens.len().saturating_sub(n - 1);
                    for i in 0..len {
                        let k = cur[i] as usize * vocab + tokens[i + n - 1] as usize;
                        if stamp[k] != generation {
                            stamp[k] = generation;
                            table[k] = next;
                            next += 1;
                        }
                        cur[i] = table[k];
                    }
                    cur.truncate(len);
                };
                extend(&mut cur_h, hyp);
                for (cur, r) in cur_r.iter_mut().zip(refs) {
                    extend(cur, r);
                }
                distinct = next as usize;
            }
            out[2 + n - 1] = self.clip(&cur_h, &cur_r, distinct);
        }
        true
    }

    /// The sum over n-grams of min(hyp count, max reference count), over dense n-gram ids `0..distinct`.
    fn clip(&mut self, cur_h: &[u32], cur_r: &[Vec<u32>], distinct: usize) -> i64 {
        self.counts_h.clear();
        self.counts_h.resize(distinct, 0);
        for &g in cur_h {
            self.counts_h[g as usize] += 1;
        }
        self.counts_max.clear();
        self.counts_max.resize(distinct, 0);
        for cur in cur_r {
            self.counts_r.clear();
            self.counts_r.resize(distinct, 0);
            for &g in cur {
                self.counts_r[g as usize] += 1;
            }
            for (m, &c) in self.counts_max.iter_mut().zip(&self.counts_r) {
                *m = (*m).max(c);
            }
        }
        self.counts_h.iter().zip(&self.counts_max).map(|(&h, &r)| i64::from(h.min(r))).sum()
    }

    /// Σ over distinct hypothesis n-grams of min(count, max count in a reference), by sorting.
    fn clipped_sorted(&mut self, hyp: &[u32], refs: &[Vec<u32>], n: usize) -> i64 {
        sorted_keys(hyp, n, &mut self.hyp_keys);
        self.runs.clear();
        for &k in &self.hyp_keys {
            match self.runs.last_mut() {
                Some(run) if run.0 == k => run.1 += 1,
                _ => self.runs.push((k, 1, 0)),
            }
        }
        for r in refs {
            sorted_keys(r, n, &mut self.ref_keys);
            let mut j = 0;
            for run in &mut self.runs {
                while j < self.ref_keys.len() && self.ref_keys[j] < run.0 {
                    j += 1;
                }
                let start = j;
                while j < self.ref_keys.len() && self.ref_keys[j] == run.0 {
                    j += 1;
                }
                run.2 = run.2.max((j - start) as u32);
            }
        }
        self.runs.iter().map(|&(_, c, r)| i64::from(c.min(r))).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_sorted_and_hashed_counts_agree() {
        let mut next = crate::metrics::test_draws(7);
        let mut c = Counter::default();
        for round in 0..300u64 {
            let vocab = 1 + round % 9;
            let hyp: Vec<u32> = (0..next(40)).map(|_| next(vocab)).collect();
            let refs: Vec<Vec<u32>> =
                (0..=next(3)).map(|_| (0..next(40)).map(|_| next(vocab)).collect()).collect();
            c.local.begin();
            for &t in hyp.iter().chain(refs.iter().flatten()) {
                c.local.local(t);
            }
            // Local ids must be dense: remap through `local`.
            let hyp: Vec<u32> = hyp.iter().map(|&t| c.local.local(t)).collect();
            let refs: Vec<Vec<u32>> =
                refs.iter().map(|r| r.iter().map(|&t| c.local.local(t)).collect()).collect();
            let mut dense = [0i64; 10];
            assert!(c.clipped_dense(&hyp, &refs, 4, &mut dense));
            let sorted: Vec<i64> = (1..=4).map(|n| c.clipped_sorted(&hyp, &refs, n)).collect();
            assert_eq!(dense[2..6], sorted[..], "round {round}");
            let mut hashed = FxHashMap::default();
            let mut ref_max: FxHashMap<u128, u32> = FxHashMap::default();
            for r in &refs {
                let mut one = FxHashMap::default();
                count_ngrams(r, 4, &mut one);
                for (g, k) in one {
                    let e = ref_max.entry(g).or_insert(0);
                    *e = (*e).max(k);
                }
            }
            count_ngrams(&hyp, 4, &mut hashed);
            let mut by_hash = [0i64; 4];
            for (g, k) in hashed {
                by_hash[key_order(g) - 1] += i64::from(k.min(ref_max.get(&g).copied().unwrap_or(0)));
            }
            assert_eq!(by_hash[..], sorted[..], "round {round}");
        }
    }
}
