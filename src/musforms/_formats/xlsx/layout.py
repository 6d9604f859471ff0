"""The Excel form's layout, compiled once per template and role into a :class:`~musforms._formats.xlsx.plan.Plan`
(no openpyxl here).

The form sheet has six columns: A holds labels and items, B–F answers, legends and captions. From the
top: title, role, the people block, the introduction, then each section as a coloured band with its time
box, its guidance and its fields. Each rating item is one row with ONE answer cell (a drop-down of the
scale's points) and the chosen point's label beside it (a formula), under a legend row; a multiple choice
is one ``X`` cell per option; an agreements table spreads its columns over A–F. Drop-down items go to the
hidden lists sheet, the identity to the hidden ``_meta`` sheet.
"""

from __future__ import annotations

import math
from functools import lru_cache

from jinja2 import Environment, TemplateSyntaxError

from musforms._core.codec import AGREEMENT_COLUMN_CODES
from musforms._core.i18n import agreement_choice_labels, form_subtitle, words
from musforms._core.identity import identity_properties
from musforms._formats.xlsx.names import FORM_SHEET, LISTS_SHEET, META_SHEET, cell_ref, column_letter, defined_name
from musforms._formats.xlsx.plan import (
    TICK,
    Cell,
    Fill,
    HeaderFooter,
    HeightFill,
    InputKind,
    Plan,
    SheetPlan,
    Stamp,
    XInput,
    xwords,
)
from musforms._model.context import Context
from musforms._model.fields import (
    AgreementsField,
    CheckField,
    ChoiceField,
    DateField,
    FormField,
    InfoField,
    RatingField,
    Role,
    SignatureField,
    TextField,
)
from musforms._model.filled import FormIdentity
from musforms._model.template import Section, Template
from musforms._text.dates import meeting_when
from musforms._text.sandbox import render_text

__all__ = ["COLUMNS", "compile_plan", "text_height"]

COLUMNS: dict[str, float] = {"A": 44, "B": 12, "C": 12, "D": 12, "E": 12, "F": 16}
"""The form's columns and their widths (in characters of the default font)."""
WIDTH = sum(COLUMNS.values())
MAX_HEIGHT = 409.0
"""Excel's highest row, in points."""


# -- text sizes ------------------------------------------------------------------------------------------


def text_height(text: str, width: float, size: float = 10.0, *, min_lines: int = 1) -> float:
    """A row height (points) that shows ``text`` wrapped in a cell ``width`` characters wide."""
    per_line = max(8, int(width * 10.5 / size))
    lines = sum(max(1, math.ceil(len(line) / per_line)) for line in text.split("\n"))
    return min(MAX_HEIGHT, round(max(lines, min_lines) * size * 1.32 + 5, 1))


def _paragraphs(text: str) -> list[str]:
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


# -- compiling ---------------------------------------------------------------------------------------------


