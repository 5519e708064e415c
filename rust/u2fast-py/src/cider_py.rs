//! CIDEr-D binding: pycocoevalcap's per-segment scores as a float64 array.

use numpy::{IntoPyArray, PyArray1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use u2fast_core::metrics::cider;

use crate::args::check_pairs;

/// pycocoevalcap `Cider(sigma=sigma)` per-segment scores (the corpus score is their mean). Its n-grams
/// are always orders 1-4 (its `n` argument does not reach the n-gram extraction), so there is no `n`.
#[pyfunction]
#[pyo3(signature = (hyps, refs, sigma = 6.0))]
pub(crate) fn cider_d(
    py: Python<'_>,
    hyps: Vec<PyBackedStr>,
    refs: Vec<Vec<PyBackedStr>>,
    sigma: f64,
) -> PyResult<Bound<'_, PyArray1<f64>>> {
    check_pairs(&hyps, &refs)?;
    match py.detach(|| cider::cider_d(&hyps, &refs, 4, sigma)) {
        Some(scores) => Ok(scores.into_pyarray(py)),
        None => Err(PyValueError::new_err(
            "CIDEr-D is undefined: no reference has any word (pycocoevalcap fails on such input too)",
        )),
    }
}
