"""Parity: TER against sacreBLEU 2.6.0 — its own test vectors (test/test_ter.py, test/test_tokenizer_ter.py)
and all 16 option combinations on generated pairs with TER's edge cases, corpus and sentence level, with the
signature. Statistics are compared exactly, pair by pair."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import sacrebleu
from sacrebleu.metrics.ter import TER
from text_pairs import EDGE_PAIRS, adversarial_pairs, generate_pairs, sacrebleu_streams

from u2fast.scoring import corpus_ter, sentence_ter, ter_stats

Pairs = list[tuple[str, list[str]]]
OPTION_NAMES = ("normalized", "no_punct", "asian_support", "case_sensitive")
ALL_OPTIONS = [dict(zip(OPTION_NAMES, flags)) for flags in itertools.product((False, True), repeat=4)]

_DE_HYPS = [
    ('wählen Sie " Bild neu berechnen , " um beim Ändern der Bildgröße Pixel hinzuzufügen oder zu entfernen , damit '
    'das Bild ungefähr dieselbe Größe aufweist wie die andere Größe .'),
    ('wenn Sie alle Aufgaben im aktuellen Dokument aktualisieren möchten , wählen Sie im Menü des '
    'Aufgabenbedienfelds die Option " Alle Aufgaben aktualisieren . "'),
    ('klicken Sie auf der Registerkarte " Optionen " auf die Schaltfläche " Benutzerdefiniert " und geben Sie Werte '
    'für " Fehlerkorrektur-Level " und " Y / X-Verhältnis " ein .'),
    "Sie können beispielsweise ein Dokument erstellen , das ein Auto über die Bühne enthält .",
    'wählen Sie im Dialogfeld " Neu aus Vorlage " eine Vorlage aus und klicken Sie auf " Neu . "',
]
_DE_REFS = [
    ('wählen Sie " Bild neu berechnen , " um beim Ändern der Bildgröße Pixel hinzuzufügen oder zu entfernen , damit '
    "die Darstellung des Bildes in einer anderen Größe beibehalten wird ."),
    _DE_HYPS[1],
    ('klicken Sie auf der Registerkarte " Optionen " auf die Schaltfläche " Benutzerdefiniert " und geben Sie für '
    '" Fehlerkorrektur-Level " und " Y / X-Verhältnis " niedrigere Werte ein .'),
    "Sie können beispielsweise ein Dokument erstellen , das ein Auto enthalt , das sich über die Bühne bewegt .",
    _DE_HYPS[4],
]
# sacreBLEU test_ter.py: (hyps, refs, expected TER / 100), default options
VECTORS = [
    (["aaaa bbbb cccc dddd"], ["aaaa bbbb cccc dddd"], 0.0),  # perfect match
    (["dddd eeee ffff"], ["aaaa bbbb cccc"], 1.0),  # no overlap
    ([""], ["a"], 1.0),  # empty hypothesis
    (["d e f g h a b c"], ["a b c d e f g h"], 1 / 8),  # one shift fixes it
    (_DE_HYPS, _DE_REFS, 0.136),  # WMT 2019 dev data
]
# sacreBLEU test_tokenizer_ter.py: (options, text, its tokens)
TOKENIZER_VECTORS = [
    ({}, "a b c d", "a b c d"), ({}, "", ""), ({}, "a b c d.", "a b c d."), ({}, "A B C D.", "a b c d."),
    ({"no_punct": True}, "a b c d.", "a b c d"), ({"no_punct": True}, "A ; B ) C : D.", "a b c d"),
    ({"normalized": True}, "a b (c) d.", "a b ( c ) d ."), ({"normalized": True}, "Jim's car.", "jim 's car ."),
    ({"normalized": True}, "4.2", "4.2"),
    ({"normalized": True, "asian_support": True}, "美众院公布对特", "美 众 院 公 布 对 特"),
    ({"normalized": True, "asian_support": True}, "りの拳銃を持", "りの 拳 銃 を 持"),
]
_LONG_REF = " ".join(f"w{i % 37}" for i in range(160))
# Cases around TER's own rules: the shift limits (runs of 10 words, 50 positions), the wider band for very
# unequal lengths, the 1,000-candidate stop, shifts onto the run itself, every normalizer rule, CJK text.
TER_EDGES: Pairs = [
    ("", [""]), ("", ["", ""]), (" \t\n", ["a"]), ("a b", [""]), ("a b", ["", "a b"]), ("a b c", ["a b c"]),
    ("c a b", ["a b c"]), ("b c a", ["a b c"]), ("a b a b", ["b a b a"]), ("x a b y", ["a b x y", "y x b a"]),
    ("...", ["!!!"]), ("., ; : ! ? \" ( )", ["., ; : ! ? \" ( )"]), ("(", [")"]),
    ("ΣΑΣ. İstanbul ẞ", ["σας. i̇stanbul ß"]), ("\ua7cb liver", ["\u0264 liver"]), ("Ｋ ｋ", ["ｋ"]),
    ("美众院公布对特朗普。", ["美众院，公布对特朗普"]), ("りの拳銃を持", ["りの 拳銃 を持"]), ("ａ，ｂ．ｃ！", ["ａ ｂ ｃ"]),
    ("㈱㎝ ⺀ ㇀ 豈 ︰", ["㈱ ㎝ ⺀ ㇀ 豈 ︰"]), ("「引用」・〔注〕", ["引用 注"]),
    ("jim's car's wheel 's", ["jim 's car 's wheel's"]), ("it's'", ["it ' s"]), ("4.2, 3,5 a.b .5 1-2 x-y", ["4.2 , 3,5"]),
    ("&quot;x&quot; &amp;lt; &lt;tag&gt; &AMP;", ["\"x\" < <tag> &amp;"]), ("hypo-\nechoic\nlesion", ["hypoechoic lesion"]),
    ("a{b}c[d]e^f_g`h~i|j\\k@l#m$n%o*p+q/r=s<t>u", ["a b c d e f g h i j k l m n o p q r s t u"]),
    (" ".join(f"w{i}" for i in range(12)) + " x", ["x " + " ".join(f"w{i}" for i in range(12))]),
    (" ".join(f"w{i}" for i in range(60)) + " x y", ["x y " + " ".join(f"w{i}" for i in range(60))]),
    ("w1 w2", [_LONG_REF]), (_LONG_REF, ["w1 w2"]),
    ("the " * 80, ["the " * 75 + "liver"]), ("a b " * 40, ["b a " * 40, "a " * 80]),
]


#: A pair that runs into the 1,000-candidate stop (sacreBLEU takes seconds on it, so it runs once).
REVERSED_LONG = (" ".join(reversed(_LONG_REF.split())), [_LONG_REF])


def _pairs(seed: int, generated: int = 30, adversarial: int = 300) -> Pairs:
    """TER's edge cases, the shared ones (also with two references) and fresh generated pairs per seed: report
    words with shuffled runs (slow in sacreBLEU, so few) and adversarial text (1..2 references each)."""
    return (TER_EDGES + [(h, [r]) for h, r in EDGE_PAIRS] + [(h, [r, r + " extra , words"]) for h, r in EDGE_PAIRS]
            + generate_pairs(seed, generated, max_refs=3) + adversarial_pairs(seed + 1, adversarial, max_refs=2))


@pytest.mark.parametrize(("hyps", "refs", "expected"), VECTORS)
def test_ter_vectors(hyps: list[str], refs: list[str], expected: float) -> None:
    assert abs(corpus_ter(hyps, refs).score - 100 * expected) < 1e-3
    assert corpus_ter(hyps, refs).score == sacrebleu.corpus_ter(hyps, [refs]).score


@pytest.mark.parametrize(("options", "text", "tokens"), TOKENIZER_VECTORS)
def test_tercom_tokenizer_vectors(options: dict[str, bool], text: str, tokens: str) -> None:
    # Zero edits against the expected tokens (themselves unchanged by the normalizer) means the same words.
    stats = ter_stats([tokens], [text], **options)
    assert stats.tolist() == [[0.0, float(len(tokens.split()))]]


def _assert_equal_to_sacrebleu(pairs: Pairs, options: dict[str, bool]) -> None:
    hyps, refs = [h for h, _ in pairs], [r for _, r in pairs]
    metric = TER(**options)
    expect = np.array(metric._extract_corpus_statistics(hyps, sacrebleu_streams(pairs)), dtype=np.float64)
    got = ter_stats(hyps, refs, **options)
    bad = np.flatnonzero((got != expect).any(axis=1))
    assert len(bad) == 0, [(pairs[i], got[i], expect[i]) for i in bad[:3]]
    corpus = corpus_ter(hyps, refs, **options)
    reference = metric._aggregate_and_compute(expect.tolist())  # sacreBLEU's own summing and scoring
    assert (corpus.score, corpus.num_edits, corpus.ref_length) == (
        reference.score, reference.num_edits, reference.ref_length)
    assert corpus.signature == str(metric.get_signature())
    sentence = sentence_ter(hyps, refs, **options)
    assert sentence.tolist() == [metric._compute_score_from_stats(row).score for row in expect.tolist()]


@pytest.mark.parametrize("options", ALL_OPTIONS, ids=lambda o: "-".join(k for k, v in o.items() if v) or "default")
def test_ter_equals_sacrebleu_with_every_option(options: dict[str, bool]) -> None:
    _assert_equal_to_sacrebleu(_pairs(900 + 2 * ALL_OPTIONS.index(options)), options)


@pytest.mark.slow
def test_ter_equals_sacrebleu_on_report_words_and_the_candidate_stop() -> None:
    _assert_equal_to_sacrebleu([REVERSED_LONG, *generate_pairs(990, 250, max_refs=2)], {})


@pytest.mark.parametrize("options", [{}, {"normalized": True, "case_sensitive": True},
                                     {"no_punct": True, "asian_support": True}])
def test_sentence_ter_equals_sacrebleu_sentence_ter_with_its_signature(options: dict[str, bool]) -> None:
    pairs = [(h, [rs[0], h + " extra"]) for h, rs in TER_EDGES + adversarial_pairs(77, 60) + generate_pairs(78, 5)]
    got = sentence_ter([h for h, _ in pairs], [r for _, r in pairs], **options)
    metric = TER(**options)
    assert got.tolist() == [metric.sentence_score(h, rs).score for h, rs in pairs]
    assert got.signature == str(metric.get_signature())
    assert got[:3].signature == got.signature


def test_corpus_ter_is_sacrebleus_corpus_ter() -> None:
    hyps, refs = ["The liver is normal.", "No focal lesion", ""], ["The liver is normal in size.", "no lesion", "x"]
    got, expect = corpus_ter(hyps, refs), sacrebleu.corpus_ter(hyps, [refs])
    assert (got.score, got.num_edits, got.ref_length) == (expect.score, expect.num_edits, expect.ref_length)
