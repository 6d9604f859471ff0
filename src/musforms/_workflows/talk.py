"""The talk form: both preparations side by side, part by part, with the gaps marked and room for notes."""

from __future__ import annotations

from typing import Any, Literal

from musforms._core.carry import status_field
from musforms._core.i18n import agreement_choice_labels, language_tag, words
from musforms._formats.docx import ooxml as x
from musforms._formats.docx.document import DocumentProperties, page_footer, word_document
from musforms._formats.docx.skeleton import CONTENT_WIDTH
from musforms._loading.store import GivenTemplates
from musforms._model.context import Context
from musforms._model.filled import FilledForm
from musforms._model.template import Template
from musforms._model.values import NOT_RELEVANT, AgreementRow
from musforms._text.dates import date_in_words, meeting_when
from musforms._text.form_facts import form_facts
from musforms._text.readable import readable_label
from musforms._text.sandbox import text_scope
from musforms._workflows.compare import Comparison, RatingPair, compare
from musforms._workflows.talk_xlsx import FLAG_FILL, AnswerLine, RatingLine, TalkPart, talk_workbook
from musforms.errors import MusformsError

__all__ = ["gap_text", "previous_agreements", "rating_widths", "render_talk"]

HEAD_FILL = "DCE3EC"
LABEL_FILL = "F2F2F2"
MINUS = "\u2212"
"""The minus sign a negative gap is printed with (not a hyphen)."""
_CHAR_TWIPS = {False: 115, True: 130}
"""A character's width in a table cell at the cell's 9.5 pt, regular and bold, in twentieths of a point: room for
the widest font a reader may print with (DejaVu Sans, where Calibri is not installed)."""
_CELL_ROOM = 260
"""A cell's margins (100 each side in the table style) and a little air, in twentieths of a point."""


def render_talk(
    template: Template | None,
    employee_form: FilledForm,
    manager_form: FilledForm,
    format: Literal["docx", "xlsx"] = "docx",
    *,
    context: Context | None = None,
    templates: GivenTemplates = None,
) -> bytes:
    """The form for the talk itself, from both completed preparation forms.

    It follows the talk's parts in order with their time boxes; in each, the rated items with both ratings
    and the gap (items to talk about are marked), the open answers of both side by side, and room for notes
    and conclusions; the closing part ends with a box for the employee's
    feedback on the talk. The past part also lists last year's agreements. The manager's own preparation is left
    out: the talk form is shared. ``context`` (names, time, place) defaults to the one stored in the forms.
    Without ``template``, the forms' template is found as :func:`musforms.compare` finds it (among
    ``templates``: the one of the forms' id, version and fingerprint; else a built-in one, or the one the forms
    carried).
    """
    comparison = compare(employee_form, manager_form, template=template, templates=templates)
    ctx = context or getattr(employee_form, "context", None) or getattr(manager_form, "context", None)
    if format not in ("docx", "xlsx"):
        raise MusformsError(f"format must be 'docx' or 'xlsx', not {format!r}")
    with text_scope(None, form_facts(comparison.template)):  # shared by both: its texts are read by no one role
        return _docx(comparison, ctx) if format == "docx" else _xlsx(comparison, ctx)


def gap_text(gap: int | None) -> str:
    """A gap as the talk form prints it: ``+2``, ``−2`` (a real minus sign), ``0``; empty when there is none."""
    if gap is None:
        return ""
    if gap > 0:
        return f"+{gap}"
    return f"{MINUS}{-gap}" if gap < 0 else "0"


def _column_width(texts: list[str], *, bold: bool) -> int:
    """The width (twentieths of a point) a rating column needs for each of ``texts`` on one line, no word broken."""
    return max(len(text) for text in texts) * _CHAR_TWIPS[bold] + _CELL_ROOM


def rating_widths(language: str) -> tuple[int, int, int, int]:
    """The widths of the rating table's columns: the employee's, the manager's rating and the gap each as wide as
    its bold heading and what it shows (a point, "not relevant", "no answer"); the statement takes the rest."""
    w = words(language)
    shown = [w["no_answer"], w["not_relevant"], "00"]
    employee = _column_width([w["employee"]], bold=True)
    manager = _column_width([w["manager"]], bold=True)
    ratings = max(employee, manager, _column_width(shown, bold=False))
    gap = max(_column_width([w["difference"]], bold=True), _column_width([gap_text(-10)], bold=True))
    return (CONTENT_WIDTH - 2 * ratings - gap, ratings, ratings, gap)


def _shown(value: Any, template: Template, language: str) -> str:
    w = words(language)
    if value is None:
        return w["no_answer"]
    if value == NOT_RELEVANT:
        return w["not_relevant"]
    return str(value)


