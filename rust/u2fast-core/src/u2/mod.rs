//! U2-Bench only: the U2-Score of eight task metrics, the aggregation of per-case statistics into
//! data set, task and U2 values, and the resampling designs built on it (cases within data sets;
//! two models on the same resampled cases; data sets then cases; several models' ranks).

pub mod aggregate;
pub mod cluster_bootstrap;
pub mod paired_bootstrap;
pub mod rank_bootstrap;
pub mod score;
pub mod stratified_bootstrap;
#[cfg(test)]
mod test_fixtures;
