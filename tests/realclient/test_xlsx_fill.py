"""LibreOffice Calc fills rendered Excel forms like a person (typing into the answer cells, found by their
defined names), saves them as .xlsx, and parsing gives back what was typed.

Every built-in template and the minimal template (which has every field kind), for both roles, in one
batch of fills. Texts carry æøå, ``& < > " '``, emoji, line breaks, text that looks like a number or a
formula; dates are typed as dd-mm-yyyy and as ISO; ratings as numbers and as the "not relevant" label;
choices and agreement columns as the labels of their drop-downs (headless Calc cannot open a drop-down,
and does not enforce list validation, so typing the item is what picking it does). A second workbook
gets a rating of 9, text in a rating cell and an unknown owner, which must come back as issues.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import musforms
from musforms._core.i18n import agreement_choice_labels, words
from musforms._formats.parse import parse
from musforms._formats.render import render
from musforms._formats.xlsx.layout import compile_layout
from musforms._formats.xlsx.names import form_sheet_name
from musforms._model.context import SAMPLE_CONTEXT
from musforms._model.fields import (
    AgreementsField,
    CheckField,
    ChoiceField,
    DateField,
    RatingField,
    Role,
    SignatureField,
    TextField,
)
from musforms._model.filled import FilledForm
from musforms._model.values import AGREEMENT_METHODS, AGREEMENT_STATUSES, NOT_RELEVANT

from ..conftest import MINIMAL
from .harness import Job, Office

ROLES: tuple[Role, ...] = ("employee", "manager")
TEXTS = (
    "Mine styrker er overblik og ro på pladsen – især når kunderne står på tæerne.",
    "ÆØÅ æøå: & < > \" ' – alt kom med 😀 👍🏽",
    "Første linje\nAnden linje\nTredje linje med ø",
    "Kursus i KNX & varmepumper <niveau 2>\n\nNy linje efter en tom linje",
    "007",
    "=1+1 er ikke en formel her",
    "_x0041_ er ikke et A",
)
LONG = "\n".join(
    f"{n}. Samarbejdet i teamet fungerer godt, og jeg får hjælp, når opgaverne bliver svære." for n in range(25)
)


def _templates() -> list[musforms.Template]:
    return [musforms.load_template_text(MINIMAL)] + [musforms.load_template(t.id) for t in musforms.list_templates()]


@dataclass(frozen=True)
class Case:
    template: musforms.Template
    role: Role
    src: Path
    out: Path
    expected: dict[str, Any]


def typing_plan(template: musforms.Template, role: Role) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """What to type into which defined name, and the answers parsing must give for it."""
    layout = compile_layout(template, role)
    w = words(template.language)
    actions: list[dict[str, Any]] = []
    answers: dict[str, Any] = {}
    dates = 0

    def type_in(field_id: str, part: str, text: str) -> None:
        name = next(x.name for x in layout.by_field[field_id] if x.spec.part == part)
        actions.append({"op": "type", "name": name, "text": text})

    def date_text(day: dt.date) -> str:
        nonlocal dates
        dates += 1
        return day.isoformat() if dates % 2 else f"{day.day:02d}-{day.month:02d}-{day.year}"

    for n, field in enumerate(template.answer_fields(role)):
        if isinstance(field, TextField):
            text = LONG if n == 1 else TEXTS[n % len(TEXTS)]
            text = text if field.multiline else " ".join(text.split())
            type_in(field.id, "", text)
            answers[field.id] = text.strip()
        elif isinstance(field, RatingField):
            scale = template.scale_of(field)
            if field.not_relevant and n % 3 == 0:
                type_in(field.id, "", scale.not_relevant_label or w["not_relevant"])
                answers[field.id] = NOT_RELEVANT
            else:
                point = scale.values[n % len(scale.values)]
                type_in(field.id, "", str(point))
                answers[field.id] = point
        elif isinstance(field, ChoiceField):
            if field.multiple:
                chosen = [o.id for o in field.options][1::2]
                for index, option in enumerate(field.options, start=1):
                    if option.id in chosen:
                        type_in(field.id, f"o{index}", "X")
                answers[field.id] = chosen
            else:
                option = field.options[n % len(field.options)]
                type_in(field.id, "", option.label)
                answers[field.id] = option.id
        elif isinstance(field, CheckField):
            type_in(field.id, "", "X")
            answers[field.id] = True
        elif isinstance(field, DateField):
            day = dt.date(2026, 1 + n % 12, 1 + n % 28)
            type_in(field.id, "", date_text(day))
            answers[field.id] = day
        elif isinstance(field, AgreementsField):
            rows = []
            for number in (1, 2, field.rows):
                row: dict[str, Any] = {"action": f"Aftale {number}: KNX & <varme> 😀"}
                values: dict[str, Any] = {
                    "owner": ("employee", "manager")[number % 2],
                    "deadline": dt.date(2026, 3, number),
                    "method": AGREEMENT_METHODS[number % len(AGREEMENT_METHODS)],
                    "status": AGREEMENT_STATUSES[number % len(AGREEMENT_STATUSES)],
                    "comment": "Godt i gang\nmangler tid",
                }
                type_in(field.id, f"r{number}a", row["action"])
                for column in field.columns:
                    if column == "action":
                        continue
                    code = {"owner": "o", "deadline": "d", "method": "m", "status": "s", "comment": "c"}[column]
                    value = values[column]
                    if column in ("owner", "status", "method"):
                        text = agreement_choice_labels(column, template.language)[value]
                    elif column == "deadline":
                        text = date_text(value)
                    else:
                        text = value
                    type_in(field.id, f"r{number}{code}", text)
                    row[column] = value
                rows.append(row)
            answers[field.id] = rows
        elif isinstance(field, SignatureField):
            type_in(field.id, "name", "Mette Sørensen")
            day = dt.date(2026, 3, 16)
            type_in(field.id, "date", date_text(day))
            answers[field.id] = {"name": "Mette Sørensen", "date": day}
    model = template.answers_model(role)
    expected = {k: v for k, v in model.model_validate(answers) if k in answers}
    return actions, expected


@pytest.fixture(scope="module")
def filled(libreoffice: Office, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every template and role filled in one batch, plus a workbook with bad values."""
    folder = tmp_path_factory.mktemp("xlsx-fill")
    cases: list[Case] = []
    jobs: list[Job] = []
    for template in _templates():
        for role in ROLES:
            src = folder / f"{template.id}-{role}.xlsx"
            out = folder / f"{template.id}-{role}-filled.xlsx"
            src.write_bytes(render(template, "xlsx", role=role, context=SAMPLE_CONTEXT, form_id=f"f-{role}"))
            actions, expected = typing_plan(template, role)
            sheet = form_sheet_name(template.purpose, role, template.language)
            actions.append({"op": "type", "cell": f"{sheet}!A1", "text": "ændret titel", "expect": "refused"})
            cases.append(Case(template, role, src, out, expected))
            jobs.append(Job(src, out, actions))
    scored = musforms.load_template("mus-scored-da")
    bad_src, bad_out = folder / "bad.xlsx", folder / "bad-filled.xlsx"
    bad_src.write_bytes(render(scored, "xlsx", role="employee", context=SAMPLE_CONTEXT))
    bad = [
        {"op": "type", "name": "mf_rate_quality", "text": "9"},
        {"op": "type", "name": "mf_rate_efficiency", "text": "god"},
        {"op": "type", "name": "mf_rate_deadlines", "text": "4"},
        {"op": "type", "name": "mf_agreements__r1a", "text": "Kursus"},
        {"op": "type", "name": "mf_agreements__r1o", "text": "Chefen"},
        {"op": "type", "name": "mf_followup_date", "text": "i morgen"},
    ]
    jobs.append(Job(bad_src, bad_out, bad))
    results = libreoffice.fill_many(jobs)
    return {"cases": {(c.template.id, c.role): c for c in cases}, "bad": bad_out, "results": results}


