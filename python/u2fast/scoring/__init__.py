"""u2fast's embeddable scorer: exact BLEU/chrF/TER/ROUGE/CIDEr-D, bootstrap intervals, McNemar, clinical statistics and the U2-Score.

Importing this package loads numpy, the Rust core and the data model (msgspec), never the runner, the data
loaders or the plugin machinery; the README names the third-party packages and a test holds it to that.
"""

from __future__ import annotations

from u2fast.scoring._aggregate import (
    TASK_CODES,
    RunAggregate,
    RunIntervals,
    TwoStageIntervals,
    aggregate_cases,
    two_stage_bootstrap,
)
from u2fast.scoring._agreement import BlandAltman, Icc, MeasurementErrors, bland_altman, ccc, icc3, measurement_errors
from u2fast.scoring._bleu import BleuResult, bleu_stats, corpus_bleu, score_bleu_stats, sentence_bleu
from u2fast.scoring._bootstrap import (
    STATISTICS,
    BootstrapResult,
    PairedBootstrapResult,
    bootstrap_ci,
    paired_bootstrap,
)
from u2fast.scoring._chrf import ChrfResult, chrf_stats, corpus_chrf, sentence_chrf
from u2fast.scoring._cider import CiderResult, cider
from u2fast.scoring._confusion import (
    ClassStatistics,
    ConfusionMatrix,
    class_statistics,
    cohen_kappa,
    confusion_matrix,
    wilson_interval,
)
from u2fast.scoring._mcnemar import McNemarResult, mcnemar
from u2fast.scoring._multiplicity import Heterogeneity, cochran_q, minimal_detectable_difference, multipletests
from u2fast.scoring._paired_run import PairedRunBootstrap, paired_run_bootstrap
from u2fast.scoring._ranks import RankIntervals, rank_bootstrap
from u2fast.scoring._rouge import RougeScores, porter_stem, rouge, rouge_tokenize
from u2fast.scoring._signature import SentenceScores
from u2fast.scoring._spatial import BOX_METRICS, POINT_METRICS, spatial_scores
from u2fast.scoring._ter import TerResult, corpus_ter, sentence_ter, ter_stats
from u2fast.scoring._u2 import U2_WEIGHTS, u2_score

__all__ = [
    "BlandAltman",
    "ClassStatistics",
    "ConfusionMatrix",
    "Heterogeneity",
    "Icc",
    "MeasurementErrors",
    "RankIntervals",
    "TwoStageIntervals",
    "bland_altman",
    "ccc",
    "class_statistics",
    "cochran_q",
    "cohen_kappa",
    "confusion_matrix",
    "icc3",
    "measurement_errors",
    "minimal_detectable_difference",
    "multipletests",
    "rank_bootstrap",
    "two_stage_bootstrap",
    "wilson_interval",
    "BOX_METRICS",
    "POINT_METRICS",
    "STATISTICS",
    "TASK_CODES",
    "U2_WEIGHTS",
    "BleuResult",
    "BootstrapResult",
    "ChrfResult",
    "CiderResult",
    "McNemarResult",
    "PairedBootstrapResult",
    "PairedRunBootstrap",
    "RougeScores",
    "RunAggregate",
    "RunIntervals",
    "SentenceScores",
    "TerResult",
    "aggregate_cases",
    "bleu_stats",
    "bootstrap_ci",
    "chrf_stats",
    "cider",
    "corpus_bleu",
    "corpus_chrf",
    "corpus_ter",
    "mcnemar",
    "paired_bootstrap",
    "paired_run_bootstrap",
    "porter_stem",
    "rouge",
    "rouge_tokenize",
    "score_bleu_stats",
    "sentence_bleu",
    "sentence_chrf",
    "sentence_ter",
    "spatial_scores",
    "ter_stats",
    "u2_score",
]
