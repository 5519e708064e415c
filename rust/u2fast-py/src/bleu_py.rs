//! BLEU bindings: statistics per pair as an `(n, 2 + 2·order)` int64 array, scores from them.

use numpy::ndarray::{Array2, Axis};
use numpy::{IntoPyArray, PyArray1, PyArray2, PyReadonlyArray2, PyReadonlyArrayDyn};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use u2fast_core::metrics::bleu::{self, SacreTokenizer, Smooth, Tokenization};

use crate::args::check_pairs;

fn tokenization(flavor: &str, tokenize: &str) -> PyResult<Tokenization> {
    match flavor {
        "coco" => Ok(Tokenization::Whitespace),
        "sacrebleu" => SacreTokenizer::from_name(tokenize).map(Tokenization::Sacrebleu).ok_or_else(|| {
            PyValueError::new_err(format!(
                "tokenize {tokenize:?} is not available (expected '13a', 'intl', 'zh', 'char' or 'none')"
            ))
        }),
        other => Err(PyValueError::new_err(format!(
            "unknown BLEU flavor {other:?} (expected 'coco' or 'sacrebleu')"
        ))),
    }
}

pub(crate) fn smooth(method: &str, value: Option<f64>) -> PyResult<Smooth> {
    Ok(match method {
        "exp" => Smooth::Exp,
        "none" => Smooth::None,
        "floor" => Smooth::Floor(value.unwrap_or(0.1)),
        "add-k" => Smooth::AddK(value.unwrap_or(1.0)),
        other => {
            return Err(PyValueError::new_err(format!(
                "unknown smoothing {other:?} (expected 'exp', 'floor', 'add-k' or 'none')"
            )))
        }
    })
}

/// Per-pair BLEU statistics `[hyp_len, ref_len, correct_1..N, total_1..N]` (text already
/// lowercased by the caller where asked).
#[pyfunction]
#[pyo3(signature = (hyps, refs, flavor = "coco", *, tokenize = "13a", max_order = 4))]
pub(crate) fn bleu_stats<'py>(
    py: Python<'py>,
    hyps: Vec<PyBackedStr>,
    refs: Vec<Vec<PyBackedStr>>,
    flavor: &str,
    tokenize: &str,
    max_order: usize,
) -> PyResult<Bound<'py, PyArray2<i64>>> {
    let how = tokenization(flavor, tokenize)?;
    check_pairs(&hyps, &refs)?;
    if max_order == 0 {
        return Err(PyValueError::new_err("max_order must be a positive integer, got 0"));
    }
    let n = hyps.len();
    let flat = py.detach(|| bleu::corpus_stats(&hyps, &refs, how, max_order));
    let arr = Array2::from_shape_vec((n, bleu::stats_len(max_order)), flat).expect("shape matches");
    Ok(arr.into_pyarray(py))
}

/// Sum a 1-D statistics vector or the rows of a 2-D array.
fn summed(stats: &PyReadonlyArrayDyn<'_, i64>) -> PyResult<Vec<i64>> {
    let a = stats.as_array();
    let v = match a.ndim() {
        1 => a.iter().copied().collect(),
        2 => a.sum_axis(Axis(0)).iter().copied().collect::<Vec<_>>(),
        d => return Err(PyValueError::new_err(format!("BLEU statistics must be 1-D or 2-D, got {d}-D"))),
    };
    if v.len() < 4 || !v.len().is_multiple_of(2) {
        return Err(PyValueError::new_err(format!(
            "BLEU statistics have {} columns; expected 2 + 2·order",
            v.len()
        )));
    }
    Ok(v)
}

/// pycocoevalcap BLEU-1..4 (0-1 scale) from order-4 statistics (summed over rows if 2-D).
#[pyfunction]
pub(crate) fn coco_bleu_score(stats: PyReadonlyArrayDyn<'_, i64>) -> PyResult<[f64; 4]> {
    let v = summed(&stats)?;
    if v.len() != 10 {
        return Err(PyValueError::new_err("coco BLEU needs order-4 statistics (10 columns)"));
    }
    Ok(bleu::coco_bleu(&v))
}

/// pycocoevalcap per-segment BLEU-1..4 (0-1 scale, its `bleu_list`) of every row: shape (n, 4).
#[pyfunction]
pub(crate) fn coco_sentence_scores<'py>(
    py: Python<'py>,
    stats: PyReadonlyArray2<'py, i64>,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let a = stats.as_array();
    if a.ncols() != 10 {
        return Err(PyValueError::new_err("coco BLEU needs order-4 statistics (10 columns)"));
    }
    let rows: Vec<[i64; 10]> = a.outer_iter().map(|r| std::array::from_fn(|j| r[j])).collect();
    let scores = py.detach(|| rows.iter().map(|r| bleu::coco_bleu(r)).collect::<Vec<_>>());
    Ok(Array2::from_shape_fn((scores.len(), 4), |(i, k)| scores[i][k]).into_pyarray(py))
}

/// sacreBLEU `compute_bleu` on summed statistics:
/// `(score, counts, totals, precisions, bp, sys_len, ref_len)`.
#[pyfunction]
#[pyo3(signature = (stats, smooth_method = "exp", smooth_value = None, effective_order = false))]
#[allow(clippy::type_complexity)]
pub(crate) fn sacrebleu_score(
    stats: PyReadonlyArrayDyn<'_, i64>,
    smooth_method: &str,
    smooth_value: Option<f64>,
    effective_order: bool,
) -> PyResult<(f64, Vec<f64>, Vec<f64>, Vec<f64>, f64, i64, i64)> {
    let v = summed(&stats)?;
    let s = bleu::sacrebleu_score(&v, smooth(smooth_method, smooth_value)?, effective_order);
    Ok((s.score, s.counts, s.totals, s.precisions, s.bp, s.sys_len, s.ref_len))
}

/// sacreBLEU score of every row on its own (sentence BLEU).
#[pyfunction]
#[pyo3(signature = (stats, smooth_method = "exp", smooth_value = None, effective_order = true))]
pub(crate) fn sacrebleu_sentence_scores<'py>(
    py: Python<'py>,
    stats: PyReadonlyArrayDyn<'py, i64>,
    smooth_method: &str,
    smooth_value: Option<f64>,
    effective_order: bool,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let a = stats.as_array();
    if a.ndim() != 2 || a.shape()[1] < 4 || !a.shape()[1].is_multiple_of(2) {
        return Err(PyValueError::new_err("sentence statistics must be a 2-D (n, 2 + 2·order) array"));
    }
    let sm = smooth(smooth_method, smooth_value)?;
    let rows: Vec<Vec<i64>> = a.outer_iter().map(|r| r.iter().copied().collect()).collect();
    let scores: Vec<f64> =
        py.detach(|| rows.iter().map(|r| bleu::sacrebleu_score(r, sm, effective_order).score).collect());
    Ok(scores.into_pyarray(py))
}
