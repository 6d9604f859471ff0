"""Cell XML as the stamp writes it, and cell values as spreadsheets store them.

Text is written as inline strings (``t="inlineStr"``), so stamping never touches the shared strings;
numbers as ``<v>``; dates as serial numbers (the cell's style already has the date format). Characters XML
cannot hold, and text that reads like Excel's ``_xHHHH_`` escapes, are escaped the way Excel does.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = [
    "EPOCH",
    "FIRST_SERIAL_DATE",
    "MAX_CELL_TEXT",
    "date_of_serial",
    "empty_cell",
    "escape_text",
    "formula_cell",
    "number_text",
    "serial_of_date",
    "text_cell",
    "unescape_text",
    "value_cell",
]

EPOCH = dt.date(1899, 12, 30)
"""Day 0 of the 1900 date system (as Excel counts from 1 March 1900 on)."""
FIRST_SERIAL_DATE = dt.date(1900, 3, 1)
"""Earlier dates have no serial number that every spreadsheet reads alike: they are written as text."""
MAX_CELL_TEXT = 32767
"""The most characters an Excel cell holds."""

_ESCAPE_LIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_UNESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def escape_text(text: str) -> str:
    """``text`` for a ``<t>`` element: XML-escaped, with control characters and ``_xHHHH_`` look-alikes
    written as Excel's ``_xHHHH_`` escapes."""
    if "_x" in text:
        text = _ESCAPE_LIKE.sub("_x005F_", text)
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape_text(text: str) -> str:
    """Text read from a cell with Excel's ``_xHHHH_`` escapes decoded."""
    if "_x" not in text:
        return text
    return _UNESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _attrs(ref: str, style: str) -> str:
    return f'r="{ref}" s="{style}"' if style else f'r="{ref}"'


def empty_cell(ref: str, style: str) -> str:
    """An empty cell keeping its style."""
    return f"<c {_attrs(ref, style)}/>"


def text_cell(ref: str, style: str, text: str) -> str:
    """A cell holding ``text`` as an inline string (empty text: an empty cell)."""
    if not text:
        return empty_cell(ref, style)
    return f'<c {_attrs(ref, style)} t="inlineStr"><is><t xml:space="preserve">{escape_text(text)}</t></is></c>'


def formula_cell(ref: str, style: str, formula: str, cached: str) -> str:
    """A formula cell with its value as last calculated (so that readers that do not calculate see it)."""
    f = formula.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c {_attrs(ref, style)} t="str"><f>{f}</f><v>{escape_text(cached)}</v></c>'


def serial_of_date(day: dt.date) -> int:
    """The serial number of a date in the 1900 date system."""
    return (day - EPOCH).days


def date_of_serial(serial: float, date1904: bool = False) -> dt.date | None:
    """The date of a serial number (its time of day dropped), or None when out of range."""
    try:
        base = dt.date(1904, 1, 1) if date1904 else EPOCH
        return base + dt.timedelta(days=int(serial // 1))
    except (OverflowError, ValueError):
        return None


def number_text(number: float) -> str:
    """A number as a person reads it: ``4`` rather than ``4.0``."""
    if number == int(number) and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def value_cell(ref: str, style: str, value: str | int | float | dt.date | None) -> str:
    """A cell showing ``value``: text inline, numbers as they are, dates as serial numbers."""
    if value is None:
        return empty_cell(ref, style)
    if isinstance(value, str):
        return text_cell(ref, style, value)
    if isinstance(value, dt.date):
        if value < FIRST_SERIAL_DATE:
            return text_cell(ref, style, f"{value.day:02d}-{value.month:02d}-{value.year:04d}")
        return f"<c {_attrs(ref, style)}><v>{serial_of_date(value)}</v></c>"
    return f"<c {_attrs(ref, style)}><v>{number_text(float(value))}</v></c>"
