"""The tools the Excel layout is written with: rows of text fitted in height, the hidden lists sheet, and the
answer cells, each placed for one input of the binding (no openpyxl here)."""

from __future__ import annotations

import re

from jinja2 import Environment, TemplateSyntaxError

from musforms._core.binding import InputSpec, input_name
from musforms._core.i18n import words
from musforms._formats.xlsx.names import LISTS_SHEET, META_SHEET, cell_ref, column_letter, form_sheet_name
from musforms._formats.xlsx.pages import text_height
from musforms._formats.xlsx.sheets import (
    TICK,
    Anchor,
    Cell,
    CellValue,
    Fill,
    HeightFill,
    Layout,
    SheetLayout,
    Stamp,
    xwords,
)
from musforms._model.context import Context
from musforms._model.fields import AgreementsField, FormField, Role, SignatureField
from musforms._model.filled import FormIdentity
from musforms._model.template import Template
from musforms._text.readable import readable_label
from musforms._text.sandbox import render_text

__all__ = [
    "BOLD",
    "COLUMNS",
    "SAMPLE_STAMP",
    "WIDTH",
    "Builder",
    "agreement_spans",
    "paragraphs",
    "row_fit",
    "span_width",
    "text_height",
]

COLUMNS: dict[str, float] = {"A": 20, "B": 9.6, "C": 9.6, "D": 9.6, "E": 9.6, "F": 9.6}
"""The form's columns and their widths (in characters of the default font): one page wide at 100 % however
the reader prints them (:func:`musforms._formats.xlsx.pages.max_columns`), a date whole in each."""
WIDTH = sum(COLUMNS.values())
BOLD = frozenset({"title", "band", "label", "people_label", "info_label", "head", "head_center"})
"""The style keys whose text is bold (wider: fewer characters to a line)."""


# -- text sizes ------------------------------------------------------------------------------------------


def paragraphs(text: str) -> list[str]:
    """A template text as paragraphs (blank lines separate them; ``- `` lines become bullets)."""
    out = []
    for block in text.strip().split("\n\n"):
        lines = [line.rstrip() for line in block.strip().split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.lstrip().startswith(("- ", "• ")) for line in lines):
            out.append("\n".join("• " + line.lstrip()[2:] for line in lines))
        else:
            out.append(" ".join(line.strip() for line in lines))
    return out


_JINJA = Environment()


def _splittable(source: str) -> bool:
    """Whether each paragraph of a Jinja text is a whole template on its own (no block spans two)."""
    try:
        for block in source.strip().split("\n\n"):
            _JINJA.parse(block)
    except TemplateSyntaxError:
        return False
    return True


SAMPLE_STAMP = Stamp(
    context=Context.model_validate(
        {
            "employee": {"name": "Mette Sørensen", "job_title": "Elektriker", "department": "Service"},
            "manager": {"name": "Lars Holm"},
            "company": {"name": "Eksempel El A/S"},
            "meeting": {"start": "2026-03-16T10:00:00", "place": "Mødelokale 2"},
        }
    ),
    values={},
    identity=FormIdentity(template_id="-", template_version="0", fingerprint="-", role="employee", form_id="-"),
)
"""A person whose texts size the rows that depend on the person."""


# -- the builder -----------------------------------------------------------------------------------------


