"""Small helpers for HTTP adapter plugins: settings checks, key redaction and JSON body decoding.

Every provider plugin has to do the same few things before and after the provider-specific part:
find the key and base URL in the environment, refuse a base URL or option it cannot use before any
request is sent (a typo should fail at start-up, not as a thousand failed requests), keep the key
out of error messages that go to the journal, and turn a body that is not a JSON object into a
``malformed_response`` error instead of an exception. These functions do that with the same wording
for every plugin; the error messages start with the adapter name so that the user knows which model
table of the config file to fix.

Only the standard library, msgspec and u2fast's own types are imported: no HTTP client.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import msgspec

from u2fast.adapters.base import EncodedImage
from u2fast.credentials import MASK, redact_url
from u2fast.errors import ConfigError
from u2fast.types import ApiError, ErrorKind

__all__ = [
    "check_base_url",
    "check_known_options",
    "IMAGE_URL",
    "decode_json_object",
    "encode_json_with_images",
    "first_env",
    "kind_for_status",
    "redact_key",
    "require_api_key",
]


def first_env(names: Iterable[str]) -> str | None:
    """The first of the environment variables ``names`` that is set to something besides blanks.

    The value is stripped (a key pasted with a trailing newline still works); None when none is set.
    """
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


def check_base_url(adapter: str, base_url: str) -> str:
    """``base_url`` unchanged when an HTTP client can use it, else ConfigError naming ``adapter``.

    Checked once, when the adapter is created: the scheme must be http or https, the URL must parse
    with a host and a port in range, and it must hold no whitespace.
    """
    shown = redact_url(base_url)  # the message must not carry a password the URL holds
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"{adapter}: base URL must start with http:// or https://, got {shown!r}")
    try:
        parts = urlsplit(base_url)
        parts.port  # noqa: B018 - raises on a port out of range
    except ValueError as exc:
        raise ConfigError(f"{adapter}: bad base URL {shown!r}: {redact_url(str(exc))}") from None
    if not parts.hostname or any(c.isspace() for c in base_url):
        raise ConfigError(f"{adapter}: bad base URL {shown!r}: no host, or a space in it")
    return base_url


def require_api_key(adapter: str, api_key: str | None, key_env: Iterable[str]) -> str:
    """``api_key`` when there is one, else ConfigError saying which variables would provide it."""
    if not api_key:
        raise ConfigError(f"{adapter}: no API key; set {' or '.join(key_env)} (or api_key in the config file)")
    return api_key


def check_known_options(adapter: str, options: Mapping[str, Any], known: Iterable[str]) -> None:
    """ConfigError listing the unknown names (sorted) and the known ones, when ``options`` has any
    name outside ``known``; a misspelt option would otherwise be silently ignored."""
    known = tuple(known)
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise ConfigError(f"{adapter}: unknown option(s) {', '.join(unknown)}; known: {', '.join(known)}")


def redact_key(error: ApiError, api_key: str | None) -> ApiError:
    """``error`` with every occurrence of ``api_key`` in its message masked (``credentials.MASK``).

    Some servers echo the key they rejected; the message goes to the journal and the logs, the key
    must not. The same error is returned when there is nothing to hide.
    """
    if api_key and api_key in error.message:
        return msgspec.structs.replace(error, message=error.message.replace(api_key, MASK))
    return error


def kind_for_status(status: int) -> ErrorKind:
    """The error class of a non-2xx HTTP status, for when the body says nothing more specific.

    401/403 ``auth``; 408/504 ``timeout``; 429 ``rate_limited``; 503/529 ``overloaded``; other 5xx
    ``server``; everything else (400 context too long or bad image, 404 unknown model, 413, 422)
    ``bad_request``. A provider whose body carries a more precise class should check that first.
    """
    if status in (401, 403):
        return "auth"
    if status in (408, 504):
        return "timeout"
    if status == 429:
        return "rate_limited"
    if status in (503, 529):
        return "overloaded"
    if status >= 500:
        return "server"
    return "bad_request"


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
