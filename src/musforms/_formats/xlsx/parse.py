"""Parse a completed Excel form into answers and issues, against the plan it was rendered from.

The identity comes from the custom properties, else from the hidden ``_meta`` sheet. Each answer cell is
found by its defined name, else at the address the template's layout gives it. Values are read from the
sheet XML and turned into what :func:`musforms._core.codec.decode` expects, so Word and Excel forms are read
the same way; values pasted past the drop-downs are checked again. Anything written outside the answer
cells that the form did not print is reported (``content.unmapped``), never dropped.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lxml import etree

from musforms._core.codec import decode
from musforms._core.identity import identity_from_properties
from musforms._formats.xlsx.layout import compile_plan
from musforms._formats.xlsx.names import FORM_SHEET, LISTS_SHEET, META_SHEET, cell_ref
from musforms._formats.xlsx.plan import Plan, SheetPlan, Stamp, XInput
from musforms._formats.xlsx.reader import Book, CellRead, SheetInfo
from musforms._model.context import Context
from musforms._model.fields import CheckField, Role
from musforms._model.filled import FilledForm, FormIdentity, Issue, Location
from musforms._model.template import Template
from musforms.errors import NotAFormError

__all__ = ["TICKED", "UNTICKED", "parse_workbook", "printed_cells"]

TICKED = frozenset({"x", "✓", "✔", "☒", "☑", "1", "true", "ja", "j", "yes", "y", "sand"})
"""What an ``X`` cell may hold to count as ticked (compared folded)."""
UNTICKED = frozenset({"", "0", "false", "nej", "n", "no", "falsk", "-", "☐"})
"""What it may hold to count as not ticked."""


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class _Printed:
    """What the form prints on a sheet: fixed text by address, slots by address, and formula cells."""

    fixed: dict[str, str]
    slots: dict[str, Any]
    formulas: frozenset[str]


def printed_cells(sheet: SheetPlan) -> _Printed:
    """The content a blank form has on ``sheet`` (answer cells left out)."""
    fixed: dict[str, str] = {}
    slots: dict[str, Any] = {}
    formulas: set[str] = set()
    for row, columns in sheet.rows.items():
        for column, cell in columns.items():
            ref = cell_ref(row, column)
            if cell.input is not None:
                continue
            if cell.formula is not None:
                formulas.add(ref)
            elif cell.fill is not None:
                slots[ref] = cell.fill
            elif cell.value is not None and cell.value != "":
                value = cell.value
                fixed[ref] = str(value) if not isinstance(value, float) else f"{value:g}"
    return _Printed(fixed, slots, frozenset(formulas))


@lru_cache(maxsize=64)
def _printed(template: Template, role: Role) -> tuple[_Printed, _Printed, _Printed]:
    plan = compile_plan(template, role)
    return printed_cells(plan.form), printed_cells(plan.lists), printed_cells(plan.meta)


def parse_workbook(
    archive: zipfile.ZipFile,
    names: set[str],
    name: str,
    parser: etree.XMLParser,
    templates: dict[str, Template] | None,
    lenient: bool,
    props: dict[str, str],
) -> FilledForm:
    """The identity, answers and issues of an Excel form (see :func:`musforms._formats.parse.parse`), whose custom
    document properties ``parse`` has read."""
    from musforms._formats.parse import check_identity

    book = Book(archive, names, name, parser)
    found = identity_from_properties(props)
    if found is None:
        found = identity_from_properties(_meta_properties(book))
    if found is None:
        raise NotAFormError(
            f"{name}: not a musforms form (no musforms identity: expected the custom document properties "
            f"musforms.template_id, musforms.role, ... or the hidden sheet '{META_SHEET}')"
        )
    identity, context = found
    template, extra = check_identity(identity, templates, lenient, name)
    return _Reader(book, template, identity, context).read(extra)


def _meta_properties(book: Book) -> dict[str, str]:
    sheet = book.sheet(META_SHEET)
    if sheet is None:
        return {}
    cells = book.cells(sheet)
    out: dict[str, str] = {}
    for ref, cell in cells.items():
        if ref.startswith("A") and ref[1:].isdigit():
            value = cells.get("B" + ref[1:])
            out[cell.text] = value.text if value is not None else ""
    return out


class _Reader:
    def __init__(self, book: Book, template: Template, identity: FormIdentity, context: Context | None) -> None:
        self.book = book
        self.template = template
        self.identity = identity
        self.context = context
        self.plan: Plan = compile_plan(template, identity.role)
        self.form = self._form_sheet()

    def _form_sheet(self) -> SheetInfo | None:
        sheet = self.book.sheet(FORM_SHEET)
        if sheet is not None:
            return sheet
        counts: dict[str, int] = {}
        for x in self.plan.inputs.values():
            target = self.book.names.get(x.name.lower())
            if target:
                counts[target[0]] = counts.get(target[0], 0) + 1
        if counts:
            return self.book.sheet(max(counts, key=counts.__getitem__))
        return next((s for s in self.book.sheets if s.name not in (LISTS_SHEET, META_SHEET)), None)

    def _locate(self, x: XInput) -> tuple[SheetInfo, str] | None:
        target = self.book.names.get(x.name.lower())
        if target is not None:
            sheet = self.book.sheet(target[0])
            if sheet is not None:
                return sheet, target[1]
        return (self.form, x.ref) if self.form is not None else None

    def read(self, extra: list[Issue]) -> FilledForm:
        issues = list(extra)
        found: dict[str, dict[str, str | bool]] = {}
        places: dict[str, list[tuple[XInput, SheetInfo, str, CellRead | None]]] = {}
        own: dict[str, list[Issue]] = {}
        used: dict[str, set[str]] = {}
        missing: dict[str, str] = {}
        for x in self.plan.inputs.values():
            where = self._locate(x)
            if where is None:
                missing.setdefault(x.field_id, x.name)
                continue
            sheet, ref = where
            used.setdefault(sheet.name, set()).add(ref)
            cell = self.book.cells(sheet).get(ref)
            places.setdefault(x.field_id, []).append((x, sheet, ref, cell))
            if cell is None or (not cell.text.strip() and cell.kind == "text"):
                continue
            value, problem = _read_input(x, cell)
            parts = found.setdefault(x.field_id, {})
            parts.update(value)
            if problem is not None:
                own.setdefault(x.field_id, []).append(
                    Issue(
                        code="value.invalid",
                        message=problem,
                        field_id=x.field_id,
                        raw=cell.text,
                        location=Location(part=sheet.name, where=ref, anchor=x.name),
                    )
                )

        answers: dict[str, Any] = {}
        for f in self.template.answer_fields(self.identity.role):
            label = getattr(f, "label", None)
            if f.id in missing and f.id not in places:
                issues.append(
                    Issue(
                        code="field.missing",
                        message=f"the answer cell of '{f.id}' was not found in the file",
                        field_id=f.id,
                        label=label,
                        location=Location(part=FORM_SHEET, where="not found", anchor=missing[f.id]),
                    )
                )
                answers[f.id] = False if isinstance(f, CheckField) else None
                continue
            decoded = decode(self.template, f, found.get(f.id, {}))
            answers[f.id] = decoded.value
            cells = places.get(f.id, [])
            field_issues = [i.model_copy(update={"label": label}) for i in own.get(f.id, [])]
            for (code, message, raw), part in zip(decoded.problems, decoded.parts, strict=True):
                field_issues.append(
                    Issue(
                        code=code,
                        message=message,
                        field_id=f.id,
                        label=label,
                        raw=raw,
                        location=_problem_location(cells, part),
                    )
                )
            issues.extend(field_issues)
            if f.required and decoded.value in (None, [], False) and not field_issues:
                issues.append(
                    Issue(
                        code="field.required",
                        message="a required field is empty",
                        field_id=f.id,
                        label=label,
                        severity="warning",
                        location=_location(cells[0]) if cells else None,
                    )
                )
        issues.extend(self._unmapped(used))
        return FilledForm(
            **self.identity.model_dump(),
            format="xlsx",
            context=self.context,
            answers=answers,
            issues=tuple(issues),
        )

    def _unmapped(self, used: dict[str, set[str]]) -> list[Issue]:
        """Cells holding something the form did not print there, outside the answer cells."""
        form, lists, meta = _printed(self.template, self.identity.role)
        stamp = (
            Stamp(context=self.context, answers={}, identity=self.identity, template=self.template)
            if self.context is not None
            else None
        )
        issues: list[Issue] = []
        for sheet in self.book.sheets:
            if self.form is not None and sheet.name == self.form.name:
                printed: _Printed | None = form
            elif sheet.name == LISTS_SHEET:
                printed = lists
            elif sheet.name == META_SHEET:
                printed = meta
            else:
                printed = None
            skip = used.get(sheet.name, set())
            for ref, cell in self.book.cells(sheet).items():
                if ref in skip or not cell.text.strip():
                    continue
                if printed is not None:
                    if cell.formula is not None and ref in printed.formulas:
                        continue
                    want = printed.fixed.get(ref)
                    if want is None and ref in printed.slots:
                        if stamp is None or sheet.name == META_SHEET:
                            continue
                        want = printed.slots[ref](stamp)
                    if want is not None and _norm(want) == _norm(cell.text):
                        continue
                issues.append(
                    Issue(
                        code="content.unmapped",
                        message="text outside any answer cell of the form",
                        raw=cell.text,
                        location=Location(part=sheet.name, where=ref),
                        severity="warning",
                    )
                )
        return issues


def _location(place: tuple[XInput, SheetInfo, str, CellRead | None]) -> Location:
    x, sheet, ref, _cell = place
    return Location(part=sheet.name, where=ref, anchor=x.name)


def _problem_location(cells: list[tuple[XInput, SheetInfo, str, CellRead | None]], part: str | None) -> Location | None:
    """The cell a decode problem was found in (``decode`` names its input part), else the field's first cell.

    A rating or a single choice is one cell here, while ``decode`` names the point or option: its first cell.
    """
    for place in cells:
        if part is not None and place[0].part == part:
            return _location(place)
    return _location(cells[0]) if cells else None


def _read_input(x: XInput, cell: CellRead) -> tuple[dict[str, str | bool], str | None]:
    """What one answer cell holds, as ``decode`` expects it, and a problem the cell alone shows."""
    text = cell.text
    if x.kind in ("text", "line", "date", "pick"):
        return {x.part: text}, None
    folded = _norm(text)
    if x.kind == "tick":
        if cell.kind == "bool":
            return {x.part: text == "TRUE"}, None
        if folded in TICKED:
            return {x.part: True}, None
        if folded in UNTICKED:
            return {x.part: False}, None
        return {}, "not a tick: write X in the cell, or leave it empty"
    if x.kind == "rating":
        for part, shown in x.choices + x.labels:
            if _norm(shown) == folded:
                return {part: True}, None
        allowed = ", ".join(shown for _part, shown in x.choices)
        return {}, f"not a point of the scale; choose one of {allowed}"
    # a single choice: an option's label (or its id)
    for part, shown in x.choices + x.labels:
        if _norm(shown) == folded:
            return {part: True}, None
    allowed = ", ".join(shown for _part, shown in x.choices)
    return {}, f"not one of the options; choose one of {allowed}"
