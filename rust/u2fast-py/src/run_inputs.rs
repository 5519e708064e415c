//! The inputs every U2 aggregation binding shares, as frozen Python objects that the scorer builds
//! (and this module checks and copies) once per run: how the cases fall into data sets with the
//! run's scoring rules ([`RunLayout`]), one model's per-case statistics ([`CaseColumns`]) and the
//! resampling settings ([`Resampling`]). Frozen and owned, they are read without the GIL.

use numpy::{PyReadonlyArray1, PyReadonlyArray2};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use u2fast_core::statistics::bootstrap;
use u2fast_core::u2::aggregate::{self, Cases, Datasets, RunPoint};

use crate::args::check_confidence;

/// Which data set each case belongs to, each data set's task and U2 membership, and the two
/// scoring rules that hold for the whole run.
#[pyclass(frozen, module = "u2fast._core")]
pub(crate) struct RunLayout {
    dataset_index: Vec<i32>,
    task: Vec<u8>,
    in_u2: Vec<bool>,
    #[pyo3(get)]
    pub(crate) missing_cve_is_perfect: bool,
    #[pyo3(get)]
    pub(crate) tolerance: f64,
}

#[pymethods]
impl RunLayout {
    #[new]
    #[pyo3(signature = (dataset_index, dataset_task, dataset_in_u2, *, missing_cve_is_perfect = true, tolerance = 0.1))]
    fn new(
        dataset_index: PyReadonlyArray1<'_, i32>,
        dataset_task: PyReadonlyArray1<'_, i8>,
        dataset_in_u2: PyReadonlyArray1<'_, bool>,
        missing_cve_is_perfect: bool,
        tolerance: f64,
    ) -> PyResult<Self> {
        if !(tolerance.is_finite() && tolerance >= 0.0) {
            return Err(PyValueError::new_err(format!(
                "tolerance must be a finite non-negative number, got {tolerance}"
            )));
        }
        // Read as i8 so that a negative code is reported as given, not as the u8 the core takes.
        let codes = dataset_task.as_array();
        if let Some((d, t)) = codes.iter().enumerate().find(|(_, &t)| !(0..=7).contains(&t)) {
            return Err(PyValueError::new_err(format!("dataset_task[{d}] = {t} is not a task code 0..7")));
        }
        let in_u2 = dataset_in_u2.as_array().to_vec();
        if in_u2.len() != codes.len() {
            return Err(PyValueError::new_err("dataset_task and dataset_in_u2 differ in length"));
        }
        let dataset_index = dataset_index.as_array().to_vec();
        let nd = codes.len();
        if let Some((i, d)) = dataset_index.iter().enumerate().find(|(_, &d)| d < 0 || d as usize >= nd) {
            return Err(PyValueError::new_err(format!("dataset_index[{i}] = {d} is outside 0..{nd}")));
        }
        let task = codes.iter().map(|&t| t as u8).collect();
        Ok(RunLayout { dataset_index, task, in_u2, missing_cve_is_perfect, tolerance })
    }

    #[getter]
    fn n_cases(&self) -> usize {
        self.dataset_index.len()
    }

    #[getter]
    fn n_datasets(&self) -> usize {
        self.task.len()
    }
}

impl RunLayout {
    pub(crate) fn dataset_index(&self) -> &[i32] {
        &self.dataset_index
    }

    pub(crate) fn datasets(&self) -> Datasets<'_> {
        Datasets { task: &self.task, in_u2: &self.in_u2 }
    }

    /// The data sets and rules as the core's resampling designs read them.
    pub(crate) fn view(&self) -> aggregate::RunLayout<'_> {
        aggregate::RunLayout {
            datasets: self.datasets(),
            missing_cve_is_perfect: self.missing_cve_is_perfect,
            tolerance: self.tolerance,
        }
    }

    /// One model's cases on this layout, as the core reads them.
    pub(crate) fn cases<'a>(&'a self, columns: &'a CaseColumns) -> Cases<'a> {
        Cases {
            dataset_index: &self.dataset_index,
            correct: &columns.correct,
            error: &columns.error,
            bleu: &columns.bleu,
        }
    }

    /// One model's point estimates under this run's rules; the core's refusal (a value that does
    /// not fit its task, columns of another length) as its message.
    pub(crate) fn aggregate(&self, columns: &CaseColumns) -> Result<RunPoint, String> {
        aggregate::aggregate(&self.cases(columns), &self.datasets(), self.missing_cve_is_perfect, self.tolerance)
    }

    /// [`RunLayout::aggregate`] and what `then` derives from the point, without the GIL.
    pub(crate) fn aggregate_then<R: Send>(
        &self,
        py: Python<'_>,
        columns: &CaseColumns,
        then: impl FnOnce(&RunPoint) -> R + Send,
    ) -> PyResult<(RunPoint, R)> {
        py.detach(|| {
            let point = self.aggregate(columns)?;
            let derived = then(&point);
            Ok::<_, String>((point, derived))
        })
        .map_err(PyValueError::new_err)
    }
}

