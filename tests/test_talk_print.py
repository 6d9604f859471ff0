"""The talk form as it prints: the gaps' signs, page numbers, the dates as the preparation forms write them, and
last year's agreements (only those) in the past part."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl

import musforms
from musforms._text.dates import meeting_when
from musforms._workflows.talk import gap_text, render_talk

from .test_after_talk import CONTEXT

PREVIOUS = [{"action": "Kursus i KNX", "owner": "employee", "deadline": "2025-09-01"}]


def talk_forms(template_id: str = "mus-scored-da", strengths: str | None = None) -> tuple[musforms.FilledForm, ...]:
    """Both preparation forms: gaps of +2, −1 and 0, last year's agreement taken stock of, and new agreements in
    both forms."""
    template = musforms.load_template(template_id)
    employee = musforms.parse(
        musforms.render(
            template,
            "docx",
            role="employee",
            context=CONTEXT,
            previous=PREVIOUS,
            answers={
                "rate_quality": 2,
                "rate_efficiency": 4,
                "rate_safety": 5,
                "rate_customer_service": "not_relevant",
                "strengths": strengths,
                "previous_agreements_status": [{"action": "Kursus i KNX", "owner": "employee", "status": "done"}],
                "agreements": [{"action": "Ny aftale i år", "owner": "employee", "deadline": "2026-06-01"}],
            },
        )
    )
    manager = musforms.parse(
        musforms.render(
            template,
            "docx",
            role="manager",
            context=CONTEXT,
            previous=PREVIOUS,
            answers={
                "rate_quality": 4,
                "rate_efficiency": 3,
                "rate_safety": 5,
                "rate_customer_service": 3,
                "agreements": [{"action": "KNX-kursus i år", "owner": "employee", "deadline": "2026-06-01"}],
            },
        )
    )
    return employee, manager


def test_gap_text() -> None:
    assert [gap_text(g) for g in (0, 2, -2, None)] == ["0", "+2", "\u22122", ""]


def test_a_zero_positive_and_negative_gap_print_as_numbers_with_their_sign() -> None:
    document = docx.Document(io.BytesIO(render_talk(None, *talk_forms())))
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for t in document.tables for r in t.rows}
    assert rows["Opgaverne løses i god faglig kvalitet (drøft)"] == ["2", "4", "+2"]
    assert rows["Arbejdet udføres effektivt og produktivt"] == ["4", "3", "\u22121"]
    assert rows["Sikkerhedsregler og gode arbejdsvaner følges"] == ["5", "5", "0"]


def test_the_workbook_prints_the_gaps_the_same_way() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(render_talk(None, *talk_forms(), "xlsx"))).active
    assert sheet is not None
    gaps = {row[0].value: row[3] for row in sheet.iter_rows() if isinstance(row[3].value, int)}
    assert gaps["Sikkerhedsregler og gode arbejdsvaner følges"].value == 0
    assert {cell.number_format for cell in gaps.values()} == {'+0;"\u2212"0;0'}
    assert sheet.oddFooter is not None and "&P" in sheet.oddFooter.left.text and "&N" in sheet.oddFooter.left.text


def test_the_footer_numbers_the_pages() -> None:
    for template_id, words in (("mus-scored-da", ("Side", "af")), ("mus-scored-en", ("Page", "of"))):
        data = render_talk(None, *talk_forms(template_id))
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            footers = [package.read(n).decode() for n in package.namelist() if n.startswith("word/footer")]
        footer = next(f for f in footers if "PAGE" in f)
        assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer
        assert all(word in footer for word in words)


def test_the_date_reads_as_in_the_preparation_form() -> None:
    employee, manager = talk_forms()
    prepared = docx.Document(io.BytesIO(musforms.render("mus-scored-da", "docx", role="employee", context=CONTEXT)))
    talk = docx.Document(io.BytesIO(render_talk(None, employee, manager)))
    when = meeting_when(CONTEXT.meeting, "da")
    assert when.startswith("16. marts 2026")

    def cells(document: docx.document.Document) -> list[str]:
        return [c.text for t in document.tables for r in t.rows for c in r.cells]

    assert when in cells(prepared) and when in cells(talk)


def test_last_years_agreements_are_only_last_years() -> None:
    talk = docx.Document(io.BytesIO(render_talk(None, *talk_forms())))
    paragraphs = [p.text for p in talk.paragraphs]
    start = paragraphs.index("Aftaler fra sidste MUS")
    listed = []
    for text in paragraphs[start + 1 :]:
        if "·" not in text:
            break
        listed.append(text)
    assert listed == ["Kursus i KNX · Medarbejder · Gennemført"]
    assert not any("i år" in text for text in listed)
    assert any(text.startswith("KNX-kursus i år") for text in paragraphs)  # this year's are in the closing list
    # without a status table answered, the context's rows, their deadline in words
    employee, manager = talk_forms()
    employee, manager = (
        form.model_copy(update={"answers": {**form.answers, "previous_agreements_status": None}})
        for form in (employee, manager)
    )
    texts = [p.text for p in docx.Document(io.BytesIO(render_talk(None, employee, manager))).paragraphs]
    start = texts.index("Aftaler fra sidste MUS")
    assert texts[start + 1] == "Kursus i KNX · Medarbejder · 1. september 2025"
