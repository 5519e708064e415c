"""The report schema embeds the scoring structures: every field of a model's scores, of each task and of
each scenario reaches the report's JSON with the scorer's value, without a copy in the report code."""

from __future__ import annotations

import json

import msgspec
from report_support import Runs

from u2fast.folder_scoring import ScoringOptions
from u2fast.report.build import build_report, load_run, score_run_models
from u2fast.scoring.scores import DatasetScore, ModelSummary, TaskScore


def test_every_scoring_field_reaches_the_report_json_with_its_value(runs: Runs) -> None:
    options = ScoringOptions(n_resamples=0)
    loaded = [load_run(runs.default_run), load_run(runs.partial_run)]
    scored = score_run_models(loaded, options)
    out = json.loads(msgspec.json.encode(build_report(scored, loaded, options)))
    by_label = {m["label"]: m for m in out["models"]}
    for sm in scored:
        entry = by_label[sm.label]
        want = json.loads(msgspec.json.encode(sm.scores))
        for name in ModelSummary.__struct_fields__:
            if name == "tasks":
                continue
            # scores.json leaves defaults out; the report writes every field
            assert name in entry, name
            assert entry[name] == want.get(name, entry[name]), name
        for task, ts in sm.scores.tasks.items():
            got, want_task = entry["tasks"][task], json.loads(msgspec.json.encode(ts))
            assert set(TaskScore.__struct_fields__) <= set(got)
            assert {k: got[k] for k in want_task} == want_task
        for ds in sm.scores.datasets.values():
            (row,) = [d for d in out["datasets"]
                      if d["label"] == sm.label and (d["task"], d["dataset_id"]) == (ds.task, ds.dataset_id)]
            want_ds = json.loads(msgspec.json.encode(ds))
            assert set(DatasetScore.__struct_fields__) <= set(row)
            assert {k: row[k] for k in want_ds} == want_ds
