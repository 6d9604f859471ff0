"""An agreement row sent without its "what" comes back, shown again with its problem, with every cell the person
typed in its own control; the issue keeps each cell's text (``Issue.inputs``) the same way for a web, Word and
Excel form, through JSON, and ``redact`` removes it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import musforms
from musforms import AgreementRow, FilledForm, Issue, Template, parse_submission, render_html
from musforms._core.binding import agreement_part, input_name
from musforms._core.i18n import agreement_choice_labels
from musforms._formats.parse import parse
from musforms._formats.render import render
from musforms._model.context import SAMPLE_CONTEXT
from musforms._model.fields import AgreementsField, Role

from .docxtools import cell_of, edit_part
from .htmltools import Fields, browser_fields, fill_page, page_fields, urlencoded
from .test_xlsx import ref_of, set_cell

ROOT = Path(__file__).resolve().parent.parent
COMPANY = musforms.load_template(ROOT / "docs" / "examples" / "web_form" / "company" / "acme-plan.yaml")
EVERY_COLUMN = musforms.load_template_text("""\
id: every-column
version: "1"
title: Aftaler
language: da
style: soft
sections:
  - id: plan
    title: Plan
    fields:
      - kind: agreements
        id: agreements
        label: Aftaler
        columns: [action, owner, deadline, method, status, comment]
        rows: 4
""")
"""A company's own template whose agreements table has every column (a text column among the pick lists)."""
CASES = [
    pytest.param(COMPANY, "manager", id="acme-plan-manager"),
    pytest.param(EVERY_COLUMN, "employee", id="every-column"),
    pytest.param(musforms.load_template("plan-da"), "manager", id="plan-da-manager"),
    pytest.param(musforms.load_template("mus-scored-da"), "manager", id="mus-scored-da-manager"),
]
FORM_ID = "f0000000000000000000000000000015"
FIRST = AgreementRow(action="Første aftale", owner="employee", deadline=dt.date(2027, 3, 1))
ACTION = "Sprogkursus & <b>æøå</b>"
"""What the person writes as row 2's "what" once the form comes back."""


def agreements_of(template: Template) -> AgreementsField:
    field = template.field("agreements")
    assert isinstance(field, AgreementsField)
    return field


def second_row(field: AgreementsField) -> AgreementRow:
    """Row 2 as the person means it, in the table's columns: who, when, how (and status and a comment)."""
    cells: dict[str, Any] = {
        "action": ACTION,
        "owner": "manager",
        "deadline": dt.date(2027, 5, 31),
        "method": "course",
        "status": "in_progress",
        "comment": "Aftalt i\nmødet <i>",
    }
    return AgreementRow(**{column: cells[column] for column in field.columns})


def first_row(field: AgreementsField) -> AgreementRow:
    return FIRST.model_copy(update={"deadline": FIRST.deadline if "deadline" in field.columns else None})


def name(column: str, row: int = 2) -> str:
    return input_name("agreements", agreement_part(row, column))


def typed_inputs(field: AgreementsField, row: AgreementRow, deadline: str) -> dict[str, str]:
    """What each of row 2's cells other than "what" holds as a form reads it: a pick list's label."""
    out: dict[str, str] = {}
    for column in field.columns:
        value = getattr(row, column)
        if column == "action" or value is None:
            continue
        if column == "deadline":
            out[name(column)] = deadline
        elif column in ("owner", "method", "status"):
            out[name(column)] = agreement_choice_labels(column, "da")[value]
        else:
            out[name(column)] = value
    return out


def without_what(template: Template, role: Role, html: str) -> Fields:
    """What a browser sends once the person has filled row 1 whole and row 2 without its "what"."""
    field = agreements_of(template)
    sent = browser_fields(template, role, {"agreements": [first_row(field), second_row(field)]})
    sent = [(key, "" if key == name("action") else value) for key, value in sent]
    return fill_page(html, sent)


def row_issue(form: FilledForm) -> Issue:
    (issue,) = [i for i in form.issues if i.field_id == "agreements"]
    assert issue.code == "value.invalid"
    return issue


def shown(fields: Fields) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in fields:
        out.setdefault(key, value)
    return out


@pytest.mark.parametrize(("template", "role"), CASES)
def test_a_row_without_its_what_comes_back_in_its_controls(template: Template, role: Role) -> None:
    field = agreements_of(template)
    second = second_row(field)
    page = render_html(template, role=role, context=SAMPLE_CONTEXT, form_id=FORM_ID)

    form = parse_submission(urlencoded(without_what(template, role, page.html)), templates=[template])
    issue = row_issue(form)
    assert issue.inputs == typed_inputs(field, second, "2027-05-31")
    assert form.answers["agreements"] == [first_row(field)]  # the row is left out of the answers, kept in the issue

    again = render_html(
        template, role=role, context=SAMPLE_CONTEXT, answers=form.answers, issues=form.issues, form_id=form.form_id
    )
    controls = shown(page_fields(again.html))
    assert controls[name("action")] == ""
    assert controls[name("owner")] == "manager"
    assert controls[name("deadline")] == "2027-05-31"
    assert 'class="mf-raw"' not in again.html  # every cell is back in its control: not also shown in the message
    if "method" in field.columns:
        assert controls[name("method")] == "course"
    if "status" in field.columns:
        assert controls[name("status")] == "in_progress"
    if "comment" in field.columns:
        assert controls[name("comment")] == "Aftalt i\r\nmødet <i>"
    assert 'aria-invalid="true"' in again.html and issue.message in again.html

    completed = [(key, ACTION if key == name("action") else value) for key, value in page_fields(again.html)]
    back = parse_submission(urlencoded(completed), templates=[template])
    assert [i for i in back.issues if i.field_id == "agreements"] == []
    assert back.answers["agreements"] == [first_row(field), second]


