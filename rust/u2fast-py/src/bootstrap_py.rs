//! Bootstrap bindings: one statistic (`bootstrap_sums`), two paired systems (`paired_bootstrap_sums`).

use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use u2fast_core::statistics::bootstrap::{self, SumStatistic};

use crate::args::{check_confidence, check_resamples};
use crate::bleu_py::smooth;

fn statistic(
    name: &str,
    k: usize,
    smooth_method: &str,
    smooth_value: Option<f64>,
    effective_order: bool,
) -> PyResult<SumStatistic> {
    let (stat, width) = match name {
        "mean" => (SumStatistic::Mean, Some(1)),
        "ratio" => (SumStatistic::Ratio, Some(2)),
        "rms" => (SumStatistic::RootMeanSquare, Some(1)),
        "coco_bleu" => (SumStatistic::CocoBleu, Some(10)),
        "sacrebleu" => {
            (SumStatistic::SacreBleu { smooth: smooth(smooth_method, smooth_value)?, effective_order }, None)
        }
        other => return Err(PyValueError::new_err(format!("unknown statistic {other:?}"))),
    };
    if let Some(w) = width {
        if w != k {
            return Err(PyValueError::new_err(format!("statistic {name:?} needs {w} column(s), got {k}")));
        }
    } else if k < 4 || !k.is_multiple_of(2) || k > 10 {
        return Err(PyValueError::new_err(format!("sacrebleu statistics need 2 + 2·order columns, got {k}")));
    }
    Ok(stat)
}

fn check_common(
    n: usize,
    strata: Option<&PyReadonlyArray1<'_, u32>>,
    n_resamples: usize,
    confidence: f64,
) -> PyResult<Vec<u32>> {
    if n < 2 {
        return Err(PyValueError::new_err(format!("the bootstrap needs at least 2 cases, got {n}")));
    }
    check_resamples(n_resamples)?;
    check_confidence(confidence)?;
    let s = strata.map(|a| a.as_array().to_vec()).unwrap_or_default();
    if !s.is_empty() && s.len() != n {
        return Err(PyValueError::new_err(format!("strata has {} labels for {n} cases", s.len())));
    }
    Ok(s)
}

fn result_dict(py: Python<'_>, r: bootstrap::Bootstrap, keep: bool) -> PyResult<Bound<'_, PyDict>> {
    let out = PyDict::new(py);
    out.set_item("estimate", r.estimate)?;
    out.set_item("acceleration", r.acceleration)?;
    let iv = r.intervals;
    out.set_item("percentile", (iv.percentile.low, iv.percentile.high))?;
    out.set_item("bca", (iv.bca.low, iv.bca.high))?;
    out.set_item("standard_error", iv.standard_error)?;
    if keep {
        out.set_item("distribution", r.distribution.into_pyarray(py))?;
    }
    Ok(out)
}

/// Bootstrap a statistic of per-case rows `data` (n, k): `mean`, `ratio`, `rms`, `coco_bleu`, `sacrebleu`.
#[pyfunction]
#[pyo3(signature = (data, statistic_name, *, strata = None, n_resamples = 10_000, seed = 0, confidence = 0.95,
                    smooth_method = "exp", smooth_value = None, effective_order = false, return_distribution = false))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn bootstrap_sums<'py>(
    py: Python<'py>,
    data: PyReadonlyArray2<'py, f64>,
    statistic_name: &str,
    strata: Option<PyReadonlyArray1<'py, u32>>,
    n_resamples: usize,
    seed: u64,
    confidence: f64,
    smooth_method: &str,
    smooth_value: Option<f64>,
    effective_order: bool,
    return_distribution: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let a = data.as_array();
    let (n, k) = (a.nrows(), a.ncols());
    let stat = statistic(statistic_name, k, smooth_method, smooth_value, effective_order)?;
    let strata = check_common(n, strata.as_ref(), n_resamples, confidence)?;
    let flat: Vec<f64> = a.iter().copied().collect();
    let r = py.detach(|| bootstrap::bootstrap(&flat, k, &stat, &strata, n_resamples, seed, confidence));
    result_dict(py, r, return_distribution)
}

/// Paired bootstrap of `stat(a) − stat(b)` on the same cases; adds the shift-method `pvalue`.
#[pyfunction]
#[pyo3(signature = (a, b, statistic_name, *, strata = None, n_resamples = 10_000, seed = 0, confidence = 0.95,
                    smooth_method = "exp", smooth_value = None, effective_order = false, return_distribution = false))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn paired_bootstrap_sums<'py>(
    py: Python<'py>,
    a: PyReadonlyArray2<'py, f64>,
    b: PyReadonlyArray2<'py, f64>,
    statistic_name: &str,
    strata: Option<PyReadonlyArray1<'py, u32>>,
    n_resamples: usize,
    seed: u64,
    confidence: f64,
    smooth_method: &str,
    smooth_value: Option<f64>,
    effective_order: bool,
    return_distribution: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let (a, b) = (a.as_array(), b.as_array());
    if a.shape() != b.shape() {
        return Err(PyValueError::new_err(format!(
            "the two systems' statistics differ in shape: {:?} vs {:?}",
            a.shape(),
            b.shape()
        )));
    }
    let (n, k) = (a.nrows(), a.ncols());
    let inner = statistic(statistic_name, k, smooth_method, smooth_value, effective_order)?;
    let strata = check_common(n, strata.as_ref(), n_resamples, confidence)?;
    let mut both = Array2::<f64>::zeros((n, 2 * k));
    for i in 0..n {
        for j in 0..k {
            both[[i, j]] = a[[i, j]];
            both[[i, k + j]] = b[[i, j]];
        }
    }
    let flat: Vec<f64> = both.iter().copied().collect();
    let stat = SumStatistic::Difference(Box::new(inner));
    let r = py.detach(|| bootstrap::bootstrap(&flat, 2 * k, &stat, &strata, n_resamples, seed, confidence));
    let p = bootstrap::paired_p_value(&r.distribution, r.estimate);
    let out = result_dict(py, r, return_distribution)?;
    out.set_item("pvalue", p)?;
    Ok(out)
}
