"""Typed contract of the Rust extension ``u2fast._core`` (rust/u2fast-py).

Every function releases the GIL while it computes. Array arguments must already have the dtype
shown (the Python wrappers in ``u2fast.scoring`` convert); results are new numpy arrays.
"""

from typing import Any, Final, final

import numpy as np
import numpy.typing as npt

__all__ = [
    "__version__",
    "U2_TASKS",
    "U2_WEIGHTS",
    "RunLayout",
    "CaseColumns",
    "Resampling",
    "accuracy",
    "macro_f1",
    "regression_summary",
    "mean_over_datasets",
    "u2_score",
    "u2_task_score",
    "bleu_stats",
    "coco_bleu_score",
    "coco_sentence_scores",
    "sacrebleu_score",
    "sacrebleu_sentence_scores",
    "aggregate_cases",
    "paired_aggregate_bootstrap",
    "bootstrap_sums",
    "mcnemar_many",
    "spatial_scores",
    "rouge_scores",
    "coco_rouge_l",
    "porter_stem",
    "confusion_counts",
    "class_statistics",
    "kappa_of_table",
    "wilson_many",
    "measurement_errors",
    "bland_altman",
    "icc3",
    "ccc",
    "adjust_pvalues",
    "cochran_q",
    "minimal_detectable_difference",
    "rank_bootstrap",
    "two_stage_from_distribution",
    "cider_d",
    "rouge_tokens",
    "chrf_stats",
    "chrf_scores",
    "ter_stats",
    "ter_scores",
    "ter_corpus_score",
    "png_thumbnail_jpeg",
    "blake3_hex",
]

__version__: str
#: Task order of every 8-element array: DD VRA LL OD KD CVE RG CG.
U2_TASKS: list[str]
#: Published U2 weights in ``U2_TASKS`` order.
U2_WEIGHTS: list[float]

@final
class RunLayout:
    """Which data set each case belongs to (``dataset_index``), each data set's task code 0..7 and U2
    membership, and the run's scoring rules; checked and copied once, shared by the aggregation
    functions and by both models of a paired bootstrap."""

    missing_cve_is_perfect: Final[bool]
    tolerance: Final[float]
    n_cases: Final[int]
    n_datasets: Final[int]

    def __new__(
        cls,
        dataset_index: npt.NDArray[np.int32],
        dataset_task: npt.NDArray[np.int8],
        dataset_in_u2: npt.NDArray[np.bool_],
        *,
        missing_cve_is_perfect: bool = True,
        tolerance: float = 0.1,
    ) -> RunLayout: ...

@final
class CaseColumns:
    """One model's per-case ``correct``, ``error`` and ``bleu`` (n, 10), rows as in its layout."""

    n_cases: Final[int]

    def __new__(
        cls, correct: npt.NDArray[np.float64], error: npt.NDArray[np.float64], bleu: npt.NDArray[np.int64]
    ) -> CaseColumns: ...

@final
class Resampling:
    """Bootstrap settings: ``n_resamples`` (0: none; otherwise at least 2), a non-negative 64-bit
    ``seed``, ``confidence`` in (0, 1) and whether results carry the resampled ``distribution``."""

    n_resamples: Final[int]
    seed: Final[int]
    confidence: Final[float]
    return_distribution: Final[bool]

    def __new__(cls, n_resamples: int, seed: int, confidence: float, return_distribution: bool) -> Resampling: ...

def accuracy(correct: npt.NDArray[np.bool_]) -> float:
    """Share of true values (NaN when empty)."""

def macro_f1(y_true: npt.NDArray[np.uint32], y_pred: npt.NDArray[np.uint32]) -> float:
    """scikit-learn-compatible macro F1 over integer-coded labels."""

def regression_summary(
    y_true: npt.NDArray[np.float64],
    y_pred: npt.NDArray[np.float64],
    low: float,
    high: float,
    tolerance: float = 0.1,
) -> tuple[int, float, float, float, float]:
    """``(n, rmse, mae, std, percent_within_tolerance)`` of min-max normalized errors."""

