"""One employee's whole year, every step through files filled in LibreOffice by typing:

both preparation forms → comparison → talk form → development plan (filled, signed, parsed back) → follow-up
(filled, parsed back) → next year's preparation form, prefilled with the status of the agreements → collect.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import musforms
from musforms._model.context import Context
from musforms._model.values import AgreementRow
from musforms._workflows.compare import compare
from musforms._workflows.plan import render_followup, render_plan
from musforms._workflows.talk import render_talk

from . import fillplan
from .harness import Office

CONTEXT = Context.model_validate(
    {
        "employee": {"id": "E42", "name": "Mette Sørensen", "email": "mette@example.dk", "department": "Service"},
        "manager": {"id": "M1", "name": "Lars Holm", "email": "lars@example.dk"},
        "meeting": {"start": "2026-03-16T10:00", "place": "Mødelokale 2"},
    }
)


def _fill(
    office: Office,
    folder: Path,
    name: str,
    data: bytes,
    template: musforms.Template,
    role: str,
    answers: dict[str, object],
) -> musforms.FilledForm:
    blank = folder / f"{name}-blank.docx"
    blank.write_bytes(data)
    filled = folder / f"{name}.docx"
    office.fill(blank, filled, fillplan.plan(template, role, answers))  # type: ignore[arg-type]
    return musforms.parse(filled)


def test_a_year_of_mus_through_files(libreoffice: Office, tmp_path: Path) -> None:
    scored = musforms.load_template("mus-scored-da")
    employee_form = _fill(
        libreoffice,
        tmp_path,
        "1-employee",
        musforms.render(scored, "docx", role="employee", context=CONTEXT),
        scored,
        "employee",
        {
            "rate_quality": 2,
            "rate_efficiency": 4,
            "rate_customer_service": "not_relevant",
            "rate_safety": 5,
            "strengths": "Jeg er grundig & rolig – også når kunderne står på tæerne.",
            "development_needs": "KNX og solceller",
        },
    )
    manager_form = _fill(
        libreoffice,
        tmp_path,
        "1-manager",
        musforms.render(scored, "docx", role="manager", context=CONTEXT),
        scored,
        "manager",
        {
            "rate_quality": 4,
            "rate_efficiency": 4,
            "rate_customer_service": 3,
            "rate_safety": 5,
            "strengths": "Stabil og vellidt.",
            "agreements": [
                {"action": "KNX-kursus", "owner": "employee", "deadline": dt.date(2026, 6, 1), "method": "course"}
            ],
        },
    )
    assert employee_form.issues == () and manager_form.issues == ()

    # The comparison
    comparison = compare(employee_form, manager_form)
    assert {p.field_id for p in comparison.flagged} == {"rate_quality", "rate_customer_service"}

    # The talk form opens in LibreOffice and shows both sides
    talk = tmp_path / "2-talk.docx"
    talk.write_bytes(render_talk(scored, employee_form, manager_form))
    pdf = libreoffice.convert(talk, "pdf", tmp_path)
    assert pdf.stat().st_size > 10_000
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())
    assert "Jeg er grundig & rolig" in text and "Stabil og vellidt." in text and "KNX-kursus" in text

    # The development plan, started from the talk, filled and signed in LibreOffice
    plan_template = musforms.load_template("plan-da")
    plan = _fill(
        libreoffice,
        tmp_path,
        "3-plan",
        render_plan(CONTEXT, employee_form, manager_form),
        plan_template,
        "manager",
        {
            "goals": "Certificering i KNX inden sommer.",
            "employee_comment": "Enig.",
            "sign_employee": {"name": "Mette Sørensen", "date": dt.date(2026, 3, 20)},
            "sign_manager": {"name": "Lars Holm", "date": dt.date(2026, 3, 20)},
        },
    )
    assert plan.issues == ()
    assert plan.answers["agreements"] == [
        AgreementRow(action="KNX-kursus", owner="employee", deadline=dt.date(2026, 6, 1), method="course")
    ]
    assert plan.answers["goals"] == "Certificering i KNX inden sommer."
    assert plan.answers["followup_date"] == dt.date(2026, 9, 16)
    assert plan.answers["sign_employee"].name == "Mette Sørensen" and plan.answers["sign_manager"].name == "Lars Holm"

    # The follow-up after six months, filled in LibreOffice
    followup_template = musforms.load_template("followup-da")
    followup = _fill_followup(libreoffice, tmp_path, plan, followup_template)
    assert followup.issues == ()
    (row,) = followup.answers["agreements"]
    assert (row.action, row.status, row.comment) == ("KNX-kursus", "done", "Bestået")

    # Next year's preparation form starts with the status of the agreements
    report = musforms.build_packs(
        scored,
        [
            CONTEXT.model_copy(
                update={
                    "meeting": CONTEXT.meeting.model_copy(  # type: ignore[union-attr]
                        update={"start": dt.datetime(2027, 3, 15, 10)}
                    )
                }
            )
        ],
        tmp_path / "next-year",
        previous={"E42": tmp_path / "4-followup.docx"},
        today=dt.date(2027, 3, 1),
    )
    assert report.ok
    (outcome,) = report.outcomes
    next_year = musforms.parse(tmp_path / "next-year" / (outcome.folder or "") / "3-forberedelse-medarbejder.docx")
    (status,) = next_year.answers["previous_agreements_status"]
    assert (status.action, status.owner, status.status, status.comment) == ("KNX-kursus", "employee", "done", "Bestået")

    # Everything collected; the summary opens in LibreOffice and no text became a formula
    summary = tmp_path / "summary.xlsx"
    musforms.write_summary(musforms.collect(tmp_path, today=dt.date(2026, 10, 1)), summary)
    reopened = libreoffice.convert(summary, "xlsx", tmp_path / "calc")
    assert reopened.stat().st_size > 0


def _fill_followup(
    office: Office, folder: Path, plan: musforms.FilledForm, template: musforms.Template
) -> musforms.FilledForm:
    data = render_followup(CONTEXT, plan)
    blank = folder / "4-followup-blank.docx"
    blank.write_bytes(data)
    filled = folder / "4-followup.docx"
    from musforms._formats.docx.layout import anchor_name

    actions = [
        {"op": "pick", "bookmark": anchor_name("agreements", "r1s"), "item": "Gennemført"},
        {"op": "type", "bookmark": anchor_name("agreements", "r1c"), "text": "Bestået"},
        {"op": "type", "bookmark": anchor_name("results", ""), "text": "Kurset gav overblik."},
        {"op": "type", "bookmark": anchor_name("what_now", ""), "text": "Fortsæt med solceller."},
    ]
    office.fill(blank, filled, actions)
    return musforms.parse(filled)


def test_the_summary_keeps_formula_like_text_as_text_in_libreoffice(libreoffice: Office, tmp_path: Path) -> None:
    scored = musforms.load_template("mus-soft-da")
    for i, text in enumerate(["=1+1", "+45 1234 5678", "-fint", "@alle"]):
        context = CONTEXT.model_copy(update={"employee": musforms.Person(id=f"E{i}", name=f"P {i}")})
        data = musforms.render(
            scored,
            "docx",
            role="manager",
            context=context,
            answers={"agreements": [{"action": text, "owner": "employee"}]},
        )
        (tmp_path / f"{i}.docx").write_bytes(data)
    summary = tmp_path / "summary.xlsx"
    musforms.write_summary(musforms.collect(tmp_path), summary)
    import openpyxl

    workbook = openpyxl.load_workbook(summary)
    sheet = workbook["agreements"]
    actions = [row[3].value for row in sheet.iter_rows(min_row=2)]
    assert sorted(actions) == sorted(["=1+1", "+45 1234 5678", "-fint", "@alle"])
    # LibreOffice reads the same cells as text: a round trip through Calc keeps them as they were written.
    roundtrip = libreoffice.convert(summary, "xlsx", tmp_path / "calc")
    again = openpyxl.load_workbook(roundtrip)["agreements"]
    assert sorted(row[3].value for row in again.iter_rows(min_row=2)) == sorted(actions)
    assert all(row[3].data_type == "s" for row in again.iter_rows(min_row=2))
