"""Honest answer extraction for the robust parsers: options, sector labels and numbers.

Option and sector search works on whole words: a phrase matches only between non-alphanumeric
characters, overlapping matches keep the longest phrase ("non-pancreas cancer" over "pancreas cancer",
"lower center" over "center"), and a match glued to a preceding word by a hyphen is dropped
("sub-optimal" is not "optimal") unless that word is a negation ("non-malignant" is a negated
"malignant"). A mention is *negated* when its clause has not/no/non/never/without/than/... at most two
words before it. The first non-negated mention wins; an explicit "answer: X" / "diagnosis is X" is
looked at first. With two options and only negated mentions of one, the other is taken
("not malignant" -> benign). Two different options offered side by side ("benign or malignant",
"benign/malignant") are a hedge, not an answer. Nothing found -> no value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property

__all__ = [
    "clean_answer",
    "loose_key",
    "Phrase",
    "Mention",
    "compile_phrases",
    "cached_phrases",
    "find_mentions",
    "choose",
    "extract_number",
    "NumberResult",
]

_JSON_KEYS = (
    "answer",
    "final_answer",
    "class",
    "diagnosis",
    "label",
    "option",
    "choice",
    "location",
    "value",
    "prediction",
    "result",
)
_FENCE = re.compile(r"```[a-zA-Z]*")
_EMPHASIS = re.compile(r"\*\*|__|`|~~")
_BULLET = re.compile(r"^\s*(?:[-*>•]|#+)\s+", re.M)
_PREFIX = re.compile(
    r"^(?:the\s+)?(?:final\s+|correct\s+|my\s+)?(?:answer|option|choice|diagnosis|classification|location|"
    r"output|prediction|result)\s*(?:is|:|=|-)\s*",
    re.I,
)
_QUOTES = " \t\r\n\"'“”‘’«»`"
_MARKER = re.compile(
    r"\b(?:final answer|answer|final diagnosis|diagnosis|classification|category|grade|score|conclusion|"
    r"location|position)\s*(?:would be|is|:|=)",
)
_CLAUSE_BREAK = re.compile(r"[.;:!?\n,()\[\]]|\bbut\b|\bhowever\b|\bwhereas\b|\balthough\b|\bthough\b")
_NEGATION = re.compile(
    r"(?:\b(?:not|no|non|never|without|neither|nor|cannot|unlikely|excluding|exclude[sd]?|against|than|"
    r"instead of|rule[sd]? out|absence of)|n't)[\s\-]*(?:[a-z0-9']+[\s\-]+){0,2}$"
)
#: What separates two options that are offered together rather than chosen ("benign or malignant").
_HEDGE = re.compile(r"\s*(?:,|/|\bor\b|\band/or\b|\bvs\.?|\bversus\b)\s*")
#: Phrases that contain a negation word but affirm ("no doubt benign", "not only ...").
_IDIOMS = re.compile(r"\b(?:no|without(?: a)?) doubt\b|\bnot only\b|\bno question\b|\bnonetheless\b")
_NEGATING_PREFIXES = frozenset({"non", "not", "no", "un"})
_UNIT_AFTER_NUMBER = re.compile(r"\s*(?:mm|cm|%|percent|x\b|years?|weeks?|days?|mhz|hz)", re.I)


def _json_answer(text: str) -> str | None:
    match = re.search(r"\{.*\}", text, re.S)
    if not match:
        return None
    try:
        data = json.loads(match.group(0))
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    lowered = {str(k).lower(): v for k, v in data.items()}
    for key in _JSON_KEYS:
        value = lowered.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
    return None


def clean_answer(text: str) -> str:
    """Strip whitespace, markdown, code fences, quotes, an "Answer:" prefix and trailing punctuation."""
    s = text.strip()
    found = _json_answer(s) if "{" in s else None
    if found is not None:
        s = found
    s = _FENCE.sub(" ", s)
    s = _EMPHASIS.sub("", s)
    s = _BULLET.sub("", s)
    s = s.strip(_QUOTES)
    s = _PREFIX.sub("", s, count=1)
    s = s.strip(_QUOTES).rstrip(" .!;,").strip(_QUOTES)
    return " ".join(s.split())


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def loose_key(text: str) -> str:
    """Lower case with every non-alphanumeric character removed: "Upper-Left" == "upper left"."""
    return _NOT_ALNUM.sub("", text.lower())


@dataclass(frozen=True)
class Phrase:
    label: str
    #: the phrase's words ([0-9a-z]+ runs); a match is these words in order, as whole words, joined
    #: by white space or one of - _ / + (``pattern``)
    tokens: tuple[str, ...]
    length: int
    tier: int

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        # compiled on first use: a benchmark's option and sector tables hold ~550 phrases, and
        # compiling them all took ~0.3 s of every ``u2fast score``; most never meet a text with
        # all their words (``may_occur``)
        body = r"(?:\s*[-_/+]\s*|\s+)".join(re.escape(t) for t in self.tokens)
        return re.compile(rf"(?<![0-9a-z]){body}(?![0-9a-z])")

    def may_occur(self, text: str) -> bool:
        """False when ``text`` cannot hold a match (a word of the phrase is not in it at all)."""
        return all(t in text for t in self.tokens)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    label: str
    tier: int
    negated: bool


_WORD = re.compile(r"[0-9a-z]+")


def compile_phrases(entries: Iterable[tuple[str, str, int]]) -> tuple[Phrase, ...]:
    """``(label, phrase, tier)`` triples to phrases; empty phrases are ignored."""
    out = []
    for label, phrase, tier in entries:
        tokens = tuple(_WORD.findall(phrase.lower()))
        if tokens:
            out.append(Phrase(label, tokens, len(loose_key(phrase)), tier))
    return tuple(out)


def _negated(text: str, start: int) -> bool:
    head = text[:start]
    breaks = list(_CLAUSE_BREAK.finditer(head))
    clause = head[breaks[-1].end() :] if breaks else head
    return _NEGATION.search(_IDIOMS.sub(" ", clause)) is not None


def _numeric_measurement(label: str, text: str, end: int) -> bool:
    """A bare-number option followed by a unit ("3 cm") is a size, not the option."""
    return label.isdigit() and _UNIT_AFTER_NUMBER.match(text, end) is not None


def find_mentions(text: str, phrases: Sequence[Phrase]) -> list[Mention]:
    """Non-overlapping mentions in ``text`` (lower case), longest phrase first, in text order."""
    candidates: list[tuple[int, int, Phrase]] = []
    for phrase in phrases:
        if not phrase.may_occur(text):
            continue
        for m in phrase.pattern.finditer(text):
            start, end = m.span()
            if _numeric_measurement(phrase.label, text, end):
                continue
            candidates.append((start, end, phrase))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2].tier, c[0]))
    taken: list[Mention] = []
    for start, end, phrase in candidates:
        if any(start < t.end and t.start < end for t in taken):
            continue
        negated = False
        if start > 0 and text[start - 1] == "-":
            prev = re.search(r"([a-z]+)\s*-$", text[:start])
            if prev is None or prev.group(1) not in _NEGATING_PREFIXES:
                continue  # part of a hyphenated word such as "sub-optimal"
            negated = True
        negated = negated or _negated(text, start)
        taken.append(Mention(start, end, phrase.label, phrase.tier, negated))
    taken.sort(key=lambda t: t.start)
    return taken


def choose(text: str, phrases: Sequence[Phrase], labels: Sequence[str]) -> tuple[str | None, str]:
    """The label an answer names, and how it was found (or why nothing was)."""
    lowered = text.lower()
    markers = list(_MARKER.finditer(lowered))
    regions = ([lowered[markers[-1].end() :]] if markers else []) + [lowered]
    for region in regions:
        mentions = find_mentions(region, phrases)
        positives = [m for m in mentions if not m.negated]
        if positives:
            best_tier = min(m.tier for m in positives)
            best = [m for m in positives if m.tier == best_tier]
            other = next((m for m in best if m.label != best[0].label), None)
            if other is not None and _HEDGE.fullmatch(region[best[0].end : other.start]):
                return None, "ambiguous: several options named together"
            return best[0].label, "search"
    mentions = find_mentions(lowered, phrases)
    negated = {m.label for m in mentions if m.negated}
    if len(labels) == 2 and len(negated) == 1:
        (only,) = negated
        return next(lab for lab in labels if lab != only), "negation"
    return None, "no option found" if not mentions else "only negated options"


@cache
def _cached(entries: tuple[tuple[str, str, int], ...]) -> tuple[Phrase, ...]:
    return compile_phrases(entries)


def cached_phrases(entries: tuple[tuple[str, str, int], ...]) -> tuple[Phrase, ...]:
    """``compile_phrases`` memoized on the (hashable) entry tuple."""
    return _cached(entries)


# ---------------------------------------------------------------------------- numbers

_NUM = r"\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?"
_RANGE = re.compile(
    rf"(?<![0-9a-z.,])([-+−]?)({_NUM})\s*(?:mm|cm|%)?\s*(?:-|–|—|~|to)\s*({_NUM})"
    rf"|\bbetween\s+([-+−]?)({_NUM})\s*(?:mm|cm|%)?\s+and\s+({_NUM})",
    re.I,
)
_NUMBER = re.compile(rf"(?<![0-9a-z.,])([-+−]?)({_NUM})", re.I)
_AFTER = re.compile(r"\s*([a-z%]+)?", re.I)
_NULLS = re.compile(r"\b(?:null|none|n/?a|nan|unknown|cannot|can't|unable|not measurable)\b", re.I)


@dataclass(frozen=True)
class NumberResult:
    value: float | None
    reason: str
    unit: str = ""


def _to_float(sign: str, digits: str) -> float:
    if "," in digits:
        whole, _, frac = digits.partition(",")
        # "1,200" is a thousands separator; "45,5" and "0,650" are decimal commas.
        digits = (
            whole + frac
            if len(frac) == 3 and whole.lstrip("0") and "e" not in frac.lower()
            else f"{whole}.{frac}"
        )
    value = float(digits)
    return -value if sign in ("-", "−") else value


_UNIT_WORDS = (
    ("millimet", "mm"),
    ("centimet", "cm"),
    ("percent", "%"),
    ("mm", "mm"),
    ("cm", "cm"),
    ("%", "%"),
    ("ml", "ml"),
)


def _unit_after(text: str, end: int) -> str | None:
    """The unit right after a number, '' for none, None when letters are glued on ("2CH", "4A")."""
    m = _AFTER.match(text, end)
    word = (m.group(1) or "").lower() if m else ""
    if not word:
        return ""
    for prefix, unit in _UNIT_WORDS:
        if word.startswith(prefix):
            return unit
    return None if m is not None and m.start(1) == end else ""


def extract_number(text: str, unit: str = "") -> NumberResult:
    """The first number of an answer.

    A range ("45-50", "between 45 and 50") gives its midpoint; "4.2 cm" gives 42 when the unit is mm.
    """
    s = clean_answer(text)
    # Ranges and single numbers compete on position: the earliest wins, a range over a number at the
    # same place. "between 45 and 50" starts at "between".
    found: list[tuple[int, int, NumberResult]] = []
    for m in _RANGE.finditer(s):
        sign, first, second = m.group(1, 2, 3) if m.group(2) else m.group(4, 5, 6)
        after = _unit_after(s, m.end())
        low, high = _to_float(sign, first), _to_float("", second)
        if after is None or high < low:
            continue  # "10-5" is not a range
        found.append((m.start(), 0, _scaled((low + high) / 2, after, unit, "range midpoint")))
    for m in _NUMBER.finditer(s):
        found_unit = _unit_after(s, m.end())
        if found_unit is None:
            continue  # "2CH", "4A": a code, not a quantity
        found.append((m.start(), 1, _scaled(_to_float(m.group(1), m.group(2)), found_unit, unit, "number")))
        break
    if found:
        return min(found, key=lambda f: (f[0], f[1]))[2]
    if _NULLS.search(s):
        return NumberResult(None, "answer says the value is unavailable")
    return NumberResult(None, "no number found")


def _scaled(value: float, found_unit: str, unit: str, how: str) -> NumberResult:
    if unit == "mm" and found_unit == "cm":
        return NumberResult(value * 10.0, f"{how} (cm converted to mm)", "mm")
    return NumberResult(value, how, found_unit)
