"""The Excel form's layout, compiled once per template and role into a :class:`~musforms._formats.xlsx.sheets.Layout`
(no openpyxl here).

The form sheet has six columns: A holds labels and items, B–F answers, legends and captions. From the
top: title, role, the people block, the introduction, then each section as a coloured band with its time
box, its guidance and its fields. Each rating item is one row with ONE answer cell (a drop-down of the
scale's points) and the chosen point's label beside it (a formula), under a legend row; a multiple choice
is one ``X`` cell per option; an agreements table spreads its columns over A–F. Drop-down items go to the
hidden lists sheet, the identity to the hidden ``_meta`` sheet. Which answer cells a field has, and their
names, come from the binding (:func:`musforms._core.binding.inputs_of`, with pick lists).
"""

from __future__ import annotations

from functools import lru_cache

from musforms._core.binding import InputSpec, agreement_part, inputs_of, not_relevant_label
from musforms._core.i18n import confidential_line, form_mark, form_subtitle, managers_copy
from musforms._core.identity import identity_properties
from musforms._formats.xlsx.builder import COLUMNS, SAMPLE_STAMP, WIDTH, Builder, agreement_spans, row_fit, span_width
from musforms._formats.xlsx.names import LAYOUT_PROPERTY, LAYOUT_VERSION
from musforms._formats.xlsx.pages import text_height
from musforms._formats.xlsx.sheets import Anchor, Cell, Fill, HeaderFooter, Layout, Stamp
from musforms._model.context import person_line
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
from musforms._model.template import Section, Template
from musforms._text.dates import meeting_when
from musforms._text.form_facts import company_name, form_facts
from musforms._text.sandbox import render_text, text_scope

__all__ = ["compile_layout"]


