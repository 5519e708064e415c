//! Run-level point estimates: per-case statistics → per-dataset metrics → per-task metrics → U2
//! (docs/u2bench.md 4 and 6).
//!
//! Everything is computed from per-dataset sufficient statistics (sums), so the bootstrap can
//! re-use the same code on resampled sums without touching the cases again.

use super::score;
use crate::metrics::bleu;

/// Task codes, in `score::TASKS` order.
pub const TASK_CVE: u8 = 5;
pub const TASK_RG: u8 = 6;
pub const TASK_CG: u8 = 7;

/// `true` for the five accuracy tasks (DD VRA LL OD KD).
#[inline]
pub fn is_accuracy_task(task: u8) -> bool {
    task < TASK_CVE
}

/// `true` for the two text tasks (RG CG).
#[inline]
pub fn is_text_task(task: u8) -> bool {
    task == TASK_RG || task == TASK_CG
}

/// Per-case inputs, one entry per case that counts.
pub struct Cases<'a> {
    /// Index into the per-dataset arrays.
    pub dataset_index: &'a [i32],
    /// 1.0 for a correct answer (accuracy tasks).
    pub correct: &'a [f64],
    /// Normalized signed error (CVE).
    pub error: &'a [f64],
    /// pycocoevalcap BLEU statistics, row-major `(n, 10)` (text tasks).
    pub bleu: &'a [i64],
}

/// Per-dataset description.
#[derive(Clone, Copy)]
pub struct Datasets<'a> {
    /// Task code 0..=7 of each dataset.
    pub task: &'a [u8],
    /// Whether the dataset enters its task's mean (and so U2).
    pub in_u2: &'a [bool],
}

/// A run's data sets with the two scoring rules that hold for the whole run: what every resampling
/// design reads besides the cases and the point estimates.
#[derive(Clone, Copy)]
pub struct RunLayout<'a> {
    pub datasets: Datasets<'a>,
    /// A missing CVE metric scores as 0 error in U2 rather than 0 (the official script's quirk).
    pub missing_cve_is_perfect: bool,
    /// The normalized absolute CVE error that still counts as within tolerance.
    pub tolerance: f64,
}

/// Sufficient statistics of one dataset; all sums are of `f64` so that they can be weighted.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DatasetSums {
    pub n: f64,
    /// Σ correct (accuracy tasks).
    pub correct: f64,
    /// Σ e, Σ e², Σ |e|, #(|e| ≤ tol) (CVE).
    pub err: f64,
    pub err2: f64,
    pub abs_err: f64,
    pub within: f64,
    /// Σ of the 10 BLEU statistics (text tasks).
    pub bleu: [f64; 10],
}

impl DatasetSums {
    /// Add `weight` copies of case `i`.
    #[inline]
    pub fn add_case(&mut self, task: u8, cases: &Cases<'_>, i: usize, weight: f64, tolerance: f64) {
        self.n += weight;
        if is_accuracy_task(task) {
            self.correct += weight * cases.correct[i];
        } else if task == TASK_CVE {
            let e = cases.error[i];
            self.err += weight * e;
            self.err2 += weight * e * e;
            self.abs_err += weight * e.abs();
            if e.abs() <= tolerance {
                self.within += weight;
            }
        } else {
            for (s, &v) in self.bleu.iter_mut().zip(&cases.bleu[i * 10..i * 10 + 10]) {
                *s += weight * v as f64;
            }
        }
    }

    /// The headline metric: accuracy, RMSE, or corpus BLEU-4 × 100; `NaN` for an empty dataset.
    pub fn metric(&self, task: u8) -> f64 {
        if self.n == 0.0 {
            return f64::NAN;
        }
        if is_accuracy_task(task) {
            self.correct / self.n
        } else if task == TASK_CVE {
            (self.err2 / self.n).sqrt()
        } else {
            100.0 * bleu::coco_bleu(&self.bleu_counts())[3]
        }
    }

    /// The BLEU sums as integers (they are whole numbers whatever the resampling weights).
    pub fn bleu_counts(&self) -> [i64; 10] {
        self.bleu.map(|v| v.round() as i64)
    }
}

