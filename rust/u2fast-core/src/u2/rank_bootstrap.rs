//! Joint rank bootstrap of several models' U2-Scores on the same cases.
//!
//! Every resample draws one set of case indices (within each data set, optionally after redrawing
//! the data sets of each task as in `cluster_bootstrap`) and scores every model on those same
//! cases, so the models' scores move together and the rank of each model in each resample shows
//! which leaderboard gaps survive resampling (Hall & Miller 2009 for bootstrap rank intervals).

use super::aggregate::{self, Cases, DatasetSums, Datasets, RunLayout, TaskMeans};
use super::score;
use crate::statistics::bootstrap::{self, Resampling};
use crate::statistics::intervals::{self, Rng};

/// Mixed into the caller's seed so that the rank bootstrap's stream differs from the other
/// bootstraps' for the same seed; the bit-for-bit reference in the tests draws the same stream.
const SEED_SALT: u64 = 0x7A4C_0001;

/// Per-model per-case statistics, model-major `(m, n)` (`bleu` `(m, n, 10)`); `counted[j·n + i]`
/// false leaves case `i` out of model `j`'s denominators.
pub struct ModelCases<'a> {
    pub n_models: usize,
    pub correct: &'a [f64],
    pub error: &'a [f64],
    pub bleu: &'a [i64],
    pub counted: &'a [bool],
}

/// Each model's rank distribution summary (rank 1 is the highest U2).
#[derive(Debug, Clone)]
pub struct Ranks {
    pub u2: Vec<f64>,
    pub u2_interval: Vec<intervals::Interval>,
    /// Rank of the point estimates (1 + models strictly higher).
    pub rank: Vec<usize>,
    /// `[low, high]` order statistics of the resampled ranks at `(1 − confidence)/2` and its complement.
    pub rank_interval: Vec<(usize, usize)>,
    pub p_first: Vec<f64>,
    pub mean_rank: Vec<f64>,
}

/// The headline metric of one data set over the drawn cases that count for this model.
fn dataset_metric(model: &Cases<'_>, counted: &[bool], idx: &[u32], task: u8) -> f64 {
    let mut s = DatasetSums::default();
    for &i in idx {
        if counted[i as usize] {
            s.add_case(task, model, i as usize, 1.0, 0.0);
        }
    }
    s.metric(task)
}

fn u2_of(
    model: &Cases<'_>,
    counted: &[bool],
    drawn: &[(usize, Vec<u32>)],
    datasets: &Datasets<'_>,
    missing_cve_is_perfect: bool,
    metric: &mut [f64],
) -> f64 {
    metric.fill(f64::NAN);
    for (d, idx) in drawn {
        metric[*d] = dataset_metric(model, counted, idx, datasets.task[*d]);
    }
    aggregate::task_metrics_and_u2(metric, datasets, missing_cve_is_perfect).1
}

fn ranks_of(scores: &[f64]) -> Vec<usize> {
    scores.iter().map(|s| 1 + scores.iter().filter(|o| *o > s).count()).collect()
}

/// One data set's cases packed for resampling every model at once: case-major, so that the
/// `m` models' values of a drawn case lie side by side. For the case at position `p` of the data
/// set and model `j`, `weight[p·m + j]` is 1 when the case counts for that model (else 0, with a
/// value of 0), and `value[(p·m + j)·width ..]` holds what the data set's sum needs: the answer's
/// correctness (accuracy tasks), its squared error (CVE) or its 10 BLEU statistics (text tasks).
/// The sums come out exactly as `DatasetSums::add_case` makes them, in the same order.
struct Packed {
    task: u8,
    len: u32,
    width: usize,
    weight: Vec<f64>,
    value: Vec<f64>,
}

