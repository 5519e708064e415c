//! Bindings of the U2-specific resampling beyond one model's bootstrap: the joint rank bootstrap
//! of several models, and two-stage (data sets, then cases) intervals drawn from a stratified
//! bootstrap's distribution.

use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyReadonlyArray2, PyReadonlyArray3};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use u2fast_core::u2::cluster_bootstrap as cluster;
use u2fast_core::u2::rank_bootstrap as ranks;

use crate::args::set_resampled;
use crate::run_inputs::{Resampling, RunLayout};

/// Joint rank bootstrap of `m` models scored on the same `n` cases of one layout.
#[pyfunction]
#[pyo3(signature = (layout, correct, error, bleu, counted, resampling, *, two_stage = false))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn rank_bootstrap<'py>(
    py: Python<'py>,
    layout: &RunLayout,
    correct: PyReadonlyArray2<'py, f64>,
    error: PyReadonlyArray2<'py, f64>,
    bleu: PyReadonlyArray3<'py, i64>,
    counted: PyReadonlyArray2<'py, bool>,
    resampling: &Resampling,
    two_stage: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let settings = resampling.draws()?;
    let n = layout.dataset_index().len();
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
    let corr: Vec<f64> = correct.as_array().iter().copied().collect();
    let err: Vec<f64> = error.as_array().iter().copied().collect();
    let bl: Vec<i64> = bleu.as_array().iter().copied().collect();
    let cnt: Vec<bool> = counted.as_array().iter().copied().collect();
    let r = py.detach(|| {
        let models =
            ranks::ModelCases { n_models: m, correct: &corr, error: &err, bleu: &bl, counted: &cnt };
        ranks::rank_bootstrap(layout.dataset_index(), &layout.view(), &models, two_stage, settings)
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

/// Two-stage intervals built from a stratified bootstrap distribution `(b, datasets + 9)` of the
/// layout's data sets (as `aggregate_cases` with `return_distribution` gives it): keys as
/// `two_stage_bootstrap` without the point estimates.
#[pyfunction]
pub(crate) fn two_stage_from_distribution<'py>(
    py: Python<'py>,
    layout: &RunLayout,
    distribution: PyReadonlyArray2<'py, f64>,
    task_metric: [f64; 8],
    u2: f64,
    resampling: &Resampling,
) -> PyResult<Bound<'py, PyDict>> {
    let settings = resampling.draws()?;
    let nd = layout.datasets().task.len();
    let (rows, width) = distribution.as_array().dim();
    if width != nd + 9 || rows == 0 {
        return Err(PyValueError::new_err(format!(
            "distribution must be (resamples, {nd} data sets + 9), got ({rows}, {width})"
        )));
    }
    let dist: Vec<f64> = distribution.as_array().iter().copied().collect();
    let view = layout.view();
    let r = py.detach(|| cluster::two_stage_from_strata(&dist, width, &view, &task_metric, u2, settings));
    let out = PyDict::new(py);
    set_resampled(&out, &r.intervals, None, None)?;
    Ok(out)
}
