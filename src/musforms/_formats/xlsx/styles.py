"""The look of the Excel form: each style key of the layout as openpyxl font, fill, border, alignment,
number format and protection. Only the answer cells (``in_*``) are unlocked."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

__all__ = ["DATE_FORMAT", "TEXT_FORMAT", "CellStyle", "cell_style"]

DATE_FORMAT = "DD-MM-YYYY"
TEXT_FORMAT = "@"
ACCENT = "1F3A5F"
GREY = "595959"
LABEL_FILL = "F2F2F2"
HEAD_FILL = "DCE3EC"
INPUT_FILL = "FFFBE6"
LINE = "8C8C8C"
FONT = "Calibri"


@dataclass(frozen=True)
class CellStyle:
    """The openpyxl style objects of one style key."""

    font: Font
    alignment: Alignment
    number_format: str
    protection: Protection
    fill: PatternFill | None = None
    border: Border | None = None


def _font(size: float = 10, *, bold: bool = False, italic: bool = False, color: str | None = None) -> Font:
    return Font(name=FONT, size=size, bold=bold, italic=italic, color=color)


def _fill(color: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=color, end_color=color)


_SIDE = Side(style="thin", color=LINE)
_BOX = Border(left=_SIDE, right=_SIDE, top=_SIDE, bottom=_SIDE)
_SIGN = Border(bottom=Side(style="medium", color="404040"))
_LOCKED = Protection(locked=True)
_UNLOCKED = Protection(locked=False)


def _align(horizontal: str | None = None, vertical: str = "center", *, wrap: bool = True) -> Alignment:
    """No cell shrinks its text to fit: on paper it would print under 8 pt."""
    return Alignment(horizontal=horizontal, vertical=vertical, wrap_text=wrap)


_STYLES: dict[str, tuple[Font, Alignment, str, bool, str | None, bool | Border]] = {
    # key: (font, alignment, number format, unlocked, fill colour, boxed or a border); no font under 9 pt
    "title": (_font(16, bold=True, color=ACCENT), _align(), "General", False, None, False),
    "subtitle": (_font(12, color=GREY), _align(), "General", False, None, False),
    "how": (_font(10, italic=True), _align(vertical="top"), "General", False, None, False),
    "people_label": (_font(10, bold=True), _align(), "General", False, LABEL_FILL, True),
    "people_value": (_font(10), _align(), "General", False, None, True),
    "intro": (_font(10), _align(vertical="top"), "General", False, None, False),
    "band": (_font(12, bold=True, color="FFFFFF"), _align(), "General", False, ACCENT, False),
    "band_time": (_font(9, color="FFFFFF"), _align("right"), "General", False, ACCENT, False),
    "guidance": (_font(9.5, italic=True, color=GREY), _align(vertical="top"), "General", False, None, False),
    "label": (_font(10, bold=True), _align(), "General", False, LABEL_FILL, True),
    "help": (_font(9, color=GREY), _align(vertical="top"), "General", False, None, False),
    "info_label": (_font(10, bold=True), _align(), "General", False, None, False),
    "info": (_font(10), _align(vertical="top"), "General", False, None, False),
    "head": (_font(10, bold=True), _align(), "General", False, HEAD_FILL, True),
    "head_center": (_font(10, bold=True), _align("center"), "General", False, HEAD_FILL, True),
    "legend": (_font(9, color=GREY), _align(), "General", False, HEAD_FILL, True),
    "item": (_font(10), _align(), "General", False, None, True),
    "chosen": (_font(9, italic=True, color=GREY), _align(), "General", False, None, True),
    "caption": (_font(9, color=GREY), _align(vertical="top"), "General", False, None, False),
    "hint": (_font(9, color=GREY), _align(), "General", False, None, False),
    "sign": (_font(10), _align(), "General", False, None, _SIGN),
    "blank": (_font(10), _align(), "General", False, LABEL_FILL, True),
    "in_text": (_font(10.5), _align(vertical="top"), TEXT_FORMAT, True, INPUT_FILL, True),
    "in_line": (_font(10.5), _align(), TEXT_FORMAT, True, INPUT_FILL, True),
    "in_date": (_font(10), _align("center", wrap=False), DATE_FORMAT, True, INPUT_FILL, True),
    "in_tick": (_font(12, bold=True), _align("center", wrap=False), TEXT_FORMAT, True, INPUT_FILL, True),
    "in_rating": (_font(11, bold=True), _align("center"), "General", True, INPUT_FILL, True),
    "in_option": (_font(10), _align(), TEXT_FORMAT, True, INPUT_FILL, True),
    "list": (_font(10), _align(wrap=False), "General", False, None, False),
    "meta": (_font(10), _align(wrap=False), TEXT_FORMAT, False, None, False),
}


@lru_cache(maxsize=64)
def cell_style(key: str) -> CellStyle:
    """The style of ``key`` (``KeyError`` for an unknown key)."""
    font, alignment, number_format, unlocked, fill, boxed = _STYLES[key]
    return CellStyle(
        font=font,
        alignment=alignment,
        number_format=number_format,
        protection=_UNLOCKED if unlocked else _LOCKED,
        fill=_fill(fill) if fill else None,
        border=boxed if isinstance(boxed, Border) else _BOX if boxed else None,
    )
