"""The 50 scenarios of U2-Bench: (task, dataset) pairs with their option lists, ranges and anatomy.

Facts from docs/u2bench.md sections 2.3, 2.4, 3 and 10. Where the official scoring script and the intended
design disagree (docs/u2bench.md A1, the knee datasets), we follow the intended design: KL grade (``28``) is a
DD scenario and the knee view (``28_class``) a VRA scenario; this gives exactly 50 scenarios and the
published 0.20/0.20 weights.
"""

from __future__ import annotations

from dataclasses import dataclass

from .sectors import SECTOR_LABELS
from .tasks import TaskName

__all__ = ["Scenario", "SCENARIOS", "scenario", "scenarios_for", "DATASET_IDS", "CVE_TOLERANCE", "ORDINAL_SCENARIOS", "reported_anatomy"]

#: Normalized error within which a CVE answer counts as "within tolerance" (%tol column).
CVE_TOLERANCE = 0.1


@dataclass(frozen=True)
class Scenario:
    task: TaskName
    dataset_id: str
    #: Anatomy word used in prompts (the ablation ``no-anatomy`` removes it).
    anatomy: str
    #: Option strings, verbatim (DD, VRA); the ten sector labels for LL, OD, KD.
    options: tuple[str, ...] = ()
    #: What is asked about: the lesion (LL), structure (OD), keypoint (KD), quantity (CVE).
    subject: str = ""
    #: CVE only: range used to normalize, unit, whether the answer is an integer, GT key.
    low: float = 0.0
    high: float = 0.0
    unit: str = ""
    integer: bool = False
    measurement_key: str = ""
    #: Case count in the official release (docs/u2bench.md 2.3); 0 where unknown.
    official_n: int = 0
    #: Whether the official U2 scoring counts this scenario (31 for CVE and 44 for CG are not).
    in_u2: bool = True
    #: Whether the labels are integers (44, 57): the official scorer excludes unparseable answers.
    integer_labels: bool = False
    #: Ordinal label sets (grades, scores), lowest first: the order a weighted κ measures distance in.
    #: Empty for nominal labels. Options outside the scale (KL's "Total joint replacement") are left out.
    ordinal: tuple[str, ...] = ()
    #: CVE only: the error (native units) within which an estimate is clinically acceptable, and the
    #: published source it comes from. None where no published source gives one: the user sets it
    #: (``u2fast score --tolerance CVE/27=0.1``), and "% within clinical tolerance" is absent until then.
    tolerance: float | None = None
    tolerance_source: str = ""

    @property
    def key(self) -> str:
        return f"{self.task}/{self.dataset_id}"


_BENIGN_MALIGNANT = ("benign", "malignant")

#: Kellgren–Lawrence grades 0–4 as the KL data set names them (Kellgren & Lawrence 1957).
_KL_GRADES = ("No OA", "Questionable OA", "Mild OA", "Moderate OA", "Severe OA")

#: LVEF: the ASE/EACVI expert consensus (Plana et al., J Am Soc Echocardiogr 2014;27:911-39) takes a
#: fall of more than 10 percentage points as the clinically significant LVEF change (its definition of
#: cancer therapeutics-related cardiac dysfunction), a threshold of the size of the measurement
#: variability of LVEF by 2D echocardiography. An estimate within 10 points of the truth is within
#: that variability; the source gives no tolerance for any other CVE measurement.
_EF_TOLERANCE = 10.0
_EF_SOURCE = ("Plana et al. 2014, J Am Soc Echocardiogr 27:911-39: 10 percentage points, the LVEF change taken "
              "as clinically significant, of the size of the measurement variability of 2D-echo LVEF")

_KNEE_VIEWS = (
    "anterior suprapatellar longitudinal",
    "anterior suprapatellar longitudinal with power Doppler",
    "anterior suprapatellar transverse in 30 degrees flexion",
    "anterior suprapatellar transverse in maximal flexion",
    "lateral longitudinal",
    "medial longitudinal",
    "posterior medial transverse",
)


def _dd(
    ds: str, anatomy: str, options: tuple[str, ...], n: int, integer_labels: bool = False, ordinal: tuple[str, ...] = ()
) -> Scenario:
    return Scenario("DD", ds, anatomy, options, official_n=n, integer_labels=integer_labels, ordinal=ordinal)


def _vra(ds: str, anatomy: str, options: tuple[str, ...], n: int) -> Scenario:
    return Scenario("VRA", ds, anatomy, options, official_n=n)


def _ll(ds: str, anatomy: str, n: int) -> Scenario:
    return Scenario("LL", ds, anatomy, SECTOR_LABELS, subject="lesion", official_n=n)


def _od(ds: str, anatomy: str, structure: str, n: int) -> Scenario:
    return Scenario("OD", ds, anatomy, SECTOR_LABELS, subject=structure, official_n=n)