/// One model's per-case statistics: `correct` (accuracy tasks), normalized `error` (CVE) and the
/// `(n, 10)` pycocoevalcap BLEU statistics (text tasks).
#[pyclass(frozen, module = "u2fast._core")]
pub(crate) struct CaseColumns {
    correct: Vec<f64>,
    error: Vec<f64>,
    bleu: Vec<i64>,
}

#[pymethods]
impl CaseColumns {
    #[new]
    fn new(
        correct: PyReadonlyArray1<'_, f64>,
        error: PyReadonlyArray1<'_, f64>,
        bleu: PyReadonlyArray2<'_, i64>,
    ) -> PyResult<Self> {
        let (rows, cols) = bleu.as_array().dim();
        if cols != 10 {
            return Err(PyValueError::new_err(format!("bleu must have 10 columns, got {cols}")));
        }
        let (correct, error) = (correct.as_array().to_vec(), error.as_array().to_vec());
        if correct.len() != error.len() || rows != correct.len() {
            return Err(PyValueError::new_err(format!(
                "per-case arrays differ in length: correct {}, error {}, bleu rows {rows}",
                correct.len(),
                error.len()
            )));
        }
        Ok(CaseColumns { correct, error, bleu: bleu.as_array().iter().copied().collect() })
    }

    #[getter]
    fn n_cases(&self) -> usize {
        self.correct.len()
    }
}

/// How a bootstrap resamples: `n_resamples` draws (0: none, point estimates only), the `seed` of
/// its random streams, the interval's `confidence` and whether to return the resampled values.
#[pyclass(frozen, get_all, module = "u2fast._core")]
pub(crate) struct Resampling {
    pub(crate) n_resamples: usize,
    pub(crate) seed: u64,
    pub(crate) confidence: f64,
    pub(crate) return_distribution: bool,
}

#[pymethods]
impl Resampling {
    #[new]
    fn new(
        n_resamples: &Bound<'_, PyAny>,
        seed: &Bound<'_, PyAny>,
        confidence: f64,
        return_distribution: bool,
    ) -> PyResult<Self> {
        let n_resamples = n_resamples.extract::<usize>().map_err(|_| {
            PyValueError::new_err(format!("n_resamples must be a non-negative integer, got {n_resamples}"))
        })?;
        let seed = seed
            .extract::<u64>()
            .map_err(|_| PyValueError::new_err(format!("seed must be a non-negative 64-bit integer, got {seed}")))?;
        check_confidence(confidence)?;
        if n_resamples == 1 {
            return Err(PyValueError::new_err("n_resamples must be at least 2, got 1"));
        }
        Ok(Resampling { n_resamples, seed, confidence, return_distribution })
    }
}

impl Resampling {
    /// The settings of a bootstrap that must resample (`0` is refused: an interval needs resamples).
    pub(crate) fn draws(&self) -> PyResult<bootstrap::Resampling> {
        if self.n_resamples == 0 {
            return Err(PyValueError::new_err("n_resamples must be at least 2, got 0"));
        }
        Ok(self.settings())
    }

    /// The settings as the core's bootstraps read them (`return_distribution` stays with the caller).
    pub(crate) fn settings(&self) -> bootstrap::Resampling {
        bootstrap::Resampling { n_resamples: self.n_resamples, seed: self.seed, confidence: self.confidence }
    }
}
