"""Case-browser thumbnails: 8-bit, 16-bit and colour images all come out as visible JPEGs."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from u2fast.report.cases import THUMBNAIL_SIDE, thumbnail_data_url
from u2fast.types import Case, ImageRef, LabelTarget


def _case(image: Image.Image, fmt: str = "PNG") -> Case:
    buf = io.BytesIO()
    image.save(buf, format=fmt)
    ref = ImageRef(sha256="0" * 64, mime=f"image/{fmt.lower()}", data=buf.getvalue())
    target = LabelTarget(label="benign", options=["benign", "malignant"])
    return Case(case_id="DD/21/0", dataset_id="21", task="DD", target=target, image=ref)


def _decode(url: str | None) -> np.ndarray:
    assert url is not None and url.startswith("data:image/jpeg;base64,")
    thumb = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    assert max(thumb.size) <= THUMBNAIL_SIDE
    return np.asarray(thumb, dtype=np.float64)


@pytest.mark.parametrize("dtype", [np.uint16, np.int32, np.float32])
def test_wide_images_are_stretched_not_clipped_white(dtype: type) -> None:
    ramp = np.tile(np.linspace(0, 40000, 300), (200, 1)).astype(dtype)  # dark left, bright right
    pixels = _decode(thumbnail_data_url(_case(Image.fromarray(ramp), "PNG" if dtype is np.uint16 else "TIFF")))
    # the ramp stays a ramp, not one white square
    assert pixels[:, :10].mean() < 30 and pixels[:, -10:].mean() > 225
    assert 100 < pixels.mean() < 155


def test_eight_bit_grey_and_colour_keep_their_values() -> None:
    grey = Image.fromarray(np.full((50, 80), 90, dtype=np.uint8))
    assert abs(_decode(thumbnail_data_url(_case(grey))).mean() - 90) < 3
    colour = Image.fromarray(np.dstack([np.full((50, 80), v, dtype=np.uint8) for v in (200, 40, 10)]))
    rgb = _decode(thumbnail_data_url(_case(colour))).reshape(-1, 3).mean(axis=0)
    assert np.allclose(rgb, (200, 40, 10), atol=6)


def test_unreadable_image_gives_no_thumbnail() -> None:
    target = LabelTarget(label="benign", options=["benign", "malignant"])
    ref = ImageRef(sha256="1" * 64, mime="image/png", data=b"not an image")
    assert thumbnail_data_url(Case("DD/21/1", "21", "DD", target, ref)) is None
