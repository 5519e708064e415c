//! ROUGE as rouge-score's `RougeScorer` computes it (docs/reference-metrics.md 3), and pycocoevalcap's ROUGE-L
//! (β = 1.2, tokens from `split(" ")`).
//!
//! Each text is tokenized once: the tokens of rouge-score's per-line tokenization for ROUGE-Lsum
//! are exactly the whole-text tokens cut at the `\n` characters, because `\n` is a separator.
//! Tokens are interned per worker (surface form → id of the stemmed form), then remapped to dense
//! per-pair ids so that counting uses arrays and ROUGE-L uses bit-parallel LCS.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::intern::{Interner, LocalIds};
use super::lcs::{BitLcs, BitTrace};
use super::{porter, text};

/// One ROUGE variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RougeType {
    /// `rougeN` with N ≥ 1.
    N(usize),
    L,
    Lsum,
}

/// Precision, recall and F1 (rouge-score's `scoring.fmeasure`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub fmeasure: f64,
}

fn prf(precision: f64, recall: f64) -> Prf {
    let fmeasure =
        if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
    Prf { precision, recall, fmeasure }
}

/// A tokenized text: per-pair ids and the line (`\n`-separated sentence) of every token.
#[derive(Default)]
struct Text {
    ids: Vec<u32>,
    line: Vec<u32>,
}

/// Per-worker state: interner, per-pair remapping and scratch buffers.
#[derive(Default)]
struct Worker {
    /// Surface token → surface id → id of its (stemmed) form.
    surface: Interner,
    form_of: Vec<u32>,
    forms: FxHashMap<Box<str>, u32>,
    local: LocalIds,
    /// Distinct forms in the current pair (`local.len()`).
    vocab: usize,
    lowered: String,
    lcs: BitLcs,
    trace: BitTrace,
    counts_a: Vec<u32>,
    counts_b: Vec<u32>,
    keys_a: Vec<u128>,
    keys_b: Vec<u128>,
    pairs_a: Vec<u64>,
    pairs_b: Vec<u64>,
    hit: Vec<bool>,
}

impl Worker {
    fn begin_pair(&mut self) {
        self.local.begin();
        self.vocab = 0;
    }

    /// Dense per-pair id of a surface token (of its stem when asked).
    fn token_id(&mut self, token: &str, stem: bool) -> u32 {
        let sid = self.surface.id(token) as usize;
        if sid == self.form_of.len() {
            // A surface form seen for the first time: surface ids are handed out in order.
            let form = if stem && token.len() > 3 { porter::stem(token) } else { token.to_owned() };
            let next = self.forms.len() as u32;
            let g = *self.forms.entry(form.into_boxed_str()).or_insert(next);
            self.form_of.push(g);
        }
        let local = self.local.local(self.form_of[sid]);
        self.vocab = self.local.len();
        local
    }

    /// rouge-score's tokenizer (lowercase, runs of `[a-z0-9]`, optional stemming) with line numbers.
    fn tokenize(&mut self, s: &str, stem: bool, out: &mut Text) {
        out.ids.clear();
        out.line.clear();
        let mut lowered = std::mem::take(&mut self.lowered);
        lowered.clear();
        if s.is_ascii() {
            lowered.push_str(s);
            lowered.make_ascii_lowercase();
        } else {
            lowered.push_str(&text::py_lower(s));
        }
        let bytes = lowered.as_bytes();
        let (mut line, mut start) = (0u32, None);
        for (i, &b) in bytes.iter().enumerate() {
            let alnum = b.is_ascii_lowercase() || b.is_ascii_digit();
            match (alnum, start) {
                (true, None) => start = Some(i),
                (false, Some(st)) => {
                    let id = self.token_id(&lowered[st..i], stem);
                    out.ids.push(id);
                    out.line.push(line);
                    start = None;
                }
                _ => {}
            }
            if b == b'\n' {
                line += 1;
            }
        }
        if let Some(st) = start {
            let id = self.token_id(&lowered[st..], stem);
            out.ids.push(id);
            out.line.push(line);
        }
        self.lowered = lowered;
    }

