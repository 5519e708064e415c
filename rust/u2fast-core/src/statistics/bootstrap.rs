//! Case-level bootstrap of statistics that are functions of per-case sums (a mean, a ratio,
//! accuracy, RMSE, corpus BLEU, and differences of two of them for paired comparisons).
//!
//! Resamples are drawn within strata (or over all cases), in fixed chunks of
//! [`CHUNK`] resamples with one RNG stream per chunk, so the same seed gives the same
//! distribution whatever the number of threads. The BCa acceleration comes from the jackknife on
//! the sums: leaving case `i` out is `S − x_i`, O(n·k) in all.

use rayon::prelude::*;

use super::intervals::{self, Intervals, Rng};
use crate::metrics::bleu::{self, Smooth};

/// Resamples per RNG stream.
pub const CHUNK: usize = 64;

/// How a bootstrap draws and what interval it gives: `n_resamples` draws, the `seed` of its random
/// streams and the intervals' `confidence`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resampling {
    pub n_resamples: usize,
    pub seed: u64,
    pub confidence: f64,
}

/// A statistic computed from column sums of per-case rows and the case count.
#[derive(Debug, Clone, PartialEq)]
pub enum SumStatistic {
    /// Rows of one value; `Σx / n` (also accuracy on 0/1 values).
    Mean,
    /// Rows `(x, y)`; `Σx / Σy`.
    Ratio,
    /// Rows of one squared error; `sqrt(Σe² / n)`.
    RootMeanSquare,
    /// Rows of the 10 pycocoevalcap statistics; corpus BLEU-4 × 100.
    CocoBleu,
    /// Rows of sacreBLEU statistics (`2 + 2·order` columns); corpus BLEU.
    SacreBleu { smooth: Smooth, effective_order: bool },
    /// Paired comparison: rows are `[a..., b...]`; `stat(a) − stat(b)`.
    Difference(Box<SumStatistic>),
}

impl SumStatistic {
    /// Evaluate on column sums and a case count.
    pub fn eval(&self, sums: &[f64], n: f64) -> f64 {
        match self {
            SumStatistic::Mean => sums[0] / n,
            SumStatistic::Ratio => sums[0] / sums[1],
            SumStatistic::RootMeanSquare => (sums[0] / n).sqrt(),
            SumStatistic::CocoBleu => {
                if n == 0.0 {
                    return f64::NAN;
                }
                let ints: Vec<i64> = sums.iter().map(|v| v.round() as i64).collect();
                100.0 * bleu::coco_bleu(&ints)[3]
            }
            SumStatistic::SacreBleu { smooth, effective_order } => {
                if n == 0.0 {
                    return f64::NAN;
                }
                let ints: Vec<i64> = sums.iter().map(|v| v.round() as i64).collect();
                bleu::sacrebleu_score(&ints, *smooth, *effective_order).score
            }
            SumStatistic::Difference(inner) => {
                let half = sums.len() / 2;
                inner.eval(&sums[..half], n) - inner.eval(&sums[half..], n)
            }
        }
    }
}

/// The result of one bootstrap.
#[derive(Debug, Clone)]
pub struct Bootstrap {
    pub estimate: f64,
    pub acceleration: f64,
    pub intervals: Intervals,
    /// The resampled values, in resample order.
    pub distribution: Vec<f64>,
}

/// Case indices grouped by stratum (all in one group when `strata` is empty).
pub fn groups(n: usize, strata: &[u32]) -> Vec<Vec<u32>> {
    if strata.is_empty() {
        return vec![(0..n as u32).collect()];
    }
    let k = strata.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut g = vec![Vec::new(); k];
    for (i, &s) in strata.iter().enumerate() {
        g[s as usize].push(i as u32);
    }
    g.retain(|v| !v.is_empty());
    g
}

/// Draw `n_resamples` resamples of `width` values each (row-major), in parallel chunks of [`CHUNK`]
/// resamples: `f(rng, rows)` fills one chunk's rows from that chunk's own RNG stream, so the result
/// is the same whatever the number of threads. Every bootstrap of the crate draws through here.
pub fn resample_rows<F>(n_resamples: usize, width: usize, seed: u64, f: F) -> Vec<f64>
where
    F: Fn(&mut Rng, &mut [f64]) + Sync,
{
    let mut out = vec![0.0; n_resamples * width];
    // a width of 0 leaves nothing to fill; `max(1)` only keeps the chunk size legal
    out.par_chunks_mut(CHUNK * width.max(1)).enumerate().for_each(|(c, rows)| {
        let mut rng = Rng::for_chunk(seed, c as u64);
        f(&mut rng, rows);
    });
    out
}

/// [`resample_rows`] of one value per resample (the crate's earlier public name, kept for callers).
pub fn resample_chunks<F>(n_resamples: usize, seed: u64, f: F) -> Vec<f64>
where
    F: Fn(&mut Rng, &mut [f64]) + Sync,
{
    resample_rows(n_resamples, 1, seed, f)
}

