"""Collect many completed forms into one summary: per employee, per department, every issue, as xlsx/csv/json."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from musforms._core.limits import Limits
from musforms._core.safety import file_custom_properties
from musforms._formats.parse import parse
from musforms._model.fields import ChoiceField, RatingField
from musforms._model.filled import FilledForm
from musforms._model.template import Template
from musforms._model.values import AgreementRow
from musforms._workflows.compare import Comparison, compare
from musforms.errors import MusformsError

__all__ = ["CollectedFile", "Collection", "collect", "write_summary"]

_SUFFIXES = (".docx", ".xlsx")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PROPERTIES_LIMITS = Limits(max_part_bytes=100_000)
"""What is read of a file that is not a form to tell what it is: its custom properties are a few hundred bytes."""


@dataclass
class CollectedFile:
    """One file: the form read from it, or why it could not be read."""

    path: str
    form: FilledForm | None = None
    error: str | None = None
    error_code: str | None = None
    skipped: str | None = None
    """Why a musforms document that is not a form (an invitation letter, a talk form) was passed over."""


@dataclass
class Collection:
    """Every file collected, grouped by employee and role, with what the summary reports."""

    files: list[CollectedFile] = field(default_factory=list)
    today: dt.date = field(default_factory=dt.date.today)
    templates: dict[str, Template] = field(default_factory=dict)
    """The templates of the forms, by id."""

    def kind(self, form: FilledForm) -> str:
        """What a form is: ``employee`` or ``manager`` (preparation), ``plan`` or ``followup``."""
        template = self.templates.get(form.template_id)
        if template is not None and template.purpose != "preparation":
            return template.purpose
        return form.role

    @property
    def unread(self) -> list[CollectedFile]:
        """The files that could not be read (and were not documents musforms made that are not forms)."""
        return [f for f in self.files if f.error is not None]

    @property
    def forms(self) -> list[FilledForm]:
        """The forms that could be read."""
        return [f.form for f in self.files if f.form is not None]

    def by_employee(self) -> dict[str, dict[str, list[FilledForm]]]:
        """Forms by employee id, then by kind (``employee``/``manager`` preparation, ``plan``, ``followup``)."""
        grouped: dict[str, dict[str, list[FilledForm]]] = defaultdict(lambda: defaultdict(list))
        for form in self.forms:
            grouped[form.subject_id or "-"][self.kind(form)].append(form)
        return {k: dict(v) for k, v in sorted(grouped.items())}

    def comparisons(self, templates: dict[str, Template] | None = None) -> dict[str, Comparison]:
        """For each employee with both preparation forms of one template: the comparison."""
        out: dict[str, Comparison] = {}
        for employee_id, kinds in self.by_employee().items():
            employee_forms, manager_forms = kinds.get("employee", []), kinds.get("manager", [])
            if employee_forms and manager_forms:
                try:
                    template = (templates or {}).get(employee_forms[-1].template_id)
                    out[employee_id] = compare(employee_forms[-1], manager_forms[-1], template=template)
                except MusformsError:
                    continue
        return out

    def agreements(self) -> list[dict[str, Any]]:
        """Every agreement of every employee (from the plan when there is one, else the forms), with whether
        it is overdue: its deadline has passed and it is not done or dropped."""
        rows: list[dict[str, Any]] = []
        for employee_id, kinds in self.by_employee().items():
            source = kinds.get("followup") or kinds.get("plan") or kinds.get("manager") or kinds.get("employee") or []
            for form in source[-1:]:
                for value in form.answers.values():
                    if isinstance(value, list) and value and isinstance(value[0], AgreementRow):
                        for row in value:
                            overdue = bool(
                                row.deadline and row.deadline < self.today and row.status not in ("done", "dropped")
                            )
                            rows.append(
                                {
                                    "employee_id": employee_id,
                                    "department": _department(form),
                                    "source": self.kind(form),
                                    "action": row.action,
                                    "owner": row.owner,
                                    "deadline": row.deadline.isoformat() if row.deadline else None,
                                    "method": row.method,
                                    "status": row.status,
                                    "comment": row.comment,
                                    "overdue": overdue,
                                }
                            )
        return rows

    def department_ratings(self, templates: dict[str, Template]) -> list[dict[str, Any]]:
        """Per department and rated item: the average and spread of the employees' and the managers' ratings."""
        values: dict[tuple[str, str, str, str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for form in self.forms:
            template = templates.get(form.template_id)
            if template is None or self.kind(form) not in ("employee", "manager"):
                continue
            for _section, f in template.iter_fields():
                answer = form.answers.get(f.id)
                if isinstance(f, RatingField) and isinstance(answer, int):
                    values[(_department(form), template.id, f.id, f.label)][form.role].append(answer)
        rows = []
        for (department, template_id, field_id, label), by_role in sorted(values.items()):
            row: dict[str, Any] = {
                "department": department,
                "template_id": template_id,
                "field_id": field_id,
                "label": label,
            }
            for role in ("employee", "manager"):
                numbers = by_role.get(role, [])
                row[f"{role}_n"] = len(numbers)
                row[f"{role}_average"] = round(statistics.fmean(numbers), 2) if numbers else None
                row[f"{role}_spread"] = round(statistics.pstdev(numbers), 2) if len(numbers) > 1 else None
            rows.append(row)
        return rows

    def development_needs(self, templates: dict[str, Template]) -> list[dict[str, Any]]:
        """Per department: how often each way of developing competences was chosen, and the needs written."""
        rows: list[dict[str, Any]] = []
        for form in self.forms:
            template = templates.get(form.template_id)
            if template is None:
                continue
            for _section, f in template.iter_fields():
                answer = form.answers.get(f.id)
                if isinstance(f, ChoiceField) and f.multiple and isinstance(answer, list):
                    labels = {o.id: o.label for o in f.options}
                    for choice in answer:
                        rows.append(
                            {
                                "department": _department(form),
                                "employee_id": form.subject_id,
                                "role": form.role,
                                "field_id": f.id,
                                "need": labels.get(choice, choice),
                            }
                        )
                elif f.id in ("development_needs", "development_areas") and isinstance(answer, str):
                    rows.append(
                        {
                            "department": _department(form),
                            "employee_id": form.subject_id,
                            "role": form.role,
                            "field_id": f.id,
                            "need": answer,
                        }
                    )
        return rows

    def issues(self) -> list[dict[str, Any]]:
        """Every issue of every form, and every file that could not be read."""
        rows: list[dict[str, Any]] = []
        for file in self.files:
            if file.skipped is not None:
                continue
            if file.error is not None:
                rows.append(
                    {
                        "file": file.path,
                        "code": file.error_code,
                        "severity": "error",
                        "field_id": None,
                        "where": None,
                        "message": file.error,
                        "raw": None,
                    }
                )
                continue
            assert file.form is not None
            for issue in file.form.issues:
                rows.append(
                    {
                        "file": file.path,
                        "code": issue.code,
                        "severity": issue.severity,
                        "field_id": issue.field_id,
                        "where": issue.location.where if issue.location else None,
                        "message": issue.message,
                        "raw": issue.raw,
                    }
                )
        return rows


def _department(form: FilledForm) -> str:
    context = getattr(form, "context", None)
    department = context.employee.department if context is not None else None
    return department or "-"


def collect(
    sources: str | Path | Iterable[str | Path],
    *,
    templates: Iterable[Template] | None = None,
    today: dt.date | None = None,
) -> Collection:
    """Parse every .docx and .xlsx form in a folder (recursively) or in the files given.

    A file that cannot be read is kept in the collection with its error; nothing is skipped silently.
    """
    paths: list[Path] = []
    for source in [sources] if isinstance(sources, str | Path) else sources:
        path = Path(source)
        if path.is_dir():
            paths.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in _SUFFIXES and p.is_file()))
        else:
            paths.append(path)
    collection = Collection(today=today or dt.date.today())
    given = list(templates) if templates is not None else None
    for path in paths:
        try:
            form = parse(path, templates=_with_builtins(given))
            collection.files.append(CollectedFile(str(path), form))
        except MusformsError as exc:
            kind = _document_kind(path)
            if kind is not None:
                collection.files.append(CollectedFile(str(path), skipped=f"a musforms {kind}, not a form"))
            else:
                collection.files.append(CollectedFile(str(path), error=str(exc), error_code=exc.code))
    collection.templates = _templates(collection, given)
    return collection


def _document_kind(path: Path) -> str | None:
    """What musforms document a file is when it is not a form (``musforms.document``: invitation, talk), read
    as safely as a form; None for a file that is not one, or that the safe reading refuses."""
    try:
        properties = file_custom_properties(path, _PROPERTIES_LIMITS)
    except MusformsError:
        return None
    return properties.get("musforms.document")


def _with_builtins(given: list[Template] | None) -> list[Template] | None:
    if given is None:
        return None
    from musforms._loading import builtins
    from musforms._loading.loader import load_template

    ids = {t.id for t in given}
    return given + [load_template(i) for i in builtins.builtin_ids() if i not in ids]


def _templates(collection: Collection, templates: Iterable[Template] | None) -> dict[str, Template]:
    from musforms._loading import builtins
    from musforms._loading.loader import load_template

    found = {t.id: t for t in templates or []}
    for form in collection.forms:
        if form.template_id not in found and form.template_id in builtins.builtin_ids():
            found[form.template_id] = load_template(form.template_id)
    return found


def _safe(value: Any) -> Any:
    """A value for a CSV cell: text that a spreadsheet would take for a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _tables(collection: Collection, templates: dict[str, Template]) -> dict[str, list[dict[str, Any]]]:
    employees = []
    comparisons = collection.comparisons(templates)
    agreements = collection.agreements()
    for employee_id, kinds in collection.by_employee().items():
        some = next(iter(f for forms in kinds.values() for f in forms))
        comparison = comparisons.get(employee_id)
        employees.append(
            {
                "employee_id": employee_id,
                "department": _department(some),
                "forms": ", ".join(sorted(kinds)),
                "flagged_items": len(comparison.flagged) if comparison else None,
                "largest_gap": max((abs(p.gap) for p in comparison.ratings if p.gap is not None), default=None)
                if comparison
                else None,
                "agreements": sum(1 for a in agreements if a["employee_id"] == employee_id),
                "overdue": sum(1 for a in agreements if a["employee_id"] == employee_id and a["overdue"]),
            }
        )
    gaps = [
        {
            "employee_id": employee_id,
            "field_id": p.field_id,
            "label": p.label,
            "employee": p.employee,
            "manager": p.manager,
            "gap": p.gap,
            "flagged": p.flagged,
        }
        for employee_id, comparison in comparisons.items()
        for p in comparison.ratings
    ]
    files = [
        {
            "file": f.path,
            "read": f.form is not None,
            "template_id": f.form.template_id if f.form else None,
            "role": f.form.role if f.form else None,
            "employee_id": f.form.subject_id if f.form else None,
            "issues": len(f.form.issues) if f.form else None,
            "error": f.error,
        }
        for f in collection.files
    ]
    return {
        "files": files,
        "issues": collection.issues(),
        "employees": employees,
        "comparisons": gaps,
        "agreements": agreements,
        "department_ratings": collection.department_ratings(templates),
        "development_needs": collection.development_needs(templates),
    }


