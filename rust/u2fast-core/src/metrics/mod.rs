//! Metrics that know nothing about U2-Bench: each scores answers against references the way its
//! reference library does (sacreBLEU, rouge-score, pycocoevalcap, scikit-learn), with the tokenizers
//! and token interning they share.

pub mod bleu;
pub mod chrf;
pub mod cider;
pub mod classification;
pub mod intern;
pub mod lcs;
mod ngram;
pub mod porter;
pub mod regression;
pub mod rouge;
pub mod sacrebleu_tokenize;
pub mod spatial;
pub mod ter;
mod tercom_tokenize;
pub mod text;
mod unicode_classes;

/// A seeded stream of small token ids for the tests' generated sequences (`next(k)` is in `0..k`).
#[cfg(test)]
pub(crate) fn test_draws(mut state: u64) -> impl FnMut(u64) -> u32 {
    move |k| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) % k) as u32
    }
}

/// Check a text function against worked examples `(input, expected output)`, naming the input
/// that fails.
#[cfg(test)]
pub(crate) fn assert_examples(f: impl Fn(&str) -> String, examples: &[(&str, &str)]) {
    for &(input, expected) in examples {
        assert_eq!(f(input), expected, "input {input:?}");
    }
}
