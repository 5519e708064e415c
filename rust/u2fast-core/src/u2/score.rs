//! The U2-Score: a weighted sum of eight clipped task scores (docs/u2bench.md section 6).

/// Task order used by every array in this module.
pub const TASKS: [&str; 8] = ["DD", "VRA", "LL", "OD", "KD", "CVE", "RG", "CG"];

/// Published weights (each task's share of the cases, rounded to two decimals).
pub const WEIGHTS: [f64; 8] = [0.20, 0.20, 0.07, 0.27, 0.07, 0.07, 0.08, 0.04];

/// Turn a raw task metric into the score that enters U2, clipped to [0, 1].
///
/// DD..KD are accuracies in [0, 1]; CVE is an RMSE on normalized values (the score is 1 − RMSE);
/// RG and CG are BLEU-4 in percent. A missing (`NaN`) metric contributes 0, except that a missing
/// CVE RMSE counts as 0 error when `missing_cve_is_perfect` (the official script's quirk, docs/u2bench.md A5).
pub fn task_score(task_index: usize, metric: f64, missing_cve_is_perfect: bool) -> f64 {
    let raw = match task_index {
        5 => {
            if metric.is_nan() {
                if missing_cve_is_perfect {
                    1.0
                } else {
                    0.0
                }
            } else {
                1.0 - metric
            }
        }
        6 | 7 => metric / 100.0,
        _ => metric,
    };
    if raw.is_nan() {
        0.0
    } else {
        raw.clamp(0.0, 1.0)
    }
}

/// U2 from the eight raw task metrics (in `TASKS` order) and weights.
pub fn u2_score(metrics: &[f64; 8], weights: &[f64; 8], missing_cve_is_perfect: bool) -> f64 {
    metrics
        .iter()
        .zip(weights)
        .enumerate()
        .map(|(i, (&m, &w))| w * task_score(i, m, missing_cve_is_perfect))
        .sum()
}

/// Unweighted mean of per-dataset values, skipping `NaN` (a dataset with no valid rows);
/// `NaN` when nothing is left: the generic macro mean, under the name U2 scoring speaks of.
pub fn mean_over_datasets(values: &[f64]) -> f64 {
    crate::statistics::confusion::macro_mean(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gpt4o_worked_example() {
        // docs/u2bench.md 6.3
        let m = [0.4928, 0.1504, 0.1161, 0.0850, 0.0840, 0.3712, 2.68, 33.77];
        let u = u2_score(&m, &WEIGHTS, true);
        assert!((u - 0.225_265).abs() < 1e-9, "{u}");
        assert!(((u * 1e4).round() / 1e4 - 0.2253).abs() < 1e-12);
    }

    #[test]
    fn random_baseline() {
        let m = [0.4143, 0.3195, 0.1118, 0.0680, 0.1120, 0.5472, f64::NAN, f64::NAN];
        assert!(((u2_score(&m, &WEIGHTS, true) * 1e4).round() / 1e4 - 0.2125).abs() < 1e-12);
    }

    #[test]
    fn clipping_and_missing() {
        assert!((task_score(5, 1.7, true)).abs() < 1e-15);
        assert!((task_score(5, f64::NAN, true) - 1.0).abs() < 1e-15);
        assert!(task_score(5, f64::NAN, false).abs() < 1e-15);
        assert!(task_score(0, f64::NAN, true).abs() < 1e-15);
        assert!((task_score(6, 250.0, true) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn dataset_mean_skips_nan() {
        assert!((mean_over_datasets(&[0.2, f64::NAN, 0.4]) - 0.3).abs() < 1e-15);
        assert!(mean_over_datasets(&[f64::NAN]).is_nan());
    }
}
