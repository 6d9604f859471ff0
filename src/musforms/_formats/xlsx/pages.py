"""A workbook on paper: the page (A4 portrait, the Word forms' margins), how tall a row of wrapped text must be,
and where the pages break so that a heading stays with its box (no openpyxl here).

Column widths are in Excel's units (characters of the default font). Two readers print them differently:
Excel with Calibri makes a unit about 5.25 pt wide, LibreOffice without Calibri (DejaVu Sans in its place)
7 pt. The columns are chosen so that the widest of them fits the printable width at 100 %; the row heights so
that the narrowest wraps its text in them (more lines than the other one needs, never fewer).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from functools import lru_cache

__all__ = [
    "CHAR_PT",
    "LINE_FACTOR",
    "MARGINS_CM",
    "MAX_HEIGHT",
    "PAGE_HEIGHT",
    "PAGE_ROOM",
    "PRINT_WIDTH",
    "max_columns",
    "page_breaks",
    "per_line",
    "row_heights",
    "text_height",
    "wrapped_lines",
]

_CM = 72 / 2.54
PAGE_HEIGHT = 297 * _CM / 10
"""A4's height, in points."""
MARGINS_CM = {"left": 2.0, "right": 2.0, "top": 2.6, "bottom": 2.0, "header": 0.9, "footer": 1.0}
"""The page margins, as the Word forms have them (the header and footer inside the top and bottom margins)."""
PRINT_WIDTH = (21.0 - MARGINS_CM["left"] - MARGINS_CM["right"]) * _CM
"""The printable width of A4 between the margins, in points (482)."""
PAGE_ROOM = PAGE_HEIGHT - (MARGINS_CM["top"] + MARGINS_CM["bottom"]) * _CM - 8
"""The height the rows of one page may take, in points, with a little room for rounding."""
CHAR_PT = 7.0
"""The widest a unit of column width prints (LibreOffice with DejaVu Sans for the default font), in points."""
MAX_HEIGHT = 409.0
"""Excel's highest row, in points."""
LINE_FACTOR = 1.28
"""A line of text is this many times its font size tall (Excel: Calibri's 1.22 rounded up to whole pixels;
LibreOffice with DejaVu Sans 1.16)."""
_NARROW_UNIT = 5.25
"""The narrowest a unit of column width prints (Excel, Calibri 11), in points."""
_EM = {False: 0.42, True: 0.46}
"""A character's mean width in ems in running text (regular, bold): Calibri's, with room to spare (in
LibreOffice without Calibri the columns are wider by more than its font is)."""
_PADDING = 4.0
"""A cell's left and right padding together, in points."""


def max_columns() -> float:
    """The widest a sheet's columns may be together (in units) to print one page wide at 100 %."""
    return PRINT_WIDTH / CHAR_PT


def per_line(width: float, size: float, *, bold: bool = False) -> int:
    """How many characters of a ``size`` pt font a cell ``width`` units wide holds on one line (at least 4)."""
    return max(4, int((width * _NARROW_UNIT - _PADDING) / (size * _EM[bold])))


@lru_cache(maxsize=4096)
def wrapped_lines(text: str, chars: int) -> int:
    """How many lines ``text`` takes wrapped at word boundaries in lines of ``chars`` characters (a word longer
    than a line is broken); each line break of the text starts a line."""
    total = 0
    for paragraph in text.split("\n"):
        if len(paragraph) <= chars:
            total += 1
            continue
        lines, used = 1, -1  # used: the characters on the line so far, with the space before the next word
        for size in map(len, paragraph.split()):
            if used + 1 + size <= chars:
                used += 1 + size
                continue
            if used >= 0:
                lines += 1
            broken = (size - 1) // chars  # a word longer than a line takes whole lines of its own
            lines += broken
            used = size - broken * chars
        total += lines
    return max(1, total)


def text_height(
    text: str, width: float, size: float = 10.0, *, min_lines: int = 1, bold: bool = False, room: float = 5.0
) -> float:
    """A row height (points) that shows ``text`` wrapped in a cell ``width`` units wide at ``size`` pt, with at
    least ``min_lines`` lines (Excel's highest row at most)."""
    lines = max(wrapped_lines(text, per_line(width, size, bold=bold)), min_lines)
    return min(MAX_HEIGHT, round(lines * size * LINE_FACTOR + room, 1))


def page_breaks(
    heights: Sequence[float], keep: Collection[int], room: float = PAGE_ROOM, *, repeat: float = 0.0
) -> list[int]:
    """The rows after which a new page starts (1-based), for rows ``heights[0]`` (row 1) onward.

    A row in ``keep`` is printed on the page of the row below it: a heading with its box, a signature's rows.
    Such a run starts a new page when it does not fit on this one; a run taller than a page is split where
    its rows no longer fit. ``repeat``: the height of the rows printed again at the top of every page after the
    first (the print titles).
    """
    breaks: list[int] = []
    used = 0.0
    start = 1
    count = len(heights)
    while start <= count:
        end = start
        while end < count and end in keep:
            end += 1
        block = heights[start - 1 : end]
        total = sum(block)
        if used + total <= room:
            used += total
        elif repeat + total <= room:
            breaks.append(start - 1)
            used = repeat + total
        else:
            for row, height in enumerate(block, start=start):
                if used + height > room and used > repeat:
                    breaks.append(row - 1)
                    used = repeat
                used += height
        start = end + 1
    return [row for row in breaks if row > 0]


def row_heights(heights: Mapping[int, float], last_row: int, default: float = 15.0) -> list[float]:
    """Rows 1..``last_row`` as a list of heights (a row without one: ``default``)."""
    return [heights.get(row, default) for row in range(1, last_row + 1)]
