//! Two-stage (cluster) bootstrap of the U2-Score: data sets, then cases within them.
//!
//! U2 averages data sets, and cases of one data set share a source, a device and a labelling
//! protocol, so they are not independent draws. The stratified bootstrap (`stratified_bootstrap`) keeps
//! the data sets fixed and answers "how much would U2 move with other cases from these data sets";
//! this one also redraws the data sets of each task (with replacement, as many as the task has)
//! and so answers "how much would it move with other data sets like these" (Davison & Hinkley
//! 1997, section 3.8; Field & Welsh 2007). Data sets outside U2 are left out. Percentile
//! intervals only: BCa's jackknife has no clean two-stage analogue.

use super::aggregate::{Cases, Datasets, RunLayout, TaskMeans};
use super::score;
use super::stratified_bootstrap::{pack, resampled_metric};
use crate::statistics::bootstrap::{self, Resampling};
use crate::statistics::intervals::{self, Intervals, Rng};

/// Percentile intervals (and standard errors) of the 8 task metrics and U2 (columns `0..9`).
#[derive(Debug, Clone)]
pub struct TwoStage {
    pub intervals: Vec<Intervals>,
    /// Row-major `(n_resamples, 9)` when requested.
    pub distribution: Option<Vec<f64>>,
}

pub fn two_stage_bootstrap(
    cases: &Cases<'_>,
    layout: &RunLayout<'_>,
    point_task_metric: &[f64; 8],
    point_u2: f64,
    resampling: Resampling,
    keep_distribution: bool,
) -> TwoStage {
    let datasets = &layout.datasets;
    let strata = pack(cases, datasets);
    let members = task_members(datasets, |d| strata[d].len() > 0);
    let seed = resampling.seed ^ 0x2C1A_57E2;
    let dist =
        two_stage_rows(&members, resampling.n_resamples, seed, layout.missing_cve_is_perfect, |d, rng| {
            resampled_metric(&strata[d], datasets.task[d], rng)
        });
    let intervals = task_and_u2_intervals(&dist, point_task_metric, point_u2, resampling.confidence);
    TwoStage { intervals, distribution: keep_distribution.then_some(dist) }
}

/// The same two-stage design built from a stratified bootstrap's distribution (row-major
/// `(b, width)`, data-set metrics in the first `datasets.task.len()` columns): each slot of a
/// redrawn data set takes that data set's metric from a stratified resample chosen at random, i.e.
/// the second stage draws from the `b` case resamples already made. O(resamples · data sets)
/// instead of O(resamples · cases), so a run's two intervals cost one pass over the cases.
pub fn two_stage_from_strata(
    dist: &[f64],
    width: usize,
    layout: &RunLayout<'_>,
    point_task_metric: &[f64; 8],
    point_u2: f64,
    resampling: Resampling,
) -> TwoStage {
    let b = dist.len() / width.max(1);
    let members = task_members(&layout.datasets, |d| (0..b).any(|r| !dist[r * width + d].is_nan()));
    let seed = resampling.seed ^ 0x2C1A_57E3;
    let out =
        two_stage_rows(&members, resampling.n_resamples, seed, layout.missing_cve_is_perfect, |d, rng| {
            dist[rng.below(b as u32) as usize * width + d]
        });
    let intervals = task_and_u2_intervals(&out, point_task_metric, point_u2, resampling.confidence);
    TwoStage { intervals, distribution: None }
}

/// The U2 data sets of each task that `usable` accepts.
fn task_members(datasets: &Datasets<'_>, usable: impl Fn(usize) -> bool) -> [Vec<usize>; 8] {
    let mut members: [Vec<usize>; 8] = Default::default();
    for (d, (&t, &inc)) in datasets.task.iter().zip(datasets.in_u2).enumerate() {
        if inc && usable(d) {
            members[t as usize].push(d);
        }
    }
    members
}

/// `(n_resamples, 9)` rows of task metrics and U2: each task redraws its data sets with
/// replacement and `metric(d, rng)` gives a drawn data set's resampled metric.
fn two_stage_rows<F>(
    members: &[Vec<usize>; 8],
    n_resamples: usize,
    seed: u64,
    missing_cve_is_perfect: bool,
    metric: F,
) -> Vec<f64>
where
    F: Fn(usize, &mut Rng) -> f64 + Sync,
{
    let width = 9;
    bootstrap::resample_rows(n_resamples, width, seed, |rng, rows| {
        for row in rows.chunks_mut(width) {
            // a data set drawn twice counts twice in its task's mean
            let mut means = TaskMeans::default();
            for (t, list) in (0u8..).zip(members) {
                let len = list.len() as u32;
                for _ in 0..len {
                    let d = list[rng.below(len) as usize];
                    means.add(t, metric(d, rng));
                }
            }
            let tasks = means.means();
            row[..8].copy_from_slice(&tasks);
            row[8] = score::u2_score(&tasks, &score::WEIGHTS, missing_cve_is_perfect);
        }
    })
}

fn task_and_u2_intervals(dist: &[f64], task_metric: &[f64; 8], u2: f64, confidence: f64) -> Vec<Intervals> {
    let mut estimate = task_metric.to_vec();
    estimate.push(u2);
    intervals::column_intervals(dist, 9, &estimate, &[f64::NAN; 9], confidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::u2::stratified_bootstrap::bootstrap_run;
    use crate::u2::test_fixtures::Run;

    #[test]
    fn between_dataset_spread_widens_the_interval() {
        // Two DD data sets at 20% and 80%: stratified resampling keeps both, two-stage may draw
        // the same one twice, so its U2 interval must be much wider.
        let run = Run::new(&[0, 0], (0..400).map(|i| i32::from(i >= 200)).collect()).correct_when(|i| {
            if i < 200 {
                i % 5 == 0
            } else {
                i % 5 != 0
            }
        });
        let (cases, layout, point) = (run.cases(), run.layout(), run.point());
        let resampling = Resampling { n_resamples: 2000, seed: 1, confidence: 0.95 };
        let two = two_stage_bootstrap(&cases, &layout, &point.task_metric, point.u2, resampling, false);
        let strat = bootstrap_run(&cases, &layout, &point.dataset_metric, resampling, false);
        let w2 = two.intervals[8].percentile.high - two.intervals[8].percentile.low;
        let ws = strat.intervals[2 + 8].percentile.high - strat.intervals[2 + 8].percentile.low;
        assert!(w2 > 3.0 * ws, "two-stage {w2} vs stratified {ws}");
        // built from the stratified resamples: the same design, so about the same width
        let strat = bootstrap_run(&cases, &layout, &point.dataset_metric, resampling, true);
        let dist = strat.distribution.as_deref().unwrap();
        let fast = two_stage_from_strata(dist, 2 + 9, &layout, &point.task_metric, point.u2, resampling);
        let wf = fast.intervals[8].percentile.high - fast.intervals[8].percentile.low;
        assert!((wf / w2 - 1.0).abs() < 0.15, "from strata {wf} vs direct {w2}");
        assert!(two.intervals[1].percentile.low.is_nan());
    }
}
