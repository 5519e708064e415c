//! Pure-Rust scoring core of u2fast.
//!
//! Everything here works on plain slices of numbers so that it can be embedded without Python;
//! `rust/u2fast-py` is the thin pyo3 layer on top. Three folders, the first two generic:
//!
//! - [`metrics`]: text and answer metrics that know nothing about U2-Bench (BLEU, chrF, ROUGE,
//!   CIDEr-D, TER and their tokenizers, accuracy and macro-F1, regression errors, box and point scores);
//! - [`statistics`]: generic statistics (the case bootstrap and its interval arithmetic, McNemar,
//!   confusion and class statistics, agreement, multiplicity, distribution functions);
//! - [`u2`]: U2-Bench only: per-case statistics → data sets → tasks → the U2-Score, and the
//!   resampling designs built on that aggregation (stratified, paired, two-stage, joint ranks).

pub mod metrics;
pub mod statistics;
pub mod u2;
