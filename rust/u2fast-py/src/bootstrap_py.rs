//! Bootstrap binding of a sum statistic of per-case rows, of one system or of two paired ones.

use numpy::ndarray::{s, Array2};
use numpy::{IntoPyArray, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use u2fast_core::statistics::bootstrap::{self, SumStatistic};

use crate::bleu_py::smooth;
use crate::run_inputs::Resampling;

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

/// The case count and strata of `n` rows (one label each, or none).
fn checked_strata(n: usize, strata: Option<&PyReadonlyArray1<'_, u32>>) -> PyResult<Vec<u32>> {
    if n < 2 {
        return Err(PyValueError::new_err(format!("the bootstrap needs at least 2 cases, got {n}")));
    }
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
/// Given a `baseline` (the other system's rows on the same cases), the statistic is
/// `stat(data) − stat(baseline)`, both resampled with the same indices, and the shift-method
/// `pvalue` is added.
#[pyfunction]
#[pyo3(signature = (data, statistic_name, resampling, *, baseline = None, strata = None, smooth_method = "exp",
                    smooth_value = None, effective_order = false))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn bootstrap_sums<'py>(
    py: Python<'py>,
    data: PyReadonlyArray2<'py, f64>,
    statistic_name: &str,
    resampling: &Resampling,
    baseline: Option<PyReadonlyArray2<'py, f64>>,
    strata: Option<PyReadonlyArray1<'py, u32>>,
    smooth_method: &str,
    smooth_value: Option<f64>,
    effective_order: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let a = data.as_array();
    if let Some(b) = &baseline {
        if a.shape() != b.as_array().shape() {
            return Err(PyValueError::new_err(format!(
                "the two systems' statistics differ in shape: {:?} vs {:?}",
                a.shape(),
                b.as_array().shape()
            )));
        }
    }
    let (n, k) = (a.nrows(), a.ncols());
    let stat = statistic(statistic_name, k, smooth_method, smooth_value, effective_order)?;
    let strata = checked_strata(n, strata.as_ref())?;
    let settings = resampling.draws()?;
    let (flat, width, stat) = match &baseline {
        None => (a.iter().copied().collect::<Vec<f64>>(), k, stat),
        Some(b) => {
            // Row i holds both systems' case i, so one index draw resamples both.
            let mut both = Array2::<f64>::zeros((n, 2 * k));
            both.slice_mut(s![.., ..k]).assign(&a);
            both.slice_mut(s![.., k..]).assign(&b.as_array());
            (both.iter().copied().collect(), 2 * k, SumStatistic::Difference(Box::new(stat)))
        }
    };
    let r = py.detach(|| bootstrap::bootstrap(&flat, width, &stat, &strata, settings));
    let p = baseline.is_some().then(|| bootstrap::paired_p_value(&r.distribution, r.estimate));
    let out = result_dict(py, r, resampling.return_distribution)?;
    if let Some(p) = p {
        out.set_item("pvalue", p)?;
    }
    Ok(out)
}
