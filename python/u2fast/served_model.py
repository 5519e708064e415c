"""Whether an answer came from the model that was asked: the ``model`` a response names against
the one requested.

Providers answer with the full name of what served the request: ``gpt-4o`` comes back as
``gpt-4o-2024-08-06``, ``claude-sonnet-4-5`` as ``claude-sonnet-4-5-20250929``, Gemini may prefix
``models/``. Those are the same model. Any other name means the answer is not the one asked for
(a proxy that mixed up requests, a silent reroute): robust scoring leaves such answers out.
"""

from __future__ import annotations

import re

__all__ = ["is_same_model"]

#: What providers append to a model name to pin a version: a date, a build number, "latest",
#: "preview", "exp" and their combinations (``-preview-05-20``, ``-001``, ``-2024-08-06``).
_VERSION_SUFFIX = re.compile(
    r"(?:-(?:\d{4}-\d{2}-\d{2}|\d{8}|\d{2}-\d{2}|\d{2}-\d{4}|\d{3,4}|v\d+(?:\.\d+)*|latest|preview|exp))+"
)


def _bare(name: str) -> str:
    name = name.strip().lower()
    return name[len("models/"):] if name.startswith("models/") else name


def is_same_model(requested: str, returned: str | None) -> bool:
    """True when ``returned`` (None: the response named none) is ``requested`` or it with a
    provider's version suffix; ``requested`` may be ``adapter:model``."""
    if not returned or returned == requested:
        return True  # a server that names no model is not contradicting us
    want = _bare(requested.split(":", 1)[1] if ":" in requested else requested)
    got = _bare(returned)
    if got == want or not want:
        return True
    if got.startswith(want):
        return _VERSION_SUFFIX.fullmatch(got[len(want):]) is not None
    if want.startswith(got):  # asked for a pinned version, told the family name
        return _VERSION_SUFFIX.fullmatch(want[len(got):]) is not None
    return False
