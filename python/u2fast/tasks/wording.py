"""u2fast's own prompt wording, per scenario (written for u2fast; not the official kit's sentences).

Each classification and measurement scenario has a *task* sentence (what to decide) and a *detail*
text (label definitions, a rubric, what to look at). The ``no-instruction-detail`` variant drops the
detail and keeps the task, the option list and the range. The anatomy word is never written here: it
lives only in the role (see ``prompts.py``), so that the ``no-anatomy`` ablation removes exactly it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Wording",
    "CLA_WORDING",
    "CVE_WORDING",
    "ROLE",
    "anatomy_sentence",
    "GENERIC_CLA",
    "GENERIC_CVE",
    "SECTOR_TASK",
    "SECTOR_DETAIL",
    "COORD_TASK",
    "coord_format",
    "REPORT_WORDING",
]

#: The role shared by every u2fast prompt; the anatomy sentence is appended to it.
ROLE = "You are an experienced radiologist interpreting an ultrasound examination."


def anatomy_sentence(anatomy: str) -> str:
    """The one place the anatomy appears in a u2fast prompt."""
    return f"Anatomical region: {anatomy}."


@dataclass(frozen=True)
class Wording:
    task: str
    detail: str = ""


_BENIGN_MALIGNANT_DETAIL = (
    "Weigh the signs that usually separate the two: how sharp and smooth the margin is, the shape and "
    "whether the lesion is wider than tall, internal echogenicity and homogeneity, what happens behind "
    "the lesion (shadowing or enhancement), and any microcalcifications."
)

_THYROID_DETAIL = (
    "Weigh the nodule's composition (cystic, mixed or solid), echogenicity, shape (taller than wide or "
    "not), margin, and echogenic foci such as microcalcifications."
)

#: DD and VRA, by dataset id.
CLA_WORDING: dict[str, Wording] = {
    # ---------------------------------------------------------------- DD
    "21": Wording("Decide whether the lesion in the image is benign or malignant.", _BENIGN_MALIGNANT_DETAIL),
    "23": Wording(
        "Decide whether the image is normal or shows a benign or a malignant lesion.",
        "Choose normal only when no focal lesion is present. Otherwise: " + _BENIGN_MALIGNANT_DETAIL,
    ),
    "25": Wording("Decide whether the lesion in the image is benign or malignant.", _BENIGN_MALIGNANT_DETAIL),
    "28": Wording(
        "Grade the osteoarthritis of the joint shown.",
        "The options follow the Kellgren-Lawrence scale: No OA is grade 0, Questionable OA grade 1, Mild OA "
        "grade 2, Moderate OA grade 3 and Severe OA grade 4. Choose Total joint replacement when a "
        "prosthesis is seen.",
    ),
    "32": Wording("Decide whether the nodule in the image is benign or malignant.", _THYROID_DETAIL),
    "40": Wording(
        "Assign the BI-RADS assessment category of the lesion.",
        "Category meanings: 2 benign finding; 3 probably benign (risk of malignancy 2% or less); "
        "4A low suspicion (over 2% up to 10%); 4B moderate suspicion (over 10% up to 50%); "
        "4C high suspicion (over 50% and below 95%); 5 highly suggestive of malignancy (95% or more).",
    ),
    "42": Wording(
        "Decide whether the image shows pancreatic cancer.",
        "A poorly defined hypoechoic mass, a dilated duct or a deformed contour point towards cancer; a "
        "homogeneous gland without a focal mass points away from it.",
    ),
    "44": Wording(
        "Score how severely the lung is affected, from 0 to 3.",
        "Scale: 0 normal (smooth pleural line, horizontal A-lines); 1 mild (irregular pleural line or a few "
        "separate B-lines); 2 moderate (many or merging B-lines, small consolidations under the pleura); "
        "3 severe (white lung or large consolidations).",
    ),
    "57": Wording(
        "Decide whether the image shows fatty infiltration (steatosis).",
        "Answer 1 for fatty infiltration (parenchyma brighter than the kidney cortex, a dim far field, "
        "blurred vessel walls) and 0 for normal parenchyma.",
    ),
    "66": Wording("Decide whether the lesion in the image is benign or malignant.", _BENIGN_MALIGNANT_DETAIL),
    "70": Wording(
        "Decide whether the image shows normal tissue, a benign nodule or a malignant nodule.",
        "Choose normal thyroid when no nodule is present. Otherwise: " + _THYROID_DETAIL,
    ),
    "74is_normal": Wording(
        "Decide whether the scan appears normal or abnormal.",
        "Signs of abnormality include an enlarged ovary carrying many small follicles, often lined up along "
        "its edge, or other structural changes. Without such signs the scan appears normal.",
    ),
    "75": Wording(
        "Decide whether polycystic ovarian morphology is present.",
        "The options use the dataset's own terms: infected means the polycystic morphology is present and "
        "noninfected means it is absent. Typical signs are 12 or more follicles of 2 to 9 mm, often in a "
        "ring along the edge, and an enlarged volume.",
    ),
    # ---------------------------------------------------------------- VRA
    "03": Wording(
        "Identify the standard plane or structure the image shows.",
        "The fetal options are planes through the fetus; maternal cervix is the mother's cervix; choose "
        "other when none of these fits.",
    ),
    "10": Wording(
        "Determine how the fetus lies: head up or down, and which side faces the probe.",
        "Each code has two parts: hd means head down and hu head up; vb means the fetal back faces the "
        "probe and vf the fetal front (belly) faces the probe.",
    ),
    "18": Wording(
        "Identify the echocardiographic view.",
        "2CH is the apical two-chamber view (left ventricle and left atrium only); 4CH is the apical "
        "four-chamber view (both ventricles and both atria).",
    ),
    "28_class": Wording(
        "Identify the side examined and the probe position and scanning plane.",
        "Each option gives the side (left or right) and then the probe position: anterior suprapatellar "
        "views (longitudinal, longitudinal with power Doppler, transverse in 30 degrees of flexion, "
        "transverse in maximal flexion), the lateral or medial longitudinal view, or the posterior medial "
        "transverse view.",
    ),
    "37": Wording(
        "Identify the imaging plane of the scan.",
        "Axial/Transverse is a cross-section across the long axis of the body; Sagittal is a front-to-back "
        "lengthwise section; Coronal is a side-to-side lengthwise section.",
    ),
    "50": Wording(
        "Rate how suitable this frame is for measuring the abdominal circumference.",
        "optimal: a correct cross-section with a round outline, the stomach bubble and the portal part of "
        "the umbilical vein in view; suboptimal: the abdomen is cut but the plane is off; none: no usable "
        "abdominal cross-section.",
    ),
    "53": Wording(
        "Report which of two structures are in the image: the maternal pubic symphysis and the fetal head.",
        "None means neither is visible, OnlyFetalHead only the fetal head, OnlySymphysisPubis only the pubic "
        "symphysis, and SymphysisPubis+FetalHead both.",
    ),
    "69": Wording(
        "Identify which carotid vessel is shown.",
        "left carotid and right carotid are the common carotid arteries of that side; external carotid is "
        "the external branch.",
    ),
    "74is_visible": Wording(
        "Take it as given that this scan has been judged abnormal. Decide whether polycystic ovaries can be "
        "seen.",
        "Visible: an ovary crowded with small follicles can be made out. Not-visible: it cannot.",
    ),
    "anatomy": Wording(
        "Identify the organ or body region in the image.",
        "fetal covers any part of a fetus; other covers every region that is not listed.",
    ),
}

#: A classification scenario u2fast has no wording for (a plugin's dataset).
GENERIC_CLA = Wording("Choose the option that best describes the image.")


#: CVE, by dataset id. The range, unit and answer form are added by the prompt builder.
CVE_WORDING: dict[str, Wording] = {
    "18": Wording(
        "Estimate the left ventricular ejection fraction by visual assessment.",
        "The ejection fraction is the share of the end-diastolic volume that the left ventricle ejects "
        "with each beat.",
    ),
    "27": Wording(
        "Estimate the intima-media thickness of the vessel wall.",
        "Measure the far wall, from the lumen-intima interface to the media-adventitia interface.",
    ),
    "31": Wording(
        "Estimate the head circumference.",
        "Take the perimeter of the ellipse that follows the outer edge of the skull.",
    ),
    "50": Wording(
        "Estimate the abdominal circumference.",
        "Take the perimeter of the ellipse that follows the outer edge of the skin around the abdomen.",
    ),
    "57": Wording(
        "Estimate the fat value of the parenchyma on the dataset's scale.",
        "0 means no fat; higher values mean more fatty infiltration.",
    ),
}

GENERIC_CVE = Wording("Estimate the requested quantity from the image.")

#: LL, OD, KD: the task sentence per task (``{subject}`` is the structure or keypoint).
SECTOR_TASK: dict[str, str] = {
    "LL": (
        "Find any lesion in the image and say where it lies within the frame. Judge by the lesion's centre, "
        "or its most conspicuous part, and pick the closest location even if the fit is rough."
    ),
    "OD": (
        "Find the following structure in the image and say where it lies within the frame: {subject}. "
        "Judge by the structure's centre and pick the closest location even if the fit is rough."
    ),
    "KD": (
        "Find the following landmark in the image and say where it lies within the frame: {subject}. "
        "Pick the closest location even if the fit is rough."
    ),
}

SECTOR_DETAIL = (
    "The frame is split into three rows (upper, middle, lower) and three columns (left, center, right). "
    "The middle row and the center column are narrow bands from 45% to 55% of the height and width; "
    "middle row plus center column is called center. Answer not visible when the target cannot be seen."
)

#: LL/OD/KD with --answer-format box|point: what to find (the target's sentence is SECTOR_TASK's first).
COORD_TASK: dict[str, str] = {
    "LL": "Find any lesion in the image and mark where it is.",
    "OD": "Find the following structure in the image and mark where it is: {subject}.",
    "KD": "Find the following anatomical landmark in the image and mark where it is: {subject}.",
}

_COORD_ORDER = {
    "xyxy": ("[x1, y1, x2, y2]", "the left, top, right and bottom edges"),
    "yxyx": ("[ymin, xmin, ymax, xmax]", "the top, left, bottom and right edges"),
    "xywh": ("[x, y, width, height]", "the left edge, the top edge, the width and the height"),
    "cxcywh": ("[cx, cy, width, height]", "the centre's x and y, the width and the height"),
}


def _scale_phrase(scale: str, size: tuple[float, float] | None) -> str:
    if scale == "norm":
        return "as fractions of the image width and height, from 0 to 1"
    if scale == "norm1000":
        return "on a scale from 0 to 1000 across the image width and height"
    if size and size[0] > 0:
        return f"in pixels of the image as you see it ({size[0]:g} pixels wide, {size[1]:g} high)"
    return "in pixels of the image as you see it"


def coord_format(kind: str, convention: str | None, size: tuple[float, float] | None) -> str:
    """The output-format part for a box or point answer in ``convention`` (None: the model's own)."""
    key = "bbox_2d" if kind == "box" else "point_2d"
    if convention is None:
        shape = "four numbers" if kind == "box" else "two numbers"
        return (
            f'Reply with JSON only, {{"{key}": [{shape}]}}, written in the coordinate format you normally use. '
            f'If the target is not visible, reply {{"{key}": null}}.'
        )
    order, _, scale = convention.partition("-")
    where = _scale_phrase(scale, size)
    if kind == "box":
        layout, meaning = _COORD_ORDER[order]
        body = f"{layout}: {meaning} of the tightest box around the target, {where}"
    else:
        layout = "[y, x]" if order == "yxyx" else "[x, y]"
        body = f"{layout}: the target's position, {where}"
    return f'Reply with JSON only, {{"{key}": {layout}}}, where {body}. If the target is not visible, reply {{"{key}": null}}.'


#: RG and CG: (task, detail, output format).
REPORT_WORDING: dict[str, tuple[str, str, str]] = {
    "RG": (
        "Write a concise ultrasound report for this image in standard radiological terms.",
        (
            "Describe the organ's size and outline and its echotexture, then any focal abnormality with its "
            "position, size, margin and echogenicity, and close with a short impression."
        ),
        "Reply with the report text only, as plain sentences without headings, lists or markdown.",
    ),
    "CG": (
        "Write a short caption for this image.",
        "Name the view or plane and the key structures or findings in one or two sentences.",
        "Reply with the caption only, as plain text.",
    ),
}
