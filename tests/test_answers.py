"""The answers model: types per field kind, required fields, JSON Schema, and property-based round trips."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from musforms import NOT_RELEVANT, AgreementRow, Signature, Template, load_template
from musforms.answers import field_adapter
from musforms.fields import (
    AgreementsField,
    CheckField,
    ChoiceField,
    DateField,
    FormField,
    RatingField,
    SignatureField,
    TextField,
)
from musforms.values import AGREEMENT_METHODS, AGREEMENT_STATUSES

from .conftest import MINIMAL


@pytest.fixture(scope="module")
def template() -> Template:
    from musforms import load_template_text

    return load_template_text(MINIMAL)


def test_fields_of_the_model_follow_the_role(template: Template) -> None:
    employee = template.answers_model("employee")
    manager = template.answers_model("manager")
    assert "info_give" not in employee.model_fields and "info_give" in manager.model_fields
    assert "mgr_only_rating" not in employee.model_fields
    assert "note" not in employee.model_fields
    assert employee.__name__ == "DemoEmployeeAnswers"
    assert template.answers_model("employee") is employee  # cached


def test_good_answers_validate(template: Template) -> None:
    model = template.answers_model("employee")
    answers = model.model_validate(
        {
            "quality": 4,
            "strengths": "Grundig",
            "methods": ["course"],
            "mood": "good",
            "read_guide": True,
            "last_talk": "2025-03-01",
            "agreements": [{"action": "KNX-kursus", "owner": "employee", "deadline": "2026-06-01"}],
            "sign_employee": {"name": "Mette", "date": "2026-03-16"},
        }
    )
    assert answers.last_talk == dt.date(2025, 3, 1)  # type: ignore[attr-defined]
    assert answers.agreements[0] == AgreementRow(action="KNX-kursus", owner="employee", deadline=dt.date(2026, 6, 1))  # type: ignore[attr-defined]
    assert model.model_validate({"strengths": "x", "quality": NOT_RELEVANT}).quality == NOT_RELEVANT  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("field_id", "value"),
    [
        ("quality", 7),
        ("quality", "4-5"),
        ("methods", ["course", "yoga"]),
        ("mood", "great"),
        ("last_talk", "not a date"),
        ("agreements", [{"owner": "employee"}]),
        ("agreements", [{"action": "x", "owner": "boss"}]),
        ("sign_employee", {"name": "A", "date": "yesterday"}),
        ("unknown_field", "x"),
    ],
)
def test_bad_answers_are_refused_with_the_field_id(template: Template, field_id: str, value: Any) -> None:
    model = template.answers_model("employee")
    with pytest.raises(ValidationError) as info:
        model.model_validate({"strengths": "x", field_id: value})
    assert all(error["loc"][0] == field_id for error in info.value.errors())


def test_required_field_is_required(template: Template) -> None:
    model = template.answers_model("employee")
    with pytest.raises(ValidationError) as info:
        model.model_validate({})
    assert [e["loc"] for e in info.value.errors()] == [("strengths",)]
    empty = model.model_validate({"strengths": "x"})
    assert empty.quality is None and empty.read_guide is False  # type: ignore[attr-defined]


def test_json_schema_carries_labels_and_points(template: Template) -> None:
    schema = template.answers_model("employee").model_json_schema()
    quality = schema["properties"]["quality"]
    assert quality["title"] == "Kvalitet i arbejdet"
    assert {"enum": [1, 2, 3, 4, 5, "not_relevant"]}.items() <= quality["anyOf"][0].items() or (
        quality["anyOf"][0]["enum"] == [1, 2, 3, 4, 5, "not_relevant"]
    )
    assert schema["required"] == ["strengths"]
    assert schema["additionalProperties"] is False


# -- property-based: any valid answer survives validation and a JSON round trip -----------------------

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=200
)
_dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))


def answer_strategy(template: Template, field: FormField) -> st.SearchStrategy[Any]:
    """Valid answers (or None) for one field."""
    if isinstance(field, TextField):
        value: st.SearchStrategy[Any] = _text
    elif isinstance(field, RatingField):
        points = list(template.scale_of(field).values)
        value = st.sampled_from(points + ([NOT_RELEVANT] if field.not_relevant else []))
    elif isinstance(field, ChoiceField):
        ids = [o.id for o in field.options]
        value = st.lists(st.sampled_from(ids), unique=True) if field.multiple else st.sampled_from(ids)
    elif isinstance(field, CheckField):
        return st.booleans()
    elif isinstance(field, DateField):
        value = _dates
    elif isinstance(field, AgreementsField):
        row = st.builds(
            AgreementRow,
            action=_text,
            owner=st.none() | st.sampled_from(["employee", "manager"]),
            deadline=st.none() | _dates,
            method=st.none() | st.sampled_from(AGREEMENT_METHODS),
            status=st.none() | st.sampled_from(AGREEMENT_STATUSES),
            comment=st.none() | _text,
        )
        value = st.lists(row, max_size=6)
    elif isinstance(field, SignatureField):
        value = st.builds(Signature, name=st.none() | _text, date=st.none() | _dates)
    else:
        raise AssertionError(field.kind)
    return value if field.required else st.none() | value


def answers_strategy(template: Template, role: str) -> st.SearchStrategy[dict[str, Any]]:
    fields = template.answer_fields(role)  # type: ignore[arg-type]
    return st.fixed_dictionaries({f.id: answer_strategy(template, f) for f in fields})


def _templates() -> list[Template]:
    from musforms import load_template_text

    templates = [load_template_text(MINIMAL)]
    builtin_dir = Path(__file__).resolve().parents[1] / "builtin_templates"
    templates += [load_template(p.stem) for p in sorted(builtin_dir.glob("*.yaml"))]
    return templates


@pytest.mark.parametrize("role", ["employee", "manager"])
@pytest.mark.parametrize("template", _templates(), ids=lambda t: t.id)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_answers_round_trip_through_json(template: Template, role: str, data: st.DataObject) -> None:
    model = template.answers_model(role)  # type: ignore[arg-type]
    answers = data.draw(answers_strategy(template, role))
    validated = model.model_validate(answers)
    again = model.model_validate_json(validated.model_dump_json())
    assert again == validated
    for field_id, value in answers.items():
        field = template.field(field_id)
        assert field_adapter(template, field).validate_python(value) == getattr(validated, field_id)