def test_a_cell_no_control_can_show_stays_in_the_message() -> None:
    """A pick list's text that names none of its options (a Word form's "Chefen") is shown in the message; the
    cells that can be put back are."""
    field = agreements_of(COMPANY)
    typed = {name("owner"): "Chefen", name("deadline"): "31-05-2027", name("method"): "Kursus"}
    problem = Issue(
        code="value.invalid",
        message="Aftale 2 mangler hvad der skal gøres",
        field_id="agreements",
        raw="; ".join(typed.values()),
        inputs=typed,
    )
    again = render_html(COMPANY, role="manager", context=SAMPLE_CONTEXT, issues=[problem], form_id=FORM_ID)
    controls = shown(page_fields(again.html))
    assert controls[name("owner")] == "" and controls[name("method")] == "course"
    assert controls[name("deadline")] == "2027-05-31"
    assert 'class="mf-raw"' in again.html and "Chefen; 31-05-2027; Kursus" in again.html
    assert field.columns == ("action", "owner", "deadline", "method")


def test_the_raw_text_of_a_row_is_not_put_into_one_cell() -> None:
    """A row whose first cell with text is a date: the joined text of the row is not put into that date box."""
    typed = {name("deadline"): "2027-05-31", name("comment"): "Se noten"}
    problem = Issue(
        code="value.invalid",
        message="Aftale 2 mangler hvad der skal gøres",
        field_id="agreements",
        raw="2027-05-31; Se noten",
        location=musforms.Location(part="submission", where="field", anchor=name("deadline")),
        inputs=typed,
    )
    again = render_html(EVERY_COLUMN, role="employee", context=SAMPLE_CONTEXT, issues=[problem], form_id=FORM_ID)
    controls = shown(page_fields(again.html))
    assert controls[name("deadline")] == "2027-05-31" and controls[name("comment")] == "Se noten"


def _web_issue(template: Template, role: Role) -> Issue:
    page = render_html(template, role=role, context=SAMPLE_CONTEXT, form_id=FORM_ID)
    return row_issue(parse_submission(urlencoded(without_what(template, role, page.html)), templates=[template]))


@pytest.mark.parametrize(("template", "role"), [CASES[0], CASES[2]])
def test_a_word_form_with_the_same_row_gives_the_same_inputs(template: Template, role: Role) -> None:
    """The row filled in a Word form (its deadline written as a browser sends it): the same issue text by text."""
    field = agreements_of(template)
    marker = "ZZ-what-ZZ"
    data = render(
        template,
        "docx",
        role=role,
        context=SAMPLE_CONTEXT,
        answers={"agreements": [first_row(field), second_row(field).model_copy(update={"action": marker})]},
        form_id=FORM_ID,
    )

    def change(xml: str) -> str:
        xml = xml.replace(marker, "")
        start, end = cell_of(xml, "agreements", agreement_part(2, "deadline"))
        return xml[:start] + xml[start:end].replace("31-05-2027", "2027-05-31") + xml[end:]

    form = parse(edit_part(data, "word/document.xml", change), templates=[template])
    issue = row_issue(form)
    assert issue.inputs == typed_inputs(field, second_row(field), "2027-05-31")
    assert issue.inputs == _web_issue(template, role).inputs
    assert issue.raw == "; ".join(issue.inputs.values())


def test_an_excel_form_with_the_same_row_gives_the_same_inputs() -> None:
    template = musforms.load_template("plan-da")
    field = agreements_of(template)
    data = render(template, "xlsx", role="manager", context=SAMPLE_CONTEXT, answers={"agreements": [first_row(field)]})
    for column, text in (("owner", "Leder"), ("deadline", "2027-05-31"), ("method", "Kursus")):
        data = set_cell(data, ref_of(template, name(column), "manager"), text)
    issue = row_issue(parse(data, templates=[template]))
    assert issue.inputs == typed_inputs(field, second_row(field), "2027-05-31")
    assert issue.inputs == _web_issue(template, "manager").inputs


def test_the_inputs_go_through_json_and_redact_removes_them() -> None:
    template = musforms.load_template("plan-da")
    page = render_html(template, role="manager", context=SAMPLE_CONTEXT, form_id=FORM_ID)
    form = parse_submission(urlencoded(without_what(template, "manager", page.html)))
    assert row_issue(form).inputs

    again = FilledForm.model_validate_json(form.to_json())
    assert again == form and row_issue(again).inputs == row_issue(form).inputs

    redacted = musforms.redact(form)
    assert row_issue(redacted).inputs is None and row_issue(redacted).raw is None
    assert "Leder" not in redacted.to_json()


def test_an_issue_about_one_input_has_no_inputs() -> None:
    """A deadline that is no date in a row with its "what": the row is kept, the text is the issue's raw."""
    template = musforms.load_template("plan-da")
    data = render(template, "xlsx", role="manager", context=SAMPLE_CONTEXT, answers={"agreements": [FIRST]})
    data = set_cell(data, ref_of(template, name("deadline", 1), "manager"), "snart")
    (issue,) = [i for i in parse(data, templates=[template]).issues if i.field_id == "agreements"]
    assert (issue.raw, issue.inputs) == ("snart", None)
