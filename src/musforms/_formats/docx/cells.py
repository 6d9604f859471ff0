"""What one cell of a Word form holds, as a person reads it: its text (placeholders and tracked deletions left
out, line breaks and tabs kept, every character a run can hold as Word shows it), whether its box is ticked,
and its date.

Besides ``w:t``, a run holds characters as elements of their own, read so:

- ``w:noBreakHyphen`` (Ctrl+Shift+- in Word): ``-``. It is a hyphen where the line may not break; a person
  typed a hyphen and searches, compares and pastes it as one, so the plain hyphen is given back, not U+2011.
- ``w:softHyphen`` (Ctrl+-): nothing. It only says where a word may be split and is not shown otherwise;
  U+00AD would make "MUS-samtalen" differ from what the person sees.
- ``w:sym``: the character its ``w:char`` code names (``2713`` is ✓; a symbol font's code, ``F0FC`` in
  Wingdings, is its private-use character, as Word stores it); a code that is no character reads as nothing.
- ``w:tab`` and ``w:ptab``: a tab; ``w:br`` (any kind) and ``w:cr``: a line break.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from lxml import etree

from musforms._formats.docx.ooxml import CHECKED, UNCHECKED, W14, W
from musforms._formats.docx.placeholders import GENERIC, PLACEHOLDERS, Marks

__all__ = [
    "BOX_GLYPHS",
    "PLACEHOLDERS",
    "RUN_CHARACTERS",
    "TICKED_GLYPHS",
    "VISIBLE_CHARACTERS",
    "cell_text",
    "character",
    "paragraph_text",
    "read_date",
    "read_tick",
    "shows_characters",
    "strip_placeholder",
]

_P = f"{{{W}}}p"
_SDT_CONTENT = f"{{{W}}}sdtContent"
_T = f"{{{W}}}t"
_BR = f"{{{W}}}br"
_CR = f"{{{W}}}cr"
_TAB = f"{{{W}}}tab"
_PTAB = f"{{{W}}}ptab"
_NO_BREAK_HYPHEN = f"{{{W}}}noBreakHyphen"
_SOFT_HYPHEN = f"{{{W}}}softHyphen"
_SYM = f"{{{W}}}sym"
_CHAR = f"{{{W}}}char"
_RUN = (_T, _BR, _CR, _TAB, _PTAB, _NO_BREAK_HYPHEN, _SOFT_HYPHEN, _SYM)
"""Every element of a run that stands for text."""
RUN_CHARACTERS = (_BR, _CR, _TAB, _PTAB, _NO_BREAK_HYPHEN, _SOFT_HYPHEN, _SYM)
"""The elements of a run that stand for a character of their own (not text in a ``w:t``)."""
_VISIBLE = (_NO_BREAK_HYPHEN, _SYM)
"""Those that show a character other than white space."""
VISIBLE_CHARACTERS = _VISIBLE
"""The run characters outside ``w:t`` that show a character other than white space (see :func:`shows_characters`)."""
_TABS = f"{{{W}}}tabs"
_DEL = f"{{{W}}}del"
_VAL = f"{{{W}}}val"
_PLACEHOLDER = f"{{{W}}}showingPlcHdr"
_CHECKED = f"{{{W14}}}checked"
_DATE = f"{{{W}}}date"
_FULL_DATE = f"{{{W}}}fullDate"

TICKED_GLYPHS = frozenset("☒☑✓✔✗✘")
BOX_GLYPHS = frozenset("☐☒☑✓✔✗✘")


def paragraph_text(paragraph: etree._Element, skip: set[etree._Element]) -> str:
    """The text of a paragraph as Word shows it: a tab for each tab, a line break for each break, and each
    character element read as the module says (``skip``: nodes left out)."""
    parts: list[str] = []
    for node in paragraph.iter(*_RUN):
        if node in skip or (node.tag == _TAB and getattr(node.getparent(), "tag", None) == _TABS):
            continue
        parts.append(node.text or "" if node.tag == _T else character(node))
    return "".join(parts)


def character(node: etree._Element) -> str:
    """What a run's character element shows (see the module's docstring)."""
    tag = node.tag
    if tag in (_TAB, _PTAB):
        return "\t"
    if tag in (_BR, _CR):
        return "\n"
    if tag == _NO_BREAK_HYPHEN:
        return "-"
    if tag == _SYM:
        return _symbol(node.get(_CHAR, ""))
    return ""  # a soft hyphen


def _symbol(code: str) -> str:
    """The character a ``w:sym`` names by its hexadecimal code, or nothing when it names none."""
    try:
        value = int(code, 16) if 0 < len(code) <= 6 else -1
    except ValueError:
        return ""
    if not 0x20 <= value <= 0x10FFFF or 0xD800 <= value <= 0xDFFF or 0x7F <= value <= 0x9F:
        return ""
    return chr(value)


def shows_characters(element: etree._Element) -> bool:
    """Whether ``element`` holds a character element that shows more than white space."""
    return next(element.iter(*_VISIBLE), None) is not None


def _skipped(container: etree._Element, marks: Marks = GENERIC) -> set[etree._Element]:
    """Text nodes not to read: placeholders of untouched controls (``marks``: the input's), and tracked
    deletions."""
    skip: set[etree._Element] = set()
    for flag in container.iter(_PLACEHOLDER):
        props = flag.getparent()
        sdt = props.getparent() if props is not None else None
        content = sdt.find(_SDT_CONTENT) if sdt is not None else None
        if content is None:
            continue
        nodes = list(content.iter(*_RUN))
        shown = "".join(node.text or "" for node in nodes if node.tag == _T).strip()
        # Only an untouched placeholder is skipped: a control still flagged as showing its placeholder but
        # holding other text was typed into (LibreOffice does not always clear the flag).
        if marks.empty(shown, flagged=True):
            skip.update(nodes)
    for deleted in container.iter(_DEL):
        skip.update(deleted.iter(*_RUN))
    return skip


def _t_text(element: etree._Element) -> str:
    """The text of the ``w:t`` elements in ``element`` (with any text after them, as Word would not show it
    but a person may have put it there), in document order."""
    return "".join(cast(Iterator[str], element.itertext(_T)))


def cell_text(cell: etree._Element, marks: Marks = GENERIC) -> str:
    """The text of a whole cell: paragraphs joined by line breaks, placeholders left out (``marks``: the
    placeholders of the cell's input, :func:`musforms._formats.docx.placeholders.marks_of`)."""
    whole = _t_text(cell).strip()
    if (not whole or whole in marks.always) and not shows_characters(cell):
        return ""  # an empty or untouched input (the common case, read without the slower walk below)
    skip = _skipped(cell, marks)
    lines = [paragraph_text(p, skip) for p in cell.iter(_P)]
    flagged = next(cell.iter(_PLACEHOLDER), None) is not None
    return marks.strip("\n".join(lines), partial=flagged)


def strip_placeholder(text: str, *, partial: bool = False, marks: Marks = GENERIC) -> str:
    """``text`` without a placeholder (or the end of one) left beside what a person typed (see
    :meth:`musforms._formats.docx.placeholders.Marks.strip`): "Mere ansvarSkriv her …" is "Mere ansvar"."""
    return marks.strip(text, partial=partial)


def read_tick(cell: etree._Element) -> tuple[bool, str]:
    """Whether a box in the cell is ticked, and any other text written in the cell.

    The glyph a person sees decides (☒ ☑ ✓ ✔, or an ``x`` typed in the cell); without any glyph, the
    control's ``w14:checked`` flag (in either namespace) does.
    """
    text = _t_text(cell)
    if shows_characters(cell):  # a symbol inserted (a ✓ from a symbol dialog), a non-breaking hyphen
        text = "".join(node.text or "" if node.tag == _T else character(node) for node in cell.iter(_T, *_VISIBLE))
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


def read_date(cell: etree._Element, marks: Marks = GENERIC) -> str:
    """The text of a date cell, or the picked date when the text is gone."""
    text = cell_text(cell, marks)
    if text.strip():
        return text
    for node in cell.iter(_DATE):
        full = node.get(_FULL_DATE)
        if full:
            return full[:10]
    return ""
