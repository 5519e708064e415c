"""Joint rank intervals for the leaderboard: every model of the report resampled on the same cases.

Models are ranked together when their runs used the same data (dataset fingerprint); within such a
group only the cases every model has are used, so each resample scores all of them on identical
cases (``u2fast.scoring.rank_bootstrap``). A model alone in its group, or with no answer at all, gets
no rank interval.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from ..scoring import rank_bootstrap
from ..types import TASKS
from ..u2bench.scenarios import scenario
from .build import ScoredModel
from .ranking_entry import RankEntry

__all__ = ["RankEntry", "joint_ranks"]


def joint_ranks(
    scored: Sequence[ScoredModel], *, n_resamples: int, confidence: float, seed: int, compat: bool
) -> dict[str, RankEntry]:
    """Label -> rank entry, for every model that shares its data with at least one other."""
    groups: dict[str, list[ScoredModel]] = defaultdict(list)
    for sm in scored:
        if sm.scores.answered == 0:
            continue  # its U2 is null: ranked, it came out "1 [1, 1], P(rank=1) 1.00" beside the others
        groups[sm.run.manifest.dataset_fingerprint].append(sm)
    out: dict[str, RankEntry] = {}
    for fingerprint, members in groups.items():
        if len(members) < 2 or n_resamples < 2:
            continue
        per_model = [
            {rec.case.case_id: cs for rec, (_, cs) in zip(sm.run.records, sm.judged, strict=True)} for sm in members
        ]
        common = sorted(set.intersection(*(set(p) for p in per_model)))
        if not common:
            continue
        first = per_model[0]
        keys = sorted({f"{first[c].task}/{first[c].dataset_id}" for c in common},
                      key=lambda k: (TASKS.index(k.split("/")[0]), k))
        index = {k: i for i, k in enumerate(keys)}
        dataset_index = np.array([index[f"{first[c].task}/{first[c].dataset_id}"] for c in common], np.int32)
        dataset_task = np.array([TASKS.index(k.split("/")[0]) for k in keys], np.int8)
        facts = [scenario(*k.split("/", 1)) for k in keys]
        in_u2 = np.array([f.in_u2 if f is not None else True for f in facts], bool)
        m, n = len(members), len(common)
        correct = np.full((m, n), np.nan)
        error = np.full((m, n), np.nan)
        bleu = np.zeros((m, n, 10), np.int64)
        counted = np.zeros((m, n), bool)
        for j, p in enumerate(per_model):
            for i, c in enumerate(common):
                cs = p[c]
                counted[j, i] = cs.counted and (cs.correct is not None or cs.error is not None or cs.bleu is not None)
                if cs.correct is not None:
                    correct[j, i] = float(cs.correct)
                if cs.error is not None:
                    error[j, i] = cs.error
                if cs.bleu is not None:
                    bleu[j, i] = cs.bleu
        r = rank_bootstrap(dataset_index, dataset_task, in_u2, correct, error, bleu, counted,
                           missing_cve_is_perfect=compat, n_resamples=n_resamples, confidence=confidence, seed=seed)
        for j, sm in enumerate(members):
            out[sm.label] = RankEntry(
                group=fingerprint[:12], models=m, cases=n, rank=int(r.rank[j]),
                low=int(r.rank_interval[j, 0]), high=int(r.rank_interval[j, 1]),
                p_first=float(r.p_first[j]), mean_rank=float(r.mean_rank[j]),
            )
    return out