class _Compiler(Builder):
    _lead: int | None = None
    """The band of a section whose first box is yet to come."""
    _signed: int | None = None
    """The last row of a signature just written (None once another field follows)."""
    _signed_start = 0

    def inputs(self, f: FormField) -> tuple[InputSpec, ...]:
        """The inputs of ``f``, one answer cell each (a rating or a single choice is one pick list)."""
        return inputs_of(self.t, f, "list")

    def compile(self) -> Layout:
        t, w = self.t, self.w
        fixed, fill = self.text(t.title)
        row = self.next_row(max(28.0, text_height(self.sample(fixed, fill), WIDTH, 16, bold=True)))
        self.form.span(row, 1, 6, Cell("title", value=fixed, fill=fill))  # the first cell says what the sheet is
        row = self.next_row(20)
        role_title = form_subtitle(t.purpose, self.role, t.language)
        self.form.span(row, 1, 6, Cell("subtitle", value=role_title))  # whose form it is
        self.text_row(self.xw["how_to_fill"], "how", 10)  # and how to fill it in
        self._people()
        self.next_row(6)
        if t.intro:
            self.paragraphs(t.intro, "intro", 10)
        for section in t.sections_for(self.role):
            self._section(t.section_number(section), section)  # numbered alike in both roles' forms
        self.hold()  # the closing line is never alone on a page
        self.next_row(10)
        self.hold()
        self.text_row(w["confidential"], "caption", 9)
        self.layout.last_row = self.row
        self._meta()
        self.layout.header = self._header
        self.layout.footer = self._footer
        return self.layout

    def _people(self) -> None:
        w, language = self.w, self.lang

        def person(which: str) -> Fill:
            def value(stamp: Stamp) -> str:
                return person_line(stamp.context.employee if which == "employee" else stamp.context.manager)

            return value

        def meeting(stamp: Stamp) -> str:
            return meeting_when(stamp.context.meeting, language)

        def place(stamp: Stamp) -> str:
            m = stamp.context.meeting
            return (m.place or "") if m else ""

        width = WIDTH - COLUMNS["A"]
        for label, filler in (
            (w["employee"], person("employee")),
            (w["manager"], person("manager")),
            (w["meeting"], meeting),
            (w["place"], place),
        ):
            row = self.next_row(max(17.0, text_height(filler(SAMPLE_STAMP), width, 10)))
            self.form.put(row, 1, Cell("people_label", value=label))
            self.form.span(row, 2, 6, Cell("people_value", fill=filler))

            def height(stamp: Stamp, filler: Fill = filler) -> float:
                return max(17.0, text_height(filler(stamp), width, 10))

            self.form.dynamic_heights[row] = (height, None)

    def _section(self, number: int | None, section: Section) -> None:
        self.next_row(8)
        self.form.breaks.append(self.row + 1)
        row = self.next_row(22)
        self._lead = row  # the band and its guidance go with the section's first box
        title = section.title
        prefix = f"{number}. " if number else ""  # the manager's own preparation has no number
        if "{" in title:
            language = self.lang
            self.form.span(
                row,
                1,
                5,
                Cell("band", fill=lambda stamp: f"{prefix}{render_text(title, stamp.context, language)}"),
            )
        else:
            self.form.span(row, 1, 5, Cell("band", value=f"{prefix}{title}"))
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
        self._box_reached(self.row)  # a section of headings only: the band stays with what it has

    def _box_reached(self, start: int) -> None:
        """The first box of a field is the current row: what stands above it from ``start`` (and the section's
        band, for its first field) stays on its page."""
        first = min(start, self._lead) if self._lead is not None else start
        for row in range(first, self.row):
            self.form.keep.add(row)
        self._lead = None

    def _label(self, f: FormField, *, hint: str | None = None) -> None:
        label = getattr(f, "label", None)
        if label:
            self.text_row(label, "label", 10)
        if f.help:
            self.text_row(f.help, "help", 9)
        if hint:
            self.text_row(hint, "help", 9)

    def _field(self, f: FormField) -> None:
        if not isinstance(f, SignatureField) or self._signed is None or self._signed != self.row:
            self._signed = None
        start = self.next_row(6)
        if isinstance(f, InfoField):
            if f.label:
                self.text_row(f.label, "info_label", 10)
            self.paragraphs(f.text, "info", 10)
            self._box_reached(start)
            return
        answered = f.answered_by(self.role)
        if isinstance(f, TextField):
            self._text(f, answered, start)
        elif isinstance(f, DateField | CheckField):
            self._single(f, start)
        elif isinstance(f, ChoiceField):
            self._choice(f, start)
        elif isinstance(f, AgreementsField):
            self._agreements(f, start)
        elif isinstance(f, SignatureField):
            self._signature(f, answered, start)

    def _text(self, f: TextField, answered: bool, start: int) -> None:
        self._label(f)
        lines = f.lines if f.multiline else 1
        box = text_height("", WIDTH, 10.5, min_lines=lines)
        row = self.next_row(box)
        self._box_reached(start)
        if not answered:
            self.form.span(row, 1, 6, Cell("blank"))
            return
        anchor = self.add_input(f, self.inputs(f)[0], row, 1, 6, "in_text")

        def height(stamp: Stamp) -> float:
            value = stamp.value(anchor)
            return max(box, text_height(value, WIDTH, 10.5)) if isinstance(value, str) else box

        self.form.dynamic_heights[row] = (height, f.id)

    def _single(self, f: DateField | CheckField, start: int) -> None:
        fixed, fill = self.text(f.label)
        row = self.next_row()
        self._box_reached(start)
        self.form.put(row, 1, Cell("label", value=fixed, fill=fill))
        self.form.heights[row] = max(20.0, text_height(self.sample(fixed, fill), COLUMNS["A"], 10, bold=True))
        (spec,) = self.inputs(f)
        if isinstance(f, DateField):
            self.date_input(f, spec, row, 2, 3)
            self.form.span(row, 4, 6, Cell("hint", value=f"({self.w['date_pattern']})"))
        else:
            self.tick_input(f, spec, row, 2)
            self.form.span(row, 3, 6, Cell("hint", value=self.xw["tick_check"]))
        if f.help:
            self.hold()
            self.text_row(f.help, "help", 9)

    def _choice(self, f: ChoiceField, start: int) -> None:
        if f.multiple:
            self._label(f, hint=self.xw["tick_option"])
            for option, spec in zip(f.options, self.inputs(f), strict=True):
                self.hold()  # a short list of options is kept whole
                row = self.next_row(max(18.0, text_height(option.label, COLUMNS["A"], 10)))
                self.form.put(row, 1, Cell("item", value=option.label))
                self.tick_input(f, spec, row, 2)
            self._box_reached(start)
            return
        fixed, fill = self.text(f.label)
        row = self.next_row()
        self._box_reached(start)
        self.form.put(row, 1, Cell("label", value=fixed, fill=fill))
        longest = max(len(o.label) for o in f.options)
        self.form.heights[row] = max(
            20.0,
            text_height(self.sample(fixed, fill), COLUMNS["A"], 10, bold=True),
            text_height("x" * longest, WIDTH - COLUMNS["A"], 10.5),
        )
        (spec,) = self.inputs(f)
        source, _ = self.list_source(tuple(label for _part, label in spec.choices))
        self.pick_input(f, spec, row, 2, 6, "in_option", self.xw["error_list"], source)
        self.hold()  # on paper, the choices are printed under the list
        self.text_row(f"{self.xw['choices']}: " + " / ".join(o.label for o in f.options), "help", 9)
        if f.help:
            self.hold()
            self.text_row(f.help, "help", 9)

    def _ratings(self, group: list[RatingField]) -> None:
        answered = [f for f in group if f.answered_by(self.role)]
        if not answered:
            return
        start = self.next_row(6)
        scale = self.t.scale_of(answered[0])
        na_label = not_relevant_label(self.t, scale)
        with_na = any(f.not_relevant for f in answered)
        legend = "   ".join(f"{p.value} = {p.label}" for p in scale.points)
        if with_na:
            legend += f"   ({na_label})"
        head_width = WIDTH - COLUMNS["A"] - COLUMNS["B"]
        head = scale.title or self.w["item"]
        row = self.next_row(
            max(20.0, text_height(legend, head_width, 9), text_height(head, COLUMNS["A"], 10, bold=True))
        )
        self.form.put(row, 1, Cell("head", value=head))
        self.form.put(row, 2, Cell("head_center", value=self.xw["answer"]))
        self.form.span(row, 3, 6, Cell("legend", value=legend))
        for f in answered:
            values: tuple[str | int, ...] = tuple(p.value for p in scale.points)
            labels = tuple(p.label for p in scale.points)
            if f.not_relevant:
                values += (na_label,)
                labels += (na_label,)
            source, lookup = self.list_source(values, labels)
            fixed, fill = self.text(f.label)
            if len(answered) > 2 and f is answered[-1]:
                self.hold()  # the table's last row is never alone on a page
            row = self.next_row()
            if f is answered[0]:
                self._box_reached(start)
            self.form.put(row, 1, Cell("item", value=fixed, fill=fill))
            base = max(18.0, text_height(self.sample(fixed, fill), COLUMNS["A"], 10))
            self.form.heights[row] = base
            (spec,) = self.inputs(f)
            anchor = self.pick_input(f, spec, row, 2, 2, "in_rating", self.xw["error_rating"], source, items=values)
            shown = {str(p.value): p.label for p in scale.points} | {na_label: na_label}
            if f.not_relevant:

                def height(stamp: Stamp, anchor: Anchor = anchor, base: float = base) -> float:
                    value = stamp.value(anchor)
                    return max(base, text_height(str(value or ""), COLUMNS["B"], 11, bold=True))

                self.form.dynamic_heights[row] = (height, f.id)

            def chosen(stamp: Stamp, anchor: Anchor = anchor, shown: dict[str, str] = shown) -> str:
                value = stamp.value(anchor)
                return "" if value is None else shown.get(str(value), "")

            formula = f'IFERROR(VLOOKUP({anchor.ref},{lookup},2,0),"")'
            self.form.span(row, 3, 6, Cell("chosen", formula=formula, fill=chosen, field_id=f.id))
            if f.help:
                self.hold()
                self.text_row(f.help, "help", 9)

    def _agreements(self, f: AgreementsField, start: int) -> None:
        self._label(f)
        spans = agreement_spans(f.columns)
        heads = {str(key): text for key, text in self.w.items()}
        titles = {name: heads[f"col_{name}"] for name, _a, _b in spans}
        widths = {name: span_width(first, last) for name, first, last in spans}
        row = self.next_row(max([20.0] + [text_height(titles[n], widths[n], 10, bold=True) for n in titles]))
        for name, first, last in spans:
            self.form.span(row, first, last, Cell("head", value=titles[name]))
        specs = {spec.part: spec for spec in self.inputs(f)}
        for number in range(1, f.rows + 1):
            row = self.next_row(45)  # three lines of writing room: a comment or an action often takes that
            if number == 1:
                self._box_reached(start)
            anchors = []
            for name, first, last in spans:
                spec = specs[agreement_part(number, name)]
                if spec.kind == "date":
                    self.date_input(f, spec, row, first, last)
                elif spec.kind == "pick":
                    source, _ = self.list_source(tuple(label for _value, label in spec.choices))
                    anchor = self.pick_input(f, spec, row, first, last, "in_option", self.xw["error_list"], source)
                    anchors.append((anchor, widths[name]))
                else:
                    anchors.append((self.add_input(f, spec, row, first, last, "in_text"), widths[name]))
            self.form.dynamic_heights[row] = (row_fit(anchors, 45.0), f.id)
        notes = []  # on paper: how a date is written, what each list offers
        for name, _first, _last in spans:
            spec = specs[agreement_part(1, name)]
            if spec.kind == "date":
                notes.append(f"{titles[name]}: {self.w['date_pattern']}")
            elif spec.kind == "pick":
                notes.append(f"{titles[name]}: " + " / ".join(label for _value, label in spec.choices))
        if notes:
            self.hold()
            self.text_row("   ".join(notes), "help", 9)

    def _signature(self, f: SignatureField, answered: bool, start: int) -> None:
        if self._signed is not None:  # two signatures in a row are printed on one page
            start = self._signed_start
        fixed, fill = self.text(f.label)
        label = self.next_row(max(20.0, text_height(self.sample(fixed, fill), WIDTH, 10, bold=True)))
        self.form.span(label, 1, 6, Cell("label", value=fixed, fill=fill))
        row = self.next_row(36)  # room to sign by hand: 1.27 cm
        self.form.put(row, 1, Cell("sign"))
        if answered:
            name, date = self.inputs(f)
            self.add_input(f, name, row, 2, 4, "in_line")
            self.date_input(f, date, row, 5, 6)
        else:
            self.form.span(row, 2, 4, Cell("blank"))
            self.form.span(row, 5, 6, Cell("blank"))
        row = self.next_row(15)
        self.form.put(row, 1, Cell("caption", value=self.w["signature"]))
        self.form.span(row, 2, 4, Cell("caption", value=self.w["name"]))
        self.form.span(row, 5, 6, Cell("caption", value=f"{self.w['date']} ({self.w['date_pattern']})"))
        if f.help:
            self.text_row(f.help, "help", 9)
        self._box_reached(start)
        self.hold(start)
        self.form.keep.discard(self.row)
        self._signed, self._signed_start = self.row, start

    # -- identity, header and footer -------------------------------------------------------------------

    def _meta(self) -> None:
        keys = tuple(identity_properties(SAMPLE_STAMP.identity, SAMPLE_STAMP.context))
        self.layout.meta_keys = keys
        for row, key in enumerate(keys, start=1):
            self.meta.put(row, 1, Cell("meta", value=key))

            def value(stamp: Stamp, key: str = key) -> str:
                text = identity_properties(stamp.identity, stamp.context)[key]
                return text if len(text) <= 32767 else ""

            self.meta.put(row, 2, Cell("meta", fill=value))
        row = len(keys) + 1  # the layout, for a workbook whose custom properties were removed
        self.meta.put(row, 1, Cell("meta", value=LAYOUT_PROPERTY))
        self.meta.put(row, 2, Cell("meta", value=LAYOUT_VERSION))

    def _header(self, stamp: Stamp) -> HeaderFooter:
        t = self.t
        # as the Word form's: the company, and which form it is (the manager's preparation: its confidential copy)
        mark = form_mark(t.purpose, self.role, self.lang)
        font = "Calibri,Bold" if managers_copy(t.purpose, self.role) else None
        return {"L": (_hf(company_name(t, stamp.context)), "Calibri,Bold", 9), "R": (_hf(mark), font, 8)}

    def _footer(self, stamp: Stamp) -> HeaderFooter:
        w = self.w  # as the Word form's: page n of m; that it is confidential, and the short form number
        right = confidential_line(stamp.identity.form_id, self.lang)
        return {"L": (f"{_hf(w['page'])} &P {_hf(w['of'])} &N", None, 8), "R": (_hf(right), None, 8)}


def _hf(text: str) -> str:
    """Text for a page header or footer: ``&`` doubled (it starts a code there)."""
    return text.replace("&", "&&")


@lru_cache(maxsize=64)
def compile_layout(template: Template, role: Role) -> Layout:
    """The layout of ``template``'s Excel form for ``role`` (cached). Its texts are measured as the form prints
    them (for this reader, about this form), so it is compiled in their scope whoever asks."""
    with text_scope(role, form_facts(template)):
        return _Compiler(template, role).compile()
