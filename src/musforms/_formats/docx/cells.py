"""What one cell of a Word form holds, as a person reads it: its text (placeholders and tracked deletions left
out, line breaks and tabs kept), whether its box is ticked, and its date."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from lxml import etree

from musforms._core.i18n import WORDS
from musforms._formats.docx.ooxml import CHECKED, UNCHECKED, W14, W

__all__ = [
    "BOX_GLYPHS",
    "PLACEHOLDERS",
    "TICKED_GLYPHS",
    "cell_text",
    "paragraph_text",
    "read_date",
    "read_tick",
    "strip_placeholder",
]

_P = f"{{{W}}}p"
_SDT_CONTENT = f"{{{W}}}sdtContent"
_T = f"{{{W}}}t"
_BR = f"{{{W}}}br"
_CR = f"{{{W}}}cr"
_TAB = f"{{{W}}}tab"
_TABS = f"{{{W}}}tabs"
_DEL = f"{{{W}}}del"
_VAL = f"{{{W}}}val"
_PLACEHOLDER = f"{{{W}}}showingPlcHdr"
_CHECKED = f"{{{W14}}}checked"
_DATE = f"{{{W}}}date"
_FULL_DATE = f"{{{W}}}fullDate"

_PLACEHOLDER_ORDER = tuple(WORDS[language][key] for language in WORDS for key in ("write_here", "pick", "pick_date"))
PLACEHOLDERS = frozenset(_PLACEHOLDER_ORDER)
"""Placeholder texts the layout writes (in every language); a cell holding only one of them is empty."""
_PLACEHOLDER_STARTS = _PLACEHOLDER_ORDER
TICKED_GLYPHS = frozenset("☒☑✓✔✗✘")
BOX_GLYPHS = frozenset("☐☒☑✓✔✗✘")


def paragraph_text(paragraph: etree._Element, skip: set[etree._Element]) -> str:
    """The text of a paragraph, with a tab for each tab and a line break for each break (``skip``: nodes left
    out)."""
    parts: list[str] = []
    for node in paragraph.iter(_T, _BR, _CR, _TAB):
        if node in skip or (node.tag == _TAB and getattr(node.getparent(), "tag", None) == _TABS):
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
    for flag in container.iter(_PLACEHOLDER):
        props = flag.getparent()
        sdt = props.getparent() if props is not None else None
        content = sdt.find(_SDT_CONTENT) if sdt is not None else None
        if content is None:
            continue
        nodes = list(content.iter(_T, _BR, _CR, _TAB))
        shown = "".join(node.text or "" for node in nodes if node.tag == _T).strip()
        # Only an untouched placeholder is skipped: a control still flagged as showing its placeholder but
        # holding other text was typed into (LibreOffice does not always clear the flag).
        if not shown or shown in PLACEHOLDERS:
            skip.update(nodes)
    for deleted in container.iter(_DEL):
        skip.update(deleted.iter(_T, _BR, _CR, _TAB))
    return skip


def _t_text(element: etree._Element) -> str:
    """The text of the ``w:t`` elements in ``element`` (with any text after them, as Word would not show it
    but a person may have put it there), in document order."""
    return "".join(cast(Iterator[str], element.itertext(_T)))


def cell_text(cell: etree._Element) -> str:
    """The text of a whole cell: paragraphs joined by line breaks, placeholders left out."""
    whole = _t_text(cell).strip()
    if not whole or whole in PLACEHOLDERS:
        return ""  # an empty or untouched input (the common case, read without the slower walk below)
    skip = _skipped(cell)
    lines = [paragraph_text(p, skip) for p in cell.iter(_P)]
    flagged = next(cell.iter(_PLACEHOLDER), None) is not None
    return strip_placeholder("\n".join(lines), partial=flagged)


def strip_placeholder(text: str, *, partial: bool = False) -> str:
    """``text`` without a placeholder (or the end of one) left beside what a person typed.

    Typing into a placeholder can leave it after the typed text ("Mere ansvarSkriv her …"); and in a control
    LibreOffice still marks as showing its placeholder (``partial``), its last words ("Mere ansvar her …").
    Only the layout's own placeholders are removed.
    """
    stripped = text.strip()
    if stripped in PLACEHOLDERS:
        return ""
    if "…" not in stripped and not stripped.startswith(_PLACEHOLDER_STARTS):
        return text
    for placeholder in _PLACEHOLDER_ORDER:
        if not placeholder.endswith("…"):
            continue
        for size in range(len(placeholder), 2 if partial else len(placeholder) - 1, -1):
            tail = placeholder[-size:]
            if stripped.endswith(tail) and (size == len(placeholder) or placeholder[-size - 1] == " "):
                return stripped[:-size].rstrip()
        if stripped.startswith(placeholder):
            return stripped[len(placeholder) :].lstrip()
    return text


def read_tick(cell: etree._Element) -> tuple[bool, str]:
    """Whether a box in the cell is ticked, and any other text written in the cell.

    The glyph a person sees decides (☒ ☑ ✓ ✔, or an ``x`` typed in the cell); without any glyph, the
    control's ``w14:checked`` flag (in either namespace) does.
    """
    text = _t_text(cell)
    if text == UNCHECKED:
        return False, ""  # the common cases first
    if text == CHECKED:
        return True, ""
    if text.strip() in PLACEHOLDERS:
        text = ""
    stray = "".join(ch for ch in text if ch not in BOX_GLYPHS).strip()
    if stray.lower() == "x":
        return True, ""
    if any(ch in BOX_GLYPHS for ch in text):
        return any(ch in TICKED_GLYPHS for ch in text), stray
    flags = list(cell.iter(_CHECKED, f"{{{W}}}checked"))
    if not flags:
        return False, stray
    value = flags[-1].get(f"{{{W14}}}val", flags[-1].get(_VAL, "0"))
    return value.lower() in ("1", "true", "on"), stray


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
