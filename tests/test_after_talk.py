"""After the preparation: compare, the talk form, the development plan, the follow-up, and collect."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import musforms
from musforms._cli.main import main
from musforms._model.context import Context
from musforms._model.values import AgreementRow
from musforms._workflows.collect import collect, write_summary
from musforms._workflows.compare import compare
from musforms._workflows.plan import add_months, render_followup, render_plan
from musforms._workflows.talk import render_talk
from musforms.errors import ComparisonError

CONTEXT = Context.model_validate(
    {
        "employee": {"id": "E7", "name": "Ida Holm", "department": "Service"},
        "manager": {"id": "M1", "name": "Lars Holm"},
        "meeting": {"start": "2026-03-16T10:00", "place": "Mødelokale 2"},
    }
)


def _forms(template_id: str = "mus-scored-da") -> tuple[musforms.FilledForm, musforms.FilledForm]:
    template = musforms.load_template(template_id)
    employee = musforms.parse(
        musforms.render(
            template,
            "docx",
            role="employee",
            context=CONTEXT,
            answers={
                "rate_quality": 2,
                "rate_efficiency": 4,
                "rate_customer_service": "not_relevant",
                "rate_safety": 5,
                "strengths": "=SUM(A1) grundig",
                "goals": "Lære KNX",
            },
        )
    )
    manager = musforms.parse(
        musforms.render(
            template,
            "docx",
            role="manager",
            context=CONTEXT,
            answers={
                "rate_quality": 4,
                "rate_efficiency": 3,
                "rate_customer_service": 3,
                "rate_safety": 5,
                "strengths": "Stabil",
                "agreements": [
                    {"action": "KNX-kursus", "owner": "employee", "deadline": "2026-06-01", "method": "course"}
                ],
            },
        )
    )
    return employee, manager


def test_compare_gaps_and_flags() -> None:
    employee, manager = _forms()
    comparison = compare(manager, employee)  # either order
    pairs = {p.field_id: p for p in comparison.ratings}
    assert (pairs["rate_quality"].gap, pairs["rate_quality"].flagged) == (2, True)
    assert (pairs["rate_efficiency"].gap, pairs["rate_efficiency"].flagged) == (-1, False)
    assert pairs["rate_customer_service"].gap is None and pairs["rate_customer_service"].flagged
    assert not pairs["rate_safety"].flagged and pairs["rate_deadlines"].gap is None
    assert {p.field_id for p in comparison.flagged} == {"rate_quality", "rate_customer_service"}
    strengths = next(a for a in comparison.open_answers if a.field_id == "strengths")
    assert (strengths.employee, strengths.manager) == ("=SUM(A1) grundig", "Stabil")
    assert all(a.field_id != "prep_info_to_give" for a in comparison.open_answers)  # manager-only stays out
    assert json.loads(json.dumps(comparison.to_dict()))["subject_id"] == "E7"


def test_compare_refuses_forms_that_do_not_belong_together() -> None:
    employee, _manager = _forms()
    other = musforms.parse(
        musforms.render(
            "mus-scored-da",
            "docx",
            role="manager",
            context=CONTEXT.model_copy(update={"employee": musforms.Person(id="E8", name="Bo")}),
        )
    )
    with pytest.raises(ComparisonError, match=r"different employees: 'E7'.*'E8'"):
        compare(employee, other)
    soft = musforms.parse(musforms.render("mus-soft-da", "docx", role="manager", context=CONTEXT))
    with pytest.raises(ComparisonError, match=r"different templates: mus-scored-da 1\.0 .* mus-soft-da 1\.0"):
        compare(employee, soft)
    with pytest.raises(ComparisonError, match="employee's and the manager's form"):
        compare(employee, employee)


def test_talk_form_docx_has_both_sides_the_gaps_and_room_for_notes() -> None:
    employee, manager = _forms()
    data = render_talk(None, employee, manager)
    import docx

    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    titles = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "MF Section"]
    assert [t.split("\t")[0] for t in titles[:5]] == [
        "1. Indledning",
        "2. Fortid – status siden sidste MUS",
        "3. Nutid og fremtid",
        "4. Samarbejde og trivsel",
        "5. Afslutning",
    ]
    assert titles[1].endswith("ca. 10 min.") and titles[2].endswith("ca. 30 min.")
    assert "Lederens forberedelse" not in text  # the manager's own preparation is not shared
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "=SUM(A1) grundig" in "\n".join(cells) and "Stabil" in "\n".join(cells)
    assert cells.count("Noter og konklusioner") >= 5
    quality_row = next(r for t in document.tables for r in t.rows if r.cells[0].text.startswith("Opgaverne løses"))
    assert [c.text for c in quality_row.cells[1:]] == ["2", "4", "+2"]
    shading = quality_row.cells[0]._tc.xpath(".//w:shd/@w:fill")
    assert shading == ["FBE3D6"]  # the gap is marked
    assert "KNX-kursus" in text  # the agreements noted in the preparation
    # the closing part ends with the box for the employee's feedback on the talk (guide 3.5), before the conclusions
    feedback = text.index("Feedback på samtalen")
    assert text.index("5. Afslutning") < feedback < text.index("6. Konklusioner og aftaler")
    assert "Hvad har været godt ved samtalen?" in cells and "Hvad bør gøres anderledes til næste MUS?" in cells


def test_talk_form_xlsx_keeps_text_as_text() -> None:
    employee, manager = _forms()
    workbook = openpyxl.load_workbook(io.BytesIO(render_talk(None, employee, manager, "xlsx")))
    sheet = workbook.active
    assert sheet is not None
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "=SUM(A1) grundig" in values
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=SUM(A1) grundig")
    assert cell.data_type == "s"
    feedback = values.index("Feedback på samtalen")
    assert values.index("5. Afslutning (ca. 5 min.)") < feedback < values.index("6. Konklusioner og aftaler")
    assert "Hvad har været godt ved samtalen?" in values[feedback:]
    prompts = {dv.prompt for dv in sheet.data_validations.dataValidation}
    assert "Hvad bør gøres anderledes til næste MUS?" in prompts  # the cell to write in says what it is for


def test_plan_from_the_talk_and_follow_up_from_the_plan() -> None:
    employee, manager = _forms()
    plan = musforms.parse(render_plan(CONTEXT, employee, manager))
    assert plan.template_id == "plan-da" and plan.subject_id == "E7" and plan.issues == ()
    assert plan.answers["agreements"] == [
        AgreementRow(action="KNX-kursus", owner="employee", deadline=dt.date(2026, 6, 1), method="course")
    ]
    assert plan.answers["followup_date"] == dt.date(2026, 9, 16)
    assert plan.answers["next_mus_date"] == dt.date(2027, 3, 16)
    followup = musforms.parse(render_followup(CONTEXT, plan))
    assert followup.template_id == "followup-da"
    assert [r.action for r in followup.answers["agreements"]] == ["KNX-kursus"]
    assert followup.answers["next_mus_date"] == dt.date(2027, 3, 16)
    from_scratch = musforms.parse(render_plan(CONTEXT, template="plan-en", answers={"goals": "Lead a team"}))
    assert from_scratch.answers["goals"] == "Lead a team" and from_scratch.answers["agreements"] is None


def test_plan_takes_both_signatures_in_one_copy() -> None:
    plan = musforms.load_template("plan-da")
    assert {f.id for f in plan.answer_fields("manager")} >= {"sign_employee", "sign_manager"}
    data = render_plan(
        CONTEXT,
        answers={
            "sign_employee": {"name": "Ida Holm", "date": "2026-03-20"},
            "sign_manager": {"name": "Lars Holm", "date": "2026-03-21"},
        },
    )
    form = musforms.parse(data)
    assert form.answers["sign_employee"].name == "Ida Holm" and form.answers["sign_manager"].name == "Lars Holm"


def test_add_months() -> None:
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 3, 16), 12) == dt.date(2027, 3, 16)


# -- collect ------------------------------------------------------------------------------------------------


def _write_round(folder: Path, count: int) -> list[Path]:
    """``count`` employees' preparation forms (both roles), a plan for every fifth, and some bad files."""
    template = musforms.load_template("mus-scored-da")
    files = []
    for i in range(count):
        department = ["Service", "Byggeri", "Lager"][i % 3]
        context = CONTEXT.model_copy(
            update={"employee": musforms.Person(id=f"E{i:04d}", name=f"Person {i}", department=department)}
        )
        comment = '=HYPERLINK("http://x")' if i % 7 == 0 else "+45 1234"
        for role, quality in (("employee", 1 + i % 5), ("manager", 1 + (i + 2) % 5)):
            answers: dict[str, Any] = {
                "rate_quality": quality,
                "rate_safety": 4,
                "strengths": comment,
                "development_methods": ["course", "mentoring"][: 1 + i % 2],
            }
            if role == "manager":
                answers["agreements"] = [{"action": "@kursus", "owner": "employee", "deadline": "2026-01-15"}]
            path = folder / department / f"{i:04d}-{role}.docx"
            path.parent.mkdir(parents=True, exist_ok=True)
            data = musforms.render(template, "docx", role=role, context=context, answers=answers)
            if i % 50 == 3 and role == "employee":  # a form with issues: two points ticked
                from .docxtools import edit_part, set_tick

                data = edit_part(
                    data,
                    "word/document.xml",
                    lambda x: set_tick(set_tick(x, "rate_quality", "p1", True), "rate_quality", "p5", True),
                )
            path.write_bytes(data)
            files.append(path)
    (folder / "Lager" / "broken.docx").write_bytes(b"PK\x03\x04broken")
    (folder / "Lager" / "notes.xlsx").write_bytes(b"not a workbook")
    return files


