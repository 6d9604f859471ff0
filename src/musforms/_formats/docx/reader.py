"""Read a completed Word form with lxml: find each input's cell, read what a person wrote, and what was added.

Inputs are found in this order: the bookmark named after the input (LibreOffice and Word keep it, sometimes
moved inside the control), the control's ``w:tag``, its ``w:alias``, and last the cell at the position the
layout put it in. The whole cell is read, so text typed just outside a control is kept.

:func:`read_inputs` reads every input at once. In a document whose text is all inside ``w:t`` elements, a
tick box is read from the glyph its cell shows, and a cell with one paragraph and nothing that changes how
its text reads (tabs, tracked deletions, placeholder flags, text boxes) from libxml2's text of the cell in
one call, or of its paragraph walked for line breaks; every other cell is read node by node. Both ways give
the same result (the tests hold them to it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import cast

from lxml import etree

from musforms._formats.docx.cells import (
    RUN_CHARACTERS,
    VISIBLE_CHARACTERS,
    cell_text,
    paragraph_text,
    read_date,
    read_tick,
    shows_characters,
)
from musforms._formats.docx.ooxml import CHECKED, UNCHECKED, W
from musforms._formats.docx.placeholders import Marks, marks_of
from musforms._formats.docx.stamping import Anchor

__all__ = [
    "QUIRKS",
    "Block",
    "DocumentView",
    "Reading",
    "cell_text",
    "fast_text",
    "find_anchor_cells",
    "read_inputs",
    "read_view",
    "text_outside",
]

_P = f"{{{W}}}p"
_TBL = f"{{{W}}}tbl"
_TR = f"{{{W}}}tr"
_TC = f"{{{W}}}tc"
_TXBX = f"{{{W}}}txbxContent"
_SDT = f"{{{W}}}sdt"
_SDT_PR = f"{{{W}}}sdtPr"
_SDT_CONTENT = f"{{{W}}}sdtContent"
_T = f"{{{W}}}t"
_BR = f"{{{W}}}br"
_TAB = f"{{{W}}}tab"
_TABS = f"{{{W}}}tabs"
_DEL = f"{{{W}}}del"
_BOOKMARK = f"{{{W}}}bookmarkStart"
_NAME = f"{{{W}}}name"
_VAL = f"{{{W}}}val"
_TAG = f"{{{W}}}tag"
_ALIAS = f"{{{W}}}alias"
_PLACEHOLDER = f"{{{W}}}showingPlcHdr"


@dataclass
class Block:
    """A paragraph of the body or a table cell, with its text and where it is."""

    text: str
    where: str
    element: etree._Element
    position: tuple[int, int, int] | None = None
    """(table, row, cell), 1-based, for a cell."""
    anchors: list[str] = field(default_factory=list)
    slot: int | None = None
    """In a form rendered for comparison: the slot (context-dependent text) the block came from."""
    marker: bool = False
    """The start of a slot, standing for the blocks the slot makes."""


@dataclass
class DocumentView:
    """A document read into blocks, with the cell of each anchor found by bookmark, tag or alias."""

    blocks: list[Block]
    cells: dict[tuple[int, int, int], Block]
    by_anchor: dict[str, Block]


def _walk(container: etree._Element) -> Iterator[etree._Element]:
    """Body-level paragraphs, tables and markers in order, looking through the block controls around them."""
    for child in container:
        tag = child.tag
        if tag in (_P, _TBL) or isinstance(child, etree._ProcessingInstruction):
            yield child
        elif tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _walk(content)


def _children(parent: etree._Element, wanted: str) -> Iterator[etree._Element]:
    for child in parent:
        if child.tag == wanted or isinstance(child, etree._ProcessingInstruction):
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content, wanted)


def _cell_of(node: etree._Element) -> etree._Element | None:
    parent = node.getparent()
    while parent is not None and parent.tag != _TC:
        parent = parent.getparent()
    return parent


def fast_text(element: etree._Element) -> str:
    """All text of an element with white space folded (for comparing fixed text)."""
    return " ".join("".join(cast(Iterator[str], element.itertext(_T))).split())


def find_anchor_cells(
    body: etree._Element,
    anchors: dict[str, Anchor],
    quirks: dict[etree._Element, bool] | None = None,
    showing: set[etree._Element] | None = None,
) -> dict[str, etree._Element]:
    """The cell of each anchor found by its bookmark, else by a control's ``w:tag``, else its ``w:alias``.

    With ``quirks``, the cells holding something that changes how their text reads (:data:`QUIRKS`) are
    added to it, found in the same pass over the body: each with whether its quirks are only line breaks; and
    to ``showing`` every cell holding (at any depth) a character outside ``w:t`` that shows (a symbol, a
    non-breaking hyphen), so that reading a cell need not look for one again.
    """
    cells: dict[str, etree._Element] = {}
    tags = (_BOOKMARK, *QUIRKS) if quirks is not None else (_BOOKMARK,)
    for node in body.iter(*tags):
        tag = node.tag
        if tag != _BOOKMARK:
            if tag == _TAB and getattr(node.getparent(), "tag", None) == _TABS:
                continue  # a paragraph's tab stop (a text box's ruled lines), not a tab in its text
            quirky = _cell_of(node)
            if quirky is not None and quirks is not None:
                quirks[quirky] = quirks.get(quirky, True) and tag == _BR
            if showing is not None and tag in VISIBLE_CHARACTERS:
                showing.update(node.iterancestors(_TC))
            continue
        name = node.get(_NAME)
        if name in anchors and name not in cells:
            parent = node.getparent()
            cell = parent.getparent() if parent is not None else None  # where the layout puts it
            if cell is None or cell.tag != _TC:
                cell = _cell_of(node)
            if cell is not None:
                cells[name] = cell
    if len(cells) < len(anchors):
        # One pass over the body for both: a control's tag counts before any control's alias.
        by_alias: dict[str, etree._Element] = {}
        for node in body.iter(_TAG, _ALIAS):
            value = node.get(_VAL)
            if value in anchors and value not in cells and node.getparent() is not None:
                if node.tag == _TAG:
                    cell = _cell_of(node)
                    if cell is not None:
                        cells[value] = cell
                elif value not in by_alias:
                    cell = _cell_of(node)
                    if cell is not None:
                        by_alias[value] = cell
        for value, cell in by_alias.items():
            cells.setdefault(value, cell)
    return cells


QUIRKS = tuple(dict.fromkeys((_DEL, _PLACEHOLDER, _TXBX, *RUN_CHARACTERS)))
"""What changes how a cell's text reads, so that the cell is read node by node: a tracked deletion, a control
flagged as showing its placeholder, a text box, and every character a run holds outside ``w:t`` (a line
break, a tab, a non-breaking or soft hyphen, a symbol)."""

_MARK = "mfInput"
_OUTSIDE = etree.XPath(f"//w:t[not(ancestor::w:tc[@{_MARK}])]/text()", namespaces={"w": W})


def text_outside(body: etree._Element, cells: Iterable[etree._Element]) -> str:
    """All text of the body except that of ``cells`` (the inputs), with nothing between blocks."""
    marked = list(cells)
    for cell in marked:
        cell.set(_MARK, "1")
    try:
        return "".join(_OUTSIDE(body))  # type: ignore[arg-type]
    finally:
        for cell in marked:
            del cell.attrib[_MARK]


@dataclass
class Reading:
    """What the inputs of a form hold, read at once."""

    values: dict[str, str | bool]
    """What each input found holds, by anchor name: its text, or whether its box is ticked (an input not
    found is not here)."""
    stray: dict[str, str]
    """Text written in a tick-box cell beside the box, by anchor name."""
    whole: str | None = None
    """All text of the body, when it is all in ``w:t`` elements (a plain document); else None."""
    shown: dict[str, str] = field(default_factory=dict)
    """In a plain document: all text of each input's cell, by anchor name."""


