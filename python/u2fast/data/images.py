"""Image bytes behind an ImageRef, and MIME sniffing from magic numbers (never from file names)."""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import io
import os
import struct
import warnings
import zlib
from collections.abc import Iterator

from PIL import Image

from .. import _core
from ..errors import DataError
from ..types import ImageRef

__all__ = [
    "MAX_IMAGE_PIXELS",
    "ImageChanged",
    "ImageTooLarge",
    "decode_base64",
    "encode_png",
    "inspect_image",
    "open_image",
    "read_image_bytes",
    "read_stored_base64",
    "sha256_hex",
    "sniff_mime",
    "text_digest",
]

#: The largest image u2fast decodes, in pixels (50 megapixels: 150 MB as RGB). Ultrasound frames are
#: a few megapixels; a larger image is a mistake or a decompression bomb (a 420 KB PNG can declare
#: 144 megapixels) and its row is refused, naming its size.
MAX_IMAGE_PIXELS = 50_000_000


class ImageTooLarge(ValueError):
    """An image over ``MAX_IMAGE_PIXELS``; the message gives its size."""


@contextlib.contextmanager
def open_image(data: bytes) -> Iterator[Image.Image]:
    """``PIL.Image.open`` on ``data`` (the header only is read), refusing with a ValueError an
    image over ``MAX_IMAGE_PIXELS``. Pillow's own decompression-bomb warning is not shown: this
    limit is lower and its message says what happened."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError:
            raise ImageTooLarge(
                f"image too large: over Pillow's limit, far above u2fast's {MAX_IMAGE_PIXELS / 1e6:g} megapixels"
            ) from None
        with img:
            width, height = img.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ImageTooLarge(
                    f"image too large: {width}x{height} = {width * height / 1e6:.1f} megapixels, over "
                    f"u2fast's limit of {MAX_IMAGE_PIXELS / 1e6:g} megapixels"
                )
            yield img

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


def scaled_size(width: int, height: int, max_side: int | None) -> tuple[int, int]:
    """The size an image is sent at with ``--max-side``: unchanged when it fits, else its longer
    side becomes ``max_side`` (both sides rounded, at least 1)."""
    if not max_side or max(width, height) <= max_side:
        return width, height
    scale = max_side / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_digest(text: bytes) -> str:
    """The digest recorded of an image's stored base64 text (``ImageRef.stored_blake3``), BLAKE3 in
    hex: it is checked again on every read of the text, once per request sent, where it costs a
    fifth of SHA-256. The image's identity (``ImageRef.sha256``) stays SHA-256 of its bytes."""
    return _core.blake3_hex(text)


def _check_stored_text(ref: ImageRef, raw: bytes) -> bool:
    """Check ``raw`` against the digest recorded of ``ref``'s stored text (ImageChanged when it
    differs); False when none was recorded (a folder older than stored digests)."""
    if ref.stored_blake3 is not None:
        now, recorded = text_digest(raw), ref.stored_blake3
    elif ref.stored_sha256 is not None:  # recorded by u2fast before BLAKE3 (run folders stay readable)
        now, recorded = sha256_hex(raw), ref.stored_sha256
    else:
        return False
    if now != recorded:
        raise _changed(ref, now, recorded)
    return True


class ImageChanged(DataError):
    """The bytes at an image's recorded place are not the image the case was loaded with."""


def _changed(ref: ImageRef, now: str, recorded: str | None = None) -> ImageChanged:
    where = f"{ref.path}" + (f" bytes {ref.offset}..{ref.offset + ref.length}" if ref.length >= 0 else "")
    return ImageChanged(
        f"{where}: the image there changed since the cases were loaded (digest {now[:12]}, recorded "
        f"{(recorded or ref.sha256)[:12]}): the data was modified or regenerated in place; "
        "load it again (a new eval) rather than reuse the recorded cases"
    )


def _read_stored(ref: ImageRef, fd: int | None = None) -> bytes:
    """The bytes at ``ref``'s place in its file (the whole file when it has no range); ``fd``, when
    given, is that file already open (read with ``pread``: no open and seek per image)."""
    assert ref.path is not None
    try:
        if fd is not None and ref.length >= 0:
            return os.pread(fd, ref.length, ref.offset)
        with open(ref.path, "rb") as fh:
            if ref.length >= 0:
                fh.seek(ref.offset)
                return fh.read(ref.length)
            return fh.read()
    except OSError as exc:
        raise DataError(f"{ref.path}: cannot read image: {exc}") from exc