def _label(template: Template, field_id: str, context: Context | None) -> str:
    """A field's label as the talk form prints it: rendered with the talk's context."""
    return readable_label(getattr(template.field(field_id), "label", None) or field_id, context, template.language)


def _title(template: Template, context: Context | None) -> str:
    """The talk form's title: the words "talk form" and the template's title, rendered with the context."""
    return f"{words(template.language)['talk_form']} – {readable_label(template.title, context, template.language)}"


def _agreement_text(row: AgreementRow, language: str) -> str:
    parts = [row.action]
    if row.owner:
        parts.append(agreement_choice_labels("owner", language)[row.owner])
    if row.deadline:
        parts.append(date_in_words(row.deadline, language))
    if row.status:
        parts.append(agreement_choice_labels("status", language)[row.status])
    if row.comment:
        parts.append(row.comment)
    return " · ".join(parts)


def _sections(comparison: Comparison) -> list[tuple[Any, list[RatingPair], list[Any]]]:
    template = comparison.template
    out = []
    for section in template.sections:
        if not (section.shown_to("employee") and section.shown_to("manager")):
            continue
        ratings = [p for p in comparison.ratings if p.section_id == section.id]
        answers = [a for a in comparison.open_answers if a.section_id == section.id]
        out.append((section, ratings, answers))
    return out


def _agreements(form: FilledForm, template: Template) -> list[AgreementRow]:
    """This year's agreements in a form: the rows of its agreements tables, but for the status table (where the
    form takes stock of last year's agreements)."""
    status = status_field(template)
    rows: list[AgreementRow] = []
    for field_id, value in form.answers.items():
        if status is not None and field_id == status.id:
            continue
        if isinstance(value, list) and value and isinstance(value[0], AgreementRow):
            rows.extend(value)
    return rows


def previous_agreements(comparison: Comparison, context: Context | None) -> list[AgreementRow]:
    """Last year's agreements as the talk lists them: the rows of the status table as the employee's form (else
    the manager's) took stock of them, else the context's ``previous_agreements``; never this year's new ones."""
    status = status_field(comparison.template)
    if status is not None:
        for form in (comparison.employee_form, comparison.manager_form):
            value = form.answers.get(status.id)
            rows = [row for row in value if isinstance(row, AgreementRow)] if isinstance(value, list) else []
            if rows:
                return rows
    return list(context.previous_agreements) if context is not None else []


def _closing_part(comparison: Comparison) -> Any:
    """The part of the talk that closes it: the last timed part the talk form shows (None if no part is timed)."""
    timed = [section for section, _ratings, _answers in _sections(comparison) if section.minutes]
    return timed[-1] if timed else None


def _box(heading: str, height: int) -> str:
    """A box to write in under its heading, the heading kept with the room below it."""
    head = x.row(
        [x.cell(x.para(x.run(heading, bold=True), style="MFCell", keep_next=True), CONTENT_WIDTH, fill=LABEL_FILL)]
    )
    room = x.row([x.cell(x.para(), CONTENT_WIDTH)], height=height)
    return x.table([head, room], (CONTENT_WIDTH,))


def _feedback_docx(w: dict[str, str]) -> list[str]:
    """The closing box of the talk: the employee's feedback on the talk, what has been good and what to do
    differently at the next MUS (guide 3.5), each with room to write."""
    out = [
        x.para(x.run(w["talk_feedback"]), style="Heading2"),
        x.para(x.run(w["talk_feedback_note"], italic=True, size=9, color="595959")),  # 7:1
    ]
    for key in ("feedback_good", "feedback_improve"):
        out.append(_box(w[key], 900))
        out.append(x.para(space_after=60))
    return out


