"""Read a completed Excel form: its identity, what each answer cell holds, and what lies outside them.

The identity comes from the custom properties, else from the hidden ``_meta`` sheet. Each answer cell is
found by its defined name, else at the address the layout gives it, and read from the sheet XML as the text a
person sees (a date as ``dd-mm-yyyy``, a boolean as ``TRUE``); :mod:`musforms._core.reading` turns that into
answers the same way for Word and Excel forms, and checks again the values pasted past the drop-downs.
Anything written outside the answer cells that the form did not print is reported (``content.unmapped``),
never dropped. No openpyxl here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from musforms._core.identity import identity_from_properties
from musforms._core.issue_text import issue_message
from musforms._core.package import CUSTOM_PART, Package
from musforms._core.reading import Found
from musforms._formats.xlsx.layout import compile_layout
from musforms._formats.xlsx.names import (
    FORM_SHEET,
    LAYOUT_PROPERTY,
    LAYOUT_VERSION,
    LISTS_SHEET,
    META_SHEET,
    cell_ref,
)
from musforms._formats.xlsx.reader import Book, SheetInfo
from musforms._formats.xlsx.sheets import Anchor, Layout, SheetLayout, Stamp
from musforms._model.context import Context
from musforms._model.fields import Role
from musforms._model.filled import FormIdentity, Issue, Location
from musforms._model.template import Template
from musforms.errors import NotAFormError

__all__ = ["WorkbookReader", "printed_cells"]


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class _Printed:
    """What the form prints on a sheet: fixed text by address, slots by address, and formula cells."""

    fixed: dict[str, str]
    slots: dict[str, Any]
    formulas: frozenset[str]


def printed_cells(sheet: SheetLayout) -> _Printed:
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
    layout = compile_layout(template, role)
    return printed_cells(layout.form), printed_cells(layout.lists), printed_cells(layout.meta)


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


class WorkbookReader:
    """Reads one Excel form's package (see :class:`musforms._formats.interface.FormReader`)."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.book = Book(package.archive, package.names, package.name, package.parser)

    def identity(self) -> tuple[FormIdentity, Context | None]:
        found = identity_from_properties(self.package.properties)
        if found is None:
            found = identity_from_properties(_meta_properties(self.book))
        if found is None:
            raise NotAFormError(
                f"{self.package.name}: not a musforms form (no musforms identity: expected the custom document "
                f"properties musforms.template_id, musforms.role, ... or the hidden sheet '{META_SHEET}')"
            )
        return found

    def read(self, template: Template, identity: FormIdentity, context: Context | None) -> Found:
        layout = compile_layout(template, identity.role)
        form = _form_sheet(self.book, layout)
        values: dict[str, str | bool] = {}
        missing: set[str] = set()
        places: dict[str, tuple[str, str]] = {}
        used: dict[str, set[str]] = {}
        for anchor in layout.anchors.values():
            where = _locate(self.book, form, anchor)
            if where is None:
                missing.add(anchor.name)
                continue
            sheet, ref = where
            used.setdefault(sheet.name, set()).add(ref)
            places[anchor.name] = (sheet.name, ref)
            cell = self.book.cells(sheet).get(ref)
            if cell is None or (not cell.text.strip() and cell.kind == "text"):
                continue
            tick = cell.kind == "bool" and anchor.spec.kind == "tick"
            values[anchor.name] = cell.text == "TRUE" if tick else cell.text
        made = self.package.properties.get(LAYOUT_PROPERTY) or _meta_properties(self.book).get(LAYOUT_PROPERTY)
        if made == LAYOUT_VERSION:
            outside = _unmapped(self.book, form, template, identity, context, used)
        else:  # another layout prints its text elsewhere: only sheets the form never had are looked at
            outside = _unchecked(made, template.language)
            outside += _unmapped(self.book, form, template, identity, context, used, known_only=False)

        def locate(name: str) -> Location | None:
            place = places.get(name)
            return Location(part=place[0], where=place[1], anchor=name) if place else None

        return Found(values, missing, locate, "answer cell", form.name if form else layout.form.name, outside=outside)


def _unchecked(made: str | None, language: str) -> list[Issue]:
    """The warning that the cells outside the answer cells were not compared (a workbook of another layout)."""
    if made:
        message = issue_message("content.unchecked.layout", language, made=made, this=LAYOUT_VERSION)
    else:
        message = issue_message("content.unchecked.old_layout", language)
    where = Location(part=CUSTOM_PART, where="identity")
    return [Issue(code="content.unchecked", message=message, severity="warning", location=where)]


def _form_sheet(book: Book, layout: Layout) -> SheetInfo | None:
    for name in (layout.form.name, FORM_SHEET):  # as named now, and as named before
        sheet = book.sheet(name)
        if sheet is not None:
            return sheet
    counts: dict[str, int] = {}
    for anchor in layout.anchors.values():
        target = book.names.get(anchor.name.lower())
        if target:
            counts[target[0]] = counts.get(target[0], 0) + 1
    if counts:
        return book.sheet(max(counts, key=counts.__getitem__))
    return next((s for s in book.sheets if s.name not in (LISTS_SHEET, META_SHEET)), None)


def _locate(book: Book, form: SheetInfo | None, anchor: Anchor) -> tuple[SheetInfo, str] | None:
    target = book.names.get(anchor.name.lower())
    if target is not None:
        sheet = book.sheet(target[0])
        if sheet is not None:
            return sheet, target[1]
    return (form, anchor.ref) if form is not None else None


def _unmapped(
    book: Book,
    form_sheet: SheetInfo | None,
    template: Template,
    identity: FormIdentity,
    context: Context | None,
    used: dict[str, set[str]],
    *,
    known_only: bool = True,
) -> list[Issue]:
    """Cells holding something the form did not print there, outside the answer cells (``known_only=False``:
    only the cells of sheets the form does not have)."""
    form, lists, meta = _printed(template, identity.role)
    stamp = Stamp(context=context, values={}, identity=identity) if context is not None else None
    issues: list[Issue] = []
    for sheet in book.sheets:
        if form_sheet is not None and sheet.name == form_sheet.name:
            printed: _Printed | None = form
        elif sheet.name == LISTS_SHEET:
            printed = lists
        elif sheet.name == META_SHEET:
            printed = meta
        else:
            printed = None
        if printed is not None and not known_only:
            continue
        skip = used.get(sheet.name, set())
        for ref, cell in book.cells(sheet).items():
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
                    message=issue_message("content.unmapped.xlsx", template.language),
                    raw=cell.text,
                    location=Location(part=sheet.name, where=ref),
                    severity="warning",
                )
            )
    return issues
