"""Rosters: CSV and XLSX in Danish or English, every bad row reported with file, row and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from musforms._model.context import SAMPLE_CONTEXT
from musforms._workflows.roster import read_roster
from musforms.errors import RosterError

TODAY = dt.date(2026, 3, 1)

DANISH = """\
Medarbejdernr;Navn;E-mail;Stilling;Afdeling;Leder-id;Leder;Leder e-mail;Mødestart;Varighed;Sted
E1;Mette Sørensen;mette@example.dk;Elektriker;Service;M1;Lars Holm;lars@example.dk;16-03-2026 10:00;60;Mødelokale 2
E2;Ida Holm;ida@example.dk;Montør;Service;M1;Lars Holm;lars@example.dk;16.03.2026 kl. 13.00;45;Kontoret
"""


def test_danish_headings_and_formats(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(DANISH, encoding="utf-8")
    roster = read_roster(path, today=TODAY)
    assert roster.problems == []
    first, second = roster.rows
    assert first.context.employee.name == "Mette Sørensen" and first.context.manager is not None
    assert first.context.manager.email == "lars@example.dk" and first.context.manager.id == "M1"
    assert second.context.meeting is not None
    assert second.context.meeting.start == dt.datetime(2026, 3, 16, 13, 0)
    assert second.context.meeting.duration_minutes == 45


def test_windows_1252_csv_with_comma(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    text = "employee_id,name,meeting_start\nE1,Søren Ærø,2026-03-20 09:00\n"
    path.write_bytes(text.encode("cp1252"))
    (row,) = read_roster(path, today=TODAY).rows
    assert row.context.employee.name == "Søren Ærø"


def test_xlsx_roster(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Employee ID", "Name", "Manager", "Meeting start", "Place"])
    sheet.append(["E9", "Anna Berg", "Lars Holm", dt.datetime(2026, 3, 20, 9, 30), "Room 1"])
    sheet.append([10, "Bo Ek", None, "2026-03-21 10:00", None])
    path = tmp_path / "roster.xlsx"
    workbook.save(path)
    roster = read_roster(path, today=TODAY)
    assert [r.employee_id for r in roster.rows] == ["E9", "10"]
    assert roster.rows[0].context.meeting is not None and roster.rows[0].context.meeting.place == "Room 1"
    assert roster.rows[1].context.manager is None


def test_every_bad_row_is_reported_and_the_good_ones_kept(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(
        "employee_id,name,email,manager_name,meeting_start,duration,language,Extra\n"
        "E1,Mette,mette@example.dk,Lars,2026-03-20 10:00,,,\n"
        "E1,Per,per@example.dk,Lars,2026-03-21 10:00,,,\n"
        "E3,,x@example.dk,Lars,2026-03-21 10:00,,,\n"
        "E4,Ida,ida@,Lars,2026-03-21 10:00,,,\n"
        "E5,Bo,bo@example.dk,Lars,2026-02-31 10:00,,,\n"
        "E6,Ane,ane@example.dk,Lars,2026-03-22 10:00,many,,\n"
        "E7,Kim,kim@example.dk,Lars,2026-03-22 10:00,,fr,\n"
        "E8,Eva,eva@example.dk,Lars,2026-03-04 10:00,,,\n"
        "E9,Ole,ole@example.dk,Lars,2026-02-20 10:00,,,\n",
        encoding="utf-8",
    )
    roster = read_roster(path, today=TODAY)
    assert [r.employee_id for r in roster.rows] == ["E1", "E8"]
    errors = {(p.row, p.column) for p in roster.errors}
    assert errors == {
        (3, "employee_id"),
        (4, "name"),
        (5, "email"),
        (6, "meeting_start"),
        (7, "duration"),
        (8, "language"),
        (10, "meeting_start"),
    }
    (soon,) = [p for p in roster.warnings if p.row == 9]
    assert "less than a week away" in soon.message
    assert any(p.column == "Extra" and "unknown column" in p.message for p in roster.warnings)
    assert str(roster.errors[0]).startswith(f"{path}:3 [employee_id]: error: employee id 'E1' is used again")


def test_unusable_rosters(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("employee_id,name,meeting_start\n", encoding="utf-8")
    with pytest.raises(RosterError, match="no rows"):
        read_roster(empty)
    no_columns = tmp_path / "cols.csv"
    no_columns.write_text("id,navn\nE1,Mette\n", encoding="utf-8")
    with pytest.raises(RosterError, match="no column 'meeting_start'") as info:
        read_roster(no_columns)
    assert info.value.problems[0].row == 1
    with pytest.raises(RosterError, match="cannot read"):
        read_roster(tmp_path / "missing.csv")
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(RosterError, match=r"not a readable \.xlsx"):
        read_roster(fake)


def test_rows_from_python() -> None:
    roster = read_roster(
        [SAMPLE_CONTEXT, {"Medarbejdernr": "E2", "Navn": "Ida", "Mødestart": "2026-03-20 10:00"}], today=TODAY
    )
    assert [r.employee_id for r in roster.rows] == ["E-0001", "E2"]
    assert roster.rows[0].context.employee.job_title == "Elektriker"


@pytest.mark.parametrize(
    ("encoding", "separator"),
    [("utf-16", "\t"), ("utf-16-le", "\t"), ("utf-16-be", "\t"), ("utf-8-sig", ";"), ("utf-8-sig", "\t")],
)
def test_rosters_as_excel_saves_unicode_text(tmp_path: Path, encoding: str, separator: str) -> None:
    """Excel's "Unicode text" is UTF-16 with a byte order mark and tabs; "CSV UTF-8" has a UTF-8 BOM."""
    path = tmp_path / "roster.txt"
    text = DANISH.replace(";", separator)
    bom = {"utf-16-le": "\ufeff", "utf-16-be": "\ufeff"}.get(encoding, "")
    path.write_bytes((bom + text).encode(encoding))
    roster = read_roster(path, today=TODAY)
    assert roster.problems == []
    assert [(r.employee_id, r.context.employee.name) for r in roster.rows] == [
        ("E1", "Mette Sørensen"),
        ("E2", "Ida Holm"),
    ]


def test_a_file_in_no_known_text_encoding_is_named(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(b"\xff\xfe" + b"\x00\xd8")  # a UTF-16 mark followed by half a surrogate pair
    with pytest.raises(RosterError, match="neither UTF-8, UTF-16"):
        read_roster(path, today=TODAY)


def test_a_row_left_out_keeps_every_value_read(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(
        "employee_id;name;email;meeting_start;place\n"
        "E1;Mette Sørensen;mette@example.dk;2026-03-16 10:00;Rum 1\n"
        "E2;Ida Holm;not-an-address;2026-03-16 11:00;Rum 2\n"
        "E1;Bo Ek;;someday;\n",
        encoding="utf-8",
    )
    roster = read_roster(path, today=TODAY)
    assert [r.employee_id for r in roster.rows] == ["E1"]
    assert roster.rejected == {
        3: {
            "employee_id": "E2",
            "name": "Ida Holm",
            "email": "not-an-address",
            "meeting_start": "2026-03-16 11:00",
            "place": "Rum 2",
        },
        4: {"employee_id": "E1", "name": "Bo Ek", "meeting_start": "someday"},
    }
