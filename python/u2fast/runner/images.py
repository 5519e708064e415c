"""Images for the wire: read once, base64-encoded once, shared by every model that needs them.

An image kept as base64 text in a release TSV is sent as that text (its hash checked on every read,
see ``read_stored_base64``): nothing is decoded or re-encoded unless ``--max-side`` resizes it. The
cache holds an encoded image only while some model still has a request for it, and never more than
``max_bytes`` in all: models that drift far apart re-encode instead of pinning the dataset in memory.
The engine prepares images with ``acquire_async``: a resize or a large image goes to a worker
thread (at most ``threads`` at a time, which also bounds the memory of full decodes), so the event
loop goes on sending and reading answers meanwhile; a small image is read inline, where a thread
hand-off would cost more than the read.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import hashlib
import importlib
import io
import os
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import cast

from ..adapters.base import EncodedImage
from ..adapters.encoded_image import StoredImage
from ..data.images import open_image, read_image_bytes, read_stored_base64, scaled_size
from ..errors import DataError
from ..types import ImageRef

__all__ = ["FAST_BASE64", "HEAVY_BYTES", "HEAVY_PIXELS", "ImageEncoder", "encode_image", "needs_resize"]

#: An image goes to a worker thread when it is resized, or when it is at least this large (stored
#: bytes, or pixels of an image file): reading and hashing it then takes milliseconds.
HEAVY_BYTES = 1 << 20
HEAVY_PIXELS = 4_000_000
#: Open files kept for reading images by offset (release TSVs): one ``pread`` per image.
_OPEN_FILES = 64


def _pick_b64() -> tuple[Callable[[bytes], bytes], bool]:
    # SIMD base64 is ~30x faster than the standard library's on 64 KB images. pybase64 is a dependency
    # (pyproject); the fallback serves an install without its wheel and U2FAST_NO_PYBASE64=1 (benches).
    if os.environ.get("U2FAST_NO_PYBASE64"):
        return base64.b64encode, False
    try:
        pybase64 = importlib.import_module("pybase64")
    except ImportError:
        return base64.b64encode, False
    return cast(Callable[[bytes], bytes], pybase64.b64encode), True


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


def needs_resize(ref: ImageRef, max_side: int | None) -> bool:
    """Whether ``--max-side`` may change ``ref`` (the same rule as ``keys.sent_image_id``: an image
    whose size was not recorded is decoded to find out)."""
    return max_side is not None and not (ref.width and ref.height and max(ref.width, ref.height) <= max_side)


def encode_image(ref: ImageRef, max_side: int | None = None, fd: int | None = None) -> EncodedImage:
    """The original bytes of ``ref`` (shrunk only when larger than ``max_side``), base64-encoded.

    Base64 text in a file that is not resized is sent as stored (``read_stored_base64``); ``fd`` is
    its file already open."""
    if ref.base64 and ref.path is not None and not needs_resize(ref, max_side):
        text = read_stored_base64(ref, fd)
        if ref.stored_digest is None:  # decoded leniently to check it: the body encoder scans it
            return EncodedImage(mime=ref.mime, base64=text, sha256=ref.sha256, width=ref.width, height=ref.height)
        return EncodedImage.checked(ref.mime, text, ref.sha256, ref.width, ref.height)
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
    return EncodedImage.checked(mime, _b64(data), sha, width, height)


class ImageEncoder:
    """Encodes each image once for all models; forgets it when no request needs it any more.

    ``close()`` closes the files kept open and the worker threads (the engine calls it at the end).
    """

    def __init__(self, *, max_side: int | None = None, max_bytes: int = 256 << 20, threads: int = 2) -> None:
        self.max_side = max_side
        self.max_bytes = max_bytes
        self._uses: Counter[str] = Counter()
        self._cache: OrderedDict[str, EncodedImage] = OrderedDict()
        self._bytes = 0
        self.encoded = 0  # how many encodings were made (a test checks sharing)
        self.threads = threads
        self._pool: ThreadPoolExecutor | None = None
        self._running: dict[str, asyncio.Future[EncodedImage]] = {}
        self._files: OrderedDict[str, int] = OrderedDict()

    def plan(self, refs: Iterable[ImageRef]) -> None:
        """Announce future uses, so that an image is dropped right after its last use."""
        for ref in refs:
            self._uses[ref.sha256] += 1

    def acquire(self, refs: tuple[ImageRef, ...]) -> tuple[EncodedImage, ...]:
        """Every image of a request, prepared on this thread (batch files, dry runs)."""
        return tuple(self._get(ref) for ref in refs)

    async def acquire_async(self, refs: tuple[ImageRef, ...], *, stored: bool = False) -> tuple[EncodedImage, ...]:
        """Every image of a request; a heavy one (``is_heavy``) is prepared in a worker thread while
        the event loop goes on. Two requests waiting for the same image share one preparation.

        ``stored``: an image kept as base64 text in a table that no other request wants is given as
        a ``StoredImage``, read and checked when the request body is built and not held meanwhile
        (for callers whose adapters splice images into bodies: the engine's HTTP models)."""
        if len(refs) == 1 and not self.is_heavy(refs[0]):  # the common case, without a generator
            return (self._inline(refs[0], stored),)
        out = []
        for ref in refs:
            if not self.is_heavy(ref) or ref.sha256 in self._cache:
                out.append(self._inline(ref, stored))
                continue
            running = self._running.get(ref.sha256)
            if running is None:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="u2fast-image")
                running = asyncio.get_running_loop().run_in_executor(self._pool, encode_image, ref, self.max_side)
                self._running[ref.sha256] = running
                running.add_done_callback(functools.partial(self._keep, ref))
            # shielded: one waiter cancelled (Ctrl-C, a stopped model) does not cancel the others' image
            out.append(await asyncio.shield(running))
        return tuple(out)

    def is_heavy(self, ref: ImageRef) -> bool:
        """Whether preparing ``ref`` decodes it (a resize) or reads a large image."""
        if needs_resize(ref, self.max_side):
            return True
        if ref.data is not None:
            return False  # in memory already: encoding is a memcpy-speed pass
        if ref.length >= 0:
            return ref.length >= HEAVY_BYTES
        return ref.width * ref.height >= HEAVY_PIXELS or not (ref.width and ref.height)

    def _inline(self, ref: ImageRef, stored: bool) -> EncodedImage:
        lazy = self._stored(ref) if stored else None
        return lazy if lazy is not None else self._get(ref)

    def _stored(self, ref: ImageRef) -> StoredImage | None:
        """``ref`` as a StoredImage when it is base64 text in a table whose hash was recorded, sent as
        stored and wanted by this request alone; else None (it is read now, and cached if shared)."""
        if not (ref.base64 and ref.path is not None and ref.length >= 0 and ref.stored_digest is not None):
            return None
        if self._uses[ref.sha256] > 1 or ref.sha256 in self._cache or needs_resize(ref, self.max_side):
            return None
        return StoredImage(ref.mime, ref.sha256, ref.width, ref.height, ref.length,
                           functools.partial(self._read_stored, ref))

    def _read_stored(self, ref: ImageRef) -> bytes:
        return read_stored_base64(ref, self._fd(ref))  # the file looked up at each read: it may have been closed

    def _get(self, ref: ImageRef) -> EncodedImage:
        cached = self._cache.get(ref.sha256)
        if cached is not None:
            self._cache.move_to_end(ref.sha256)
            return cached
        encoded = encode_image(ref, self.max_side, self._fd(ref))
        self._store(ref, encoded)
        return encoded

    def _keep(self, ref: ImageRef, done: asyncio.Future[EncodedImage]) -> None:
        self._running.pop(ref.sha256, None)
        if not done.cancelled() and done.exception() is None:
            self._store(ref, done.result())

    def _store(self, ref: ImageRef, encoded: EncodedImage) -> None:
        self.encoded += 1
        if self._uses[ref.sha256] > 1:  # someone else will want it
            self._cache[ref.sha256] = encoded
            self._bytes += encoded.base64_length
            while self._bytes > self.max_bytes and self._cache:
                _, dropped = self._cache.popitem(last=False)
                self._bytes -= dropped.base64_length

    def _fd(self, ref: ImageRef) -> int | None:
        """The open file of an image kept by offset in a table (a release TSV), else None."""
        path = ref.path
        if path is None or ref.length < 0 or not ref.base64:
            return None
        fd = self._files.get(path)
        if fd is not None:
            self._files.move_to_end(path)
            return fd
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return None  # read_stored_base64 opens it itself and reports the error
        self._files[path] = fd
        if len(self._files) > _OPEN_FILES:
            os.close(self._files.popitem(last=False)[1])
        return fd

    def release(self, refs: tuple[ImageRef, ...]) -> None:
        for ref in refs:
            left = self._uses[ref.sha256] - 1
            if left > 0:
                self._uses[ref.sha256] = left
                continue
            self._uses.pop(ref.sha256, None)
            dropped = self._cache.pop(ref.sha256, None)
            if dropped is not None:
                self._bytes -= dropped.base64_length

    @property
    def cached_bytes(self) -> int:
        return self._bytes

    def close(self) -> None:
        """Close the open files; worker threads finish the image they hold, nothing new starts."""
        while self._files:
            os.close(self._files.popitem()[1])
        for running in list(self._running.values()):  # its result would come to a closed loop
            running.cancel()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def __del__(self) -> None:  # a caller that never closed (batch, dry run) leaks no descriptors
        for fd in getattr(self, "_files", {}).values():
            os.close(fd)
