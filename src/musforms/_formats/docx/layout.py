"""The Word form's layout, compiled once per template and role, and stamped per employee.

Compiling turns a template into a list of pieces: fixed WordprocessingML text, and slots that a stamp fills
with the person's context, prefilled answers and the form's identity. Every input sits in its own table
cell, which starts with a bookmark named after the input (its *anchor*); the parser finds inputs by it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from musforms._core.codec import AGREEMENT_COLUMN_CODES, InputSpec, input_name, inputs_of
from musforms._core.i18n import form_subtitle, words
from musforms._core.identity import identity_line
from musforms._core.zipstamp import Deflated, DeflateJoiner, sync_deflate
from musforms._formats.docx import ooxml as x
from musforms._formats.docx.skeleton import CONTENT_WIDTH
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

__all__ = ["LAYOUT_PROPERTY", "LAYOUT_VERSION", "Anchor", "Layout", "Stamp", "anchor_name", "compile_layout"]

LAYOUT_VERSION = "docx-1"
"""The version of this layout, written into every form: a parser compares the text around the inputs with
the form's printed text only when the form was made with the same layout."""
LAYOUT_PROPERTY = "musforms.layout"
LABEL_FILL = "F2F2F2"
HEAD_FILL = "DCE3EC"
LINE_HEIGHT = 300  # twentieths of a point per line of writing room


def anchor_name(field_id: str, part: str) -> str:
    """The bookmark name of one input (:func:`musforms._core.codec.input_name`, the same as in a workbook)."""
    return input_name(field_id, part)


@dataclass(frozen=True)
class Anchor:
    """Where one input is: its name, field, part and kind."""

    name: str
    field_id: str
    spec: InputSpec


@dataclass
class Stamp:
    """What one employee's form is filled in with."""

    context: Context
    values: dict[str, dict[str, str | bool]]
    """Field id → input part → what the input shows (from :func:`musforms._core.codec.encode`)."""
    identity: FormIdentity


@dataclass(frozen=True)
class _Break:
    """Where a run of fixed pieces may end (a section starts)."""


@dataclass(frozen=True)
class Slot:
    """Whole paragraphs or cells whose text depends on the context (names, texts with Jinja)."""

    fill: Callable[[Stamp], str]


@dataclass(frozen=True)
class Input:
    """One input's cell content: ``blank`` when the field is not prefilled, else made by ``fill``."""

    field_id: str
    blank: str
    fill: Callable[[Stamp], str]


Piece = str | Slot | Input | _Break


@dataclass
class Layout:
    """A compiled form: pieces of ``word/document.xml``'s body, and every input's anchor.

    Fixed text is joined into as few strings as possible; a stamp only calls the slots (context) and the
    inputs of prefilled fields.
    """

    template: Template
    role: Role
    pieces: list[Piece] = field(default_factory=list)
    anchors: dict[str, Anchor] = field(default_factory=dict)
    _numbers: int = 100
    _runs: list[_Run | Slot] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)

    def deflated(self, stamp: Stamp, head: str, tail: str) -> Deflated:
        """``head``, the body and ``tail`` deflated.

        The body is kept in runs (split at slots and sections), each deflated blank when the layout was
        sealed; a stamp deflates only the slots and the runs that hold a prefilled field.
        """
        joiner = DeflateJoiner()
        joiner.add(head.encode("utf-8"))
        values = stamp.values
        for run in self._runs:
            if isinstance(run, Slot):
                joiner.add(run.fill(stamp).encode("utf-8"))
            elif run.fields.isdisjoint(values):
                joiner.add_fixed(run.raw, run.packed)
            else:
                joiner.add("".join(_fill(piece, stamp) for piece in run.pieces).encode("utf-8"))
        joiner.add(tail.encode("utf-8"))
        return joiner.result()

    def body(self, stamp: Stamp) -> str:
        """The body XML of one form."""
        return "".join(_fill(piece, stamp) for piece in self.pieces)

    def number(self) -> int:
        self._numbers += 1
        return self._numbers

    def seal(self) -> None:
        """Group the pieces into runs and deflate each run's blank form once (after compiling)."""
        self._runs = []
        current: list[Piece] = []

        def close() -> None:
            if current:
                raw = "".join(_fill(piece, None) for piece in current).encode("utf-8")
                fields = frozenset(p.field_id for p in current if isinstance(p, Input))
                self._runs.append(_Run(tuple(current), fields, raw, sync_deflate(raw)))
                current.clear()

        for piece in self.pieces:
            if isinstance(piece, Slot):
                close()
                self._runs.append(piece)
            elif isinstance(piece, _Break):
                close()
            else:
                current.append(piece)
        close()
        self.pieces = [p for p in self.pieces if not isinstance(p, _Break)]
        self.slots = [p for p in self.pieces if isinstance(p, Slot)]


