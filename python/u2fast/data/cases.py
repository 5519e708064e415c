"""From source rows to Cases: one code path for TSV, jsonl, parquet and hub rows.

A source yields RawRows (``raw_rows``: cells plus where the image is). CaseBuilder checks each row once (task,
dataset id, target, image bytes), turns a bad row into a RowError (raised with ``strict``, else
recorded as skipped; targets are read by ``targets``), and holds sector rows back until the whole dataset is read, because the box
layout (docs/u2bench.md A10) is decided per dataset from all of its boxes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..errors import RowError
from ..types import Case, ImageRef, LabelTarget, SectorTarget, TaskName, TextTarget, ValueTarget
from ..u2bench.scenarios import Scenario, scenario
from ..u2bench.sectors import NOT_VISIBLE, sector_of_point
from ..u2bench.tasks import TEXT_TASKS
from . import columns as col
from .bbox import Annotation, box_of, centre_of, detect_format
from .images import decode_base64, inspect_image, sha256_hex, text_digest
from .load_types import LoadOptions, LoadResult
from .raw_rows import ImageB64, ImageFile, RawRow
from .targets import Bad, label_target, sector_annotation, value_target

__all__ = ["CaseBuilder"]

_SECTOR_TASKS = ("LL", "OD", "KD")
#: VLMEvalKit's de-duplication: an ``img_data`` this short is the index of another row with the image.
_MAX_IMAGE_REFERENCE = 64
#: What such a reference looks like (other short text is reported as corrupt base64).
_INDEX_LIKE = re.compile(r"[\w.-]+")


def _image_problem(text: bytes) -> str | None:
    """Why base64 text is not an image (None when it is one): tells a tiny image from a row index."""
    try:
        inspect_image(decode_base64(text))
    except ValueError as exc:
        return str(exc)
    return None


@dataclass
class _PendingSector:
    case: Case
    scenario_key: str
    structure: str | None
    annotation: Annotation | None
    from_keypoints: bool


class _WaitForImage(Exception):
    """A row whose ``img_data`` names a row index not read yet (the kit allows forward references)."""

    def __init__(self, key: tuple[str, str]) -> None:
        super().__init__(key)
        self.key = key


@dataclass
class CaseBuilder:
    options: LoadOptions
    items: list[Case | _PendingSector] = field(default_factory=list)
    skipped: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _seen: dict[str, str] = field(default_factory=dict)
    _counts: dict[str, int] = field(default_factory=dict)
    _images_by_index: dict[tuple[str, str], ImageRef] = field(default_factory=dict)
    #: Rows waiting for the row their ``img_data`` refers to: (source, index) -> rows.
    _waiting: dict[tuple[str, str], list[RawRow]] = field(default_factory=dict)
    _registered: tuple[str, str] | None = None
    #: Per source file: cases made, rows skipped as bad, whether a filter dropped rows, and its
    #: scenario, to tell a scenario that bad rows left with no case.
    _made: Counter[str] = field(default_factory=Counter)
    _bad: Counter[str] = field(default_factory=Counter)
    _filtered: set[str] = field(default_factory=set)
    _source_key: dict[str, str] = field(default_factory=dict)

    def add(self, raw: RawRow) -> None:
        self._registered = None
        try:
            item = self._build(raw)
        except _WaitForImage as wait:
            self._waiting.setdefault(wait.key, []).append(raw)
            return
        except RowError as err:
            self._bad[raw.source] += 1
            self._skip(err)
            return
        if item is None:
            self._filtered.add(raw.source)
        else:
            self._made[raw.source] += 1
            self.items.append(item)
        registered = self._registered
        if registered is not None:
            for waiting in self._waiting.pop(registered, []):
                self.add(waiting)

    def refuse(self, err: RowError) -> None:
        """Report ``err`` (a row, or a whole file that is not read) as the bad rows are reported."""
        self._skip(err)

    def _skip(self, err: RowError) -> None:
        if self.options.strict:
            raise err
        self.skipped.append(err)

    # ------------------------------------------------------------------ one row

    def _build(self, raw: RawRow) -> Case | _PendingSector | None:
        def bad(field_name: str, reason: str) -> RowError:
            return RowError(raw.source, raw.row, field_name, reason)

        if raw.error is not None:
            raise bad(*raw.error)
        cells = raw.cells
        task = raw.folder_task
        if "task" in cells and not col.is_missing(cells["task"]):
            task = col.task_of(cells["task"])
            if task is None:
                raise bad("task", f"unknown task {cells['task']!r}")
        if task is None:
            raise bad("task", "missing field: no task column and the file is not inside a task folder")
        if self.options.tasks and task not in self.options.tasks:
            return None
        sc = self._scenario(raw, task, bad)
        self._source_key[raw.source] = sc.key
        if self.options.datasets and not {sc.dataset_id, sc.key} & set(self.options.datasets):
            return None
        if self.options.limit is not None and self._counts.get(sc.key, 0) >= self.options.limit:
            return None

        index = self._index(raw)
        case_id = f"{task}/{sc.dataset_id}/{index}"
        if case_id in self._seen:
            raise bad("index", f"duplicate case id {case_id!r} (first seen at {self._seen[case_id]})")

        pending: tuple[str | None, Annotation | None, bool] | None = None
        target: LabelTarget | ValueTarget | TextTarget | SectorTarget
        if task in ("DD", "VRA"):
            target = label_target(cells, sc, bad)
        elif task == "CVE":
            target = value_target(cells, sc, bad)
        elif task in TEXT_TASKS:
            found = col.first_present(cells, col.TEXT_COLUMNS[task])
            if found is None or not str(found[1]).strip():
                raise bad(col.TEXT_COLUMNS[task][0], "missing field: no reference text")
            target = TextTarget(str(found[1]).strip())
        else:
            target = SectorTarget(NOT_VISIBLE)  # replaced in finish()
        image = self._image(raw, index, bad)
        if task in _SECTOR_TASKS:
            pending = sector_annotation(cells, task, sc, image)

        anatomy = cells.get("anatomy_location")
        hint = cells.get("hint")
        case = Case(
            case_id=case_id,
            dataset_id=sc.dataset_id,
            task=task,
            target=target,
            image=image,
            anatomy=None if col.is_missing(anatomy) else str(anatomy).strip(),
            hint=None if col.is_missing(hint) else str(hint).strip(),
            source=raw.source,
            row=raw.row,
        )
        self._seen[case_id] = f"{raw.source}: row {raw.row}"
        self._counts[sc.key] = self._counts.get(sc.key, 0) + 1
        if pending is not None:
            structure, annotation, from_keypoints = pending
            return _PendingSector(case, sc.key, structure, annotation, from_keypoints)
        return case

    def _scenario(self, raw: RawRow, task: TaskName, bad: Bad) -> Scenario:
        """The scenario from ``dataset_name``, else the file stem.

        A ``dataset_name`` that reads as a kit id (a leading number) must name a scenario of the task;
        one that does not read as an id at all (a descriptive name) defers to the file stem.
        """
        named = raw.cells.get("dataset_name")
        tried: list[str] = []
        for field_name, name in (("dataset_name", named), ("file name", raw.stem)):
            if col.is_missing(name):
                continue
            dataset_id = col.normalize_dataset_id(str(name), task)
            found = scenario(task, dataset_id) if dataset_id else None
            if found is not None:
                return found
            tried.append(f"{field_name} {str(name)!r} -> {dataset_id or '?'}")
            if dataset_id is not None:
                raise bad(
                    field_name,
                    f"unknown dataset id {dataset_id!r} for task {task} (from {field_name} "
                    f"{str(name)!r}); not a U2-Bench scenario",
                )
        field_name = "dataset_name" if not col.is_missing(named) else "file name"
        raise bad(field_name, f"unknown dataset id for task {task}: {'; '.join(tried) or 'none given'}")

    @staticmethod
    def _index(raw: RawRow) -> str:
        value = raw.cells.get("index")
        if col.is_missing(value):
            return str(raw.row)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        text = str(value).strip()
        return text[:-2] if text.endswith(".0") and text[:-2].isdigit() else text

    def _image(self, raw: RawRow, index: str, bad: Bad) -> ImageRef:
        source = raw.image
        if source is None:
            raise bad(raw.image_field, "missing field: no img_data or img_path value")
        if isinstance(source, ImageB64) and len(source.text) <= _MAX_IMAGE_REFERENCE:
            key = (raw.source, source.text.decode("ascii", "replace").strip())
            ref = self._images_by_index.get(key)
            if ref is not None:
                return ref
            if key[1] != index and _INDEX_LIKE.fullmatch(key[1]) and _image_problem(source.text):
                raise _WaitForImage(key)  # a reference to a row further down the file
        try:
            if isinstance(source, ImageB64):
                text, offset, length = source.text, source.offset, source.length
                if text.startswith(b"data:"):
                    skip = text.find(b",") + 1
                    text, offset, length = text[skip:], offset + skip, length - skip
                data = decode_base64(text)
            elif isinstance(source, ImageFile):
                try:
                    with open(source.path, "rb") as fh:
                        data = fh.read()
                except OSError as exc:
                    raise ValueError(f"cannot read image file: {exc}") from None
            else:
                data = source.data
            mime, width, height = inspect_image(data)
        except ValueError as exc:
            raise bad(raw.image_field, str(exc)) from None
        digest = sha256_hex(data)
        if isinstance(source, ImageB64) and source.path is not None:
            ref = ImageRef(
                digest,
                mime,
                path=source.path,
                offset=offset,
                length=length,
                base64=True,
                width=width,
                height=height,
                stored_blake3=text_digest(text),
            )
        elif isinstance(source, ImageFile):
            ref = ImageRef(digest, mime, path=source.path, width=width, height=height)
        else:
            ref = ImageRef(digest, mime, data=data, width=width, height=height)
        self._images_by_index[(raw.source, index)] = ref
        self._registered = (raw.source, index)
        return ref

    # ------------------------------------------------------------------ the whole source

    def finish(self, description: str = "") -> LoadResult:
        """Decide each sector dataset's box layout, fill in the sector targets, and return the result."""
        for (_, wanted), rows in sorted(self._waiting.items()):
            for raw in rows:
                problem = _image_problem(raw.image.text) if isinstance(raw.image, ImageB64) else None
                self._skip(
                    RowError(
                        raw.source,
                        raw.row,
                        raw.image_field,
                        f"{problem or 'not an image'}; read as a reference to the image of row "
                        f"index {wanted!r}, but no row with that index has an image in this file",
                    )
                )
        self._waiting.clear()
        for source in self._bad:
            if not self._made[source] and source not in self._filtered:
                where = self._source_key.get(source)
                self.warnings.append(f"{where + ' ' if where else ''}({source}): every row was skipped as bad; "
                                     "no case of it is left")
        by_key: dict[str, list[_PendingSector]] = {}
        for item in self.items:
            if isinstance(item, _PendingSector):
                by_key.setdefault(item.scenario_key, []).append(item)
        formats: dict[str, str] = {}
        for key, pending in by_key.items():
            annotations = [p.annotation for p in pending if p.annotation is not None]
            if not annotations:
                continue
            keypoints = all(p.from_keypoints for p in pending if p.annotation is not None)
            override = self.options.bbox_format
            if override == "auto" or keypoints:
                fmt, warning = detect_format(annotations)
            else:
                fmt, warning = override, None
                if override.endswith("-norm") and any(v > 1.0 for a in annotations for v in a.numbers):
                    warning = f"bbox format {override} was asked for but some boxes hold values > 1"
            formats[key] = fmt
            if warning:
                self.warnings.append(f"{key}: {warning}")
        cases: list[Case] = []
        for item in self.items:
            if isinstance(item, Case):
                cases.append(item)
                continue
            box = None
            if item.annotation is None:
                target = SectorTarget(NOT_VISIBLE, item.structure)
            else:
                cx, cy = centre_of(item.annotation, formats[item.scenario_key])
                target = SectorTarget(sector_of_point(cx, cy), item.structure, cx, cy)
                box = box_of(item.annotation, formats[item.scenario_key])
            c = item.case
            cases.append(
                Case(c.case_id, c.dataset_id, c.task, target, c.image, c.anatomy, c.hint, c.source, c.row, box)
            )
        return LoadResult(
            cases=cases,
            skipped=list(self.skipped),
            bbox_format=formats,
            description=description,
            warnings=list(self.warnings),
        )