class Builder:
    """A layout being written row by row: the form sheet, the lists sheet and the identity sheet."""

    def __init__(self, template: Template, role: Role) -> None:
        self.t = template
        self.role = role
        self.lang = template.language
        self.w = words(template.language)
        self.xw = xwords(template.language)
        self.form = SheetLayout(form_sheet_name(template.purpose, role, template.language), widths=dict(COLUMNS))
        self.lists = SheetLayout(LISTS_SHEET, state="hidden")
        self.meta = SheetLayout(META_SHEET, state="hidden", widths={"A": 28, "B": 80})
        self.layout = Layout(template, role, self.form, self.lists, self.meta)
        self.row = 0
        self._list_ranges: dict[tuple[str, ...], tuple[str, str]] = {}
        self._list_column = 0

    def next_row(self, height: float | None = None) -> int:
        self.row += 1
        if height is not None:
            self.form.heights[self.row] = height
        return self.row

    def text(self, source: str) -> tuple[str | None, Fill | None]:
        """A template text: (fixed text, None), or (None, a slot rendering it with the context)."""
        if "{" not in source:
            return source, None
        language = self.lang
        return None, lambda stamp: render_text(source, stamp.context, language)

    def text_row(self, source: str, style: str, size: float, *, first: int = 1, last: int = 6) -> int:
        """A row of text merged over columns ``first``..``last``, its height fitted to the text."""
        width = sum(COLUMNS[column_letter(c)] for c in range(first, last + 1))
        fixed, fill = self.text(source)
        row = self.next_row()
        self.form.span(row, first, last, Cell(style, value=fixed, fill=fill))
        bold = style in BOLD
        if fill is None:
            self.form.heights[row] = text_height(fixed or "", width, size, bold=bold)
        else:
            self.form.heights[row] = text_height(fill(SAMPLE_STAMP), width, size, bold=bold, room=5 + size * 1.25)
            self.form.dynamic_heights[row] = (_height_of(fill, width, size, bold), None)
        return row

    def hold(self, first: int | None = None) -> None:
        """Keep rows ``first`` (default: the current row) up to the current row on the page of the next row."""
        for row in range(first if first is not None else self.row, self.row + 1):
            self.form.keep.add(row)

    def paragraphs(self, source: str, style: str, size: float) -> None:
        """A template text, one row per paragraph (one row for a Jinja text whose blocks span paragraphs)."""
        if "{" in source and not _splittable(source):
            language = self.lang
            row = self.next_row()

            def whole(stamp: Stamp) -> str:
                return "\n\n".join(paragraphs(render_text(source, stamp.context, language)))

            self.form.span(row, 1, 6, Cell(style, fill=whole))
            self.form.heights[row] = text_height(whole(SAMPLE_STAMP), WIDTH, size)
            self.form.dynamic_heights[row] = (_height_of(whole, WIDTH, size), None)
            return
        for block in source.strip().split("\n\n"):
            if "{" not in block:
                for paragraph in paragraphs(block):
                    self.text_row(paragraph, style, size)
                continue
            row = self.next_row()
            render = _paragraph_fill(block, self.lang)
            self.form.span(row, 1, 6, Cell(style, fill=render))
            self.form.heights[row] = text_height(render(SAMPLE_STAMP), WIDTH, size)
            self.form.dynamic_heights[row] = (_height_of(render, WIDTH, size), None)

    def sample(self, fixed: str | None, fill: Fill | None) -> str:
        """A text as the sample context shows it (for row heights)."""
        return fill(SAMPLE_STAMP) if fill is not None else fixed or ""

    def list_source(self, values: tuple[str | int, ...], labels: tuple[str, ...] | None = None) -> tuple[str, str]:
        """(range of the items, range of items and labels) on the lists sheet; equal lists share a column."""
        key = tuple(str(v) for v in values) + (("|", *labels) if labels else ())
        if key in self._list_ranges:
            return self._list_ranges[key]
        self._list_column += 1
        column = self._list_column
        for row, value in enumerate(values, start=1):
            self.lists.put(row, column, Cell("list", value=value))
        last_column = column
        if labels:
            self._list_column += 1
            last_column = self._list_column
            for row, label in enumerate(labels, start=1):
                self.lists.put(row, last_column, Cell("list", value=label))
        letter, end = column_letter(column), column_letter(last_column)
        n = len(values)
        ranges = (f"'{LISTS_SHEET}'!${letter}$1:${letter}${n}", f"'{LISTS_SHEET}'!${letter}$1:${end}${n}")
        self._list_ranges[key] = ranges
        return ranges

    def prompt(self, f: FormField, spec: InputSpec, how: str) -> tuple[str, str]:
        """The input message of an answer cell (title, text): what the cell is for (the field's label, and the
        option, agreement column, name or date it stands for) and ``how`` to fill it in."""
        label = readable_label(getattr(f, "label", None), None, self.lang) or f.id
        found = re.match(r"r(\d+)", spec.part) if isinstance(f, AgreementsField) else None
        if found:
            what = f"{self.w['agreement_n'].format(n=found.group(1))}: {self.w.get(f'col_{spec.label}', spec.label)}"
        elif isinstance(f, SignatureField):
            what = self.w.get(spec.part, spec.part)
        elif spec.kind == "tick" and spec.label:
            what = spec.label
        else:
            what = ""
        title = _shortened(what or label, 32)
        text = f"{_shortened(label, 150)}{' – ' + what if what else ''}\n{how}"
        return title, _shortened(text, 255)

    def add_input(
        self,
        f: FormField,
        spec: InputSpec,
        row: int,
        first: int,
        last: int,
        style: str,
        *,
        items: tuple[CellValue, ...] = (),
    ) -> Anchor:
        """The answer cell of one input of ``f``, over columns ``first``..``last`` of ``row``; a text cell with
        its input message (the other kinds get theirs with their validation)."""
        ref = cell_ref(row, first)
        name = input_name(f.id, spec.part)
        if name in self.layout.anchors:
            raise ValueError(f"two answer cells share the defined name {name!r}")
        anchor = Anchor(name, f.id, spec, ref, items)
        self.layout.anchors[name] = anchor
        self.layout.by_field.setdefault(f.id, []).append(anchor)
        self.form.span(row, first, last, Cell(style, input=anchor))
        if style in ("in_text", "in_line"):
            how = self.xw["prompt_text" if style == "in_text" else "prompt_line"]
            self.form.validate("any", "", None, how, anchor.ref, self.prompt(f, spec, how))
        return anchor

    def date_input(self, f: FormField, spec: InputSpec, row: int, first: int, last: int) -> None:
        anchor = self.add_input(f, spec, row, first, last, "in_date")
        prompt = self.prompt(f, spec, self.xw["prompt_date"])
        self.form.validate("date", "1", "2958465", self.xw["error_date"], anchor.ref, prompt)

    def tick_input(self, f: FormField, spec: InputSpec, row: int, column: int) -> None:
        anchor = self.add_input(f, spec, row, column, column, "in_tick")
        prompt = self.prompt(f, spec, self.xw["prompt_tick"])
        self.form.validate("list", f'"{TICK}"', None, self.xw["error_tick"], anchor.ref, prompt)

    def pick_input(
        self,
        f: FormField,
        spec: InputSpec,
        row: int,
        first: int,
        last: int,
        style: str,
        error: str,
        source: str,
        *,
        items: tuple[CellValue, ...] = (),
    ) -> Anchor:
        """A drop-down answer cell whose items are ``source`` on the lists sheet (``items``: as in the anchor)."""
        anchor = self.add_input(f, spec, row, first, last, style, items=items)
        if style == "in_rating":
            how = self.xw["prompt_rating"]
        else:
            how = self.xw["prompt_list"].format(choices=", ".join(label for _value, label in spec.choices))
        self.form.validate("list", source, None, error, anchor.ref, self.prompt(f, spec, how))
        return anchor