@dataclass(frozen=True)
class _Run:
    pieces: tuple[Piece, ...]
    fields: frozenset[str]
    raw: bytes
    packed: bytes


def _fill(piece: Piece, stamp: Stamp | None) -> str:
    if isinstance(piece, str):
        return piece
    if isinstance(piece, Input):
        return piece.fill(stamp) if stamp is not None and piece.field_id in stamp.values else piece.blank
    if isinstance(piece, Slot):
        assert stamp is not None
        return piece.fill(stamp)
    return ""


def _text_paragraphs(source: str, language: str, style: str, *, keep_last: bool = False) -> Piece:
    """Paragraphs of a template text (blank lines separate paragraphs; ``- `` starts a bullet).

    With ``keep_last``, the last paragraph stays on the page of what follows it (a table it introduces).
    """

    def build(text: str) -> str:
        paragraphs: list[tuple[str, str]] = []
        for block in text.strip().split("\n\n"):
            lines = [line.rstrip() for line in block.strip().split("\n")]
            if all(line.lstrip().startswith(("- ", "• ")) for line in lines if line):
                paragraphs.extend(("MFBullet", "•\t" + line.lstrip()[2:]) for line in lines if line)
            elif block.strip():
                paragraphs.append((style, " ".join(line.strip() for line in lines)))
        last = len(paragraphs) - 1
        return "".join(
            x.para(x.run(words), style=kind, keep_next=keep_last and index == last)
            for index, (kind, words) in enumerate(paragraphs)
        )

    if "{" not in source:
        return build(source)
    return Slot(lambda stamp: build(render_text(source, stamp.context, language)))


def _has_jinja(*texts: str | None) -> bool:
    return any(text is not None and "{" in text for text in texts)


def _render(source: str, stamp: Stamp, language: str) -> str:
    return render_text(source, stamp.context, language) if "{" in source else source


