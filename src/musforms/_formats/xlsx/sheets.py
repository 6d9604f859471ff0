"""The Excel form as data: what every cell of its three sheets holds, and the person it is stamped for.

A :class:`Layout` (made by :func:`musforms._formats.xlsx.layout.compile_layout`) says what each cell holds:
fixed text, a formula, a *slot* whose text depends on the person (names, texts with Jinja, the identity), or an
*input* (an answer cell, found by its :class:`Anchor`). Writing (:mod:`musforms._formats.xlsx.build`,
:mod:`musforms._formats.xlsx.render`) and reading (:mod:`musforms._formats.xlsx.parse`) both work from the
layout, so they cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from musforms._core import binding
from musforms._core.codec import parse_date
from musforms._formats.xlsx.names import cell_ref
from musforms._formats.xlsx.pages import page_breaks, row_heights
from musforms._model.context import Context
from musforms._model.fields import Role
from musforms._model.filled import FormIdentity
from musforms._model.template import Template

__all__ = [
    "TICK",
    "TITLE_ROWS",
    "Anchor",
    "Cell",
    "CellValue",
    "Fill",
    "HeaderFooter",
    "HeightFill",
    "Layout",
    "SheetLayout",
    "Stamp",
    "Validation",
    "ValidationKind",
    "header_footer_text",
    "xwords",
]

CellValue = str | int | float | dt.date
TITLE_ROWS = 2
"""The form's first rows (its title and whose form it is), printed again at the top of every page."""
TICK = "X"

_XWORDS: dict[str, dict[str, str]] = {
    "da": {
        "answer": "Svar",
        "tick_check": "Skriv X for ja",
        "tick_option": "Skriv X ud for hvert svar, der passer",
        "error_title": "Ugyldigt svar",
        "error_rating": "Vælg et punkt på skalaen i listen.",
        "error_list": "Vælg et svar i listen.",
        "error_tick": "Skriv X for at sætte kryds.",
        "error_date": "Skriv en dato som dd-mm-åååå.",
        "how_to_fill": "Skriv dine svar i de gule felter. Når du vælger et felt, står der, hvad du skal skrive i "
        "det; felter med en liste har en pil.",
        "prompt_text": "Skriv dit svar.",
        "prompt_line": "Skriv på én linje.",
        "prompt_date": "Skriv en dato som dd-mm-åååå.",
        "prompt_tick": "Skriv X for at sætte kryds.",
        "prompt_rating": "Vælg et punkt på skalaen i listen (pilen).",
        "prompt_list": "Vælg i listen (pilen): {choices}.",
        "choices": "Valgmuligheder",
    },
    "en": {
        "answer": "Answer",
        "tick_check": "Type X for yes",
        "tick_option": "Type X beside each answer that applies",
        "error_title": "Invalid answer",
        "error_rating": "Choose a point of the scale from the list.",
        "error_list": "Choose an answer from the list.",
        "error_tick": "Type X to tick.",
        "error_date": "Type a date as dd-mm-yyyy.",
        "how_to_fill": "Type your answers in the yellow cells. When you select a cell, it says what to type in it; "
        "cells with a list have an arrow.",
        "prompt_text": "Type your answer.",
        "prompt_line": "Type on one line.",
        "prompt_date": "Type a date as dd-mm-yyyy.",
        "prompt_tick": "Type X to tick.",
        "prompt_rating": "Choose a point of the scale from the list (the arrow).",
        "prompt_list": "Choose from the list (the arrow): {choices}.",
        "choices": "Choices",
    },
}


def xwords(language: str) -> dict[str, str]:
    """The words only the Excel form prints (Danish for anything unknown)."""
    return _XWORDS.get(language, _XWORDS["da"])


@dataclass(frozen=True)
class Anchor(binding.Anchor):
    """One answer cell: the input it holds, and its address on the form sheet."""

    ref: str
    items: tuple[CellValue, ...] = ()
    """For a pick list: what its list holds for each of the spec's choices, in order (a scale point as its
    number); the cell stores the item picked."""


@dataclass
class Stamp:
    """What one employee's workbook is filled in with: context, prefilled answers and identity."""

    context: Context
    values: Mapping[str, Mapping[str, str | bool]]
    """Field id → input part → what the input shows (from :func:`musforms._core.codec.encode`, with pick
    lists); a field given no answer maps to nothing."""
    identity: FormIdentity
    heights: dict[tuple[str, int], float] = field(default_factory=dict, repr=False, compare=False)
    """Row heights worked out for this stamp, by (sheet, row): the row and the page breaks both need them."""

    def value(self, anchor: Anchor) -> CellValue | None:
        """What the answer cell of ``anchor`` holds (None: empty): text, ``X`` for a tick, a date, or the
        item picked from a list."""
        shown = self.values.get(anchor.field_id, {}).get(anchor.spec.part)
        if not shown:
            return None
        if shown is True:
            return TICK
        if anchor.items:
            labels = [label for _choice, label in anchor.spec.choices]
            return anchor.items[labels.index(shown)] if shown in labels else shown
        if anchor.spec.kind == "date":
            return parse_date(shown) or shown
        return shown


Fill = Callable[[Stamp], str]
HeaderFooter = dict[str, tuple[str, str | None, int | None]]
"""A page header or footer: position (``L``, ``C``, ``R``) → (text with codes, font, size)."""
HeightFill = Callable[[Stamp], float]


