"""Template texts with Jinja are read rendered wherever a person reads them (the comparison, the talk form, the
plan and follow-up, the collect summary), and the footer of every form prints the form's whole id."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Literal

import openpyxl
import pytest

import musforms
from musforms._core.i18n import PRINTED_FORM_ID_LENGTH
from musforms._model.context import SAMPLE_CONTEXT, Context
from musforms._text.readable import readable_label
from musforms._workflows.collect import collect, write_summary
from musforms._workflows.compare import compare
from musforms._workflows.plan import render_followup, render_plan
from musforms._workflows.talk import render_talk

COMPANY_TEMPLATE = """\
extends: mus-scored-da
id: acme-mus-names
title: "MUS{% if company %} hos {{ company.name }}{% endif %}"
changes:
  - update: rate_quality
    set: {label: "{{ employee.first_name }} løser opgaverne i god faglig kvalitet"}
  - update: strengths
    set: {label: "Styrker – hvad har {{ employee.first_name }} løst rigtig godt?"}
  - update: past
    set: {title: "Fortid – {{ employee.first_name }}s år siden sidste MUS"}
  - update: agreements
    set: {label: "Aftaler for {{ employee.first_name }}{% if manager %} og {{ manager.first_name }}{% endif %}"}
"""

PLAN_TEMPLATE = """\
extends: plan-da
id: acme-plan-names
changes:
  - update: conclusions_summary
    set: {label: "Konklusionerne for {{ employee.first_name }}"}
"""

FOLLOWUP_TEMPLATE = """\
extends: followup-da
id: acme-followup-names
changes:
  - update: results
    set: {label: "Hvilke resultater har {{ employee.first_name }}s indsats haft?"}
"""

CONTEXT = Context.model_validate(
    {
        "employee": {"id": "E7", "name": "Ida Holm", "department": "Service"},
        "manager": {"id": "M1", "name": "Lars Berg"},
        "company": {"name": "Acme ApS"},
        "meeting": {"start": "2026-03-16T10:00", "place": "Mødelokale 2"},
    }
)

EMPLOYEE: Literal["employee"] = "employee"
MANAGER: Literal["manager"] = "manager"

RAW = re.compile(r"\{\{|\{%|\}\}|%\}")


@pytest.fixture(scope="module")
def template() -> musforms.Template:
    return musforms.load_template_text(COMPANY_TEMPLATE)


@pytest.fixture(scope="module")
def forms(template: musforms.Template) -> tuple[musforms.FilledForm, musforms.FilledForm]:
    employee = musforms.parse(
        musforms.render(
            template,
            "docx",
            role="employee",
            context=CONTEXT,
            answers={"rate_quality": 2, "strengths": "Grundig"},
        ),
        templates=[template],
    )
    manager = musforms.parse(
        musforms.render(
            template,
            "xlsx",
            role="manager",
            context=CONTEXT,
            answers={
                "rate_quality": 4,
                "strengths": "Stabil",
                "agreements": [{"action": "KNX-kursus", "owner": "employee", "deadline": "2026-06-01"}],
            },
        ),
        templates=[template],
    )
    assert employee.ok and manager.ok, (employee.issues, manager.issues)
    return employee, manager


def _document_text(data: bytes, *parts: str) -> str:
    """The text of the named parts of a Word document (runs joined), e.g. ``word/document.xml``."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = [n for n in z.namelist() if any(n.startswith(p) for p in parts)]
        assert names, parts
        return "\n".join("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", z.read(n).decode())) for n in names)