/// Bootstrap a sum statistic over row-major `(n, k)` data.
pub fn bootstrap(
    data: &[f64],
    k: usize,
    stat: &SumStatistic,
    strata: &[u32],
    resampling: Resampling,
) -> Bootstrap {
    let Resampling { n_resamples, seed, confidence } = resampling;
    let n = data.len() / k;
    let totals = column_sums(data, k);
    let estimate = stat.eval(&totals, n as f64);
    let groups = groups(n, strata);
    let distribution = resample_chunks(n_resamples, seed, |rng, chunk| {
        let mut sums = vec![0.0; k];
        for slot in chunk {
            sums.fill(0.0);
            for g in &groups {
                let len = g.len() as u32;
                for _ in 0..len {
                    let i = g[rng.below(len) as usize] as usize;
                    for (s, v) in sums.iter_mut().zip(&data[i * k..i * k + k]) {
                        *s += v;
                    }
                }
            }
            *slot = stat.eval(&sums, n as f64);
        }
    });
    let acceleration = jackknife_acceleration(data, k, stat, &totals);
    let intervals = intervals::intervals(distribution.clone(), estimate, acceleration, confidence);
    Bootstrap { estimate, acceleration, intervals, distribution }
}

/// Column sums of row-major data.
pub fn column_sums(data: &[f64], k: usize) -> Vec<f64> {
    let mut totals = vec![0.0; k];
    for row in data.chunks_exact(k) {
        for (t, v) in totals.iter_mut().zip(row) {
            *t += v;
        }
    }
    totals
}

/// BCa acceleration from the leave-one-out values `stat(S − x_i, n − 1)`.
pub fn jackknife_acceleration(data: &[f64], k: usize, stat: &SumStatistic, totals: &[f64]) -> f64 {
    let n = data.len() / k;
    let mut sums = vec![0.0; k];
    let jack: Vec<f64> = data
        .chunks_exact(k)
        .map(|row| {
            for ((s, t), v) in sums.iter_mut().zip(totals).zip(row) {
                *s = t - v;
            }
            stat.eval(&sums, (n - 1) as f64)
        })
        .collect();
    intervals::acceleration(&jack)
}

/// Two-sided paired-bootstrap p-value by the shift method: the resampled differences are centred
/// on the observed one (the null distribution), `p = (#{|d_b − d̂| ≥ |d̂|} + 1) / (B + 1)`.
///
/// sacreBLEU's test centres `|d_b|` on its mean and counts strictly greater values, which makes two
/// identical systems "significant" (p = 1/(B+1)); here identical systems get p = 1.
pub fn paired_p_value(differences: &[f64], observed: f64) -> f64 {
    let b = differences.len() as f64;
    let exceed = differences.iter().filter(|&&d| (d - observed).abs() >= observed.abs()).count();
    ((exceed as f64 + 1.0) / (b + 1.0)).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_distribution_any_thread_count() {
        let data: Vec<f64> = (0..500).map(|i| f64::from(i % 7)).collect();
        let settings = Resampling { n_resamples: 1000, seed: 3, confidence: 0.95 };
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let a = one.install(|| bootstrap(&data, 1, &SumStatistic::Mean, &[], settings));
        let four = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap();
        let b = four.install(|| bootstrap(&data, 1, &SumStatistic::Mean, &[], settings));
        assert_eq!(a.distribution, b.distribution);
        assert_eq!(a.intervals, b.intervals);
    }

    #[test]
    fn stratified_resamples_keep_stratum_sizes() {
        // Stratum 0 is all zeros, stratum 1 all ones: every stratified resample has mean exactly 0.25.
        let data: Vec<f64> = (0..40).map(|i| if i < 30 { 0.0 } else { 1.0 }).collect();
        let strata: Vec<u32> = (0..40).map(|i| u32::from(i >= 30)).collect();
        let settings = Resampling { n_resamples: 200, seed: 1, confidence: 0.95 };
        let r = bootstrap(&data, 1, &SumStatistic::Mean, &strata, settings);
        assert!(r.distribution.iter().all(|&v| (v - 0.25).abs() < 1e-15));
        let free = bootstrap(&data, 1, &SumStatistic::Mean, &[], settings);
        assert!(free.distribution.iter().any(|&v| (v - 0.25).abs() > 1e-3));
    }

    #[test]
    fn mean_interval_is_sensible() {
        let data: Vec<f64> = (0..1000).map(|i| f64::from(i % 10)).collect();
        let settings = Resampling { n_resamples: 2000, seed: 5, confidence: 0.95 };
        let r = bootstrap(&data, 1, &SumStatistic::Mean, &[], settings);
        // mean 4.5, sd 2.87, se ≈ 0.091.
        assert!((r.intervals.standard_error - 0.0908).abs() < 0.01, "{:?}", r.intervals);
        assert!(r.intervals.bca.low < 4.5 && r.intervals.bca.high > 4.5);
        assert!(r.acceleration.abs() < 1e-9);
    }

    #[test]
    fn p_value_of_identical_systems_is_one() {
        assert!((paired_p_value(&[0.0; 99], 0.0) - 1.0).abs() < 1e-15);
        // observed 0.3; centred |d − 0.3| = 0.2, 0.8, 0.2, 0.4 → two reach 0.3.
        assert!((paired_p_value(&[0.5, -0.5, 0.1, -0.1], 0.3) - 3.0 / 5.0).abs() < 1e-15);
    }
}
