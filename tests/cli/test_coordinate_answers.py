"""``u2fast eval --answer-format box`` end to end against ``u2fast.testing``: a Gemini-wire fake answers
boxes (and KD points) in Gemini's convention (``[ymin, xmin, ymax, xmax]`` on 0-1000), an
Anthropic-wire fake answers in pixels of the image as sent (``--max-side 64``). Every number the
run reports is recomputed here directly from what the fakes wrote and the phantom sample's exact
ground truth (the 0.45/0.55 rule and IoU/PCK written out below)."""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path

import numpy as np
import pytest
from cli_support import cli_env, eval_argv

from u2fast.data import LoadOptions, load
from u2fast.runner.images import encode_image
from u2fast.testing import FakeProvider, ReceivedRequest
from u2fast.types import Case, SectorTarget

SENT = 64  # --max-side: the sample's 128 px phantoms are sent at 64 px
GEMINI, CLAUDE = "gemini:gemini-x", "anthropic:claude-x"


def _band(v: float) -> str:
    return "0" if v < 0.45 else "1" if v < 0.55 else "2"


def _sector(x: float, y: float) -> str:
    rows, cols = ("upper", "middle", "lower"), ("left", "center", "right")
    r, c = int(_band(y)), int(_band(x))
    return "center" if (r, c) == (1, 1) else f"{rows[r]} {cols[c]}"


def _iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - iw * ih
    return iw * ih / union


def _shifted(case: Case) -> tuple[float, ...]:
    """What the fake model 'sees': the true box or point moved by a case-dependent amount."""
    k = int(case.case_id.rsplit("/", 1)[1]) + len(case.dataset_id)
    dx, dy = ((k % 5) - 2) * 0.03, ((k % 3) - 1) * 0.04
    t = case.target
    assert isinstance(t, SectorTarget) and t.cx is not None and t.cy is not None
    if case.task == "KD":
        return (min(max(t.cx + dx, 0.0), 1.0), min(max(t.cy + dy, 0.0), 1.0))
    assert case.box is not None
    x1, y1, x2, y2 = case.box
    return (max(x1 + dx, 0.0), max(y1 + dy, 0.0), min(x2 + dx, 1.0), min(y2 + dy, 1.0))


def test_boxes_in_gemini_convention_and_pixel_points_score_as_computed(tmp_path: Path) -> None:
    cases = load("sample", LoadOptions(tasks=("LL", "OD", "KD"), limit=2)).cases
    by_image = {encode_image(c.image, SENT).base64: c for c in cases}
    written: dict[tuple[str, str], tuple[float, ...] | None] = {}

    def answer(req: ReceivedRequest) -> str:
        case = by_image[req.images[0][1].replace("-", "+").replace("_", "/")]  # Gemini sends URL-safe base64
        key = "point_2d" if case.task == "KD" else "bbox_2d"
        if not isinstance(case.target, SectorTarget) or case.target.cx is None:
            written[(req.wire, case.case_id)] = None
            return f'The target is not visible. {{"{key}": null}}'
        g = _shifted(case)
        if req.wire == "gemini":  # [ymin, xmin, ymax, xmax] / [y, x] on 0-1000
            values = [g[1], g[0], g[3], g[2]] if len(g) == 4 else [g[1], g[0]]
            numbers = [round(v * 1000, 1) for v in values]
            written[(req.wire, case.case_id)] = tuple(
                (numbers[1] / 1000, numbers[0] / 1000, numbers[3] / 1000, numbers[2] / 1000) if len(g) == 4
                else (numbers[1] / 1000, numbers[0] / 1000)
            )
            return json.dumps({"box_2d" if len(g) == 4 else "point": numbers})
        numbers = [round(v * SENT, 2) for v in g]  # pixels of the 64 px image as sent
        written[(req.wire, case.case_id)] = tuple(v / SENT for v in numbers)
        return f"Here it is: ```json\n{json.dumps({key: numbers})}\n```"

    with FakeProvider(answer=answer) as fake:
        env = cli_env(GEMINI_API_KEY="g-test-key", ANTHROPIC_API_KEY="a-test-key")
        argv = eval_argv(tmp_path, "coords", GEMINI, CLAUDE, base_url=fake.url,
                         extra=["--quiet", "--json", "--answer-format", "box", "--max-side", str(SENT)])
        i = argv.index("--tasks")
        argv[i + 1 : i + 4] = ["LL,OD,KD", "--limit", "2"]
        proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((tmp_path / "coords" / "manifest.json").read_text())
    assert manifest["answer_format"] == "box" and manifest["max_side"] == SENT
    assert manifest["coords"] == {GEMINI: "yxyx-norm1000", CLAUDE: "xyxy-px"}  # the adapters' own
    models = json.loads(proc.stdout)["scores"]["models"]
    for model, wire in ((GEMINI, "gemini"), (CLAUDE, "anthropic")):
        for key in sorted({c.scenario for c in cases}):
            group = [c for c in cases if c.scenario == key]
            got = models[model]["datasets"][key]
            right = []
            for c in group:
                pred = written[(wire, c.case_id)]
                t = c.target
                assert isinstance(t, SectorTarget)
                if pred is None:
                    right.append(t.sector == "not visible")
                    continue
                cx, cy = ((pred[0] + pred[2]) / 2, (pred[1] + pred[3]) / 2) if len(pred) == 4 else pred
                right.append(_sector(cx, cy) == t.sector)
            assert got["value"]["value"] == pytest.approx(np.mean(right)), (model, key)
            assert got.get("impossible", 0) == 0
            visible = [c for c in group if written[(wire, c.case_id)] is not None]
            if not visible:
                continue
            diag = [math.hypot(c.image.width or 1, c.image.height or 1) for c in visible]
            if key.startswith("KD"):
                dist = [
                    math.hypot((written[(wire, c.case_id)][0] - c.target.cx) * (c.image.width or 1),  # type: ignore
                               (written[(wire, c.case_id)][1] - c.target.cy) * (c.image.height or 1)) / d  # type: ignore
                    for c, d in zip(visible, diag)
                ]
                assert got["spatial"]["distance"]["value"] == pytest.approx(np.mean(dist), abs=1e-9)
                assert got["spatial"]["pck@0.1"]["value"] == pytest.approx(np.mean([d <= 0.1 for d in dist]))
            else:
                ious = [_iou(written[(wire, c.case_id)], c.box) for c in visible]  # type: ignore[arg-type]
                assert got["spatial"]["iou"]["value"] == pytest.approx(np.mean(ious), abs=1e-9), (model, key)
                assert got["spatial"]["hit@0.5"]["value"] == pytest.approx(np.mean([v >= 0.5 for v in ious]))
    # the prompts stated each model's own convention
    prompts = {r.wire: r.prompt for r in fake.received() if "bbox_2d" in r.prompt}
    assert "0 to 1000" in prompts["gemini"] and "[ymin, xmin, ymax, xmax]" in prompts["gemini"]
    assert "64 pixels wide" in prompts["anthropic"]


