"""Reports of run folders: terminal tables, the versioned JSON (``u2fast.report/1``), Markdown, CSV,
the self-contained HTML report, and paired comparisons of two runs (``u2fast.compare/1``).

Import the submodules directly (``u2fast.report.build``, ``.compare``, ``.html``); this package
imports nothing so that ``u2fast.report.terminal`` stays cheap for ``u2fast eval``.
"""

from __future__ import annotations

__all__: list[str] = []
