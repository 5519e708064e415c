//! Bindings of the generic statistics (`u2fast_core::statistics`): confusion matrices and class
//! statistics, agreement of measurements, multiplicity, heterogeneity and detectable differences.

use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyArray1, PyArray2, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use u2fast_core::statistics::intervals::Interval;
use u2fast_core::statistics::{agreement, confusion, multiplicity};

use crate::args::check_confidence;

fn same_length(a: &[f64], b: &[f64]) -> PyResult<()> {
    if a.len() == b.len() {
        Ok(())
    } else {
        Err(PyValueError::new_err(format!("measured has {} values but reference has {}", a.len(), b.len())))
    }
}

type Stat = (&'static str, fn(&confusion::ClassCounts) -> f64, fn(&confusion::ClassCounts) -> (u64, u64));

/// `(low, high)` arrays.
type Bounds<'py> = (Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>);

fn pair(iv: Interval) -> (f64, f64) {
    (iv.low, iv.high)
}

/// Counts `(k, k + 1)` of integer-coded labels; prediction code `k` is the unparsed column.
#[pyfunction]
pub(crate) fn confusion_counts<'py>(
    py: Python<'py>,
    y_true: PyReadonlyArray1<'py, u32>,
    y_pred: PyReadonlyArray1<'py, u32>,
    n_classes: usize,
) -> PyResult<Bound<'py, PyArray2<i64>>> {
    let counts = confusion::confusion_matrix(y_true.as_slice()?, y_pred.as_slice()?, n_classes)
        .map_err(PyValueError::new_err)?;
    let arr = Array2::from_shape_fn((n_classes, n_classes + 1), |(r, c)| counts[r * (n_classes + 1) + c] as i64);
    Ok(arr.into_pyarray(py))
}

fn counts_of(counts: &PyReadonlyArray2<'_, i64>) -> PyResult<(Vec<u64>, usize)> {
    let a = counts.as_array();
    let (k, w) = a.dim();
    if w != k + 1 {
        return Err(PyValueError::new_err(format!("counts must have shape (k, k + 1), got ({k}, {w})")));
    }
    let mut out = Vec::with_capacity(k * w);
    for (i, &v) in a.iter().enumerate() {
        if v < 0 {
            return Err(PyValueError::new_err(format!("counts[{}, {}] = {v} is negative", i / w, i % w)));
        }
        out.push(v as u64);
    }
    Ok((out, k))
}

/// One-vs-rest statistics of a `(k, k + 1)` confusion matrix with Wilson intervals.
#[pyfunction]
#[pyo3(signature = (counts, confidence = 0.95))]
pub(crate) fn class_statistics<'py>(
    py: Python<'py>,
    counts: PyReadonlyArray2<'py, i64>,
    confidence: f64,
) -> PyResult<Bound<'py, PyDict>> {
    check_confidence(confidence)?;
    let (flat, k) = counts_of(&counts)?;
    let classes = confusion::class_counts(&flat, k);
    let out = PyDict::new(py);
    let col = |f: fn(&confusion::ClassCounts) -> u64| classes.iter().map(|c| f(c) as i64).collect::<Vec<_>>();
    out.set_item("tp", col(|c| c.tp).into_pyarray(py))?;
    out.set_item("fp", col(|c| c.fp).into_pyarray(py))?;
    out.set_item("fn", col(|c| c.fn_).into_pyarray(py))?;
    out.set_item("tn", col(|c| c.tn).into_pyarray(py))?;
    let support: Vec<u64> = classes.iter().map(confusion::ClassCounts::support).collect();
    let stats: [Stat; 4] = [
        ("sensitivity", confusion::ClassCounts::sensitivity, |c| (c.tp, c.tp + c.fn_)),
        ("specificity", confusion::ClassCounts::specificity, |c| (c.tn, c.tn + c.fp)),
        ("ppv", confusion::ClassCounts::ppv, |c| (c.tp, c.tp + c.fp)),
        ("npv", confusion::ClassCounts::npv, |c| (c.tn, c.tn + c.fn_)),
    ];
    let means = PyDict::new(py);
    for (name, value, fraction) in stats {
        let v: Vec<f64> = classes.iter().map(value).collect();
        let iv = Array2::from_shape_fn((k, 2), |(i, j)| {
            let (s, n) = fraction(&classes[i]);
            let w = confusion::wilson_interval(s as f64, n as f64, confidence);
            if j == 0 {
                w.low
            } else {
                w.high
            }
        });
        means.set_item(name, (confusion::macro_mean(&v), confusion::weighted_mean(&v, &support)))?;
        out.set_item(name, v.into_pyarray(py))?;
        out.set_item(format!("{name}_interval"), iv.into_pyarray(py))?;
    }
    let f1: Vec<f64> = classes.iter().map(confusion::ClassCounts::f1).collect();
    means.set_item("f1", (confusion::macro_mean(&f1), confusion::weighted_mean(&f1, &support)))?;
    out.set_item("f1", f1.into_pyarray(py))?;
    out.set_item("means", means)?;
    out.set_item("balanced_accuracy", confusion::balanced_accuracy(&classes))?;
    let total: u64 = flat.iter().sum();
    let right: u64 = (0..k).map(|c| flat[c * (k + 1) + c]).sum();
    out.set_item("accuracy", if total == 0 { f64::NAN } else { right as f64 / total as f64 })?;
    out.set_item("accuracy_interval", pair(confusion::wilson_interval(right as f64, total as f64, confidence)))?;
    let square = confusion::square_with_unparsed(&flat, k);
    out.set_item("kappa", confusion::cohen_kappa(&square, k + 1, confusion::KappaWeights::None))?;
    Ok(out)
}

