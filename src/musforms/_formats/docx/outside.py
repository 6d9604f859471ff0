"""Text outside a Word form's inputs: what the blank form prints, compiled once per template and role from the
layout's pieces (no package, no python-docx), and what a file holds there that the form did not print.

The comparison is made block by block (paragraphs and table cells): the fixed text of the form, the text its
slots make for the form's context, and the input cells, which are skipped. A quick check first compares the
whole text of a plain document in one string; only when it differs are the blocks compared.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from lxml import etree

from musforms._core.issue_text import issue_message
from musforms._formats.docx.layout import compile_layout
from musforms._formats.docx.ooxml import W14, W
from musforms._formats.docx.reader import Block, DocumentView, Reading, cell_text, fast_text, read_view
from musforms._formats.docx.stamping import BLANK_STAMP, Input, Layout, Slot, Stamp
from musforms._model.fields import Role
from musforms._model.filled import Issue, Location
from musforms._model.template import Template

__all__ = ["PART", "Expected", "Want", "body_of", "expected", "location", "same_text", "unmapped", "wanted"]

PART = "word/document.xml"
_T = f"{{{W}}}t"
_DOCUMENT = f"{{{W}}}document"
_BODY = f"{{{W}}}body"
_HEAD = f'<w:document xmlns:w="{W}" xmlns:w14="{W14}"><w:body>'
_TAIL = "</w:body></w:document>"


def body_of(xml: bytes, parser: etree.XMLParser) -> etree._Element:
    """The ``w:body`` of a ``word/document.xml``."""
    root = etree.fromstring(xml, parser)
    if root.prefix == "w" and root.tag == _DOCUMENT:  # the prefix w is WordprocessingML's (without nsmap's dict)
        body = root.find(_BODY)
    else:
        w = root.nsmap.get("w")
        body = root.find(f"{{{w}}}body") if w else None
    if body is None:
        body = root.find(f"{{{W}}}body")
    if body is None:
        raise ValueError("word/document.xml has no body")
    return body


def location(block: Block, anchor: str | None = None) -> Location:
    """Where a block of the document is, for an issue."""
    return Location(part=PART, where=block.where, anchor=anchor)


@dataclass(frozen=True)
class _InputCell:
    anchor: str
    """The first anchor of the cell."""


@dataclass(frozen=True)
class Expected:
    """What a blank form of a template and role holds, for comparison: fixed texts, slots, input places."""

    texts: tuple[tuple[str, str] | int, ...]
    """In body order, each block that is not an input: its fixed text (raw and folded), or the number of the
    slot making it."""
    positions: dict[str, tuple[int, int, int]]
    """Where the layout puts each input's cell: (table, row, cell)."""
    whole: tuple[str | int | _InputCell, ...]
    """In body order, every block: its fixed text (runs of them joined), the number of the slot making it,
    or the input cell."""


@lru_cache(maxsize=64)
def expected(template: Template, role: Role) -> Expected:
    """The blank form of ``template`` for ``role`` as :class:`Expected`, from its layout's pieces (cached)."""
    layout = compile_layout(template, role)
    parts: list[str] = []
    for piece in layout.pieces:
        if isinstance(piece, Slot):
            number = layout.slots.index(piece)
            parts.append(f"<?mfs {number}?>{piece.fill(BLANK_STAMP)}<?mfe {number}?>")
        elif isinstance(piece, Input):
            parts.append(piece.blank)
        elif isinstance(piece, str):
            parts.append(piece)
    xml = (_HEAD + "".join(parts) + _TAIL).encode("utf-8")
    view = read_view(body_of(xml, etree.XMLParser(remove_comments=True)), layout.anchors)
    texts: list[tuple[str, str] | int] = []
    whole: list[str | int | _InputCell] = []
    for block in view.blocks:
        if block.marker:
            assert block.slot is not None
            texts.append(block.slot)
            whole.append(block.slot)
        elif block.anchors:
            whole.append(_InputCell(block.anchors[0]))
        elif block.slot is None:
            raw = "".join(cast(Iterator[str], block.element.itertext(_T)))
            texts.append((raw, block.text))
            whole.append(raw)
    positions = {name: b.position for name, b in view.by_anchor.items() if b.position is not None}
    return Expected(tuple(texts), positions, tuple(_joined(whole)))


