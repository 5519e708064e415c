//! CIDEr-D as pycocoevalcap 1.2 `Cider` computes it (docs/reference-metrics.md 4).
//!
//! Per order n = 1..N, a text is a tf-idf vector of its n-grams (Python `split()` tokens): weight
//! `tf · (ln(#segments) − ln(max(1, df)))`, `df` the number of segments whose references contain
//! the n-gram, so every score depends on the whole corpus. Against each reference the similarity
//! per order is `Σ min(h, r) · r / (‖h‖ ‖r‖)` (no division when a norm is 0), times
//! `e^(−δ²/2σ²)` with δ the difference in *bigram* counts (pycocoevalcap's "length"). The segment
//! score is the mean over orders, averaged over references, × 10.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::intern::Interner;
use super::text::py_split;

/// The n-gram ids of one text, per order (each order's ids in text order).
type Grams = Vec<Vec<u32>>;

/// Ids for n-grams of every order, shared by the whole corpus.
struct NgramIds {
    tokens: Interner,
    by_order: Vec<FxHashMap<u64, u32>>,
    next: u32,
}

impl NgramIds {
    fn grams(&mut self, text: &str) -> Grams {
        let toks: Vec<u32> = py_split(text).map(|t| self.tokens.id(t)).collect();
        let mut out: Grams = Vec::with_capacity(self.by_order.len());
        let mut prev: Vec<u32> = Vec::new();
        for k in 0..self.by_order.len() {
            let len = toks.len().saturating_sub(k);
            let mut cur = Vec::with_capacity(len);
            for i in 0..len {
                // Order 1 keys are token ids; order k keys pair the (k−1)-gram id with the last token.
                let key = if k == 0 {
                    u64::from(toks[i])
                } else {
                    (u64::from(prev[i]) << 32) | u64::from(toks[i + k])
                };
                let next = &mut self.next;
                let id = *self.by_order[k].entry(key).or_insert_with(|| {
                    *next += 1;
                    *next - 1
                });
                cur.push(id);
            }
            prev.clone_from(&cur);
            out.push(cur);
        }
        out
    }
}

/// One text as pycocoevalcap's `counts2vec` makes it: per order the (n-gram, weight) pairs in
/// order of first occurrence, the norms, and the number of bigrams.
struct Vector {
    weights: Vec<Vec<(u32, f64)>>,
    norms: Vec<f64>,
    bigrams: f64,
}

fn vector(grams: &Grams, idf: &dyn Fn(u32) -> f64) -> Vector {
    let mut weights = Vec::with_capacity(grams.len());
    let mut norms = Vec::with_capacity(grams.len());
    let mut bigrams = 0.0;
    for (k, ids) in grams.iter().enumerate() {
        let mut counts: Vec<(u32, u32)> = Vec::new();
        let mut slot: FxHashMap<u32, usize> = FxHashMap::default();
        for &g in ids {
            let s = *slot.entry(g).or_insert_with(|| {
                counts.push((g, 0));
                counts.len() - 1
            });
            counts[s].1 += 1;
        }
        if k == 1 {
            bigrams = counts.iter().map(|&(_, c)| f64::from(c)).sum();
        }
        let w: Vec<(u32, f64)> = counts.iter().map(|&(g, c)| (g, f64::from(c) * idf(g))).collect();
        norms.push(w.iter().fold(0.0, |acc, &(_, v)| acc + v * v).sqrt());
        weights.push(w);
    }
    Vector { weights, norms, bigrams }
}

/// Per-segment CIDEr-D (pycocoevalcap's `scores`; the corpus score is their mean).
///
/// `refs[i]` are the references of `hyps[i]`. Returns `None` when no reference has any token (the
/// reference implementation fails there: document frequencies are empty).
pub fn cider_d<S: AsRef<str> + Sync>(hyps: &[S], refs: &[Vec<S>], n: usize, sigma: f64) -> Option<Vec<f64>> {
    assert_eq!(hyps.len(), refs.len(), "one reference list per hypothesis");
    assert!(n >= 1, "n must be at least 1");
    let mut ids = NgramIds { tokens: Interner::default(), by_order: vec![FxHashMap::default(); n], next: 0 };
    let hyp_grams: Vec<Grams> = hyps.iter().map(|h| ids.grams(h.as_ref())).collect();
    let ref_grams: Vec<Vec<Grams>> =
        refs.iter().map(|rs| rs.iter().map(|r| ids.grams(r.as_ref())).collect()).collect();
    // Document frequency: segments whose references contain the n-gram.
    let mut df = vec![0u32; ids.next as usize];
    let mut seen = vec![usize::MAX; ids.next as usize];
    for (seg, rs) in ref_grams.iter().enumerate() {
        for g in rs.iter().flatten().flatten() {
            if seen[*g as usize] != seg {
                seen[*g as usize] = seg;
                df[*g as usize] += 1;
            }
        }
    }
    if df.iter().all(|&d| d == 0) {
        return None;
    }
    let log_segments = (hyps.len() as f64).ln();
    let idf = |g: u32| log_segments - f64::from(df[g as usize]).max(1.0).ln();
    let penalty_den = 2.0 * sigma * sigma;
    let scores = hyp_grams
        .par_iter()
        .zip(ref_grams.par_iter())
        .map(|(h, rs)| {
            let hv = vector(h, &idf);
            let mut total = vec![0.0f64; n];
            for r in rs {
                let rv = vector(r, &idf);
                let delta = hv.bigrams - rv.bigrams;
                let penalty = std::f64::consts::E.powf(-(delta * delta) / penalty_den);
                for (k, sum) in total.iter_mut().enumerate() {
                    let lookup: FxHashMap<u32, f64> = rv.weights[k].iter().copied().collect();
                    let mut val = 0.0;
                    for &(g, w) in &hv.weights[k] {
                        let rw = lookup.get(&g).copied().unwrap_or(0.0);
                        val += w.min(rw) * rw;
                    }
                    if hv.norms[k] != 0.0 && rv.norms[k] != 0.0 {
                        val /= hv.norms[k] * rv.norms[k];
                    }
                    *sum += val * penalty;
                }
            }
            let mean = total.iter().sum::<f64>() / n as f64;
            mean / rs.len() as f64 * 10.0
        })
        .collect();
    Some(scores)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_captions_in_a_corpus_score_ten_times_the_mean_cosine() {
        let hyps = ["a cat sits", "a dog runs", "the bird flies"];
        let refs: Vec<Vec<&str>> = hyps.iter().map(|h| vec![*h]).collect();
        let s = cider_d(&hyps, &refs, 4, 6.0).expect("references have words");
        // Orders 1-2 give cosine 1 and so do 3; order 4 has no n-gram (0), so 10 · 3/4.
        for v in s {
            assert!((v - 7.5).abs() < 1e-12, "{v}");
        }
    }

    #[test]
    fn references_without_words_are_undefined() {
        assert!(cider_d(&["a b"], &[vec![" "]], 4, 6.0).is_none());
    }
}
