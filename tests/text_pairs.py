"""Generated text pairs for the text-metric tests (unit and parity), in two families, and the
docs/reference-metrics.md edge cases.

- ``generate_pairs``: report-like text (medical words, numbers, the 13a and Porter cases) where hypotheses
  share most words with their reference, so matches of every n-gram order occur.
- ``adversarial_pairs``: every branch of the tokenizers (Python-only whitespace, lowercasing that changes
  length or script, combining marks, emoji sequences, entities, digit/punctuation rules).

The fixtures of ``tests/conftest.py`` interleave both after the edge cases, so a test that takes the first
N pairs meets both families.
"""

from __future__ import annotations

import random

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


# Atoms chosen to hit every branch of the three tokenizers: Python-only whitespace (U+001C-1F, U+0085),
# Unicode whitespace Python and Rust agree on, zero-width characters that are not whitespace, lowercasing
# that changes length or script (İ, Kelvin sign, ẞ, final sigma, ligatures), combining marks, emoji
# sequences, the 13a preprocessing (<skipped>, -\n, entities) and the digit/punctuation rules.
_ADVERSARIAL_ATOMS: tuple[str, ...] = (
    *"abcxyzABCXYZ0123456789",
    *".,-'\"!?;:()[]{}<>/\\|_^`~@#$%&*+=",
    "é", "ß", "ẞ", "İ", "ı", "\u212a", "Σ", "ς", "σ", "ﬁ", "ǅ", "Ω", "µ", "×", "°", "–", "“", "”", "…",
    "ж", "Ж", "中", "文", "日本", "한", "ع", "ש", "ह", "ि", "ไทย", "Ａ", "１",
    "😀", "👍🏽", "👨\u200d👩\u200d👧", "🇫🇷", "e\u0301", "\u0301", "\u0307", "\u0308", "a\u0323\u0302",
    "\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad", "\x00", "\x7f",
    "\t", "\r", "\n", "\r\n", "\x0b", "\x0c", "\u2028", "\u2029", "\u0085", "\x1c", "\x1d", "\x1e", "\x1f",
    "\u00a0", "\u1680", "\u2000", "\u2009", "\u200a", "\u202f", "\u205f", "\u3000", "\u180e",
    "<skipped>", "-\n", "&amp;", "&quot;", "&lt;", "&gt;", "&amp;quot;&lt;", "&AMP;", "&amp;lt;", "&",
    "1,000.5-2", ".5.", "a.,b", "1..2", "3.5.", "U.S.A.", "T2-T4", "5-10", "-5", "--", ",.", ".,", "1,", ",1",
    " ", " ", " ", "  ", "   ",
)
#: Words around the Porter rules (and a few plain ones so that matches happen).
ADVERSARIAL_WORDS: tuple[str, ...] = (
    "the", "liver", "is", "normal", "lesion", "mass", "a", "b", "c",
    "generalizations", "oscillators", "happy", "dying", "skies", "feed", "agreed", "conditional", "rational",
    "valency", "hesitanci", "digitizer", "sensibility", "running", "caresses", "ponies", "ties", "abilities",
    "formaliti", "electriciti", "hopeful", "goodness", "adjustment", "ization", "yes",
)


def adversarial_text(rng: random.Random, max_atoms: int = 30) -> str:
    """One adversarial segment: words, atoms and words glued to atoms; sometimes empty or one word repeated."""
    r = rng.random()
    if r < 0.05:
        return ""
    if r < 0.08:
        return (rng.choice(ADVERSARIAL_WORDS) + " ") * rng.randint(5, 60)
    parts: list[str] = []
    for _ in range(rng.randint(0, max_atoms)):
        k = rng.random()
        if k < 0.45:
            parts.append(rng.choice(ADVERSARIAL_WORDS))
        elif k < 0.9:
            parts.append(rng.choice(_ADVERSARIAL_ATOMS))
        else:
            parts.append(rng.choice(ADVERSARIAL_WORDS) + rng.choice(_ADVERSARIAL_ATOMS) + rng.choice(ADVERSARIAL_WORDS))
    return "".join(parts)


def adversarial_variant(rng: random.Random, text: str) -> str:
    """A hypothesis close to ``text``: words dropped, one inserted, rejoined with varied whitespace."""
    words = [w for w in text.split(" ") if rng.random() < 0.8]
    if words and rng.random() < 0.5:
        words.insert(rng.randrange(len(words)), adversarial_text(rng, 3))
    return rng.choice([" ", "  ", "\n", " \t"]).join(words)


def adversarial_pairs(seed: int, n: int, max_refs: int = 1) -> list[tuple[str, list[str]]]:
    """``n`` seeded (hypothesis, references) pairs of adversarial text, 1..max_refs references each."""
    rng = random.Random(seed)
    out: list[tuple[str, list[str]]] = []
    for _ in range(n):
        ref = adversarial_text(rng)
        hyp = adversarial_variant(rng, ref) if rng.random() < 0.7 else adversarial_text(rng)
        more = [adversarial_variant(rng, ref) if rng.random() < 0.5 else adversarial_text(rng) for _ in range(rng.randint(0, max_refs - 1))]
        out.append((hyp, [ref, *more]))
    return out


def sacrebleu_streams(pairs: list[tuple[str, list[str]]]) -> list[list[str | None]]:
    """The pairs' references in sacreBLEU's layout: one stream per reference position, None where a pair has
    fewer references."""
    width = max(len(refs) for _, refs in pairs)
    return [[refs[k] if k < len(refs) else None for _, refs in pairs] for k in range(width)]


def interleave(*families: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """The pairs of each family in turn (one of each, then the rest of the longer one)."""
    out: list[tuple[str, list[str]]] = []
    for k in range(max(len(f) for f in families)):
        out += [f[k] for f in families if k < len(f)]
    return out


def single_ref_pairs() -> list[tuple[str, list[str]]]:
    """The edge cases, then report-like and adversarial pairs with one reference each."""
    return [(h, [r]) for h, r in EDGE_PAIRS] + interleave(generate_pairs(1, 3000), adversarial_pairs(101, 2000))


def multi_ref_pairs() -> list[tuple[str, list[str]]]:
    """The edge cases with a second reference, then pairs with one to three references."""
    return [(h, [r, r + " extra words"]) for h, r in EDGE_PAIRS] + interleave(
        generate_pairs(2, 2000, max_refs=3), adversarial_pairs(202, 1500, max_refs=3))
