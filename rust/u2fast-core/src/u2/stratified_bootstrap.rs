//! Stratified bootstrap of a run's cases (resampled within their data set): every dataset metric,
//! every task metric and U2 from the same resamples, with percentile and BCa intervals.
//!
//! Each resample draws, for every dataset, as many cases as it has, from that dataset only, and
//! adds up the per-case sufficient statistics; the dataset metrics, task means and U2 follow from
//! those sums exactly as for the point estimate. The BCa acceleration of every column comes from
//! the jackknife over all cases, which only touches the left-out case's dataset, task and U2.

use super::aggregate::{self, Cases, DatasetSums, Datasets, RunLayout, TaskMeans, TASK_CVE};
use super::score;
use crate::metrics::bleu;
use crate::statistics::bootstrap::{self, Resampling};
use crate::statistics::intervals::{self, Intervals, Rng};

/// Intervals for the columns `[dataset metrics..., 8 task metrics, U2]`.
#[derive(Debug, Clone)]
pub struct RunIntervals {
    pub n_datasets: usize,
    pub intervals: Vec<Intervals>,
    pub acceleration: Vec<f64>,
    /// Row-major `(n_resamples, n_datasets + 9)` when requested.
    pub distribution: Option<Vec<f64>>,
}

/// Per-case values of one dataset, packed for fast gathering.
pub(crate) enum Stratum {
    Values(Vec<f64>),
    Bleu(Vec<[f64; 10]>),
}

impl Stratum {
    pub(crate) fn len(&self) -> usize {
        match self {
            Stratum::Values(v) => v.len(),
            Stratum::Bleu(v) => v.len(),
        }
    }
}

pub(crate) fn pack(cases: &Cases<'_>, datasets: &Datasets<'_>) -> Vec<Stratum> {
    let mut strata: Vec<Stratum> =
        datasets
            .task
            .iter()
            .map(|&t| {
                if aggregate::is_text_task(t) {
                    Stratum::Bleu(Vec::new())
                } else {
                    Stratum::Values(Vec::new())
                }
            })
            .collect();
    for (i, &d) in cases.dataset_index.iter().enumerate() {
        let d = d as usize;
        let t = datasets.task[d];
        match &mut strata[d] {
            Stratum::Values(v) if t == TASK_CVE => v.push(cases.error[i] * cases.error[i]),
            Stratum::Values(v) => v.push(cases.correct[i]),
            Stratum::Bleu(v) => {
                let mut row = [0.0; 10];
                for (r, &x) in row.iter_mut().zip(&cases.bleu[i * 10..i * 10 + 10]) {
                    *r = x as f64;
                }
                v.push(row);
            }
        }
    }
    strata
}

/// The headline metric of one resampled dataset.
pub(crate) fn resampled_metric(stratum: &Stratum, task: u8, rng: &mut Rng) -> f64 {
    let len = stratum.len() as u32;
    if len == 0 {
        return f64::NAN;
    }
    match stratum {
        Stratum::Values(v) => {
            let mut s = 0.0;
            for _ in 0..len {
                s += v[rng.below(len) as usize];
            }
            let m = s / f64::from(len);
            if task == TASK_CVE {
                m.sqrt()
            } else {
                m
            }
        }
        Stratum::Bleu(v) => {
            let mut s = [0.0f64; 10];
            for _ in 0..len {
                let row = &v[rng.below(len) as usize];
                for (a, b) in s.iter_mut().zip(row) {
                    *a += b;
                }
            }
            100.0 * bleu::coco_bleu(&s.map(|x| x as i64))[3]
        }
    }
}

/// Bootstrap a run. `point` must be the dataset metrics of [`aggregate::aggregate`] on the same input.
pub fn bootstrap_run(
    cases: &Cases<'_>,
    layout: &RunLayout<'_>,
    point_dataset_metric: &[f64],
    resampling: Resampling,
    keep_distribution: bool,
) -> RunIntervals {
    let RunLayout { datasets, missing_cve_is_perfect, .. } = *layout;
    let nd = datasets.task.len();
    let width = nd + 9;
    let strata = pack(cases, &datasets);
    let dist = bootstrap::resample_rows(resampling.n_resamples, width, resampling.seed, |rng, rows| {
        for row in rows.chunks_mut(width) {
            for d in 0..nd {
                row[d] = resampled_metric(&strata[d], datasets.task[d], rng);
            }
            fill_task_and_u2(row, &datasets, missing_cve_is_perfect);
        }
    });
    let estimate = columns(point_dataset_metric, &datasets, missing_cve_is_perfect);
    let jack = jackknife(cases, layout, point_dataset_metric);
    let acceleration = accelerations(cases.dataset_index, &datasets, &estimate, &jack);
    let intervals =
        intervals::column_intervals(&dist, width, &estimate, &acceleration, resampling.confidence);
    RunIntervals { n_datasets: nd, intervals, acceleration, distribution: keep_distribution.then_some(dist) }
}

/// Complete a row whose first `datasets` entries hold dataset metrics with the 8 task metrics and U2.
pub(crate) fn fill_task_and_u2(row: &mut [f64], datasets: &Datasets<'_>, missing_cve_is_perfect: bool) {
    let nd = datasets.task.len();
    let (tasks, u2_value) = aggregate::task_metrics_and_u2(&row[..nd], datasets, missing_cve_is_perfect);
    row[nd..nd + 8].copy_from_slice(&tasks);
    row[nd + 8] = u2_value;
}