def write_summary(collection: Collection, out: str | Path, *, templates: Iterable[Template] | None = None) -> Path:
    """Write the summary as .xlsx (a sheet per table, and a chart of the ratings), .csv (one long table) or
    .json, by the file's suffix. Text a person wrote is always written as text, never as a formula."""
    path = Path(out)
    tables = _tables(collection, {**collection.templates, **{t.id: t for t in templates or []}})
    suffix = path.suffix.lower()
    if suffix == ".json":
        data = json.dumps(tables, ensure_ascii=False, indent=2, default=str)
        path.write_text(data, encoding="utf-8")
    elif suffix == ".csv":
        buffer = io.StringIO()
        columns = sorted({key for rows in tables.values() for row in rows for key in row})
        writer = csv.DictWriter(buffer, fieldnames=["table", *columns])
        writer.writeheader()
        for name, rows in tables.items():
            for row in rows:
                writer.writerow({"table": name, **{k: _safe(v) for k, v in row.items()}})
        path.write_text(buffer.getvalue(), encoding="utf-8")
    elif suffix == ".xlsx":
        path.write_bytes(_xlsx(tables))
    else:
        raise MusformsError(f"the summary must be .xlsx, .csv or .json, not '{path.suffix}'")
    return path


def _xlsx(tables: dict[str, list[dict[str, Any]]]) -> bytes:
    import openpyxl
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    workbook = openpyxl.Workbook()
    first = True
    for name, rows in tables.items():
        sheet = workbook.active if first else workbook.create_sheet()
        assert isinstance(sheet, Worksheet)
        first = False
        sheet.title = name[:31]
        columns = list(rows[0]) if rows else ["(none)"]
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row.get(c) for c in columns])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # a person's text stays text, whatever it starts with
        sheet.freeze_panes = "A2"
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, len(column) + 2))
        if name == "department_ratings" and rows:
            chart = BarChart()
            chart.type = "bar"
            chart.title = "Rating per item: employee vs manager"
            chart.y_axis.title = "average"
            employee = columns.index("employee_average") + 1
            manager = columns.index("manager_average") + 1
            count = min(len(rows), 40)
            for col in (employee, manager):
                chart.add_data(Reference(sheet, min_col=col, min_row=1, max_row=count + 1), titles_from_data=True)
            label = columns.index("label") + 1
            chart.set_categories(Reference(sheet, min_col=label, min_row=2, max_row=count + 1))
            chart.height = max(8, count * 0.6)
            chart.width = 22
            sheet.add_chart(chart, "N2")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
