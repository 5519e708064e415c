//! McNemar binding, vectorised over many tables.

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use u2fast_core::statistics::mcnemar;

/// statsmodels `mcnemar` on the discordant counts of many tables: `(statistics, pvalues)`.
#[pyfunction]
#[pyo3(signature = (b, c, exact = true, correction = true))]
#[allow(clippy::type_complexity)]
pub(crate) fn mcnemar_many<'py>(
    py: Python<'py>,
    b: PyReadonlyArray1<'py, f64>,
    c: PyReadonlyArray1<'py, f64>,
    exact: bool,
    correction: bool,
) -> PyResult<(Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>)> {
    let (b, c) = (b.as_array().to_vec(), c.as_array().to_vec());
    if b.len() != c.len() {
        return Err(PyValueError::new_err(format!("{} values of b but {} of c", b.len(), c.len())));
    }
    let results = py.detach(|| {
        b.iter()
            .zip(&c)
            .enumerate()
            .map(|(i, (&x, &y))| {
                mcnemar::mcnemar(x, y, exact, correction).map_err(|e| format!("table {i}: {e}"))
            })
            .collect::<Result<Vec<_>, _>>()
    });
    let results = results.map_err(PyValueError::new_err)?;
    let stat: Vec<f64> = results.iter().map(|r| r.0).collect();
    let p: Vec<f64> = results.iter().map(|r| r.1).collect();
    Ok((stat.into_pyarray(py), p.into_pyarray(py)))
}
