"""The roster of a round of talks: one row per employee, from CSV, XLSX or Python, checked row by row."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from musforms._model.context import Context
from musforms._model.messages import error_message, path_name
from musforms.errors import RosterError, RosterProblem

__all__ = ["COLUMNS", "Roster", "RosterRow", "read_roster"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "employee_id": ("employee_id", "id", "medarbejder_id", "medarbejdernummer", "medarbejdernr", "mednr"),
    "name": ("name", "employee_name", "navn", "medarbejder", "medarbejder_navn"),
    "email": ("email", "e_mail", "employee_email", "mail", "medarbejder_email"),
    "job_title": ("job_title", "title", "stilling", "jobtitel"),
    "department": ("department", "afdeling"),
    "manager_id": ("manager_id", "leder_id", "ledernummer"),
    "manager_name": ("manager_name", "manager", "leder", "leder_navn", "ledernavn"),
    "manager_email": ("manager_email", "manager_e_mail", "leder_email", "leder_e_mail", "leder_mail"),
    "meeting_start": ("meeting_start", "meeting", "start", "tidspunkt", "modestart", "motestart", "samtale"),
    "duration": ("duration", "duration_minutes", "minutes", "varighed", "minutter"),
    "place": ("place", "location", "room", "sted", "lokale"),
    "language": ("language", "lang", "sprog"),
    "template": ("template", "skabelon"),
}
"""Each roster column and the headings it may have (English or Danish; case, spaces, hyphens and Danish
letters do not matter: ``Mødestart``, ``møde-start`` and ``MODESTART`` are the same)."""

REQUIRED = ("employee_id", "name", "meeting_start")
_CONTEXT_COLUMNS: dict[tuple[int | str, ...], str] = {
    ("employee", "id"): "employee_id",
    ("employee", "name"): "name",
    ("employee", "email"): "email",
    ("employee", "job_title"): "job_title",
    ("employee", "department"): "department",
    ("manager", "id"): "manager_id",
    ("manager", "name"): "manager_name",
    ("manager", "email"): "manager_email",
    ("meeting", "start"): "meeting_start",
    ("meeting", "duration_minutes"): "duration",
    ("meeting", "place"): "place",
}
"""The roster column of each value of the context a row makes (for the messages about it)."""
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d.%m.%Y %H:%M",
    "%d/%m/%Y %H:%M",
    "%d-%m-%Y kl. %H:%M",
    "%d.%m.%Y kl. %H.%M",
    "%d-%m-%Y kl. %H.%M",
)


@dataclass(frozen=True)
class RosterRow:
    """One good row: who the forms are for, and which template and language to use."""

    row: int
    context: Context
    template: str | None = None
    language: str | None = None

    @property
    def employee_id(self) -> str:
        """The employee's id."""
        assert self.context.employee.id is not None
        return self.context.employee.id


