"""Last year's agreements carried into this year's forms through the public API: ``render(previous=...)``,
``carried_agreements``, ``build_packs(previous=..., signing_key=...)`` and ``musforms pack --previous``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import musforms
from musforms import AgreementRow, CarryOverError, Context, FilledForm, carried_agreements, parse, render
from musforms._cli.main import main
from musforms._core.carry import status_field

TODAY = dt.date(2026, 3, 1)
CONTEXT = Context.model_validate(
    {
        "employee": {"id": "E-0001", "name": "Mette Sørensen"},
        "manager": {"id": "M-01", "name": "Lars Holm"},
        "meeting": {"start": "2025-03-17T10:00:00", "place": "Mødelokale 2"},
    }
)
LAST_YEAR = [
    {"action": "KNX-kursus", "owner": "employee", "deadline": "2025-09-01", "method": "course"},
    {"action": "Sidemandsoplæring i service", "owner": "manager", "deadline": "2025-11-30"},
]
STATUS_TEMPLATES = [
    info.id for info in musforms.list_templates() if status_field(musforms.load_template(info.id)) is not None
]
KEY = "a signing key of the HR system, 32+"


def _plan(language: str) -> FilledForm:
    """Last year's development plan, as completed and read back."""
    data = musforms.render_plan(CONTEXT, template=f"plan-{language}", answers={"agreements": LAST_YEAR})
    return parse(data)


