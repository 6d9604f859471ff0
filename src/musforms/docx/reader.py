"""Read a completed Word form with lxml: find each input's cell, read what a person wrote, and what was added.

Inputs are found in this order: the bookmark named after the input (LibreOffice and Word keep it, sometimes
moved inside the control), the control's ``w:tag``, its ``w:alias``, and last the cell at the position the
layout put it in. The whole cell is read, so text typed just outside a control is kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from musforms.docx.layout import Anchor, Layout
from musforms.docx.ooxml import W14, W

__all__ = ["PLACEHOLDERS", "Block", "DocumentView", "read_view"]

_P = f"{{{W}}}p"
_TBL = f"{{{W}}}tbl"
_TR = f"{{{W}}}tr"
_TC = f"{{{W}}}tc"
_SDT = f"{{{W}}}sdt"
_SDT_PR = f"{{{W}}}sdtPr"
_SDT_CONTENT = f"{{{W}}}sdtContent"
_T = f"{{{W}}}t"
_BR = f"{{{W}}}br"
_CR = f"{{{W}}}cr"
_TAB = f"{{{W}}}tab"
_DEL = f"{{{W}}}del"
_BOOKMARK = f"{{{W}}}bookmarkStart"
_NAME = f"{{{W}}}name"
_VAL = f"{{{W}}}val"
_TAG = f"{{{W}}}tag"
_ALIAS = f"{{{W}}}alias"
_PLACEHOLDER = f"{{{W}}}showingPlcHdr"
_CHECKED = f"{{{W14}}}checked"
_DATE = f"{{{W}}}date"
_FULL_DATE = f"{{{W}}}fullDate"

PLACEHOLDERS = frozenset({"Skriv her …", "Write here …", "Vælg …", "Choose …", "Vælg dato", "Choose a date"})
"""Placeholder texts the layout writes; a cell holding only one of them is empty."""
TICKED_GLYPHS = frozenset("☒☑✓✔✗✘")
BOX_GLYPHS = frozenset("☐☒☑✓✔✗✘")


@dataclass
class Block:
    """A paragraph of the body or a table cell, with its text and where it is."""

    text: str
    where: str
    element: etree._Element
    position: tuple[int, int, int] | None = None
    """(table, row, cell), 1-based, for a cell."""
    anchors: list[str] = field(default_factory=list)


@dataclass
class DocumentView:
    """A document read into blocks, with the cell of each anchor found by bookmark, tag or alias."""

    blocks: list[Block]
    cells: dict[tuple[int, int, int], Block]
    by_anchor: dict[str, Block]


def _paragraph_text(paragraph: etree._Element, skip: set[etree._Element]) -> str:
    parts: list[str] = []
    for node in paragraph.iter(_T, _BR, _CR, _TAB):
        if node in skip:
            continue
        if node.tag == _T:
            parts.append(node.text or "")
        elif node.tag == _TAB:
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _skipped(container: etree._Element) -> set[etree._Element]:
    """Text nodes not to read: placeholders of untouched controls, and tracked deletions."""
    skip: set[etree._Element] = set()
    for sdt in container.iter(_SDT):
        props = sdt.find(_SDT_PR)
        content = sdt.find(_SDT_CONTENT)
        if props is not None and content is not None and props.find(_PLACEHOLDER) is not None:
            skip.update(content.iter(_T, _BR, _CR, _TAB))
    for deleted in container.iter(_DEL):
        skip.update(deleted.iter(_T, _BR, _CR, _TAB))
    return skip


def cell_text(cell: etree._Element) -> str:
    """The text of a whole cell: paragraphs joined by line breaks, placeholders left out."""
    skip = _skipped(cell)
    lines = [_paragraph_text(p, skip) for p in cell.iter(_P)]
    text = "\n".join(lines).strip("\n")
    return "" if text.strip() in PLACEHOLDERS else text


def read_tick(cell: etree._Element) -> tuple[bool, str]:
    """Whether a box in the cell is ticked, and any other text written in the cell."""
    text = cell_text(cell)
    stray = "".join(ch for ch in text if ch not in BOX_GLYPHS).strip()
    glyph_ticked = any(ch in TICKED_GLYPHS for ch in text)
    checked_nodes = list(cell.iter(_CHECKED, f"{{{W}}}checked"))
    flag_ticked = False
    if checked_nodes:
        node = checked_nodes[-1]
        value = node.get(f"{{{W14}}}val", node.get(_VAL, "0"))
        flag_ticked = value.lower() in ("1", "true", "on")
    has_glyph = any(ch in BOX_GLYPHS for ch in text)
    ticked = glyph_ticked if has_glyph else flag_ticked
    if stray.lower() == "x":
        return True, ""
    return ticked, stray


def read_date(cell: etree._Element) -> str:
    """The text of a date cell, or the picked date when the text is gone."""
    text = cell_text(cell)
    if text.strip():
        return text
    for node in cell.iter(_DATE):
        full = node.get(_FULL_DATE)
        if full:
            return full[:10]
    return ""


def _walk(container: etree._Element) -> Iterator[etree._Element]:
    """Body-level paragraphs and tables in order, looking through the block controls that wrap them."""
    for child in container:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _walk(content)


def _rows(table: etree._Element) -> Iterator[etree._Element]:
    for child in table:
        if child.tag == _TR:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from (r for r in content if r.tag == _TR)


def _cells(row: etree._Element) -> Iterator[etree._Element]:
    for child in row:
        if child.tag == _TC:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from (c for c in content if c.tag == _TC)


def read_view(body: etree._Element, anchors: dict[str, Anchor]) -> DocumentView:
    """The blocks of a document body, and the cells its anchors name (by bookmark, then tag, then alias)."""
    blocks: list[Block] = []
    cells: dict[tuple[int, int, int], Block] = {}
    by_anchor: dict[str, Block] = {}
    by_control: dict[str, Block] = {}
    paragraph_number = 0
    table_number = 0
    for element in _walk(body):
        if element.tag == _P:
            paragraph_number += 1
            text = _paragraph_text(element, _skipped(element))
            blocks.append(Block(text, f"paragraph {paragraph_number}", element))
            continue
        table_number += 1
        for r, row in enumerate(_rows(element), start=1):
            for c, cell in enumerate(_cells(row), start=1):
                position = (table_number, r, c)
                block = Block("", f"table {table_number}, row {r}, cell {c}", cell, position)
                for mark in cell.iter(_BOOKMARK):
                    name = mark.get(_NAME)
                    if name in anchors:
                        block.anchors.append(name)
                        by_anchor.setdefault(name, block)
                for props in cell.iter(_SDT_PR):
                    for key in (_TAG, _ALIAS):
                        node = props.find(key)
                        value = node.get(_VAL) if node is not None else None
                        if value in anchors:
                            by_control.setdefault(value, block)
                if not block.anchors:
                    block.text = cell_text(cell)
                cells[position] = block
                blocks.append(block)
    for name, block in by_control.items():
        if name not in by_anchor:
            by_anchor[name] = block
            block.anchors.append(name)
    return DocumentView(blocks, cells, by_anchor)


def expected_positions(view: DocumentView) -> dict[str, tuple[int, int, int]]:
    """Where each anchor's cell is in a freshly rendered form (for the position fallback)."""
    return {name: block.position for name, block in view.by_anchor.items() if block.position is not None}


def layout_anchors(layout: Layout) -> dict[str, Anchor]:
    """The anchors of a layout by name."""
    return layout.anchors