_STRAY_TEXT = etree.XPath("count(descendant::text()[not(parent::w:t)])", namespaces={"w": W})


def _text(element: etree._Element) -> str:
    """All text in ``element``, joined by libxml2 in one call."""
    return etree.tostring(element, method="text", encoding=str)


def read_inputs(
    body: etree._Element,
    anchors: dict[str, Anchor],
    cells: dict[str, etree._Element],
    quirks: dict[etree._Element, bool] | None,
    showing: set[etree._Element] | None = None,
) -> Reading:
    """Read the input ``cells`` (by anchor name).

    ``quirks`` are the cells :func:`find_anchor_cells` found holding a quirk, ``showing`` those it found
    showing a character outside ``w:t`` (None: each cell is looked at). If the document's text is all
    in ``w:t`` elements, every other cell is read in one libxml2 call (see the module's docstring). With
    ``quirks=None`` every cell is read node by node. The two ways give the same values.
    """
    values: dict[str, str | bool] = {}
    stray: dict[str, str] = {}
    shown: dict[str, str] = {}
    plain = quirks is not None and not _STRAY_TEXT(body)
    quirky = quirks or {}
    tostring = etree.tostring
    for name, cell in cells.items():
        spec = anchors[name].spec
        kind = spec.kind
        if plain:
            shown[name] = text = tostring(cell, method="text", encoding=str)  # as _text, without a call
            if kind == "tick":
                if text in (UNCHECKED, CHECKED) and (not quirky or cell not in quirky):
                    values[name] = text == CHECKED
                    continue
            elif kind != "date" or text.strip():
                shows = None if showing is None else cell in showing
                read = _plain_text(text, cell, quirky.get(cell), marks_of(spec), shows)
                if read is not None and (kind != "date" or read):
                    values[name] = read
                    continue
        if kind == "tick":
            ticked, extra = read_tick(cell)
            values[name] = ticked
            if extra:
                stray[name] = extra
        else:
            marks = marks_of(spec)
            values[name] = read_date(cell, marks) if kind == "date" else cell_text(cell, marks)
    return Reading(values, stray, _text(body) if plain else None, shown)


