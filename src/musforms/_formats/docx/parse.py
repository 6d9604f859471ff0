"""Parse a completed Word form into answers and issues, against the layout it was rendered from."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from lxml import etree

from musforms._core.codec import decode
from musforms._formats.docx.layout import LAYOUT_VERSION, Input, Layout, Slot, Stamp, compile_layout
from musforms._formats.docx.ooxml import W14, W
from musforms._formats.docx.reader import (
    Block,
    DocumentView,
    Reading,
    cell_text,
    fast_text,
    find_anchor_cells,
    read_inputs,
    read_view,
    text_outside,
)
from musforms._formats.docx.skeleton import skeleton
from musforms._model.context import Context
from musforms._model.fields import CheckField, Role
from musforms._model.filled import FilledForm, FormIdentity, Issue, Location
from musforms._model.template import Template

__all__ = ["parse_document"]

PART = "word/document.xml"
QUICK = True
"""Whether plain cells are read in one libxml2 call each (:func:`musforms._formats.docx.reader.read_inputs`); the
tests turn it off to hold both ways of reading to the same result."""
_T = f"{{{W}}}t"


def _body(xml: bytes, parser: etree.XMLParser) -> etree._Element:
    root = etree.fromstring(xml, parser)
    body = root.find(f"{{{root.nsmap.get('w', '')}}}body") if root.nsmap.get("w") else None
    if body is None:
        from musforms._formats.docx.ooxml import W

        body = root.find(f"{{{W}}}body")
    if body is None:
        raise ValueError("word/document.xml has no body")
    return body


@dataclass(frozen=True)
class _Expected:
    """What a blank form of a template and role holds, for comparison: fixed texts, slots, input places."""

    texts: tuple[tuple[str, str] | int, ...]
    """In body order, each block that is not an input: its fixed text (raw and folded), or the number of the
    slot making it."""
    positions: dict[str, tuple[int, int, int]]
    whole: tuple[str | int | _InputCell, ...]
    """In body order, every block: its fixed text (runs of them joined), the number of the slot making it,
    or the input cell."""


@dataclass(frozen=True)
class _InputCell:
    anchor: str
    """The first anchor of the cell."""


_SENTINEL = Stamp(
    context=Context.model_validate({"employee": {"name": "-"}}),
    values={},
    identity=FormIdentity(template_id="-", template_version="0", fingerprint="-", role="employee", form_id="-"),
)


@lru_cache(maxsize=64)
def _expected(template: Template, role: Role) -> _Expected:
    layout = compile_layout(template, role)
    parts: list[str] = []
    for piece in layout.pieces:
        if isinstance(piece, Slot):
            number = layout.slots.index(piece)
            parts.append(f"<?mfs {number}?>{piece.fill(_SENTINEL)}<?mfe {number}?>")
        elif isinstance(piece, Input):
            parts.append(piece.blank)
        elif isinstance(piece, str):
            parts.append(piece)
    sk = skeleton()
    xml = (sk.document_head + "".join(parts) + sk.document_tail).encode("utf-8")
    view = read_view(_body(xml, etree.XMLParser(remove_comments=True)), layout.anchors)
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
    return _Expected(tuple(texts), positions, tuple(_joined(whole)))


def _joined(entries: list[str | int | _InputCell]) -> list[str | int | _InputCell]:
    """``entries`` with each run of fixed texts joined into one."""
    out: list[str | int | _InputCell] = []
    for entry in entries:
        if isinstance(entry, str) and out and isinstance(out[-1], str):
            out[-1] += entry
        else:
            out.append(entry)
    return out


def _location(block: Block, anchor: str | None = None) -> Location:
    return Location(part=PART, where=block.where, anchor=anchor)


def parse_document(
    document_xml: bytes,
    template: Template,
    identity: FormIdentity,
    context: Context | None,
    parser: etree.XMLParser,
    extra_issues: list[Issue],
    layout_version: str | None = LAYOUT_VERSION,
) -> FilledForm:
    """The answers and issues of a Word form whose identity is known.

    Text outside the inputs is compared with the form's printed text only when the form was made with this
    layout (``layout_version``); otherwise a warning says that it was not compared.
    """
    role = identity.role
    layout = compile_layout(template, role)
    expected = _expected(template, role)
    body = _body(document_xml, parser)
    reader = _Reader(body, layout)
    quirks: dict[etree._Element, bool] | None = {} if QUICK else None
    cells = find_anchor_cells(body, layout.anchors, quirks)
    if len(cells) < len(layout.anchors):
        reader.position_fallback(cells, expected)
    reading = read_inputs(body, layout.anchors, cells, quirks)
    issues = list(extra_issues)

    found: dict[str, dict[str, str | bool]] = {}
    missing: dict[str, str] = {}
    values = reading.values
    for name, anchor in layout.anchors.items():
        value = values.get(name)
        if value is None:
            missing.setdefault(anchor.field_id, name)
        else:
            found.setdefault(anchor.field_id, {})[anchor.spec.part] = value
    stray: dict[str, list[tuple[str, etree._Element]]] = {}
    for name, text in reading.stray.items():
        stray.setdefault(layout.anchors[name].field_id, []).append((text, cells[name]))
    places = _Places(layout, cells)

    answers: dict[str, Any] = {}
    for field in template.answer_fields(role):
        label = getattr(field, "label", None)
        if field.id in missing and field.id not in found:
            issues.append(
                Issue(
                    code="field.missing",
                    message=f"the input of '{field.id}' was not found in the file",
                    field_id=field.id,
                    label=label,
                    location=Location(part=PART, where="not found", anchor=missing[field.id]),
                )
            )
            answers[field.id] = False if isinstance(field, CheckField) else None
            continue
        decoded = decode(template, field, found.get(field.id, {}))
        answers[field.id] = decoded.value
        for (code, message, raw), part in zip(decoded.problems, decoded.parts, strict=True):
            where = places.cell(field.id, part)
            issues.append(
                Issue(
                    code=code,
                    message=message,
                    field_id=field.id,
                    label=label,
                    raw=raw,
                    location=reader.location(where),
                )
            )
        for text, stray_cell in stray.get(field.id, []):
            issues.append(
                Issue(
                    code="value.invalid",
                    message="text written in a tick box cell; tick the box instead",
                    field_id=field.id,
                    label=label,
                    raw=text,
                    location=reader.location(stray_cell),
                )
            )
        if field.required and decoded.value in (None, [], False) and not decoded.problems:
            issues.append(
                Issue(
                    code="field.required",
                    message="a required field is empty",
                    field_id=field.id,
                    label=label,
                    severity="warning",
                    location=reader.location(places.cell(field.id, None)),
                )
            )

    stamp = Stamp(context=context or _placeholder_context(), values={}, identity=identity)
    want = _expected_texts(expected, layout, stamp)
    if layout_version != LAYOUT_VERSION or context is None:
        issues.append(
            Issue(
                code="content.unchecked",
                message=(
                    f"the form was made with another layout ({layout_version or 'unknown'}, this is "
                    f"{LAYOUT_VERSION}); text written outside the fields was not looked for"
                    if context is not None
                    else "the form's context is missing; text written outside the fields was not looked for"
                ),
                severity="warning",
                location=Location(part="docProps/custom.xml", where="identity"),
            )
        )
    elif not _same_text(reading, expected, want) and text_outside(body, cells.values()) != "".join(want.raw):
        blocks = _expected_blocks(expected, want, parser)
        issues.extend(_unmapped(blocks, reader.view(), set(cells.values())))
    return FilledForm(
        **identity.model_dump(),
        format="docx",
        context=context,
        answers=answers,
        issues=tuple(issues),
    )


class _Places:
    """The cell of a field's input part, or of its first input found (looked up only for an issue)."""

    def __init__(self, layout: Layout, cells: dict[str, etree._Element]) -> None:
        self.layout = layout
        self.cells = cells
        self._by_part: dict[tuple[str, str], etree._Element] | None = None
        self._first: dict[str, etree._Element] = {}

    def cell(self, field_id: str, part: str | None) -> etree._Element | None:
        if self._by_part is None:
            self._by_part = {}
            for name, anchor in self.layout.anchors.items():
                cell = self.cells.get(name)
                if cell is not None:
                    self._by_part[(anchor.field_id, anchor.spec.part)] = cell
                    self._first.setdefault(anchor.field_id, cell)
        first = self._first.get(field_id)
        return self._by_part.get((field_id, part), first) if part is not None else first


