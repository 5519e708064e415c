//! Run-level aggregation bindings: a run's layout and case columns in, a dict of numpy arrays out;
//! one model (`aggregate_cases`, stratified or two-stage intervals) or two on the same cases
//! (`paired_aggregate_bootstrap`).

use numpy::ndarray::Array2;
use numpy::IntoPyArray;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use u2fast_core::u2::aggregate::RunPoint;
use u2fast_core::u2::cluster_bootstrap as cluster;
use u2fast_core::u2::{paired_bootstrap, stratified_bootstrap};

use crate::args::set_resampled;
use crate::run_inputs::{CaseColumns, Resampling, RunLayout};

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

/// Per-dataset, per-task and U2 point estimates of one model's cases and, when `resampling` draws
/// any, intervals by one of two designs: stratified (cases within their data set; every data set,
/// task and U2, with BCa) or, with `two_stage`, data sets then cases (the 8 tasks and U2).
#[pyfunction]
#[pyo3(signature = (layout, cases, resampling, *, two_stage = false))]
pub(crate) fn aggregate_cases<'py>(
    py: Python<'py>,
    layout: &RunLayout,
    cases: &CaseColumns,
    resampling: &Resampling,
    two_stage: bool,
) -> PyResult<Bound<'py, PyDict>> {
    if two_stage {
        resampling.draws()?;
    }
    let (point, resampled) = layout.aggregate_then(py, cases, |point| {
        let (columns, view, settings) = (layout.cases(cases), layout.view(), resampling.settings());
        let keep = resampling.return_distribution;
        if two_stage {
            let r =
                cluster::two_stage_bootstrap(&columns, &view, &point.task_metric, point.u2, settings, keep);
            return Some((r.intervals, None, r.distribution));
        }
        (resampling.n_resamples > 0).then(|| {
            let r =
                stratified_bootstrap::bootstrap_run(&columns, &view, &point.dataset_metric, settings, keep);
            (r.intervals, Some(r.acceleration), r.distribution)
        })
    })?;
    let out = PyDict::new(py);
    set_point(&out, point)?;
    if let Some((intervals, acceleration, distribution)) = resampled {
        set_resampled(&out, &intervals, acceleration, distribution)?;
    }
    Ok(out)
}

/// Paired stratified bootstrap of A − B on the same cases (one layout for both): the point
/// estimates of each side (`a`, `b`: dicts as `aggregate_cases` without intervals), the
/// `difference` columns `[datasets..., 8 tasks, U2]`, their intervals and shift-method `pvalue`.
#[pyfunction]
pub(crate) fn paired_aggregate_bootstrap<'py>(
    py: Python<'py>,
    layout: &RunLayout,
    a: &CaseColumns,
    b: &CaseColumns,
    resampling: &Resampling,
) -> PyResult<Bound<'py, PyDict>> {
    let settings = resampling.draws()?;
    let (point_a, point_b, r) = py
        .detach(|| {
            let pa = layout.aggregate(a).map_err(|e| format!("A: {e}"))?;
            let pb = layout.aggregate(b).map_err(|e| format!("B: {e}"))?;
            let r = paired_bootstrap::paired_bootstrap_run(
                &layout.cases(a),
                &layout.cases(b),
                &layout.view(),
                &pa.dataset_metric,
                &pb.dataset_metric,
                settings,
                resampling.return_distribution,
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
    out.set_item("difference", r.difference.into_pyarray(py))?;
    out.set_item("pvalue", r.pvalue.into_pyarray(py))?;
    set_resampled(&out, &r.intervals, Some(r.acceleration), r.distribution)?;
    Ok(out)
}
