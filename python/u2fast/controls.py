"""Control characters and terminal escape sequences in text that comes from outside.

Model names, run names, server messages and model answers are written by others (a run folder
shared by a colleague, a server's ``model`` field, a crafted ``--model``). Printed raw, an ANSI
or OSC sequence in them can recolour or clear the terminal, rewrite its title, or plant a
hyperlink; in a Markdown report it is invisible junk. ``strip_controls`` removes every such
sequence and every control character but tab and newline, before the text reaches a terminal or
a Markdown file. (HTML output escapes markup instead: a browser does not interpret escapes.)
"""

from __future__ import annotations

import re

__all__ = ["strip_controls"]

_SEQUENCES = re.compile(
    r"""
      \x1b\[[0-?]*[ -/]*[@-~]                   # CSI: colours, cursor moves, erase
    | \x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?  # OSC, DCS, SOS, PM, APC up to their end
    | \x9b[0-?]*[ -/]*[@-~]                     # 8-bit CSI
    | [\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?  # 8-bit OSC and friends
    | \x1b[ -/]*[0-~]?                          # any other escape, and a lone ESC
    | [\x00-\x08\x0b-\x1f\x7f-\x9f]             # the remaining C0 and C1 controls
    """,
    re.VERBOSE,
)


def strip_controls(text: str) -> str:
    """``text`` without escape sequences and control characters (tab and newline are kept)."""
    if text.isprintable():  # the common case, checked in C
        return text
    return _SEQUENCES.sub("", text)