/// The columns `[dataset metrics..., 8 task metrics, U2]` of one set of dataset metrics.
pub(crate) fn columns(
    dataset_metric: &[f64],
    datasets: &Datasets<'_>,
    missing_cve_is_perfect: bool,
) -> Vec<f64> {
    let mut row = dataset_metric.to_vec();
    row.resize(dataset_metric.len() + 9, 0.0);
    fill_task_and_u2(&mut row, datasets, missing_cve_is_perfect);
    row
}

/// Leave-one-out values of the three columns case `i` touches: its dataset, its task and U2.
pub(crate) struct Jackknife {
    pub dataset: Vec<f64>,
    pub task: Vec<f64>,
    pub u2: Vec<f64>,
}

impl Jackknife {
    /// `self − other`, case by case (two models on the same cases).
    pub(crate) fn minus(&self, other: &Jackknife) -> Jackknife {
        let sub = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x - y).collect();
        Jackknife {
            dataset: sub(&self.dataset, &other.dataset),
            task: sub(&self.task, &other.task),
            u2: sub(&self.u2, &other.u2),
        }
    }
}

/// Leave-one-out values of every case, O(1) work per case from the dataset sums.
pub(crate) fn jackknife(cases: &Cases<'_>, layout: &RunLayout<'_>, dataset_metric: &[f64]) -> Jackknife {
    let RunLayout { datasets, missing_cve_is_perfect, tolerance } = *layout;
    let n = cases.dataset_index.len();
    let sums = aggregate::dataset_sums(cases, &datasets, tolerance);
    let (task_point, _) = aggregate::task_metrics_and_u2(dataset_metric, &datasets, missing_cve_is_perfect);
    // Per task: Σ and count of the non-NaN in-U2 dataset metrics, to replace one in O(1).
    let TaskMeans { sum: task_sum, count: task_count } = TaskMeans::of_u2_datasets(dataset_metric, &datasets);
    let mut jack = Jackknife { dataset: vec![0.0; n], task: vec![0.0; n], u2: vec![0.0; n] };
    for (i, &d) in cases.dataset_index.iter().enumerate() {
        let d = d as usize;
        let t = datasets.task[d];
        let mut s: DatasetSums = sums[d];
        let mut minus = DatasetSums::default();
        minus.add_case(t, cases, i, 1.0, tolerance);
        s.n -= minus.n;
        s.correct -= minus.correct;
        s.err2 -= minus.err2;
        for (a, b) in s.bleu.iter_mut().zip(&minus.bleu) {
            *a -= b;
        }
        let theta_d = s.metric(t);
        jack.dataset[i] = theta_d;
        let mut tasks = task_point;
        if datasets.in_u2[d] {
            let tu = t as usize;
            let (mut sum, mut count) = (task_sum[tu] - dataset_metric[d], task_count[tu] - 1);
            if !theta_d.is_nan() {
                sum += theta_d;
                count += 1;
            }
            tasks[tu] = if count == 0 { f64::NAN } else { sum / count as f64 };
        }
        jack.task[i] = tasks[t as usize];
        jack.u2[i] = score::u2_score(&tasks, &score::WEIGHTS, missing_cve_is_perfect);
    }
    jack
}

/// BCa acceleration of every column (`estimate`: the point columns); a case leaves the columns it
/// does not touch at their point value. O(n · columns).
pub(crate) fn accelerations(
    dataset_index: &[i32],
    datasets: &Datasets<'_>,
    estimate: &[f64],
    jack: &Jackknife,
) -> Vec<f64> {
    let nd = datasets.task.len();
    let mut out = Vec::with_capacity(nd + 9);
    let mut column = vec![0.0; dataset_index.len()];
    for (d, &point) in estimate[..nd].iter().enumerate() {
        for (i, &di) in dataset_index.iter().enumerate() {
            column[i] = if di as usize == d { jack.dataset[i] } else { point };
        }
        out.push(intervals::acceleration(&column));
    }
    for t in 0..8u8 {
        for (i, &di) in dataset_index.iter().enumerate() {
            column[i] =
                if datasets.task[di as usize] == t { jack.task[i] } else { estimate[nd + t as usize] };
        }
        out.push(intervals::acceleration(&column));
    }
    out.push(intervals::acceleration(&jack.u2));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::u2::test_fixtures::Run;

    #[test]
    fn intervals_cover_the_point_and_are_reproducible() {
        let run = Run::round_robin(&[0, 3, 5], 300)
            .correct_when(|i| i % 7 < 3)
            .errors(|i| (i % 11) as f64 / 20.0 - 0.25);
        let (cases, layout, point) = (run.cases(), run.layout(), run.point());
        let resampling = Resampling { n_resamples: 2000, seed: 9, confidence: 0.95 };
        let r = bootstrap_run(&cases, &layout, &point.dataset_metric, resampling, true);
        let again = bootstrap_run(&cases, &layout, &point.dataset_metric, resampling, false);
        assert_eq!(format!("{:?}", r.intervals), format!("{:?}", again.intervals));
        let u2_iv = r.intervals[3 + 8];
        assert!(u2_iv.percentile.low < point.u2 && point.u2 < u2_iv.percentile.high);
        assert!(u2_iv.bca.low < point.u2 && point.u2 < u2_iv.bca.high);
        // Tasks without datasets stay NaN.
        assert!(r.intervals[3 + 1].percentile.low.is_nan());
    }
}