impl Packed {
    fn new(cases: &[u32], task: u8, views: &[Cases<'_>], counted: &[&[bool]]) -> Self {
        let width = if aggregate::is_text_task(task) { 10 } else { 1 };
        let m = views.len();
        let mut weight = Vec::with_capacity(cases.len() * m);
        let mut value = Vec::with_capacity(cases.len() * m * width);
        for &i in cases {
            let i = i as usize;
            for (view, counted) in views.iter().zip(counted) {
                let counts = counted[i];
                weight.push(if counts { 1.0 } else { 0.0 });
                if !counts {
                    value.extend(std::iter::repeat_n(0.0, width));
                } else if aggregate::is_accuracy_task(task) {
                    value.push(view.correct[i]);
                } else if task == aggregate::TASK_CVE {
                    value.push(view.error[i] * view.error[i]);
                } else {
                    value.extend(view.bleu[i * 10..i * 10 + 10].iter().map(|&v| v as f64));
                }
            }
        }
        Packed { task, len: cases.len() as u32, width, weight, value }
    }

    /// Draw the data set's cases once (`len` draws) and put each model's metric in `out` (length m).
    fn resample(&self, rng: &mut Rng, n: &mut [f64], sums: &mut [f64], out: &mut [f64]) {
        let (m, w) = (out.len(), self.width);
        n.fill(0.0);
        sums.fill(0.0);
        for _ in 0..self.len {
            let p = rng.below(self.len) as usize;
            for (a, b) in n.iter_mut().zip(&self.weight[p * m..(p + 1) * m]) {
                *a += b;
            }
            for (a, b) in sums.iter_mut().zip(&self.value[p * m * w..(p + 1) * m * w]) {
                *a += b;
            }
        }
        for (j, slot) in out.iter_mut().enumerate() {
            let mut s = DatasetSums { n: n[j], ..DatasetSums::default() };
            if aggregate::is_accuracy_task(self.task) {
                s.correct = sums[j];
            } else if self.task == aggregate::TASK_CVE {
                s.err2 = sums[j];
            } else {
                s.bleu.copy_from_slice(&sums[j * w..(j + 1) * w]);
            }
            *slot = s.metric(self.task);
        }
    }
}

/// Rank `models` jointly. `dataset_index` (length n) is shared by all models.
pub fn rank_bootstrap(
    dataset_index: &[i32],
    layout: &RunLayout<'_>,
    models: &ModelCases<'_>,
    two_stage: bool,
    resampling: Resampling,
) -> Ranks {
    let Resampling { n_resamples, seed, confidence } = resampling;
    let missing_cve_is_perfect = layout.missing_cve_is_perfect;
    let design = Design { missing_cve_is_perfect, two_stage, n_resamples, seed };
    let (point, dist) = joint_distribution(dataset_index, &layout.datasets, models, design);
    summarize(&point, &dist, models.n_models, confidence)
}

/// How the joint resamples are drawn and scored.
#[derive(Clone, Copy)]
struct Design {
    missing_cve_is_perfect: bool,
    /// Redraw each task's data sets before their cases (`redraw_datasets`).
    two_stage: bool,
    n_resamples: usize,
    /// The caller's seed, before `SEED_SALT`.
    seed: u64,
}

/// The joint sample seen per model and per data set: each model's cases, which of them count,
/// each data set's case positions, and each task's U2 data sets that have cases.
struct Layout<'a> {
    views: Vec<Cases<'a>>,
    counted: Vec<&'a [bool]>,
    by_dataset: Vec<Vec<u32>>,
    members: [Vec<usize>; 8],
}

impl<'a> Layout<'a> {
    fn new(dataset_index: &'a [i32], datasets: &Datasets<'_>, models: &ModelCases<'a>) -> Self {
        let (n, m, nd) = (dataset_index.len(), models.n_models, datasets.task.len());
        let views: Vec<Cases<'a>> = (0..m)
            .map(|j| Cases {
                dataset_index,
                correct: &models.correct[j * n..(j + 1) * n],
                error: &models.error[j * n..(j + 1) * n],
                bleu: &models.bleu[j * n * 10..(j + 1) * n * 10],
            })
            .collect();
        let counted: Vec<&'a [bool]> = (0..m).map(|j| &models.counted[j * n..(j + 1) * n]).collect();
        let mut by_dataset: Vec<Vec<u32>> = vec![Vec::new(); nd];
        for (i, &d) in dataset_index.iter().enumerate() {
            by_dataset[d as usize].push(i as u32);
        }
        let mut members: [Vec<usize>; 8] = Default::default();
        for (d, &t) in datasets.task.iter().enumerate() {
            if !by_dataset[d].is_empty() && datasets.in_u2[d] {
                members[t as usize].push(d);
            }
        }
        Layout { views, counted, by_dataset, members }
    }
}

/// The first stage of the two-stage design: each task's data sets redrawn with replacement, in
/// task order, appended to `chosen` (a data set drawn twice appears twice).
fn redraw_datasets(members: &[Vec<usize>; 8], rng: &mut Rng, chosen: &mut Vec<usize>) {
    for list in members {
        let len = list.len() as u32;
        for _ in 0..len {
            chosen.push(list[rng.below(len) as usize]);
        }
    }
}

