"""u2fast.controls: escape sequences and control characters out of outside text."""

from __future__ import annotations

import pytest

from u2fast.controls import strip_controls


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("openai:gpt-4.1", "openai:gpt-4.1"),
        ("a\x1b]0;new title\x07b", "ab"),  # OSC: terminal title
        ("x\x1b[31mred\x1b[0m\x1b[2J", "xred"),  # CSI: colour, clear screen
        ("see \x1b]8;;https://evil.example\x1b\\here\x1b]8;;\x1b\\", "see here"),  # OSC 8 hyperlink
        ("z\x9b2Jq\x9d0;t\x9cw", "zqw"),  # 8-bit CSI and OSC
        ("line\r\nnext\tcol\x08\x00", "line\nnext\tcol"),  # carriage return, backspace, NUL
        ("lone \x1b", "lone "),
        ("é 中文 — ok", "é 中文 — ok"),
    ],
)
def test_strip_controls(raw: str, shown: str) -> None:
    assert strip_controls(raw) == shown