/// Cohen's κ of a square table of counts; `weights` is "none", "linear" or "quadratic".
#[pyfunction]
pub(crate) fn kappa_of_table(table: PyReadonlyArray2<'_, i64>, weights: &str) -> PyResult<f64> {
    let a = table.as_array();
    let (m, w) = a.dim();
    if m != w {
        return Err(PyValueError::new_err(format!("the table must be square, got ({m}, {w})")));
    }
    if a.iter().any(|&v| v < 0) {
        return Err(PyValueError::new_err("the table has a negative count"));
    }
    let weights = match weights {
        "none" => confusion::KappaWeights::None,
        "linear" => confusion::KappaWeights::Linear,
        "quadratic" => confusion::KappaWeights::Quadratic,
        other => {
            return Err(PyValueError::new_err(format!(
                "weights must be None, 'linear' or 'quadratic', got {other:?}"
            )))
        }
    };
    let flat: Vec<u64> = a.iter().map(|&v| v as u64).collect();
    Ok(confusion::cohen_kappa(&flat, m, weights))
}

/// Wilson intervals of many proportions: `(low, high)` arrays.
#[pyfunction]
#[pyo3(signature = (count, nobs, confidence = 0.95))]
pub(crate) fn wilson_many<'py>(
    py: Python<'py>,
    count: PyReadonlyArray1<'py, f64>,
    nobs: PyReadonlyArray1<'py, f64>,
    confidence: f64,
) -> PyResult<Bounds<'py>> {
    check_confidence(confidence)?;
    let (c, n) = (count.as_slice()?, nobs.as_slice()?);
    if c.len() != n.len() {
        return Err(PyValueError::new_err(format!("count has {} values but nobs has {}", c.len(), n.len())));
    }
    let ivs: Vec<Interval> = c.iter().zip(n).map(|(&c, &n)| confusion::wilson_interval(c, n, confidence)).collect();
    Ok((
        ivs.iter().map(|i| i.low).collect::<Vec<_>>().into_pyarray(py),
        ivs.iter().map(|i| i.high).collect::<Vec<_>>().into_pyarray(py),
    ))
}

/// `(n, mae, rmse, bias)` of `measured − reference` in native units.
#[pyfunction]
pub(crate) fn measurement_errors(
    measured: PyReadonlyArray1<'_, f64>,
    reference: PyReadonlyArray1<'_, f64>,
) -> PyResult<(usize, f64, f64, f64)> {
    let (m, r) = (measured.as_slice()?, reference.as_slice()?);
    same_length(m, r)?;
    let e = agreement::errors(m, r);
    Ok((e.n, e.mae, e.rmse, e.bias))
}