class _Reader:
    """The slower, block-by-block reading of a document, done only when needed (locations, fallbacks)."""

    def __init__(self, body: etree._Element, layout: Layout) -> None:
        self.body = body
        self.layout = layout
        self._view: DocumentView | None = None
        self._where: dict[etree._Element, Block] = {}

    def view(self) -> DocumentView:
        if self._view is None:
            self._view = read_view(self.body, self.layout.anchors)
            self._where = {block.element: block for block in self._view.blocks}
        return self._view

    def location(self, cell: etree._Element | None) -> Location | None:
        if cell is None:
            return None
        self.view()
        block = self._where.get(cell)
        return _location(block, block.anchors[0] if block and block.anchors else None) if block else None

    def position_fallback(self, cells: dict[str, etree._Element], expected: _Expected) -> None:
        """Claim, for each anchor not found, the unclaimed cell at the place the layout put it."""
        view = self.view()
        claimed = set(cells.values())
        for name, position in expected.positions.items():
            if name in cells:
                continue
            block = view.cells.get(position)
            if block is not None and block.element not in claimed and not block.anchors:
                cells[name] = block.element
                claimed.add(block.element)
                block.anchors.append(name)


def _same_text(reading: Reading, expected: _Expected, want: _Want) -> bool:
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


def _unmapped(want: list[str], actual: DocumentView, inputs: set[etree._Element]) -> list[Issue]:
    """Text in the file that is neither printed by the form nor inside an input: reported, never dropped."""
    have_blocks = [b for b in actual.blocks if not b.anchors and b.element not in inputs]
    have = [b.text for b in have_blocks]
    issues: list[Issue] = []
    matcher = difflib.SequenceMatcher(a=want, b=have, autojunk=False)
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
                    message="text outside any field of the form",
                    raw=raw or block.text,
                    location=_location(block),
                    severity="warning",
                )
            )
    return issues


@dataclass(frozen=True)
class _Want:
    raw: list[str]
    """The fixed text in order, as the document's ``w:t`` elements hold it (for the quick comparison)."""
    slots: dict[int, str]
    """The XML each slot made for this form."""
    slot_raw: list[str]
    """The text of each slot, in order."""


_T_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def _expected_texts(expected: _Expected, layout: Layout, stamp: Stamp) -> _Want:
    raw: list[str] = []
    slots: dict[int, str] = {}
    slot_raw: list[str] = []
    for entry in expected.texts:
        if isinstance(entry, int):
            fragment = layout.slots[entry].fill(stamp)
            slots[entry] = fragment
            slot_raw.append(_unescape("".join(_T_TEXT.findall(fragment))))
            raw.append(slot_raw[-1])
        else:
            raw.append(entry[0])
    return _Want(raw, slots, slot_raw)


def _expected_blocks(expected: _Expected, want: _Want, parser: etree.XMLParser) -> list[str]:
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


def _norm(text: str) -> str:
    return " ".join(text.split())


def _placeholder_context() -> Context:
    return Context.model_validate({"employee": {"name": "?"}})