@dataclass
class Cell:
    """One cell: a style key, and fixed content, a slot (``fill``), a formula, or an input."""

    style: str
    value: str | int | float | None = None
    fill: Fill | None = None
    formula: str | None = None
    input: Anchor | None = None
    field_id: str | None = None
    """For a slot that shows an answer (the label beside a rating): the field it depends on."""


ValidationKind = Literal["list", "date", "any"]


@dataclass(frozen=True)
class Validation:
    """A data validation over some cells: a drop-down list (its source on the lists sheet), a date, or any
    value; with the input message shown when one of its cells is selected (what to enter there)."""

    kind: ValidationKind
    formula1: str
    formula2: str | None
    error: str
    refs: tuple[str, ...] = ()
    prompt_title: str = ""
    """At most 32 characters (Excel's limit)."""
    prompt: str = ""
    """At most 255 characters (Excel's limit)."""


_VKey = tuple[ValidationKind, str, str | None, str, str]


@dataclass
class SheetLayout:
    """The cells of one sheet, row by row, with row heights, merged ranges and validations."""

    name: str
    state: Literal["visible", "hidden"] = "visible"
    widths: dict[str, float] = field(default_factory=dict)
    rows: dict[int, dict[int, Cell]] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    dynamic_heights: dict[int, tuple[HeightFill, str | None]] = field(default_factory=dict)
    """Rows whose height depends on the stamp: (height, the field it depends on or None for the context)."""
    merges: list[str] = field(default_factory=list)
    validations: dict[_VKey, list[str]] = field(default_factory=dict)
    errors: dict[_VKey, str] = field(default_factory=dict)
    breaks: list[int] = field(default_factory=list)
    """Rows where the stamped XML may be cut into separately deflated runs (a section starts)."""
    keep: set[int] = field(default_factory=set)
    """Rows printed on the same page as the row below them (a heading and its box, a signature's rows)."""

    def put(self, row: int, column: int, cell: Cell) -> Cell:
        self.rows.setdefault(row, {})[column] = cell
        return cell

    def span(self, row: int, first: int, last: int, cell: Cell) -> Cell:
        """``cell`` in ``first`` with the columns up to ``last`` merged into it (styled alike for borders)."""
        self.put(row, first, cell)
        if last > first:
            for column in range(first + 1, last + 1):
                self.put(row, column, Cell(cell.style))
            self.merges.append(f"{cell_ref(row, first)}:{cell_ref(row, last)}")
        return cell

    def validate(
        self,
        kind: ValidationKind,
        formula1: str,
        formula2: str | None,
        error: str,
        ref: str,
        prompt: tuple[str, str] = ("", ""),
    ) -> None:
        """Validate the cell ``ref``; ``prompt`` is its input message (title, text)."""
        key: _VKey = (kind, formula1, formula2, prompt[0][:32], prompt[1][:255])
        self.validations.setdefault(key, []).append(ref)
        self.errors[key] = error

    def validation_list(self) -> list[Validation]:
        """The validations, each over all the cells it applies to."""
        return [
            Validation(key[0], key[1], key[2], self.errors[key], tuple(refs), key[3], key[4])
            for key, refs in self.validations.items()
        ]

    def height_at(self, row: int, stamp: Stamp | None) -> float | None:
        """The height of ``row`` (None: the default), following its text in ``stamp`` (None: blank)."""
        dynamic = self.dynamic_heights.get(row)
        if dynamic is None or stamp is None:
            return self.heights.get(row)
        key = (self.name, row)
        if key not in stamp.heights:
            stamp.heights[key] = dynamic[0](stamp)
        return stamp.heights[key]

    def cell(self, ref_row: int, column: int) -> Cell | None:
        return self.rows.get(ref_row, {}).get(column)


@dataclass
class Layout:
    """A compiled form: the form sheet, the hidden lists and identity sheets, and every answer cell's anchor."""

    template: Template
    role: Role
    form: SheetLayout
    lists: SheetLayout
    meta: SheetLayout
    anchors: dict[str, Anchor] = field(default_factory=dict)
    """Answer cells by defined name, in form order."""
    by_field: dict[str, list[Anchor]] = field(default_factory=dict)
    last_row: int = 0
    header: Callable[[Stamp], HeaderFooter] = lambda stamp: {}
    footer: Callable[[Stamp], HeaderFooter] = lambda stamp: {}
    meta_keys: tuple[str, ...] = ()

    def sheets(self) -> tuple[SheetLayout, SheetLayout, SheetLayout]:
        return (self.form, self.lists, self.meta)

    def page_breaks(self, stamp: Stamp | None) -> list[int]:
        """The rows the form sheet's pages end after, with the row heights ``stamp`` gives (None: blank)."""
        form = self.form
        heights = dict(form.heights)
        if stamp is not None:
            for row in form.dynamic_heights:
                heights[row] = form.height_at(row, stamp) or 15.0
        rows = row_heights(heights, self.last_row)
        return page_breaks(rows, form.keep, repeat=sum(rows[:TITLE_ROWS]))


def header_footer_text(parts: HeaderFooter) -> str:
    """A header or footer in Excel's mini-format (``&L``, ``&R``, fonts and sizes), as openpyxl writes it."""
    out = []
    for position in ("L", "C", "R"):
        if position in parts:
            text, font, size = parts[position]
            out.append(f"&{position}" + (f'&"{font}"' if font else "") + (f"&{size} " if size else "") + text)
    return "".join(out)
