"""The compiled workbook of one template and role: its package, and its sheets split into stamping pieces.

The blank workbook is built once with openpyxl (:mod:`musforms._formats.xlsx.build`) and kept as a
:class:`~musforms._core.zipstamp.ZipSkeleton`. Each sheet's XML is cut into fixed text and *slots*: the cells
that depend on the person (names, texts with Jinja, the identity), the answer cells, rows whose height
follows a text, and the page header and footer. Fixed text between slots is kept in runs deflated once;
a stamp deflates only its slots and the runs that hold a prefilled answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from musforms._core.zipstamp import Deflated, DeflateJoiner, ZipSkeleton, sync_deflate
from musforms._formats.xlsx.build import HEADER_MARK, build_workbook, workbook_bytes
from musforms._formats.xlsx.cells import formula_cell, text_cell, value_cell
from musforms._formats.xlsx.layout import compile_layout
from musforms._formats.xlsx.names import cell_ref
from musforms._formats.xlsx.sheets import Cell, Layout, SheetLayout, Stamp, header_footer_text
from musforms._model.fields import Role
from musforms._model.template import Template

__all__ = ["Compiled", "SheetPieces", "Slot", "compiled", "split_sheet"]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_PIECE = re.compile(
    r'(?P<row><row r="(?P<row_number>[0-9]+)"[^>]*>)'
    r'|(?P<cell><c r="(?P<ref>[A-Z]+[0-9]+)"[^>]*?(?:/>|>.*?</c>))'
    r"|(?P<hf><headerFooter(?:/>|>.*?</headerFooter>)(?:<rowBreaks[^>]*?(?:/>|>.*?</rowBreaks>))?)",
    re.S,
)
_STYLE = re.compile(r' s="([0-9]+)"')
_HEIGHT = re.compile(r' ht="[^"]*"')


@dataclass(frozen=True)
class Slot:
    """A piece of sheet XML made per stamp: ``blank`` in a blank form, else ``fill(stamp)``.

    A slot with a ``field_id`` changes only when that field is prefilled; one without depends on the
    person (context or identity) and is made for every stamp."""

    blank: str
    fill: Callable[[Stamp], str]
    field_id: str | None = None


@dataclass(frozen=True)
class _Break:
    """Where a run of fixed pieces may end (a section starts)."""


@dataclass(frozen=True)
class _Run:
    pieces: tuple[str | Slot, ...]
    fields: frozenset[str]
    raw: bytes
    packed: bytes


class SheetPieces:
    """One sheet's XML as runs of fixed text and answer slots, and person slots between them."""

    def __init__(self, pieces: list[str | Slot | _Break]) -> None:
        self.runs: list[_Run | Slot] = []
        current: list[str | Slot] = []

        def close() -> None:
            if current:
                raw = "".join(p if isinstance(p, str) else p.blank for p in current).encode("utf-8")
                fields = frozenset(p.field_id for p in current if isinstance(p, Slot) and p.field_id)
                self.runs.append(_Run(tuple(current), fields, raw, sync_deflate(raw)))
                current.clear()

        for piece in pieces:
            if isinstance(piece, _Break):
                close()
            elif isinstance(piece, Slot) and piece.field_id is None:
                close()
                self.runs.append(piece)
            else:
                current.append(piece)
        close()

    @property
    def fixed(self) -> bool:
        """Whether the sheet is the same in every stamp (then its part is copied as it is)."""
        return all(isinstance(run, _Run) and not run.fields for run in self.runs)

    def xml(self, stamp: Stamp | None) -> str:
        """The sheet's XML for ``stamp`` (None: the blank form)."""
        out: list[str] = []
        for run in self.runs:
            if isinstance(run, Slot):
                out.append(run.blank if stamp is None else run.fill(stamp))
            elif stamp is None or run.fields.isdisjoint(_prefilled(stamp)):
                out.append(run.raw.decode("utf-8"))
            else:
                out.append(_run_text(run, stamp))
        return "".join(out)

    def deflated(self, stamp: Stamp) -> Deflated:
        """The sheet's XML for ``stamp``, deflated: fixed runs copied as compressed bytes."""
        joiner = DeflateJoiner()
        prefilled = _prefilled(stamp)
        for run in self.runs:
            if isinstance(run, Slot):
                joiner.add(run.fill(stamp).encode("utf-8"))
            elif run.fields.isdisjoint(prefilled):
                joiner.add_fixed(run.raw, run.packed)
            else:
                joiner.add(_run_text(run, stamp).encode("utf-8"))
        return joiner.result()


def _prefilled(stamp: Stamp) -> set[str]:
    return {field_id for field_id, shown in stamp.values.items() if shown}


def _run_text(run: _Run, stamp: Stamp) -> str:
    return "".join(
        p if isinstance(p, str) else (p.fill(stamp) if p.field_id in stamp.values else p.blank) for p in run.pieces
    )


@dataclass
class Compiled:
    """A template's workbook for one role: the layout, the package, and the pieces of each sheet by part."""

    layout: Layout
    package: ZipSkeleton
    sheets: dict[str, SheetPieces]
    """Part name (``xl/worksheets/sheet1.xml``) → pieces, for the form, lists and identity sheets."""


