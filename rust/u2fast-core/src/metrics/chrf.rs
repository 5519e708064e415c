//! chrF and chrF++ as sacreBLEU 2.6.0 `CHRF` computes them (Popović 2015, 2017).
//!
//! Per segment and per order (character orders 1..=`char_order`, then word orders
//! 1..=`word_order`) the statistics are `[hyp n-grams, ref n-grams, matches]`, matches clipped by
//! the reference count. With several references the one with the best segment F-score is kept
//! (the first on ties). Character n-grams are over code points, whitespace removed unless asked;
//! words are `split()` tokens with one punctuation mark peeled off the end (else the start).

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::text::{is_py_space, py_split};

/// chrF options.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChrfOptions {
    pub char_order: usize,
    pub word_order: usize,
    pub beta: f64,
    pub whitespace: bool,
    pub eps_smoothing: bool,
}

impl ChrfOptions {
    /// Statistics per segment: 3 per order.
    pub fn width(&self) -> usize {
        3 * (self.char_order + self.word_order)
    }
}

/// One text's n-gram counts per order, over ids (characters, or interned words).
type Counts = Vec<FxHashMap<Vec<u32>, u32>>;

fn count_orders(ids: &[u32], orders: usize, out: &mut Counts) {
    for n in 1..=orders {
        let mut m: FxHashMap<Vec<u32>, u32> = FxHashMap::default();
        for w in ids.windows(n) {
            *m.entry(w.to_vec()).or_insert(0) += 1;
        }
        out.push(m);
    }
}

const PUNCTS: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

/// sacreBLEU's `_remove_punctuation`: `split()` words, one ASCII punctuation mark split off the
/// end of a longer word, or else off its start.
fn words(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for w in py_split(s) {
        let mut chars = w.char_indices();
        let first = chars.next();
        let last = w.chars().next_back();
        match (first, last) {
            (Some((_, f)), Some(l)) if w.chars().nth(1).is_some() => {
                if PUNCTS.contains(l) {
                    let cut = w.len() - l.len_utf8();
                    out.extend([&w[..cut], &w[cut..]]);
                } else if PUNCTS.contains(f) {
                    let cut = f.len_utf8();
                    out.extend([&w[..cut], &w[cut..]]);
                } else {
                    out.push(w);
                }
            }
            _ => out.push(w),
        }
    }
    out
}

fn text_counts(s: &str, o: &ChrfOptions, vocab: &mut FxHashMap<String, u32>) -> Counts {
    let chars: Vec<u32> = s.chars().filter(|&c| o.whitespace || !is_py_space(c)).map(u32::from).collect();
    let mut counts = Vec::with_capacity(o.char_order + o.word_order);
    count_orders(&chars, o.char_order, &mut counts);
    if o.word_order > 0 {
        let ids: Vec<u32> = words(s)
            .into_iter()
            .map(|w| {
                let next = vocab.len() as u32;
                *vocab.entry(w.to_owned()).or_insert(next)
            })
            .collect();
        count_orders(&ids, o.word_order, &mut counts);
    }
    counts
}

/// sacreBLEU `CHRF._compute_f_score` of (summed or one segment's) statistics, 0-100.
pub fn chrf_score(stats: &[i64], o: &ChrfOptions) -> f64 {
    const EPS: f64 = 1e-16;
    let orders = stats.len() / 3;
    let factor = o.beta * o.beta;
    let (mut score, mut avg_prec, mut avg_rec, mut effective) = (0.0, 0.0, 0.0, 0usize);
    for s in stats.chunks_exact(3) {
        let (n_hyp, n_ref, n_match) = (s[0] as f64, s[1] as f64, s[2] as f64);
        let prec = if n_hyp > 0.0 { n_match / n_hyp } else { EPS };
        let rec = if n_ref > 0.0 { n_match / n_ref } else { EPS };
        let denom = factor * prec + rec;
        score += if denom > 0.0 { (1.0 + factor) * prec * rec / denom } else { EPS };
        if n_hyp > 0.0 && n_ref > 0.0 {
            avg_prec += prec;
            avg_rec += rec;
            effective += 1;
        }
    }
    if o.eps_smoothing {
        return 100.0 * score / orders as f64;
    }
    if effective == 0 {
        avg_prec = 0.0;
        avg_rec = 0.0;
    } else {
        avg_prec /= effective as f64;
        avg_rec /= effective as f64;
    }
    if avg_prec + avg_rec == 0.0 {
        0.0
    } else {
        100.0 * (1.0 + factor) * avg_prec * avg_rec / (factor * avg_prec + avg_rec)
    }
}

/// Statistics of every segment, row-major `(n, o.width())`; `refs[i]` are the references of `hyps[i]`.
pub fn chrf_stats<S: AsRef<str> + Sync>(hyps: &[S], refs: &[Vec<S>], o: &ChrfOptions) -> Vec<i64> {
    assert_eq!(hyps.len(), refs.len(), "one reference list per hypothesis");
    let width = o.width();
    let mut out = vec![0i64; hyps.len() * width];
    out.par_chunks_mut(width).zip(hyps.par_iter().zip(refs.par_iter())).for_each(|(row, (h, rs))| {
        let mut vocab = FxHashMap::default();
        let hc = text_counts(h.as_ref(), o, &mut vocab);
        let mut best_f = -1.0;
        let mut stats = vec![0i64; width];
        for r in rs {
            let rc = text_counts(r.as_ref(), o, &mut vocab);
            for (k, (hm, rm)) in hc.iter().zip(&rc).enumerate() {
                let hyp_count: u32 = hm.values().sum();
                let matches: u32 = hm.iter().map(|(g, &c)| rm.get(g).map_or(0, |&r| c.min(r))).sum();
                stats[3 * k] = if rm.is_empty() { 0 } else { i64::from(hyp_count) };
                stats[3 * k + 1] = i64::from(rm.values().sum::<u32>());
                stats[3 * k + 2] = i64::from(matches);
            }
            let f = chrf_score(&stats, o);
            if f > best_f {
                best_f = f;
                row.copy_from_slice(&stats);
            }
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_peel_one_punctuation_mark() {
        assert_eq!(words("Hello, (world) a . ..."), ["Hello", ",", "(world", ")", "a", ".", "..", "."]);
    }

    #[test]
    fn identical_segments_score_100() {
        let o =
            ChrfOptions { char_order: 6, word_order: 2, beta: 2.0, whitespace: false, eps_smoothing: false };
        let s = chrf_stats(&["the liver, normal."], &[vec!["the liver, normal."]], &o);
        assert!((chrf_score(&s, &o) - 100.0).abs() < 1e-12);
    }
}
