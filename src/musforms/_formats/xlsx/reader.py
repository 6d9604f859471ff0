"""Read a workbook's XML directly with lxml: sheets, defined names, shared strings, number formats, cells.

Cells are read as they are stored: shared strings, inline strings, formula strings, numbers, booleans and
errors; a number in a cell whose number format is a date format is a date. Nothing here knows forms.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from lxml import etree

from musforms._core.codec import format_date
from musforms._core.package import read_member
from musforms._formats.xlsx.cells import date_of_serial, number_text, unescape_text
from musforms._formats.xlsx.names import cell_ref, split_ref
from musforms.errors import NotAFormError

__all__ = ["Book", "CellRead", "SheetInfo", "cells_part", "is_date_format"]

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_C, _V, _F, _IS, _T, _R, _ROW, _RPH = (f"{{{MAIN}}}{tag}" for tag in ("c", "v", "f", "is", "t", "r", "row", "rPh"))

_BUILTIN_DATES = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_ROOT_NAME = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?worksheet)[\s>/]")
_CELLS_END = b"</sheetData>"
_NAME_TARGET = re.compile(r"^=?(?:'((?:[^']|'')+)'|([^'!]+))!(\$?[A-Za-z]{1,3}\$?[0-9]{1,7})(?::.*)?$")


def is_date_format(code: str) -> bool:
    """Whether a number format shows a date (``dd-mm-yyyy``, ``dd\\-mm\\-yyyy``, ``[$-406]d. mmm yyyy``...)."""
    bare = _FORMAT_NOISE.sub("", code).lower()
    if bare in ("general", "@", ""):
        return False
    return any(char in bare for char in "dmy")


@dataclass(frozen=True)
class SheetInfo:
    """A sheet of the workbook: its name, part and visibility."""

    name: str
    part: str | None
    state: str


@dataclass(frozen=True)
class CellRead:
    """One stored cell: its text as a person reads it, and what it holds."""

    ref: str
    kind: Literal["text", "number", "date", "bool", "error"]
    text: str
    number: float | None = None
    date: dt.date | None = None
    formula: str | None = None


class Book:
    """The parts of a workbook a form is read from, each read once when first needed."""

    def __init__(self, archive: zipfile.ZipFile, names: set[str], name: str, parser: etree.XMLParser) -> None:
        self.archive = archive
        self.members = names
        self.name = name
        self.parser = parser
        root = self._xml("xl/workbook.xml")
        if root is None:
            raise NotAFormError(f"{name}: xl/workbook.xml is not well-formed XML")
        pr = root.find(f"{{{MAIN}}}workbookPr")
        self.date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")
        targets = self._targets()
        self.sheets: list[SheetInfo] = []
        for sheet in root.iter(f"{{{MAIN}}}sheet"):
            part = targets.get(sheet.get(f"{{{_REL}}}id", ""))
            self.sheets.append(SheetInfo(sheet.get("name", ""), part, sheet.get("state", "visible")))
        self.names: dict[str, tuple[str, str]] = {}
        """Defined name (lower case) → (sheet name, cell address) of its first cell."""
        for defined in root.iter(f"{{{MAIN}}}definedName"):
            target = _NAME_TARGET.match((defined.text or "").strip())
            key = defined.get("name", "").lower()
            if target and key and key not in self.names:
                sheet_name = target[1].replace("''", "'") if target[1] is not None else target[2]
                self.names[key] = (sheet_name, target[3].replace("$", "").upper())
        self._cells: dict[str, dict[str, CellRead]] = {}

    def _read(self, member: str) -> bytes | None:
        return read_member(self.archive, member, self.name) if member in self.members else None

    def _xml(self, member: str) -> etree._Element | None:
        data = self._read(member)
        if data is None:
            return None
        try:
            return etree.fromstring(data, self.parser)
        except etree.XMLSyntaxError:
            return None

    def _targets(self) -> dict[str, str]:
        rels = self._xml("xl/_rels/workbook.xml.rels")
        out: dict[str, str] = {}
        if rels is None:
            return out
        for rel in rels.iter(f"{{{_PKG_REL}}}Relationship"):
            target = rel.get("Target", "")
            out[rel.get("Id", "")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
        return out

    def sheet(self, name: str) -> SheetInfo | None:
        """The sheet called ``name`` (names are compared without regard to case, as Excel does)."""
        folded = name.casefold()
        return next((s for s in self.sheets if s.name.casefold() == folded), None)

    @cached_property
    def shared_strings(self) -> list[str]:
        """The shared strings table (rich text runs joined; phonetic runs left out)."""
        root = self._xml("xl/sharedStrings.xml")
        if root is None:
            return []
        out = []
        for item in root:
            parts = []
            for child in item:
                if child.tag == _T:
                    parts.append(child.text or "")
                elif child.tag == _R:
                    text = child.find(_T)
                    if text is not None:
                        parts.append(text.text or "")
            out.append(unescape_text("".join(parts)))
        return out

    @cached_property
    def date_styles(self) -> frozenset[int]:
        """The cell style indexes whose number format is a date format."""
        root = self._xml("xl/styles.xml")
        if root is None:
            return frozenset()
        formats = {int(f.get("numFmtId", "-1")): f.get("formatCode", "") for f in root.iter(f"{{{MAIN}}}numFmt")}
        xfs = root.find(f"{{{MAIN}}}cellXfs")
        out = set()
        for index, xf in enumerate(xfs if xfs is not None else ()):
            number = int(xf.get("numFmtId", "0") or 0)
            if number in formats:
                if is_date_format(formats[number]):
                    out.add(index)
            elif number in _BUILTIN_DATES:
                out.add(index)
        return frozenset(out)

    def cells(self, sheet: SheetInfo) -> dict[str, CellRead]:
        """Every stored cell of ``sheet`` that holds something, by address."""
        if sheet.part is None:
            return {}
        if sheet.part not in self._cells:
            data = self._read(sheet.part)
            root = None
            if data is not None:
                try:
                    root = etree.fromstring(cells_part(data), self.parser)
                except etree.XMLSyntaxError:
                    root = None
            self._cells[sheet.part] = {} if root is None else self._read_cells(root)
        return self._cells[sheet.part]

    def _read_cells(self, root: etree._Element) -> dict[str, CellRead]:
        out: dict[str, CellRead] = {}
        row_number = 0
        for row in root.iter(_ROW):
            row_number = int(row.get("r") or row_number + 1)
            previous: str | None = None
            for c in row.iter(_C):
                ref = c.get("r")
                if ref is None:  # the address may be left out: the cell after the previous one
                    place = split_ref(previous) if previous else None
                    ref = cell_ref(row_number, (place[1] if place else 0) + 1)
                previous = ref
                cell = self._cell(c, ref)
                if cell is not None:
                    out[ref] = cell
        return out

    def _cell(self, c: etree._Element, ref: str) -> CellRead | None:
        kind = c.get("t", "n")
        value: str | None = None
        formula: str | None = None
        inline: str | None = None
        for child in c:
            tag = child.tag
            if tag == _V:
                value = child.text
            elif tag == _F:
                formula = child.text or ""
            elif tag == _IS:
                inline = "".join(t.text or "" for t in child.iter(_T) if _parent_tag(t) != _RPH)
        if kind == "inlineStr":
            return None if inline is None else CellRead(ref, "text", unescape_text(inline), formula=formula)
        if value is None:
            return CellRead(ref, "text", "", formula=formula) if formula is not None else None
        if kind == "s":
            try:
                return CellRead(ref, "text", self.shared_strings[int(value)], formula=formula)
            except (ValueError, IndexError):
                return CellRead(ref, "error", value, formula=formula)
        if kind in ("str", "e"):
            return CellRead(ref, "text" if kind == "str" else "error", unescape_text(value), formula=formula)
        if kind == "b":
            return CellRead(ref, "bool", "TRUE" if value.strip() in ("1", "true") else "FALSE", formula=formula)
        if kind == "d":
            day = _iso_date(value)
            if day is None:
                return CellRead(ref, "text", value, formula=formula)
            return CellRead(ref, "date", format_date(day), date=day, formula=formula)
        try:
            number = float(value)
        except ValueError:
            return CellRead(ref, "text", value, formula=formula)
        style = int(c.get("s", "0") or 0)
        if style in self.date_styles:
            day = date_of_serial(number, self.date1904)
            if day is not None:
                return CellRead(ref, "date", format_date(day), number=number, date=day, formula=formula)
        return CellRead(ref, "number", number_text(number), number=number, formula=formula)


def cells_part(sheet: bytes) -> bytes:
    """A worksheet's XML up to the end of its cells (``</sheetData>``), closed: what :meth:`Book.cells` reads.

    What follows the cells in a sheet (merged ranges, data validations with their input messages, page setup,
    header and footer, page breaks) is for the program that shows the sheet; it is about half of a form's
    sheet, and lxml need not build it. The whole sheet is returned when that end is not plain markup: no end
    (or a prefixed one), two ends, or a comment or CDATA section before it (where its characters could be
    text)."""
    end = sheet.find(_CELLS_END)
    root = _ROOT_NAME.search(sheet, 0, 1000)
    if end < 0 or root is None or sheet.find(_CELLS_END, end + 1) >= 0:
        return sheet
    head = sheet[: end + len(_CELLS_END)]
    if head.find(b"<!") >= 0:  # a comment or a CDATA section (a DOCTYPE is refused before this)
        return sheet
    return head + b"</" + root.group(1) + b">"


def _parent_tag(element: etree._Element) -> object:
    parent = element.getparent()
    return None if parent is None else parent.tag


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None
