//! Paired stratified bootstrap of two models scored on the same cases: the difference A − B of
//! every dataset metric, task metric and U2, with percentile and BCa intervals and a p-value.
//!
//! Each resample draws, for every dataset, as many case indices as it has, from that dataset
//! only (as [`super::stratified_bootstrap`] does, with the same RNG streams), and uses the *same*
//! indices for both models: resample `k` of A and of B hold identical cases, so each side's
//! resampled values equal its own stratified bootstrap with that seed, and their differences form
//! the paired distribution. The BCa acceleration comes from the case-by-case differences of the
//! two jackknifes. The p-value is the shift method of [`bootstrap::paired_p_value`].

use super::aggregate::{Cases, RunLayout, TASK_CVE};
use super::stratified_bootstrap::{accelerations, columns, fill_task_and_u2, jackknife, pack, Stratum};
use crate::metrics::bleu;
use crate::statistics::bootstrap::{self, Resampling};
use crate::statistics::intervals::{self, Intervals, Rng};

/// Columns `[dataset metrics..., 8 task metrics, U2]` of A, of B and of A − B.
#[derive(Debug, Clone)]
pub struct PairedRun {
    pub estimate_a: Vec<f64>,
    pub estimate_b: Vec<f64>,
    pub difference: Vec<f64>,
    pub intervals: Vec<Intervals>,
    pub acceleration: Vec<f64>,
    /// Two-sided shift-method p-value of each column's difference.
    pub pvalue: Vec<f64>,
    /// Row-major `(n_resamples, n_datasets + 9)` resampled differences when requested.
    pub distribution: Option<Vec<f64>>,
}

/// The headline metric of one dataset of A and of B on the same resampled cases.
fn paired_resampled_metric(a: &Stratum, b: &Stratum, task: u8, rng: &mut Rng) -> (f64, f64) {
    let len = a.len() as u32;
    if len == 0 {
        return (f64::NAN, f64::NAN);
    }
    match (a, b) {
        (Stratum::Values(va), Stratum::Values(vb)) => {
            let (mut sa, mut sb) = (0.0, 0.0);
            for _ in 0..len {
                let i = rng.below(len) as usize;
                sa += va[i];
                sb += vb[i];
            }
            let (ma, mb) = (sa / f64::from(len), sb / f64::from(len));
            if task == TASK_CVE {
                (ma.sqrt(), mb.sqrt())
            } else {
                (ma, mb)
            }
        }
        (Stratum::Bleu(va), Stratum::Bleu(vb)) => {
            let (mut sa, mut sb) = ([0.0f64; 10], [0.0f64; 10]);
            for _ in 0..len {
                let i = rng.below(len) as usize;
                for ((x, y), (ra, rb)) in sa.iter_mut().zip(sb.iter_mut()).zip(va[i].iter().zip(&vb[i])) {
                    *x += ra;
                    *y += rb;
                }
            }
            let score = |s: [f64; 10]| 100.0 * bleu::coco_bleu(&s.map(|x| x as i64))[3];
            (score(sa), score(sb))
        }
        _ => unreachable!("both models' strata come from the same datasets"),
    }
}

