//! BLEU sufficient statistics and scores, as sacreBLEU (METRICS.md 1) and pycocoevalcap
//! `Bleu(4)` (SPEC.md 4.4) compute them.
//!
//! Per segment the statistics are `[hyp_len, ref_len, correct_1..N, total_1..N]` (N = max order,
//! at most 4). Both libraries clip hypothesis n-gram counts by the maximum count over the
//! references and pick the closest reference length (ties go to the shorter one); they differ in
//! tokenization and in the final formula.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::intern::{Interner, LocalIds};
use crate::text;

/// Highest n-gram order supported (n-grams are packed into one `u128` key, 32 bits per token id).
pub const MAX_ORDER: usize = 4;

/// How segments are turned into tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tokenization {
    /// Python `str.split()` (pycocoevalcap).
    Whitespace,
    /// sacreBLEU preprocessing: optional `str.lower()`, `rstrip()`, then `13a`.
    Sacrebleu13a { lowercase: bool },
    /// sacreBLEU preprocessing with `tokenize='none'`: optional `str.lower()`, `rstrip()`, `split()`.
    SacrebleuNone { lowercase: bool },
}

/// Number of statistics per segment for a given max order.
pub const fn stats_len(max_order: usize) -> usize {
    2 + 2 * max_order
}

/// Per-segment n-gram counting with token ids interned per segment.
#[derive(Default)]
struct Counter {
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
    fn stats(&mut self, hyp: &[&str], refs: &[Vec<&str>], max_order: usize, out: &mut [i64]) {
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
                    return false;
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
            self.counts_h.clear();
            self.counts_h.resize(distinct, 0);
            for &g in &cur_h {
                self.counts_h[g as usize] += 1;
            }
            self.counts_max.clear();
            self.counts_max.resize(distinct, 0);
            for cur in &cur_r {
                self.counts_r.clear();
                self.counts_r.resize(distinct, 0);
                for &g in cur {
                    self.counts_r[g as usize] += 1;
                }
                for (m, &c) in self.counts_max.iter_mut().zip(&self.counts_r) {
                    *m = (*m).max(c);
                }
            }
            out[2 + n - 1] =
                self.counts_h.iter().zip(&self.counts_max).map(|(&h, &r)| i64::from(h.min(r))).sum();
        }
        true
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

fn tokenize<'a>(s: &'a str, how: Tokenization, buf: &'a mut String) -> Vec<&'a str> {
    match how {
        Tokenization::Whitespace => text::py_split(s).collect(),
        Tokenization::Sacrebleu13a { lowercase } => {
            // The tokenizer's output has single spaces between tokens and no other whitespace.
            *buf = text::sacrebleu_tokens(s, lowercase);
            buf.split(' ').filter(|t| !t.is_empty()).collect()
        }
        Tokenization::SacrebleuNone { lowercase } => {
            if lowercase {
                *buf = text::py_lower(s);
                text::py_split(buf).collect()
            } else {
                text::py_split(s).collect()
            }
        }
    }
}

/// Statistics of one segment: `out` has `stats_len(max_order)` slots.
pub fn segment_stats<S: AsRef<str>>(
    hyp: &str,
    refs: &[S],
    how: Tokenization,
    max_order: usize,
    out: &mut [i64],
) {
    let mut hbuf = String::new();
    let h = tokenize(hyp, how, &mut hbuf);
    let mut rbufs: Vec<String> = vec![String::new(); refs.len()];
    let mut rtoks = Vec::with_capacity(refs.len());
    for (r, b) in refs.iter().zip(rbufs.iter_mut()) {
        rtoks.push(tokenize(r.as_ref(), how, b));
    }
    Counter::default().stats(&h, &rtoks, max_order, out);
}

/// Statistics of many segments, row-major `(n, stats_len(max_order))`, computed in parallel.
///
/// `refs[i]` holds the references of `hyps[i]`.
pub fn corpus_stats<S: AsRef<str> + Sync>(
    hyps: &[S],
    refs: &[Vec<S>],
    how: Tokenization,
    max_order: usize,
) -> Vec<i64> {
    assert!((1..=MAX_ORDER).contains(&max_order), "max_order must be 1..=4");
    assert_eq!(hyps.len(), refs.len(), "one reference list per hypothesis");
    let width = stats_len(max_order);
    let mut out = vec![0i64; hyps.len() * width];
    out.par_chunks_mut(width * 256).enumerate().for_each_init(Counter::default, |counter, (chunk, rows)| {
        let mut hbuf = String::new();
        let mut rbufs: Vec<String> = Vec::new();
        for (j, row) in rows.chunks_mut(width).enumerate() {
            let i = chunk * 256 + j;
            let h = tokenize(hyps[i].as_ref(), how, &mut hbuf);
            rbufs.resize(refs[i].len(), String::new());
            let mut rtoks = Vec::with_capacity(refs[i].len());
            for (r, b) in refs[i].iter().zip(rbufs.iter_mut()) {
                rtoks.push(tokenize(r.as_ref(), how, b));
            }
            counter.stats(&h, &rtoks, max_order, row);
        }
    });
    out
}

/// Column sums of row-major statistics.
pub fn sum_stats(stats: &[i64], width: usize) -> Vec<i64> {
    let mut total = vec![0i64; width];
    for row in stats.chunks_exact(width) {
        for (t, v) in total.iter_mut().zip(row) {
            *t += v;
        }
    }
    total
}

/// pycocoevalcap `BleuScorer.compute_score(option='closest')` from summed order-4 statistics:
/// BLEU-1..4 on a 0-1 scale, with its `tiny`/`small` guards (which make BP slightly below 1 even
/// when the lengths are equal).
pub fn coco_bleu(stats: &[i64]) -> [f64; 4] {
    const SMALL: f64 = 1e-9;
    const TINY: f64 = 1e-15;
    assert_eq!(stats.len(), stats_len(4), "coco BLEU needs order-4 statistics");
    let mut bleus = [0.0; 4];
    let mut bleu = 1.0f64;
    for k in 0..4 {
        bleu *= (stats[2 + k] as f64 + TINY) / (stats[6 + k] as f64 + SMALL);
        bleus[k] = bleu.powf(1.0 / (k as f64 + 1.0));
    }
    let ratio = (stats[0] as f64 + TINY) / (stats[1] as f64 + SMALL);
    if ratio < 1.0 {
        let bp = (1.0 - 1.0 / ratio).exp();
        for b in &mut bleus {
            *b *= bp;
        }
    }
    bleus
}

/// sacreBLEU smoothing methods.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Smooth {
    None,
    /// `floor` with its value (sacreBLEU default 0.1).
    Floor(f64),
    /// `add-k` with its value (sacreBLEU default 1).
    AddK(f64),
    Exp,
}

