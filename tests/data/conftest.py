"""Builders for small datasets on disk: PNG bytes and TSV files written the way pandas writes them."""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image


def make_png(width: int = 40, height: int = 30, value: int = 90) -> bytes:
    pixels = np.full((height, width), value, dtype=np.uint8)
    pixels[height // 3 :, width // 4 :] = 200
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG")
    return out.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def write_table(path: Path, rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> Path:
    """A TSV as ``DataFrame.to_csv(sep='\\t', index=False)`` writes it (minimal quoting, doubled quotes)."""
    columns = list(columns or dict.fromkeys(k for r in rows for k in r))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(columns)
        for r in rows:
            writer.writerow(["" if r.get(c) is None else r.get(c) for c in columns])
    return path


@pytest.fixture
def png() -> Callable[..., bytes]:
    return make_png


@pytest.fixture
def tsv() -> Callable[..., Path]:
    return write_table


@pytest.fixture
def image_b64() -> str:
    return b64(make_png())
