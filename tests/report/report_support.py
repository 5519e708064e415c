"""Shared by the report tests: runs on the bundled sample: the random baseline and deterministic fake models.

The fake models are replay files written from the cases' ground truth. On the classification and
sector cases (DD, VRA, LL, OD, KD) model A is right on about 70% and model B on about 60%, with
exactly chosen discordant counts, so the McNemar numbers are known in advance.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from u2fast.cli import main
from u2fast.runfolder import CaseRecord, read_cases
from u2fast.types import SECTOR_LABELS, LabelTarget, SectorTarget, TextTarget, ValueTarget

CLASSIFICATION = ("DD", "VRA", "LL", "OD", "KD")
#: The bundled sample has 168 classification and sector cases: 96 + 22 + 5 + 45.
BOTH_RIGHT, ONLY_A, ONLY_B, BOTH_WRONG = 96, 22, 5, 45
#: What the escaping test's model answers, case after case in turn: markup, template and CDATA
#: syntax, javascript: URLs, attribute breakouts, and unicode that JSON and HTML treat specially.
HOSTILE_ANSWERS = (
    'benign <script>alert(1)</script> </script><!-- <img src="http://example.invalid/x.png"> & more',
    "malignant ]]> {{ 7*7 }} ${alert(2)} <a href=\"javascript:alert(3)\">link</a>",
    "\" onmouseover=\"alert(4)\" x=' onfocus=alert(5) autofocus <svg onload=alert(6)>",
    "\u00fcn\u00efc\u00f6d\u00e9 \u8d85\u58f0 \U0001fac0 \u2028 \u2029 \u202e RTL <iframe src=\"javascript:alert(7)\">",
)
#: The first case's answer instead: about 100 KB of text with markup in it.
HUGE_ANSWER = ("<script>alert(8)</script> \u8d85\u58f0 " + "x" * 2000 + "\n") * 50
HOSTILE = HOSTILE_ANSWERS[0]


def hostile_answer(index: int) -> str:
    return HUGE_ANSWER if index == 0 else HOSTILE_ANSWERS[index % len(HOSTILE_ANSWERS)]


def right_answer(rec: CaseRecord) -> str:
    t = rec.case.target
    if isinstance(t, LabelTarget):
        return t.label
    if isinstance(t, SectorTarget):
        return t.sector
    if isinstance(t, ValueTarget):
        return f"{t.value:g}"
    assert isinstance(t, TextTarget)
    return t.text


def wrong_answer(rec: CaseRecord) -> str:
    t = rec.case.target
    if isinstance(t, LabelTarget):
        return next(o for o in t.options if o.strip().lower() != t.label.strip().lower())
    if isinstance(t, SectorTarget):
        return next(s for s in SECTOR_LABELS if s != t.sector)
    raise AssertionError("only classification and sector cases have a wrong option")


@dataclass
class Runs:
    root: Path
    random_run: Path
    default_run: Path
    ablation_run: Path
    hostile_run: Path
    model_a: str
    model_b: str
    #: case id -> (A right, B right) for the classification and sector cases
    truth: dict[str, tuple[bool, bool]]
    #: model A's answers replayed with an API error on 3 of 5 cases and no row for 1 of 10
    errors_run: Path
    #: model A's answers on DD and LL only (``--tasks DD,LL``)
    partial_run: Path
    model_errors: str

    @property
    def ablation(self) -> list[str]:
        """``u2fast compare`` arguments of the prompt ablation: model A of the default run against the
        ablation run's only model (B, the same answers asked with the no-anatomy prompt)."""
        return [str(self.default_run), str(self.ablation_run), "--model-a", self.model_a]


def _errors_rows(path: Path, answers: dict[str, str]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i, (case_id, text) in enumerate(answers.items()):
            if i % 10 == 9:
                continue  # no row: a missing_answer error
            row = {"case_id": case_id, "error": "HTTP 500"} if i % 5 < 3 else {"case_id": case_id, "text": text}
            fh.write(json.dumps(row) + "\n")


def _eval(root: Path, name: str, *extra: str) -> Path:
    rc = main(["eval", "--quiet", "--runs-dir", str(root), "--name", name, "--bootstrap", "0", *extra])
    assert rc == 0
    return root / name


def _write_replay(path: Path, answers: dict[str, str]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for case_id, text in answers.items():
            fh.write(json.dumps({"case_id": case_id, "text": text}) + "\n")


def build_runs(root: Path) -> Runs:
    random_run = _eval(root, "random")
    records = read_cases(random_run)
    cls = [r for r in records if r.case.task in CLASSIFICATION]
    assert len(cls) == BOTH_RIGHT + ONLY_A + ONLY_B + BOTH_WRONG, "the bundled sample changed size"
    patterns = [(True, True)] * BOTH_RIGHT + [(True, False)] * ONLY_A + [(False, True)] * ONLY_B
    patterns += [(False, False)] * BOTH_WRONG
    random.Random(7).shuffle(patterns)
    truth = {r.case.case_id: p for r, p in zip(cls, patterns)}
    answers_a, answers_b = {}, {}
    for r in records:
        cid = r.case.case_id
        if cid in truth:
            a_ok, b_ok = truth[cid]
            answers_a[cid] = right_answer(r) if a_ok else wrong_answer(r)
            answers_b[cid] = right_answer(r) if b_ok else wrong_answer(r)
        else:  # CVE, RG, CG: A exact, B a generic answer
            answers_a[cid] = right_answer(r)
            answers_b[cid] = right_answer(r) if r.case.task == "CVE" else "normal study"
    file_a, file_b, file_h = root / "model_a.jsonl", root / "model_b.jsonl", root / "hostile.jsonl"
    _write_replay(file_a, answers_a)
    _write_replay(file_b, answers_b)
    _write_replay(file_h, {r.case.case_id: hostile_answer(i) for i, r in enumerate(records)})
    default_run = _eval(root, "default", "--model", f"replay:{file_a}", "--model", "random")
    ablation_run = _eval(root, "ablation", "--model", f"replay:{file_b}", "--prompt-variant", "no-anatomy")
    hostile_run = _eval(root, "hostile", "--model", f"replay:{file_h}")
    file_e = root / "errors.jsonl"
    _errors_rows(file_e, answers_a)
    errors_run = _eval(root, "errors", "--model", f"replay:{file_e}")
    partial_run = _eval(root, "partial", "--model", f"replay:{file_a}", "--tasks", "DD,LL")
    return Runs(
        root,
        random_run,
        default_run,
        ablation_run,
        hostile_run,
        f"replay:{file_a}",
        f"replay:{file_b}",
        truth,
        errors_run,
        partial_run,
        f"replay:{file_e}",
    )