def mean_over_datasets(values: list[float]) -> float:
    """Unweighted mean skipping NaN; NaN when nothing is left."""

def u2_score(metrics: list[float], weights: list[float], missing_cve_is_perfect: bool = True) -> float:
    """U2 from eight raw task metrics in ``U2_TASKS`` order."""

def u2_task_score(task_index: int, metric: float, missing_cve_is_perfect: bool = True) -> float:
    """The clipped [0, 1] score one raw task metric contributes before weighting."""

def bleu_stats(
    hyps: list[str],
    refs: list[list[str]],
    flavor: str = "coco",
    *,
    tokenize: str = "13a",
    max_order: int = 4,
) -> npt.NDArray[np.int64]:
    """Per-pair ``[hyp_len, ref_len, correct_1..N, total_1..N]``, shape (n, 2 + 2·max_order).

    ``flavor`` "coco" (whitespace tokens) or "sacrebleu" (``tokenize`` "13a", "intl", "zh", "char" or
    "none"); text must already be lowercased where wanted (Python's ``str.lower()``).
    """

def coco_bleu_score(stats: npt.NDArray[np.int64]) -> list[float]:
    """pycocoevalcap BLEU-1..4 (0-1 scale) of order-4 statistics (rows summed if 2-D)."""

def coco_sentence_scores(stats: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """pycocoevalcap per-segment BLEU-1..4 (0-1 scale) of every row, shape (n, 4)."""

def sacrebleu_score(
    stats: npt.NDArray[np.int64],
    smooth_method: str = "exp",
    smooth_value: float | None = None,
    effective_order: bool = False,
) -> tuple[float, list[float], list[float], list[float], float, int, int]:
    """sacreBLEU ``compute_bleu``: ``(score, counts, totals, precisions, bp, sys_len, ref_len)``."""

def sacrebleu_sentence_scores(
    stats: npt.NDArray[np.int64],
    smooth_method: str = "exp",
    smooth_value: float | None = None,
    effective_order: bool = True,
) -> npt.NDArray[np.float64]:
    """sacreBLEU score of every row of a 2-D statistics array."""

def aggregate_cases(
    layout: RunLayout, cases: CaseColumns, resampling: Resampling, *, two_stage: bool = False
) -> dict[str, Any]:
    """Run-level point estimates, with bootstrap intervals when ``resampling`` draws any.

    Keys: dataset_n, dataset_metric, dataset_mae, dataset_std, dataset_within_tolerance,
    dataset_bleu_n (d, 4), task_metric (8,), u2. Stratified intervals (cases within their data set)
    add interval_percentile and interval_bca ((d + 9, 2): datasets, tasks, U2), standard_error,
    acceleration and, if asked, distribution (n_resamples, d + 9). With ``two_stage`` (data sets,
    then cases) they are interval_percentile (9, 2) and standard_error (9,) of the tasks and U2,
    and, if asked, distribution (n_resamples, 9).
    """

def paired_aggregate_bootstrap(
    layout: RunLayout, a: CaseColumns, b: CaseColumns, resampling: Resampling
) -> dict[str, Any]:
    """Paired stratified bootstrap of A − B on the same cases (one layout).

    Keys: a and b (dicts of point estimates, keys as ``aggregate_cases`` without intervals),
    difference (d + 9,), interval_percentile and interval_bca ((d + 9, 2)), standard_error,
    acceleration, pvalue (shift method) and, if asked, distribution (n_resamples, d + 9).
    """

def bootstrap_sums(
    data: npt.NDArray[np.float64],
    statistic_name: str,
    resampling: Resampling,
    *,
    baseline: npt.NDArray[np.float64] | None = None,
    strata: npt.NDArray[np.uint32] | None = None,
    smooth_method: str = "exp",
    smooth_value: float | None = None,
    effective_order: bool = False,
) -> dict[str, Any]:
    """Bootstrap of a sum statistic ("mean", "ratio", "rms", "coco_bleu", "sacrebleu") of rows
    (n, k): estimate, acceleration, percentile, bca, standard_error[, distribution]. With a
    ``baseline`` of the same shape (another system on the same cases), of statistic(data) −
    statistic(baseline), resampled with the same indices, plus the shift-method pvalue."""

def mcnemar_many(
    b: npt.NDArray[np.float64],
    c: npt.NDArray[np.float64],
    exact: bool = True,
    correction: bool = True,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """statsmodels ``mcnemar`` on many tables' discordant counts: ``(statistics, pvalues)``."""

def spatial_scores(
    pred: npt.NDArray[np.float64],
    truth: npt.NDArray[np.float64],
    width: npt.NDArray[np.float64],
    height: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """Per-case scores of predicted boxes (n, 4) or points (n, 2) against the truth, in normalized
    coordinates: boxes give iou, hit@0.5, centre-in-box, centre distance / diagonal; points give
    distance / diagonal, PCK@0.05, PCK@0.1. NaN in a row's input gives NaN scores."""

def rouge_scores(
    hyps: list[str], refs: list[list[str]], types: list[str], use_stemmer: bool = False
) -> npt.NDArray[np.float64]:
    """rouge-score per pair, shape (n, len(types), 3): precision, recall, fmeasure."""

def coco_rouge_l(hyps: list[str], refs: list[list[str]]) -> npt.NDArray[np.float64]:
    """pycocoevalcap ROUGE-L per pair, shape (n, 3): max precision, max recall, score."""

def porter_stem(word: str) -> str:
    """NLTK ``PorterStemmer().stem(word)`` in NLTK_EXTENSIONS mode."""

def confusion_counts(
    y_true: npt.NDArray[np.uint32], y_pred: npt.NDArray[np.uint32], n_classes: int
) -> npt.NDArray[np.int64]:
    """Counts (k, k + 1) of class codes 0..k-1; prediction code k is the unparsed/refused column."""

def class_statistics(counts: npt.NDArray[np.int64], confidence: float = 0.95) -> dict[str, Any]:
    """One-vs-rest statistics of a (k, k + 1) confusion matrix.

    Keys: tp, fp, fn, tn (k,); sensitivity, specificity, ppv, npv, f1 (k,); sensitivity_interval,
    specificity_interval, ppv_interval, npv_interval (k, 2) Wilson; means {name: (macro, weighted)};
    accuracy, accuracy_interval, balanced_accuracy, kappa (unparsed as its own category).
    """

def kappa_of_table(table: npt.NDArray[np.int64], weights: str) -> float:
    """Cohen's kappa of a square table of counts; weights "none", "linear" or "quadratic"."""

def wilson_many(
    count: npt.NDArray[np.float64], nobs: npt.NDArray[np.float64], confidence: float = 0.95
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Wilson score intervals ``(low, high)`` of many proportions (NaN where nobs is 0)."""

def measurement_errors(
    measured: npt.NDArray[np.float64], reference: npt.NDArray[np.float64]
) -> tuple[int, float, float, float]:
    """``(n, mae, rmse, bias)`` of measured - reference in native units."""

def bland_altman(
    measured: npt.NDArray[np.float64],
    reference: npt.NDArray[np.float64],
    agreement: float = 1.96,
    confidence: float = 0.95,
) -> dict[str, Any]:
    """Keys: n, bias, sd, lower, upper, bias_interval, lower_interval, upper_interval."""

def icc3(
    measured: npt.NDArray[np.float64], reference: npt.NDArray[np.float64], confidence: float = 0.95
) -> tuple[float, float, float, float, float, tuple[float, float]]:
    """ICC(3,1) of two raters: ``(icc, f, df1, df2, pvalue, (low, high))``."""

def ccc(measured: npt.NDArray[np.float64], reference: npt.NDArray[np.float64]) -> float:
    """Lin's concordance correlation coefficient."""

def adjust_pvalues(pvalues: npt.NDArray[np.float64], method: str) -> npt.NDArray[np.float64]:
    """Holm ("holm") or Benjamini-Hochberg ("fdr_bh") adjusted p-values; NaN stays NaN."""

def cochran_q(
    estimates: npt.NDArray[np.float64], variances: npt.NDArray[np.float64]
) -> tuple[int, float, float, float, float, float]:
    """``(k, q, df, pvalue, i_squared, pooled)`` over groups with a positive finite variance."""

def minimal_detectable_difference(
    differences: npt.NDArray[np.float64], alpha: float = 0.05, power: float = 0.8
) -> float:
    """``(z_{1-alpha/2} + z_power) * sd(d) / sqrt(n)`` of paired differences."""

def rank_bootstrap(
    layout: RunLayout,
    correct: npt.NDArray[np.float64],
    error: npt.NDArray[np.float64],
    bleu: npt.NDArray[np.int64],
    counted: npt.NDArray[np.bool_],
    resampling: Resampling,
    *,
    two_stage: bool = False,
) -> dict[str, Any]:
    """Joint ranks of m models (correct, error, counted (m, n), bleu (m, n, 10)): keys u2 (m,),
    u2_interval (m, 2), rank (m,), rank_interval (m, 2), p_first (m,), mean_rank (m,)."""

def cider_d(hyps: list[str], refs: list[list[str]], sigma: float = 6.0) -> npt.NDArray[np.float64]:
    """pycocoevalcap ``Cider(sigma=sigma)`` per-segment CIDEr-D (corpus-level document frequencies), shape (n,).

    Raises ValueError when no reference has any word."""

def rouge_tokens(text: str, use_stemmer: bool = False) -> list[str]:
    """rouge-score ``DefaultTokenizer(use_stemmer).tokenize(text)``."""

def chrf_stats(
    hyps: list[str],
    refs: list[list[str]],
    char_order: int = 6,
    word_order: int = 0,
    beta: float = 2.0,
    whitespace: bool = False,
    eps_smoothing: bool = False,
) -> npt.NDArray[np.int64]:
    """Per-pair chrF statistics ``[hyp, ref, match]`` per order, shape (n, 3·(char_order + word_order)),
    of the best reference by segment F-score; text already lowercased where wanted."""

def chrf_scores(
    stats: npt.NDArray[np.int64], beta: float = 2.0, eps_smoothing: bool = False
) -> npt.NDArray[np.float64]:
    """sacreBLEU chrF (0-100) of every row of a 2-D statistics array."""

def ter_stats(
    hyps: list[str],
    refs: list[list[str]],
    normalized: bool = False,
    no_punct: bool = False,
    asian_support: bool = False,
) -> npt.NDArray[np.float64]:
    """Per-pair sacreBLEU TER statistics ``[fewest edits over the references, average reference length]``,
    shape (n, 2); text already lowercased where wanted. Raises ValueError for a pair without references."""

def ter_scores(stats: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """TER (0-100) of every row of an (n, 2) statistics array."""

def ter_corpus_score(stats: npt.NDArray[np.float64]) -> tuple[float, float, float]:
    """Corpus TER of the rows: (score 0-100, summed edits, summed reference lengths), summed in row order."""

def two_stage_from_distribution(
    layout: RunLayout, distribution: npt.NDArray[np.float64], task_metric: list[float], u2: float, resampling: Resampling
) -> dict[str, Any]:
    """Two-stage intervals whose second stage draws from a stratified distribution (resamples, d + 9):
    keys interval_percentile (9, 2), standard_error (9,)."""

def png_thumbnail_jpeg(data: bytes, side: int, quality: int, max_pixels: int, base64: bool = False) -> bytes | None:
    """JPEG thumbnail (longest side at most ``side``, Pillow's size rule and bicubic filter) of an 8-bit
    grey or RGB PNG (``data`` its bytes, or with ``base64`` their standard base64 text), made without
    the GIL; None for any other image, one over ``max_pixels`` pixels or one that does not decode here
    (the caller falls back to Pillow)."""

def blake3_hex(data: bytes) -> str:
    """BLAKE3 digest (32 bytes) of ``data`` as 64 lowercase hex characters; inputs of 1 MiB or more are
    hashed without the GIL. The re-read check of stored image text (``ImageRef.stored_blake3``)."""
