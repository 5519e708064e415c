//! Bindings of the U2-specific resampling beyond the stratified bootstrap: the two-stage
//! (data sets, then cases) bootstrap of one model and the joint rank bootstrap of several.

use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyReadonlyArray1, PyReadonlyArray2, PyReadonlyArray3};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use u2fast_core::u2::cluster_bootstrap as cluster;
use u2fast_core::u2::rank_bootstrap as ranks;

use crate::args::{aggregate_then, check_confidence, check_resamples, set_intervals, CaseArrays, DatasetArrays};

fn check(confidence: f64, n_resamples: usize) -> PyResult<()> {
    check_confidence(confidence)?;
    check_resamples(n_resamples)
}

/// Two-stage bootstrap of the 8 task metrics and U2: percentile intervals `(9, 2)` and standard errors.
#[pyfunction]
#[pyo3(signature = (dataset_index, dataset_task, dataset_in_u2, correct, error, bleu, *,
                    missing_cve_is_perfect = true, n_resamples = 1000, seed = 0, confidence = 0.95))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn two_stage_bootstrap<'py>(
    py: Python<'py>,
    dataset_index: PyReadonlyArray1<'py, i32>,
    dataset_task: PyReadonlyArray1<'py, i8>,
    dataset_in_u2: PyReadonlyArray1<'py, bool>,
    correct: PyReadonlyArray1<'py, f64>,
    error: PyReadonlyArray1<'py, f64>,
    bleu: PyReadonlyArray2<'py, i64>,
    missing_cve_is_perfect: bool,
    n_resamples: usize,
    seed: u64,
    confidence: f64,
) -> PyResult<Bound<'py, PyDict>> {
    check(confidence, n_resamples)?;
    let cases = CaseArrays::new(&dataset_index, &correct, &error, &bleu)?;
    let datasets = DatasetArrays::new(&dataset_task, &dataset_in_u2);
    let (point, r) = aggregate_then(py, &cases, &datasets, missing_cve_is_perfect, 0.0, |cases, datasets, point| {
        cluster::two_stage_bootstrap(
            cases,
            datasets,
            &point.task_metric,
            point.u2,
            missing_cve_is_perfect,
            n_resamples,
            seed,
            confidence,
            false,
        )
    })?;
    let out = PyDict::new(py);
    out.set_item("task_metric", point.task_metric.to_vec().into_pyarray(py))?;
    out.set_item("u2", point.u2)?;
    set_intervals(&out, &r.intervals, false)?;
    Ok(out)
}

