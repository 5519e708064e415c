//! TER bindings: statistics per pair as an `(n, 2)` float64 array, scores of rows and of their sum.

use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyArray1, PyArray2, PyReadonlyArray2};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use u2fast_core::metrics::ter::{self, TercomOptions};

use crate::args::check_pairs;

/// Per-pair TER statistics `[fewest edits, average reference length]` (text already lowercased where wanted).
#[pyfunction]
#[pyo3(signature = (hyps, refs, normalized = false, no_punct = false, asian_support = false))]
pub(crate) fn ter_stats(
    py: Python<'_>,
    hyps: Vec<PyBackedStr>,
    refs: Vec<Vec<PyBackedStr>>,
    normalized: bool,
    no_punct: bool,
    asian_support: bool,
) -> PyResult<Bound<'_, PyArray2<f64>>> {
    check_pairs(&hyps, &refs)?;
    let o = TercomOptions { normalized, no_punct, asian_support };
    let n = hyps.len();
    let flat = py.detach(|| ter::ter_stats(&hyps, &refs, o));
    Ok(Array2::from_shape_vec((n, 2), flat).expect("shape matches").into_pyarray(py))
}

fn checked_rows<'a>(stats: &'a PyReadonlyArray2<'_, f64>) -> PyResult<&'a [f64]> {
    if stats.as_array().ncols() != 2 {
        return Err(PyValueError::new_err("TER statistics must have 2 columns"));
    }
    Ok(stats.as_slice()?)
}

/// TER (0-100) of every row of a statistics array.
#[pyfunction]
pub(crate) fn ter_scores<'py>(
    py: Python<'py>,
    stats: PyReadonlyArray2<'py, f64>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let rows = checked_rows(&stats)?;
    let scores: Vec<f64> = rows.chunks_exact(2).map(|r| ter::ter_score(r[0], r[1])).collect();
    Ok(scores.into_pyarray(py))
}

/// Corpus TER of the rows: `(score, summed edits, summed reference lengths)`, summed in row order.
#[pyfunction]
pub(crate) fn ter_corpus_score(stats: PyReadonlyArray2<'_, f64>) -> PyResult<(f64, f64, f64)> {
    Ok(ter::corpus_ter_score(checked_rows(&stats)?))
}
