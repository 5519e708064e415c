"""u2fast.jsonl: JSON-lines text decoded line by line, a bad line named, a torn end tolerated only when asked."""

from __future__ import annotations

import msgspec
import pytest

from u2fast.errors import DataError, RunError
from u2fast.jsonl import decode_lines

_ints = msgspec.json.Decoder(dict[str, int])


def test_blank_lines_are_skipped_and_numbers_count_every_line() -> None:
    data = b'{"a": 1}\n\n   \n{"a": 2}\n'
    assert list(decode_lines(data, _ints, "f.jsonl", "a record", DataError)) == [(1, {"a": 1}), (4, {"a": 2})]


def test_a_bad_line_names_source_line_and_what_was_expected() -> None:
    with pytest.raises(RunError, match=r"f\.jsonl: line 2: not a record: .*int"):
        list(decode_lines(b'{"a": 1}\n{"a": "x"}\n{"a": 3}\n', _ints, "f.jsonl", "a record", RunError))


def test_an_unterminated_last_line_ends_the_records_only_with_torn_end() -> None:
    torn = b'{"a": 1}\n{"a": 2}\n{"a": '
    assert list(decode_lines(torn, _ints, "f", "a record", RunError, torn_end=True)) == [(1, {"a": 1}), (2, {"a": 2})]
    with pytest.raises(RunError, match="line 3"):
        list(decode_lines(torn, _ints, "f", "a record", RunError))
    # a bad line that ends with its newline was written whole: not a torn write, an error even with torn_end
    with pytest.raises(RunError, match="line 2"):
        list(decode_lines(b'{"a": 1}\n{"a": \n', _ints, "f", "a record", RunError, torn_end=True))


def test_a_last_line_without_newline_that_decodes_counts() -> None:
    assert list(decode_lines(b'{"a": 1}\n{"a": 2}', _ints, "f", "a record", DataError, torn_end=True))[-1] == (2, {"a": 2})
