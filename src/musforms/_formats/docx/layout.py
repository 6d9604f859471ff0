"""The Word form's visual layout: which title, tables, texts and inputs a template's form shows for a role, in
which order and style, compiled once per template and role into pieces (see
:mod:`musforms._formats.docx.stamping`, which fills them in for each employee).

Every input sits in its own table cell, which starts with a bookmark named after the input (its *anchor*).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from musforms._core.i18n import form_subtitle, words
from musforms._core.identity import identity_line
from musforms._formats.docx import ooxml as x
from musforms._formats.docx.skeleton import CONTENT_WIDTH
from musforms._formats.docx.stamping import (
    LAYOUT_PROPERTY,
    LAYOUT_VERSION,
    Anchor,
    Break,
    Input,
    Layout,
    Piece,
    Slot,
    Stamp,
    anchor_name,
)
from musforms._formats.docx.tables import LABEL_FILL, FieldTables, agreement_widths, has_jinja, plain_cell, rendered
from musforms._model.context import person_line
from musforms._model.fields import AgreementsField, FormField, InfoField, RatingField, Role, SignatureField
from musforms._model.template import Section, Template
from musforms._text.dates import meeting_when
from musforms._text.sandbox import render_text

__all__ = [
    "LAYOUT_PROPERTY",
    "LAYOUT_VERSION",
    "Anchor",
    "Input",
    "Layout",
    "Slot",
    "Stamp",
    "agreement_widths",
    "anchor_name",
    "compile_layout",
]
"""The names of :mod:`musforms._formats.docx.stamping` and :mod:`musforms._formats.docx.tables` that readers of a
compiled layout use are here too."""


def _text_paragraphs(source: str, language: str, style: str, *, keep_last: bool = False) -> Piece:
    """Paragraphs of a template text (blank lines separate paragraphs; ``- `` starts an item of a bulleted list,
    written as a list paragraph).

    With ``keep_last``, the last paragraph stays on the page of what follows it (a table it introduces).
    """
    if "{" not in source:
        return _paragraphs(source, style, keep_last)
    return Slot(lambda stamp: _paragraphs(render_text(source, stamp.context, language), style, keep_last))


_SHORT_LIST = 4
"""A bulleted list of at most this many items stays on one page."""


@lru_cache(maxsize=1024)
def _paragraphs(text: str, style: str, keep_last: bool) -> str:
    """The paragraphs of a text as rendered (kept: a text about the form only reads the same in every form)."""
    paragraphs: list[tuple[str | None, str]] = []
    for block in text.strip().split("\n\n"):
        lines = [line.rstrip() for line in block.strip().split("\n")]
        if all(line.lstrip().startswith(("- ", "• ")) for line in lines if line):
            paragraphs.extend((None, line.lstrip()[2:]) for line in lines if line)
        elif block.strip():
            paragraphs.append((style, " ".join(line.strip() for line in lines)))
    last = len(paragraphs) - 1

    def kept(index: int) -> bool:
        """No list item alone at a page's end or top: a short list stays on one page, a longer one keeps its
        first two and its last two items together."""
        if keep_last and index == last:
            return True
        if paragraphs[index][0] is not None or index == last or paragraphs[index + 1][0] is not None:
            return False
        start = index
        while start > 0 and paragraphs[start - 1][0] is None:
            start -= 1
        end = index + 1
        while end < last and paragraphs[end + 1][0] is None:
            end += 1
        return end - start < _SHORT_LIST or index in (start, end - 1)

    return "".join(
        x.para(x.run(words), style=kind, keep_next=kept(index))
        if kind is not None
        else x.list_item(x.run(words), keep_next=kept(index))
        for index, (kind, words) in enumerate(paragraphs)
    )


_HIDDEN_MARK = '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>'
"""The properties of the hidden line's paragraph mark: 1 pt, so that the paragraph takes next to no room on
paper (the mark itself is not hidden, so that LibreOffice 7.4 keeps the paragraph where it is)."""


def _hidden_line(text: str) -> str:
    """A paragraph kept in the document but not printed nor shown (hidden text, as Word and LibreOffice print
    it by default): the identity line, which the parser reads when the document's properties are gone."""
    return x.para(x.run(text, hidden=True, size=1), style="MFSmall", space_before=0, run_props=_HIDDEN_MARK)


