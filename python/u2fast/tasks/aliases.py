"""Synonyms the robust parsers accept, per dataset id (classification) and for the sector labels.

Two tiers. *Search* aliases are looked for as whole words anywhere in an answer ("two-chamber" in
"This is an apical two-chamber view"). *Exact* aliases count only when they are the whole answer,
because they are too common to search for ("one", "left", "yes").
All aliases are lower case; separators (space, hyphen, slash, underscore, plus) match each other.
"""

from __future__ import annotations

from ..types import SECTOR_LABELS

__all__ = ["SEARCH_ALIASES", "EXACT_ALIASES", "SECTOR_SEARCH", "SECTOR_LONE_AXIS", "NOT_VISIBLE_PHRASES"]

_WORD_NUMBERS = {"0": ("zero", "none"), "1": ("one",), "2": ("two",), "3": ("three",)}

SEARCH_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "18": {
        "2CH": ("two chamber", "2 chamber", "a2c", "apical 2 chamber", "2c view"),
        "4CH": ("four chamber", "4 chamber", "a4c", "apical 4 chamber", "4c view"),
    },
    "28": {
        "No OA": ("no osteoarthritis", "kl 0", "kl grade 0", "grade 0", "no signs of oa"),
        "Questionable OA": (
            "questionable osteoarthritis",
            "doubtful oa",
            "doubtful",
            "questionable",
            "kl 1",
            "kl grade 1",
            "grade 1",
        ),
        "Mild OA": ("mild osteoarthritis", "mild", "kl 2", "kl grade 2", "grade 2"),
        "Moderate OA": ("moderate osteoarthritis", "moderate", "kl 3", "kl grade 3", "grade 3"),
        "Severe OA": ("severe osteoarthritis", "severe", "kl 4", "kl grade 4", "grade 4"),
        "Total joint replacement": ("joint replacement", "knee replacement", "arthroplasty", "prosthesis"),
    },
    "40": {
        "2": ("bi rads 2", "birads 2", "category 2"),
        "3": ("bi rads 3", "birads 3", "category 3"),
        "4A": ("bi rads 4a", "birads 4a", "category 4a"),
        "4B": ("bi rads 4b", "birads 4b", "category 4b"),
        "4C": ("bi rads 4c", "birads 4c", "category 4c"),
        "5": ("bi rads 5", "birads 5", "category 5"),
    },
    "42": {
        "pancreas cancer": (
            "pancreatic cancer",
            "pancreatic carcinoma",
            "pancreatic adenocarcinoma",
            "pancreatic tumor",
            "pancreatic tumour",
        ),
        "non-pancreas cancer": (
            "non pancreatic cancer",
            "no pancreas cancer",
            "no pancreatic cancer",
            "no cancer",
            "normal pancreas",
            "no pancreatic tumor",
            "no pancreatic tumour",
        ),
    },
    "57": {
        "1": ("fatty liver", "steatosis", "hepatic steatosis", "fatty infiltration"),
        "0": ("no fatty liver", "no steatosis", "no fatty infiltration", "normal liver", "non fatty"),
    },
    "50": {"suboptimal": ("sub optimal", "not optimal")},
    "53": {
        "SymphysisPubis+FetalHead": (
            "symphysis pubis and fetal head",
            "fetal head and symphysis pubis",
            "pubic symphysis and fetal head",
            "fetal head and pubic symphysis",
            "both",
        ),
        "OnlyFetalHead": ("only fetal head", "fetal head only", "only the fetal head"),
        "OnlySymphysisPubis": (
            "only symphysis pubis",
            "symphysis pubis only",
            "only pubic symphysis",
            "pubic symphysis only",
            "only the pubic symphysis",
        ),
        "None": ("neither",),
    },
    "69": {
        "external carotid": ("external carotid artery", "eca"),
        "left carotid": ("left carotid artery", "left common carotid", "left cca"),
        "right carotid": ("right carotid artery", "right common carotid", "right cca"),
    },
    "70": {"normal thyroid": ("normal thyroid gland", "normal", "no nodule")},
    "23": {"normal": ("no lesion",)},
    "74is_normal": {"Appears abnormal": ("abnormal",), "Appears normal": ("normal",)},
    "74is_visible": {"Not-visible": ("not visible", "invisible", "not seen"), "Visible": ("visible", "seen")},
    "75": {"noninfected": ("non infected", "not infected", "uninfected"), "infected": ()},
    "03": {
        "fetal abdomen": ("abdomen", "abdominal"),
        "fetal femur": ("femur",),
        "fetal brain": ("brain", "fetal head"),
        "fetal thorax": ("thorax", "chest"),
        "maternal cervix": ("cervix",),
    },
    "37": {
        "Axial/Transverse Plane": ("axial", "transverse", "axial plane", "transverse plane", "cross section"),
        "Coronal Plane": ("coronal",),
        "Sagittal Plane": ("sagittal", "longitudinal"),
    },
    "anatomy": {
        "fetal": ("fetus", "foetus", "foetal"),
        "carotid": ("carotid artery",),
        "breast": ("mammary",),
        "heart": ("cardiac",),
        "liver": ("hepatic",),
        "kidney": ("renal",),
    },
}

