//! Confusion matrices with an explicit "unparsed/refused" column, one-vs-rest class statistics
//! with Wilson intervals, balanced accuracy and Cohen's κ (unweighted, linear, quadratic).
//!
//! Classes are integer codes `0..k`; a prediction coded `k` is an answer that named no class
//! (unparsed, refused, or an option outside the list). It is a false negative for the true class
//! and a false positive for none. Undefined ratios (a zero denominator) are `NaN`, never 0.

use super::intervals::{ndtri, Interval};

/// Counts, row-major `(k, k + 1)`: row = true class, column = predicted class or `k` (unparsed).
pub fn confusion_matrix(y_true: &[u32], y_pred: &[u32], n_classes: usize) -> Result<Vec<u64>, String> {
    if y_true.len() != y_pred.len() {
        return Err(format!("y_true has {} labels but y_pred has {}", y_true.len(), y_pred.len()));
    }
    let width = n_classes + 1;
    let mut counts = vec![0u64; n_classes * width];
    for (i, (&t, &p)) in y_true.iter().zip(y_pred).enumerate() {
        if t as usize >= n_classes {
            return Err(format!("y_true[{i}] = {t} is not a class code 0..{n_classes}"));
        }
        if p as usize > n_classes {
            return Err(format!("y_pred[{i}] = {p} is beyond the unparsed code {n_classes}"));
        }
        counts[t as usize * width + p as usize] += 1;
    }
    Ok(counts)
}

/// One class against the rest.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassCounts {
    pub tp: u64,
    pub fp: u64,
    pub fn_: u64,
    pub tn: u64,
}

impl ClassCounts {
    /// Cases whose truth is this class.
    pub fn support(&self) -> u64 {
        self.tp + self.fn_
    }
    pub fn sensitivity(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn specificity(&self) -> f64 {
        ratio(self.tn, self.tn + self.fp)
    }
    pub fn ppv(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn npv(&self) -> f64 {
        ratio(self.tn, self.tn + self.fn_)
    }
    /// `2TP / (2TP + FP + FN)`: defined whenever the class occurs in the truth or the predictions.
    pub fn f1(&self) -> f64 {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }
}

fn ratio(num: u64, den: u64) -> f64 {
    if den == 0 {
        f64::NAN
    } else {
        num as f64 / den as f64
    }
}

/// Per-class counts of a `(k, k + 1)` confusion matrix.
pub fn class_counts(counts: &[u64], n_classes: usize) -> Vec<ClassCounts> {
    let width = n_classes + 1;
    let total: u64 = counts.iter().sum();
    (0..n_classes)
        .map(|c| {
            let tp = counts[c * width + c];
            let row: u64 = counts[c * width..(c + 1) * width].iter().sum();
            let col: u64 = (0..n_classes).map(|r| counts[r * width + c]).sum();
            let (fn_, fp) = (row - tp, col - tp);
            ClassCounts { tp, fp, fn_, tn: total - tp - fn_ - fp }
        })
        .collect()
}

/// Wilson score interval of `successes / n` (Wilson 1927), as statsmodels'
/// `proportion_confint(method="wilson")` computes it, clipped to [0, 1]; `NaN` when `n` is 0.
pub fn wilson_interval(successes: f64, n: f64, confidence: f64) -> Interval {
    if n <= 0.0 || n.is_nan() || successes.is_nan() {
        return Interval::NAN;
    }
    let crit = -ndtri((1.0 - confidence) / 2.0);
    let crit2 = crit * crit;
    let q = successes / n;
    let denom = 1.0 + crit2 / n;
    let center = (q + crit2 / (2.0 * n)) / denom;
    let dist = crit * (q * (1.0 - q) / n + crit2 / (4.0 * n * n)).sqrt() / denom;
    Interval { low: (center - dist).clamp(0.0, 1.0), high: (center + dist).clamp(0.0, 1.0) }
}

/// Mean of the defined (non-`NaN`) values; `NaN` when none is defined.
pub fn macro_mean(values: &[f64]) -> f64 {
    let (s, n) = values.iter().filter(|v| !v.is_nan()).fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        f64::NAN
    } else {
        s / n as f64
    }
}

/// Support-weighted mean of the defined values (weights = cases of each class in the truth). As
/// scikit-learn's `average="weighted"` does, when every class with a defined value has support 0
/// (e.g. only precision of classes absent from the truth is defined) the plain mean is returned.
pub fn weighted_mean(values: &[f64], support: &[u64]) -> f64 {
    let (mut s, mut w) = (0.0, 0.0);
    for (&v, &n) in values.iter().zip(support) {
        if !v.is_nan() {
            s += v * n as f64;
            w += n as f64;
        }
    }
    if w == 0.0 {
        macro_mean(values)
    } else {
        s / w
    }
}

/// Mean recall over the classes present in the truth (scikit-learn's `balanced_accuracy_score`).
pub fn balanced_accuracy(classes: &[ClassCounts]) -> f64 {
    macro_mean(&classes.iter().map(ClassCounts::sensitivity).collect::<Vec<_>>())
}

/// Disagreement weights of Cohen's κ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KappaWeights {
    None,
    Linear,
    Quadratic,
}

