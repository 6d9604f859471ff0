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
from musforms._model.answers import field_adapter
from musforms._model.fields import (
    AgreementsField,
    CheckField,
    ChoiceField,
    DateField,
    FormField,
    RatingField,
    SignatureField,
    TextField,
)
from musforms._model.values import AGREEMENT_METHODS, AGREEMENT_STATUSES

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
    assert model.model_validate({}).strengths is None  # type: ignore[attr-defined]  # as parse may give it
    complete = template.answers_model("employee", complete=True)
    with pytest.raises(ValidationError) as info:
        complete.model_validate({})
    assert [e["loc"] for e in info.value.errors()] == [("strengths",)]
    empty = complete.model_validate({"strengths": "x"})
    assert empty.quality is None and empty.read_guide is False  # type: ignore[attr-defined]


def test_json_schema_carries_labels_and_points(template: Template) -> None:
    schema = template.answers_model("employee").model_json_schema()
    quality = schema["properties"]["quality"]
    assert quality["title"] == "Kvalitet i arbejdet"
    assert {"enum": [1, 2, 3, 4, 5, "not_relevant"]}.items() <= quality["anyOf"][0].items() or (
        quality["anyOf"][0]["enum"] == [1, 2, 3, 4, 5, "not_relevant"]
    )
    assert "required" not in schema and schema["properties"]["strengths"]["x-required"] is True
    assert template.answers_model("employee", complete=True).model_json_schema()["required"] == ["strengths"]
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
        cells: dict[str, st.SearchStrategy[Any]] = {
            "action": _text,
            "owner": st.none() | st.sampled_from(["employee", "manager"]),
            "deadline": st.none() | _dates,
            "method": st.none() | st.sampled_from(AGREEMENT_METHODS),
            "status": st.none() | st.sampled_from(AGREEMENT_STATUSES),
            "comment": st.none() | _text,
        }
        # Rows as the general AgreementRow, with values in the table's columns only.
        row = st.builds(AgreementRow, **{column: cells[column] for column in field.columns})
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


# -- agreements: a row takes only its table's columns -------------------------------------------------


def test_a_row_takes_only_the_tables_columns(template: Template) -> None:
    model = template.answers_model("employee")  # agreements: action, owner, deadline, status
    with pytest.raises(ValidationError) as info:
        model.model_validate({"strengths": "x", "agreements": [{"action": "a", "method": "course"}]})
    (error,) = info.value.errors()
    assert error["loc"] == ("agreements", 0)
    assert "the table has no 'method' column (its columns: action, owner, deadline, status)" in error["msg"]
    # A column left empty is fine, whether absent or None.
    answers = model.model_validate({"strengths": "x", "agreements": [{"action": "a", "method": None}]})
    assert answers.agreements[0].method is None  # type: ignore[attr-defined]


def test_a_general_agreement_row_is_accepted() -> None:
    template = load_template("mus-scored-en")
    for role in ("employee", "manager"):
        model = template.answers_model(role)
        answers = model.model_validate({"agreements": [AgreementRow(action="x", owner="employee")]})
        (row,) = answers.agreements  # type: ignore[attr-defined]
        assert isinstance(row, AgreementRow)
        assert row == AgreementRow(action="x", owner="employee")
        assert AgreementRow(action="x", owner="employee") == row
        assert hash(row) == hash(AgreementRow(action="x", owner="employee"))
        assert row.model_dump() == {"action": "x", "owner": "employee", "deadline": None, "method": None}
        again = model.model_validate_json(answers.model_dump_json())
        assert again == answers
        # A value outside the table's columns is refused, also in an AgreementRow.
        with pytest.raises(ValidationError, match="the table has no 'status' column"):
            model.model_validate({"agreements": [AgreementRow(action="x", status="done")]})


def test_rows_of_one_table_validate_as_rows_of_another_with_the_same_values() -> None:
    template = load_template("mus-scored-en")
    previous = field_adapter(template, template.field("previous_agreements_status"))
    current = field_adapter(template, template.field("agreements"))
    rows = previous.validate_python([{"action": "x", "owner": "manager"}])
    assert current.validate_python(rows) == rows
    with pytest.raises(ValidationError):
        current.validate_python(previous.validate_python([{"action": "x", "status": "done"}]))


def test_the_row_schema_lists_only_the_tables_columns() -> None:
    template = load_template("mus-scored-en")
    schema = template.answers_model("employee").model_json_schema()
    defs = schema["$defs"]
    assert set(defs["AgreementsRow"]["properties"]) == {"action", "owner", "deadline", "method"}
    assert set(defs["PreviousAgreementsStatusRow"]["properties"]) == {"action", "owner", "status", "comment"}
    assert defs["AgreementsRow"]["additionalProperties"] is False


# -- multiple choice: each option once, in the options' order --------------------------------------------


def test_multiple_choice_answers_are_canonical(template: Template) -> None:
    model = template.answers_model("employee")
    answers = model.model_validate({"strengths": "x", "methods": ["mentoring", "course"]})
    assert answers.methods == ["course", "mentoring"]  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="option 'course' is chosen twice"):
        model.model_validate({"strengths": "x", "methods": ["course", "course"]})
    adapter = field_adapter(template, template.field("methods"))
    assert adapter.validate_python(["mentoring", "course"]) == ["course", "mentoring"]
    methods = model.model_json_schema()["properties"]["methods"]["anyOf"][0]
    assert methods["type"] == "array" and methods["uniqueItems"] is True


# -- schema titles: no raw Jinja ------------------------------------------------------------------------


def test_schema_titles_show_jinja_as_placeholders(template: Template) -> None:
    schema = template.answers_model("employee").model_json_schema()
    assert schema["properties"]["strengths"]["title"] == "Styrker hos <employee.first_name>"