class _Compiler:
    def __init__(self, template: Template, role: Role) -> None:
        self.t = template
        self.role = role
        self.lang = template.language
        self.w = words(template.language)
        self.xw = xwords(template.language)
        self.form = SheetPlan(FORM_SHEET, widths=dict(COLUMNS))
        self.lists = SheetPlan(LISTS_SHEET, state="hidden")
        self.meta = SheetPlan(META_SHEET, state="hidden", widths={"A": 28, "B": 80})
        self.plan = Plan(template, role, self.form, self.lists, self.meta)
        self.row = 0
        self._list_ranges: dict[tuple[str, ...], tuple[str, str]] = {}
        self._list_column = 0

    # -- helpers ---------------------------------------------------------------------------------------

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
        if fill is None:
            self.form.heights[row] = text_height(fixed or "", width, size)
        else:
            self.form.heights[row] = text_height(fill(_SAMPLE_STAMP), width, size) + size * 1.32
            self.form.dynamic_heights[row] = (_height_of(fill, width, size), None)
        return row

    def paragraphs(self, source: str, style: str, size: float) -> None:
        """A template text, one row per paragraph (one row for a Jinja text whose blocks span paragraphs)."""
        if "{" in source and not _splittable(source):
            language = self.lang
            row = self.next_row()

            def whole(stamp: Stamp) -> str:
                return "\n\n".join(_paragraphs(render_text(source, stamp.context, language)))

            self.form.span(row, 1, 6, Cell(style, fill=whole))
            self.form.heights[row] = text_height(whole(_SAMPLE_STAMP), WIDTH, size)
            self.form.dynamic_heights[row] = (_height_of(whole, WIDTH, size), None)
            return
        for block in source.strip().split("\n\n"):
            if "{" not in block:
                for paragraph in _paragraphs(block):
                    self.text_row(paragraph, style, size)
                continue
            row = self.next_row()
            render = _paragraph_fill(block, self.lang)
            self.form.span(row, 1, 6, Cell(style, fill=render))
            self.form.heights[row] = text_height(render(_SAMPLE_STAMP), WIDTH, size)
            self.form.dynamic_heights[row] = (_height_of(render, WIDTH, size), None)

    def sample(self, fixed: str | None, fill: Fill | None) -> str:
        """A text as the sample context shows it (for row heights)."""
        return fill(_SAMPLE_STAMP) if fill is not None else fixed or ""

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

    def add_input(
        self,
        f: FormField,
        part: str,
        kind: InputKind,
        row: int,
        first: int,
        last: int,
        style: str,
        *,
        choices: tuple[tuple[str, str], ...] = (),
        labels: tuple[tuple[str, str], ...] = (),
    ) -> XInput:
        ref = cell_ref(row, first)
        name = defined_name(f.id, part)
        if name in self.plan.inputs:
            raise ValueError(f"two answer cells share the defined name {name!r}")
        x = XInput(name, f.id, part, kind, ref, choices, labels)
        self.plan.inputs[name] = x
        self.plan.by_field.setdefault(f.id, []).append(x)
        self.form.span(row, first, last, Cell(style, input=x))
        return x

    def date_input(self, f: FormField, part: str, row: int, first: int, last: int) -> None:
        x = self.add_input(f, part, "date", row, first, last, "in_date")
        self.form.validate("date", "1", "2958465", self.xw["error_date"], x.ref)

    def tick_input(self, f: FormField, part: str, row: int, column: int) -> None:
        x = self.add_input(f, part, "tick", row, column, column, "in_tick")
        self.form.validate("list", f'"{TICK}"', None, self.xw["error_tick"], x.ref)

    # -- the form --------------------------------------------------------------------------------------

    def compile(self) -> Plan:
        t, w = self.t, self.w
        fixed, fill = self.text(t.title)
        row = self.next_row(28)
        self.form.span(row, 1, 6, Cell("title", value=fixed, fill=fill))
        row = self.next_row(20)
        role_title = form_subtitle(t.purpose, self.role, t.language)
        self.form.span(row, 1, 6, Cell("subtitle", value=role_title))
        self.next_row(6)
        self._people()
        self.next_row(6)
        if t.intro:
            self.paragraphs(t.intro, "intro", 10)
        for number, section in enumerate(t.sections_for(self.role), start=1):
            self._section(number, section)
        self.next_row(10)
        self.text_row(w["confidential"], "caption", 8)
        self.plan.last_row = self.row
        self._meta()
        self.plan.header = self._header
        self.plan.footer = self._footer
        return self.plan

    def _people(self) -> None:
        w, language = self.w, self.lang

        def person(which: str) -> Fill:
            def value(stamp: Stamp) -> str:
                p = stamp.context.employee if which == "employee" else stamp.context.manager
                if p is None:
                    return ""
                details = ", ".join(v for v in (p.job_title, p.department) if v)
                return p.name + (f" ({details})" if details else "")

            return value

        def meeting(stamp: Stamp) -> str:
            return meeting_when(stamp.context.meeting, language)

        def place(stamp: Stamp) -> str:
            m = stamp.context.meeting
            return (m.place or "") if m else ""

        for label, filler in (
            (w["employee"], person("employee")),
            (w["manager"], person("manager")),
            (w["meeting"], meeting),
            (w["place"], place),
        ):
            row = self.next_row(17)
            self.form.put(row, 1, Cell("people_label", value=label))
            self.form.span(row, 2, 6, Cell("people_value", fill=filler))

    def _section(self, number: int, section: Section) -> None:
        self.next_row(8)
        self.form.breaks.append(self.row + 1)
        row = self.next_row(22)
        title = section.title
        if "{" in title:
            language = self.lang
            self.form.span(
                row,
                1,
                5,
                Cell("band", fill=lambda stamp: f"{number}. {render_text(title, stamp.context, language)}"),
            )
        else:
            self.form.span(row, 1, 5, Cell("band", value=f"{number}. {title}"))
        box = self.w["about_minutes"].format(n=section.minutes) if section.minutes else None
        self.form.put(row, 6, Cell("band_time", value=box))
        if section.guidance:
            self.paragraphs(section.guidance, "guidance", 9.5)
        fields = [f for f in section.fields if f.shown_to(self.role)]
        index = 0
        while index < len(fields):
            f = fields[index]
            if isinstance(f, RatingField):
                group = [f]
                while index + len(group) < len(fields):
                    following = fields[index + len(group)]
                    if not isinstance(following, RatingField) or following.scale != f.scale:
                        break
                    group.append(following)
                self._ratings(group)
                index += len(group)
                continue
            self._field(f)
            index += 1

    def _label(self, f: FormField, *, hint: str | None = None) -> None:
        label = getattr(f, "label", None)
        if label:
            self.text_row(label, "label", 10)
        if f.help:
            self.text_row(f.help, "help", 9)
        if hint:
            self.text_row(hint, "help", 9)

    def _field(self, f: FormField) -> None:
        self.next_row(6)
        if isinstance(f, InfoField):
            if f.label:
                self.text_row(f.label, "info_label", 10)
            self.paragraphs(f.text, "info", 10)
            return
        answered = f.answered_by(self.role)
        if isinstance(f, TextField):
            self._text(f, answered)
        elif isinstance(f, DateField | CheckField):
            self._single(f)
        elif isinstance(f, ChoiceField):
            self._choice(f)
        elif isinstance(f, AgreementsField):
            self._agreements(f)
        elif isinstance(f, SignatureField):
            self._signature(f, answered)

    def _text(self, f: TextField, answered: bool) -> None:
        self._label(f)
        lines = f.lines if f.multiline else 1
        box = text_height("", WIDTH, 10.5, min_lines=lines)
        row = self.next_row(box)
        if not answered:
            self.form.span(row, 1, 6, Cell("blank"))
            return
        self.add_input(f, "", "text" if f.multiline else "line", row, 1, 6, "in_text")
        field_id = f.id

        def height(stamp: Stamp) -> float:
            value = stamp.value(field_id, "")
            return max(box, text_height(value, WIDTH, 10.5)) if isinstance(value, str) else box

        self.form.dynamic_heights[row] = (height, field_id)

    def _single(self, f: DateField | CheckField) -> None:
        fixed, fill = self.text(f.label)
        row = self.next_row()
        self.form.put(row, 1, Cell("label", value=fixed, fill=fill))
        self.form.heights[row] = max(20.0, text_height(self.sample(fixed, fill), COLUMNS["A"], 10))
        if isinstance(f, DateField):
            self.date_input(f, "", row, 2, 3)
        else:
            self.tick_input(f, "", row, 2)
            self.form.span(row, 3, 6, Cell("hint", value=self.xw["tick_check"]))
        if f.help:
            self.text_row(f.help, "help", 9)

    def _choice(self, f: ChoiceField) -> None:
        if f.multiple:
            self._label(f, hint=self.xw["tick_option"])
            for index, option in enumerate(f.options, start=1):
                row = self.next_row(max(18.0, text_height(option.label, COLUMNS["A"], 10)))
                self.form.put(row, 1, Cell("item", value=option.label))
                self.tick_input(f, f"o{index}", row, 2)
            return
        fixed, fill = self.text(f.label)
        row = self.next_row()
        self.form.put(row, 1, Cell("label", value=fixed, fill=fill))
        longest = max(len(o.label) for o in f.options)
        self.form.heights[row] = max(
            20.0,
            text_height(self.sample(fixed, fill), COLUMNS["A"], 10),
            text_height("x" * longest, WIDTH - COLUMNS["A"], 10),
        )
        labels = tuple(o.label for o in f.options)
        source, _ = self.list_source(labels)
        choices = tuple((f"o{i}", label) for i, label in enumerate(labels, start=1))
        ids = tuple((f"o{i}", o.id) for i, o in enumerate(f.options, start=1))
        x = self.add_input(f, "", "option", row, 2, 6, "in_option", choices=choices, labels=ids)
        self.form.validate("list", source, None, self.xw["error_list"], x.ref)
        if f.help:
            self.text_row(f.help, "help", 9)

    def _ratings(self, group: list[RatingField]) -> None:
        answered = [f for f in group if f.answered_by(self.role)]
        if not answered:
            return
        self.next_row(6)
        scale = self.t.scale_of(answered[0])
        na_label = scale.not_relevant_label or self.w["not_relevant"]
        with_na = any(f.not_relevant for f in answered)
        legend = "   ".join(f"{p.value} = {p.label}" for p in scale.points)
        if with_na:
            legend += f"   ({na_label})"
        head_width = WIDTH - COLUMNS["A"] - COLUMNS["B"]
        row = self.next_row(max(20.0, text_height(legend, head_width, 9), text_height(scale.title or "", 44, 10)))
        self.form.put(row, 1, Cell("head", value=scale.title or self.w["item"]))
        self.form.put(row, 2, Cell("head_center", value=self.xw["answer"]))
        self.form.span(row, 3, 6, Cell("legend", value=legend))
        for f in answered:
            values: tuple[str | int, ...] = tuple(p.value for p in scale.points)
            labels = tuple(p.label for p in scale.points)
            choices = tuple((f"p{p.value}", str(p.value)) for p in scale.points)
            if f.not_relevant:
                values += (na_label,)
                labels += (na_label,)
                choices += (("na", na_label),)
            source, lookup = self.list_source(values, labels)
            fixed, fill = self.text(f.label)
            row = self.next_row()
            self.form.put(row, 1, Cell("item", value=fixed, fill=fill))
            self.form.heights[row] = max(18.0, text_height(self.sample(fixed, fill), COLUMNS["A"], 10))
            point_labels = tuple((f"p{p.value}", p.label) for p in scale.points)
            x = self.add_input(f, "", "rating", row, 2, 2, "in_rating", choices=choices, labels=point_labels)
            self.form.validate("list", source, None, self.xw["error_rating"], x.ref)
            shown = {str(p.value): p.label for p in scale.points} | {na_label: na_label}
            field_id = f.id

            def chosen(stamp: Stamp, field_id: str = field_id, shown: dict[str, str] = shown) -> str:
                value = stamp.value(field_id, "")
                return "" if value is None else shown.get(str(value), "")

            formula = f'IFERROR(VLOOKUP({x.ref},{lookup},2,0),"")'
            self.form.span(row, 3, 6, Cell("chosen", formula=formula, fill=chosen, field_id=f.id))
            if f.help:
                self.text_row(f.help, "help", 9)

    def _agreements(self, f: AgreementsField) -> None:
        self._label(f)
        spare = len(COLUMNS) - len(f.columns)
        spans: list[tuple[str, int, int]] = []
        column = 1
        for column_name in f.columns:
            width = 1 + (spare if column_name == "action" else 0)
            spans.append((column_name, column, column + width - 1))
            column += width
        row = self.next_row(20)
        heads = {str(key): text for key, text in self.w.items()}
        for name, first, last in spans:
            self.form.span(row, first, last, Cell("head", value=heads[f"col_{name}"]))
        picks = {c: agreement_choice_labels(c, self.lang) for c in ("owner", "status", "method") if c in f.columns}
        for number in range(1, f.rows + 1):
            row = self.next_row(45)  # three lines of writing room: a comment or an action often takes that
            for name, first, last in spans:
                part = f"r{number}{AGREEMENT_COLUMN_CODES[name]}"
                if name == "deadline":
                    self.date_input(f, part, row, first, last)
                elif name in picks:
                    labels = picks[name]
                    source, _ = self.list_source(tuple(labels.values()))
                    x = self.add_input(f, part, "pick", row, first, last, "in_option", choices=tuple(labels.items()))
                    self.form.validate("list", source, None, self.xw["error_list"], x.ref)
                else:
                    self.add_input(f, part, "text", row, first, last, "in_text")

    def _signature(self, f: SignatureField, answered: bool) -> None:
        fixed, fill = self.text(f.label)
        row = self.next_row(26)
        self.form.put(row, 1, Cell("label", value=fixed, fill=fill))
        if answered:
            self.add_input(f, "name", "line", row, 2, 4, "in_line")
            self.date_input(f, "date", row, 5, 6)
        else:
            self.form.span(row, 2, 4, Cell("blank"))
            self.form.span(row, 5, 6, Cell("blank"))
        row = self.next_row(14)
        self.form.put(row, 1, Cell("caption", value=self.w["signature"]))
        self.form.span(row, 2, 4, Cell("caption", value=self.w["name"]))
        self.form.span(row, 5, 6, Cell("caption", value=self.w["date"]))
        if f.help:
            self.text_row(f.help, "help", 9)

    # -- identity, header and footer -------------------------------------------------------------------

    def _meta(self) -> None:
        keys = tuple(identity_properties(_SAMPLE_STAMP.identity, _SAMPLE_STAMP.context))
        self.plan.meta_keys = keys
        for row, key in enumerate(keys, start=1):
            self.meta.put(row, 1, Cell("meta", value=key))

            def value(stamp: Stamp, key: str = key) -> str:
                text = identity_properties(stamp.identity, stamp.context)[key]
                return text if len(text) <= 32767 else ""

            self.meta.put(row, 2, Cell("meta", fill=value))

    def _header(self, stamp: Stamp) -> HeaderFooter:
        t = self.t
        company = (t.company.name if t.company else None) or (
            stamp.context.company.name if stamp.context.company else ""
        )
        title = render_text(t.title, stamp.context, self.lang)
        return {"L": (_hf(company or ""), "Calibri,Bold", 9), "R": (_hf(title), None, 8)}

    def _footer(self, stamp: Stamp) -> HeaderFooter:
        w = self.w
        identity = f"{_hf(w['form_identity'])} {stamp.identity.form_id[:8]}"
        return {"L": (f"{_hf(w['page'])} &P {_hf(w['of'])} &N", None, 8), "R": (identity, None, 7)}


