"""Keeping an adapter's own key out of the error messages it returns."""

from __future__ import annotations

import msgspec

from ..credentials import MASK
from ..types import ApiError

__all__ = ["redact_key"]


def redact_key(error: ApiError, api_key: str | None) -> ApiError:
    """``error`` with every occurrence of ``api_key`` in its message masked as every credential is
    (``u2fast.credentials.MASK``).

    Some servers echo the key they rejected; the message goes to the journal and the logs, the key
    must not. The same error is returned when there is nothing to hide.
    """
    if api_key and api_key in error.message:
        return msgspec.structs.replace(error, message=error.message.replace(api_key, MASK))
    return error
