//! Test-only runs for the aggregation and bootstrap tests of this folder: owned per-data-set and
//! per-case arrays, lent out as the `Datasets`, `RunLayout` and `Cases` views the code under test
//! reads, so a test states only what its run is made of (tasks, case placement, answers).

use super::aggregate::{self, Cases, Datasets, RunLayout, RunPoint};

/// Data sets of the given tasks, all in U2, and one case per `dataset_index` entry. Answers start
/// wrong, errors at 0 and BLEU statistics at 0 until a builder method sets them; tests read the run
/// through its views only.
pub(crate) struct Run {
    task: Vec<u8>,
    in_u2: Vec<bool>,
    dataset_index: Vec<i32>,
    correct: Vec<f64>,
    error: Vec<f64>,
    bleu: Vec<i64>,
}

impl Run {
    pub(crate) fn new(task: &[u8], dataset_index: Vec<i32>) -> Self {
        let n = dataset_index.len();
        Run {
            task: task.to_vec(),
            in_u2: vec![true; task.len()],
            dataset_index,
            correct: vec![0.0; n],
            error: vec![0.0; n],
            bleu: vec![0; n * 10],
        }
    }

    /// `n` cases dealt round-robin: case `i` in data set `i % task.len()`.
    pub(crate) fn round_robin(task: &[u8], n: usize) -> Self {
        let k = task.len();
        Run::new(task, (0..n).map(|i| (i % k) as i32).collect())
    }

    /// Case `i` is answered right when `right(i)`.
    pub(crate) fn correct_when(mut self, right: impl Fn(usize) -> bool) -> Self {
        self.correct = (0..self.dataset_index.len()).map(|i| f64::from(u8::from(right(i)))).collect();
        self
    }

    /// Case `i`'s signed error is `error(i)`.
    pub(crate) fn errors(mut self, error: impl Fn(usize) -> f64) -> Self {
        self.error = (0..self.dataset_index.len()).map(error).collect();
        self
    }

    /// Data set `d` stays out of its task's mean and U2.
    pub(crate) fn out_of_u2(mut self, d: usize) -> Self {
        self.in_u2[d] = false;
        self
    }

    /// Every case has the same 10 BLEU statistics.
    pub(crate) fn bleu_row(mut self, row: [i64; 10]) -> Self {
        self.bleu = row.repeat(self.dataset_index.len());
        self
    }

    pub(crate) fn datasets(&self) -> Datasets<'_> {
        Datasets { task: &self.task, in_u2: &self.in_u2 }
    }

    /// The data sets under the rules the tests score with: a missing CVE counts as perfect, CVE
    /// tolerance 0.1.
    pub(crate) fn layout(&self) -> RunLayout<'_> {
        RunLayout { datasets: self.datasets(), missing_cve_is_perfect: true, tolerance: 0.1 }
    }

    pub(crate) fn cases(&self) -> Cases<'_> {
        let (correct, error, bleu) = (&self.correct, &self.error, &self.bleu);
        Cases { dataset_index: &self.dataset_index, correct, error, bleu }
    }

    /// The point estimates the bootstraps resample around, under [`Run::layout`]'s rules.
    pub(crate) fn point(&self) -> RunPoint {
        let layout = self.layout();
        aggregate::aggregate(&self.cases(), &layout.datasets, layout.missing_cve_is_perfect, layout.tolerance)
            .unwrap()
    }
}
