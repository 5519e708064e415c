"""Images for the wire: read once, base64-encoded once, shared by every model that needs them.

The cache holds an encoded image only while some model still has a request for it, and never more
than ``max_bytes`` in all: models that drift far apart re-encode instead of pinning the dataset in
memory.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import io
import os
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from typing import cast

from ..adapters.base import EncodedImage
from ..data.images import open_image, read_image_bytes, scaled_size
from ..errors import DataError
from ..types import ImageRef

__all__ = ["FAST_BASE64", "ImageEncoder", "encode_image"]


def _std_b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _pick_b64() -> tuple[Callable[[bytes], str], bool]:
    # SIMD base64 is ~30x faster than the standard library's on 64 KB images; optional.
    if os.environ.get("U2FAST_NO_PYBASE64"):
        return _std_b64, False
    try:
        pybase64 = importlib.import_module("pybase64")  # optional: not a dependency
    except ImportError:
        return _std_b64, False
    return cast(Callable[[bytes], str], pybase64.b64encode_as_string), True


_b64, FAST_BASE64 = _pick_b64()


def _dimensions(data: bytes) -> tuple[int, int]:
    try:
        with open_image(data) as img:  # reads the header only
            return int(img.width), int(img.height)
    except Exception:  # noqa: BLE001 - unknown formats still go out, without a size
        return 0, 0


def _shrink(data: bytes, mime: str, max_side: int) -> tuple[bytes, str, int, int]:
    from PIL import Image

    with open_image(data) as img:
        width, height = img.size
        if max(width, height) <= max_side:
            return data, mime, width, height
        size = scaled_size(width, height, max_side)
        # A JPEG is decoded at the smallest 1/2, 1/4 or 1/8 scale still at least ``size`` (a tenth
        # of the memory of a full decode); the resize then goes by an integer box reduction to
        # about three times ``size`` before the Lanczos pass, so no full-size float copy is made.
        img.draft(img.mode, size)
        mode = img.mode if img.mode in ("L", "RGB", "RGBA") else "RGB"
        resized = (img if img.mode == mode else img.convert(mode)).resize(
            size, Image.Resampling.LANCZOS, reducing_gap=3.0
        )
        out = io.BytesIO()
        if mime == "image/jpeg":
            resized.convert("RGB").save(out, format="JPEG", quality=92)
        else:  # lossless for everything else; PNG is accepted by every provider
            resized.save(out, format="PNG")
            mime = "image/png"
        return out.getvalue(), mime, size[0], size[1]


def encode_image(ref: ImageRef, max_side: int | None = None) -> EncodedImage:
    """The original bytes of ``ref`` (shrunk only when larger than ``max_side``), base64-encoded."""
    data = read_image_bytes(ref)
    mime, width, height = ref.mime, ref.width, ref.height
    sha = ref.sha256
    if max_side is not None:
        try:
            shrunk, mime, width, height = _shrink(data, mime, max_side)
        except Exception as exc:
            raise DataError(
                f"image {ref.sha256[:12]} ({ref.path or 'inline'}): cannot resize: {exc}"
            ) from exc
        if shrunk is not data:
            data, sha = shrunk, hashlib.sha256(shrunk).hexdigest()
    elif not (width and height):
        width, height = _dimensions(data)
    return EncodedImage(mime=mime, base64=_b64(data), sha256=sha, width=width, height=height)


class ImageEncoder:
    """Encodes each image once for all models; forgets it when no request needs it any more."""

    def __init__(self, *, max_side: int | None = None, max_bytes: int = 256 << 20) -> None:
        self.max_side = max_side
        self.max_bytes = max_bytes
        self._uses: Counter[str] = Counter()
        self._cache: OrderedDict[str, EncodedImage] = OrderedDict()
        self._bytes = 0
        self.encoded = 0  # how many encodings were made (a test checks sharing)

    def plan(self, refs: Iterable[ImageRef]) -> None:
        """Announce future uses, so that an image is dropped right after its last use."""
        for ref in refs:
            self._uses[ref.sha256] += 1

    def acquire(self, refs: tuple[ImageRef, ...]) -> tuple[EncodedImage, ...]:
        return tuple(self._get(ref) for ref in refs)

    def _get(self, ref: ImageRef) -> EncodedImage:
        cached = self._cache.get(ref.sha256)
        if cached is not None:
            self._cache.move_to_end(ref.sha256)
            return cached
        encoded = encode_image(ref, self.max_side)
        self.encoded += 1
        if self._uses[ref.sha256] > 1:  # someone else will want it
            self._cache[ref.sha256] = encoded
            self._bytes += len(encoded.base64)
            while self._bytes > self.max_bytes and self._cache:
                _, dropped = self._cache.popitem(last=False)
                self._bytes -= len(dropped.base64)
        return encoded

    def release(self, refs: tuple[ImageRef, ...]) -> None:
        for ref in refs:
            left = self._uses[ref.sha256] - 1
            if left > 0:
                self._uses[ref.sha256] = left
                continue
            self._uses.pop(ref.sha256, None)
            dropped = self._cache.pop(ref.sha256, None)
            if dropped is not None:
                self._bytes -= len(dropped.base64)

    @property
    def cached_bytes(self) -> int:
        return self._bytes
