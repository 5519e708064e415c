"""One attempt: a request sent (or generated locally) and its answer read back as a Reply.

Nothing escapes as an exception: a transport failure, an adapter that cannot build or parse, a
local adapter that raises - each becomes a Reply carrying a classified ApiError. The one exception is
an image read while the body is built (``StoredImage``): its DataError is the engine's to report.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import aiohttp
import msgspec
import yarl

from ..adapters.base import EncodedImage, HttpAdapter, LocalAdapter, Reply
from ..adapters.retry_after import parse_retry_after
from ..credentials import Redactor
from ..errors import DataError
from ..types import ApiError, Request
from .retry import classify_exception

__all__ = ["call_http", "call_local", "read_capped"]


async def call_local(
    adapter: LocalAdapter, request: Request, images: tuple[EncodedImage, ...], total_timeout: float
) -> Reply:
    try:
        async with asyncio.timeout(total_timeout):
            return await adapter.generate(request, images)
    except (TimeoutError, aiohttp.ClientError) as exc:
        return Reply(error=classify_exception(exc))
    except Exception as exc:  # noqa: BLE001 - one failing call must not end a long run
        return Reply(error=ApiError(kind="server", message=f"adapter raised {exc!r}"[:500]))


async def read_capped(response: aiohttp.ClientResponse, max_bytes: int) -> bytes | None:
    """The body of ``response``, or None as soon as it is known to exceed ``max_bytes`` (the rest is
    not read: the connection is dropped). Counted after decompression, so a gzip bomb stops too."""
    length = response.content_length
    if length is not None and length > max_bytes and not response.headers.get("content-encoding"):
        return None
    chunks: list[bytes] = []
    size = 0
    content = response.content
    while chunk := await content.readany():  # iter_any() without its iterator: b"" is the end
        size += len(chunk)
        if size > max_bytes:
            return None
        chunks.append(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


async def call_http(
    session: aiohttp.ClientSession,
    adapter: HttpAdapter,
    request: Request,
    images: tuple[EncodedImage, ...],
    timeout: aiohttp.ClientTimeout,
    redactor: Redactor,
    urls: dict[str, yarl.URL | str],
    wall: Callable[[], float],
    max_bytes: int = 16 << 20,
) -> Reply:
    try:
        http = adapter.build_request(request, images)
    except DataError:
        raise  # a StoredImage that could not be read, or changed on disk: the engine reports it
    except Exception as exc:  # noqa: BLE001 - the adapter cannot express this request
        return Reply(error=ApiError(kind="bad_request", message=f"cannot build request: {exc!r}"[:500]))
    redactor.learn(http.headers, http.url)
    try:
        url = urls.get(http.url)
        if url is None:  # parsing a URL costs more than the rest of the request set-up
            url = urls[http.url] = yarl.URL(http.url) if len(urls) < 1024 else http.url
        async with session.request(
            http.method, url, headers=http.headers, data=http.body, timeout=timeout
        ) as response:
            status = response.status
            headers = response.headers
            body = await read_capped(response, max_bytes)
    except Exception as exc:  # noqa: BLE001 - every transport failure is classified, none escapes
        return Reply(error=classify_exception(exc))
    if body is None:
        return Reply(error=ApiError(
            kind="malformed_response", status=status,
            message=f"response body larger than {max_bytes:,} bytes (max_response_bytes, --max-response-mb); not read",
        ))
    try:
        reply = adapter.parse_response(status, headers, body)
    except Exception as exc:  # noqa: BLE001
        message = f"cannot parse response: {exc!r}"[:500]
        return Reply(error=ApiError(kind="malformed_response", status=status, message=message))
    if reply.error is not None and reply.error.retry_after is None:
        # The adapter did not read the provider's wait; the standard headers may still say it.
        wait = parse_retry_after(headers, wall())
        if wait is not None:
            reply = msgspec.structs.replace(
                reply, error=msgspec.structs.replace(reply.error, retry_after=wait)
            )
    return reply
