//! Generic statistics that know nothing about U2-Bench: confusion matrices and class statistics,
//! measurement agreement, multiplicity adjustment and heterogeneity, and the distribution
//! functions they rest on. The U2-specific aggregation (data sets → tasks → U2) lives in
//! `aggregate`, `run_bootstrap`, `cluster_bootstrap` and `rank_bootstrap`.

pub mod agreement;
pub mod confusion;
pub mod distributions;
pub mod multiplicity;
