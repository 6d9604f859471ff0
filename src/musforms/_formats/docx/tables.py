"""The table of each kind of field in a Word form: its label cell, its input cells (each holding one content
control behind its anchor, titled with the question it answers), their widths and styles.

Rating and agreement tables are data grids: a caption and a description, a header row marked to repeat on each
page as their first row, and no merged cell (the agreements' label is a heading above the table)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from musforms._core.binding import InputSpec, agreement_part, inputs_of, not_relevant_label
from musforms._core.i18n import language_tag, words
from musforms._formats.docx import ooxml as x
from musforms._formats.docx import placeholders
from musforms._formats.docx.skeleton import CONTENT_WIDTH
from musforms._formats.docx.stamping import BLANK_STAMP, Input, Layout, Piece, Slot, Stamp
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
from musforms._model.template import Template
from musforms._text.readable import readable_label
from musforms._text.sandbox import render_text

__all__ = [
    "HEAD_FILL",
    "ITEM_WIDTH",
    "KEPT_ROWS",
    "LABEL_FILL",
    "LINE_HEIGHT",
    "FieldTables",
    "agreement_widths",
    "has_jinja",
    "plain_cell",
    "rating_widths",
    "rendered",
]

LABEL_FILL = "F2F2F2"
HEAD_FILL = "DCE3EC"
LINE_HEIGHT = 300  # twentieths of a point per line of writing room


def has_jinja(*texts: str | None) -> bool:
    """Whether any of ``texts`` uses Jinja (and so depends on the person's context)."""
    return any(text is not None and "{" in text for text in texts)


def rendered(source: str, stamp: Stamp, language: str) -> str:
    """A template text for one form: rendered with the stamp's context when it uses Jinja."""
    return render_text(source, stamp.context, language) if "{" in source else source


def control_title(f: FormField, spec: InputSpec, language: str) -> str:
    """The title of an input's control (what a screen reader announces): the field's label (its Jinja shown as
    "…", shortened when long), and what the input stands for within the field (a point of the scale, an
    option, an agreement's row and column, a signature's name or date), at most 80 characters."""
    label = readable_label(getattr(f, "label", None), None, language) or f.id
    w = words(language)
    if isinstance(f, RatingField) and spec.part.startswith("p"):
        what = f"{spec.part[1:]} {spec.label}".rstrip()
    elif isinstance(f, AgreementsField):
        found = re.match(r"r(\d+)", spec.part)
        row = w["agreement_n"].format(n=found.group(1) if found else spec.part)
        what = f"{row}, {w.get(f'col_{spec.label}', spec.label)}"
    elif isinstance(f, SignatureField):
        what = w.get(spec.part, spec.part)
    else:
        what = spec.label
    if not what:
        return x.short_title(label)
    joint = " " if label.endswith(("?", "!", ":")) else ": "
    return x.short_title(label, max(20, 80 - len(joint) - len(what))) + joint + what


def plain_cell(
    text: str, width: int, *, fill: str | None = None, bold: bool = False, span: int = 1, keep_next: bool = False
) -> str:
    """A table cell of fixed text in the table's type (``keep_next``: on the page of the row below)."""
    return x.cell(x.para(x.run(text, bold=bold), style="MFCell", keep_next=keep_next), width, fill=fill, span=span)


class FieldTables:
    """Writes the table of each field of a template's form for a role into a layout's pieces."""

    def __init__(self, template: Template, role: Role, layout: Layout) -> None:
        self.t = template
        self.role = role
        self.w = words(template.language)
        self.layout = layout
        self.out = layout.pieces

    def field(self, f: FormField, *, kept: bool = False) -> None:
        """The table of a field that is not a rating (ratings come in groups: :meth:`ratings`) nor information
        (``kept``: the whole table stays on the page of what follows it, a signature)."""
        start = len(self.out)
        self._field(f, kept)
        if kept:
            self.out[start:] = [_kept(piece) for piece in self.out[start:]]

    def _field(self, f: FormField, kept: bool) -> None:
        answered = f.answered_by(self.role)
        if isinstance(f, TextField):
            self._text(f, answered)
        elif isinstance(f, DateField | CheckField):
            # LibreOffice 7.4 keeps a one-row table with what follows only when its row may split.
            self._single_row(f, answered, cant_split=not kept)
        elif isinstance(f, ChoiceField):
            self._choice(f, answered)
        elif isinstance(f, AgreementsField):
            self._agreements(f, answered)
        elif isinstance(f, SignatureField):
            self._signature(f, answered)

    # -- input cells -------------------------------------------------------------------------------

    def input_cell(
        self, f: FormField, spec: InputSpec, width: int, *, center: bool = False, small: bool = False
    ) -> list[Piece]:
        """A table cell holding one input, its bookmark first (``small``: in the smaller type of a table)."""
        answer_style = "MFCell" if small else "MFAnswer"
        anchor = self.layout.anchor(f.id, spec)
        mark = x.bookmark(self.layout.number(), anchor.name)
        title = control_title(f, spec, self.t.language)
        placeholder = placeholders.placeholder(f, spec, self.t.language)
        align = "center" if center else None
        open_cell = x.cell_start(width, valign="center" if spec.kind == "tick" else None)  # else the default, top

        def content(stamp: Stamp) -> str:
            value = stamp.values.get(f.id, {}).get(spec.part)
            if spec.kind in ("text", "line"):
                text = value if isinstance(value, str) else ""
                control = x.inline_text_control(title, anchor.name, text, placeholder=placeholder)
                lines = placeholders.rule_tabs(width) if not text else ()  # the placeholder's lines
                return x.para(mark + control, style=answer_style, tabs=lines)
            if spec.kind == "date":
                iso = _iso(value) if isinstance(value, str) else None
                control = x.date_control(
                    title,
                    anchor.name,
                    iso=iso,
                    shown=str(value or ""),
                    placeholder=placeholder,
                    language=language_tag(self.t.language),
                )
                return x.para(mark + control, style=answer_style)
            if spec.kind == "tick":
                if align == "center":  # MFTick sets the box's font for the whole paragraph
                    control = x.checkbox_control(title, anchor.name, checked=value is True, box_style=None)
                    return x.para(mark + control, style="MFTick")
                control = x.checkbox_control(title, anchor.name, checked=value is True)
                return x.para(mark + control, style="MFCell")
            items = [(label, value_id) for value_id, label in spec.choices]
            control = x.dropdown_control(
                title,
                anchor.name,
                items,
                selected=value if isinstance(value, str) and value else None,
                placeholder=placeholder,
            )
            return x.para(mark + control, style=answer_style)

        return [open_cell, Input(f.id, content(BLANK_STAMP), content), x.cell_end()]

    # -- fixed cells -------------------------------------------------------------------------------

    def labelled(self, f: FormField, build: Callable[[str, str | None], str]) -> list[Piece]:
        """``build`` of the field's label and help: fixed XML, or a slot that renders them per form when they
        use Jinja."""
        label = getattr(f, "label", None) or ""
        help_source, language = f.help, self.t.language
        if has_jinja(label, help_source):
            return [
                Slot(
                    lambda stamp: build(
                        rendered(label, stamp, language),
                        rendered(help_source, stamp, language) if help_source else None,
                    )
                )
            ]
        return [build(label, help_source)]

    def label_cell(
        self,
        f: FormField,
        width: int,
        *,
        span: int = 1,
        extra: str | None = None,
        keep_next: bool = False,
        statement: bool = False,
    ) -> list[Piece]:
        """A table cell with the field's label and help (``extra``: a hint under them), a slot when they use Jinja;
        with ``keep_next``, its paragraphs stay on the page of the row below. A ``statement`` (a row of a rating
        table) is in the table's normal weight, its help smaller, and may end a page unless ``keep_next``."""
        head = x.cell_start(width, span=span, fill=None if statement else LABEL_FILL)
        label_style, help_style = ("MFStatement", "MFHint") if statement else ("MFLabel", "MFHelp")

        def build(label_text: str, help_text: str | None) -> str:
            inner = x.para(x.run(label_text), style=label_style, keep_next=keep_next)
            if help_text:
                inner += x.para(x.run(help_text), style=help_style, keep_next=keep_next)
            if extra:
                inner += x.para(x.run(extra), style="MFHelp", keep_next=keep_next)
            return head + inner + x.cell_end()

        return self.labelled(f, build)

    def label_paragraphs(self, f: FormField) -> list[Piece]:
        """The field's label as a heading above its table, its help under it (a slot when they use Jinja)."""

        def build(label_text: str, help_text: str | None) -> str:
            inner = x.para(x.run(label_text), style="Heading2")
            if help_text:
                inner += x.para(x.run(help_text), style="MFHelp", keep_next=True)
            return inner

        return self.labelled(f, build)

    # -- tables ------------------------------------------------------------------------------------

    def _text(self, f: TextField, answered: bool) -> None:
        width = CONTENT_WIDTH
        height = LINE_HEIGHT * (f.lines if f.multiline else 1) + 120
        self.out += [x.table_start((width,)), x.row_start(), *self.label_cell(f, width), x.row_end()]
        self.out.append(x.row_start(height=height, cant_split=False))
        if answered:
            self.out += self.input_cell(f, inputs_of(self.t, f)[0], width)
        else:
            self.out.append(x.cell(x.para(), width))
        self.out += [x.row_end(), x.table_end()]

    def _single_row(self, f: DateField | CheckField, answered: bool, *, cant_split: bool = True) -> None:
        input_width = 2600 if isinstance(f, DateField) else 700
        label_width = CONTENT_WIDTH - input_width
        self.out += [x.table_start((label_width, input_width)), x.row_start(cant_split=cant_split)]
        self.out += self.label_cell(f, label_width)
        if answered:
            self.out += self.input_cell(f, inputs_of(self.t, f)[0], input_width, center=isinstance(f, CheckField))
        else:
            self.out.append(x.cell(x.para(), input_width))
        self.out += [x.row_end(), x.table_end()]

    def _choice(self, f: ChoiceField, answered: bool) -> None:
        tick_width = 700
        label_width = CONTENT_WIDTH - tick_width
        hint = self.w["tick_any" if f.multiple else "tick_one"]
        self.out += [x.table_start((tick_width, label_width)), x.row_start()]
        self.out += self.label_cell(f, CONTENT_WIDTH, span=2, extra=hint)
        self.out.append(x.row_end())
        for spec in inputs_of(self.t, f):
            self.out.append(x.row_start())
            if answered:
                self.out += self.input_cell(f, spec, tick_width, center=True)
            else:
                self.out.append(plain_cell(x.UNCHECKED, tick_width))
            self.out += [plain_cell(spec.label, label_width), x.row_end()]
        self.out.append(x.table_end())

    def ratings(self, group: list[RatingField]) -> None:
        """One table of rating fields in a row that share a scale: a column per point, a row per field.

        The statement column is as wide in every rating table; the header row repeats on each page, and it and
        the first rows stay on the page of what introduces the table, which may split between later rows."""
        answered = [f for f in group if f.answered_by(self.role)]
        if not answered:
            return
        scale = self.t.scale_of(answered[0])
        with_na = any(f.not_relevant for f in answered)
        widths = rating_widths(len(scale.points), with_na)
        item_width, point_width = widths[0], widths[1]
        na_width = widths[-1] if with_na else 0
        caption = scale.title or self.w["item"]
        self.out += [
            x.table_start(widths, caption=caption, description=self.w["rating_grid"]),
            x.row_start(header=True),
        ]
        self.out.append(plain_cell(caption, item_width, fill=HEAD_FILL, bold=True, keep_next=True))
        for point in scale.points:
            head = x.para(x.run(str(point.value), bold=True), style="MFCell", align="center", keep_next=True) + x.para(
                x.run(point.label, size=8), style="MFCell", align="center", keep_next=True
            )
            self.out.append(x.cell(head, point_width, fill=HEAD_FILL, valign="bottom"))
        if with_na:
            label = not_relevant_label(self.t, scale)
            self.out.append(
                x.cell(
                    x.para(x.run(label, size=8), style="MFCell", align="center", keep_next=True),
                    na_width,
                    fill=HEAD_FILL,
                    valign="bottom",
                )
            )
        self.out.append(x.row_end())
        for index, f in enumerate(answered):
            last = len(answered) - 1  # the first rows stay with the header, the last two together
            kept = index < last and (index < KEPT_ROWS - 1 or index == last - 1)
            self.out.append(x.row_start())
            self.out += self.label_cell(f, item_width, statement=True, keep_next=kept)
            for spec in inputs_of(self.t, f):
                width = na_width if spec.part == "na" else point_width
                self.out += self.input_cell(f, spec, width, center=True)
            if with_na and not f.not_relevant:
                self.out.append(x.cell(x.para(style="MFCell"), na_width, fill=LABEL_FILL))
            self.out.append(x.row_end())
        self.out += [x.table_end(), x.para(space_after=60)]

    def _agreements(self, f: AgreementsField, answered: bool) -> None:
        widths = agreement_widths(f.columns, self.t.language)
        heads = [self.w[f"col_{column}"] for column in f.columns]
        caption = readable_label(getattr(f, "label", None), None, self.t.language) or self.w["col_action"]
        description = self.w["agreements_grid"].format(columns=", ".join(heads))
        self.out += self.label_paragraphs(f)
        self.out += [x.table_start(widths, caption=caption, description=description), x.row_start(header=True)]
        for column, width in zip(f.columns, widths, strict=True):
            self.out.append(plain_cell(self.w[f"col_{column}"], width, fill=HEAD_FILL, bold=True, keep_next=True))
        self.out.append(x.row_end())
        specs = {s.part: s for s in inputs_of(self.t, f)}
        for number in range(1, f.rows + 1):
            self.out.append(x.row_start(height=LINE_HEIGHT + 200))
            for column, width in zip(f.columns, widths, strict=True):
                spec = specs[agreement_part(number, column)]
                if answered:
                    self.out += self.input_cell(f, spec, width, small=True)
                else:
                    self.out.append(x.cell(x.para(style="MFCell"), width))
            self.out.append(x.row_end())
        self.out.append(x.table_end())

    def _signature(self, f: SignatureField, answered: bool) -> None:
        name_width = 3800
        date_width = 2000
        sign_width = CONTENT_WIDTH - name_width - date_width
        widths = (name_width, date_width, sign_width)
        name_spec, date_spec = inputs_of(self.t, f)
        self.out += [x.table_start(widths), x.row_start()]
        # The label, the captions and the boxes to sign in stay on one page: split by a page break, LibreOffice
        # 7.4 can lose the boxes' row from the page (and end its process when a person types into them).
        self.out += self.label_cell(f, CONTENT_WIDTH, span=3, keep_next=True)
        self.out += [x.row_end(), x.row_start()]
        for caption, width in zip((self.w["name"], self.w["date"], self.w["signature"]), widths, strict=True):
            caption_para = x.para(x.run(caption, size=8, color="595959"), style="MFCell", keep_next=True)
            self.out.append(x.cell(caption_para, width))
        self.out += [x.row_end(), x.row_start(height=640)]
        if answered:
            self.out += self.input_cell(f, name_spec, name_width)
            self.out += self.input_cell(f, date_spec, date_width)
        else:
            self.out += [x.cell(x.para(), name_width), x.cell(x.para(), date_width)]
        self.out += [x.cell(x.para(), sign_width), x.row_end(), x.table_end()]


def _kept(piece: Piece) -> Piece:
    """``piece`` (fixed text, a slot or an input's content) with its paragraphs kept on the page of what
    follows."""
    if isinstance(piece, str):
        return x.kept_with_next(piece)
    if isinstance(piece, Input):
        fill = piece.fill
        return Input(piece.field_id, x.kept_with_next(piece.blank), lambda stamp: x.kept_with_next(fill(stamp)))
    if isinstance(piece, Slot):
        make = piece.fill
        return Slot(lambda stamp: x.kept_with_next(make(stamp)))
    return piece


KEPT_ROWS = 2
"""How many first rows of a rating table stay on the page of its header row (and so of the heading above it);
the table may split between later rows, but not before its last row (no row alone on a page)."""
_POINT = 780
_NOT_RELEVANT = 900
_MIN_POINT = 560
ITEM_WIDTH = CONTENT_WIDTH - 5 * _POINT - _NOT_RELEVANT
"""The statement column of every rating table (room for a five-point scale and "not relevant")."""


def rating_widths(points: int, with_na: bool) -> list[int]:
    """The columns of a rating table: the statement (:data:`ITEM_WIDTH`, narrower only for a scale of more
    points than fit beside it), a column per point sharing the rest, and "not relevant"."""
    na_width = _NOT_RELEVANT if with_na else 0
    item_width = min(ITEM_WIDTH, CONTENT_WIDTH - na_width - points * _MIN_POINT)
    point_width = (CONTENT_WIDTH - item_width - na_width) // points
    item_width = CONTENT_WIDTH - na_width - point_width * points
    return [item_width] + [point_width] * points + ([na_width] if with_na else [])


_CHAR = 115
"""About the width of one character of the table's type (9.5 pt), in twentieths of a point."""
_CELL_MARGINS = 260


def agreement_widths(columns: tuple[str, ...], language: str = "da") -> list[int]:
    """The width of each column of an agreements table.

    Pick lists and dates get room for their longest entry on one line (LibreOffice 7.4 can crash when a
    person types next to a pick list whose text wraps); the comment and "what" share the rest alike (both are
    written in sentences), "what" takes it all without a comment.
    """
    from musforms._core.i18n import agreement_choice_labels

    w = words(language)
    fixed: dict[str, int] = {}
    for column in columns:
        entries = [w[f"col_{column}"]]  # a pick list's placeholder (its choices) may wrap
        if column in ("owner", "status", "method"):
            entries += list(agreement_choice_labels(column, language).values())
        elif column == "deadline":
            entries += ["00-00-0000", w["date_pattern"] + " "]  # its letters are wider than digits
        if column not in ("action", "comment"):
            fixed[column] = max(len(entry) for entry in entries) * _CHAR + _CELL_MARGINS
    rest = CONTENT_WIDTH - sum(fixed.values())
    comment = rest // 2 if "comment" in columns else 0
    widths = [fixed.get(c, 0) for c in columns]
    if "comment" in columns:
        widths[columns.index("comment")] = comment
    widths[columns.index("action")] = CONTENT_WIDTH - sum(widths)
    return widths


def _iso(shown: str) -> str | None:
    from musforms._core.codec import parse_date

    parsed = parse_date(shown)
    return parsed.isoformat() if isinstance(parsed, dt.date) else None
