"""Prompts: exact option lists for all 50 scenarios, one-part variants, official prompt files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from u2fast.errors import ConfigError
from u2fast.tasks.base import PROMPT_VARIANTS, PromptOptions
from u2fast.tasks.prompts import (
    build_prompt,
    load_official_prompts,
    prompt_hash,
    validate_official_prompts,
)
from u2fast.tasks.wording import ROLE, anatomy_sentence
from u2fast.types import SECTOR_LABELS, Case, SectorTarget
from u2fast.u2bench.scenarios import SCENARIOS, Scenario

MakeCase = Callable[..., Case]
ALL = pytest.mark.parametrize("sc", SCENARIOS, ids=[s.key for s in SCENARIOS])


@ALL
def test_every_scenario_lists_its_exact_options(sc: Scenario, make_case: MakeCase) -> None:
    prompt = build_prompt(make_case(sc.task, sc.dataset_id))
    assert prompt.template == f"u2fast/v1:{sc.task}/{sc.dataset_id}"
    assert prompt.variant == "default"
    assert prompt.role and prompt.instruction and prompt.output_format
    if sc.task in ("DD", "VRA"):
        assert "Options: " + ", ".join(sc.options) in prompt.instruction
        for option in sc.options:
            assert option in prompt.text
    elif sc.task in ("LL", "OD", "KD"):
        assert "Locations: " + ", ".join(SECTOR_LABELS) in prompt.instruction
    elif sc.task == "CVE":
        assert f"{sc.low:g}" in prompt.instruction and f"{sc.high:g}" in prompt.instruction
        assert sc.unit in prompt.instruction
        assert "number only" in prompt.output_format or "whole number only" in prompt.output_format


def test_integer_label_datasets_ask_for_an_integer(make_case: MakeCase) -> None:
    for ds in ("44", "57"):
        assert "integer" in build_prompt(make_case("DD", ds)).output_format
    assert "integer" not in build_prompt(make_case("DD", "21")).output_format


def test_cve_units_and_integer_scale(make_case: MakeCase) -> None:
    ef = build_prompt(make_case("CVE", "18")).instruction
    assert "between 10% and 75%" in ef
    imt = build_prompt(make_case("CVE", "27")).instruction
    assert "between 0.3 mm and 1.5 mm" in imt
    fat = build_prompt(make_case("CVE", "57"))
    assert "between 0 and 85" in fat.instruction and "whole number" in fat.output_format


def test_anatomy_comes_from_the_case_then_the_scenario(make_case: MakeCase) -> None:
    assert anatomy_sentence("Thyroid") in build_prompt(make_case("RG", "39", anatomy="Thyroid")).role
    assert anatomy_sentence("liver, breast or thyroid") in build_prompt(make_case("RG", "39")).role
    # The release has rows whose anatomy is the text "nan": that is no anatomy, not the word "nan".
    nan_role = build_prompt(make_case("LL", "64", anatomy="nan")).role
    assert "nan" not in nan_role and anatomy_sentence("breast") in nan_role


def test_classification_prompts_never_carry_the_rows_anatomy(make_case: MakeCase) -> None:
    # The mixed-organ set's anatomy column would give the answer away.
    organ = build_prompt(make_case("VRA", "anatomy", anatomy="liver"))
    assert "liver" not in organ.text.split("Options:")[0]
    side = build_prompt(make_case("VRA", "69", anatomy="left carotid"))
    assert side.role == f"{ROLE} {anatomy_sentence('carotid artery')}"


def test_structure_and_keypoint_names(make_case: MakeCase) -> None:
    od = build_prompt(make_case("OD", "09", target=SectorTarget("center", structure="['cortex_R1']")))
    assert "cortex_R1" in od.instruction and "[" not in od.instruction.split("Locations:")[0]
    od_default = build_prompt(make_case("OD", "13", target=SectorTarget("center")))
    assert "stomach" in od_default.instruction
    kd = build_prompt(
        make_case(
            "KD", "48", target=SectorTarget("center", structure="anterior hinge point of the mitral valve")
        )
    )
    assert "anterior hinge point of the mitral valve" in kd.instruction
    kd_fallback = build_prompt(make_case("KD", "48", target=SectorTarget("not visible", structure=None)))
    assert "heart valve location" in kd_fallback.instruction


def test_hint_goes_into_seg_report_and_cve_prompts_only(make_case: MakeCase) -> None:
    hint = "The probe was placed transversely"
    assert hint in build_prompt(make_case("LL", "04", hint=hint)).instruction
    assert hint in build_prompt(make_case("CG", "10", hint=hint)).instruction
    assert "0.25 mm per pixel." in build_prompt(make_case("CVE", "50", hint="0.25 mm per pixel")).instruction
    assert hint not in build_prompt(make_case("DD", "21", hint=hint)).text


@ALL
def test_no_anatomy_removes_the_anatomy_sentence_and_nothing_else(sc: Scenario, make_case: MakeCase) -> None:
    case = make_case(sc.task, sc.dataset_id)
    default = build_prompt(case)
    ablated = build_prompt(case, PromptOptions(variant="no-anatomy"))
    assert ablated.variant == "no-anatomy"
    assert ablated.instruction == default.instruction
    assert ablated.output_format == default.output_format
    assert ablated.role == ROLE
    if sc.anatomy:
        assert default.role == f"{ROLE} {anatomy_sentence(sc.anatomy)}"
        assert default.text.replace(" " + anatomy_sentence(sc.anatomy), "", 1) == ablated.text
    else:  # the mixed-organ set has no anatomy to remove
        assert default.text == ablated.text


@ALL
def test_each_variant_changes_only_its_part(sc: Scenario, make_case: MakeCase) -> None:
    case = make_case(sc.task, sc.dataset_id, anatomy="knee")
    anatomy = "knee" if sc.task not in ("DD", "VRA") else sc.anatomy
    default = build_prompt(case)
    no_role = build_prompt(case, PromptOptions(variant="no-role"))
    assert no_role.role == (anatomy_sentence(anatomy) if anatomy else "")
    assert (no_role.instruction, no_role.output_format) == (default.instruction, default.output_format)
    no_format = build_prompt(case, PromptOptions(variant="no-format"))
    assert no_format.output_format == ""
    assert (no_format.role, no_format.instruction) == (default.role, default.instruction)
    assert not no_format.text.endswith("\n")
    brief = build_prompt(case, PromptOptions(variant="no-instruction-detail"))
    assert (brief.role, brief.output_format) == (default.role, default.output_format)
    assert len(brief.instruction) < len(default.instruction)
    # What stays: the task sentence and the listing (options, locations or range).
    assert default.instruction.splitlines()[-1] == brief.instruction.splitlines()[-1] or sc.task in (
        "RG",
        "CG",
    )
    assert default.instruction.startswith(brief.instruction.splitlines()[0].split(". ")[0])


def test_variants_have_distinct_texts(make_case: MakeCase) -> None:
    case = make_case("DD", "40")
    texts = {v: build_prompt(case, PromptOptions(variant=v)).text for v in PROMPT_VARIANTS}
    assert len(set(texts.values())) == len(PROMPT_VARIANTS)
    assert "4A low suspicion" in texts["default"] and "4A low suspicion" not in texts["no-instruction-detail"]


def test_unknown_variant_is_a_config_error(make_case: MakeCase) -> None:
    with pytest.raises(ConfigError, match="no-colour"):
        build_prompt(make_case("DD", "21"), PromptOptions(variant="no-colour"))


def test_prompt_hash_is_sha256_of_the_text(make_case: MakeCase) -> None:
    import hashlib

    prompt = build_prompt(make_case("DD", "21"))
    assert prompt_hash(prompt) == hashlib.sha256(prompt.text.encode()).hexdigest()
    assert prompt_hash(prompt) == prompt_hash(prompt.text)
    assert prompt_hash(prompt) != prompt_hash(build_prompt(make_case("DD", "25")))


# ---------------------------------------------------------------------------- official prompt files


def _kit(tmp_path: Path, cla: object = None, mea: object = None, **extra: object) -> Path:
    cla = (
        {"21": "OFFICIAL breast text. options: benign, malignant", "3": "OFFICIAL fetal planes"}
        if cla is None
        else cla
    )
    mea = {"18": "OFFICIAL EF text {pixelSizeMm}"} if mea is None else mea
    (tmp_path / "cla_prompt.json").write_text(json.dumps(cla))
    (tmp_path / "mea_prompt.json").write_text(json.dumps(mea))
    for stem, table in extra.items():
        (tmp_path / f"{stem}.json").write_text(json.dumps(table))
    return tmp_path


def test_official_text_is_used_verbatim(tmp_path: Path, make_case: MakeCase) -> None:
    official = load_official_prompts(_kit(tmp_path))
    opts = PromptOptions(official=official)
    dd = build_prompt(make_case("DD", "21"), opts)
    assert dd.text == "OFFICIAL breast text. options: benign, malignant"
    assert (dd.role, dd.output_format, dd.separator, dd.template) == ("", "", "", "official:cla/21")
    # Leading zeros: dataset "03" finds key "3".
    assert build_prompt(make_case("VRA", "03"), opts).template == "official:cla/3"
    cve = build_prompt(make_case("CVE", "18"), opts)
    assert cve.text == "OFFICIAL EF text {pixelSizeMm}" and cve.template == "official:mea/18"
    # Without seg/report files those families keep u2fast's wording.
    assert build_prompt(make_case("LL", "04"), opts).template == "u2fast/v1:LL/04"


def test_missing_official_key_names_file_and_key(tmp_path: Path, make_case: MakeCase) -> None:
    opts = PromptOptions(official=load_official_prompts(_kit(tmp_path)))
    with pytest.raises(ConfigError, match=r"cla_prompt\.json.*'66'"):
        build_prompt(make_case("DD", "66"), opts)
    with pytest.raises(ConfigError, match=r"mea_prompt\.json.*'27'"):
        build_prompt(make_case("CVE", "27"), opts)
    with pytest.raises(ConfigError) as err:
        validate_official_prompts(
            opts.official or {}, [("DD", "21"), ("DD", "66"), ("CVE", "27"), ("LL", "04")]
        )
    assert "'66'" in str(err.value) and "'27'" in str(err.value) and "'04'" not in str(err.value)
    validate_official_prompts(opts.official or {}, [("DD", "21"), ("CVE", "18"), ("RG", "39")])


def test_official_files_missing_or_malformed(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a folder"):
        load_official_prompts(tmp_path / "nope")
    (tmp_path / "cla_prompt.json").write_text("{}")
    with pytest.raises(ConfigError, match=r"mea_prompt\.json: missing"):
        load_official_prompts(tmp_path)
    (tmp_path / "mea_prompt.json").write_text("{not json")
    with pytest.raises(ConfigError, match=r"mea_prompt\.json: invalid JSON at line 1"):
        load_official_prompts(tmp_path)
    (tmp_path / "mea_prompt.json").write_text('["a list"]')
    with pytest.raises(ConfigError, match="expected a JSON object"):
        load_official_prompts(tmp_path)
    (tmp_path / "mea_prompt.json").write_text('{"18": 5}')
    with pytest.raises(ConfigError, match=r"mea_prompt\.json: key '18': expected a string"):
        load_official_prompts(tmp_path)


def test_optional_seg_and_report_templates(tmp_path: Path, make_case: MakeCase) -> None:
    kit = _kit(
        tmp_path,
        seg_prompt={
            "OD": "Where is the {structure} ({anatomy})? {options}",
            "OD/37": "Thyroid {{lobes}}: {structure}",
        },
        report_prompt={"RG": "{hint}Report on the {anatomy}."},
    )
    opts = PromptOptions(official=load_official_prompts(kit))
    od = build_prompt(make_case("OD", "13", target=SectorTarget("center", structure="stomach")), opts)
    assert od.text == "Where is the stomach (fetal abdomen)? " + ", ".join(SECTOR_LABELS)
    assert od.template == "official:seg/OD"
    specific = build_prompt(make_case("OD", "37", target=SectorTarget("center", structure="thyroid")), opts)
    assert specific.text == "Thyroid {lobes}: thyroid" and specific.template == "official:seg/OD/37"
    assert build_prompt(make_case("RG", "39", anatomy="Liver"), opts).text == "Report on the Liver."
    assert build_prompt(make_case("LL", "04"), opts).template == "u2fast/v1:LL/04"


def test_template_with_unknown_field_is_refused(tmp_path: Path) -> None:
    kit = _kit(tmp_path, seg_prompt={"LL": "Where is the lesion in the {organ}?"})
    with pytest.raises(ConfigError, match=r"seg_prompt\.json: key 'LL': unknown template field \{organ\}"):
        load_official_prompts(kit)


def test_variants_cannot_edit_official_text(tmp_path: Path, make_case: MakeCase) -> None:
    official = load_official_prompts(_kit(tmp_path))
    with pytest.raises(ConfigError, match="no-anatomy"):
        build_prompt(make_case("DD", "21"), PromptOptions(variant="no-anatomy", official=official))
    # A family without official text keeps its variants.
    ll = build_prompt(make_case("LL", "04"), PromptOptions(variant="no-anatomy", official=official))
    assert ll.variant == "no-anatomy"


def test_plugin_datasets_without_a_scenario_get_generic_prompts() -> None:
    from u2fast.types import ImageRef, LabelTarget, ValueTarget

    image = ImageRef(sha256="0" * 64, mime="image/png", data=b"x")
    cla = Case("1", "zz-plugin", "DD", LabelTarget("cyst", ("cyst", "solid")), image, anatomy="kidney")
    prompt = build_prompt(cla)
    assert "Options: cyst, solid" in prompt.instruction and anatomy_sentence("kidney") in prompt.role
    assert prompt.template == "u2fast/v1:DD/zz-plugin"
    cve = Case("2", "zz-plugin", "CVE", ValueTarget(4.0, 1.0, 9.0, "cm"), image)
    assert "between 1 cm and 9 cm" in build_prompt(cve).instruction
