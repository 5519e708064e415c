//! What several bindings take and give alike: the confidence and text-pair checks, and interval
//! tables (the U2 aggregation's shared inputs are the classes of `run_inputs`).

use numpy::ndarray::Array2;
use numpy::IntoPyArray;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyDict;
use u2fast_core::statistics::intervals::{Interval, Intervals};

pub(crate) fn check_confidence(confidence: f64) -> PyResult<()> {
    if confidence > 0.0 && confidence < 1.0 {
        Ok(())
    } else {
        Err(PyValueError::new_err(format!("confidence must be in (0, 1), got {confidence}")))
    }
}

/// One reference list (not empty) per hypothesis.
pub(crate) fn check_pairs(hyps: &[PyBackedStr], refs: &[Vec<PyBackedStr>]) -> PyResult<()> {
    if hyps.len() != refs.len() {
        return Err(PyValueError::new_err(format!(
            "{} hypotheses but {} reference lists",
            hyps.len(),
            refs.len()
        )));
    }
    if let Some(i) = refs.iter().position(Vec::is_empty) {
        return Err(PyValueError::new_err(format!("pair {i} has no reference")));
    }
    Ok(())
}

/// `(columns, 2)` low/high table of one kind of interval.
fn table(intervals: &[Intervals], pick: fn(&Intervals) -> Interval) -> Array2<f64> {
    Array2::from_shape_fn((intervals.len(), 2), |(c, j)| {
        let iv = pick(&intervals[c]);
        if j == 0 {
            iv.low
        } else {
            iv.high
        }
    })
}

/// What a bootstrap over the columns of `intervals` gives: the `interval_percentile` table and
/// `standard_error`; with the jackknife `acceleration` (BCa designs) also `interval_bca` and the
/// acceleration; and the resampled values as `distribution` (resamples, columns) when kept.
pub(crate) fn set_resampled(
    out: &Bound<'_, PyDict>,
    intervals: &[Intervals],
    acceleration: Option<Vec<f64>>,
    distribution: Option<Vec<f64>>,
) -> PyResult<()> {
    let py = out.py();
    out.set_item("interval_percentile", table(intervals, |iv| iv.percentile).into_pyarray(py))?;
    if let Some(acceleration) = acceleration {
        out.set_item("interval_bca", table(intervals, |iv| iv.bca).into_pyarray(py))?;
        out.set_item("acceleration", acceleration.into_pyarray(py))?;
    }
    let se: Vec<f64> = intervals.iter().map(|iv| iv.standard_error).collect();
    out.set_item("standard_error", se.into_pyarray(py))?;
    if let Some(dist) = distribution {
        let width = intervals.len();
        let dist = Array2::from_shape_vec((dist.len() / width.max(1), width), dist).expect("rows × width values");
        out.set_item("distribution", dist.into_pyarray(py))?;
    }
    Ok(())
}
