"""Image bytes behind an ImageRef, and MIME sniffing from magic numbers (never from file names)."""

from __future__ import annotations

import base64
import binascii
import hashlib

from ..errors import DataError
from ..types import ImageRef

__all__ = ["read_image_bytes", "sniff_mime", "sha256_hex"]

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


def sniff_mime(data: bytes) -> str | None:
    """The MIME type of image bytes from their signature, or None when unknown."""
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_image_bytes(ref: ImageRef) -> bytes:
    """The original image bytes of ``ref`` (decoded from base64 when stored so)."""
    if ref.data is not None:
        return ref.data
    if ref.path is None:
        raise DataError("image reference has neither inline bytes nor a path")
    try:
        with open(ref.path, "rb") as fh:
            if ref.length >= 0:
                fh.seek(ref.offset)
                raw = fh.read(ref.length)
            else:
                raw = fh.read()
    except OSError as exc:
        raise DataError(f"{ref.path}: cannot read image: {exc}") from exc
    if not ref.base64:
        return raw
    try:
        return base64.b64decode(raw, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise DataError(f"{ref.path}: bytes {ref.offset}..{ref.offset + ref.length}: bad base64: {exc}") from exc
