"""Shared fixtures: the SDK wire capture, the 8x8 PNG it carries, and a one-image request."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from u2fast.adapters.base import EncodedImage
from u2fast.testing import encoded_image, single_request
from u2fast.types import GenerationParams, Request

# The SDK capture: the project's shared/ folder beside the repository when present (the newest),
# else the copy kept with these tests (tests/wire/, refreshed from shared/wire when the SDK moves).
_SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "wire" / "anthropic-messages.json"
CAPTURE = _SHARED if _SHARED.is_file() else Path(__file__).resolve().parent / "wire" / "anthropic-messages.json"


@pytest.fixture(scope="session")
def capture() -> dict[str, Any]:
    if not CAPTURE.is_file():
        pytest.skip(f"SDK wire capture not found at {CAPTURE} (the shared/ folder beside the repository)")
    return json.loads(CAPTURE.read_text())


encoded = encoded_image  # the runner's encoding of image bytes


def build_request(
    text: str = "Which option?",
    *,
    model: str = "anthropic:claude-3-7-sonnet-20250219",
    params: GenerationParams | None = None,
    n_images: int = 1,
) -> Request:
    return single_request(text, model=model, params=params or GenerationParams(temperature=0.0, max_tokens=64), n_images=n_images)


@pytest.fixture(scope="session")
def capture_png(capture: dict[str, Any]) -> EncodedImage:
    """The 8x8 PNG the SDK sent, byte for byte."""
    source = capture["body"]["messages"][0]["content"][0]["source"]
    return encoded(base64.b64decode(source["data"]), source["media_type"], 8, 8)


@pytest.fixture(scope="session")
def jpeg() -> EncodedImage:
    """A small JPEG made here, for tests that do not need the capture."""
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 40, 40)).save(buffer, format="JPEG")
    return encoded(buffer.getvalue(), "image/jpeg", 640, 480)


@pytest.fixture(scope="session")
def make_request() -> Callable[..., Request]:
    return build_request
