//! Thin pyo3 layer over `u2fast-core`. Every exported item is listed in the one `#[pymodule]`
//! below; Rust-side errors become Python exceptions only here.

// pyo3 hands every argument over by value (numpy views included), so this lint cannot be met here.
#![allow(clippy::needless_pass_by_value)]

use numpy::PyReadonlyArray1;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use u2fast_core::metrics::{classification, regression};
use u2fast_core::u2::score;

mod aggregate_py;
mod args;
mod bleu_py;
mod bootstrap_py;
mod chrf_py;
mod cluster_py;
mod cider_py;
mod digest_py;
mod jpeg;
mod mcnemar_py;
mod png_frame;
mod rouge_py;
mod run_inputs;
mod statistics_py;
mod spatial_py;
mod ter_py;
mod thumbnail_py;

/// Share of true values in a boolean array (NaN when empty).
#[pyfunction]
fn accuracy(correct: PyReadonlyArray1<'_, bool>) -> PyResult<f64> {
    Ok(classification::accuracy(correct.as_slice()?))
}

/// scikit-learn-compatible macro F1 over integer-coded labels.
#[pyfunction]
fn macro_f1(y_true: PyReadonlyArray1<'_, u32>, y_pred: PyReadonlyArray1<'_, u32>) -> PyResult<f64> {
    let (t, p) = (y_true.as_slice()?, y_pred.as_slice()?);
    if t.len() != p.len() {
        return Err(PyValueError::new_err(format!(
            "y_true has {} labels but y_pred has {}",
            t.len(),
            p.len()
        )));
    }
    Ok(classification::macro_f1(t, p))
}

/// RMSE, MAE, Std and % within tolerance of normalized errors.
#[pyfunction]
#[pyo3(signature = (y_true, y_pred, low, high, tolerance = 0.1))]
fn regression_summary(
    y_true: PyReadonlyArray1<'_, f64>,
    y_pred: PyReadonlyArray1<'_, f64>,
    low: f64,
    high: f64,
    tolerance: f64,
) -> PyResult<(usize, f64, f64, f64, f64)> {
    let (t, p) = (y_true.as_slice()?, y_pred.as_slice()?);
    if t.len() != p.len() {
        return Err(PyValueError::new_err("y_true and y_pred differ in length"));
    }
    if high.partial_cmp(&low) != Some(std::cmp::Ordering::Greater) {
        return Err(PyValueError::new_err(format!("invalid range: low={low} high={high}")));
    }
    let errors: Vec<f64> = t
        .iter()
        .zip(p)
        .map(|(&a, &b)| regression::normalize(a, low, high) - regression::normalize(b, low, high))
        .collect();
    let s = regression::summarize_errors(&errors, tolerance);
    Ok((s.n, s.rmse, s.mae, s.std, s.within_tolerance))
}

/// Unweighted mean over datasets, skipping NaN.
#[pyfunction]
fn mean_over_datasets(values: Vec<f64>) -> f64 {
    score::mean_over_datasets(&values)
}

/// U2 from eight raw task metrics in DD, VRA, LL, OD, KD, CVE, RG, CG order.
#[pyfunction]
#[pyo3(signature = (metrics, weights, missing_cve_is_perfect = true))]
fn u2_score(metrics: [f64; 8], weights: [f64; 8], missing_cve_is_perfect: bool) -> f64 {
    score::u2_score(&metrics, &weights, missing_cve_is_perfect)
}

