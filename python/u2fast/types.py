"""The data model: one direction, source -> Case -> Prompt -> Request -> Completion -> Prediction -> CaseScore.

Every type is a frozen msgspec Struct so that it can be journalled and read back cheaply.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import msgspec

# The task codes and sector labels are U2-Bench facts; re-exported here as part of the data model.
from .u2bench.sectors import SECTOR_LABELS
from .u2bench.tasks import TASKS, TaskName

__all__ = [
    "TASKS",
    "TaskName",
    "SECTOR_LABELS",
    "ErrorKind",
    "LabelTarget",
    "SectorTarget",
    "ValueTarget",
    "TextTarget",
    "Target",
    "ImageRef",
    "CaseIdentity",
    "Case",
    "Prompt",
    "GenerationParams",
    "Request",
    "HttpRequest",
    "Usage",
    "ApiError",
    "Completion",
    "Prediction",
    "CaseScore",
    "ModelSetup",
    "RunLimits",
    "RunManifest",
    "RunSetup",
]

#: Classes of failed API calls (docs/architecture.md). An error is never stored as text.
ErrorKind = Literal[
    "rate_limited",
    "quota_exhausted",
    "server",
    "overloaded",
    "timeout",
    "connection",
    "bad_request",
    "auth",
    "content_filtered",
    "malformed_response",
    "budget_exceeded",
    "cancelled",
    "missing_answer",
    "replayed_error",
    "batch_expired",
]


# --------------------------------------------------------------------------- targets


class LabelTarget(msgspec.Struct, frozen=True, tag="label"):
    """DD and VRA: one option of a fixed list."""

    label: str
    options: tuple[str, ...]


class SectorTarget(msgspec.Struct, frozen=True, tag="sector"):
    """LL, OD and KD: one of the ten sector labels, from a normalized centre point."""

    sector: str
    #: The structure or keypoint the prompt asks about (OD, KD); None for LL.
    structure: str | None = None
    #: Normalized centre the sector was computed from; None when not visible.
    cx: float | None = None
    cy: float | None = None


class ValueTarget(msgspec.Struct, frozen=True, tag="value"):
    """CVE: a number with the clinical range used to normalize it."""

    value: float
    low: float
    high: float
    unit: str = ""


class TextTarget(msgspec.Struct, frozen=True, tag="text"):
    """RG and CG: the reference report or caption."""

    text: str


Target = LabelTarget | SectorTarget | ValueTarget | TextTarget


# --------------------------------------------------------------------------- cases


class ImageRef(msgspec.Struct, frozen=True):
    """Where a case's image bytes live, so that a case stays small until the image is needed.

    Exactly one of these layouts:
    - ``data`` holds the raw bytes (parquet, hub and in-memory sources);
    - ``path`` is an image file (``offset``/``length`` unused);
    - ``path`` is a text table and the base64 text of the image is the byte range
      ``[offset, offset + length)`` of that file (release TSV files).
    """

    sha256: str
    mime: str
    path: str | None = None
    offset: int = 0
    length: int = -1
    base64: bool = False
    data: bytes | None = None
    width: int = 0
    height: int = 0
    #: SHA-256 of the stored base64 text (``base64`` refs), as u2fast recorded it before
    #: ``stored_blake3``: still checked when a folder's cases carry it; null in what u2fast records now.
    stored_sha256: str | None = None
    #: BLAKE3 of the stored base64 text (``base64`` refs; ``u2fast.data.images.text_digest``):
    #: checked whenever the image is read again, so a data folder regenerated in place is noticed
    #: without decoding anything.
    stored_blake3: str | None = None

    @property
    def stored_digest(self) -> str | None:
        """The recorded digest of the stored text, whichever hash made it; None when there is none."""
        return self.stored_blake3 or self.stored_sha256


class CaseIdentity(msgspec.Struct, frozen=True):
    """Which case: its id, and the dataset and task that make its scenario. The leading fields of
    ``Case`` and ``CaseScore``; ``Request`` spells them after its ``key`` (its field order is public)."""

    case_id: str
    dataset_id: str
    task: TaskName

    @property
    def scenario(self) -> str:
        """``TASK/dataset`` - the unit the official tables report."""
        return f"{self.task}/{self.dataset_id}"


class Case(CaseIdentity, frozen=True):
    """One benchmark item, built once by a loader and never mutated."""

    target: Target
    image: ImageRef
    anatomy: str | None = None
    hint: str | None = None
    #: Where the case came from, for error messages: file and 0-based data row.
    source: str = ""
    row: int = -1
    #: LL/OD: normalized corners (x1, y1, x2, y2) of the ground-truth box the sector comes from, for
    #: box answers. Not in the data fingerprint: its centre already is (``SectorTarget.cx``/``cy``).
    box: tuple[float, float, float, float] | None = None


# --------------------------------------------------------------------------- prompts and requests


class Prompt(msgspec.Struct, frozen=True):
    """A prompt in its three parts, kept apart so that an ablation can drop or change one."""

    role: str
    instruction: str
    output_format: str
    #: How the parts are joined (the official report prompts join them with nothing).
    separator: str = "\n"
    #: Which template produced it, e.g. ``u2fast:DD/21`` or ``official:cla/21``; recorded in runs.
    template: str = ""
    variant: str = "default"

    @property
    def text(self) -> str:
        return self.separator.join(p for p in (self.role, self.instruction, self.output_format) if p)


class GenerationParams(msgspec.Struct, frozen=True, omit_defaults=True):
    """Sampling settings sent to the model. Part of the journal key."""

    temperature: float = 0.0
    max_tokens: int = 1024
    top_p: float | None = None
    seed: int | None = None


class Request(msgspec.Struct, frozen=True):
    """One call to make: a case's prompt for one model."""

    key: str
    case_id: str
    dataset_id: str
    task: TaskName
    #: ``adapter:model``, e.g. ``openai:gpt-4.1`` or ``random:uniform``.
    model: str
    prompt: Prompt
    images: tuple[ImageRef, ...]
    params: GenerationParams = GenerationParams()


