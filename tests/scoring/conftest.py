"""Generated text pairs and the METRICS.md edge cases shared by the parity tests."""

from __future__ import annotations

import random

import pytest

_WORDS = ["the", "liver", "is", "normal", "in", "size", "and", "echotexture", "no", "focal", "lesion", "seen", "gallbladder", "wall", "thickened", "hypoechoic", "mass", "12.3×8.1", "mm", "x-ray", "T2-T4", "5-10", "U.S.A.", "1,000", "3.5.", ".5", "1.2.3", "60°", "µm", "–", "“quoted”", "patient's", "kidney", "KİDNEY", "Kelvin", "Σίσυφος", "ΟΔΟΣ", "café", "naïve", "ﬁbrosis", "ＦＵＬＬ", "cm,", "mm.", "(mild)", "[left]", "{right}", "a/b", "n=3;", "p<0.05", "&", "&amp;", "&amp;lt;", "&quot;x&quot;", "&lt;tag&gt;", "<skipped>", "hypo-\nechoic", "1-2", "-5", "--", "a-", ".", ",", ";", ":", "!", "?", "dying", "lying", "skies", "news", "generously", "running", "happiness", "relational", "conditional"]
_SEPARATORS = (" ", " ", " ", " ", "  ", "\n", "\t", "\u00a0", "\u001c", "\u001d", "\u001e", "\u001f",
               "\u2028", "\u3000", "\u0085", "\u200b", "\r\n", " \n ")

EDGE_PAIRS: list[tuple[str, str]] = [
    ("", ""),
    ("", "the liver is normal"),
    ("the liver is normal", ""),
    ("the liver is normal", "the liver is normal"),
    ("liver", "liver"),
    ("liver", "kidney"),
    ("the the the the the", "the the"),
    ("a a a b b", "a b a b a b"),
    ("...", "!!!"),
    (",.;:", ",.;:"),
    ("héllo wörld ñ", "héllo wörld"),
    ("line one\nline two", "line one line two"),
    ("hypo-\nechoic lesion", "hypoechoic lesion"),
    ("&amp;lt;", "<"),
    ("a\u001cb\u001dc\u001ed\u001fe", "a b c d e"),
    ("a\u00a0b", "a b"),
    ("5 \u212a", "5 k"),
    ("KİDNEY normal", "kidney normal"),
    ("   leading and trailing   ", "leading and trailing"),
    ("\n\n\n", "\n"),
    ("a b c\na b c", "a b c a b c"),
    ("12.3×8.1 mm", "12.3 × 8.1 mm"),
    ("x", "x y z w v"),
]


def generate_text(rng: random.Random, max_words: int = 40) -> str:
    n = rng.randint(0, max_words)
    parts: list[str] = []
    for _ in range(n):
        parts.append(rng.choice(_WORDS))
        parts.append(rng.choice(_SEPARATORS))
    return "".join(parts[:-1]) if parts else rng.choice(["", " ", "\n"])


def generate_pairs(seed: int, n: int, max_refs: int = 1) -> list[tuple[str, list[str]]]:
    rng = random.Random(seed)
    out: list[tuple[str, list[str]]] = []
    for _ in range(n):
        ref = generate_text(rng)
        # Hypotheses share words with their reference most of the time, so matches of every order occur.
        if rng.random() < 0.7:
            words = ref.split(" ")
            rng.shuffle(words[: rng.randint(0, len(words))])
            hyp = " ".join(w for w in words if rng.random() < 0.85)
        else:
            hyp = generate_text(rng)
        refs = [ref] + [generate_text(rng) for _ in range(rng.randint(0, max_refs - 1))]
        out.append((hyp, refs))
    return out


@pytest.fixture(scope="session")
def single_ref_pairs() -> list[tuple[str, list[str]]]:
    return [(h, [r]) for h, r in EDGE_PAIRS] + generate_pairs(1, 3000)


@pytest.fixture(scope="session")
def multi_ref_pairs() -> list[tuple[str, list[str]]]:
    return [(h, [r, r + " extra words"]) for h, r in EDGE_PAIRS] + generate_pairs(2, 2000, max_refs=3)


@pytest.fixture(scope="session")
def pair_generator() -> object:
    """`generate_pairs(seed, n, max_refs=1)` for tests that need their own pairs."""
    return generate_pairs