def _expected(template: musforms.Template, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The carried rows as the status table shows them: its own columns only."""
    field = status_field(template)
    assert field is not None
    return [
        {c: AgreementRow.model_validate(row).model_dump()[c] for c in field.columns if c not in ("status", "comment")}
        for row in rows
    ]


def _shown(form: FilledForm, field_id: str, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    return [
        {c: row.model_dump()[c] for c in columns if c not in ("status", "comment")} for row in form.answers[field_id]
    ]


def test_every_builtin_status_table_is_found() -> None:
    assert sorted(STATUS_TEMPLATES) == [
        "followup-da",
        "followup-en",
        "mus-scored-da",
        "mus-scored-en",
        "mus-soft-da",
        "mus-soft-en",
    ]


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
@pytest.mark.parametrize("template_id", STATUS_TEMPLATES)
def test_last_years_plan_prefills_the_status_table(template_id: str, fmt: str) -> None:
    template = musforms.load_template(template_id)
    field = status_field(template)
    assert field is not None
    plan = _plan(template.language)
    data = render(template, fmt, role="employee", context=CONTEXT, previous=plan)
    form = parse(data)
    assert _shown(form, field.id, field.columns) == _expected(template, LAST_YEAR)
    assert [(row.status, row.comment) for row in form.answers[field.id]] == [(None, None), (None, None)]
    assert form.context is not None
    assert [row.action for row in form.context.previous_agreements] == [r["action"] for r in LAST_YEAR]


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_plain_rows_with_a_deadline_column_the_table_lacks(fmt: str) -> None:
    template = musforms.load_template("mus-scored-da")
    assert "deadline" not in template.field("previous_agreements_status").columns
    with pytest.raises(musforms.RenderError, match="deadline"):  # the problem carry-over solves
        render(template, fmt, role="employee", context=CONTEXT, answers={"previous_agreements_status": LAST_YEAR})
    for previous in (LAST_YEAR, [AgreementRow.model_validate(row) for row in LAST_YEAR], tuple(LAST_YEAR)):
        form = parse(render(template, fmt, role="manager", context=CONTEXT, previous=previous))
        assert _shown(form, "previous_agreements_status", ("action", "owner")) == [
            {"action": "KNX-kursus", "owner": "employee"},
            {"action": "Sidemandsoplæring i service", "owner": "manager"},
        ]
        assert form.context is not None
        assert form.context.previous_agreements[0].deadline == dt.date(2025, 9, 1)  # the texts keep every column


def test_a_parsed_preparation_form_carries_its_agreements_not_its_status_table() -> None:
    last_year = parse(
        render(
            "mus-scored-da",
            "docx",
            role="employee",
            context=CONTEXT,
            answers={
                "previous_agreements_status": [{"action": "Forrige års aftale", "status": "done"}],
                "agreements": LAST_YEAR,
            },
        )
    )
    assert [row.action for row in carried_agreements(last_year)] == ["KNX-kursus", "Sidemandsoplæring i service"]
    form = parse(render("mus-soft-da", "xlsx", role="employee", context=CONTEXT, previous=last_year))
    assert [row.action for row in form.answers["previous_agreements_status"]] == [
        "KNX-kursus",
        "Sidemandsoplæring i service",
    ]


def test_a_form_without_an_agreements_field_carries_its_first_table_that_holds_rows() -> None:
    form = FilledForm(
        template_id="x",
        template_version="1",
        fingerprint="f",
        role="manager",
        form_id="1",
        format="docx",
        answers={"notes": "text", "empty": [], "talk_agreements": [{"action": "Mentorordning"}]},
    )
    assert carried_agreements(form) == (AgreementRow(action="Mentorordning"),)
    assert carried_agreements(form.model_copy(update={"answers": {"notes": "text"}})) == ()


def test_a_redacted_form_is_refused() -> None:
    redacted = musforms.redact(_plan("da"))
    with pytest.raises(CarryOverError, match="was redacted"):
        render("mus-scored-da", "docx", role="employee", context=CONTEXT, previous=redacted)


def test_a_followups_status_and_comment_are_carried() -> None:
    followup = parse(musforms.render_followup(CONTEXT, _plan("da"), template="followup-da")).answers["agreements"]
    assert [row.action for row in followup] == ["KNX-kursus", "Sidemandsoplæring i service"]
    rows = [followup[0].model_copy(update={"status": "in_progress", "comment": "Halvvejs"}), followup[1]]
    form = parse(render("mus-scored-en", "docx", role="employee", context=CONTEXT, previous=rows))
    status = form.answers["previous_agreements_status"]
    assert [(r.action, r.status, r.comment) for r in status] == [
        ("KNX-kursus", "in_progress", "Halvvejs"),
        ("Sidemandsoplæring i service", None, None),
    ]


def test_explicit_answers_for_the_status_table_win() -> None:
    mine = [{"action": "Min egen opsummering", "status": "done"}]
    form = parse(
        render(
            "mus-scored-da",
            "docx",
            role="employee",
            context=CONTEXT,
            previous=LAST_YEAR,
            answers={"previous_agreements_status": mine, "goals": "Mål"},
        )
    )
    assert [(r.action, r.status) for r in form.answers["previous_agreements_status"]] == [
        ("Min egen opsummering", "done")
    ]
    assert form.answers["goals"] == "Mål"
    assert form.context is not None and len(form.context.previous_agreements) == 2


def test_a_template_without_a_status_table_takes_the_agreements_for_its_texts_only() -> None:
    form = parse(render("plan-da", "docx", role="manager", context=CONTEXT, previous=LAST_YEAR))
    assert form.answers["agreements"] is None
    assert form.context is not None and len(form.context.previous_agreements) == 2


def test_no_agreements_leave_the_context_as_it_is() -> None:
    context = CONTEXT.model_copy(update={"previous_agreements": (AgreementRow(action="Fra konteksten"),)})
    form = parse(render("mus-scored-da", "docx", role="employee", context=context, previous=[]))
    assert form.answers["previous_agreements_status"] is None
    assert form.context is not None
    assert [row.action for row in form.context.previous_agreements] == ["Fra konteksten"]


def test_more_agreements_than_the_table_has_rows_is_said() -> None:
    rows = [{"action": f"Aftale {n}"} for n in range(1, 7)]
    with pytest.raises(CarryOverError) as info:
        render("mus-scored-da", "docx", role="employee", context=CONTEXT, previous=rows)
    assert info.value.code == "carryover.invalid"
    assert "6 agreements" in info.value.message and "'previous_agreements_status'" in info.value.message
    assert "5 rows" in info.value.message


@pytest.mark.parametrize(
    ("previous", "named"),
    [
        ("KNX-kursus", "str 'KNX-kursus'"),
        (42, "int 42"),
        ({"action": "KNX-kursus"}, "dict {'action': 'KNX-kursus'}"),
        (AgreementRow(action="KNX-kursus"), "AgreementRow"),
        ([42], "agreement 1 is an agreement row"),
        ([{"action": "A"}, "B"], "agreement 2 is an agreement row (AgreementRow or a mapping with 'action'), not str"),
        ([{"what": "KNX-kursus"}], "agreement 1 cannot be carried over: missing key 'action'; unknown key 'what'"),
        ([{"action": "A", "deadline": "snart"}], "deadline must be a date"),
    ],
)
def test_what_is_not_last_years_agreements_is_a_musforms_error(previous: Any, named: str) -> None:
    with pytest.raises(CarryOverError) as info:
        render("mus-scored-da", "docx", role="employee", context=CONTEXT, previous=previous)
    assert named in info.value.message
    with pytest.raises(CarryOverError):
        carried_agreements(previous)


def test_context_takes_a_list_or_a_tuple_of_agreements() -> None:
    row = AgreementRow(action="KNX-kursus")
    as_list = Context(employee=musforms.Person(name="Mette"), previous_agreements=[row])
    as_tuple = Context(employee=musforms.Person(name="Mette"), previous_agreements=(row,))
    assert as_list == as_tuple and as_list.previous_agreements == (row,)
    with pytest.raises(ValueError, match="previous_agreements"):
        Context.model_validate({"employee": {"name": "Mette"}, "previous_agreements": "KNX-kursus"})


# --- packs -------------------------------------------------------------------------------------------------


def _roster(count: int) -> list[dict[str, Any]]:
    return [
        {
            "employee_id": f"E{i}",
            "name": f"Medarbejder {i}",
            "manager_id": "M1",
            "manager_name": "Lars Holm",
            "meeting_start": f"2026-03-1{6 + i} 10:00",
        }
        for i in range(count)
    ]


def _last_year(employee_id: str, action: str) -> FilledForm:
    context = CONTEXT.model_copy(update={"employee": musforms.Person(id=employee_id, name="Medarbejder")})
    data = musforms.render_plan(context, answers={"agreements": [{"action": action, "owner": "employee"}]})
    return parse(data)


def _status(folder: Path, outcome: musforms.RowOutcome, **options: Any) -> list[str]:
    form = parse(folder / (outcome.folder or "") / "3-forberedelse-medarbejder.docx", **options)
    return [row.action for row in form.answers["previous_agreements_status"] or []]


def test_packs_take_a_list_of_forms_matched_by_employee(tmp_path: Path) -> None:
    forms = [_last_year("E1", "Kursus for E1"), _last_year("E0", "Kursus for E0")]
    report = musforms.build_packs("mus-scored-da", _roster(3), tmp_path, previous=forms, today=TODAY)
    assert report.ok, report.outcomes
    found = {o.employee_id: _status(tmp_path, o) for o in report.outcomes}
    assert found == {"E0": ["Kursus for E0"], "E1": ["Kursus for E1"], "E2": []}


def test_packs_take_a_mapping_by_employee_id(tmp_path: Path) -> None:
    previous = {
        "E0": _last_year("E0", "Kursus for E0"),
        "E1": [AgreementRow(action="Række for E1", deadline=dt.date(2025, 6, 1))],
        "E2": [{"action": "Mapping for E2", "deadline": "2025-06-01"}],
    }
    report = musforms.build_packs("mus-scored-da", _roster(3), tmp_path, previous=previous, today=TODAY)
    assert report.ok, report.outcomes
    found = {o.employee_id: _status(tmp_path, o) for o in report.outcomes}
    assert found == {"E0": ["Kursus for E0"], "E1": ["Række for E1"], "E2": ["Mapping for E2"]}


def test_two_forms_for_one_employee_are_refused_by_name(tmp_path: Path) -> None:
    forms = [_last_year("E0", "Den ene"), _last_year("E1", "En anden"), _last_year("E0", "Den anden")]
    with pytest.raises(CarryOverError, match="two of last year's forms for employee 'E0'"):
        musforms.build_packs("mus-scored-da", _roster(2), tmp_path, previous=forms, today=TODAY)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("previous", "named"),
    [
        ("last-year", "not str 'last-year'"),
        (7, "not int 7"),
        (_last_year("E0", "Alene"), "not FilledForm"),
        ([{"action": "KNX-kursus"}], "item 1 of previous is last year's form (a FilledForm or its file), not dict"),
        ({"E0": 7}, "last year's form of employee 'E0' is a FilledForm"),
        ({7: _last_year("E0", "X")}, "found the key 7"),
    ],
)
def test_packs_refuse_another_previous_with_a_musforms_error(tmp_path: Path, previous: Any, named: str) -> None:
    with pytest.raises(CarryOverError) as info:
        musforms.build_packs("mus-scored-da", _roster(1), tmp_path, previous=previous, today=TODAY)
    assert named in info.value.message


def test_packs_refuse_a_form_that_names_no_employee(tmp_path: Path) -> None:
    form = _last_year("E0", "X").model_copy(update={"subject_id": None})
    with pytest.raises(CarryOverError, match="names no employee"):
        musforms.build_packs("mus-scored-da", _roster(1), tmp_path, previous=[form], today=TODAY)


def test_packs_are_signed_and_parse_verifies_them(tmp_path: Path) -> None:
    roster = _roster(2)
    unsigned = musforms.build_packs("mus-scored-da", roster, tmp_path, today=TODAY, formats=("docx", "xlsx"))
    assert unsigned.count("built") == 2
    report = musforms.build_packs(
        "mus-scored-da", roster, tmp_path, today=TODAY, formats=("docx", "xlsx"), signing_key=KEY
    )
    assert report.count("built") == 2  # signing changes the pack: what was built without the key is built again
    for outcome in report.outcomes:
        folder = tmp_path / (outcome.folder or "")
        forms = [f for f in sorted(folder.iterdir()) if f.suffix in (".docx", ".xlsx") and "forberedelse" in f.name]
        assert len(forms) == 4
        for file in forms:
            assert parse(file, signing_key=KEY, subject_id=outcome.employee_id).signed == "verified"
            with pytest.raises(musforms.IdentityError):
                parse(file, signing_key="another key of 32 bytes or more!!")
    again = musforms.build_packs(
        "mus-scored-da", roster, tmp_path, today=TODAY, formats=("docx", "xlsx"), signing_key=KEY
    )
    assert again.count("skipped") == 2


def test_packs_refuse_a_bad_signing_key_before_building(tmp_path: Path) -> None:
    with pytest.raises(musforms.MusformsError, match="at least 16 bytes"):
        musforms.build_packs("mus-scored-da", _roster(1), tmp_path, today=TODAY, signing_key="short")
    assert not list(tmp_path.iterdir())


# --- the command line --------------------------------------------------------------------------------------


def _pack(tmp_path: Path, *previous: Path) -> list[str]:
    import csv

    roster = tmp_path / "roster.csv"
    rows = _roster(2)
    with roster.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    argv = ["pack", "--template", "mus-scored-da", "--roster", str(roster), "--out", str(tmp_path / "out")]
    argv += ["--today", TODAY.isoformat()]
    for path in previous:
        argv += ["--previous", str(path)]
    return argv


def test_cli_previous_folder_of_forms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "last-year"
    folder.mkdir()
    (folder / "e0.docx").write_bytes(
        musforms.render_plan(
            CONTEXT.model_copy(update={"employee": musforms.Person(id="E0", name="M")}),
            answers={"agreements": [{"action": "Fra docx"}]},
        )
    )
    (folder / "e1.json").write_text(_last_year("E1", "Fra JSON").to_json(), encoding="utf-8")
    assert main(_pack(tmp_path, folder)) == 0
    capsys.readouterr()
    out = tmp_path / "out"
    found = sorted(
        (parse(f).subject_id, [r.action for r in parse(f).answers["previous_agreements_status"]])
        for f in out.rglob("3-forberedelse-medarbejder.docx")
    )
    assert found == [("E0", ["Fra docx"]), ("E1", ["Fra JSON"])]


def test_cli_previous_errors_are_musforms_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"template_id": "plan-da", "role": "boss", "answers": {}}), encoding="utf-8")
    assert main(_pack(tmp_path, bad)) == 1
    err = capsys.readouterr().err
    assert f"'{bad}' is not a parsed form (musforms parse --json)" in err
    assert "role must be" in err and "missing key 'form_id'" in err
    assert "validation error" not in err and "pydantic" not in err and "Input should" not in err

    twice = tmp_path / "twice"
    twice.mkdir()
    for name in ("a.json", "b.json"):
        (twice / name).write_text(_last_year("E0", name).to_json(), encoding="utf-8")
    assert main(_pack(tmp_path, twice)) == 1
    err = capsys.readouterr().err
    assert "two of last year's forms for employee 'E0'" in err
    assert str(twice / "a.json") in err and str(twice / "b.json") in err

    assert main(_pack(tmp_path, tmp_path / "nowhere")) == 1
    assert "neither a file nor a folder" in capsys.readouterr().err
