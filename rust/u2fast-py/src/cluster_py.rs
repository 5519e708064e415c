//! Bindings of the U2-specific resampling beyond the stratified bootstrap: the two-stage
//! (data sets, then cases) bootstrap of one model and the joint rank bootstrap of several.

use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyReadonlyArray1, PyReadonlyArray2, PyReadonlyArray3};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use u2fast_core::u2::aggregate::{self, Cases, Datasets};
use u2fast_core::u2::cluster_bootstrap as cluster;
use u2fast_core::u2::rank_bootstrap as ranks;

fn check(confidence: f64, n_resamples: usize) -> PyResult<()> {
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(PyValueError::new_err(format!("confidence must be in (0, 1), got {confidence}")));
    }
    if n_resamples < 2 {
        return Err(PyValueError::new_err(format!("n_resamples must be at least 2, got {n_resamples}")));
    }
    Ok(())
}

fn tasks_of(dataset_task: &PyReadonlyArray1<'_, i8>) -> Vec<u8> {
    dataset_task.as_array().iter().map(|&t| if t < 0 { u8::MAX } else { t as u8 }).collect()
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
    if bleu.as_array().ncols() != 10 {
        return Err(PyValueError::new_err("bleu must have 10 columns"));
    }
    let task = tasks_of(&dataset_task);
    let bleu_flat: Vec<i64> = bleu.as_array().iter().copied().collect();
    let (idx, corr, err) = (dataset_index.as_array().to_vec(), correct.as_array().to_vec(), error.as_array().to_vec());
    let in_u2 = dataset_in_u2.as_array().to_vec();
    let (point, r) = py
        .detach(|| {
            let cases = Cases { dataset_index: &idx, correct: &corr, error: &err, bleu: &bleu_flat };
            let datasets = Datasets { task: &task, in_u2: &in_u2 };
            let point = aggregate::aggregate(&cases, &datasets, missing_cve_is_perfect, 0.0)?;
            let r = cluster::two_stage_bootstrap(
                &cases,
                &datasets,
                &point.task_metric,
                point.u2,
                missing_cve_is_perfect,
                n_resamples,
                seed,
                confidence,
                false,
            );
            Ok::<_, String>((point, r))
        })
        .map_err(PyValueError::new_err)?;
    let out = PyDict::new(py);
    out.set_item("task_metric", point.task_metric.to_vec().into_pyarray(py))?;
    out.set_item("u2", point.u2)?;
    let pct = Array2::from_shape_fn((9, 2), |(c, j)| {
        let iv = r.intervals[c].percentile;
        if j == 0 {
            iv.low
        } else {
            iv.high
        }
    });
    out.set_item("interval_percentile", pct.into_pyarray(py))?;
    out.set_item(
        "standard_error",
        r.intervals.iter().map(|iv| iv.standard_error).collect::<Vec<_>>().into_pyarray(py),
    )?;
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
    let task = tasks_of(&dataset_task);
    let in_u2 = dataset_in_u2.as_array().to_vec();
    let idx = dataset_index.as_array().to_vec();
    let nd = task.len();
    if let Some((i, d)) = idx.iter().enumerate().find(|(_, &d)| d < 0 || d as usize >= nd) {
        return Err(PyValueError::new_err(format!("dataset_index[{i}] = {d} is outside 0..{nd}")));
    }
    if let Some((d, t)) = task.iter().enumerate().find(|(_, &t)| t > 7) {
        return Err(PyValueError::new_err(format!("dataset_task[{d}] = {t} is not a task code 0..7")));
    }
    if in_u2.len() != nd {
        return Err(PyValueError::new_err("dataset_task and dataset_in_u2 differ in length"));
    }
    let corr: Vec<f64> = correct.as_array().iter().copied().collect();
    let err: Vec<f64> = error.as_array().iter().copied().collect();
    let bl: Vec<i64> = bleu.as_array().iter().copied().collect();
    let cnt: Vec<bool> = counted.as_array().iter().copied().collect();
    let r = py.detach(|| {
        let datasets = Datasets { task: &task, in_u2: &in_u2 };
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
    let task = tasks_of(&dataset_task);
    let in_u2 = dataset_in_u2.as_array().to_vec();
    let (rows, width) = distribution.as_array().dim();
    if width != task.len() + 9 || in_u2.len() != task.len() || rows == 0 {
        return Err(PyValueError::new_err(format!(
            "distribution must be (resamples, {} data sets + 9), got ({rows}, {width})",
            task.len()
        )));
    }
    if let Some((d, t)) = task.iter().enumerate().find(|(_, &t)| t > 7) {
        return Err(PyValueError::new_err(format!("dataset_task[{d}] = {t} is not a task code 0..7")));
    }
    let dist: Vec<f64> = distribution.as_array().iter().copied().collect();
    let r = py.detach(|| {
        let datasets = Datasets { task: &task, in_u2: &in_u2 };
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
    let pct = Array2::from_shape_fn((9, 2), |(c, j)| {
        let iv = r.intervals[c].percentile;
        if j == 0 {
            iv.low
        } else {
            iv.high
        }
    });
    out.set_item("interval_percentile", pct.into_pyarray(py))?;
    out.set_item(
        "standard_error",
        r.intervals.iter().map(|iv| iv.standard_error).collect::<Vec<_>>().into_pyarray(py),
    )?;
    Ok(out)
}
