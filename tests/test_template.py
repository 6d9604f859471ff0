"""The template model: field kinds, audiences, validation across fields, fingerprints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

import musforms
from musforms import load_template
from musforms._model.fields import RatingField

from .conftest import MINIMAL


def _data() -> dict[str, Any]:
    data = yaml.safe_load(MINIMAL)
    assert isinstance(data, dict)
    return data


def test_every_field_kind_is_parsed_into_its_class(minimal_path: Path) -> None:
    template = load_template(minimal_path)
    kinds = {field.kind for _s, field in template.iter_fields()}
    assert kinds == {"text", "rating", "choice", "check", "date", "agreements", "signature", "info"}
    assert isinstance(template.field("quality"), RatingField)
    assert template.section_of("quality").id == "past"


def test_a_field_inherits_its_sections_audience(minimal_path: Path) -> None:
    template = load_template(minimal_path)
    assert template.field("info_give").audience == ("manager",)
    assert "info_give" not in [f.id for f in template.fields_for("employee")]
    assert "info_give" in [f.id for f in template.fields_for("manager")]
    assert [s.id for s in template.sections_for("employee")] == ["past"]


def test_raters_decide_who_answers_a_rating(minimal_path: Path) -> None:
    template = load_template(minimal_path)
    employee = [f.id for f in template.answer_fields("employee")]
    manager = [f.id for f in template.answer_fields("manager")]
    assert "mgr_only_rating" not in employee
    assert "mgr_only_rating" in manager
    assert "quality" in employee and "quality" in manager
    assert "note" not in employee  # info takes no answer


def test_template_from_a_mapping_validates_the_same_way() -> None:
    template = musforms.Template.model_validate(_data())
    assert template.id == "demo"
    bad = _data()
    bad["sections"][1]["fields"][0]["scale"] = "seven"
    with pytest.raises(ValidationError, match="unknown scale 'seven'"):
        musforms.Template.model_validate(bad)


def test_template_is_immutable(minimal_path: Path) -> None:
    template = load_template(minimal_path)
    with pytest.raises(ValidationError):
        template.title = "Other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["sections"][1]["fields"].append(dict(d["sections"][1]["fields"][0])), "duplicate id 'quality'"),
        (lambda d: d.update(style="scored", sections=[d["sections"][0]]), "scored template needs at least one rating"),
        (lambda d: d["sections"][0]["fields"][0].update(audience=["employee"]), "not in the section's audience"),
        (
            lambda d: d["sections"][1]["fields"][0].update(audience=["employee"], raters=["manager"]),
            "raters ['manager'] are not in the field's audience",
        ),
        (lambda d: d["sections"][1]["fields"][1].update(id="copy"), "id 'copy' is reserved"),
        (lambda d: d["scales"]["five"]["points"].reverse(), "ascending order"),
        (lambda d: d["sections"][1]["fields"][6].update(columns=["owner"]), "needs the 'action' column"),
        (lambda d: d["sections"][1]["fields"][8].update(required=True), "info field takes no answer"),
        (
            lambda d: d["sections"][1]["fields"][4].update(required=True),
            "a check field is either ticked or not; it cannot be required",
        ),
        (
            lambda d: d["sections"][1]["fields"][3].update(
                options=[{"id": "a", "label": "Yes"}, {"id": "a", "label": "No"}]
            ),
            "options 1 and 2 have the same id 'a'",
        ),
        (
            lambda d: d["sections"][1]["fields"][3].update(
                options=[{"id": "a", "label": "Yes"}, {"id": "b", "label": "yes"}]
            ),
            "options 1 and 2 have the same label 'yes'",
        ),
        (lambda d: d["sections"][1].update(minutes=-5), "greater than or equal to 0"),
        (lambda d: d["sections"][1]["fields"][1].update(label="x" * 501), "at most 500 characters"),
        (lambda d: d["sections"][1]["fields"][2].update(options=[{"id": "a", "label": "A"}]), "at least 2 items"),
    ],
)
def test_invalid_templates_are_refused(change: Any, message: str) -> None:
    data = _data()
    change(data)
    with pytest.raises(ValidationError, match=message.replace("[", r"\[").replace("(", r"\(")):
        musforms.Template.model_validate(data)


def test_a_soft_template_may_have_no_rating() -> None:
    data = _data()
    data["style"] = "soft"
    data["scales"] = {}
    data["sections"] = [data["sections"][0]]
    assert musforms.Template.model_validate(data).style == "soft"


def test_fingerprint_is_stable_and_sensitive(minimal_path: Path, tmp_path: Path) -> None:
    first = load_template(minimal_path)
    again = load_template(minimal_path)
    assert first.fingerprint == again.fingerprint
    assert first.fingerprint.startswith("sha256:") and len(first.fingerprint) == 7 + 32
    # The same template written as JSON has the same fingerprint.
    as_json = tmp_path / "demo.json"
    as_json.write_text(first.model_dump_json(), encoding="utf-8")
    assert load_template(as_json).fingerprint == first.fingerprint
    changed = first.model_copy(update={"title": "Demo 2"})
    assert musforms.Template.model_validate(changed.model_dump()).fingerprint != first.fingerprint


def test_fingerprint_is_a_fixed_value_for_fixed_content() -> None:
    # Guards against accidental changes of the canonical form: a change here breaks every issued form.
    template = musforms.Template.model_validate(
        {
            "id": "tiny",
            "title": "Tiny",
            "language": "en",
            "style": "soft",
            "sections": [{"id": "one", "title": "One", "fields": [{"kind": "text", "id": "q", "label": "Q"}]}],
        }
    )
    import hashlib
    import json

    canonical = json.dumps(template.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert template.fingerprint == "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()[:32]
    assert '"audience":["employee","manager"]' in canonical


def test_scale_helpers(minimal_path: Path) -> None:
    template = load_template(minimal_path)
    scale = template.scale_of(template.field("quality"))  # type: ignore[arg-type]
    assert scale.values == (1, 2, 3, 4, 5)
    assert scale.label_of(5) == "Rigtig meget"
    with pytest.raises(KeyError):
        scale.label_of(6)