/// Per-dataset secondary metrics.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DatasetDetail {
    pub mae: f64,
    /// Population standard deviation of the signed errors.
    pub std: f64,
    /// Percent of |e| ≤ tolerance.
    pub within_tolerance: f64,
    /// BLEU-1..4 × 100.
    pub bleu_n: [f64; 4],
}

impl DatasetSums {
    pub fn detail(&self, task: u8) -> DatasetDetail {
        let nan = f64::NAN;
        let mut d = DatasetDetail { mae: nan, std: nan, within_tolerance: nan, bleu_n: [nan; 4] };
        if self.n == 0.0 {
            return d;
        }
        if task == TASK_CVE {
            let mean = self.err / self.n;
            d.mae = self.abs_err / self.n;
            d.std = (self.err2 / self.n - mean * mean).max(0.0).sqrt();
            d.within_tolerance = 100.0 * self.within / self.n;
        } else if is_text_task(task) {
            d.bleu_n = bleu::coco_bleu(&self.bleu_counts()).map(|b| 100.0 * b);
        }
        d
    }
}

/// Sum the cases of every dataset.
pub fn dataset_sums(cases: &Cases<'_>, datasets: &Datasets<'_>, tolerance: f64) -> Vec<DatasetSums> {
    let mut sums = vec![DatasetSums::default(); datasets.task.len()];
    for (i, &d) in cases.dataset_index.iter().enumerate() {
        let d = d as usize;
        sums[d].add_case(datasets.task[d], cases, i, 1.0, tolerance);
    }
    sums
}

/// A task metric is the unweighted mean of its data sets' metrics, `NaN` ones skipped: the sums and
/// counts of the eight means, filled data set by data set (every design adds in its own order).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TaskMeans {
    pub sum: [f64; 8],
    pub count: [usize; 8],
}

impl TaskMeans {
    /// The means of the U2 data sets' metrics (`datasets.in_u2`), in data set order.
    pub(crate) fn of_u2_datasets(dataset_metric: &[f64], datasets: &Datasets<'_>) -> Self {
        let mut means = TaskMeans::default();
        for ((&m, &t), &inc) in dataset_metric.iter().zip(datasets.task).zip(datasets.in_u2) {
            if inc {
                means.add(t, m);
            }
        }
        means
    }

    #[inline]
    pub(crate) fn add(&mut self, task: u8, metric: f64) {
        if !metric.is_nan() {
            self.sum[task as usize] += metric;
            self.count[task as usize] += 1;
        }
    }

    /// The eight task metrics; `NaN` for a task without a (non-`NaN`) data set.
    pub(crate) fn means(&self) -> [f64; 8] {
        std::array::from_fn(|t| match self.count[t] {
            0 => f64::NAN,
            c => self.sum[t] / c as f64,
        })
    }
}

/// Per-task metrics (unweighted mean over the task's `in_u2` datasets, skipping `NaN`) and U2.
pub fn task_metrics_and_u2(
    dataset_metric: &[f64],
    datasets: &Datasets<'_>,
    missing_cve_is_perfect: bool,
) -> ([f64; 8], f64) {
    let task = TaskMeans::of_u2_datasets(dataset_metric, datasets).means();
    let score = score::u2_score(&task, &score::WEIGHTS, missing_cve_is_perfect);
    (task, score)
}

/// Validate the inputs; returns a message naming the first bad field.
pub fn validate(cases: &Cases<'_>, datasets: &Datasets<'_>) -> Result<(), String> {
    let n = cases.dataset_index.len();
    if cases.correct.len() != n || cases.error.len() != n || cases.bleu.len() != n * 10 {
        return Err(format!(
            "per-case arrays differ in length: dataset_index {n}, correct {}, error {}, bleu rows {}",
            cases.correct.len(),
            cases.error.len(),
            cases.bleu.len() / 10
        ));
    }
    if datasets.task.len() != datasets.in_u2.len() {
        return Err("dataset_task and dataset_in_u2 differ in length".into());
    }
    if let Some((d, &t)) = datasets.task.iter().enumerate().find(|(_, &t)| t > 7) {
        return Err(format!("dataset_task[{d}] = {t} is not a task code 0..7"));
    }
    let nd = datasets.task.len();
    for (i, &d) in cases.dataset_index.iter().enumerate() {
        if d < 0 || d as usize >= nd {
            return Err(format!("dataset_index[{i}] = {d} is outside 0..{nd}"));
        }
        let t = datasets.task[d as usize];
        // An accuracy is a mean of 0/1 outcomes (partial credit allowed): anything outside [0, 1],
        // NaN included, is a caller's bug that would otherwise surface as an accuracy above 100%.
        if is_accuracy_task(t) && !(0.0..=1.0).contains(&cases.correct[i]) {
            return Err(format!("correct[{i}] = {} is not in [0, 1] for an accuracy task", cases.correct[i]));
        }
        if t == TASK_CVE && !cases.error[i].is_finite() {
            return Err(format!("error[{i}] is not finite for a CVE case"));
        }
        if is_text_task(t) && cases.bleu[i * 10..i * 10 + 10].iter().any(|&v| v < 0) {
            return Err(format!("bleu[{i}] has a negative count"));
        }
    }
    Ok(())
}