/// Joint rank bootstrap of `m` models scored on the same `n` cases.
#[pyfunction]
#[pyo3(signature = (dataset_index, dataset_task, dataset_in_u2, correct, error, bleu, counted, *,
                    missing_cve_is_perfect = true, two_stage = false, n_resamples = 1000, seed = 0,
                    confidence = 0.95))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn rank_bootstrap<'py>(
    py: Python<'py>,
    dataset_index: PyReadonlyArray1<'py, i32>,
    dataset_task: PyReadonlyArray1<'py, i8>,
    dataset_in_u2: PyReadonlyArray1<'py, bool>,
    correct: PyReadonlyArray2<'py, f64>,
    error: PyReadonlyArray2<'py, f64>,
    bleu: PyReadonlyArray3<'py, i64>,
    counted: PyReadonlyArray2<'py, bool>,
    missing_cve_is_perfect: bool,
    two_stage: bool,
    n_resamples: usize,
    seed: u64,
    confidence: f64,
) -> PyResult<Bound<'py, PyDict>> {
    check(confidence, n_resamples)?;
    let n = dataset_index.as_array().len();
    let (m, nc) = correct.as_array().dim();
    let shapes_ok = nc == n
        && error.as_array().dim() == (m, n)
        && counted.as_array().dim() == (m, n)
        && bleu.as_array().dim() == (m, n, 10);
    if !shapes_ok {
        return Err(PyValueError::new_err(format!(
            "per-model arrays must be (models, {n}) and bleu (models, {n}, 10); got correct {:?}, error {:?}, \
             counted {:?}, bleu {:?}",
            correct.as_array().dim(),
            error.as_array().dim(),
            counted.as_array().dim(),
            bleu.as_array().dim()
        )));
    }
    let ds = DatasetArrays::checked(&dataset_task, &dataset_in_u2)?;
    let idx = dataset_index.as_array().to_vec();
    let nd = ds.task.len();
    if let Some((i, d)) = idx.iter().enumerate().find(|(_, &d)| d < 0 || d as usize >= nd) {
        return Err(PyValueError::new_err(format!("dataset_index[{i}] = {d} is outside 0..{nd}")));
    }
    let corr: Vec<f64> = correct.as_array().iter().copied().collect();
    let err: Vec<f64> = error.as_array().iter().copied().collect();
    let bl: Vec<i64> = bleu.as_array().iter().copied().collect();
    let cnt: Vec<bool> = counted.as_array().iter().copied().collect();
    let r = py.detach(|| {
        let datasets = ds.view();
        let models =
            ranks::ModelCases { n_models: m, correct: &corr, error: &err, bleu: &bl, counted: &cnt };
        ranks::rank_bootstrap(
            &idx,
            &datasets,
            &models,
            missing_cve_is_perfect,
            two_stage,
            n_resamples,
            seed,
            confidence,
        )
    });
    let out = PyDict::new(py);
    out.set_item("u2", r.u2.into_pyarray(py))?;
    let iv = Array2::from_shape_fn((m, 2), |(j, k)| if k == 0 { r.u2_interval[j].low } else { r.u2_interval[j].high });
    out.set_item("u2_interval", iv.into_pyarray(py))?;
    out.set_item("rank", r.rank.iter().map(|&x| x as i64).collect::<Vec<_>>().into_pyarray(py))?;
    let ri = Array2::from_shape_fn((m, 2), |(j, k)| {
        let (lo, hi) = r.rank_interval[j];
        (if k == 0 { lo } else { hi }) as i64
    });
    out.set_item("rank_interval", ri.into_pyarray(py))?;
    out.set_item("p_first", r.p_first.into_pyarray(py))?;
    out.set_item("mean_rank", r.mean_rank.into_pyarray(py))?;
    Ok(out)
}

/// Two-stage intervals built from a stratified bootstrap distribution `(b, datasets + 9)` (as
/// `aggregate_cases(..., return_distribution=True)` gives it): keys as `two_stage_bootstrap`.
#[pyfunction]
#[pyo3(signature = (distribution, dataset_task, dataset_in_u2, task_metric, u2, *, missing_cve_is_perfect = true,
                    n_resamples = 1000, seed = 0, confidence = 0.95))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn two_stage_from_distribution<'py>(
    py: Python<'py>,
    distribution: PyReadonlyArray2<'py, f64>,
    dataset_task: PyReadonlyArray1<'py, i8>,
    dataset_in_u2: PyReadonlyArray1<'py, bool>,
    task_metric: [f64; 8],
    u2: f64,
    missing_cve_is_perfect: bool,
    n_resamples: usize,
    seed: u64,
    confidence: f64,
) -> PyResult<Bound<'py, PyDict>> {
    check(confidence, n_resamples)?;
    let ds = DatasetArrays::checked(&dataset_task, &dataset_in_u2)?;
    let (rows, width) = distribution.as_array().dim();
    if width != ds.task.len() + 9 || rows == 0 {
        return Err(PyValueError::new_err(format!(
            "distribution must be (resamples, {} data sets + 9), got ({rows}, {width})",
            ds.task.len()
        )));
    }
    let dist: Vec<f64> = distribution.as_array().iter().copied().collect();
    let r = py.detach(|| {
        let datasets = ds.view();
        cluster::two_stage_from_strata(
            &dist,
            width,
            &datasets,
            &task_metric,
            u2,
            missing_cve_is_perfect,
            n_resamples,
            seed,
            confidence,
        )
    });
    let out = PyDict::new(py);
    set_intervals(&out, &r.intervals, false)?;
    Ok(out)
}
