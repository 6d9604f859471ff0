"""The summary of a collection as tables, written row by row as .xlsx, .csv or .json: each row once, none read back."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from musforms._model.template import Template
from musforms._workflows.collection import Collection, department_of
from musforms._workflows.summary_xlsx import Chart, Sheet, write_workbook
from musforms.errors import MusformsError

__all__ = ["COLUMNS", "summary_tables", "write_summary"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "files": ("file", "read", "template_id", "role", "employee_id", "issues", "error", "copy", "used", "other_copies"),
    "issues": ("file", "code", "severity", "field_id", "where", "message", "raw"),
    "employees": ("employee_id", "department", "forms", "flagged_items", "largest_gap", "agreements", "overdue"),
    "comparisons": ("employee_id", "field_id", "label", "employee", "manager", "gap", "flagged"),
    "agreements": (
        "employee_id",
        "department",
        "source",
        "action",
        "owner",
        "deadline",
        "method",
        "status",
        "comment",
        "overdue",
        "field_id",
        "file",
    ),
    "department_ratings": (
        "department",
        "template_id",
        "field_id",
        "label",
        "employee_n",
        "employee_average",
        "employee_spread",
        "manager_n",
        "manager_average",
        "manager_spread",
    ),
    "development_needs": ("department", "employee_id", "role", "field_id", "need"),
}
"""The summary's tables and their columns, in order."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Rows = Callable[[], Iterator[dict[str, Any]]]


def summary_tables(collection: Collection, templates: dict[str, Template]) -> dict[str, Rows]:
    """The summary's tables, each a function that yields its rows one at a time (so that a writer holds one
    row, not the table): the rows are made as they are written, each once."""
    return {
        "files": lambda: _files(collection),
        "issues": collection.iter_issues,
        "employees": lambda: _employees(collection, templates),
        "comparisons": lambda: _comparisons(collection, templates),
        "agreements": collection.iter_agreements,
        "department_ratings": lambda: iter(collection.department_ratings(templates)),
        "development_needs": lambda: collection.iter_development_needs(templates),
    }


def _files(collection: Collection) -> Iterator[dict[str, Any]]:
    for f in collection.files:
        yield {
            "file": f.path,
            "read": f.form is not None,
            "template_id": f.form.template_id if f.form else None,
            "role": f.form.role if f.form else None,
            "employee_id": f.form.subject_id if f.form else None,
            "issues": len(f.form.issues) if f.form else None,
            "error": f.error,
            "copy": f.copy,
            "used": f.used if f.form else None,
            "other_copies": "; ".join(f.copies) or None,
        }


def _employees(collection: Collection, templates: dict[str, Template]) -> Iterator[dict[str, Any]]:
    agreements: Counter[str] = Counter()
    overdue: Counter[str] = Counter()
    for row in collection.iter_agreements():
        agreements[row["employee_id"]] += 1
        overdue[row["employee_id"]] += row["overdue"]
    comparisons = collection.iter_comparisons(templates)
    pending = next(comparisons, None)
    for employee_id, kinds in collection.by_employee().items():
        comparison = None
        if pending is not None and pending[0] == employee_id:  # both walk the employees in the same order
            comparison = pending[1]
            pending = next(comparisons, None)
        some = next(iter(f for forms in kinds.values() for f in forms))
        yield {
            "employee_id": employee_id,
            "department": department_of(some),
            "forms": ", ".join(sorted(kinds)),
            "flagged_items": len(comparison.flagged) if comparison else None,
            "largest_gap": max((abs(p.gap) for p in comparison.ratings if p.gap is not None), default=None)
            if comparison
            else None,
            "agreements": agreements[employee_id],
            "overdue": overdue[employee_id],
        }


def _comparisons(collection: Collection, templates: dict[str, Template]) -> Iterator[dict[str, Any]]:
    for employee_id, comparison in collection.iter_comparisons(templates):
        for p in comparison.ratings:
            yield {
                "employee_id": employee_id,
                "field_id": p.field_id,
                "label": p.label,
                "employee": p.employee,
                "manager": p.manager,
                "gap": p.gap,
                "flagged": p.flagged,
            }


def _safe(value: Any) -> Any:
    """A value for a CSV cell: text that a spreadsheet would take for a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_summary(collection: Collection, out: str | Path, *, templates: Iterable[Template] | None = None) -> Path:
    """Write the summary as .xlsx (a sheet per table, and a chart of the ratings), .csv (one long table) or
    .json, by the file's suffix. Text a person wrote is always written as text, never as a formula.

    The rows are written as they are made, so the time and memory it takes grow with the rows, no more; the
    file appears complete or not at all (it is written under a temporary name and then renamed)."""
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".csv", ".xlsx"):
        raise MusformsError(f"the summary must be .xlsx, .csv or .json, not '{path.suffix}'")
    tables = summary_tables(collection, {**collection.templates, **{t.id: t for t in templates or []}})
    with _replacing(path) as stream:
        if suffix == ".json":
            _json(tables, stream)
        elif suffix == ".csv":
            _csv(tables, stream)
        else:
            write_workbook(stream, _sheets(tables))
    return path


@contextmanager
def _replacing(path: Path) -> Iterator[IO[bytes]]:
    """A binary stream to a temporary file beside ``path`` that replaces it once written in full."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or None)
    except OSError as exc:
        raise MusformsError(f"cannot write '{path}': {exc.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        Path(temporary).replace(path)
    except OSError as exc:
        raise MusformsError(f"cannot write '{path}': {exc.strerror}") from None
    finally:
        Path(temporary).unlink(missing_ok=True)  # left only when writing failed


def _json(tables: dict[str, Rows], stream: IO[bytes]) -> None:
    """The tables as one JSON object of lists, laid out as ``json.dumps(..., indent=2)`` lays it out."""
    stream.write(b"{")
    for t, (name, rows) in enumerate(tables.items()):
        stream.write(f"{',' if t else ''}\n  {json.dumps(name)}: [".encode())
        count = 0
        for row in rows():
            text = json.dumps(row, ensure_ascii=False, indent=2, default=str).replace("\n", "\n    ")
            stream.write(f"{',' if count else ''}\n    {text}".encode())
            count += 1
        stream.write(b"\n  ]" if count else b"]")
    stream.write(b"\n}" if tables else b"}")


def _csv(tables: dict[str, Rows], stream: IO[bytes]) -> None:
    import io

    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    columns = sorted({column for name in tables for column in COLUMNS[name]})
    writer = csv.DictWriter(text, fieldnames=["table", *columns], lineterminator="\r\n")
    writer.writeheader()
    for name, rows in tables.items():
        for row in rows():
            writer.writerow({"table": name, **{k: _safe(v) for k, v in row.items()}})
    text.flush()
    text.detach()


def _sheets(tables: dict[str, Rows]) -> Iterator[Sheet]:
    for name, rows in tables.items():
        chart = None
        if name == "department_ratings":
            chart = Chart(
                title="Rating per item: employee vs manager",
                axis_title="average",
                categories="label",
                series=("employee_average", "manager_average"),
                most=40,
                anchor="N2",
            )
        yield Sheet(name, COLUMNS[name], rows(), chart)