def test_collect_500_forms_reports_every_form_and_issue(tmp_path: Path) -> None:
    files = _write_round(tmp_path / "round", 250)
    assert len(files) == 500
    collection = collect(tmp_path / "round", today=dt.date(2026, 3, 1))
    assert len(collection.files) == 502 and len(collection.forms) == 500
    unread = {Path(f.path).name for f in collection.files if f.form is None}
    assert unread == {"broken.docx", "notes.xlsx"}
    issues = collection.issues()
    ambiguous = [i for i in issues if i["code"] == "value.ambiguous"]
    assert len(ambiguous) == 5
    assert all(
        i["field_id"] == "rate_quality" and i["raw"].startswith("1, ") and i["raw"].endswith("5") for i in ambiguous
    )
    assert {i["file"] for i in issues if i["code"].startswith("parse.")} == {
        str(tmp_path / "round" / "Lager" / "broken.docx"),
        str(tmp_path / "round" / "Lager" / "notes.xlsx"),
    }
    comparisons = collection.comparisons()
    assert len(comparisons) == 250
    agreements = collection.agreements()
    assert len(agreements) == 250 and all(a["overdue"] for a in agreements)
    ratings = {(r["department"], r["field_id"]): r for r in collection.department_ratings(collection.templates)}
    service = ratings[("Service", "rate_safety")]
    assert service["employee_average"] == 4.0 and service["employee_spread"] == 0.0
    assert ratings[("Service", "rate_quality")]["employee_n"] >= 80

    for suffix in ("xlsx", "csv", "json"):
        write_summary(collection, tmp_path / f"summary.{suffix}")
    data = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert len(data["files"]) == 502 and len(data["issues"]) == len(issues)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "summary.csv").read_text(encoding="utf-8"))))
    texts = [r["raw"] for r in rows if r["raw"]] + [r["action"] for r in rows if r["action"]]
    assert all(not t.startswith(("=", "+", "-", "@")) for t in texts)
    assert "'@kursus" in texts
    workbook = openpyxl.load_workbook(tmp_path / "summary.xlsx")
    assert {
        "files",
        "issues",
        "employees",
        "comparisons",
        "agreements",
        "department_ratings",
        "development_needs",
    } <= set(workbook.sheetnames)
    with zipfile.ZipFile(tmp_path / "summary.xlsx") as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in sheet for sheet in sheets)  # no formula anywhere
        assert any(n.startswith("xl/charts/") for n in archive.namelist())


