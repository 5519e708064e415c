"""u2fast.data.images: an explicit pixel limit, checked from the header, without Pillow's warning."""

from __future__ import annotations

import struct
import subprocess
import sys
import warnings
import zlib
from pathlib import Path

import pytest

from u2fast.data.images import MAX_IMAGE_PIXELS, ImageTooLarge, inspect_image, open_image

from .conftest import b64, make_png, write_table


def bomb_png(width: int = 12000, height: int = 12000) -> bytes:
    """A valid gray PNG of ``width`` x ``height`` black pixels: a few hundred KB that decode to
    ``width * height`` bytes. Compressed a row at a time, so making it costs no such memory."""
    packer = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte and the pixels
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return bomb_png()


def test_a_144_megapixel_png_is_refused_by_size_without_a_pillow_warning(bomb: bytes) -> None:
    assert len(bomb) < 1 << 20
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        with pytest.raises(ImageTooLarge, match=r"12000x12000 = 144\.0 megapixels, over u2fast's limit of 50"):
            inspect_image(bomb)
    assert seen == []


def test_beyond_pillows_own_error_limit_the_message_is_still_ours() -> None:
    with pytest.raises(ImageTooLarge, match="image too large"):
        inspect_image(bomb_png(20000, 10000))


def test_an_image_under_the_limit_opens() -> None:
    with open_image(make_png(40, 30)) as img:
        assert img.size == (40, 30)
    assert MAX_IMAGE_PIXELS == 50_000_000


def test_the_row_of_a_bomb_is_a_bad_row_named_by_the_data_command(tmp_path: Path, bomb: bytes) -> None:
    rows = [
        {"index": 1, "dataset_name": "40_birads", "img_data": b64(make_png()), "class_label": "['4a']"},
        {"index": 2, "dataset_name": "40_birads", "img_data": b64(bomb), "class_label": "['4a']"},
    ]
    write_table(tmp_path / "data" / "disease_diagnosis" / "40_birads.tsv", rows)
    proc = subprocess.run([sys.executable, "-m", "u2fast.cli", "data", "info", "--data", str(tmp_path / "data")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = " ".join(proc.stdout.split())
    assert "1 bad rows skipped" in out and "144.0 megapixels" in out
    assert "DecompressionBomb" not in proc.stderr and "Warning" not in proc.stderr
