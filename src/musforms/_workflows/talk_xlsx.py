"""The talk form as a workbook: both preparations part by part on one A4 page width, every row as tall as its
text, the pages broken where a heading would leave its box, and the gaps to talk about said in words (openpyxl
is imported when a workbook is made).

The talk form's contents (:mod:`musforms._workflows.talk`) come here as :class:`TalkPart` rows; this module
only lays them out.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from musforms._core.i18n import language_tag, words
from musforms._formats.xlsx.pages import page_breaks, text_height
from musforms._model.context import Context
from musforms._model.template import Template

__all__ = ["FLAG_FILL", "GAP_NUMBER_FORMAT", "WIDTHS", "AnswerLine", "RatingLine", "TalkPart", "talk_workbook"]

FLAG_FILL = "FBE3D6"
"""The background of a gap to talk about (its mark is also said in words)."""
GAP_NUMBER_FORMAT = '+0;"\u2212"0;0'
"""The workbook's number format of a gap: ``+2``, ``−2`` (a real minus sign) and ``0``."""
WIDTHS = {"A": 27.0, "B": 11.0, "C": 10.0, "D": 9.0, "E": 11.0}
"""The columns (statement; employee's rating; manager's; gap; whether to talk about it): one A4 page wide at
100 %. An open question's answers: the employee's over A–B, the manager's over C–E."""
_LAST = len(WIDTHS)
_ANSWERS = [(1, 2), (3, _LAST)]
_SIZE = 10.0
_BAND = "1F3A5F"


@dataclass(frozen=True)
class RatingLine:
    """One rated item: its label, both ratings as shown, the gap, and whether it is to be talked about."""

    label: str
    employee: str
    manager: str
    gap: int | None
    flagged: bool


@dataclass(frozen=True)
class AnswerLine:
    """One open question with both answers (or the words for no answer)."""

    label: str
    employee: str
    manager: str


@dataclass(frozen=True)
class TalkPart:
    """One part of the talk: its heading (number, title, time box), its ratings and open answers; the closing
    part ends with the employee's feedback on the talk."""

    heading: str
    ratings: Sequence[RatingLine] = ()
    answers: Sequence[AnswerLine] = ()
    closing: bool = False


@dataclass
class _Sheet:
    """The rows written so far: heights, and the rows kept on the page of the row below."""

    ws: object
    heights: list[float] = field(default_factory=list)
    keep: set[int] = field(default_factory=set)

    @property
    def row(self) -> int:
        return len(self.heights)


