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
pub mod text;
mod unicode_classes;
