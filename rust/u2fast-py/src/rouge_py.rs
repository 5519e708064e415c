//! ROUGE bindings: rouge-score's types as an `(n, types, 3)` array, pycocoevalcap's ROUGE-L as `(n, 3)`.

use numpy::ndarray::{Array2, Array3};
use numpy::{IntoPyArray, PyArray2, PyArray3};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use u2fast_core::metrics::{porter, rouge};

use crate::args::check_pairs;

fn rouge_type(name: &str) -> PyResult<rouge::RougeType> {
    match name {
        "rougeL" => Ok(rouge::RougeType::L),
        "rougeLsum" => Ok(rouge::RougeType::Lsum),
        _ => match name.strip_prefix("rouge").and_then(|d| d.parse::<usize>().ok()) {
            Some(n) if (1..=9).contains(&n) && name.len() == 6 => Ok(rouge::RougeType::N(n)),
            _ => Err(PyValueError::new_err(format!(
                "invalid ROUGE type {name:?} (expected rouge1..rouge9, rougeL or rougeLsum)"
            ))),
        },
    }
}

/// rouge-score `RougeScorer(types, use_stemmer)` on every pair: `[precision, recall, fmeasure]`.
#[pyfunction]
#[pyo3(signature = (hyps, refs, types, use_stemmer = false))]
pub(crate) fn rouge_scores(
    py: Python<'_>,
    hyps: Vec<PyBackedStr>,
    refs: Vec<Vec<PyBackedStr>>,
    types: Vec<String>,
    use_stemmer: bool,
) -> PyResult<Bound<'_, PyArray3<f64>>> {
    check_pairs(&hyps, &refs)?;
    if types.is_empty() {
        return Err(PyValueError::new_err("no ROUGE type given"));
    }
    let parsed = types.iter().map(|t| rouge_type(t)).collect::<PyResult<Vec<_>>>()?;
    let n = hyps.len();
    let flat = py.detach(|| rouge::rouge_corpus(&hyps, &refs, &parsed, use_stemmer));
    Ok(Array3::from_shape_vec((n, parsed.len(), 3), flat).expect("shape matches").into_pyarray(py))
}

/// pycocoevalcap `Rouge` per pair: `[max precision, max recall, ROUGE-L (β = 1.2)]`.
#[pyfunction]
pub(crate) fn coco_rouge_l(
    py: Python<'_>,
    hyps: Vec<PyBackedStr>,
    refs: Vec<Vec<PyBackedStr>>,
) -> PyResult<Bound<'_, PyArray2<f64>>> {
    check_pairs(&hyps, &refs)?;
    let n = hyps.len();
    let flat = py.detach(|| rouge::coco_rouge_l(&hyps, &refs));
    Ok(Array2::from_shape_vec((n, 3), flat).expect("shape matches").into_pyarray(py))
}

/// NLTK `PorterStemmer().stem(word)` (`NLTK_EXTENSIONS` mode).
#[pyfunction]
pub(crate) fn porter_stem(word: &str) -> String {
    porter::stem(word)
}

/// rouge-score's tokenizer: lowercase `[a-z0-9]` runs, stemmed (if longer than 3) when asked.
#[pyfunction]
#[pyo3(signature = (text, use_stemmer = false))]
pub(crate) fn rouge_tokens(text: &str, use_stemmer: bool) -> Vec<String> {
    rouge::tokens(text, use_stemmer)
}