def _height_of(fill: Fill, width: float, size: float) -> HeightFill:
    """A row height that follows a slot's text."""
    return lambda stamp: text_height(fill(stamp), width, size)


def _paragraph_fill(block: str, language: str) -> Fill:
    """A slot showing one paragraph (or bullet list) of a Jinja text."""
    return lambda stamp: "\n".join(_paragraphs(render_text(block, stamp.context, language)))


def _hf(text: str) -> str:
    """Text for a page header or footer: ``&`` doubled (it starts a code there)."""
    return text.replace("&", "&&")


_SAMPLE_STAMP = Stamp(
    context=Context.model_validate(
        {
            "employee": {"name": "Mette Sørensen", "job_title": "Elektriker", "department": "Service"},
            "manager": {"name": "Lars Holm"},
            "company": {"name": "Eksempel El A/S"},
            "meeting": {"start": "2026-03-16T10:00:00", "place": "Mødelokale 2"},
        }
    ),
    answers={},
    identity=FormIdentity(template_id="-", template_version="0", fingerprint="-", role="employee", form_id="-"),
)


@lru_cache(maxsize=64)
def compile_plan(template: Template, role: Role) -> Plan:
    """The plan of ``template``'s Excel form for ``role`` (cached)."""
    return _Compiler(template, role).compile()
