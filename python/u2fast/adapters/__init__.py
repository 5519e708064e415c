"""Model adapters: what one is (``base``) and the rules every HTTP plugin shares, one module each.

The helpers a plugin imports are re-exported here, so ``from u2fast.adapters import kind_for_status``
works whatever module owns the rule: ``base_url`` (checking a base URL, the local-network test of
the key rule), ``options`` (unknown option names), ``json_body`` (decoding an answer, splicing
images into a request), ``answer`` (an answer's text into a Reply, the empty-answer rule), ``status`` (HTTP status -> error class), ``retry_after`` (the provider's
wait, read by the runner with its clock; ``parse_duration`` for waits a body names),
``key_redaction`` and ``provider`` (a plugin's ``create`` and AdapterInfo in one call, a key-safe
``__repr__``). None of them imports an HTTP client.
"""

from __future__ import annotations

from .answer import answer_reply, reported_tokens
from .base_url import check_base_url, is_local_url
from .json_body import IMAGE_URL, answer_document, decode_json_object, encode_json_with_images, json_or_none
from .key_redaction import redact_key
from .options import check_known_options
from .provider import adapter_repr, http_provider
from .retry_after import parse_duration, parse_retry_after
from .status import QUOTA_WORDS, kind_for_status

__all__ = [
    "IMAGE_URL",
    "QUOTA_WORDS",
    "adapter_repr",
    "answer_document",
    "answer_reply",
    "check_base_url",
    "check_known_options",
    "decode_json_object",
    "encode_json_with_images",
    "http_provider",
    "is_local_url",
    "json_or_none",
    "kind_for_status",
    "parse_duration",
    "parse_retry_after",
    "redact_key",
    "reported_tokens",
]