def _plain_text(
    shown: str, cell: etree._Element, quirks: bool | None, marks: Marks, shows: bool | None = None
) -> str | None:
    """What :func:`cell_text` reads in a cell of a plain document whose whole text is ``shown``, found
    without its general walk when the cell is empty, holds only a placeholder (``marks``: its input's), or is
    one paragraph with no quirks (``quirks`` None) or only line breaks (True); otherwise None. ``shows`` is
    whether the cell shows a character outside ``w:t`` (None: looked for here)."""
    whole = shown.strip()
    if (not whole or whole in marks.always) and (
        quirks is not False or not (shows_characters(cell) if shows is None else shows)
    ):
        return ""
    if quirks is False:
        return None
    paragraphs = cell.iter(_P)
    paragraph = next(paragraphs, None)
    if paragraph is None or next(paragraphs, None) is not None:
        return None
    if quirks is None:
        return marks.strip(etree.tostring(paragraph, method="text", encoding=str))  # as _text
    return marks.strip(paragraph_text(paragraph, set()))


def read_view(body: etree._Element, anchors: dict[str, Anchor]) -> DocumentView:
    """The blocks of a document body, and the cells its anchors name (by bookmark, then tag, then alias).

    ``<?mfs N?>`` and ``<?mfe N?>`` markers (written only into the form the parser compares against) set
    the ``slot`` of the blocks between them.
    """
    named: dict[etree._Element, list[str]] = {}
    found: set[str] = set()
    for mark in body.iter(_BOOKMARK):
        name = mark.get(_NAME)
        if name in anchors and name not in found:
            cell = _cell_of(mark)
            if cell is not None:
                named.setdefault(cell, []).append(name)
                found.add(name)
    if len(found) < len(anchors):
        for props in body.iter(_SDT_PR):
            for key in (_TAG, _ALIAS):
                node = props.find(key)
                value = node.get(_VAL) if node is not None else None
                if value in anchors and value not in found:
                    cell = _cell_of(props)
                    if cell is not None:
                        named.setdefault(cell, []).append(value)
                        found.add(value)
    blocks: list[Block] = []
    cells: dict[tuple[int, int, int], Block] = {}
    by_anchor: dict[str, Block] = {}
    paragraph_number = 0
    table_number = 0
    slot: int | None = None
    for element in _walk(body):
        if isinstance(element, etree._ProcessingInstruction):
            slot = _marker(element, slot, blocks)
            continue
        if element.tag == _P:
            paragraph_number += 1
            blocks.append(Block(fast_text(element), f"paragraph {paragraph_number}", element, slot=slot))
            continue
        table_number += 1
        r = 0
        for row in _children(element, _TR):
            if isinstance(row, etree._ProcessingInstruction):
                slot = _marker(row, slot, blocks)
                continue
            r += 1
            c = 0
            for cell in _children(row, _TC):
                if isinstance(cell, etree._ProcessingInstruction):
                    slot = _marker(cell, slot, blocks)
                    continue
                c += 1
                position = (table_number, r, c)
                names = named.get(cell, [])
                block = Block(
                    "" if names else fast_text(cell),
                    f"table {table_number}, row {r}, cell {c}",
                    cell,
                    position,
                    list(names),
                    slot=slot,
                )
                for name in names:
                    by_anchor[name] = block
                cells[position] = block
                blocks.append(block)
    return DocumentView(blocks, cells, by_anchor)


def _marker(pi: etree._Element, slot: int | None, blocks: list[Block]) -> int | None:
    """Handle a slot marker: note where a slot starts (even one that made no block) and where it ends."""
    target = pi.target if hasattr(pi, "target") else ""
    number = int((pi.text or "0").strip())
    if target == "mfs":
        blocks.append(Block("", "", pi, slot=number, marker=True))
        return number
    return None