SCENARIOS: tuple[Scenario, ...] = (
    # ---- DD: disease diagnosis (13)
    _dd("21", "breast", _BENIGN_MALIGNANT, 171),
    _dd("23", "breast", ("normal", "benign", "malignant"), 100),
    _dd("25", "skin", _BENIGN_MALIGNANT, 100),
    _dd("28", "knee", ("Mild OA", "Moderate OA", "No OA", "Questionable OA", "Severe OA", "Total joint replacement"), 104,
        ordinal=_KL_GRADES),
    _dd("32", "thyroid", _BENIGN_MALIGNANT, 103),
    _dd("40", "breast", ("2", "3", "4A", "4B", "4C", "5"), 109, ordinal=("2", "3", "4A", "4B", "4C", "5")),
    _dd("42", "pancreas", ("non-pancreas cancer", "pancreas cancer"), 101),
    _dd("44", "lung", ("0", "1", "2", "3"), 108, integer_labels=True, ordinal=("0", "1", "2", "3")),
    _dd("57", "liver", ("0", "1"), 106, integer_labels=True),
    _dd("66", "breast", _BENIGN_MALIGNANT, 100),
    _dd("70", "thyroid", ("normal thyroid", "benign", "malignant"), 100),
    _dd("74is_normal", "pelvis", ("Appears abnormal", "Appears normal"), 109),
    _dd("75", "ovary", ("infected", "noninfected"), 100),
    # ---- VRA: view recognition and assessment (10)
    _vra("03", "fetus", ("fetal abdomen", "fetal femur", "fetal brain", "fetal thorax", "maternal cervix", "other"), 137),
    _vra("10", "fetus", ("hdvb", "hdvf", "huvb", "huvf"), 152),
    _vra("18", "heart", ("2CH", "4CH"), 102),
    _vra("28_class", "knee", tuple(f"{side} {view}" for side in ("left", "right") for view in _KNEE_VIEWS), 0),
    _vra("37", "thyroid", ("Axial/Transverse Plane", "Coronal Plane", "Sagittal Plane"), 563),
    _vra("50", "fetal abdomen", ("none", "optimal", "suboptimal"), 102),
    _vra("53", "pubic symphysis", ("None", "OnlyFetalHead", "OnlySymphysisPubis", "SymphysisPubis+FetalHead"), 101),
    _vra("69", "carotid artery", ("external carotid", "left carotid", "right carotid"), 100),
    _vra("74is_visible", "ovary", ("Not-visible", "Visible"), 109),
    _vra(
        "anatomy",
        "",
        ("fetal", "thyroid", "heart", "lung", "liver", "carotid", "kidney", "prostate", "breast", "other"),
        110,
    ),
    # ---- LL: lesion localisation (5)
    _ll("04", "thyroid", 100),
    _ll("17", "prostate", 100),
    _ll("23", "breast", 100),
    _ll("32", "thyroid", 103),
    _ll("64", "breast", 100),
    # ---- OD: organ detection (13)
    _od("09", "kidney", "cortex_R1", 100),
    _od("13", "fetal abdomen", "stomach", 102),
    _od("16", "gastrocnemius-soleus", "aponeurosis", 100),
    _od("18", "heart", "left ventricle", 102),
    _od("31", "fetal head", "head_circumference", 101),
    _od("37", "thyroid", "thyroid", 563),
    _od("38", "carotid artery", "carotid artery lumen", 100),
    _od("47", "brachial plexus", "brachial plexus", 179),
    _od("49", "colon", "colon wall", 166),
    _od("50", "fetal abdomen", "fetal abdomen", 104),
    _od("52", "pubic symphysis", "pubic symphysis", 100),
    _od("53", "pubic symphysis", "fetal head", 101),
    _od("67", "abdomen", "liver", 100),
    # ---- KD: keypoint detection (1)
    Scenario("KD", "48", "heart", SECTOR_LABELS, subject="heart valve location", official_n=500),
    # ---- CVE: clinical value estimation (5; HC is not scored officially)
    Scenario("CVE", "18", "heart", subject="ejection fraction", low=10.0, high=75.0, unit="%",
             measurement_key="EF", official_n=102, tolerance=_EF_TOLERANCE, tolerance_source=_EF_SOURCE),
    Scenario("CVE", "27", "carotid artery", subject="intima-media thickness", low=0.3, high=1.5, unit="mm",
             measurement_key="IMT", official_n=108),
    Scenario("CVE", "31", "fetal head", subject="head circumference", low=100.0, high=350.0, unit="mm",
             measurement_key="head_circumference", official_n=101, in_u2=False),
    Scenario("CVE", "50", "fetal abdomen", subject="abdominal circumference", low=100.0, high=400.0, unit="mm",
             measurement_key="abdominal_circumference", official_n=104),
    Scenario("CVE", "57", "liver", subject="liver fat value", low=0.0, high=85.0, unit="", integer=True,
             measurement_key="fat value", official_n=106),
    # ---- RG and CG: report and caption generation (3)
    Scenario("RG", "39", "liver, breast or thyroid", subject="report", official_n=600),
    Scenario("CG", "10", "fetal phantom", subject="caption", official_n=200),
    Scenario("CG", "44", "lung", subject="caption", official_n=108, in_u2=False),
)

_BY_KEY = {s.key: s for s in SCENARIOS}
#: Scenarios whose labels are ordinal (quadratic-weighted κ applies).
ORDINAL_SCENARIOS: tuple[Scenario, ...] = tuple(s for s in SCENARIOS if s.ordinal)
DATASET_IDS: frozenset[str] = frozenset(s.dataset_id for s in SCENARIOS)


def scenario(task: str, dataset_id: str) -> Scenario | None:
    """The scenario of a (task, dataset) pair, or None when U2-Bench has no such pair."""
    return _BY_KEY.get(f"{task}/{dataset_id}")


def reported_anatomy(task: str, dataset_id: str, own: str | None = None) -> str:
    """The anatomy a (task, dataset) pair is reported under, the same in every table, chart and statistic.

    The scenario's anatomy word; "mixed" for a scenario without one (anatomy identification spans
    several); for a dataset U2-Bench does not have, the case's ``own`` word, else "unknown".
    """
    sc = scenario(task, dataset_id)
    if sc is not None:
        return sc.anatomy or "mixed"
    return own or "unknown"


def scenarios_for(task: str) -> tuple[Scenario, ...]:
    return tuple(s for s in SCENARIOS if s.task == task)


assert len(SCENARIOS) == 50, len(SCENARIOS)