EXACT_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "44": dict(_WORD_NUMBERS),
    "57": {"0": ("zero", "no", "normal"), "1": ("one", "yes", "fatty")},
    "42": {"pancreas cancer": ("yes", "cancer"), "non-pancreas cancer": ("no", "normal")},
    "69": {"left carotid": ("left",), "right carotid": ("right",), "external carotid": ("external",)},
    "74is_visible": {"Visible": ("yes",), "Not-visible": ("no",)},
}

# ---------------------------------------------------------------------------- sectors

_ROW = {
    "upper": ("upper", "top", "superior"),
    "middle": ("middle", "mid", "central", "centre", "center"),
    "lower": ("lower", "bottom", "inferior"),
}
_COL = {"left": ("left",), "center": ("center", "centre", "central", "middle", "mid"), "right": ("right",)}

NOT_VISIBLE_PHRASES: tuple[str, ...] = (
    "not visible",
    "invisible",
    "none",
    "no lesion",
    "no lesions",
    "no visible lesion",
    "not seen",
    "not present",
    "absent",
    "not identified",
    "not detected",
    "cannot be seen",
    "can not be seen",
    "no structure",
    "no target",
    "n a",
    "not applicable",
)


def _sector_aliases() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {label: [] for label in SECTOR_LABELS}
    for row, row_words in _ROW.items():
        for col, col_words in _COL.items():
            label = "center" if (row, col) == ("middle", "center") else f"{row} {col}"
            for r in row_words:
                for c in col_words:
                    # "upper left", "left upper (part)", "middle of the left (side)"
                    table[label] += [f"{r} {c}", f"{c} {r}", f"{r} of the {c}", f"{r} part of the {c}"]
    # Only single words for the centre: overlapping mentions keep the longest phrase, so a longer
    # centre phrase such as "in the middle" would swallow "middle left" in "in the middle left region".
    table["center"] += ["center", "centre", "central", "middle", "centrally", "midline"]
    table["not visible"] += list(NOT_VISIBLE_PHRASES)
    return {label: tuple(dict.fromkeys(words)) for label, words in table.items()}


#: Label -> phrases naming it (both axes, either order, or the not-visible phrases).
SECTOR_SEARCH: dict[str, tuple[str, ...]] = _sector_aliases()

#: Words naming one axis only; used only when nothing more specific is found (documented choice).
SECTOR_LONE_AXIS: dict[str, tuple[str, ...]] = {
    "upper center": ("upper", "top", "superior"),
    "lower center": ("lower", "bottom", "inferior"),
    "middle left": ("left",),
    "middle right": ("right",),
}
