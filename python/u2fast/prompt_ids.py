"""The id every Prompt carries (``Prompt.template``): which wording made it and what answer it asks for.

``u2fast/v1:LL/04`` asks for a sector; ``u2fast/v1:LL/04:box:own`` for a box in the model's own coordinate
convention (``...:box:xyxy-norm`` names one). ``tasks.prompts`` builds the id; an adapter that answers
without a model (the random baseline) reads back from it what shape of answer to give, without importing
the task layer.
"""

from __future__ import annotations

__all__ = ["TEMPLATE_VERSION", "answer_kind", "coordinate_request", "template_id"]

#: The version of u2fast's own prompt wording, the first part of every id it builds.
TEMPLATE_VERSION = "u2fast/v1"


def template_id(task: str, dataset: str, answer_format: str, coords: str | None) -> str:
    """The id of a u2fast prompt; the answer format and convention enter only when it asks for coordinates."""
    base = f"{TEMPLATE_VERSION}:{task}/{dataset}"
    return base if answer_format == "sector" else f"{base}:{answer_format}:{coords or 'own'}"


def answer_kind(task: str, answer_format: str) -> str:
    """``box`` or ``point``: KD asks for a point (keypoints are points), LL/OD for what was chosen."""
    return "point" if task == "KD" or answer_format == "point" else "box"


def coordinate_request(template: str, task: str) -> tuple[str, str | None] | None:
    """``(kind, stated convention or None)`` when a prompt (by its template id) asks for coordinates."""
    parts = template.split(":")
    if len(parts) < 4 or parts[-2] not in ("box", "point"):
        return None
    return answer_kind(task, parts[-2]), None if parts[-1] == "own" else parts[-1]
