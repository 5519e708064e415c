//! BLEU sufficient statistics and scores, as sacreBLEU (docs/reference-metrics.md 1) and pycocoevalcap
//! `Bleu(4)` (docs/u2bench.md 4.4) compute them.
//!
//! Per segment the statistics are `[hyp_len, ref_len, correct_1..N, total_1..N]` (N = max order,
//! any positive integer). Both libraries clip hypothesis n-gram counts by the maximum count over the
//! references and pick the closest reference length (ties go to the shorter one); they differ in
//! tokenization and in the final formula.

use rayon::prelude::*;

pub use super::ngram::closest_ref_len;
use super::ngram::Counter;
use super::{sacrebleu_tokenize, text};

/// sacreBLEU's BLEU tokenizers (`tokenize=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SacreTokenizer {
    None,
    Tok13a,
    Zh,
    Intl,
    Char,
}

impl SacreTokenizer {
    /// The tokenizer sacreBLEU names `name` (its signature's `tok:` value).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "none" => Self::None,
            "13a" => Self::Tok13a,
            "zh" => Self::Zh,
            "intl" => Self::Intl,
            "char" => Self::Char,
            _ => return None,
        })
    }
}

/// How segments are turned into tokens. Lowercasing, where asked, happens before (in Python, so
/// that it is the running interpreter's `str.lower()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tokenization {
    /// Python `str.split()` (pycocoevalcap).
    Whitespace,
    /// sacreBLEU preprocessing: `rstrip()`, the tokenizer, then `split()`.
    Sacrebleu(SacreTokenizer),
}

/// Number of statistics per segment for a given max order.
pub const fn stats_len(max_order: usize) -> usize {
    2 + 2 * max_order
}

fn tokenize<'a>(s: &'a str, how: Tokenization, buf: &'a mut String) -> Vec<&'a str> {
    let tok = match how {
        Tokenization::Whitespace => return text::py_split(s).collect(),
        Tokenization::Sacrebleu(tok) => tok,
    };
    let s = text::py_rstrip(s);
    *buf = match tok {
        SacreTokenizer::None => return text::py_split(s).collect(),
        SacreTokenizer::Tok13a => {
            let mut starts = Vec::new();
            text::tokenize_13a_into(s, buf, &mut starts);
            let ends = starts.iter().skip(1).map(|&k| k - 1).chain(std::iter::once(buf.len()));
            return starts.iter().zip(ends).map(|(&a, b)| &buf[a..b]).collect();
        }
        SacreTokenizer::Zh => sacrebleu_tokenize::tokenize_zh(s),
        SacreTokenizer::Intl => sacrebleu_tokenize::tokenize_intl(s),
        SacreTokenizer::Char => sacrebleu_tokenize::tokenize_char(s),
    };
    single_space_tokens(buf)
}

/// The tokens of a tokenizer's output: single spaces between tokens and no other whitespace.
fn single_space_tokens(s: &str) -> Vec<&str> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 4 + 1);
    let mut start = 0;
    for (i, &c) in bytes.iter().enumerate() {
        if c == b' ' {
            out.push(&s[start..i]);
            start = i + 1;
        }
    }
    if start < bytes.len() {
        out.push(&s[start..]);
    }
    out
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
    assert!(max_order >= 1, "max_order must be at least 1");
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
        let s = stats("a b", &["a b"], Tokenization::Sacrebleu(SacreTokenizer::Tok13a));
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
    fn orders_above_four_take_prefix_ids_even_for_huge_vocabularies() {
        let words: Vec<String> = (0..5_000).map(|i| format!("w{i}")).collect();
        let forward = words.join(" ");
        let mut out = vec![0; stats_len(7)];
        segment_stats(&forward, &[forward.as_str()], Tokenization::Whitespace, 7, &mut out);
        assert_eq!(out[2..9], out[9..16]);
        let shifted = words[1..].join(" ");
        segment_stats(&forward, &[shifted.as_str()], Tokenization::Whitespace, 7, &mut out);
        assert_eq!(out[2..9], [4_999, 4_998, 4_997, 4_996, 4_995, 4_994, 4_993]);
    }

    #[test]
    fn add_k_early_exit_keeps_zero() {
        let s = stats("x y z", &["a b c"], Tokenization::Sacrebleu(SacreTokenizer::Tok13a));
        assert!(sacrebleu_score(&s, Smooth::AddK(1.0), false).score.abs() < 1e-300);
    }
}