class HttpRequest(msgspec.Struct, frozen=True):
    """What an adapter asks the runner to send (sans-I/O)."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes

    def __repr__(self) -> str:  # never show a credential, even in a traceback
        from .credentials import redact_headers, redact_url

        shown = redact_headers(self.headers)
        return (f"HttpRequest(method={self.method!r}, url={redact_url(self.url)!r}, headers={shown!r}, "
                f"body=<{len(self.body)} bytes>)")


class Usage(msgspec.Struct, frozen=True, omit_defaults=True):
    input_tokens: int = 0
    output_tokens: int = 0


class ApiError(msgspec.Struct, frozen=True, omit_defaults=True):
    """A classified failure of one attempt."""

    kind: ErrorKind
    message: str
    status: int | None = None
    #: Seconds the provider asked us to wait (Retry-After or x-ratelimit-reset-*).
    retry_after: float | None = None
    #: A transport failure's exception class (``ClientConnectorError``, ``TimeoutError``, ...), recorded
    #: where the exception is caught; None for an error the provider answered.
    exception: str | None = None


class Completion(msgspec.Struct, frozen=True, omit_defaults=True):
    """One finished attempt: either text or a classified error, never both. A journal record."""

    key: str
    case_id: str
    model: str
    text: str | None = None
    error: ApiError | None = None
    usage: Usage = Usage()
    #: Seconds from sending to the answer; null when none was measured (a batch or imported answer, a
    #: request never sent). Journals of earlier versions hold 0 there for batch answers.
    latency_s: float | None = None
    attempt: int = 1
    finished_at: float = 0.0
    #: What the provider says it ran (``model`` field, ``system_fingerprint``).
    response_model: str | None = None
    fingerprint: str | None = None
    finish_reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.text is not None

    @property
    def measured_latency(self) -> float | None:
        """``latency_s`` if one was measured; the 0 that older journals hold for batch answers is not."""
        seconds = self.latency_s
        return seconds if seconds is not None and seconds > 0 and math.isfinite(seconds) else None


# --------------------------------------------------------------------------- predictions and scores


class Prediction(msgspec.Struct, frozen=True, omit_defaults=True):
    """A parser's reading of a completion's text."""

    case_id: str
    #: The parsed answer: an option or sector label, a number, the report text, or a coordinate answer's
    #: normalized box ``(x1, y1, x2, y2)`` or point ``(x, y)``.
    value: str | float | tuple[float, ...] | None = None
    parsed: bool = True
    #: Why nothing was parsed ("api_error", "no option found", ...).
    reason: str | None = None


class CaseScore(CaseIdentity, frozen=True, omit_defaults=True):
    """Per-case sufficient statistics; every aggregate and bootstrap works from these."""

    #: False when the case is left out of the metric's denominator (compat exclusions, API errors
    #: in robust mode). Still counted in parse and error rates.
    counted: bool = True
    parsed: bool = True
    api_error: bool = False
    #: False when no attempt of the case's request was recorded (the run stopped, ran out of budget
    #: or was interrupted first): neither an answer nor an API error, and in no rate's denominator.
    sent: bool = True
    correct: bool | None = None
    #: CVE: normalized signed error (truth - prediction).
    error: float | None = None
    #: RG/CG: whitespace-token BLEU statistics [hyp_len, ref_len, m1..m4, t1..t4] (coco flavour).
    bleu: tuple[int, ...] | None = None
    #: DD..KD: the ground-truth label and the predicted label as the mode compares them (compat:
    #: lower-cased, the raw answer for string labels; robust: canonical option / sector label); for
    #: macro-F1. ``answer`` is "" when there was no usable answer, None when the case is not counted.
    truth: str | None = None
    answer: str | None = None
    #: LL/OD/KD coordinate answers: the normalized box (x1, y1, x2, y2) or point (x, y) the answer gave.
    coords: tuple[float, ...] | None = None
    #: A coordinate answer impossible under the model's declared convention (unparsed, and counted).
    impossible: bool = False


class ModelSetup(msgspec.Struct, frozen=True, omit_defaults=True):
    """How one model of a run is asked: its endpoint (without credentials) and adapter options."""

    #: The base URL with any password or secret query value masked; "" for local adapters.
    endpoint: str = ""
    #: Adapter options as resolved (``--config`` ``options``); a value under a secret-looking name
    #: is recorded as a hash of it.
    options: dict[str, Any] = {}
    #: Its LL/OD/KD coordinate convention as asked ("auto" before calibration); None for sector
    #: answers and in folders made before it was recorded.
    coords: str | None = None


class RunLimits(msgspec.Struct, frozen=True, omit_defaults=True):
    """Settings that do not change what is sent: they may change on ``--resume``."""

    concurrency: int | None = None
    rpm: float | None = None
    tpm: float | None = None
    max_attempts: int | None = None
    max_cost: float | None = None
    request_deadline: float | None = None
    max_response_bytes: int | None = None
    #: The ``--config`` file (read again on resume: its limits and timeouts apply).
    config: str | None = None
    mode: str = "robust"
    bootstrap: int = 1000
    parsers: dict[str, str] = {}
    #: Batch mode (``--batch``, ``--poll``, ``--batch-fallback``): how requests are sent, not what.
    batch: bool | None = None
    poll: float | None = None
    batch_fallback: Literal["sync", "rebatch", "none"] = "sync"


class RunSetup(msgspec.Struct, frozen=True, omit_defaults=True):
    """What was asked, resolved and typed: ``--resume`` and later evals read this, never a command line."""

    data: str
    params: GenerationParams
    models: dict[str, ModelSetup]
    tasks: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    limit: int | None = None
    strict: bool = False
    bbox_format: str = "auto"
    seed: int = 0
    prompt_variant: str = "default"
    #: The ``--prompts`` folder and a hash of the prompt files read from it.
    prompts_dir: str | None = None
    prompts_hash: str | None = None
    max_side: int | None = None
    #: ``--answer-format`` and ``--coords`` as given: both shape the LL/OD/KD prompts (folders made
    #: before they were recorded here carry the answer format in the manifest's ``answer_format``).
    answer_format: str = "sector"
    coords: str | None = None
    #: The ``--base-url`` given (credentials masked), which applies to every model.
    base_url: str | None = None
    limits: RunLimits = RunLimits()


class RunManifest(msgspec.Struct, omit_defaults=True):
    """``runs/<name>/manifest.json``: everything needed to re-score or report a run.

    Folders written before ``setup`` existed (key recipe 1) still read: both fields default.
    """

    name: str
    created_at: str
    u2fast_version: str
    command: list[str]
    data: str
    dataset_fingerprint: str
    n_cases: int
    models: list[str]
    params: GenerationParams
    seed: int
    prompt_variant: str = "default"
    prompt_source: str = "u2fast"
    prompt_hashes: dict[str, str] = {}
    bbox_format: str = "auto"
    skipped_rows: int = 0
    skipped: list[dict[str, str]] = []
    scenarios: dict[str, int] = {}
    python: str = ""
    platform: str = ""
    status: str = "running"
    finished_at: str | None = None
    #: model -> its price when the run was made, USD per million tokens (``input``, ``output`` and,
    #: where configured, ``batch_input``/``batch_output``); models without a price are absent
    prices: dict[str, dict[str, float]] = {}
    #: LL/OD/KD answer format (sector, box, point), each model's coordinate convention (a layout of
    #: ``u2fast.data.bbox``) and the --max-side the images were sent at (pixel answers are of that size).
    answer_format: str = "sector"
    coords: dict[str, str] = {}
    max_side: int | None = None
    #: The request-key recipe of this folder's keys (``u2fast.runfolder.manifest.CURRENT_KEY_RECIPE``).
    key_recipe: int = 1
    setup: RunSetup | None = None
