"""The Excel form as data: what every cell of its three sheets holds, and the person it is stamped for.

A :class:`Plan` (made by :func:`musforms._formats.xlsx.layout.compile_plan`) says what each cell holds: fixed
text, a formula, a *slot* whose text depends on the person (names, texts with Jinja, the identity), or an
*input* (an answer cell, with its defined name). Writing (:mod:`musforms._formats.xlsx.build`,
:mod:`musforms._formats.xlsx.render`) and reading (:mod:`musforms._formats.xlsx.parse`) both work from the
plan, so they cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from musforms._core.codec import AGREEMENT_COLUMN_CODES
from musforms._core.i18n import agreement_choice_labels, words
from musforms._formats.xlsx.names import cell_ref
from musforms._model.context import Context
from musforms._model.fields import (
    AgreementsField,
    CheckField,
    ChoiceField,
    DateField,
    FormField,
    RatingField,
    Role,
    SignatureField,
    TextField,
)
from musforms._model.filled import FormIdentity
from musforms._model.template import Template
from musforms._model.values import NOT_RELEVANT

__all__ = [
    "TICK",
    "Cell",
    "CellValue",
    "Fill",
    "HeaderFooter",
    "HeightFill",
    "InputKind",
    "Plan",
    "SheetPlan",
    "Stamp",
    "Validation",
    "XInput",
    "field_cells",
    "header_footer_text",
    "xwords",
]

InputKind = Literal["text", "line", "date", "tick", "rating", "option", "pick"]
"""``text``/``line``: text; ``date``; ``tick``: an ``X`` cell; ``rating``: a drop-down of a scale's points;
``option``: a drop-down of a single choice's options; ``pick``: an agreement's owner, status or method."""

CellValue = str | int | float | dt.date
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
    },
}


def xwords(language: str) -> dict[str, str]:
    """The words only the Excel form prints (Danish for anything unknown)."""
    return _XWORDS.get(language, _XWORDS["da"])


@dataclass
class Stamp:
    """What one employee's workbook is filled in with: context, prefilled answers (validated) and identity."""

    context: Context
    answers: Mapping[str, Any]
    identity: FormIdentity
    template: Template | None = None
    _cells: dict[str, dict[str, CellValue]] = field(default_factory=dict)

    def value(self, field_id: str, part: str) -> CellValue | None:
        """What the answer cell ``part`` of ``field_id`` shows (None: empty)."""
        cells = self._cells.get(field_id)
        if cells is None:
            assert self.template is not None
            answer = self.answers.get(field_id)
            cells = field_cells(self.template, self.template.field(field_id), answer) if answer is not None else {}
            self._cells[field_id] = cells
        return cells.get(part)


@dataclass(frozen=True)
class XInput:
    """One answer cell: its defined name, field, part, kind and address on the form sheet."""

    name: str
    field_id: str
    part: str
    kind: InputKind
    ref: str
    choices: tuple[tuple[str, str], ...] = ()
    """``rating``: (decode part, printed item) such as ("p4", "4") or ("na", "Ikke relevant"); ``option``:
    ("o2", option label); ``pick``: (value, printed label)."""
    labels: tuple[tuple[str, str], ...] = ()
    """Also accepted as answers: ``rating``: (decode part, point label) such as ("p4", "I høj grad");
    ``option``: (decode part, option id)."""


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
    input: XInput | None = None
    field_id: str | None = None
    """For a slot that shows an answer (the label beside a rating): the field it depends on."""


@dataclass(frozen=True)
class Validation:
    """A data validation over some cells: a drop-down list (its source on the lists sheet) or a date."""

    kind: Literal["list", "date"]
    formula1: str
    formula2: str | None
    error: str
    refs: tuple[str, ...] = ()


_VKey = tuple[Literal["list", "date"], str, str | None]


@dataclass
class SheetPlan:
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
        self, kind: Literal["list", "date"], formula1: str, formula2: str | None, error: str, ref: str
    ) -> None:
        key: _VKey = (kind, formula1, formula2)
        self.validations.setdefault(key, []).append(ref)
        self.errors[key] = error

    def validation_list(self) -> list[Validation]:
        """The validations, each over all the cells it applies to."""
        return [
            Validation(key[0], key[1], key[2], self.errors[key], tuple(refs)) for key, refs in self.validations.items()
        ]

    def cell(self, ref_row: int, column: int) -> Cell | None:
        return self.rows.get(ref_row, {}).get(column)


@dataclass
class Plan:
    """A compiled form: the form sheet, the hidden lists and identity sheets, and every answer cell."""

    template: Template
    role: Role
    form: SheetPlan
    lists: SheetPlan
    meta: SheetPlan
    inputs: dict[str, XInput] = field(default_factory=dict)
    """Answer cells by defined name, in form order."""
    by_field: dict[str, list[XInput]] = field(default_factory=dict)
    last_row: int = 0
    header: Callable[[Stamp], HeaderFooter] = lambda stamp: {}
    footer: Callable[[Stamp], HeaderFooter] = lambda stamp: {}
    meta_keys: tuple[str, ...] = ()

    def sheets(self) -> tuple[SheetPlan, SheetPlan, SheetPlan]:
        return (self.form, self.lists, self.meta)


# -- answers as cell values -----------------------------------------------------------------------------


def field_cells(template: Template, f: FormField, value: Any) -> dict[str, CellValue]:
    """What each answer cell of ``f`` shows for the (validated) answer ``value``, by part."""
    if value is None:
        return {}
    if isinstance(f, TextField):
        return {"": value}
    if isinstance(f, DateField):
        return {"": value}
    if isinstance(f, CheckField):
        return {"": TICK} if value else {}
    if isinstance(f, RatingField):
        if value == NOT_RELEVANT:
            return {"": _not_relevant_label(template, f)}
        return {"": int(value)}
    if isinstance(f, ChoiceField):
        if f.multiple:
            chosen = set(value)
            return {f"o{i}": TICK for i, o in enumerate(f.options, start=1) if o.id in chosen}
        return {"": next(o.label for o in f.options if o.id == value)}
    if isinstance(f, AgreementsField):
        out: dict[str, CellValue] = {}
        for number, row in enumerate(value, start=1):
            for column in f.columns:
                cell = getattr(row, column)
                if cell is None:
                    continue
                part = f"r{number}{AGREEMENT_COLUMN_CODES[column]}"
                if column in ("owner", "status", "method"):
                    out[part] = agreement_choice_labels(column, template.language)[cell]
                else:
                    out[part] = cell
        return out
    if isinstance(f, SignatureField):
        out = {}
        if value.name:
            out["name"] = value.name
        if value.date:
            out["date"] = value.date
        return out
    return {}


def _not_relevant_label(template: Template, f: RatingField) -> str:
    return template.scale_of(f).not_relevant_label or words(template.language)["not_relevant"]


def header_footer_text(parts: HeaderFooter) -> str:
    """A header or footer in Excel's mini-format (``&L``, ``&R``, fonts and sizes), as openpyxl writes it."""
    out = []
    for position in ("L", "C", "R"):
        if position in parts:
            text, font, size = parts[position]
            out.append(f"&{position}" + (f'&"{font}"' if font else "") + (f"&{size} " if size else "") + text)
    return "".join(out)
