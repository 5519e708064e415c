//! Run-level aggregation bindings: per-case arrays in, a dict of numpy arrays out; one model
//! (`aggregate_cases`) or two on the same cases (`paired_aggregate_bootstrap`).

use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use u2fast_core::u2::aggregate::{self, RunPoint};
use u2fast_core::u2::{paired_bootstrap, stratified_bootstrap};

use crate::args::{
    aggregate_then, check_confidence, check_resamples, set_distribution, set_intervals, CaseArrays, DatasetArrays,
};

fn set_point(out: &Bound<'_, PyDict>, point: RunPoint) -> PyResult<()> {
    let py = out.py();
    let nd = point.dataset_n.len();
    out.set_item("dataset_n", point.dataset_n.iter().map(|&n| n as i64).collect::<Vec<_>>().into_pyarray(py))?;
    out.set_item("dataset_metric", point.dataset_metric.into_pyarray(py))?;
    let detail = &point.dataset_detail;
    out.set_item("dataset_mae", detail.iter().map(|d| d.mae).collect::<Vec<_>>().into_pyarray(py))?;
    out.set_item("dataset_std", detail.iter().map(|d| d.std).collect::<Vec<_>>().into_pyarray(py))?;
    out.set_item(
        "dataset_within_tolerance",
        detail.iter().map(|d| d.within_tolerance).collect::<Vec<_>>().into_pyarray(py),
    )?;
    let bleu_n = Array2::from_shape_fn((nd, 4), |(d, k)| detail[d].bleu_n[k]);
    out.set_item("dataset_bleu_n", bleu_n.into_pyarray(py))?;
    out.set_item("task_metric", point.task_metric.to_vec().into_pyarray(py))?;
    out.set_item("u2", point.u2)?;
    Ok(())
}

/// Per-dataset, per-task and U2 point estimates from per-case statistics.
#[pyfunction]
#[pyo3(signature = (dataset_index, dataset_task, dataset_in_u2, correct, error, bleu, *,
                    missing_cve_is_perfect = true, tolerance = 0.1, n_resamples = 0, seed = 0,
                    confidence = 0.95, return_distribution = false))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn aggregate_cases<'py>(
    py: Python<'py>,
    dataset_index: PyReadonlyArray1<'py, i32>,
    dataset_task: PyReadonlyArray1<'py, i8>,
    dataset_in_u2: PyReadonlyArray1<'py, bool>,
    correct: PyReadonlyArray1<'py, f64>,
    error: PyReadonlyArray1<'py, f64>,
    bleu: PyReadonlyArray2<'py, i64>,
    missing_cve_is_perfect: bool,
    tolerance: f64,
    n_resamples: usize,
    seed: u64,
    confidence: f64,
    return_distribution: bool,
) -> PyResult<Bound<'py, PyDict>> {
    check_confidence(confidence)?;
    if n_resamples == 1 {
        return Err(PyValueError::new_err("n_resamples must be 0 (no intervals) or at least 2"));
    }
    let cases = CaseArrays::new(&dataset_index, &correct, &error, &bleu)?;
    let datasets = DatasetArrays::new(&dataset_task, &dataset_in_u2);
    let (point, intervals) =
        aggregate_then(py, &cases, &datasets, missing_cve_is_perfect, tolerance, |cases, datasets, point| {
            (n_resamples > 0).then(|| {
                stratified_bootstrap::bootstrap_run(
                    cases,
                    datasets,
                    &point.dataset_metric,
                    missing_cve_is_perfect,
                    tolerance,
                    n_resamples,
                    seed,
                    confidence,
                    return_distribution,
                )
            })
        })?;
    let out = PyDict::new(py);
    set_point(&out, point)?;
    if let Some(r) = intervals {
        let w = r.intervals.len();
        set_intervals(&out, &r.intervals, true)?;
        out.set_item("acceleration", r.acceleration.into_pyarray(py))?;
        if let Some(dist) = r.distribution {
            set_distribution(&out, dist, w)?;
        }
    }
    Ok(out)
}

/// Paired stratified bootstrap of A − B on the same cases (one `dataset_index` for both): the
/// point estimates of each side (`a`, `b`: dicts as `aggregate_cases` without intervals), the
/// `difference` columns `[datasets..., 8 tasks, U2]`, their intervals and shift-method `pvalue`.
#[pyfunction]
#[pyo3(signature = (dataset_index, dataset_task, dataset_in_u2, correct_a, error_a, bleu_a, correct_b, error_b,
                    bleu_b, *, missing_cve_is_perfect = true, tolerance = 0.1, n_resamples = 1000, seed = 0,
                    confidence = 0.95, return_distribution = false))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn paired_aggregate_bootstrap<'py>(
    py: Python<'py>,
    dataset_index: PyReadonlyArray1<'py, i32>,
    dataset_task: PyReadonlyArray1<'py, i8>,
    dataset_in_u2: PyReadonlyArray1<'py, bool>,
    correct_a: PyReadonlyArray1<'py, f64>,
    error_a: PyReadonlyArray1<'py, f64>,
    bleu_a: PyReadonlyArray2<'py, i64>,
    correct_b: PyReadonlyArray1<'py, f64>,
    error_b: PyReadonlyArray1<'py, f64>,
    bleu_b: PyReadonlyArray2<'py, i64>,
    missing_cve_is_perfect: bool,
    tolerance: f64,
    n_resamples: usize,
    seed: u64,
    confidence: f64,
    return_distribution: bool,
) -> PyResult<Bound<'py, PyDict>> {
    check_confidence(confidence)?;
    check_resamples(n_resamples)?;
    let a = CaseArrays::new(&dataset_index, &correct_a, &error_a, &bleu_a)?;
    let b = CaseArrays::new(&dataset_index, &correct_b, &error_b, &bleu_b)?;
    let datasets = DatasetArrays::new(&dataset_task, &dataset_in_u2);
    let (point_a, point_b, r) = py
        .detach(|| {
            let (a, b, datasets) = (a.view(), b.view(), datasets.view());
            let pa = aggregate::aggregate(&a, &datasets, missing_cve_is_perfect, tolerance).map_err(|e| format!("A: {e}"))?;
            let pb = aggregate::aggregate(&b, &datasets, missing_cve_is_perfect, tolerance).map_err(|e| format!("B: {e}"))?;
            let r = paired_bootstrap::paired_bootstrap_run(
                &a,
                &b,
                &datasets,
                &pa.dataset_metric,
                &pb.dataset_metric,
                missing_cve_is_perfect,
                tolerance,
                n_resamples,
                seed,
                confidence,
                return_distribution,
            );
            Ok::<_, String>((pa, pb, r))
        })
        .map_err(PyValueError::new_err)?;
    let out = PyDict::new(py);
    for (key, point) in [("a", point_a), ("b", point_b)] {
        let side = PyDict::new(py);
        set_point(&side, point)?;
        out.set_item(key, side)?;
    }
    let w = r.intervals.len();
    out.set_item("difference", r.difference.into_pyarray(py))?;
    set_intervals(&out, &r.intervals, true)?;
    out.set_item("acceleration", r.acceleration.into_pyarray(py))?;
    out.set_item("pvalue", r.pvalue.into_pyarray(py))?;
    if let Some(dist) = r.distribution {
        set_distribution(&out, dist, w)?;
    }
    Ok(out)
}
