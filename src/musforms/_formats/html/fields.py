"""The markup of each field of a web form: its label, help and controls, and its problems next to it.

Every text of a template or a context is rendered through the Jinja sandbox and then HTML-escaped, so that it
prints as written (``Ü<nal>`` stays ``Ü<nal>``); no attribute takes markup. Every input's ``name`` is its
binding's input name (:func:`musforms._core.binding.anchors`, a rating or a single choice as one input, a radio
group whose values are the choices' parts), its ``id`` the name (``name--value`` for a radio or check box), and
every control has a ``<label for>`` or sits in a ``<fieldset>`` with a ``<legend>``. A problem
(:class:`Issue`) is shown under its field's label, its control marked ``aria-invalid`` and described by it, and
the text a person typed is shown back in its control (of a problem about several inputs, such as an agreement
row without its "what", each input's text in its own control: :attr:`Issue.inputs`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from musforms._core.binding import PICK_COLUMNS, InputSpec, agreement_part, anchors, input_name, inputs_of
from musforms._core.codec import parse_date
from musforms._core.i18n import words
from musforms._core.reading import TICKED, UNTICKED
from musforms._formats.html.words import web_words
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
from musforms._model.filled import FormIdentity, Issue
from musforms._model.template import Template
from musforms._text.sandbox import render_text

__all__ = ["FieldWriter", "Page", "Shown", "escape_text"]

Shown = dict[str, str | bool]
"""What each input shows, by input name: text (a date as ``YYYY-MM-DD``, a choice as its value) or a tick."""


def escape_text(text: str) -> str:
    """``text`` HTML-escaped (quotes too), to stand in an element or an attribute."""
    return escape(text, quote=True)


_e = escape_text


@dataclass(frozen=True)
class Page:
    """What one web form shows: the template and role, the person's context, the inputs' values, the problems,
    and where the form is sent."""

    template: Template
    role: Role
    context: Context
    shown: Shown
    identity: FormIdentity
    properties: Mapping[str, str]
    issues: Sequence[Issue] = ()
    action: str = ""
    method: str = "post"
    nonce: str | None = None


@dataclass
class _Problems:
    """The problems of a form, placed: by field, and by the input they were found in."""

    by_field: dict[str, list[Issue]] = field(default_factory=dict)
    by_input: dict[str, list[Issue]] = field(default_factory=dict)
    loose: list[Issue] = field(default_factory=list)
    all_back: set[int] = field(default_factory=set)
    """The issues (by ``id``) whose every input's text was put back in its control."""