    fn rouge_n(&mut self, hyp: &[u32], r: &[u32], n: usize) -> Prf {
        let total_h = (hyp.len() + 1).saturating_sub(n);
        let total_r = (r.len() + 1).saturating_sub(n);
        let overlap = if n == 1 {
            self.counts_a.clear();
            self.counts_a.resize(self.vocab, 0);
            self.counts_b.clear();
            self.counts_b.resize(self.vocab, 0);
            for &t in hyp {
                self.counts_a[t as usize] += 1;
            }
            for &t in r {
                self.counts_b[t as usize] += 1;
            }
            self.counts_a.iter().zip(&self.counts_b).map(|(&a, &b)| a.min(b) as usize).sum()
        } else if n == 2 {
            pack_pairs_sorted(hyp, &mut self.pairs_a);
            pack_pairs_sorted(r, &mut self.pairs_b);
            sorted_overlap(&self.pairs_a, &self.pairs_b)
        } else if n <= 4 {
            pack_sorted(hyp, n, &mut self.keys_a);
            pack_sorted(r, n, &mut self.keys_b);
            sorted_overlap(&self.keys_a, &self.keys_b)
        } else {
            let mut a: Vec<&[u32]> = hyp.windows(n).collect();
            let mut b: Vec<&[u32]> = r.windows(n).collect();
            a.sort_unstable();
            b.sort_unstable();
            sorted_overlap(&a, &b)
        };
        prf(overlap as f64 / total_h.max(1) as f64, overlap as f64 / total_r.max(1) as f64)
    }

    fn rouge_l(&mut self, hyp: &[u32], r: &[u32]) -> Prf {
        if hyp.is_empty() || r.is_empty() {
            return Prf::default();
        }
        let lcs = self.lcs.lcs_length(r, hyp, self.vocab) as f64;
        prf(lcs / hyp.len() as f64, lcs / r.len() as f64)
    }

    fn rouge_lsum(&mut self, hyp: &Text, r: &Text) -> Prf {
        let (m, n) = (r.ids.len(), hyp.ids.len());
        if m == 0 || n == 0 {
            return Prf::default();
        }
        // Token budgets over all reference and all hypothesis tokens.
        self.counts_a.clear();
        self.counts_a.resize(self.vocab, 0);
        self.counts_b.clear();
        self.counts_b.resize(self.vocab, 0);
        for &t in &hyp.ids {
            self.counts_a[t as usize] += 1;
        }
        for &t in &r.ids {
            self.counts_b[t as usize] += 1;
        }
        let hyp_lines = line_ranges(&hyp.line);
        let mut hits = 0usize;
        for (rs, re) in line_ranges(&r.line) {
            let sent = &r.ids[rs..re];
            self.hit.clear();
            self.hit.resize(sent.len(), false);
            self.trace.set_reference(sent, self.vocab);
            for &(cs, ce) in &hyp_lines {
                self.trace.mark(sent, &hyp.ids[cs..ce], &mut self.hit);
            }
            for (k, &t) in sent.iter().enumerate() {
                let t = t as usize;
                if self.hit[k] && self.counts_a[t] > 0 && self.counts_b[t] > 0 {
                    hits += 1;
                    self.counts_a[t] -= 1;
                    self.counts_b[t] -= 1;
                }
            }
        }
        prf(hits as f64 / n as f64, hits as f64 / m as f64)
    }
}

/// `[start, end)` token ranges of consecutive equal line numbers.
fn line_ranges(line: &[u32]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=line.len() {
        if i == line.len() || line[i] != line[start] {
            out.push((start, i));
            start = i;
        }
    }
    out
}

fn pack_pairs_sorted(ids: &[u32], keys: &mut Vec<u64>) {
    keys.clear();
    keys.extend(ids.windows(2).map(|w| (u64::from(w[0]) << 32) | u64::from(w[1])));
    keys.sort_unstable();
}

fn pack_sorted(ids: &[u32], n: usize, keys: &mut Vec<u128>) {
    keys.clear();
    keys.extend(ids.windows(n).map(|w| w.iter().fold(0u128, |k, &t| (k << 32) | u128::from(t))));
    keys.sort_unstable();
}

/// Σ over distinct keys of min(count in a, count in b), for sorted inputs.
fn sorted_overlap<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut overlap) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                overlap += 1;
                i += 1;
                j += 1;
            }
        }
    }
    overlap
}

/// Pairs per rayon job.
const PAIRS_PER_JOB: usize = 128;

/// Scores of many pairs: row-major `(n, types, 3)` as `[precision, recall, fmeasure]`.
/// With several references the one with the highest F per type wins (the first on ties), as
/// `RougeScorer.score_multi` does.
pub fn rouge_corpus<S: AsRef<str> + Sync>(
    hyps: &[S],
    refs: &[Vec<S>],
    types: &[RougeType],
    stem: bool,
) -> Vec<f64> {
    assert_eq!(hyps.len(), refs.len(), "one reference list per hypothesis");
    let width = types.len() * 3;
    let mut out = vec![0.0; hyps.len() * width];
    out.par_chunks_mut(PAIRS_PER_JOB * width).enumerate().for_each_init(Worker::default, |w, (job, rows)| {
        let (mut h, mut r) = (Text::default(), Text::default());
        for (k, row) in rows.chunks_mut(width).enumerate() {
            let i = job * PAIRS_PER_JOB + k;
            w.begin_pair();
            w.tokenize(hyps[i].as_ref(), stem, &mut h);
            let mut best = vec![Prf { fmeasure: f64::NEG_INFINITY, ..Prf::default() }; types.len()];
            for reference in &refs[i] {
                w.tokenize(reference.as_ref(), stem, &mut r);
                for (t, ty) in types.iter().enumerate() {
                    let s = match *ty {
                        RougeType::N(n) => w.rouge_n(&h.ids, &r.ids, n),
                        RougeType::L => w.rouge_l(&h.ids, &r.ids),
                        RougeType::Lsum => w.rouge_lsum(&h, &r),
                    };
                    if s.fmeasure > best[t].fmeasure {
                        best[t] = s;
                    }
                }
            }
            for (t, s) in best.iter().enumerate() {
                row[t * 3..t * 3 + 3].copy_from_slice(&[s.precision, s.recall, s.fmeasure]);
            }
        }
    });
    out
}