/// Bland–Altman bias, limits of agreement and their intervals.
#[pyfunction]
#[pyo3(signature = (measured, reference, agreement = 1.96, confidence = 0.95))]
pub(crate) fn bland_altman<'py>(
    py: Python<'py>,
    measured: PyReadonlyArray1<'py, f64>,
    reference: PyReadonlyArray1<'py, f64>,
    agreement: f64,
    confidence: f64,
) -> PyResult<Bound<'py, PyDict>> {
    check_confidence(confidence)?;
    let (m, r) = (measured.as_slice()?, reference.as_slice()?);
    same_length(m, r)?;
    let ba = agreement::bland_altman(m, r, agreement, confidence);
    let out = PyDict::new(py);
    out.set_item("n", ba.n)?;
    out.set_item("bias", ba.bias)?;
    out.set_item("sd", ba.sd)?;
    out.set_item("lower", ba.lower)?;
    out.set_item("upper", ba.upper)?;
    out.set_item("bias_interval", pair(ba.bias_ci))?;
    out.set_item("lower_interval", pair(ba.lower_ci))?;
    out.set_item("upper_interval", pair(ba.upper_ci))?;
    Ok(out)
}

/// ICC(3,1) of two raters: `(icc, f, df1, df2, pvalue, (low, high))`.
#[pyfunction]
#[pyo3(signature = (measured, reference, confidence = 0.95))]
#[allow(clippy::type_complexity)]
pub(crate) fn icc3(
    measured: PyReadonlyArray1<'_, f64>,
    reference: PyReadonlyArray1<'_, f64>,
    confidence: f64,
) -> PyResult<(f64, f64, f64, f64, f64, (f64, f64))> {
    check_confidence(confidence)?;
    let (m, r) = (measured.as_slice()?, reference.as_slice()?);
    same_length(m, r)?;
    let i = agreement::icc3(m, r, confidence);
    Ok((i.icc, i.f, i.df1, i.df2, i.pvalue, pair(i.ci)))
}

/// Lin's concordance correlation coefficient.
#[pyfunction]
pub(crate) fn ccc(measured: PyReadonlyArray1<'_, f64>, reference: PyReadonlyArray1<'_, f64>) -> PyResult<f64> {
    let (m, r) = (measured.as_slice()?, reference.as_slice()?);
    same_length(m, r)?;
    Ok(agreement::ccc(m, r))
}

/// Adjusted p-values: `method` `"holm"` or `"fdr_bh"`.
#[pyfunction]
pub(crate) fn adjust_pvalues<'py>(
    py: Python<'py>,
    pvalues: PyReadonlyArray1<'py, f64>,
    method: &str,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let p = pvalues.as_slice()?;
    if let Some((i, v)) = p.iter().enumerate().find(|(_, v)| !v.is_nan() && !(0.0..=1.0).contains(*v)) {
        return Err(PyValueError::new_err(format!("pvalues[{i}] = {v} is not in [0, 1]")));
    }
    let out = match method {
        "holm" => multiplicity::holm(p),
        "fdr_bh" => multiplicity::benjamini_hochberg(p),
        other => return Err(PyValueError::new_err(format!("method must be 'holm' or 'fdr_bh', got {other:?}"))),
    };
    Ok(out.into_pyarray(py))
}

/// Cochran's Q with I²: `(k, q, df, pvalue, i_squared, pooled)`.
#[pyfunction]
pub(crate) fn cochran_q(
    estimates: PyReadonlyArray1<'_, f64>,
    variances: PyReadonlyArray1<'_, f64>,
) -> PyResult<(usize, f64, f64, f64, f64, f64)> {
    let (e, v) = (estimates.as_slice()?, variances.as_slice()?);
    if e.len() != v.len() {
        return Err(PyValueError::new_err(format!("{} estimates but {} variances", e.len(), v.len())));
    }
    let h = multiplicity::cochran_q(e, v);
    Ok((h.k, h.q, h.df, h.pvalue, h.i_squared, h.pooled))
}

/// Minimal detectable difference of a paired design from the observed per-case differences.
#[pyfunction]
#[pyo3(signature = (differences, alpha = 0.05, power = 0.8))]
pub(crate) fn minimal_detectable_difference(
    differences: PyReadonlyArray1<'_, f64>,
    alpha: f64,
    power: f64,
) -> PyResult<f64> {
    if !(alpha > 0.0 && alpha < 1.0 && power > 0.0 && power < 1.0) {
        return Err(PyValueError::new_err(format!("alpha and power must be in (0, 1), got {alpha} and {power}")));
    }
    Ok(multiplicity::minimal_detectable_difference(differences.as_slice()?, alpha, power))
}