/// Each model's U2 point estimate and its resampled U2s, resample-major `(n_resamples, m)`.
fn joint_distribution(
    dataset_index: &[i32],
    datasets: &Datasets<'_>,
    models: &ModelCases<'_>,
    design: Design,
) -> (Vec<f64>, Vec<f64>) {
    let Design { missing_cve_is_perfect, two_stage, n_resamples, seed } = design;
    let (m, nd) = (models.n_models, datasets.task.len());
    let Layout { views, counted, by_dataset, members } = Layout::new(dataset_index, datasets, models);
    let all: Vec<(usize, Vec<u32>)> = by_dataset.iter().cloned().enumerate().filter(|(_, v)| !v.is_empty()).collect();
    let mut metric = vec![0.0; nd];
    let point: Vec<f64> =
        (0..m).map(|j| u2_of(&views[j], counted[j], &all, datasets, missing_cve_is_perfect, &mut metric)).collect();
    let packed: Vec<Packed> =
        by_dataset.iter().enumerate().map(|(d, cases)| Packed::new(cases, datasets.task[d], &views, &counted)).collect();

    let dist = bootstrap::resample_rows(n_resamples, m, seed ^ SEED_SALT, |rng, rows| {
        let (mut drawn_n, mut sums) = (vec![0.0; m], vec![0.0; m * 10]);
        let mut chosen: Vec<usize> = Vec::new();
        // per chosen data set (a slot: one drawn twice fills two), each model's metric: slot-major
        let mut slot_metric: Vec<f64> = Vec::new();
        let mut metric = vec![0.0; nd];
        for row in rows.chunks_mut(m.max(1)) {
            // Which data sets enter this resample: all, or each task's redrawn with replacement
            // (a data set drawn twice enters twice, under a fresh slot). Then each one's cases, in
            // that order: the random stream is consumed as before packing, so results are unchanged.
            chosen.clear();
            if two_stage {
                redraw_datasets(&members, rng, &mut chosen);
            } else {
                chosen.extend(all.iter().map(|(d, _)| *d));
            }
            slot_metric.resize(chosen.len() * m, 0.0);
            for (slot, &d) in chosen.iter().enumerate() {
                let per_dataset = &mut slot_metric[slot * m..(slot + 1) * m];
                packed[d].resample(rng, &mut drawn_n, &mut sums[..m * packed[d].width], per_dataset);
            }
            for (j, value) in row.iter_mut().enumerate() {
                let of_model = slot_metric.iter().skip(j).step_by(m).copied();
                *value = if two_stage {
                    u2_two_stage(chosen.iter().copied().zip(of_model), datasets, missing_cve_is_perfect)
                } else {
                    metric.fill(f64::NAN);
                    for (&d, v) in chosen.iter().zip(of_model) {
                        metric[d] = v;
                    }
                    aggregate::task_metrics_and_u2(&metric, datasets, missing_cve_is_perfect).1
                };
            }
        }
    });
    (point, dist)
}

/// U2 when a data set may be drawn more than once: task metric = mean over the drawn slots.
fn u2_two_stage(
    slots: impl Iterator<Item = (usize, f64)>,
    datasets: &Datasets<'_>,
    missing_cve_is_perfect: bool,
) -> f64 {
    let mut means = TaskMeans::default();
    for (d, v) in slots {
        means.add(datasets.task[d], v);
    }
    let tasks = means.means();
    score::u2_score(&tasks, &score::WEIGHTS, missing_cve_is_perfect)
}

fn summarize(point: &[f64], dist: &[f64], m: usize, confidence: f64) -> Ranks {
    let b = dist.len().checked_div(m).unwrap_or(0);
    let alpha = (1.0 - confidence) / 2.0;
    let mut ranks: Vec<Vec<usize>> = vec![Vec::with_capacity(b); m];
    for row in dist.chunks_exact(m.max(1)) {
        for (j, r) in ranks_of(row).into_iter().enumerate() {
            ranks[j].push(r);
        }
    }
    let mut out = Ranks {
        u2: point.to_vec(),
        u2_interval: Vec::new(),
        rank: ranks_of(point),
        rank_interval: Vec::new(),
        p_first: Vec::new(),
        mean_rank: Vec::new(),
    };
    for (j, r) in ranks.iter_mut().enumerate() {
        let values: Vec<f64> = dist.iter().skip(j).step_by(m).copied().collect();
        out.u2_interval.push(intervals::intervals(values, point[j], f64::NAN, confidence).percentile);
        r.sort_unstable();
        let lo = ((alpha * b as f64).floor() as usize).min(b.saturating_sub(1));
        let hi = (((1.0 - alpha) * b as f64).ceil() as usize).clamp(1, b.max(1)) - 1;
        out.rank_interval.push((r[lo], r[hi]));
        out.p_first.push(r.iter().filter(|&&x| x == 1).count() as f64 / b as f64);
        out.mean_rank.push(r.iter().sum::<usize>() as f64 / b as f64);
    }
    out
}

#[cfg(test)]
#[path = "rank_bootstrap_tests.rs"]
mod tests;
