"""u2fast.types: the records a run folder stores keep their field order on disk."""

from __future__ import annotations

import msgspec

from u2fast.types import Case, CaseIdentity, CaseScore, ImageRef, LabelTarget


def test_case_and_case_score_share_their_identity_and_scenario() -> None:
    case = Case("DD/21/7", "21", "DD", LabelTarget("benign", ("benign", "malignant")), ImageRef("ab", "image/png"))
    score = CaseScore("DD/21/7", "21", "DD", correct=True)
    assert isinstance(case, CaseIdentity) and isinstance(score, CaseIdentity)
    assert case.scenario == score.scenario == "DD/21"


def test_the_identity_fields_lead_the_stored_records() -> None:
    case = Case("DD/21/7", "21", "DD", LabelTarget("benign", ("benign", "malignant")), ImageRef("ab", "image/png"),
                row=7)
    assert msgspec.json.encode(case) == (
        b'{"case_id":"DD/21/7","dataset_id":"21","task":"DD","target":{"type":"label","label":"benign",'
        b'"options":["benign","malignant"]},"image":{"sha256":"ab","mime":"image/png","path":null,"offset":0,'
        b'"length":-1,"base64":false,"data":null,"width":0,"height":0,"stored_sha256":null,"stored_blake3":null},"anatomy":null,'
        b'"hint":null,"source":"","row":7,"box":null}'
    )
    # CaseScore leaves its defaults out
    assert msgspec.json.encode(CaseScore("DD/21/7", "21", "DD", correct=False)) == (
        b'{"case_id":"DD/21/7","dataset_id":"21","task":"DD","correct":false}')
