//! Coordinate-answer scores of many cases at once.

use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyArray2, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use u2fast_core::metrics::spatial;

/// Per-case scores of predicted boxes (4 columns) or points (2 columns) against the truth.
///
/// Boxes give columns iou, hit@0.5, centre-in-box, centre distance / diagonal; points give
/// distance / diagonal, PCK@0.05, PCK@0.1. A row with a NaN in either input gives NaN scores.
#[pyfunction]
pub(crate) fn spatial_scores<'py>(
    py: Python<'py>,
    pred: PyReadonlyArray2<'py, f64>,
    truth: PyReadonlyArray2<'py, f64>,
    width: PyReadonlyArray1<'py, f64>,
    height: PyReadonlyArray1<'py, f64>,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let (p, t) = (pred.as_array(), truth.as_array());
    let (w, h) = (width.as_slice()?, height.as_slice()?);
    let (n, k) = p.dim();
    if t.dim() != (n, k) || w.len() != n || h.len() != n {
        return Err(PyValueError::new_err(format!(
            "pred {:?}, truth {:?}, width {} and height {} must describe the same cases",
            p.dim(),
            t.dim(),
            w.len(),
            h.len()
        )));
    }
    if k != 4 && k != 2 {
        return Err(PyValueError::new_err(format!("pred must have 4 (box) or 2 (point) columns, got {k}")));
    }
    let cols = if k == 4 { 4 } else { 3 };
    let mut out = Array2::from_elem((n, cols), f64::NAN);
    for i in 0..n {
        let (pr, tr) = (p.row(i), t.row(i));
        if pr.iter().chain(tr.iter()).any(|v| v.is_nan()) {
            continue;
        }
        if k == 4 {
            let s =
                spatial::box_scores([pr[0], pr[1], pr[2], pr[3]], [tr[0], tr[1], tr[2], tr[3]], w[i], h[i]);
            for (j, v) in [s.iou, s.hit, s.centre_in_box, s.centre_distance].into_iter().enumerate() {
                out[[i, j]] = v;
            }
        } else {
            let (d, p05, p10) = spatial::point_scores([pr[0], pr[1]], [tr[0], tr[1]], w[i], h[i]);
            for (j, v) in [d, p05, p10].into_iter().enumerate() {
                out[[i, j]] = v;
            }
        }
    }
    Ok(out.into_pyarray(py))
}
