//! Pure-Rust scoring core of u2fast.
//!
//! Everything here works on plain slices of numbers so that it can be embedded without Python;
//! `rust/u2fast-py` is the thin pyo3 layer on top.

pub mod aggregate;
pub mod bleu;
pub mod bootstrap;
pub mod chrf;
pub mod cider;
pub mod classification;
pub mod cluster_bootstrap;
pub mod intern;
pub mod lcs;
pub mod mcnemar;
mod ngram;
pub mod porter;
pub mod rank_bootstrap;
pub mod regression;
pub mod rouge;
pub mod run_bootstrap;
pub mod sacrebleu_tokenize;
pub mod spatial;
pub mod stats;
pub mod statistics;
pub mod text;
pub mod u2;
mod unicode_classes;