/// What `BLEU.compute_bleu` returns.
#[derive(Debug, Clone, PartialEq)]
pub struct SacreBleu {
    pub score: f64,
    /// Counts after smoothing (add-k changes them in place, as sacreBLEU does).
    pub counts: Vec<f64>,
    pub totals: Vec<f64>,
    /// Percentages.
    pub precisions: Vec<f64>,
    pub bp: f64,
    pub sys_len: i64,
    pub ref_len: i64,
}

fn my_log(x: f64) -> f64 {
    if x == 0.0 {
        -9_999_999_999.0
    } else {
        x.ln()
    }
}

/// sacreBLEU `BLEU.compute_bleu` from (summed or single-segment) statistics of any order.
pub fn sacrebleu_score(stats: &[i64], smooth: Smooth, effective_order: bool) -> SacreBleu {
    let max_order = (stats.len() - 2) / 2;
    let (sys_len, ref_len) = (stats[0], stats[1]);
    let mut counts: Vec<f64> = stats[2..2 + max_order].iter().map(|&c| c as f64).collect();
    let mut totals: Vec<f64> = stats[2 + max_order..].iter().map(|&c| c as f64).collect();
    let mut precisions = vec![0.0; max_order];
    let bp = if sys_len < ref_len {
        if sys_len > 0 {
            (1.0 - ref_len as f64 / sys_len as f64).exp()
        } else {
            0.0
        }
    } else {
        1.0
    };
    if counts.iter().all(|&c| c == 0.0) {
        return SacreBleu { score: 0.0, counts, totals, precisions, bp, sys_len, ref_len };
    }
    let mut smooth_mteval = 1.0f64;
    let mut eff_order = max_order;
    for n in 0..max_order {
        if let Smooth::AddK(k) = smooth {
            if n > 0 {
                counts[n] += k;
                totals[n] += k;
            }
        }
        if totals[n] == 0.0 {
            break;
        }
        if effective_order {
            eff_order = n + 1;
        }
        if counts[n] == 0.0 {
            match smooth {
                Smooth::Exp => {
                    smooth_mteval *= 2.0;
                    precisions[n] = 100.0 / (smooth_mteval * totals[n]);
                }
                Smooth::Floor(v) => precisions[n] = 100.0 * v / totals[n],
                Smooth::None | Smooth::AddK(_) => {}
            }
        } else {
            precisions[n] = 100.0 * counts[n] / totals[n];
        }
    }
    let log_sum: f64 = precisions[..eff_order].iter().map(|&p| my_log(p)).fold(0.0, |a, b| a + b);
    let score = bp * (log_sum / eff_order as f64).exp();
    SacreBleu { score, counts, totals, precisions, bp, sys_len, ref_len }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(h: &str, r: &[&str], how: Tokenization) -> Vec<i64> {
        let mut out = vec![0; 10];
        segment_stats(h, r, how, 4, &mut out);
        out
    }

    #[test]
    fn clipped_counts_and_closest_length() {
        let s = stats("the the the cat", &["the cat", "the the dog x y"], Tokenization::Whitespace);
        // unigrams: the x3 clipped to 2, cat 1 -> 3; bigrams: "the the" (ref max 1) + "the cat" (1) -> 2.
        assert_eq!(s, vec![4, 5, 3, 2, 0, 0, 4, 3, 2, 1]);
        // tie between lengths 3 and 5 for a 4-token hypothesis goes to the shorter.
        assert_eq!(closest_ref_len(4, &[5, 3]), 3);
    }

    #[test]
    fn sacrebleu_perfect_short_sentence_needs_effective_order() {
        let s = stats("a b", &["a b"], Tokenization::Sacrebleu13a { lowercase: false });
        assert!((sacrebleu_score(&s, Smooth::Exp, true).score - 100.0).abs() < 1e-12);
        assert!(sacrebleu_score(&s, Smooth::Exp, false).score.abs() < 1e-300);
    }

    #[test]
    fn coco_equal_lengths_still_get_a_tiny_brevity_penalty() {
        let s = stats("a b c d", &["a b c d"], Tokenization::Whitespace);
        let b = coco_bleu(&s);
        assert!(b[3] < 1.0 && b[3] > 1.0 - 1e-9);
    }

    #[test]
    fn dense_sorted_and_hashed_counts_agree() {
        let mut state = 7u64;
        let mut next = |k: u64| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) % k) as u32
        };
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

    #[test]
    fn huge_vocabularies_take_the_hash_path() {
        let words: Vec<String> = (0..70_000).map(|i| format!("w{i}")).collect();
        let forward = words.join(" ");
        let backward: Vec<&str> = words.iter().rev().map(String::as_str).collect();
        let backward = backward.join(" ");
        let same = stats(&forward, &[forward.as_str()], Tokenization::Whitespace);
        assert_eq!(same[2..6], same[6..10]);
        let rev = stats(&forward, &[backward.as_str()], Tokenization::Whitespace);
        assert_eq!(rev[2..6], [70_000, 0, 0, 0]);
    }

    #[test]
    fn add_k_early_exit_keeps_zero() {
        let s = stats("x y z", &["a b c"], Tokenization::Sacrebleu13a { lowercase: false });
        assert!(sacrebleu_score(&s, Smooth::AddK(1.0), false).score.abs() < 1e-300);
    }
}