def _docx(comparison: Comparison, context: Context | None) -> bytes:
    template = comparison.template
    language = template.language
    w = words(language)
    half = CONTENT_WIDTH // 2
    out: list[str] = [
        x.para(x.run(_title(template, context)), style="Title"),
    ]
    if context is not None:
        people = [
            (w["employee"], context.employee.name),
            (w["manager"], context.manager.name if context.manager else ""),
        ]
        if context.meeting and context.meeting.start:
            people.append((w["meeting"], meeting_when(context.meeting, language)))
        if context.meeting and context.meeting.place:
            people.append((w["place"], context.meeting.place))
        rows = [
            x.row(
                [
                    x.cell(x.para(x.run(k, bold=True), style="MFCell"), 1800, fill=LABEL_FILL),
                    x.cell(x.para(x.run(v), style="MFCell"), CONTENT_WIDTH - 1800),
                ]
            )
            for k, v in people
        ]
        out.append(x.table(rows, (1800, CONTENT_WIDTH - 1800)))
    out.append(x.para(x.run(w["flag_note"], italic=True, size=9, color="595959"), space_before=120))  # 7:1
    previous = previous_agreements(comparison, context)
    for number, (section, ratings, answers) in enumerate(_sections(comparison), start=1):
        box = f"\t{w['about_minutes'].format(n=section.minutes)}" if section.minutes else ""
        section_title = readable_label(section.title, context, language)
        out.append(
            x.para(x.run(f"{number}. {section_title}") + (x.run(box, size=10) if box else ""), style="MFSection")
        )
        if ratings:
            widths = rating_widths(language)
            head = x.row(
                [
                    x.cell(
                        x.para(x.run(t, bold=True), style="MFCell", align="center" if i else None), wd, fill=HEAD_FILL
                    )
                    for i, (t, wd) in enumerate(
                        zip((w["item"], w["employee"], w["manager"], w["difference"]), widths, strict=True)
                    )
                ],
                header=True,
            )
            body = []
            for pair in ratings:
                fill = FLAG_FILL if pair.flagged else None
                gap = gap_text(pair.gap)
                label = _label(template, pair.field_id, context)
                texts = (
                    label,
                    _shown(pair.employee, template, language),
                    _shown(pair.manager, template, language),
                    gap,
                )
                cells = [
                    x.cell(
                        x.para(x.run(t, bold=pair.flagged and i == 3), style="MFCell", align="center" if i else None),
                        wd,
                        fill=fill,
                    )
                    for i, (t, wd) in enumerate(zip(texts, widths, strict=True))
                ]
                if pair.flagged:  # said in words too, not by the colour alone
                    mark = x.run(label) + x.run(f" ({w['flag_mark']})", bold=True)
                    cells[0] = x.cell(x.para(mark, style="MFCell"), widths[0], fill=fill)
                body.append(x.row(cells))
            caption = f"{number}. {section_title}"
            out.append(x.table([head, *body], widths, caption=caption, description=w["talk_grid"]))
            out.append(x.para(space_after=60))
        for answer in answers:
            out.append(x.para(x.run(_label(template, answer.field_id, context)), style="MFLabel", keep_next=True))
            rows = [
                x.row(
                    [
                        x.cell(x.para(x.run(w[who], bold=True), style="MFCell"), half, fill=LABEL_FILL)
                        for who in ("employee", "manager")
                    ],
                    header=True,
                ),
                x.row(
                    [
                        x.cell(x.para(x.run(text or w["no_answer"]), style="MFCell"), half)
                        for text in (answer.employee, answer.manager)
                    ]
                ),
            ]
            out.append(x.table(rows, (half, half)))
            out.append(x.para(space_after=60))
        if number == 2 and previous:
            out.append(x.para(x.run(w["last_agreements"]), style="Heading2"))
            out.extend(x.list_item(x.run(_agreement_text(row, language))) for row in previous)
        out.append(_box(w["notes"], 1500))
        if section is _closing_part(comparison):
            out.extend(_feedback_docx(w))
    noted = _agreements(comparison.manager_form, template)
    if noted:
        out.append(x.para(x.run(w["agreements_so_far"]), style="MFSection"))
        out.extend(x.list_item(x.run(_agreement_text(row, language))) for row in noted)
    company = (template.company.name if template.company else None) or (
        context.company.name if context and context.company else ""
    )
    return word_document(
        "".join(out),
        header=lambda logo_run: x.para(logo_run + x.run(company or "", bold=True, size=9), style="Header"),
        footer=page_footer(language, words(language)["confidential"]),
        properties={"musforms.document": "talk"},
        about=DocumentProperties(
            _title(template, context),
            subject=w["talk_form"],
            author=company or "",
            keywords=", ".join((w["keywords"], template.id)),
            language=language_tag(language),
        ),
        logo=template.logo_image,
    )


def _xlsx(comparison: Comparison, context: Context | None) -> bytes:
    """The talk form as a workbook (laid out by :func:`musforms._workflows.talk_xlsx.talk_workbook`)."""
    template = comparison.template
    language = template.language
    w = words(language)
    closing = _closing_part(comparison)
    parts = []
    for number, (section, ratings, answers) in enumerate(_sections(comparison), start=1):
        box = f" ({w['about_minutes'].format(n=section.minutes)})" if section.minutes else ""
        lines = [
            RatingLine(
                _label(template, pair.field_id, context),
                _shown(pair.employee, template, language),
                _shown(pair.manager, template, language),
                pair.gap,
                pair.flagged,
            )
            for pair in ratings
        ]
        texts = [
            AnswerLine(
                _label(template, answer.field_id, context),
                answer.employee or w["no_answer"],
                answer.manager or w["no_answer"],
            )
            for answer in answers
        ]
        heading = f"{number}. {readable_label(section.title, context, language)}{box}"
        parts.append(TalkPart(heading, lines, texts, closing=section is closing))
    return talk_workbook(template, context, _title(template, context), parts)