def test_collect_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write_round(tmp_path / "round", 6)
    code = main(["collect", str(tmp_path / "round"), "--out", str(tmp_path / "s.xlsx"), "--today", "2026-03-01"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "14 files, 12 forms read, 2 not read" in out and "6 overdue agreements" in out
    assert "broken.docx: not read" in err
    assert main(["collect", str(tmp_path / "round"), "--out", str(tmp_path / "s.json"), "--strict"]) == 1
    capsys.readouterr()
    with pytest.raises(musforms.MusformsError, match=r"must be \.xlsx, \.csv or \.json"):
        write_summary(collect(tmp_path / "round"), tmp_path / "s.txt")


def test_collect_passes_over_invitation_letters(tmp_path: Path) -> None:
    rows = [{"employee_id": "E1", "name": "Ida", "manager_name": "Lars", "meeting_start": "2030-03-20 10:00"}]
    musforms.build_packs("mus-soft-da", rows, tmp_path, today=dt.date(2030, 3, 1))
    collection = collect(tmp_path)
    letters = [f for f in collection.files if f.skipped]
    assert [Path(f.path).name for f in letters] == ["1-invitation.docx"]
    assert letters[0].skipped == "a musforms invitation, not a form"
    assert len(collection.forms) == 2 and collection.unread == [] and collection.issues() == []
