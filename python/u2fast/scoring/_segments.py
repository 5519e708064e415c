"""The segments every text metric takes: hypotheses and their references, checked, lowercased, and the
segment behind a conversion error from the core named."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

__all__ = ["References", "checked_refs", "core_segments", "locate_bad_text", "lowered", "naming_bad_text"]

#: ``refs[i]`` is the reference (str) or the references (a sequence of str) of ``hyps[i]``.
References = Sequence[str | Sequence[str]]


def lowered(hyps: Sequence[str], refs: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """Both sides through the running Python's ``str.lower()``, as the reference libraries lowercase (the
    Rust core's Unicode tables are newer and pair letters Python does not, e.g. U+A7CB and U+0264)."""
    try:
        return [h.lower() for h in hyps], [[r.lower() for r in rs] for rs in refs]
    except AttributeError as err:
        raise locate_bad_text(hyps, refs, err) from None


def checked_refs(hyps: Sequence[str], refs: References) -> list[list[str]]:
    """Each hypothesis's references as a list; ``TypeError``/``ValueError`` naming what does not fit."""
    if isinstance(hyps, str) or isinstance(refs, str):
        raise TypeError("hyps and refs must be sequences of segments, not one string")
    for name, given in (("hyps", hyps), ("refs", refs)):
        if not hasattr(given, "__len__"):
            raise TypeError(f"{name} is {type(given).__name__}, not a sequence of segments")
    if len(hyps) != len(refs):
        raise ValueError(f"{len(hyps)} hypotheses but {len(refs)} references")
    try:
        return [[r] if isinstance(r, str) else list(r) for r in refs]
    except TypeError:
        bad = next((i for i, r in enumerate(refs) if not isinstance(r, str) and not hasattr(r, "__iter__")), None)
        if bad is None:
            raise
        raise TypeError(f"refs[{bad}] is {type(refs[bad]).__name__}, not a str or a list of str") from None


def locate_bad_text(hyps: Sequence[str], refs: list[list[str]], err: Exception) -> Exception:
    """Name the segment behind a conversion error from the core (found only after one occurred, so the
    common path pays nothing): a non-string (e.g. sacreBLEU's ``None`` padding, a NaN response), or a
    lone surrogate from text decoded with ``errors="surrogateescape"``, which UTF-8 Rust strings cannot hold."""
    for i, hyp in enumerate(hyps):
        for name, text in [(f"hyps[{i}]", hyp)] + [(f"refs[{i}][{k}]", r) for k, r in enumerate(refs[i])]:
            if not isinstance(text, str):
                hint = "; give each hypothesis only the references it has" if text is None and "refs" in name else ""
                return TypeError(f"{name} is {type(text).__name__}, not str{hint}")
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as bad:
                return ValueError(f"{name} contains a lone surrogate U+{ord(text[bad.start]):04X} at position "
                                  f"{bad.start}; decode the text with errors='replace' before scoring")
    return err



def core_segments(hyps: Sequence[str], refs: References, *, lowercase: bool) -> tuple[list[str], list[list[str]]]:
    """The checked segments as the core takes them (lists), lowercased first when asked."""
    ref_lists = checked_refs(hyps, refs)
    hyp_list = list(hyps)
    if lowercase:
        return lowered(hyp_list, ref_lists)
    return hyp_list, ref_lists


@contextmanager
def naming_bad_text(hyps: Sequence[str], refs: list[list[str]]) -> Iterator[None]:
    """Around a core call on these segments: its conversion error becomes one that names the segment."""
    try:
        yield
    except (TypeError, UnicodeEncodeError) as err:
        raise locate_bad_text(hyps, refs, err) from None