/// Cohen's κ (Cohen 1960; weighted, Cohen 1968) of a square `(m, m)` table of counts, as
/// scikit-learn's `cohen_kappa_score` computes it: `1 − Σ w·O / Σ w·E` with `E` the outer product
/// of the margins over the total. `NaN` when there are no cases or the expected disagreement is 0.
pub fn cohen_kappa(table: &[u64], m: usize, weights: KappaWeights) -> f64 {
    let total: u64 = table.iter().sum();
    if total == 0 {
        return f64::NAN;
    }
    let rows: Vec<f64> = (0..m).map(|i| table[i * m..(i + 1) * m].iter().sum::<u64>() as f64).collect();
    let cols: Vec<f64> = (0..m).map(|j| (0..m).map(|i| table[i * m + j]).sum::<u64>() as f64).collect();
    let n = total as f64;
    let (mut observed, mut expected) = (0.0, 0.0);
    for i in 0..m {
        for j in 0..m {
            let d = i.abs_diff(j) as f64;
            let w = match weights {
                KappaWeights::None => f64::from(u8::from(i != j)),
                KappaWeights::Linear => d,
                KappaWeights::Quadratic => d * d,
            };
            observed += w * table[i * m + j] as f64;
            expected += w * rows[i] * cols[j] / n;
        }
    }
    if expected == 0.0 {
        return f64::NAN;
    }
    1.0 - observed / expected
}

/// The square `(k + 1, k + 1)` table of a `(k, k + 1)` confusion matrix: the unparsed column
/// becomes a category of its own that the truth never takes (so it always counts as disagreement).
pub fn square_with_unparsed(counts: &[u64], n_classes: usize) -> Vec<u64> {
    let m = n_classes + 1;
    let mut table = counts.to_vec();
    table.resize(m * m, 0);
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_unparsed_column() {
        // classes 0, 1; code 2 = unparsed
        let cm = confusion_matrix(&[0, 0, 1, 1, 1], &[0, 2, 1, 0, 2], 2).unwrap();
        assert_eq!(cm, vec![1, 0, 1, 1, 1, 1]);
        let c = class_counts(&cm, 2);
        assert_eq!(c[0], ClassCounts { tp: 1, fp: 1, fn_: 1, tn: 2 });
        assert_eq!(c[1], ClassCounts { tp: 1, fp: 0, fn_: 2, tn: 2 });
        assert!((balanced_accuracy(&c) - f64::midpoint(0.5, 1.0 / 3.0)).abs() < 1e-15);
        assert!(confusion_matrix(&[2], &[0], 2).unwrap_err().contains("y_true[0]"));
    }

    #[test]
    fn kappa_of_perfect_and_chance_agreement() {
        assert!((cohen_kappa(&[3, 0, 0, 2], 2, KappaWeights::None) - 1.0).abs() < 1e-15);
        assert!(cohen_kappa(&[4, 0, 0, 0], 2, KappaWeights::None).is_nan());
        assert!(cohen_kappa(&[1, 1, 1, 1], 2, KappaWeights::Quadratic).abs() < 1e-15);
    }

    #[test]
    fn wilson_reference_values() {
        // statsmodels proportion_confint(7, 20, method="wilson")
        let iv = wilson_interval(7.0, 20.0, 0.95);
        assert!((iv.low - 0.181_191_824_101_082_03).abs() < 1e-13, "{iv:?}");
        assert!((iv.high - 0.567_145_723_314_763_8).abs() < 1e-13, "{iv:?}");
        assert!(wilson_interval(0.0, 0.0, 0.95).low.is_nan());
    }
}
