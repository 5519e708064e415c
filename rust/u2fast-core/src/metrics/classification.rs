//! Accuracy and macro-F1 over integer-coded labels.

/// Share of `true` values; `NaN` for an empty slice (no evidence is not zero accuracy).
pub fn accuracy(correct: &[bool]) -> f64 {
    if correct.is_empty() {
        return f64::NAN;
    }
    correct.iter().filter(|&&c| c).count() as f64 / correct.len() as f64
}

/// Macro-averaged F1 as scikit-learn's `f1_score(average="macro")` computes it without `labels=`:
/// the label set is the union of the labels present in `y_true` and `y_pred`, and a label with no
/// true and no predicted positives scores 0 (`zero_division=0`).
///
/// Labels are small non-negative integers (the caller interns strings).
pub fn macro_f1(y_true: &[u32], y_pred: &[u32]) -> f64 {
    assert_eq!(y_true.len(), y_pred.len(), "y_true and y_pred differ in length");
    if y_true.is_empty() {
        return f64::NAN;
    }
    let n_labels = y_true.iter().chain(y_pred).copied().max().map_or(0, |m| m as usize + 1);
    let mut tp = vec![0u64; n_labels];
    let mut n_true = vec![0u64; n_labels];
    let mut n_pred = vec![0u64; n_labels];
    for (&t, &p) in y_true.iter().zip(y_pred) {
        n_true[t as usize] += 1;
        n_pred[p as usize] += 1;
        if t == p {
            tp[t as usize] += 1;
        }
    }
    let mut sum = 0.0;
    let mut present = 0usize;
    for label in 0..n_labels {
        if n_true[label] == 0 && n_pred[label] == 0 {
            continue;
        }
        present += 1;
        let denom = n_true[label] + n_pred[label];
        // F1 = 2 TP / (2 TP + FP + FN) = 2 TP / (n_true + n_pred)
        sum += 2.0 * tp[label] as f64 / denom as f64;
    }
    sum / present as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accuracy_counts_true() {
        assert!((accuracy(&[true, false, true, true]) - 0.75).abs() < 1e-15);
        assert!(accuracy(&[]).is_nan());
    }

    #[test]
    fn macro_f1_matches_hand_computation() {
        // labels: 0,1,2 ; an invalid answer coded as 3 joins the label set with F1 = 0
        let t = [0, 0, 1, 1, 2];
        let p = [0, 1, 1, 1, 3];
        // label0: tp1 nt2 np1 -> 2/3 ; label1: tp2 nt2 np3 -> 4/5 ; label2: 0 ; label3: 0
        let expected = (2.0 / 3.0 + 0.8) / 4.0;
        assert!((macro_f1(&t, &p) - expected).abs() < 1e-15);
    }

    #[test]
    fn macro_f1_skips_absent_labels() {
        assert!((macro_f1(&[5, 5], &[5, 5]) - 1.0).abs() < 1e-15);
    }
}