/// Point estimates of a whole run.
#[derive(Debug, Clone)]
pub struct RunPoint {
    pub dataset_n: Vec<usize>,
    pub dataset_metric: Vec<f64>,
    pub dataset_detail: Vec<DatasetDetail>,
    pub task_metric: [f64; 8],
    pub u2: f64,
}

/// Compute every point estimate of a run.
pub fn aggregate(
    cases: &Cases<'_>,
    datasets: &Datasets<'_>,
    missing_cve_is_perfect: bool,
    tolerance: f64,
) -> Result<RunPoint, String> {
    validate(cases, datasets)?;
    let sums = dataset_sums(cases, datasets, tolerance);
    let dataset_metric: Vec<f64> = sums.iter().zip(datasets.task).map(|(s, &t)| s.metric(t)).collect();
    let mut dataset_detail: Vec<DatasetDetail> =
        sums.iter().zip(datasets.task).map(|(s, &t)| s.detail(t)).collect();
    // Std by two passes (numpy's way), not from Σe² − (Σe)², which cancels badly.
    let mut sq_dev = vec![0.0f64; sums.len()];
    for (i, &d) in cases.dataset_index.iter().enumerate() {
        let d = d as usize;
        if datasets.task[d] == TASK_CVE {
            let dev = cases.error[i] - sums[d].err / sums[d].n;
            sq_dev[d] += dev * dev;
        }
    }
    for (d, detail) in dataset_detail.iter_mut().enumerate() {
        if datasets.task[d] == TASK_CVE && sums[d].n > 0.0 {
            detail.std = (sq_dev[d] / sums[d].n).sqrt();
        }
    }
    let (task_metric, u2) = task_metrics_and_u2(&dataset_metric, datasets, missing_cve_is_perfect);
    Ok(RunPoint {
        dataset_n: sums.iter().map(|s| s.n as usize).collect(),
        dataset_metric,
        dataset_detail,
        task_metric,
        u2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::u2::test_fixtures::Run;

    #[test]
    fn two_accuracy_datasets_and_a_cve_dataset() {
        let run = Run::new(&[0, 0, 5], vec![0, 0, 1, 2, 2])
            .correct_when(|i| i == 0 || i == 2)
            .errors(|i| [0.0, 0.0, 0.0, 0.3, -0.4][i]);
        let r = aggregate(&run.cases(), &run.datasets(), true, 0.1).unwrap();
        assert_eq!(r.dataset_n, [2, 1, 2]);
        assert!((r.dataset_metric[0] - 0.5).abs() < 1e-15);
        assert!((r.task_metric[0] - 0.75).abs() < 1e-15);
        let rmse = (0.25f64 / 2.0).sqrt();
        assert!((r.task_metric[5] - rmse).abs() < 1e-15);
        assert!((r.dataset_detail[2].mae - 0.35).abs() < 1e-15);
        assert!((r.dataset_detail[2].std - 0.35).abs() < 1e-12);
        // DD 0.75, CVE 1 - rmse, everything else missing (CVE present so no special credit).
        let expect = 0.2 * 0.75 + 0.07 * (1.0 - rmse);
        assert!((r.u2 - expect).abs() < 1e-15);
    }

    #[test]
    fn bad_index_is_reported() {
        let run = Run::new(&[0], vec![3]).correct_when(|_| true);
        let e = aggregate(&run.cases(), &run.datasets(), true, 0.1).unwrap_err();
        assert!(e.contains("dataset_index[0]"), "{e}");
    }
}