@dataclass
class Roster:
    """The rows that can be used, and every problem found (errors for rows left out, warnings for kept ones)."""

    file: str
    rows: list[RosterRow] = field(default_factory=list)
    problems: list[RosterProblem] = field(default_factory=list)
    rejected: dict[int, dict[str, str]] = field(default_factory=dict)
    """The rows left out, by row number: every value that could be read from each, by column name."""

    @property
    def errors(self) -> list[RosterProblem]:
        """The problems that left a row out."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[RosterProblem]:
        """The problems of rows that were kept."""
        return [p for p in self.problems if p.severity == "warning"]


def _key(heading: str) -> str:
    text = heading.strip().lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


_ALIASES = {_key(alias): column for column, aliases in COLUMNS.items() for alias in aliases}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_meeting_start(text: str) -> dt.datetime | None:
    """A meeting time written as ``2026-03-16 10:00``, ``16-03-2026 10:00``, ``16.03.2026 kl. 10.00``, ..."""
    text = " ".join(text.split())
    for pattern in _DATETIME_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def read_roster(
    source: str | Path | Iterable[Mapping[str, Any] | Context],
    *,
    today: dt.date | None = None,
) -> Roster:
    """Read and check a roster: a CSV or XLSX file, or rows given in Python (mappings or Contexts).

    Every bad row is reported (file, row, column) and left out; the good rows are kept. A meeting less than
    a week away is a warning (the guide asks for the invitation 1–2 weeks before). Raises
    :class:`RosterError` only when nothing can be used: an unreadable file, or required columns missing.
    """
    today = today or dt.date.today()
    if isinstance(source, str | Path):
        path = Path(source)
        name = str(path)
        records, warnings = _read_file(path)
    else:
        name = "<rows>"
        records, warnings = [_from_python(item) for item in source], []
    roster = Roster(name, problems=list(warnings))
    if not records:
        raise RosterError([RosterProblem("the roster has no rows", name)])
    headings = set().union(*(r.keys() for r in records))
    missing = [c for c in REQUIRED if c not in headings]
    if missing:
        raise RosterError(
            [
                RosterProblem(
                    f"the roster has no column '{c}' (headings it may have: {', '.join(COLUMNS[c])})", name, 1, c
                )
                for c in missing
            ]
        )
    seen: dict[str, int] = {}
    for number, record in enumerate(records, start=2):
        _check_row(roster, number, record, seen, today)
    return roster


_Records = tuple[list[dict[str, str]], list[RosterProblem]]


def _read_file(path: Path) -> _Records:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RosterError([RosterProblem(f"cannot read the file: {exc.strerror}", str(path))]) from None
    if data.startswith(b"PK"):
        return _read_xlsx(data, str(path))
    # Excel's "Unicode text" is UTF-16 with a byte order mark (and tabs between the columns).
    encodings = ("utf-16",) if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RosterError(
            [
                RosterProblem(
                    "the file is neither UTF-8, UTF-16 (with its byte order mark) nor Windows-1252 text", str(path)
                )
            ]
        )
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows = list(reader)
    return _records(rows, str(path))


def _read_xlsx(data: bytes, name: str) -> _Records:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise RosterError([RosterProblem(f"not a readable .xlsx file ({type(exc).__name__})", name)]) from None
    sheet = workbook.worksheets[0]
    rows = [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return _records(rows, name)


def _records(rows: list[list[str]], name: str) -> _Records:
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return [], []
    columns: list[str | None] = []
    problems = []
    for index, heading in enumerate(rows[0], start=1):
        key = _ALIASES.get(_key(heading))
        if key is None and heading.strip():
            problems.append(
                RosterProblem(f"unknown column heading '{heading}' (ignored)", name, 1, heading, severity="warning")
            )
        if key is not None and key in columns:
            raise RosterError([RosterProblem(f"two columns mean '{key}' (column {index})", name, 1, heading)])
        columns.append(key)
    records = []
    for row in rows[1:]:
        record = {column: _cell(value) for column, value in zip(columns, row, strict=False) if column is not None}
        records.append(record)
    return records, problems


def _from_python(item: Mapping[str, Any] | Context) -> dict[str, str]:
    if isinstance(item, Context):
        employee, manager, meeting = item.employee, item.manager, item.meeting
        return {
            "employee_id": employee.id or "",
            "name": employee.name,
            "email": employee.email or "",
            "job_title": employee.job_title or "",
            "department": employee.department or "",
            "manager_id": (manager.id or "") if manager else "",
            "manager_name": manager.name if manager else "",
            "manager_email": (manager.email or "") if manager else "",
            "meeting_start": meeting.start.strftime("%Y-%m-%d %H:%M") if meeting and meeting.start else "",
            "duration": str(meeting.duration_minutes) if meeting else "",
            "place": (meeting.place or "") if meeting else "",
        }
    return {
        key: _cell(value) for heading, value in item.items() if (key := _ALIASES.get(_key(str(heading)))) is not None
    }


def _check_row(roster: Roster, number: int, record: dict[str, str], seen: dict[str, int], today: dt.date) -> None:
    name = roster.file
    problems: list[RosterProblem] = []

    def problem(column: str, message: str, severity: Literal["error", "warning"] = "error") -> None:
        problems.append(RosterProblem(message, name, number, column, severity))

    employee_id = record.get("employee_id", "")
    if not employee_id:
        problem("employee_id", "the employee id is missing")
    elif employee_id in seen:
        problem("employee_id", f"employee id '{employee_id}' is used again (first on row {seen[employee_id]})")
    else:
        seen[employee_id] = number
    if not record.get("name"):
        problem("name", "the employee's name is missing")
    for column in ("email", "manager_email"):
        value = record.get(column, "")
        if value and not _EMAIL.match(value):
            problem(column, f"'{value}' is not an e-mail address")
    start = None
    raw_start = record.get("meeting_start", "")
    if not raw_start:
        problem("meeting_start", "the meeting's start is missing")
    else:
        start = parse_meeting_start(raw_start)
        if start is None:
            problem(
                "meeting_start",
                f"'{raw_start}' is not a date and time (write it as 2026-03-16 10:00 or 16-03-2026 10:00)",
            )
        elif start.date() < today:
            problem("meeting_start", f"the meeting ({start:%Y-%m-%d}) is in the past")
        elif start.date() < today + dt.timedelta(days=7):
            problem(
                "meeting_start",
                f"the meeting ({start:%Y-%m-%d}) is less than a week away; the invitation should go out 1–2 "
                "weeks before",
                "warning",
            )
    duration = 60
    if record.get("duration"):
        try:
            duration = int(record["duration"])
            if not 5 <= duration <= 480:
                raise ValueError
        except ValueError:
            problem("duration", f"'{record['duration']}' is not a number of minutes between 5 and 480")
    language = record.get("language", "").lower() or None
    if language is not None and language not in ("da", "en"):
        problem("language", f"'{record['language']}' is not a language musforms has (da, en)")
    errors = [p for p in problems if p.severity == "error"]
    if not errors:
        try:
            context = Context.model_validate(
                {
                    "employee": {
                        "id": employee_id,
                        "name": record["name"],
                        "email": record.get("email") or None,
                        "job_title": record.get("job_title") or None,
                        "department": record.get("department") or None,
                    },
                    "manager": (
                        {
                            "id": record.get("manager_id") or None,
                            "name": record["manager_name"],
                            "email": record.get("manager_email") or None,
                        }
                        if record.get("manager_name")
                        else None
                    ),
                    "meeting": {"start": start, "duration_minutes": duration, "place": record.get("place") or None},
                }
            )
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                column = _CONTEXT_COLUMNS.get(tuple(error["loc"]), path_name(error["loc"]))
                problem(column, error_message(error, name=column))
        else:
            roster.rows.append(RosterRow(number, context, record.get("template") or None, language))
    roster.problems.extend(problems)
    if any(p.severity == "error" for p in problems):
        roster.rejected[number] = {column: value for column, value in record.items() if value}
