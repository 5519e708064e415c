"""The short account of bad data that ``eval`` prints before sending anything."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..errors import RowError

__all__ = ["bad_data_lines"]


def bad_data_lines(skipped: Sequence[RowError], warnings: Sequence[str], *, files: int = 10,
                   reasons: int = 3) -> list[str]:
    """Rows skipped per file, the first reasons (file, row, field), and the data warnings (a
    scenario left with no case, an ambiguous box layout); [] when the data are clean."""
    lines: list[str] = []
    if skipped:
        per_file = Counter(e.source for e in skipped)
        lines.append(f"data: {len(skipped)} bad rows skipped in {len(per_file)} files "
                     "(u2fast data info lists them all; --strict makes them fatal):")
        for source, n in per_file.most_common(files):
            lines.append(f"  {source}: {n} skipped")
        if len(per_file) > files:
            lines.append(f"  ... and {len(per_file) - files} more files")
        lines.append("  first reasons:")
        lines.extend(f"    {e}" for e in skipped[:reasons])
    lines.extend(f"data: warning: {w}" for w in warnings)
    return lines
