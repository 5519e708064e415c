//! What several bindings take and give alike: the confidence and resample-count checks, the
//! per-case arrays of the U2 aggregation (checked and copied once), and interval tables.

use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyDict;
use u2fast_core::statistics::intervals::{Interval, Intervals};
use u2fast_core::u2::aggregate::{self, Cases, Datasets, RunPoint};

pub(crate) fn check_confidence(confidence: f64) -> PyResult<()> {
    if confidence > 0.0 && confidence < 1.0 {
        Ok(())
    } else {
        Err(PyValueError::new_err(format!("confidence must be in (0, 1), got {confidence}")))
    }
}

/// One reference list (not empty) per hypothesis.
pub(crate) fn check_pairs(hyps: &[PyBackedStr], refs: &[Vec<PyBackedStr>]) -> PyResult<()> {
    if hyps.len() != refs.len() {
        return Err(PyValueError::new_err(format!(
            "{} hypotheses but {} reference lists",
            hyps.len(),
            refs.len()
        )));
    }
    if let Some(i) = refs.iter().position(Vec::is_empty) {
        return Err(PyValueError::new_err(format!("pair {i} has no reference")));
    }
    Ok(())
}

/// `n_resamples` of a bootstrap that must resample (`0` is refused: an interval needs resamples).
pub(crate) fn check_resamples(n_resamples: usize) -> PyResult<()> {
    if n_resamples < 2 {
        return Err(PyValueError::new_err(format!("n_resamples must be at least 2, got {n_resamples}")));
    }
    Ok(())
}

/// Task codes as the core reads them (a negative code becomes 255, which the core rejects by name).
fn tasks_of(dataset_task: &PyReadonlyArray1<'_, i8>) -> Vec<u8> {
    dataset_task.as_array().iter().map(|&t| if t < 0 { u8::MAX } else { t as u8 }).collect()
}

/// The per-dataset description of a run.
pub(crate) struct DatasetArrays {
    pub task: Vec<u8>,
    pub in_u2: Vec<bool>,
}

impl DatasetArrays {
    pub(crate) fn new(dataset_task: &PyReadonlyArray1<'_, i8>, dataset_in_u2: &PyReadonlyArray1<'_, bool>) -> Self {
        DatasetArrays { task: tasks_of(dataset_task), in_u2: dataset_in_u2.as_array().to_vec() }
    }

    /// As [`DatasetArrays::new`], refusing what the caller does not check again: a task code
    /// outside 0..7, and arrays of two lengths.
    pub(crate) fn checked(
        dataset_task: &PyReadonlyArray1<'_, i8>,
        dataset_in_u2: &PyReadonlyArray1<'_, bool>,
    ) -> PyResult<Self> {
        let ds = DatasetArrays::new(dataset_task, dataset_in_u2);
        if let Some((d, t)) = ds.task.iter().enumerate().find(|(_, &t)| t > 7) {
            return Err(PyValueError::new_err(format!("dataset_task[{d}] = {t} is not a task code 0..7")));
        }
        if ds.in_u2.len() != ds.task.len() {
            return Err(PyValueError::new_err("dataset_task and dataset_in_u2 differ in length"));
        }
        Ok(ds)
    }

    pub(crate) fn view(&self) -> Datasets<'_> {
        Datasets { task: &self.task, in_u2: &self.in_u2 }
    }
}

/// One model's per-case statistics, owned so that the work can run without the GIL.
pub(crate) struct CaseArrays {
    pub dataset_index: Vec<i32>,
    pub correct: Vec<f64>,
    pub error: Vec<f64>,
    pub bleu: Vec<i64>,
}

impl CaseArrays {
    pub(crate) fn new(
        dataset_index: &PyReadonlyArray1<'_, i32>,
        correct: &PyReadonlyArray1<'_, f64>,
        error: &PyReadonlyArray1<'_, f64>,
        bleu: &PyReadonlyArray2<'_, i64>,
    ) -> PyResult<Self> {
        let cols = bleu.as_array().ncols();
        if cols != 10 {
            return Err(PyValueError::new_err(format!("bleu must have 10 columns, got {cols}")));
        }
        Ok(CaseArrays {
            dataset_index: dataset_index.as_array().to_vec(),
            correct: correct.as_array().to_vec(),
            error: error.as_array().to_vec(),
            bleu: bleu.as_array().iter().copied().collect(),
        })
    }

    pub(crate) fn view(&self) -> Cases<'_> {
        Cases { dataset_index: &self.dataset_index, correct: &self.correct, error: &self.error, bleu: &self.bleu }
    }
}

/// One model's point estimates and what `then` derives from them, without the GIL; the core's
/// refusal (a case outside the data sets, an unknown task) becomes a `ValueError`.
pub(crate) fn aggregate_then<R: Send>(
    py: Python<'_>,
    cases: &CaseArrays,
    datasets: &DatasetArrays,
    missing_cve_is_perfect: bool,
    tolerance: f64,
    then: impl FnOnce(&Cases<'_>, &Datasets<'_>, &RunPoint) -> R + Send,
) -> PyResult<(RunPoint, R)> {
    py.detach(|| {
        let (cases, datasets) = (cases.view(), datasets.view());
        let point = aggregate::aggregate(&cases, &datasets, missing_cve_is_perfect, tolerance)?;
        let derived = then(&cases, &datasets, &point);
        Ok::<_, String>((point, derived))
    })
    .map_err(PyValueError::new_err)
}

/// `(columns, 2)` low/high table of one kind of interval.
fn table(intervals: &[Intervals], pick: fn(&Intervals) -> Interval) -> Array2<f64> {
    Array2::from_shape_fn((intervals.len(), 2), |(c, j)| {
        let iv = pick(&intervals[c]);
        if j == 0 {
            iv.low
        } else {
            iv.high
        }
    })
}

/// `interval_percentile` (and `interval_bca` when `bca`) tables and `standard_error`.
pub(crate) fn set_intervals(out: &Bound<'_, PyDict>, intervals: &[Intervals], bca: bool) -> PyResult<()> {
    let py = out.py();
    out.set_item("interval_percentile", table(intervals, |iv| iv.percentile).into_pyarray(py))?;
    if bca {
        out.set_item("interval_bca", table(intervals, |iv| iv.bca).into_pyarray(py))?;
    }
    let se: Vec<f64> = intervals.iter().map(|iv| iv.standard_error).collect();
    out.set_item("standard_error", se.into_pyarray(py))?;
    Ok(())
}

/// A row-major `(rows, width)` distribution as a 2-D array.
pub(crate) fn set_distribution(out: &Bound<'_, PyDict>, dist: Vec<f64>, width: usize) -> PyResult<()> {
    let rows = dist.len() / width.max(1);
    let dist = Array2::from_shape_vec((rows, width), dist).expect("rows × width values");
    out.set_item("distribution", dist.into_pyarray(out.py()))
}