def agreement_spans(columns: tuple[str, ...]) -> list[tuple[str, int, int]]:
    """Each column of an agreements table with the form's columns it spans (first, last): the comment gets a
    spare column first (it is written in sentences), the action the rest."""
    spare = len(COLUMNS) - len(columns)
    extra = dict.fromkeys(columns, 0)
    if spare > 0 and "comment" in columns:
        extra["comment"] = 1
        spare -= 1
    extra["action"] += max(0, spare)
    spans: list[tuple[str, int, int]] = []
    column = 1
    for name in columns:
        spans.append((name, column, column + extra[name]))
        column += 1 + extra[name]
    return spans


def span_width(first: int, last: int) -> float:
    """The width of the form's columns ``first``..``last`` together."""
    return sum(COLUMNS[column_letter(c)] for c in range(first, last + 1))


def row_fit(anchors: list[tuple[Anchor, float]], least: float) -> HeightFill:
    """A row height showing the text of each answer cell of a row (each ``(anchor, width)``) wrapped."""

    def height(stamp: Stamp) -> float:
        found = [(stamp.value(a), width) for a, width in anchors]
        return max([least] + [text_height(v, width, 10.5) for v, width in found if isinstance(v, str)])

    return height


def _shortened(text: str, limit: int) -> str:
    """``text`` cut with an ellipsis to at most ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _height_of(fill: Fill, width: float, size: float, bold: bool = False) -> HeightFill:
    """A row height that follows a slot's text."""
    return lambda stamp: text_height(fill(stamp), width, size, bold=bold)


def _paragraph_fill(block: str, language: str) -> Fill:
    """A slot showing one paragraph (or bullet list) of a Jinja text."""
    return lambda stamp: "\n".join(paragraphs(render_text(block, stamp.context, language)))