def _joined(entries: list[str | int | _InputCell]) -> list[str | int | _InputCell]:
    """``entries`` with each run of fixed texts joined into one."""
    out: list[str | int | _InputCell] = []
    for entry in entries:
        if isinstance(entry, str) and out and isinstance(out[-1], str):
            out[-1] += entry
        else:
            out.append(entry)
    return out


@dataclass(frozen=True)
class Want:
    """The text around the inputs of one filled form (its slots made for the form's context)."""

    raw: list[str]
    """The fixed text in order, as the document's ``w:t`` elements hold it (for the quick comparison)."""
    slots: dict[int, str]
    """The XML each slot made for this form."""
    slot_raw: list[str]
    """The text of each slot, in order."""


_T_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


@lru_cache(maxsize=1024)
def _text_of(fragment: str) -> str:
    """The text of a slot's XML (kept: many slots read the same in every form)."""
    return _unescape("".join(_T_TEXT.findall(fragment)))


def wanted(expected: Expected, layout: Layout, stamp: Stamp) -> Want:
    """The text a form of ``expected``'s template holds around its inputs, for ``stamp``'s context."""
    raw: list[str] = []
    slots: dict[int, str] = {}
    slot_raw: list[str] = []
    for entry in expected.texts:
        if isinstance(entry, int):
            fragment = layout.slots[entry].fill(stamp)
            slots[entry] = fragment
            slot_raw.append(_text_of(fragment))
            raw.append(slot_raw[-1])
        else:
            raw.append(entry[0])
    return Want(raw, slots, slot_raw)


def same_text(reading: Reading, expected: Expected, want: Want) -> bool:
    """Whether the body's text is the form's text with each input's text in its place (a quick check, made
    when the document's text is all in ``w:t`` elements: if it holds, nothing was written outside the inputs).
    """
    if reading.whole is None:
        return False
    slots = iter(want.slot_raw)
    parts: list[str] = []
    for entry in expected.whole:
        if isinstance(entry, str):
            parts.append(entry)
        elif isinstance(entry, int):
            parts.append(next(slots))
        else:
            shown = reading.shown.get(entry.anchor)
            if shown is None:
                return False
            parts.append(shown)
    return "".join(parts) == reading.whole


def _expected_blocks(expected: Expected, want: Want, parser: etree.XMLParser) -> list[str]:
    """One folded text per block of the form as rendered (for finding what differs)."""
    blocks: list[str] = []
    for entry in expected.texts:
        if isinstance(entry, int):
            fragment = want.slots[entry]
            if fragment:
                root = etree.fromstring(f'<r xmlns:w="{W}" xmlns:w14="{W14}">{fragment}</r>'.encode(), parser)
                blocks.extend(fast_text(element) for element in root)
        else:
            blocks.append(entry[1])
    return blocks


def unmapped(
    expected: Expected,
    want: Want,
    parser: etree.XMLParser,
    actual: DocumentView,
    inputs: set[etree._Element],
    language: str,
) -> list[Issue]:
    """Text in the file that is neither printed by the form nor inside an input: reported, never dropped (the
    message in ``language``)."""
    have_blocks = [b for b in actual.blocks if not b.anchors and b.element not in inputs]
    have = [b.text for b in have_blocks]
    issues: list[Issue] = []
    matcher = difflib.SequenceMatcher(a=_expected_blocks(expected, want, parser), b=have, autojunk=False)
    for op, _a1, _a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        for block in have_blocks[b1:b2]:
            if not block.text:
                continue
            raw = cell_text(block.element) if block.position else block.text
            issues.append(
                Issue(
                    code="content.unmapped",
                    message=issue_message("content.unmapped.docx", language),
                    raw=raw or block.text,
                    location=location(block),
                    severity="warning",
                )
            )
    return issues
