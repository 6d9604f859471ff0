"""The names a workbook is read by: its sheets, cell addresses, and the defined name of each answer cell."""

from __future__ import annotations

import re

from musforms._core.binding import MAX_INPUT_NAME, input_name

__all__ = [
    "FORM_SHEET",
    "LAYOUT_PROPERTY",
    "LAYOUT_VERSION",
    "LISTS_SHEET",
    "MAX_NAME",
    "META_SHEET",
    "cell_ref",
    "column_letter",
    "defined_name",
    "form_sheet_name",
    "is_valid_name",
    "split_ref",
]

FORM_SHEET = "MUS"
"""What the sheet holding the form was called in workbooks made before it was named by :func:`form_sheet_name`
(still read)."""

_FORM_SHEET_NAMES = {
    "da": {
        ("preparation", "employee"): "Medarbejderens forberedelse",
        ("preparation", "manager"): "Lederens forberedelse",
        ("plan", "employee"): "Udviklingsplan",
        ("plan", "manager"): "Udviklingsplan",
        ("followup", "employee"): "Opfølgning",
        ("followup", "manager"): "Opfølgning",
    },
    "en": {
        ("preparation", "employee"): "Employee preparation",
        ("preparation", "manager"): "Manager preparation",
        ("plan", "employee"): "Development plan",
        ("plan", "manager"): "Development plan",
        ("followup", "employee"): "Follow-up",
        ("followup", "manager"): "Follow-up",
    },
}


def form_sheet_name(purpose: str, role: str, language: str) -> str:
    """The name of the sheet holding the form: what it holds, in the form's language ("Lederens forberedelse").
    At most 31 characters and without the characters Excel refuses in a sheet name, nor an apostrophe."""
    names = _FORM_SHEET_NAMES.get(language, _FORM_SHEET_NAMES["da"])
    return names.get((purpose, role), FORM_SHEET)


LAYOUT_PROPERTY = "musforms.layout"
"""The custom property (and ``_meta`` row) naming the layout a workbook was made with."""
LAYOUT_VERSION = "xlsx-2"
"""The version of the workbook's layout: a parser compares the cells outside the answer cells with what the form
printed there only in a workbook of the same layout (xlsx-2: laid out for print, one page wide at full size;
workbooks made before say no version)."""

LISTS_SHEET = "_lists"
"""A hidden sheet holding the items of every drop-down (so no list is bound by Excel's 255 characters)."""
META_SHEET = "_meta"
"""A hidden sheet holding the form's identity as key/value rows (a second copy of the custom properties)."""

MAX_NAME = MAX_INPUT_NAME
"""Defined names are kept as short as Word's bookmarks, so that a field's input has the same name in both."""

_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")
_NAME = re.compile(r"^[A-Za-z_\\][A-Za-z0-9_.\\]*$")
_A1_LIKE = re.compile(r"^[A-Za-z]{1,3}[0-9]+$")
_R1C1_LIKE = re.compile(r"^[RrCc]([0-9]*)$|^[Rr][0-9]*[Cc][0-9]*$")


def defined_name(field_id: str, part: str = "") -> str:
    """The defined name of one answer cell (:func:`musforms._core.binding.input_name`: the Word bookmark's)."""
    return input_name(field_id, part)


def is_valid_name(name: str) -> bool:
    """Whether ``name`` is a valid Excel defined name: at most 255 characters, starting with a letter, ``_``
    or ``\\``, of letters, digits, ``_``, ``.`` and ``\\``, and never read as an A1 or R1C1 reference."""
    return 0 < len(name) <= 255 and bool(_NAME.match(name)) and not _A1_LIKE.match(name) and not _R1C1_LIKE.match(name)


def column_letter(number: int) -> str:
    """The letters of column ``number`` (1 → ``A``, 27 → ``AA``)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, column: int) -> str:
    """The A1 address of a cell: ``cell_ref(14, 2) == "B14"``."""
    return f"{column_letter(column)}{row}"


def split_ref(ref: str) -> tuple[int, int] | None:
    """(row, column) of an A1 address (``$`` allowed), or None when ``ref`` is not one."""
    match = _REF.match(ref.upper())
    if not match:
        return None
    column = 0
    for char in match[1]:
        column = column * 26 + ord(char) - 64
    return int(match[2]), column