def _row_height(tag: str, sheet: SheetLayout, row: int) -> Callable[[Stamp], str]:
    return lambda stamp: _HEIGHT.sub(f' ht="{sheet.height_at(row, stamp):g}"', tag, 1)


def _cell_slot(cell: Cell, ref: str, blank: str) -> Slot | None:
    found = _STYLE.search(blank[: blank.index(">") + 1])
    style = found.group(1) if found else ""
    if cell.input is not None:
        x = cell.input
        return Slot(blank, lambda stamp: value_cell(ref, style, stamp.value(x)), x.field_id)
    fill = cell.fill
    if fill is None:
        return None
    if cell.formula is not None:
        formula = cell.formula

        def with_value(stamp: Stamp) -> str:
            return formula_cell(ref, style, formula, fill(stamp))

        return Slot(blank, with_value, cell.field_id)
    return Slot(blank, lambda stamp: text_cell(ref, style, fill(stamp)), cell.field_id)


def split_sheet(xml: str, sheet: SheetLayout, header_footer: Callable[[Stamp], str] | None) -> SheetPieces:
    """Cut a sheet's XML (as openpyxl wrote it) into fixed text and the slots ``sheet`` asks for."""
    cells = {cell_ref(row, column): cell for row, columns in sheet.rows.items() for column, cell in columns.items()}
    wanted = {ref for ref, cell in cells.items() if cell.input is not None or cell.fill is not None}
    breaks = set(sheet.breaks)
    pieces: list[str | Slot | _Break] = []
    found: set[str] = set()
    at = 0
    for match in _PIECE.finditer(xml):
        piece: Slot | None = None
        if match["row"]:
            number = int(match["row_number"])
            if number in breaks:
                pieces.append(xml[at : match.start()])
                pieces.append(_Break())
                at = match.start()
            dynamic = sheet.dynamic_heights.get(number)
            if dynamic is not None:
                tag, (_height, field_id) = match["row"], dynamic
                if ' ht="' not in tag:
                    raise RuntimeError(f"row {number} of {sheet.name} has no height to stamp")
                piece = Slot(tag, _row_height(tag, sheet, number), field_id)
        elif match["cell"]:
            ref = match["ref"]
            if ref in wanted:
                piece = _cell_slot(cells[ref], ref, match["cell"])
                found.add(ref)
        elif match["hf"] and header_footer is not None:
            if HEADER_MARK not in match["hf"]:
                raise RuntimeError("the blank form's page header is not where it was put")
            piece = Slot(match["hf"], header_footer)
        if piece is not None:
            pieces.append(xml[at : match.start()])
            pieces.append(piece)
            at = match.end()
    pieces.append(xml[at:])
    missing = wanted - found
    if missing:
        raise RuntimeError(f"cells {sorted(missing)[:5]} of {sheet.name} were not written by openpyxl")
    return SheetPieces([p for p in pieces if not isinstance(p, str) or p])


def _sheet_parts(package: ZipSkeleton) -> dict[str, str]:
    """Sheet name → part name, from the workbook and its relationships."""
    workbook = etree.fromstring(package.read("xl/workbook.xml"))
    rels = etree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{{{_PKG_REL}}}Relationship")}
    out = {}
    for sheet in workbook.iter(f"{{{_MAIN}}}sheet"):
        target = targets[sheet.get(f"{{{_REL}}}id")]
        out[sheet.get("name", "")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return out


def _header_footer_xml(layout: Layout) -> Callable[[Stamp], str]:
    """The page header and footer, and the page breaks (they follow the row heights of the stamp)."""

    def fill(stamp: Stamp) -> str:
        head = _xml_escape(header_footer_text(layout.header(stamp)))
        foot = _xml_escape(header_footer_text(layout.footer(stamp)))
        breaks = layout.page_breaks(stamp)
        out = f"<headerFooter><oddHeader>{head}</oddHeader><oddFooter>{foot}</oddFooter></headerFooter>"
        if breaks:
            marks = "".join(f'<brk id="{row}" min="0" max="16383" man="1"/>' for row in breaks)
            out += f'<rowBreaks count="{len(breaks)}" manualBreakCount="{len(breaks)}">{marks}</rowBreaks>'
        return out

    return fill


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@lru_cache(maxsize=64)
def compiled(template: Template, role: Role, password: str | None = None) -> Compiled:
    """The compiled workbook of ``template`` for ``role`` (built with openpyxl once, then cached)."""
    layout = compile_layout(template, role)
    package = ZipSkeleton.from_bytes(workbook_bytes(build_workbook(layout, password=password)))
    parts = _sheet_parts(package)
    sheets: dict[str, SheetPieces] = {}
    for sheet in layout.sheets():
        part = parts[sheet.name]
        xml = package.read(part).decode("utf-8")
        hf = _header_footer_xml(layout) if sheet is layout.form else None
        sheets[part] = split_sheet(xml, sheet, hf)
    return Compiled(layout, package, sheets)