/// Bootstrap A − B. `a` and `b` share `dataset_index` (the same cases, in the same order);
/// `point_a`/`point_b` are the dataset metrics of [`super::aggregate::aggregate`] on each.
pub fn paired_bootstrap_run(
    a: &Cases<'_>,
    b: &Cases<'_>,
    layout: &RunLayout<'_>,
    point_a: &[f64],
    point_b: &[f64],
    resampling: Resampling,
    keep_distribution: bool,
) -> PairedRun {
    assert_eq!(a.dataset_index, b.dataset_index, "a paired bootstrap needs the same cases on both sides");
    let RunLayout { datasets, missing_cve_is_perfect, .. } = *layout;
    let nd = datasets.task.len();
    let width = nd + 9;
    let (strata_a, strata_b) = (pack(a, &datasets), pack(b, &datasets));
    let dist = bootstrap::resample_rows(resampling.n_resamples, width, resampling.seed, |rng, rows| {
        let mut row_b = vec![0.0; width];
        for row in rows.chunks_mut(width) {
            for d in 0..nd {
                (row[d], row_b[d]) =
                    paired_resampled_metric(&strata_a[d], &strata_b[d], datasets.task[d], rng);
            }
            fill_task_and_u2(row, &datasets, missing_cve_is_perfect);
            fill_task_and_u2(&mut row_b, &datasets, missing_cve_is_perfect);
            for (x, y) in row.iter_mut().zip(&row_b) {
                *x -= y;
            }
        }
    });
    let estimate_a = columns(point_a, &datasets, missing_cve_is_perfect);
    let estimate_b = columns(point_b, &datasets, missing_cve_is_perfect);
    let difference: Vec<f64> = estimate_a.iter().zip(&estimate_b).map(|(x, y)| x - y).collect();
    let jack_a = jackknife(a, layout, point_a);
    let jack_b = jackknife(b, layout, point_b);
    let acceleration = accelerations(a.dataset_index, &datasets, &difference, &jack_a.minus(&jack_b));
    let intervals =
        intervals::column_intervals(&dist, width, &difference, &acceleration, resampling.confidence);
    let pvalue = (0..width)
        .map(|col| {
            let values: Vec<f64> = dist.iter().skip(col).step_by(width).copied().collect();
            bootstrap::paired_p_value(&values, difference[col])
        })
        .collect();
    PairedRun {
        estimate_a,
        estimate_b,
        difference,
        intervals,
        acceleration,
        pvalue,
        distribution: keep_distribution.then_some(dist),
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // the pairing makes the differences exact
mod tests {
    use super::*;
    use crate::u2::stratified_bootstrap::bootstrap_run;
    use crate::u2::test_fixtures::Run;

    #[test]
    fn differences_are_the_two_stratified_bootstraps_subtracted() {
        let run_a = Run::round_robin(&[0, 5, 6], 240)
            .correct_when(|i| i % 7 < 4)
            .errors(|i| (i % 11) as f64 / 30.0)
            .bleu_row([9, 9, 8, 7, 6, 5, 8, 7, 6, 5]);
        let run_b = Run::round_robin(&[0, 5, 6], 240)
            .correct_when(|i| i % 5 < 2)
            .errors(|i| (i % 13) as f64 / 20.0)
            .bleu_row([9, 9, 5, 3, 1, 0, 8, 7, 6, 5]);
        let (a, b, layout) = (run_a.cases(), run_b.cases(), run_a.layout());
        let (pa, pb) = (run_a.point(), run_b.point());
        let resampling = Resampling { n_resamples: 300, seed: 4, confidence: 0.95 };
        let r =
            paired_bootstrap_run(&a, &b, &layout, &pa.dataset_metric, &pb.dataset_metric, resampling, true);
        let ra = bootstrap_run(&a, &layout, &pa.dataset_metric, resampling, true);
        let rb = bootstrap_run(&b, &layout, &pb.dataset_metric, resampling, true);
        let (da, db) = (ra.distribution.unwrap(), rb.distribution.unwrap());
        let expected: Vec<f64> = da.iter().zip(&db).map(|(x, y)| x - y).collect();
        let got = r.distribution.unwrap();
        // tasks without datasets are NaN on both sides
        assert!(got.iter().zip(&expected).all(|(x, y)| x == y || (x.is_nan() && y.is_nan())));
        assert!(got.iter().any(|x| *x != 0.0 && !x.is_nan()));
        assert_eq!(r.difference[3 + 8], pa.u2 - pb.u2);
        let u2 = r.intervals[3 + 8].percentile;
        assert!(u2.low < r.difference[3 + 8] && r.difference[3 + 8] < u2.high);
        assert!(r.pvalue.iter().all(|p| *p > 0.0 && *p <= 1.0));
    }

    #[test]
    fn identical_models_give_zero_differences_and_p_one() {
        // an accuracy task: the (NaN) errors are never read
        let run = Run::new(&[1], vec![0; 50]).correct_when(|i| i % 3 == 0).errors(|_| f64::NAN);
        let (a, layout, p) = (run.cases(), run.layout(), run.point());
        let resampling = Resampling { n_resamples: 200, seed: 1, confidence: 0.95 };
        let r =
            paired_bootstrap_run(&a, &a, &layout, &p.dataset_metric, &p.dataset_metric, resampling, false);
        assert_eq!(r.intervals[0].percentile, intervals::Interval { low: 0.0, high: 0.0 });
        assert_eq!(r.pvalue[0], 1.0);
    }
}