class _Compiler:
    def __init__(self, template: Template, role: Role) -> None:
        self.t = template
        self.role = role
        self.w = words(template.language)
        self.layout = Layout(template, role)
        self.out = self.layout.pieces

    # -- inputs ------------------------------------------------------------------------------------

    def _anchor(self, f: FormField, spec: InputSpec) -> Anchor:
        name = anchor_name(f.id, spec.part)
        if name in self.layout.anchors:
            raise ValueError(f"two inputs share the anchor {name!r}")
        anchor = Anchor(name, f.id, spec)
        self.layout.anchors[name] = anchor
        return anchor

    def input_cell(
        self, f: FormField, spec: InputSpec, width: int, *, center: bool = False, small: bool = False
    ) -> list[Piece]:
        """A table cell holding one input, its bookmark first (``small``: in the smaller type of a table)."""
        answer_style = "MFCell" if small else "MFAnswer"
        anchor = self._anchor(f, spec)
        mark = x.bookmark(self.layout.number(), anchor.name)
        placeholder = self.w["write_here"]
        align = "center" if center else None
        valign = '<w:vAlign w:val="center"/>' if spec.kind == "tick" else ""  # else the default, top
        open_cell = f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{valign}</w:tcPr>'

        def content(stamp: Stamp) -> str:
            value = stamp.values.get(f.id, {}).get(spec.part)
            if spec.kind in ("text", "line"):
                text = value if isinstance(value, str) else ""
                control = x.inline_text_control(anchor.name, anchor.name, text, placeholder=placeholder)
                return x.para(mark + control, style=answer_style)
            if spec.kind == "date":
                iso = _iso(value) if isinstance(value, str) else None
                control = x.date_control(
                    anchor.name, anchor.name, iso=iso, shown=str(value or ""), placeholder=self.w["pick_date"]
                )
                return x.para(mark + control, style=answer_style)
            if spec.kind == "tick":
                if align == "center":  # MFTick sets the box's font for the whole paragraph
                    control = x.checkbox_control(anchor.name, anchor.name, checked=value is True, box_style=None)
                    return x.para(mark + control, style="MFTick")
                control = x.checkbox_control(anchor.name, anchor.name, checked=value is True)
                return x.para(mark + control, style="MFCell")
            items = [(label, value_id) for value_id, label in spec.choices]
            control = x.dropdown_control(
                anchor.name,
                anchor.name,
                items,
                selected=value if isinstance(value, str) and value else None,
                placeholder=self.w["pick"],
            )
            return x.para(mark + control, style=answer_style)

        blank = content(Stamp(context=_EMPTY_CONTEXT, values={}, identity=_EMPTY_IDENTITY))
        return [open_cell, Input(f.id, blank, content), "</w:tc>"]

    # -- static cells ------------------------------------------------------------------------------

    def label_cell(self, f: FormField, width: int, *, span: int = 1, extra: str | None = None) -> list[Piece]:
        label = getattr(f, "label", None) or ""
        language = self.t.language
        head = (
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>'
            + (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "")
            + f'<w:shd w:val="clear" w:color="auto" w:fill="{LABEL_FILL}"/></w:tcPr>'
        )

        def build(label_text: str, help_text: str | None) -> str:
            inner = x.para(x.run(label_text), style="MFLabel")
            if help_text:
                inner += x.para(x.run(help_text), style="MFHelp")
            if extra:
                inner += x.para(x.run(extra), style="MFHelp")
            return head + inner + "</w:tc>"

        if _has_jinja(label, f.help):
            help_source = f.help
            return [
                Slot(
                    lambda stamp: build(
                        _render(label, stamp, language), _render(help_source, stamp, language) if help_source else None
                    )
                )
            ]
        return [build(label, f.help)]

    def plain_cell(self, text: str, width: int, *, fill: str | None = None, bold: bool = False, span: int = 1) -> str:
        return x.cell(x.para(x.run(text, bold=bold), style="MFCell"), width, fill=fill, span=span)

    # -- document ----------------------------------------------------------------------------------

    def compile(self) -> Layout:
        t, w = self.t, self.w
        self.out.append(x.para(x.run(t.title), style="MFTitle"))
        self.out.append(x.para(x.run(form_subtitle(t.purpose, self.role, t.language)), style="MFSubtitle"))
        self.out.extend(self._people_table())
        if t.intro:
            self.out.append(_text_paragraphs(t.intro, t.language, "MFIntro"))
        for number, section in enumerate(t.sections_for(self.role), start=1):
            self._section(number, section)
        self.out.append(x.para(x.run(w["confidential"]), style="MFSmall", space_before=240))
        self.out.append(Slot(lambda stamp: x.para(x.run(identity_line(stamp.identity)), style="MFSmall")))
        self.layout.seal()
        return self.layout

    def _people_table(self) -> list[Piece]:
        w, language = self.w, self.t.language
        label_width = 1800
        value_width = CONTENT_WIDTH - label_width

        def person(which: str) -> Callable[[Stamp], str]:
            def value(stamp: Stamp) -> str:
                p = stamp.context.employee if which == "employee" else stamp.context.manager
                if p is None:
                    return ""
                details = ", ".join(v for v in (p.job_title, p.department) if v)
                return p.name + (f" ({details})" if details else "")

            return lambda stamp: x.cell(x.para(x.run(value(stamp)), style="MFCell"), value_width)

        def meeting(stamp: Stamp) -> str:
            text = meeting_when(stamp.context.meeting, language)
            return x.cell(x.para(x.run(text), style="MFCell"), value_width)

        def place(stamp: Stamp) -> str:
            m = stamp.context.meeting
            return x.cell(x.para(x.run((m.place or "") if m else ""), style="MFCell"), value_width)

        rows: list[Piece] = []
        for label, filler in (
            (w["employee"], person("employee")),
            (w["manager"], person("manager")),
            (w["meeting"], meeting),
            (w["place"], place),
        ):
            rows += [
                "<w:tr><w:trPr><w:cantSplit/></w:trPr>",
                self.plain_cell(label, label_width, fill=LABEL_FILL, bold=True),
                Slot(filler),
                "</w:tr>",
            ]
        return [_table_open((label_width, value_width)), *rows, "</w:tbl>", x.para(space_after=120)]

    def _section(self, number: int, section: Section) -> None:
        self.out.append(_Break())
        w = self.w
        box = f"\t{w['about_minutes'].format(n=section.minutes)}" if section.minutes else ""
        language = self.t.language

        def heading(title: str) -> str:
            return x.para(x.run(f"{number}. {title}") + (x.run(box, size=10) if box else ""), style="MFSection")

        title = section.title
        self.out.append(
            Slot(lambda stamp: heading(_render(title, stamp, language))) if _has_jinja(title) else heading(title)
        )
        if section.guidance:
            self.out.append(_text_paragraphs(section.guidance, self.t.language, "MFGuidance"))
        fields = [f for f in section.fields if f.shown_to(self.role)]
        index = 0
        while index < len(fields):
            f = fields[index]
            if isinstance(f, RatingField):
                group = [f]
                while (
                    index + len(group) < len(fields)
                    and isinstance(fields[index + len(group)], RatingField)
                    and fields[index + len(group)].scale == f.scale  # type: ignore[union-attr]
                ):
                    group.append(fields[index + len(group)])  # type: ignore[arg-type]
                self._ratings(group)
                index += len(group)
                continue
            self._field(f)
            index += 1

    def _field(self, f: FormField) -> None:
        if isinstance(f, InfoField):
            if f.label:
                label, language = f.label, self.t.language
                if _has_jinja(label):
                    self.out.append(Slot(lambda stamp: x.para(x.run(_render(label, stamp, language)), style="MFLabel")))
                else:
                    self.out.append(x.para(x.run(label), style="MFLabel"))
            self.out.append(_text_paragraphs(f.text, self.t.language, "MFInfo", keep_last=True))
            return
        answered = f.answered_by(self.role)
        if isinstance(f, TextField):
            self._text(f, answered)
        elif isinstance(f, DateField | CheckField):
            self._single_row(f, answered)
        elif isinstance(f, ChoiceField):
            self._choice(f, answered)
        elif isinstance(f, AgreementsField):
            self._agreements(f, answered)
        elif isinstance(f, SignatureField):
            self._signature(f, answered)
        self.out.append(x.para(space_after=60))

    def _text(self, f: TextField, answered: bool) -> None:
        width = CONTENT_WIDTH
        height = LINE_HEIGHT * (f.lines if f.multiline else 1) + 120
        self.out += [
            _table_open((width,)),
            "<w:tr><w:trPr><w:cantSplit/></w:trPr>",
            *self.label_cell(f, width),
            "</w:tr>",
        ]
        self.out.append(f'<w:tr><w:trPr><w:trHeight w:val="{height}" w:hRule="atLeast"/></w:trPr>')
        if answered:
            self.out += self.input_cell(f, inputs_of(self.t, f)[0], width)
        else:
            self.out.append(x.cell(x.para(), width))
        self.out += ["</w:tr>", "</w:tbl>"]

    def _single_row(self, f: DateField | CheckField, answered: bool) -> None:
        input_width = 2600 if isinstance(f, DateField) else 700
        label_width = CONTENT_WIDTH - input_width
        self.out += [_table_open((label_width, input_width)), "<w:tr><w:trPr><w:cantSplit/></w:trPr>"]
        self.out += self.label_cell(f, label_width)
        if answered:
            self.out += self.input_cell(f, inputs_of(self.t, f)[0], input_width, center=isinstance(f, CheckField))
        else:
            self.out.append(x.cell(x.para(), input_width))
        self.out += ["</w:tr>", "</w:tbl>"]

    def _choice(self, f: ChoiceField, answered: bool) -> None:
        tick_width = 700
        label_width = CONTENT_WIDTH - tick_width
        hint = self.w["tick_any" if f.multiple else "tick_one"]
        self.out += [_table_open((tick_width, label_width)), "<w:tr><w:trPr><w:cantSplit/></w:trPr>"]
        self.out += self.label_cell(f, CONTENT_WIDTH, span=2, extra=hint)
        self.out.append("</w:tr>")
        for spec in inputs_of(self.t, f):
            self.out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            if answered:
                self.out += self.input_cell(f, spec, tick_width, center=True)
            else:
                self.out.append(self.plain_cell(x.UNCHECKED, tick_width))
            self.out += [self.plain_cell(spec.label, label_width), "</w:tr>"]
        self.out.append("</w:tbl>")

    def _ratings(self, group: list[RatingField]) -> None:
        answered = [f for f in group if f.answered_by(self.role)]
        if not answered:
            return
        scale = self.t.scale_of(answered[0])
        with_na = any(f.not_relevant for f in answered)
        point_width = 780
        na_width = 900 if with_na else 0
        item_width = CONTENT_WIDTH - point_width * len(scale.points) - na_width
        widths = [item_width] + [point_width] * len(scale.points) + ([na_width] if with_na else [])
        self.out += [_table_open(tuple(widths)), "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"]
        self.out.append(self.plain_cell(scale.title or self.w["item"], item_width, fill=HEAD_FILL, bold=True))
        for point in scale.points:
            head = x.para(x.run(str(point.value), bold=True), style="MFCell", align="center") + x.para(
                x.run(point.label, size=7), style="MFCell", align="center"
            )
            self.out.append(x.cell(head, point_width, fill=HEAD_FILL, valign="bottom"))
        if with_na:
            label = scale.not_relevant_label or self.w["not_relevant"]
            self.out.append(
                x.cell(
                    x.para(x.run(label, size=7), style="MFCell", align="center"),
                    na_width,
                    fill=HEAD_FILL,
                    valign="bottom",
                )
            )
        self.out.append("</w:tr>")
        for f in answered:
            self.out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            self.out += self.label_cell(f, item_width)
            for spec in inputs_of(self.t, f):
                width = na_width if spec.part == "na" else point_width
                self.out += self.input_cell(f, spec, width, center=True)
            if with_na and not f.not_relevant:
                self.out.append(x.cell(x.para(style="MFCell"), na_width, fill=LABEL_FILL))
            self.out.append("</w:tr>")
        self.out += ["</w:tbl>", x.para(space_after=60)]

    def _agreements(self, f: AgreementsField, answered: bool) -> None:
        widths = agreement_widths(f.columns, self.t.language)
        total = sum(widths)
        self.out += [_table_open(tuple(widths)), "<w:tr><w:trPr><w:cantSplit/></w:trPr>"]
        self.out += self.label_cell(f, total, span=len(widths))
        self.out += ["</w:tr>", "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"]
        for column, width in zip(f.columns, widths, strict=True):
            self.out.append(self.plain_cell(self.w[f"col_{column}"], width, fill=HEAD_FILL, bold=True))
        self.out.append("</w:tr>")
        specs = {s.part: s for s in inputs_of(self.t, f)}
        for number in range(1, f.rows + 1):
            self.out.append(
                f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{LINE_HEIGHT + 200}" w:hRule="atLeast"/></w:trPr>'
            )
            for column, width in zip(f.columns, widths, strict=True):
                spec = specs[f"r{number}{AGREEMENT_COLUMN_CODES[column]}"]
                if answered:
                    self.out += self.input_cell(f, spec, width, small=True)
                else:
                    self.out.append(x.cell(x.para(style="MFCell"), width))
            self.out.append("</w:tr>")
        self.out.append("</w:tbl>")

    def _signature(self, f: SignatureField, answered: bool) -> None:
        name_width = 3800
        date_width = 2000
        sign_width = CONTENT_WIDTH - name_width - date_width
        widths = (name_width, date_width, sign_width)
        name_spec, date_spec = inputs_of(self.t, f)
        self.out += [_table_open(widths), "<w:tr><w:trPr><w:cantSplit/></w:trPr>"]
        self.out += self.label_cell(f, CONTENT_WIDTH, span=3)
        self.out += ["</w:tr>", "<w:tr><w:trPr><w:cantSplit/></w:trPr>"]
        for caption, width in zip((self.w["name"], self.w["date"], self.w["signature"]), widths, strict=True):
            self.out.append(x.cell(x.para(x.run(caption, size=8, color="595959"), style="MFCell"), width))
        self.out += ["</w:tr>", '<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="640" w:hRule="atLeast"/></w:trPr>']
        if answered:
            self.out += self.input_cell(f, name_spec, name_width)
            self.out += self.input_cell(f, date_spec, date_width)
        else:
            self.out += [x.cell(x.para(), name_width), x.cell(x.para(), date_width)]
        self.out += [x.cell(x.para(), sign_width), "</w:tr>", "</w:tbl>"]