class _Compiler:
    """Writes a form's pieces in order: title, the people table, the intro, each section with its fields."""

    def __init__(self, template: Template, role: Role) -> None:
        self.t = template
        self.role = role
        self.w = words(template.language)
        self.layout = Layout(template, role)
        self.out = self.layout.pieces
        self.tables = FieldTables(template, role, self.layout)

    def compile(self) -> Layout:
        t = self.t
        title, language = t.title, t.language
        if has_jinja(title):
            self.out.append(Slot(lambda stamp: x.para(x.run(rendered(title, stamp, language)), style="Title")))
        else:
            self.out.append(x.para(x.run(title), style="Title"))
        self.out.append(x.para(x.run(form_subtitle(t.purpose, self.role, t.language)), style="Subtitle"))
        self.out.extend(self._people_table())
        if t.intro:
            self.out.append(_text_paragraphs(t.intro, t.language, "MFIntro"))
        for section in t.sections_for(self.role):
            self._section(t.section_number(section), section)
        # The form ends in a line of visible text: a cursor LibreOffice 7.4 sends to the end of a document that
        # ends in hidden text (or in an empty paragraph after a table) lands in the last table's cell, and a
        # note a person adds at the end would go there.
        self.out.append(Slot(lambda stamp: _hidden_line(identity_line(stamp.identity))))
        self.out.append(x.para(x.run(self.w["confidential"]), style="MFSmall", space_before=240))
        self.layout.seal()
        return self.layout

    def _people_table(self) -> list[Piece]:
        w, language = self.w, self.t.language
        label_width = 1800
        value_width = CONTENT_WIDTH - label_width

        def person(which: str) -> Callable[[Stamp], str]:
            def value(stamp: Stamp) -> str:
                return person_line(stamp.context.employee if which == "employee" else stamp.context.manager)

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
                x.row_start(),
                plain_cell(label, label_width, fill=LABEL_FILL, bold=True),
                Slot(filler),
                x.row_end(),
            ]
        return [x.table_start((label_width, value_width)), *rows, x.table_end(), x.para(space_after=120)]

    def _section(self, number: int | None, section: Section) -> None:
        self.out.append(Break())
        w = self.w
        box = f"\t{w['about_minutes'].format(n=section.minutes)}" if section.minutes else ""
        language = self.t.language

        def heading(title: str) -> str:
            numbered = f"{number}. {title}" if number is not None else title
            return x.para(x.run(numbered) + (x.run(box, size=10) if box else ""), style="MFSection")

        title = section.title
        self.out.append(
            Slot(lambda stamp: heading(rendered(title, stamp, language))) if has_jinja(title) else heading(title)
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
                self.tables.ratings(group)
                index += len(group)
                continue
            following = fields[index + 1] if index + 1 < len(fields) else None
            # What one signs under (the box before the signatures, not a long table) and both signatures stay
            # on one page.
            self._field(f, kept=isinstance(following, SignatureField) and not isinstance(f, AgreementsField))
            index += 1

    def _field(self, f: FormField, *, kept: bool = False) -> None:
        if isinstance(f, InfoField):
            if f.label:
                label, language = f.label, self.t.language
                if has_jinja(label):
                    self.out.append(
                        Slot(lambda stamp: x.para(x.run(rendered(label, stamp, language)), style="Heading2"))
                    )
                else:
                    self.out.append(x.para(x.run(label), style="Heading2"))
            self.out.append(_text_paragraphs(f.text, self.t.language, "MFInfo", keep_last=True))
            return
        self.tables.field(f, kept=kept)
        self.out.append(x.para(space_after=60, keep_next=kept))


@lru_cache(maxsize=64)
def compile_layout(template: Template, role: Role) -> Layout:
    """The compiled layout of ``template``'s form for ``role`` (cached)."""
    return _Compiler(template, role).compile()
