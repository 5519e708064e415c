"""The ``replay`` adapter: answers read from a file instead of a model.

``--model replay:PATH`` where PATH is

- a jsonl file of u2fast records ``{"case_id": "DD/21/7", "text": "benign"}`` (an ``error`` field
  instead of ``text`` replays a failure);
- a jsonl file of the official kit's output rows ``{"id": "7", "response": "benign", ...}`` that also
  carry ``task`` and ``dataset`` (or ``dataset_id``) fields; or
- a directory laid out as the official kit writes its outputs,
  ``<dir>/<family>/<dataset>/<model>/*.jsonl`` with ``family`` one of cla, seg, measurement, report;
  when it holds several models, pick one with ``replay:DIR#MODEL``.

Rows are joined to cases **by id**, never by position. An official row whose response is one of the
kit's API failure messages becomes an error record (kind ``replayed_error``, final: replaying it again
cannot succeed), not an answer; its text is kept so that ``compat`` scoring can treat it the way the
kit's scorers did. A case with no row gets a
``missing_answer`` error, so it shows in the error rate instead of silently scoring as wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import msgspec

from ..errors import ConfigError, DataError
from ..hookspecs import hookimpl
from ..jsonl import decode_lines
from ..types import ApiError, Request
from ..u2bench.scenarios import SCENARIOS
from ..u2bench.tasks import task_spec
from .base import AdapterInfo, AdapterSettings, EncodedImage, LocalAdapter, Reply

__all__ = ["ReplayAdapter", "load_replay"]

#: (family, dataset id) -> task: unique because no dataset id appears twice within a family.
_TASK_OF: dict[tuple[str, str], str] = {(task_spec(s.task).family, s.dataset_id): s.task for s in SCENARIOS}
#: Messages the official kit stores as "answers" when every retry failed (docs/u2bench.md 9.1).
_OFFICIAL_FAILURES = ("API调用失败", "多次API调用尝试失败", "调用API时发生错误", "Failed to obtain answer via API")


def _normalize_dataset(raw: str) -> str:
    raw = raw.strip()
    return raw.zfill(2) if raw.isdigit() else raw


def _official_reply(response: object) -> Reply:
    if not isinstance(response, str):
        return Reply(error=ApiError(kind="missing_answer", message="official row has no response text"))
    if any(response.startswith(m) for m in _OFFICIAL_FAILURES):
        # verbatim: compat scoring uses it as the kit did (as the answer text)
        return Reply(error=ApiError(kind="replayed_error", message=response))
    return Reply(text=response)


_row_decoder = msgspec.json.Decoder(dict[str, object])


def _read_jsonl(path: Path) -> list[tuple[int, dict[str, object]]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read the replayed answers: {exc}") from exc
    return list(decode_lines(data, _row_decoder, path, "a JSON object", DataError))


def _add(table: dict[str, Reply], case_id: str, reply: Reply, where: str) -> None:
    if case_id in table and table[case_id] != reply:
        raise DataError(f"{where}: case {case_id!r} appears twice with different answers")
    table[case_id] = reply


def load_replay(path: str | Path, model: str | None = None) -> dict[str, Reply]:
    """Read replayed answers keyed by u2fast case id (``TASK/dataset/index``).

    ``model`` selects one ``<model>`` folder of an official-kit output directory.
    """
    root = Path(path)
    if not root.exists():
        raise ConfigError(f"replay source {root} does not exist")
    table: dict[str, Reply] = {}
    if root.is_dir():
        files = sorted(root.glob("*/*/*/*.jsonl"))
        if not files:
            raise ConfigError(f"{root}: no <family>/<dataset>/<model>/*.jsonl files found")
        models = sorted({f.parts[-2] for f in files})
        if model is not None:
            if model not in models:
                raise ConfigError(f"{root}: no model folder {model!r}; found: {', '.join(models)}")
            files = [f for f in files if f.parts[-2] == model]
        elif len(models) > 1:
            raise ConfigError(
                f"{root} holds outputs of several models ({', '.join(models)}); "
                f"pick one with --model replay:{root}#MODEL"
            )
        for file in files:
            family, dataset = file.parts[-4], _normalize_dataset(file.parts[-3])
            task = _TASK_OF.get((family, dataset))
            if task is None:
                raise DataError(f"{file}: no U2-Bench scenario for family {family!r} and dataset {dataset!r}")
            for lineno, row in _read_jsonl(file):
                if "id" not in row:
                    raise DataError(f"{file}: line {lineno}: field 'id' is missing")
                _add(table, f"{task}/{dataset}/{row['id']}", _official_reply(row.get("response")), f"{file}:{lineno}")
        return table
    for lineno, row in _read_jsonl(root):
        where = f"{root}:{lineno}"
        if "case_id" in row:
            if "error" in row:
                reply = Reply(error=ApiError(kind="replayed_error", message=str(row["error"])[:2000]))
            elif isinstance(row.get("text"), str):
                reply = Reply(text=str(row["text"]))
            else:
                raise DataError(f"{where}: field 'text' is missing or not a string")
            _add(table, str(row["case_id"]), reply, where)
        elif "id" in row:
            row_task, row_dataset = row.get("task"), row.get("dataset", row.get("dataset_id"))
            if not isinstance(row_task, str) or row_dataset is None:
                raise DataError(
                    f"{where}: an official row needs 'task' and 'dataset' fields to be joined by id "
                    "(or use the <family>/<dataset>/<model>/ directory layout)"
                )
            _add(table, f"{row_task}/{_normalize_dataset(str(row_dataset))}/{row['id']}",
                 _official_reply(row.get("response")), where)
        else:
            raise DataError(f"{where}: expected a 'case_id' or an 'id' field")
    return table


class ReplayAdapter:
    """Answers from a file; a LocalAdapter."""

    name = "replay"

    def __init__(self, spec: str) -> None:
        self.model = spec
        path, _, model = spec.partition("#")
        self._answers = load_replay(path, model or None)

    def __len__(self) -> int:
        return len(self._answers)

    async def generate(self, request: Request, images: Sequence[EncodedImage]) -> Reply:
        reply = self._answers.get(request.case_id)
        if reply is None:
            return Reply(error=ApiError(kind="missing_answer", message=f"no replayed answer for {request.case_id}"))
        return reply


def _create(settings: AdapterSettings) -> LocalAdapter:
    if not settings.model:
        raise ConfigError("replay needs a file or folder: --model replay:PATH (or replay:DIR#MODEL)")
    return ReplayAdapter(settings.model)


@hookimpl
def u2fast_register_adapters(register: Callable[[AdapterInfo], None]) -> None:
    register(
        AdapterInfo(
            name="replay",
            create=_create,
            default_model="",
            description="Answers read from a jsonl file or an official-kit output folder, joined by case id",
            needs_images=False,
        )
    )