_CHAR = 115
"""About the width of one character of the table's type (9.5 pt), in twentieths of a point."""
_CELL_MARGINS = 260


def agreement_widths(columns: tuple[str, ...], language: str = "da") -> list[int]:
    """The width of each column of an agreements table.

    Pick lists and dates get room for their longest entry on one line (LibreOffice 7.4 can crash when a
    person types next to a pick list whose text wraps); the comment gets up to a fifth of the page, and
    "what" the rest.
    """
    from musforms._core.i18n import agreement_choice_labels, words

    w = words(language)
    fixed: dict[str, int] = {}
    for column in columns:
        entries = [w[f"col_{column}"], w["pick"]]
        if column in ("owner", "status", "method"):
            entries += list(agreement_choice_labels(column, language).values())
        elif column == "deadline":
            entries += ["00-00-0000", w["pick_date"]]
        if column not in ("action", "comment"):
            fixed[column] = max(len(entry) for entry in entries) * _CHAR + _CELL_MARGINS
    rest = CONTENT_WIDTH - sum(fixed.values())
    comment = min(CONTENT_WIDTH // 5, rest // 2) if "comment" in columns else 0
    widths = [fixed.get(c, 0) for c in columns]
    if "comment" in columns:
        widths[columns.index("comment")] = comment
    widths[columns.index("action")] = CONTENT_WIDTH - sum(widths)
    return widths


def _table_open(widths: tuple[int, ...]) -> str:
    """The start of a table (up to its grid); the caller closes it with ``</w:tbl>``."""
    full = x.table([], widths)
    return full[: -len("</w:tbl>")]


_EMPTY_CONTEXT = Context.model_validate({"employee": {"name": "-"}})
_EMPTY_IDENTITY = FormIdentity(template_id="-", template_version="0", fingerprint="-", role="employee", form_id="-")


def _iso(shown: str) -> str | None:
    from musforms._core.codec import parse_date

    parsed = parse_date(shown)
    return parsed.isoformat() if isinstance(parsed, dt.date) else None


@lru_cache(maxsize=64)
def compile_layout(template: Template, role: Role) -> Layout:
    """The compiled layout of ``template``'s form for ``role`` (cached)."""
    return _Compiler(template, role).compile()