class FieldWriter:
    """Writes the markup of one form's fields (the page around them: :mod:`musforms._formats.html.page`)."""

    def __init__(self, page: Page) -> None:
        self.p = page
        self.t = page.template
        self.language = page.template.language
        self.w = words(self.language)
        self.ww = web_words(self.language)
        self.inputs = anchors(self.t, page.role, "list")
        self.shown: Shown = dict(page.shown)
        self.problems = self._place(page.issues)
        self.targets: dict[str, str] = {}
        """The id each field's problems link to (its first control)."""

    # -- texts -------------------------------------------------------------------------------------

    def text(self, source: str) -> str:
        """A template text rendered with the context, escaped."""
        return _e(render_text(source, self.p.context, self.language) if "{" in source else source)

    def paragraphs(self, source: str) -> str:
        """A template text as paragraphs (blank lines between) and bulleted lists (lines starting ``- ``)."""
        rendered = render_text(source, self.p.context, self.language) if "{" in source else source
        out: list[str] = []
        for block in rendered.strip().split("\n\n"):
            lines = [line.rstrip() for line in block.strip().split("\n") if line.strip()]
            if not lines:
                continue
            if all(line.lstrip().startswith(("- ", "• ")) for line in lines):
                out.append("<ul>" + "".join(f"<li>{_e(line.lstrip()[2:])}</li>" for line in lines) + "</ul>")
            else:
                out.append(f"<p>{_e(' '.join(line.strip() for line in lines))}</p>")
        return "".join(out)

    # -- problems ----------------------------------------------------------------------------------

    def _place(self, issues: Iterable[Issue]) -> _Problems:
        placed = _Problems()
        fields = {a.field_id for a in self.inputs.values()}
        for issue in issues:
            if issue.field_id is None or issue.field_id not in fields:
                placed.loose.append(issue)
                continue
            placed.by_field.setdefault(issue.field_id, []).append(issue)
            name = self._input_of(issue)
            if name is not None:
                placed.by_input.setdefault(name, []).append(issue)
                spec = self.inputs[name].spec
                if issue.inputs is None and issue.raw is not None and spec.kind in ("text", "line", "date"):
                    self.shown[name] = issue.raw  # what the person typed, shown back
            if issue.inputs is not None and self._put_back(issue.field_id, issue.inputs):
                placed.all_back.add(id(issue))
        return placed

    def _put_back(self, field_id: str, typed: Mapping[str, str]) -> bool:
        """The text of each of an issue's inputs (:attr:`Issue.inputs`) put back in its control: a text or a
        date as typed, a pick list's or radio group's text as the option it names. Whether every text found
        its control (else the issue's message shows what was written)."""
        every = True
        for name, text in typed.items():
            anchor = self.inputs.get(name)
            shown = None if anchor is None or anchor.field_id != field_id else _as_shown(anchor.spec, text)
            if shown is None:
                every = False
            else:
                self.shown[name] = shown
        return every

    def _input_of(self, issue: Issue) -> str | None:
        """The input an issue was found in: its location's anchor, else the field's only input."""
        anchor = issue.location.anchor if issue.location else None
        if anchor in self.inputs and self.inputs[anchor].field_id == issue.field_id:
            return anchor
        own = [name for name, a in self.inputs.items() if a.field_id == issue.field_id]
        return own[0] if len(own) == 1 else None

    def field_problems(self, f: FormField) -> list[Issue]:
        return self.problems.by_field.get(f.id, [])

    def issue_id(self, f: FormField) -> str:
        return f"mf-f-{f.id}--issue"

    def issue_block(self, f: FormField) -> str:
        """The field's problems, under its label (referenced by its controls' ``aria-describedby``)."""
        problems = self.field_problems(f)
        if not problems:
            return ""
        items = []
        for issue in problems:
            text = _e(issue.message)
            if issue.raw and self._raw_not_shown(issue):
                text += f' <span class="mf-raw">{_e(self.ww["you_wrote"].format(raw=issue.raw))}</span>'
            items.append(f"<li>{text}</li>")
        return f'<ul class="mf-issue" id="{self.issue_id(f)}">{"".join(items)}</ul>'

    def _raw_not_shown(self, issue: Issue) -> bool:
        """Whether the issue's raw text is not in a control (a radio group or tick cannot hold it)."""
        if issue.inputs is not None:
            return id(issue) not in self.problems.all_back
        name = self._input_of(issue)
        return name is None or self.inputs[name].spec.kind not in ("text", "line", "date")

    def invalid(self, f: FormField, name: str) -> bool:
        """Whether the control ``name`` is marked invalid: it holds a problem, or its field has one placed on
        no single input."""
        if name in self.problems.by_input:
            return True
        problems = self.field_problems(f)
        return bool(problems) and not any(self._input_of(i) for i in problems)

    def control_attrs(self, f: FormField, name: str, described: Sequence[str] = ()) -> str:
        """``aria-describedby`` (help, problems, count) and ``aria-invalid`` of one control."""
        ids = [*described]
        if self.field_problems(f):
            ids.append(self.issue_id(f))
        attrs = f' aria-describedby="{" ".join(ids)}"' if ids else ""
        if self.invalid(f, name):
            attrs += ' aria-invalid="true"'
        return attrs

    def field_open(self, f: FormField, tag: str = "div", extra: str = "") -> str:
        classes = "mf-field" + (" mf-invalid" if self.field_problems(f) else "") + extra
        return f'<{tag} class="{classes}" id="mf-f-{f.id}">'

    def help_block(self, f: FormField) -> tuple[str, list[str]]:
        if not f.help:
            return "", []
        help_id = f"mf-f-{f.id}--help"
        return f'<p class="mf-help" id="{help_id}">{self.text(f.help)}</p>', [help_id]

    def required_mark(self, f: FormField) -> str:
        return f' <span class="mf-req">({_e(self.ww["required"])})</span>' if f.required else ""

    def required_attrs(self, f: FormField) -> str:
        return ' required aria-required="true"' if f.required else ""

    def first_control(self, f: FormField) -> str:
        """The id of the field's first control (where a link to its problem leads)."""
        for issue in self.field_problems(f):
            name = self._input_of(issue)
            if name is not None:
                return self.control_id(name)
        for name, a in self.inputs.items():
            if a.field_id == f.id:
                return self.control_id(name)
        return f"mf-f-{f.id}"

    def control_id(self, name: str) -> str:
        """The id of an input's (first) control: the name, ``name--value`` for radios and check boxes."""
        spec = self.inputs[name].spec
        if spec.kind == "tick":
            return f"{name}--x"
        if spec.kind == "one_of":
            return f"{name}--{spec.choices[0][0]}"
        return name

    # -- fields ------------------------------------------------------------------------------------------

    def field(self, f: FormField) -> str:
        if isinstance(f, InfoField):
            heading = f"<h3>{self.text(f.label)}</h3>" if f.label else ""
            return f'<div class="mf-info" id="mf-f-{f.id}">{heading}{self.paragraphs(f.text)}</div>'
        if not f.answered_by(self.p.role):
            return self.not_answered(f)
        if isinstance(f, TextField):
            return self.text_field(f)
        if isinstance(f, DateField):
            return self.date_field(f)
        if isinstance(f, CheckField):
            return self.check_field(f)
        if isinstance(f, RatingField | ChoiceField):
            return self.choice_field(f)
        if isinstance(f, AgreementsField):
            return self.agreements(f)
        if isinstance(f, SignatureField):
            return self.signature(f)
        raise TypeError(f"unknown field kind {type(f).__name__}")

    def not_answered(self, f: FormField) -> str:
        """A field the role's form shows but another role fills in (the other's signature)."""
        who = getattr(f, "signer", None) or ("manager" if self.p.role == "employee" else "employee")
        note = self.ww["filled_by_other"].format(who=self.ww[f"the_{who}"])
        label = self.text(getattr(f, "label", None) or f.id)
        return (
            f'<div class="mf-field mf-other" id="mf-f-{f.id}"><p class="mf-label">{label}</p>'
            f'<p class="mf-note">{_e(note)}</p></div>'
        )

    # -- controls ------------------------------------------------------------------------------------

    def one(self, f: FormField) -> tuple[str, InputSpec]:
        spec = inputs_of(self.t, f, "list")[0]
        return input_name(f.id, spec.part), spec

    def value(self, name: str) -> str:
        value = self.shown.get(name)
        return value if isinstance(value, str) else ""

    def text_control(
        self, f: FormField, name: str, spec: InputSpec, described: Sequence[str] = (), rows: int = 4
    ) -> str:
        """A ``<textarea>`` (multi-line text) or ``<input type=text>`` (a line)."""
        value = self.value(name)
        attrs = self.control_attrs(f, name, described) + self.required_attrs(f)
        max_length = getattr(f, "max_length", None)
        if max_length:
            attrs += f' maxlength="{max_length}" data-mf-count="{max_length}"'
        if spec.kind == "text":
            return (
                f'<textarea id="{name}" name="{name}" rows="{rows}"{attrs} placeholder="{_e(self.w["write_here"])}">'
                f"\n{_e(value)}</textarea>"
            )
        return f'<input type="text" id="{name}" name="{name}" value="{_e(value)}"{attrs}>'

    def date_control(self, f: FormField, name: str, described: Sequence[str] = ()) -> str:
        """An ``<input type=date>``; a text box when what the person typed is not a date the browser can show."""
        value = self.value(name)
        attrs = self.control_attrs(f, name, described) + self.required_attrs(f)
        if value and not _is_iso(value):
            return (
                f'<input type="text" id="{name}" name="{name}" value="{_e(value)}"{attrs} '
                f'placeholder="{_e(self.ww["date_hint"])}">'
            )
        return f'<input type="date" id="{name}" name="{name}" value="{_e(value)}"{attrs}>'

    def text_field(self, f: TextField) -> str:
        name, spec = self.one(f)
        help_html, described = self.help_block(f)
        count = ""
        if f.max_length:
            count_id = f"{name}--count"
            pattern = self.ww["count_chars"].replace("{max}", str(f.max_length))
            count = (
                f'<p class="mf-count" id="{count_id}" data-mf-pattern="{_e(pattern)}">'
                f"{_e(self.ww['max_chars'].format(max=f.max_length))}</p>"
            )
            described = [*described, count_id]
        control = self.text_control(f, name, spec, described, rows=f.lines)
        return (
            f'{self.field_open(f)}<label class="mf-label" for="{name}">{self.text(f.label)}'
            f"{self.required_mark(f)}</label>{help_html}{self.issue_block(f)}{control}{count}</div>"
        )

    def date_field(self, f: DateField) -> str:
        name, _spec = self.one(f)
        help_html, described = self.help_block(f)
        return (
            f'{self.field_open(f)}<label class="mf-label" for="{name}">{self.text(f.label)}'
            f"{self.required_mark(f)}</label>{help_html}{self.issue_block(f)}"
            f"{self.date_control(f, name, described)}</div>"
        )

    def check_field(self, f: CheckField) -> str:
        name, _spec = self.one(f)
        help_html, described = self.help_block(f)
        checked = " checked" if self.shown.get(name) is True else ""
        attrs = self.control_attrs(f, name, described) + self.required_attrs(f)
        box = f'<input type="checkbox" id="{name}--x" name="{name}" value="x"{checked}{attrs}>'
        return (
            f'{self.field_open(f)}<div class="mf-check">{box}<label for="{name}--x">{self.text(f.label)}'
            f"{self.required_mark(f)}</label></div>{help_html}{self.issue_block(f)}</div>"
        )

    def choice_field(self, f: RatingField | ChoiceField) -> str:
        """A rating or a choice: a radio group (one input, its values the choices), or check boxes (one input
        each) for a choice of several, in a fieldset whose legend is the question."""
        help_html, described = self.help_block(f)
        specs = inputs_of(self.t, f, "list")
        options: list[str] = []
        if isinstance(f, ChoiceField) and f.multiple:
            hint = self.ww["choose_any"]
            for spec in specs:
                name = input_name(f.id, spec.part)
                checked = " checked" if self.shown.get(name) is True else ""
                attrs = self.control_attrs(f, name)
                options.append(
                    f'<li class="mf-option"><input type="checkbox" id="{name}--x" name="{name}" value="x"'
                    f'{checked}{attrs}><label for="{name}--x">{_e(spec.label)}</label></li>'
                )
        else:
            spec = specs[0]
            name = input_name(f.id, spec.part)
            picked = self.value(name)
            attrs = self.control_attrs(f, name) + (" required" if f.required else "")
            hint = self.ww["choose_one"]
            labels = _point_labels(self.t, f) if isinstance(f, RatingField) else {}
            for value, label in spec.choices:
                checked = " checked" if picked == value else ""
                if value in labels:
                    shown = f'<span class="mf-pv">{_e(label)}</span> <span class="mf-pl">{_e(labels[value])}</span>'
                else:
                    shown = _e(label)
                options.append(
                    f'<li class="mf-option"><input type="radio" id="{name}--{value}" name="{name}" '
                    f'value="{value}"{checked}{attrs}><label for="{name}--{value}">{shown}</label></li>'
                )
        hint_id = f"mf-f-{f.id}--hint"
        group_described = " ".join([*described, hint_id] + ([self.issue_id(f)] if self.field_problems(f) else []))
        kind = " mf-points" if isinstance(f, RatingField) else " mf-list"
        return (
            f'{self.field_open(f, "fieldset")[:-1]} aria-describedby="{group_described}">'
            f"<legend>{self.text(f.label)}{self.required_mark(f)}</legend>{help_html}"
            f'<p class="mf-hint" id="{hint_id}">{_e(hint)}</p>{self.issue_block(f)}'
            f'<ul class="mf-options{kind}">{"".join(options)}</ul></fieldset>'
        )

    def agreements(self, f: AgreementsField) -> str:
        """A table of agreements: a row per agreement (all shown without a script; with one, the rows in use
        and a button that shows the next), a column per column, each input with its row and column as label."""
        table_id = f"mf-f-{f.id}--table"
        heads = {column: self.w[f"col_{column}"] for column in f.columns}
        specs = {s.part: s for s in inputs_of(self.t, f, "list")}
        help_html = f'<p class="mf-help">{self.text(f.help)}</p>' if f.help else ""
        head_cells = "".join(f'<th scope="col">{_e(heads[c])}</th>' for c in f.columns)
        remove = _e(self.ww["remove"])
        remove_head = f'<th scope="col" class="mf-remove" data-mf-js hidden><span class="mf-vh">{remove}</span></th>'
        rows: list[str] = []
        for number in range(1, f.rows + 1):
            row_label = self.w["agreement_n"].format(n=number)
            cells = [f'<th scope="row">{_e(row_label)}</th>']
            for column in f.columns:
                part = agreement_part(number, column)
                spec = specs[part]
                name = input_name(f.id, part)
                label = (
                    f'<label class="mf-cell-label" for="{name}"><span class="mf-vh">{_e(row_label)}, </span>'
                    f"{_e(heads[column])}</label>"
                )
                if column in PICK_COLUMNS:
                    control = self.pick(f, name, spec)
                elif column == "deadline":
                    control = self.date_control(f, name)
                else:
                    control = self.text_control(f, name, spec, rows=2)
                cells.append(f"<td>{label}{control}</td>")
            removed = self.ww["row_removed"].format(row=row_label)
            cells.append(
                f'<td class="mf-remove" data-mf-js hidden><button type="button" class="mf-button mf-quiet" '
                f'data-mf-removed="{_e(removed)}">{_e(self.ww["remove_row"].format(row=row_label))}</button></td>'
            )
            rows.append(f'<tr data-mf-row="{number}">{"".join(cells)}</tr>')
        tools = (
            f'<p class="mf-row-tools" data-mf-js hidden><button type="button" class="mf-button mf-quiet" '
            f'id="{table_id}--add">{_e(self.ww["add_row"])}</button></p>'
            f'<p class="mf-note" id="{table_id}--full" hidden>{_e(self.ww["rows_full"])}</p>'
        )
        caption = (
            f"<caption><h3>{self.text(f.label)}{self.required_mark(f)}</h3>{help_html}{self.issue_block(f)}</caption>"
        )
        return (
            f'{self.field_open(f, extra=" mf-agreements")}<div class="mf-table-wrap">'
            f'<table class="mf-table" id="{table_id}" data-mf-agreements>{caption}'
            f'<thead><tr><th scope="col"><span class="mf-vh">#</span></th>{head_cells}{remove_head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>{tools}</div>"
        )

    def pick(self, f: FormField, name: str, spec: InputSpec) -> str:
        picked = self.value(name)
        options = [f'<option value="">{_e(self.w["pick"])}</option>']
        known = {value for value, _label in spec.choices}
        if picked and picked not in known:  # what the person sent, kept to be corrected
            options.append(f'<option value="{_e(picked)}" selected>{_e(picked)}</option>')
        for value, label in spec.choices:
            selected = " selected" if picked == value else ""
            options.append(f'<option value="{_e(value)}"{selected}>{_e(label)}</option>')
        return f'<select id="{name}" name="{name}"{self.control_attrs(f, name)}>{"".join(options)}</select>'

    def signature(self, f: SignatureField) -> str:
        name_spec, date_spec = inputs_of(self.t, f, "list")
        name = input_name(f.id, name_spec.part)
        date = input_name(f.id, date_spec.part)
        help_html, described = self.help_block(f)
        group_described = " ".join([*described] + ([self.issue_id(f)] if self.field_problems(f) else []))
        described_attr = f' aria-describedby="{group_described}"' if group_described else ""
        return (
            f"{self.field_open(f, 'fieldset')[:-1]}{described_attr}>"
            f"<legend>{self.text(f.label)}{self.required_mark(f)}</legend>{help_html}{self.issue_block(f)}"
            f'<div class="mf-sign"><div><label for="{name}">{_e(self.w["name"])}</label>'
            f"{self.text_control(f, name, name_spec)}</div>"
            f'<div><label for="{date}">{_e(self.w["date"])}</label>{self.date_control(f, date)}</div></div></fieldset>'
        )


def _point_labels(template: Template, f: RatingField) -> dict[str, str]:
    """A rating's radio values with the label of their point (``p3`` → ``Enig``)."""
    scale = template.scale_of(f)
    return {f"p{p.value}": p.label for p in scale.points}


def _as_shown(spec: InputSpec, text: str) -> str | bool | None:
    """What the control of ``spec`` shows for the ``text`` found in its input (as :data:`Shown` holds it), or
    None when the control cannot show it: a date as ``YYYY-MM-DD`` (kept as typed when it is not a date), a
    pick list's or radio group's text as the value of the option it names, a tick as ticked or not."""
    folded = " ".join(text.split()).casefold()
    if spec.kind in ("pick", "one_of"):
        named = [
            v for v, label in spec.choices + spec.also if folded in (v.casefold(), " ".join(label.split()).casefold())
        ]
        return named[0] if named else None
    if spec.kind == "tick":
        return True if folded in TICKED else False if folded in UNTICKED else None
    parsed = parse_date(text) if spec.kind == "date" else None
    return parsed.isoformat() if parsed else text


def _is_iso(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10
