//! chrF bindings: statistics per pair as an `(n, 3·orders)` int64 array, scores of rows.

use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyArray1, PyArray2, PyReadonlyArray2};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use u2fast_core::metrics::chrf::{self, ChrfOptions};

use crate::args::check_pairs;

/// Per-pair chrF statistics `[hyp, ref, match]` per order (text already lowercased where wanted).
#[pyfunction]
#[pyo3(signature = (hyps, refs, char_order = 6, word_order = 0, beta = 2.0, whitespace = false, eps_smoothing = false))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn chrf_stats(
    py: Python<'_>,
    hyps: Vec<PyBackedStr>,
    refs: Vec<Vec<PyBackedStr>>,
    char_order: usize,
    word_order: usize,
    beta: f64,
    whitespace: bool,
    eps_smoothing: bool,
) -> PyResult<Bound<'_, PyArray2<i64>>> {
    check_pairs(&hyps, &refs)?;
    if char_order + word_order == 0 {
        return Err(PyValueError::new_err("char_order + word_order must be positive"));
    }
    let o = ChrfOptions { char_order, word_order, beta, whitespace, eps_smoothing };
    let n = hyps.len();
    let flat = py.detach(|| chrf::chrf_stats(&hyps, &refs, &o));
    Ok(Array2::from_shape_vec((n, o.width()), flat).expect("shape matches").into_pyarray(py))
}

/// chrF (0-100) of every row of a statistics array (sum rows first for the corpus score).
#[pyfunction]
#[pyo3(signature = (stats, beta = 2.0, eps_smoothing = false))]
pub(crate) fn chrf_scores<'py>(
    py: Python<'py>,
    stats: PyReadonlyArray2<'py, i64>,
    beta: f64,
    eps_smoothing: bool,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let a = stats.as_array();
    if a.ncols() == 0 || !a.ncols().is_multiple_of(3) {
        return Err(PyValueError::new_err("chrF statistics must have 3·orders columns"));
    }
    let o = ChrfOptions { char_order: a.ncols() / 3, word_order: 0, beta, whitespace: false, eps_smoothing };
    let scores: Vec<f64> = a.outer_iter().map(|r| chrf::chrf_score(&r.to_vec(), &o)).collect();
    Ok(scores.into_pyarray(py))
}