def _decode_stored(ref: ImageRef, raw: bytes) -> bytes:
    try:
        return base64.b64decode(raw, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise DataError(
            f"{ref.path}: bytes {ref.offset}..{ref.offset + ref.length}: bad base64: {exc}"
        ) from exc


def read_image_bytes(ref: ImageRef) -> bytes:
    """The original image bytes of ``ref`` (decoded from base64 when stored so).

    Bytes read from a file are checked against the recorded hash (of the stored base64 text when
    there is one, so nothing is decoded to check); ImageChanged when they differ.
    """
    if ref.data is not None:
        return ref.data
    if ref.path is None:
        raise DataError("image reference has neither inline bytes nor a path")
    raw = _read_stored(ref)
    if not ref.base64:
        now = sha256_hex(raw)
        if now != ref.sha256:
            raise _changed(ref, now)
        return raw
    checked = _check_stored_text(ref, raw)
    data = _decode_stored(ref, raw)
    if not checked:  # recorded before stored digests existed: check the decoded image
        now = sha256_hex(data)
        if now != ref.sha256:
            raise _changed(ref, now)
    return data


_BASE64_SPACE = b" \t\r\n"


def read_stored_base64(ref: ImageRef, fd: int | None = None) -> bytes:
    """The base64 text of a ``base64`` ref as it lies in its file (ASCII bytes), ready to send as it is.

    The loader decoded and checked this text once (``decode_base64`` then ``inspect_image``), and the
    digest of the text recorded then is checked again here (ImageChanged when it differs), so the text
    is the one that was checked and nothing is decoded or re-encoded. Line breaks of MIME-style
    base64 are removed (the loader accepted them). A ref recorded before stored digests existed is
    decoded once to check the image's own hash; its text was decoded leniently, so only the text of
    a ref with a stored digest (``ImageRef.stored_digest``) is known to be base64 characters alone.
    ``fd``: the file already open (see ``_read_stored``).
    """
    if not ref.base64 or ref.path is None:
        raise ValueError("read_stored_base64 needs a ref to base64 text in a file")
    raw = _read_stored(ref, fd)
    if not _check_stored_text(ref, raw):
        now = sha256_hex(_decode_stored(ref, raw))
        if now != ref.sha256:
            raise _changed(ref, now)
        if not raw.isascii():
            raise DataError(f"{ref.path}: bytes {ref.offset}..{ref.offset + ref.length}: bad base64: not ASCII")
    # the loader's rule (decode_base64): a text without these had no white space at all, since it
    # then passed a strict decode
    if b"\n" in raw or b" " in raw or b"\r" in raw:
        raw = raw.translate(None, _BASE64_SPACE)
    return raw


def decode_base64(text: bytes | str) -> bytes:
    """Strictly decode base64 (an optional ``data:...;base64,`` prefix allowed); ValueError when corrupt."""
    if isinstance(text, str):
        text = text.encode("ascii", "replace")
    if text.startswith(b"data:"):
        comma = text.find(b",")
        text = text[comma + 1 :] if comma >= 0 else text
    if any(c in text for c in (b"\n", b"\r", b" ")):  # line-wrapped base64 (MIME style) is still base64
        text = text.translate(None, b" \t\r\n")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"corrupt base64: {exc}") from None


def inspect_image(data: bytes) -> tuple[str, int, int]:
    """``(mime, width, height)`` of image bytes, after checking that PIL can decode them.

    PNG is checked through its chunk CRCs (``verify``), other formats are decoded (JPEG at a reduced
    draft scale, which still fails on truncated data). Raises ValueError naming what is wrong.
    """
    if not data:
        raise ValueError("empty image")
    try:
        with open_image(data) as im:
            width, height = im.size
            fmt = im.format or ""
            if fmt == "PNG":
                im.verify()
            else:
                if fmt == "JPEG":
                    im.draft(im.mode, (max(1, width // 8), max(1, height // 8)))
                im.load()
    except ImageTooLarge:
        raise
    except Exception as exc:  # noqa: BLE001 - PIL raises many types for bad bytes
        raise ValueError(f"not a decodable image: {type(exc).__name__}: {exc}") from None
    mime = sniff_mime(data) or Image.MIME.get(fmt)
    if mime is None:
        raise ValueError(f"unsupported image format {fmt or 'unknown'}")
    return mime, width, height


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return (
        struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    )


def _deflate(data: bytes, level: int, strategy: int) -> bytes:
    if strategy == zlib.Z_DEFAULT_STRATEGY:
        return zlib.compress(data, level)
    packer = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS, 9, strategy)
    return packer.compress(data) + packer.flush()


def encode_png(
    pixels: bytes, width: int, height: int, channels: int = 1, level: int = 9, *, run_length: bool = False
) -> bytes:
    """A minimal 8-bit PNG (gray or RGB), byte-identical for identical pixels and zlib.

    Written by hand rather than through PIL so that the bundled sample does not depend on which
    zlib flavour a Pillow wheel ships; Python's own zlib module is used instead. ``run_length``
    deflates with zlib's Z_RLE strategy (matches of distance 1 only): on speckle it is about twice as
    fast as level 1 and no larger, since speckle has no long-distance repeats to find.
    """
    if channels not in (1, 3):
        raise ValueError("channels must be 1 (gray) or 3 (RGB)")
    stride = width * channels
    if len(pixels) != stride * height:
        raise ValueError(f"expected {stride * height} bytes of pixels, got {len(pixels)}")
    color_type = 0 if channels == 1 else 2
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    # Filter type 0 (None) on every scanline: simple and deterministic.
    import numpy as np  # only the sample writer encodes PNGs; loading data does not need numpy here

    rows = np.frombuffer(pixels, dtype=np.uint8).reshape(height, stride)
    raw = np.concatenate((np.zeros((height, 1), dtype=np.uint8), rows), axis=1).tobytes()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", _deflate(raw, level, zlib.Z_RLE if run_length else zlib.Z_DEFAULT_STRATEGY))
        + _png_chunk(b"IEND", b"")
    )