/// The score one raw task metric contributes before weighting (clipped to [0, 1]).
#[pyfunction]
#[pyo3(signature = (task_index, metric, missing_cve_is_perfect = true))]
fn u2_task_score(task_index: usize, metric: f64, missing_cve_is_perfect: bool) -> PyResult<f64> {
    if task_index >= 8 {
        return Err(PyValueError::new_err(format!("task_index must be 0..7, got {task_index}")));
    }
    Ok(score::task_score(task_index, metric, missing_cve_is_perfect))
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("U2_TASKS", score::TASKS.to_vec())?;
    m.add("U2_WEIGHTS", score::WEIGHTS.to_vec())?;
    m.add_class::<run_inputs::RunLayout>()?;
    m.add_class::<run_inputs::CaseColumns>()?;
    m.add_class::<run_inputs::Resampling>()?;
    m.add_function(wrap_pyfunction!(accuracy, m)?)?;
    m.add_function(wrap_pyfunction!(macro_f1, m)?)?;
    m.add_function(wrap_pyfunction!(regression_summary, m)?)?;
    m.add_function(wrap_pyfunction!(mean_over_datasets, m)?)?;
    m.add_function(wrap_pyfunction!(u2_score, m)?)?;
    m.add_function(wrap_pyfunction!(u2_task_score, m)?)?;
    m.add_function(wrap_pyfunction!(bleu_py::bleu_stats, m)?)?;
    m.add_function(wrap_pyfunction!(bleu_py::coco_bleu_score, m)?)?;
    m.add_function(wrap_pyfunction!(bleu_py::coco_sentence_scores, m)?)?;
    m.add_function(wrap_pyfunction!(bleu_py::sacrebleu_score, m)?)?;
    m.add_function(wrap_pyfunction!(bleu_py::sacrebleu_sentence_scores, m)?)?;
    m.add_function(wrap_pyfunction!(aggregate_py::aggregate_cases, m)?)?;
    m.add_function(wrap_pyfunction!(aggregate_py::paired_aggregate_bootstrap, m)?)?;
    m.add_function(wrap_pyfunction!(bootstrap_py::bootstrap_sums, m)?)?;
    m.add_function(wrap_pyfunction!(mcnemar_py::mcnemar_many, m)?)?;
    m.add_function(wrap_pyfunction!(rouge_py::rouge_scores, m)?)?;
    m.add_function(wrap_pyfunction!(rouge_py::coco_rouge_l, m)?)?;
    m.add_function(wrap_pyfunction!(rouge_py::porter_stem, m)?)?;
    m.add_function(wrap_pyfunction!(statistics_py::confusion_counts, m)?)?;
    m.add_function(wrap_pyfunction!(statistics_py::class_statistics, m)?)?;
    m.add_function(wrap_pyfunction!(statistics_py::kappa_of_table, m)?)?;
    m.add_function(wrap_pyfunction!(statistics_py::wilson_many, m)?)?;
    m.add_function(wrap_pyfunction!(statistics_py::measurement_errors, m)?)?;
    m.add_function(wrap_pyfunction!(statistics_py::bland_altman, m)?)?;
    m.add_function(wrap_pyfunction!(statistics_py::icc3, m)?)?;
    m.add_function(wrap_pyfunction!(statistics_py::ccc, m)?)?;
    m.add_function(wrap_pyfunction!(statistics_py::adjust_pvalues, m)?)?;
    m.add_function(wrap_pyfunction!(statistics_py::cochran_q, m)?)?;
    m.add_function(wrap_pyfunction!(statistics_py::minimal_detectable_difference, m)?)?;
    m.add_function(wrap_pyfunction!(cluster_py::rank_bootstrap, m)?)?;
    m.add_function(wrap_pyfunction!(cluster_py::two_stage_from_distribution, m)?)?;
    m.add_function(wrap_pyfunction!(cider_py::cider_d, m)?)?;
    m.add_function(wrap_pyfunction!(rouge_py::rouge_tokens, m)?)?;
    m.add_function(wrap_pyfunction!(spatial_py::spatial_scores, m)?)?;
    m.add_function(wrap_pyfunction!(chrf_py::chrf_stats, m)?)?;
    m.add_function(wrap_pyfunction!(chrf_py::chrf_scores, m)?)?;
    m.add_function(wrap_pyfunction!(ter_py::ter_stats, m)?)?;
    m.add_function(wrap_pyfunction!(ter_py::ter_scores, m)?)?;
    m.add_function(wrap_pyfunction!(ter_py::ter_corpus_score, m)?)?;
    m.add_function(wrap_pyfunction!(thumbnail_py::png_thumbnail_jpeg, m)?)?;
    m.add_function(wrap_pyfunction!(digest_py::blake3_hex, m)?)?;
    Ok(())
}