def test_coords_auto_picks_the_convention_a_model_answers_in_once(tmp_path: Path) -> None:
    from u2fast.data.bbox import box_from_xyxy

    cases = load("sample", LoadOptions(tasks=("LL", "OD"), limit=2)).cases
    by_image = {encode_image(c.image).base64: c for c in cases}

    def answer(req: ReceivedRequest) -> str:  # exact boxes, as [x, y, w, h] on 0-1000
        case = by_image[req.images[0][1]]
        if case.box is None:
            return '{"bbox_2d": null}'
        return json.dumps({"bbox_2d": [round(v, 3) for v in box_from_xyxy(case.box, "xywh-norm1000", 0, 0)]})

    with FakeProvider(answer=answer) as fake:
        argv = eval_argv(tmp_path, "auto", "openai:gpt-x", base_url=fake.url + "/v1",
                         extra=["--quiet", "--json", "--answer-format", "box", "--coords", "auto"])
        i = argv.index("--tasks")
        argv[i + 1 : i + 4] = ["LL,OD", "--limit", "2"]
        proc = subprocess.run(argv, env=cli_env(OPENAI_API_KEY="sk-test"), capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "openai:gpt-x answers in xywh-norm1000 (chosen on 12 cases)" in proc.stderr
    manifest = json.loads((tmp_path / "auto" / "manifest.json").read_text())
    assert manifest["coords"] == {"openai:gpt-x": "xywh-norm1000"}
    # the prompt stated no convention; every answer is then read under the one chosen
    assert all("coordinate format you normally use" in r.prompt for r in fake.received())
    model = json.loads(proc.stdout)["scores"]["models"]["openai:gpt-x"]
    for key, d in model["datasets"].items():
        assert d["value"]["value"] == pytest.approx(1.0), key
        if "iou" in d.get("spatial", {}) and d["spatial_n"]["iou"]:
            assert d["spatial"]["iou"]["value"] == pytest.approx(1.0, abs=1e-3), key


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--answer-format", "box", "--mode", "compat"], "needs --mode robust"),
        (["--answer-format", "box", "--coords", "gemini"], "unknown --coords convention 'gemini'"),
        (["--coords", "xyxy-px"], "--coords applies to --answer-format box or point"),
    ],
)
def test_bad_coordinate_options_are_refused_before_anything_runs(
    tmp_path: Path, extra: list[str], message: str
) -> None:
    proc = subprocess.run(eval_argv(tmp_path, "bad", "random:uniform", extra=extra), env=cli_env(),
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and message in proc.stderr
    assert not (tmp_path / "bad").exists()