fn intern_single_space<'a>(s: &'a str, ids: &mut FxHashMap<&'a str, u32>) -> Vec<u32> {
    text::split_single_space(s)
        .map(|t| {
            let next = ids.len() as u32;
            *ids.entry(t).or_insert(next)
        })
        .collect()
}

/// pycocoevalcap `Rouge().calc_score`: tokens from `split(" ")` (empty tokens included), the
/// maximum precision and recall over the references, then F with β = 1.2. Returns
/// `(n, 3)` rows `[max precision, max recall, score]`.
pub fn coco_rouge_l<S: AsRef<str> + Sync>(hyps: &[S], refs: &[Vec<S>]) -> Vec<f64> {
    assert_eq!(hyps.len(), refs.len(), "one reference list per hypothesis");
    let beta = 1.2f64;
    let mut out = vec![0.0; hyps.len() * 3];
    out.par_chunks_mut(3 * 128).enumerate().for_each_init(BitLcs::default, |lcs, (job, rows)| {
        for (k, row) in rows.chunks_mut(3).enumerate() {
            let i = job * 128 + k;
            let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
            let c = intern_single_space(hyps[i].as_ref(), &mut ids);
            let rs: Vec<Vec<u32>> =
                refs[i].iter().map(|r| intern_single_space(r.as_ref(), &mut ids)).collect();
            let vocab = ids.len();
            let (mut p_max, mut r_max) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
            for r in &rs {
                let l = lcs.lcs_length(r, &c, vocab) as f64;
                p_max = p_max.max(l / c.len() as f64);
                r_max = r_max.max(l / r.len() as f64);
            }
            let b2 = beta.powi(2);
            let score = if p_max != 0.0 && r_max != 0.0 {
                ((1.0 + b2) * p_max * r_max) / (r_max + b2 * p_max)
            } else {
                0.0
            };
            row.copy_from_slice(&[p_max, r_max, score]);
        }
    });
    out
}

/// rouge-score's `DefaultTokenizer(use_stemmer).tokenize(text)`: lowercase, runs of `[a-z0-9]`,
/// tokens longer than 3 characters stemmed when asked.
pub fn tokens(text: &str, stem: bool) -> Vec<String> {
    let mut out = text::rouge_tokens(text);
    if stem {
        for t in out.iter_mut().filter(|t| t.len() > 3) {
            *t = porter::stem(t);
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // exact values are what these tests check
mod tests {
    use super::*;

    fn one(h: &str, r: &str, ty: RougeType) -> [f64; 3] {
        let v = rouge_corpus(&[h], &[vec![r]], &[ty], false);
        [v[0], v[1], v[2]]
    }

    #[test]
    fn lsum_can_be_lower_than_l() {
        assert_eq!(one("a b c\na b c", "a b c a b c", RougeType::L), [1.0, 1.0, 1.0]);
        assert_eq!(one("a b c\na b c", "a b c a b c", RougeType::Lsum), [0.5, 0.5, 0.5]);
    }

    #[test]
    fn empty_inputs_score_zero() {
        assert_eq!(one("", "a", RougeType::N(1)), [0.0, 0.0, 0.0]);
        assert_eq!(one("a", "", RougeType::L), [0.0, 0.0, 0.0]);
        assert_eq!(one("...", "!!!", RougeType::Lsum), [0.0, 0.0, 0.0]);
    }

    #[test]
    fn bigram_overlap_is_clipped() {
        // hyp bigrams: (a b) x2, (b a); ref: (a b) x1 → overlap 1.
        let s = one("a b a b", "a b", RougeType::N(2));
        assert!((s[0] - 1.0 / 3.0).abs() < 1e-15 && (s[1] - 1.0).abs() < 1e-15);
    }

    #[test]
    fn coco_empty_strings_are_tokens() {
        let v = coco_rouge_l(&[""], &[vec![""]]);
        assert_eq!(v, [1.0, 1.0, 1.0]);
    }
}
