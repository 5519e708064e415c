//! Run-level aggregation binding: per-case arrays in, a dict of numpy arrays out.

use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use u2fast_core::u2::aggregate::{self, Cases, Datasets};
use u2fast_core::u2::stratified_bootstrap;

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
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(PyValueError::new_err(format!("confidence must be in (0, 1), got {confidence}")));
    }
    if n_resamples == 1 {
        return Err(PyValueError::new_err("n_resamples must be 0 (no intervals) or at least 2"));
    }
    if bleu.as_array().ncols() != 10 {
        return Err(PyValueError::new_err(format!(
            "bleu must have 10 columns, got {}",
            bleu.as_array().ncols()
        )));
    }
    let task: Vec<u8> =
        dataset_task.as_array().iter().map(|&t| if t < 0 { u8::MAX } else { t as u8 }).collect();
    let bleu_flat: Vec<i64> = bleu.as_array().iter().copied().collect();
    let idx = dataset_index.as_array().to_vec();
    let corr = correct.as_array().to_vec();
    let err = error.as_array().to_vec();
    let in_u2 = dataset_in_u2.as_array().to_vec();
    let (point, intervals) = py
        .detach(|| {
            let cases = Cases { dataset_index: &idx, correct: &corr, error: &err, bleu: &bleu_flat };
            let datasets = Datasets { task: &task, in_u2: &in_u2 };
            let point = aggregate::aggregate(&cases, &datasets, missing_cve_is_perfect, tolerance)?;
            let intervals = (n_resamples > 0).then(|| {
                stratified_bootstrap::bootstrap_run(
                    &cases,
                    &datasets,
                    &point.dataset_metric,
                    missing_cve_is_perfect,
                    tolerance,
                    n_resamples,
                    seed,
                    confidence,
                    return_distribution,
                )
            });
            Ok::<_, String>((point, intervals))
        })
        .map_err(PyValueError::new_err)?;
    let out = PyDict::new(py);
    let nd = point.dataset_n.len();
    out.set_item(
        "dataset_n",
        point.dataset_n.iter().map(|&n| n as i64).collect::<Vec<_>>().into_pyarray(py),
    )?;
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
    if let Some(r) = intervals {
        let w = r.intervals.len();
        let pct = Array2::from_shape_fn((w, 2), |(c, j)| {
            let iv = r.intervals[c].percentile;
            if j == 0 {
                iv.low
            } else {
                iv.high
            }
        });
        let bca = Array2::from_shape_fn((w, 2), |(c, j)| {
            let iv = r.intervals[c].bca;
            if j == 0 {
                iv.low
            } else {
                iv.high
            }
        });
        out.set_item("interval_percentile", pct.into_pyarray(py))?;
        out.set_item("interval_bca", bca.into_pyarray(py))?;
        out.set_item(
            "standard_error",
            r.intervals.iter().map(|iv| iv.standard_error).collect::<Vec<_>>().into_pyarray(py),
        )?;
        out.set_item("acceleration", r.acceleration.into_pyarray(py))?;
        if let Some(dist) = r.distribution {
            let dist = Array2::from_shape_vec((n_resamples, w), dist).expect("shape matches");
            out.set_item("distribution", dist.into_pyarray(py))?;
        }
    }
    Ok(out)
}
