//! Generic statistics that know nothing about U2-Bench: the case bootstrap of sum statistics and
//! the RNG and scipy interval arithmetic every resampling design shares, McNemar's test, confusion
//! matrices and class statistics, measurement agreement, multiplicity adjustment and
//! heterogeneity, and the distribution functions they rest on. The U2-specific aggregation
//! (data sets → tasks → U2) and its resampling designs live in [`crate::u2`].

pub mod agreement;
pub mod bootstrap;
pub mod confusion;
pub mod distributions;
pub mod intervals;
pub mod mcnemar;
pub mod multiplicity;
