"""JSON bodies of provider requests and answers: decoding an answer without raising, and encoding a
request whose images are spliced in as already-encoded data URLs.

Only the standard library, msgspec and u2fast's own types are imported: no HTTP client.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import msgspec

from ..types import ApiError
from .base import EncodedImage
from .key_redaction import redact_key

__all__ = ["IMAGE_URL", "answer_document", "decode_json_object", "encode_json_with_images", "json_or_none"]


def json_or_none(body: bytes) -> Any:
    """The JSON in an error ``body``, or None when it is not JSON (an HTML gateway page, nothing):
    where every plugin's error classifier starts."""
    try:
        return msgspec.json.decode(body)
    except msgspec.DecodeError:
        return None


def decode_json_object(status: int, body: bytes) -> dict[str, Any] | ApiError:
    """The JSON object in a response ``body``, or a ``malformed_response`` ApiError (with ``status``)
    when the body is not JSON or is JSON but not an object. Never raises on bad input."""
    try:
        doc: Any = msgspec.json.decode(body)
    except msgspec.DecodeError as exc:
        return ApiError(kind="malformed_response", message=f"response is not JSON: {exc}", status=status)
    if not isinstance(doc, dict):
        return ApiError(kind="malformed_response", message="response is not a JSON object", status=status)
    return doc


def answer_document(
    status: int, body: bytes, classify: Callable[[int, bytes], ApiError], api_key: str | None
) -> dict[str, Any] | ApiError:
    """Where every ``parse_response`` starts: the JSON object of a 2xx answer; for another status,
    the provider's error as its ``classify(status, body)`` reads it, with ``api_key`` redacted; a 2xx
    body that is not a JSON object is ``malformed_response``."""
    if not 200 <= status < 300:
        return redact_key(classify(status, body), api_key)
    return decode_json_object(status, body)


#: Stands for an image's data URL in a body given to ``encode_json_with_images``. msgspec writes a
#: Raw as it is, and a NUL byte appears nowhere else in its JSON output (it escapes control
#: characters inside strings), so the places to splice are found by splitting on it.
IMAGE_URL = msgspec.Raw(b"\x00")


def _data_url_json(image: EncodedImage) -> list[bytes]:
    """The pieces of ``msgspec.json.encode(image.data_url)``, without scanning the base64 for
    characters to escape and with one copy of it fewer.

    A base64 text (``A-Z a-z 0-9 + / =``) holds no character JSON escapes, so its bytes go into the
    string as they are; anything else (a quote, a backslash, a control or non-ASCII character)
    takes msgspec's own encoding, so the output is the same either way.
    """
    b64 = image.base64
    if b64 and b64.isascii():
        import numpy  # a dependency already; its min() checks 87 KB in microseconds

        raw = b64.encode("ascii")
        # 0x23 is the first character after the quote; below it are the control characters
        if int(numpy.frombuffer(raw, numpy.uint8).min()) > 0x22 and b"\\" not in raw:
            return [msgspec.json.encode(f"data:{image.mime};base64,")[:-1], raw, b'"']
    return [msgspec.json.encode(image.data_url)]


def encode_json_with_images(body: Any, images: Sequence[EncodedImage]) -> bytes:
    """``msgspec.json.encode(body)`` where the n-th ``IMAGE_URL`` in ``body`` (in the order msgspec
    writes it) stands for ``images[n].data_url``; the bytes are the same as with the data URLs in
    place.

    Encoding a body that holds a large base64 string scans and copies it several times; encoding the
    small rest once and splicing each image's JSON string in costs a fraction of that per request.
    ValueError when the number of ``IMAGE_URL`` in ``body`` is not ``len(images)``.
    """
    head = msgspec.json.encode(body)
    if not images:
        if b"\x00" in head:
            raise ValueError("the body has an image URL slot but no image was given")
        return head
    parts = head.split(b"\x00")
    if len(parts) != len(images) + 1:
        raise ValueError(f"the body has {len(parts) - 1} image URL slot(s) for {len(images)} image(s)")
    out = [parts[0]]
    for image, part in zip(images, parts[1:]):
        out.extend(_data_url_json(image))
        out.append(part)
    return b"".join(out)