def talk_workbook(template: Template, context: Context | None, title: str, parts: Sequence[TalkPart]) -> bytes:
    """The .xlsx bytes of the talk form titled ``title`` with ``parts``."""
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet

    from musforms._formats.xlsx.build import page_setup, row_breaks
    from musforms._formats.xlsx.styles import HEAD_FILL, LABEL_FILL

    language = template.language
    w = words(language)
    workbook = openpyxl.Workbook()
    ws = workbook.active
    assert isinstance(ws, Worksheet)
    ws.title = w["talk_form"][:31]
    for letter, width in WIDTHS.items():
        ws.column_dimensions[letter].width = width
    ws.sheet_view.showGridLines = False
    company = (template.company.name if template.company else None) or (
        context.company.name if context and context.company else None
    )
    workbook.properties.title = title
    workbook.properties.subject = w["talk_form"]
    workbook.properties.keywords = ", ".join((w["keywords"], template.id))
    workbook.properties.language = language_tag(language)
    workbook.properties.creator = company
    sheet = _Sheet(ws)
    side = Side(style="thin", color="8C8C8C")
    box = Border(left=side, right=side, top=side, bottom=side)
    fills = {key: PatternFill("solid", fgColor=colour) for key, colour in (("head", HEAD_FILL), ("flag", FLAG_FILL))}
    fills["label"] = PatternFill("solid", fgColor=LABEL_FILL)
    fills["band"] = PatternFill("solid", fgColor=_BAND)
    notes = DataValidation(allow_blank=True, showInputMessage=True, promptTitle=w["notes"][:32], prompt=w["notes"])

    def put(
        values: Sequence[str | int | None],
        *,
        size: float = _SIZE,
        bold: bool = False,
        italic: bool = False,
        colour: str | None = None,
        fill: str | None = None,
        boxed: bool = False,
        spans: Sequence[tuple[int, int]] | None = None,
        height: float | None = None,
        keep: bool = False,
        align: Sequence[str | None] = (),
    ) -> int:
        """A row of cells, each over the columns of its span, wrapped and as tall as its longest text."""
        spans = spans or [(1, _LAST)] if len(values) == 1 else spans or [(i, i) for i in range(1, len(values) + 1)]
        row = sheet.row + 1
        need = 0.0
        for index, ((first, last), value) in enumerate(zip(spans, values, strict=True)):
            cell = ws.cell(row, first, value)
            if isinstance(value, str):
                cell.data_type = "s"  # a person's text that starts with = stays text
                width = sum(list(WIDTHS.values())[first - 1 : last])
                need = max(need, text_height(value, width, size, bold=bold))
            horizontal = align[index] if index < len(align) else None
            for column in range(first, last + 1):
                target = ws.cell(row, column)
                target.font = Font(name="Calibri", size=size, bold=bold, italic=italic, color=colour)
                target.alignment = Alignment(wrap_text=True, vertical="top", horizontal=horizontal)
                if fill:
                    target.fill = fills[fill]
                if boxed:
                    target.border = box
            if last > first:
                ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        sheet.heights.append(max(height or 0.0, need, size * 1.25 + 5))
        ws.row_dimensions[row].height = sheet.heights[-1]
        if keep:
            sheet.keep.add(row)
        return row

    def gap() -> None:
        sheet.heights.append(6.0)
        ws.row_dimensions[sheet.row].height = 6.0

    put([title], size=14, bold=True, colour=_BAND)  # the first cell says what the sheet is
    if context is not None:
        person = context.manager.name if context.manager else ""
        for label, name in ((w["employee"], context.employee.name), (w["manager"], person)):
            put([label, name], bold=False, spans=[(1, 1), (2, _LAST)], boxed=True)
    put([w["flag_note"]], size=9, italic=True, colour="595959")
    for part in parts:
        gap()
        put([part.heading], size=12, bold=True, colour="FFFFFF", fill="band", keep=True)
        if part.ratings:
            heads = [w["item"], w["employee"], w["manager"], w["difference"], w["flag_mark"].capitalize()]
            put(heads, bold=True, fill="head", boxed=True, keep=True, align=(None, *["center"] * 4))
            for number, line in enumerate(part.ratings):
                row = put(
                    [line.label, line.employee, line.manager, line.gap, w["flag_mark"] if line.flagged else None],
                    fill="flag" if line.flagged else None,
                    boxed=True,
                    keep=len(part.ratings) > 1 and number in (0, len(part.ratings) - 2),  # no row alone
                    align=(None, *["center"] * 4),
                )
                ws.cell(row, 4).number_format = GAP_NUMBER_FORMAT
                if line.flagged:  # said in words too, not by the colour alone
                    for column in (4, 5):
                        ws.cell(row, column).font = Font(name="Calibri", size=_SIZE, bold=True)
        for answer in part.answers:
            put([answer.label], bold=True, fill="label", boxed=True, keep=True)
            put([w["employee"], w["manager"]], size=9, colour="595959", spans=_ANSWERS, keep=True)
            put([answer.employee, answer.manager], spans=_ANSWERS, boxed=True)
        put([w["notes"]], bold=True, fill="label", boxed=True, keep=True)
        row = put([""], boxed=True, height=70)
        notes.add(f"A{row}")  # the cell to write in says so when selected
        if part.closing:  # the employee's feedback on the talk, the questions with their boxes kept together
            gap()
            put([w["talk_feedback"]], size=12, bold=True, keep=True)
            put([w["talk_feedback_note"]], size=9, italic=True, colour="595959", keep=True)
            for key in ("feedback_good", "feedback_improve"):
                put([w[key]], bold=True, fill="label", boxed=True, keep=True)
                row = put([""], boxed=True, height=50, keep=key == "feedback_good")
                prompt = DataValidation(
                    allow_blank=True, showInputMessage=True, promptTitle=w["talk_feedback"][:32], prompt=w[key]
                )
                prompt.add(f"A{row}")
                ws.add_data_validation(prompt)
    ws.add_data_validation(notes)
    ws.print_area = f"A1:{chr(64 + _LAST)}{sheet.row}"
    page_setup(ws)
    row_breaks(ws, page_breaks(sheet.heights, sheet.keep))
    header, footer = ws.oddHeader, ws.oddFooter
    assert header is not None and footer is not None
    header.left.text, header.left.font, header.left.size = (company or "").replace("&", "&&"), "Calibri,Bold", 9
    header.right.text, header.right.size = title.replace("&", "&&"), 8
    footer.left.text, footer.left.size = f"{w['page']} &P {w['of']} &N", 8  # as the Word form's footer
    footer.right.text, footer.right.size = w["confidential"], 8
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