def _visible_cells(data: bytes) -> list[str]:
    """Every text value in the visible sheets of a workbook."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [
        str(cell.value)
        for sheet in workbook.worksheets
        if sheet.sheet_state == "visible"
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]


# -- the one helper --------------------------------------------------------------------------------------


def test_readable_label_renders_with_the_context_given() -> None:
    text = "Hvordan vurderer {{ employee.first_name }}  sit arbejde hos\n{{ company.name }}?"
    assert readable_label(text, SAMPLE_CONTEXT) == "Hvordan vurderer Mette sit arbejde hos Eksempel El A/S?"
    assert readable_label("Uden  Jinja\n", SAMPLE_CONTEXT) == "Uden Jinja"
    assert readable_label(None, SAMPLE_CONTEXT) == ""


def test_readable_label_without_a_context_names_no_one() -> None:
    assert readable_label("Hvordan vurderer {{ employee.first_name }} sit arbejde?", None) == (
        "Hvordan vurderer … sit arbejde?"
    )
    guarded = "{% if manager %}Hvad tænker {{ manager.name | upper }}?{% else %}Hvad tænker lederen?{% endif %}"
    assert readable_label(guarded, None) == "Hvad tænker …?"


def test_readable_label_never_shows_raw_jinja_when_the_text_cannot_be_rendered() -> None:
    # needs a meeting: rendered with a context that has none, it fails; its expression shows as "…"
    text = "Mødet {{ meeting.start.year }} med {{ employee.first_name }}"
    only_employee = Context.model_validate({"employee": {"name": "Ida Holm"}})
    assert readable_label(text, only_employee) == "Mødet … med …"
    assert readable_label(text, CONTEXT) == "Mødet 2026 med Ida"


# -- compare and the talk form ------------------------------------------------------------------------


def test_compare_labels_are_rendered_with_the_forms_context(
    template: musforms.Template, forms: tuple[musforms.FilledForm, musforms.FilledForm]
) -> None:
    comparison = compare(*forms, template=template)
    labels = {p.field_id: p.label for p in comparison.ratings} | {a.field_id: a.label for a in comparison.open_answers}
    assert labels["rate_quality"] == "Ida løser opgaverne i god faglig kvalitet"
    assert labels["strengths"] == "Styrker – hvad har Ida løst rigtig godt?"
    assert not [label for label in labels.values() if RAW.search(label)]
    assert not RAW.search(str(comparison.to_dict()))


def test_compare_of_forms_without_a_context_names_no_one(
    template: musforms.Template, forms: tuple[musforms.FilledForm, musforms.FilledForm]
) -> None:
    employee, manager = (form.model_copy(update={"context": None}) for form in forms)
    pair = next(p for p in compare(employee, manager, template=template).ratings if p.field_id == "rate_quality")
    assert pair.label == "… løser opgaverne i god faglig kvalitet"


def test_talk_form_docx_prints_rendered_labels(
    template: musforms.Template, forms: tuple[musforms.FilledForm, musforms.FilledForm]
) -> None:
    data = render_talk(template, *forms)
    text = _document_text(data, "word/document.xml", "word/header", "word/footer", "docProps/core.xml")
    assert not RAW.search(text), RAW.findall(text)
    assert "Ida løser opgaverne i god faglig kvalitet" in text
    assert "Styrker – hvad har Ida løst rigtig godt?" in text
    assert "Fortid – Idas år siden sidste MUS" in text
    assert "MUS hos Acme ApS" in text
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        core = z.read("docProps/core.xml").decode()
    assert "MUS hos Acme ApS" in core and "{{" not in core


def test_talk_form_follows_the_context_it_is_given(
    template: musforms.Template, forms: tuple[musforms.FilledForm, musforms.FilledForm]
) -> None:
    renamed = CONTEXT.model_copy(update={"employee": CONTEXT.employee.model_copy(update={"name": "Ea Holm"})})
    text = _document_text(render_talk(template, *forms, context=renamed), "word/document.xml")
    assert "Ea løser opgaverne i god faglig kvalitet" in text and "Ida løser" not in text


def test_talk_form_xlsx_prints_rendered_labels(
    template: musforms.Template, forms: tuple[musforms.FilledForm, musforms.FilledForm]
) -> None:
    data = render_talk(template, *forms, format="xlsx")
    cells = _visible_cells(data)
    assert not [value for value in cells if RAW.search(value)]
    assert "Ida løser opgaverne i god faglig kvalitet" in cells
    assert "Styrker – hvad har Ida løst rigtig godt?" in cells
    assert any(value.startswith("2. Fortid – Idas år siden sidste MUS") for value in cells), cells
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.properties.title is not None and "MUS hos Acme ApS" in workbook.properties.title


# -- the plan and the follow-up -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_plan_and_followup_print_rendered_labels(fmt: str, forms: tuple[musforms.FilledForm, ...]) -> None:
    plan_template = musforms.load_template_text(PLAN_TEMPLATE)
    followup_template = musforms.load_template_text(FOLLOWUP_TEMPLATE)
    plan_file = render_plan(CONTEXT, *forms, template=plan_template, format=fmt)  # type: ignore[arg-type]
    plan = musforms.parse(plan_file, templates=[plan_template])
    rows = plan.answers["agreements"]
    assert plan.ok and isinstance(rows, list) and getattr(rows[0], "action", None) == "KNX-kursus"
    followup_file = render_followup(CONTEXT, plan, template=followup_template, format=fmt)  # type: ignore[arg-type]
    for data, label in (
        (plan_file, "Konklusionerne for Ida"),
        (followup_file, "Hvilke resultater har Idas indsats haft?"),
    ):
        if fmt == "docx":
            text = _document_text(data, "word/document.xml", "word/header", "word/footer")
            assert not RAW.search(text), RAW.findall(text)
            assert label in text
        else:
            cells = _visible_cells(data)
            assert not [value for value in cells if RAW.search(value)]
            assert any(label in value for value in cells), label


# -- the collect summary ------------------------------------------------------------------------------


def test_summary_workbook_has_no_raw_jinja_and_its_shared_headings_name_no_one(
    tmp_path: Path, template: musforms.Template
) -> None:
    folder = tmp_path / "round"
    folder.mkdir()
    for number, name in enumerate(("Ida Holm", "Bo Lund"), start=1):
        context = CONTEXT.model_copy(
            update={"employee": CONTEXT.employee.model_copy(update={"id": f"E{number}", "name": name})}
        )
        for role, rating in ((EMPLOYEE, 2), (MANAGER, 4)):
            data = musforms.render(template, "docx", role=role, context=context, answers={"rate_quality": rating})
            (folder / f"{number}-{role}.docx").write_bytes(data)
    collection = collect(folder, templates=[template])
    assert len(collection.used) == 4
    out = write_summary(collection, tmp_path / "summary.xlsx", templates=[template])
    workbook = openpyxl.load_workbook(out)
    values = [str(c.value) for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [value for value in values if RAW.search(value)]
    comparisons = workbook["comparisons"]
    head = [c.value for c in comparisons[1]]
    rows = [dict(zip(head, (c.value for c in row), strict=True)) for row in comparisons.iter_rows(min_row=2)]
    quality = {row["employee_id"]: row["label"] for row in rows if row["field_id"] == "rate_quality"}
    assert quality == {
        "E1": "Ida løser opgaverne i god faglig kvalitet",
        "E2": "Bo løser opgaverne i god faglig kvalitet",
    }
    ratings = workbook["department_ratings"]
    head = [c.value for c in ratings[1]]
    labels = {
        row[head.index("label")].value
        for row in ratings.iter_rows(min_row=2)
        if row[head.index("field_id")].value == "rate_quality"
    }
    assert labels == {"… løser opgaverne i god faglig kvalitet"}  # one row for both employees, naming neither


# -- the form id in the footer ------------------------------------------------------------------------

TWINS = ("a5510702" + "0" * 24, "a5510702" + "f" * 24)
"""Two form ids alike in their first 8 characters."""


def _footer_ids(data: bytes, fmt: str) -> str:
    if fmt == "docx":
        return _document_text(data, "word/footer")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.oddHeader is not None and sheet.oddFooter is not None
    assert sheet.oddFooter.right.size is not None and sheet.oddFooter.right.size >= 8  # readable small print
    return f"{sheet.oddHeader.left.text} {sheet.oddHeader.right.text} {sheet.oddFooter.right.text}"


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_the_footer_prints_a_short_form_number_and_the_file_keeps_the_whole_id(
    fmt: str, template: musforms.Template
) -> None:
    for form_id in TWINS:
        data = musforms.render(template, fmt, role="employee", context=CONTEXT, form_id=form_id)  # type: ignore[arg-type]
        footer = _footer_ids(data, fmt)
        assert f"Skema-id {form_id[:PRINTED_FORM_ID_LENGTH]}" in footer, footer
        assert form_id[: PRINTED_FORM_ID_LENGTH + 1] not in footer  # nothing technical on paper
        assert not RAW.search(footer)
        form = musforms.parse(data, templates=[template])
        assert form.form_id == form_id and form.ok, form.issues  # the twins are told apart by the file


def test_a_very_long_form_id_is_printed_short_but_read_whole(template: musforms.Template) -> None:
    form_id = "x" * 100
    data = musforms.render(template, "xlsx", role="employee", context=CONTEXT, form_id=form_id)
    footer = _footer_ids(data, "xlsx")
    assert "Skema-id xxxxxxxx" in footer and "x" * (PRINTED_FORM_ID_LENGTH + 1) not in footer
    assert musforms.parse(data, templates=[template]).form_id == form_id


def test_a_word_forms_title_and_title_property_are_rendered(template: musforms.Template) -> None:
    """The title is printed once, on page 1; the header names the company and which form it is."""
    data = musforms.render(template, "docx", role="employee", context=CONTEXT)
    assert "MUS hos Acme ApS" in _document_text(data, "word/document")
    header = _document_text(data, "word/header")
    assert "Acme ApS" in header and "Medarbejderens forberedelse" in header and "MUS hos" not in header
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        core = z.read("docProps/core.xml").decode()
    assert "<dc:title>MUS hos Acme ApS</dc:title>" in core


def test_what_a_form_says_of_a_label_outside_its_text_names_no_one_and_shows_no_jinja(
    template: musforms.Template,
) -> None:
    """A control's title, a table's caption and an input message are made once for all the forms of a template:
    their Jinja shows as "…". The title property is made for each form, as the form prints its title."""
    with zipfile.ZipFile(io.BytesIO(musforms.render(template, "docx", role="manager", context=CONTEXT))) as z:
        document = z.read("word/document.xml").decode()
    captions = re.findall(r'<w:tblCaption w:val="([^"]*)"', document)
    titles = re.findall(r'<w:alias w:val="([^"]*)"', document)
    assert "Aftaler for … og …" in captions
    assert any(title.startswith("… løser opgaverne") for title in titles), titles
    assert not [text for text in captions + titles if RAW.search(text) or "<" in text]
    workbook = openpyxl.load_workbook(io.BytesIO(musforms.render(template, "xlsx", role="manager", context=CONTEXT)))
    assert workbook.properties.title == "MUS hos Acme ApS"
    prompts = [
        f"{dv.promptTitle} {dv.prompt}" for ws in workbook.worksheets for dv in ws.data_validations.dataValidation
    ]
    assert any("… løser opgaverne" in prompt for prompt in prompts), prompts
    assert not [prompt for prompt in prompts if RAW.search(prompt)]