CASE_IDS = [(t.id, r) for t in _templates() for r in ROLES]


@pytest.mark.parametrize(("template_id", "role"), CASE_IDS, ids=[f"{t}-{r}" for t, r in CASE_IDS])
def test_what_calc_typed_parses_back(filled: dict[str, Any], template_id: str, role: str) -> None:
    case: Case = filled["cases"][(template_id, role)]
    form = parse(case.out, templates=[case.template])
    assert form.format == "xlsx" and form.form_id == f"f-{role}" and form.role == role
    assert form.issues == ()
    assert {k: v for k, v in form.answers.items() if k in case.expected} == case.expected
    assert set(form.answers) == {f.id for f in case.template.answer_fields(role)}


def test_calc_keeps_the_workbook_a_form(filled: dict[str, Any]) -> None:
    case: Case = filled["cases"][("mus-scored-da", "employee")]
    with zipfile.ZipFile(case.out) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        custom = archive.read("docProps/custom.xml").decode()
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    layout = compile_layout(case.template, "employee")
    assert all(f'name="{name}"' in workbook for name in layout.anchors)
    assert 'name="_meta" sheetId="3" state="hidden"' in workbook
    assert 'name="_lists" sheetId="2" state="hidden"' in workbook
    assert 'name="musforms.template_id"' in custom and "mus-scored-da" in custom
    assert "<sheetProtection" in sheet and "<dataValidation" in sheet
    assert "_lists!$" in sheet  # the drop-downs still take their items from the hidden sheet
    # without the custom properties, the hidden identity sheet alone names the form
    from musforms._formats.xlsx.parse import _meta_properties
    from musforms._formats.xlsx.reader import Book

    with zipfile.ZipFile(case.out) as archive:
        from lxml import etree

        book = Book(archive, set(archive.namelist()), "x", etree.XMLParser())
        meta = _meta_properties(book)
    assert meta["musforms.form_id"] == "f-employee" and meta["musforms.template_id"] == "mus-scored-da"


def test_bad_values_typed_in_calc_are_issues_with_their_cells(filled: dict[str, Any]) -> None:
    scored = musforms.load_template("mus-scored-da")
    layout = compile_layout(scored, "employee")
    form: FilledForm = parse(filled["bad"])
    found = {(i.field_id, i.raw): i for i in form.issues}
    assert set(found) == {
        ("rate_quality", "9"),
        ("rate_efficiency", "god"),
        ("agreements", "Chefen"),
        ("followup_date", "i morgen"),
    }
    for issue in found.values():
        assert issue.code == "value.invalid" and issue.location is not None and issue.location.part == layout.form.name
    assert found[("rate_quality", "9")].location.where == layout.anchors["mf_rate_quality"].ref  # type: ignore[union-attr]
    assert found[("rate_efficiency", "god")].location.where == layout.anchors["mf_rate_efficiency"].ref  # type: ignore[union-attr]
    assert found[("agreements", "Chefen")].location.where == layout.anchors["mf_agreements__r1o"].ref  # type: ignore[union-attr]
    assert form.answers["rate_deadlines"] == 4 and form.answers["rate_quality"] is None
