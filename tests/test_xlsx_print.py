"""Workbooks on paper: the row-height estimator, the page breaks, and what the forms and the talk workbook set
for printing (one page wide at 100 %, no small text, headings kept with their boxes, a cell to sign in)."""

from __future__ import annotations

import io
import itertools
import re
import textwrap
import zipfile

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import musforms
from musforms._formats.xlsx.builder import COLUMNS, agreement_spans
from musforms._formats.xlsx.layout import compile_layout
from musforms._formats.xlsx.pages import (
    PAGE_ROOM,
    max_columns,
    page_breaks,
    per_line,
    text_height,
    wrapped_lines,
)
from musforms._workflows.talk_xlsx import WIDTHS
from tests.conftest import MINIMAL
from tests.documents import CONTEXT, long_answers
from tests.test_talk_print import talk_forms
from tests.test_xlsx import _pack, _parts, set_cell

META_PART = "xl/worksheets/sheet3.xml"

# -- the estimator --------------------------------------------------------------------------------------


def test_wrapped_lines_counts_word_wrap_and_line_breaks() -> None:
    assert wrapped_lines("", 10) == 1
    assert wrapped_lines("abc def", 7) == 1
    assert wrapped_lines("abc defg", 7) == 2  # the second word does not fit beside the first
    assert wrapped_lines("a\nb\n\nc", 10) == 4
    assert wrapped_lines("x" * 25, 10) == 3  # a word longer than a line is broken


@given(st.text(alphabet=st.sampled_from("ab \n"), max_size=300), st.integers(4, 80))
def test_wrapped_lines_is_at_least_the_characters_over_the_line(text: str, chars: int) -> None:
    lines = wrapped_lines(text, chars)
    assert lines >= max(1, text.count("\n") + 1)
    words = sum(len(" ".join(paragraph.split())) for paragraph in text.split("\n"))
    assert lines * (chars + 1) >= words  # no line holds more than it can (a space where it breaks dropped)
    assert wrapped_lines(text + " " + "b" * chars, chars) >= lines


@given(st.data(), st.integers(4, 40))
def test_wrapped_lines_wraps_as_greedy_word_wrap_does(data: st.DataObject, chars: int) -> None:
    words = data.draw(st.lists(st.integers(1, chars), max_size=40))  # no word longer than a line
    text = " ".join("x" * size for size in words)
    assert wrapped_lines(text, chars) == max(1, len(textwrap.wrap(text, chars, break_on_hyphens=False)))


@given(st.text(max_size=400), st.floats(8, 80), st.sampled_from([9.0, 10.0, 10.5, 12.0]))
def test_a_row_grows_with_its_text_and_narrows_with_its_column(text: str, width: float, size: float) -> None:
    height = text_height(text, width, size)
    assert size < height <= 409
    assert text_height(text + " more words here", width, size) >= height
    assert text_height(text, width / 2, size) >= height
    assert text_height(text, width, size, bold=True) >= height


def test_a_text_box_is_as_tall_as_its_lines() -> None:
    assert text_height("", 68, 10.5, min_lines=6) > 6 * 10.5 * 1.2
    assert per_line(20, 10) < per_line(40, 10) and per_line(20, 12) < per_line(20, 10)


# -- the page breaks ------------------------------------------------------------------------------------


def test_page_breaks_fill_a_page_then_break() -> None:
    assert page_breaks([100.0] * 5, set(), room=250) == [2, 4]
    assert page_breaks([100.0] * 2, set(), room=250) == []


def test_a_heading_kept_with_its_box_moves_to_the_next_page_with_it() -> None:
    # rows 1-2 fill 200 of 250; row 3 (a heading) and row 4 (its box) together do not fit: both move on
    assert page_breaks([100, 100, 20, 100], {3}, room=250) == [2]
    assert page_breaks([100, 100, 20, 100], set(), room=250) == [3]


def test_a_run_taller_than_a_page_is_split_where_it_must() -> None:
    assert page_breaks([200, 200, 200], {1, 2}, room=250) == [1, 2]


def test_the_repeated_title_rows_take_room_on_every_later_page() -> None:
    assert page_breaks([50, 100, 100, 100], set(), room=260, repeat=50) == [3]
    assert page_breaks([100] * 4, set(), room=250, repeat=100) == [2, 3]


@given(
    st.lists(st.floats(1, 400), min_size=1, max_size=80),
    st.sets(st.integers(1, 80)),
    st.floats(0, 100),
)
def test_no_page_is_overfull_unless_one_row_is_taller_than_it(
    heights: list[float], keep: set[int], repeat: float
) -> None:
    room = 700.0
    breaks = page_breaks(heights, keep, room, repeat=repeat)
    assert breaks == sorted(set(breaks)) and all(0 < row < len(heights) for row in breaks)
    edges = [0, *breaks, len(heights)]
    for number, (start, end) in enumerate(itertools.pairwise(edges)):
        used = sum(heights[start:end]) + (repeat if number else 0)
        assert used <= room or end - start == 1 or max(heights[start:end]) + repeat > room / 2


@given(st.lists(st.floats(5, 60), min_size=2, max_size=60), st.sets(st.integers(1, 60)))
def test_a_kept_row_is_never_last_on_a_page_when_its_run_fits_one(heights: list[float], keep: set[int]) -> None:
    room = 200.0
    for row in page_breaks(heights, keep, room):
        if row in keep:  # allowed only inside a run that no page holds
            start, end = row, row
            while start - 1 >= 1 and start - 1 in keep:
                start -= 1
            while end in keep and end < len(heights):
                end += 1
            assert sum(heights[start - 1 : end]) > room


# -- the forms as they print -----------------------------------------------------------------------------


def test_the_columns_print_one_page_wide_at_full_size() -> None:
    assert sum(COLUMNS.values()) <= max_columns()
    assert sum(WIDTHS.values()) <= max_columns()


@pytest.mark.parametrize(
    ("columns", "spans"),
    [
        (
            ("action", "owner", "deadline", "method"),
            [("action", 1, 3), ("owner", 4, 4), ("deadline", 5, 5), ("method", 6, 6)],
        ),
        (
            ("action", "owner", "status", "comment"),
            [("action", 1, 2), ("owner", 3, 3), ("status", 4, 4), ("comment", 5, 6)],
        ),
        (
            ("action", "owner", "deadline", "status", "comment"),
            [("action", 1, 1), ("owner", 2, 2), ("deadline", 3, 3), ("status", 4, 4), ("comment", 5, 6)],
        ),
    ],
)
def test_an_agreements_table_gives_its_spare_columns_to_the_comment_then_the_action(
    columns: tuple[str, ...], spans: list[tuple[str, int, int]]
) -> None:
    assert agreement_spans(columns) == spans


def _sheet(data: bytes) -> openpyxl.worksheet.worksheet.Worksheet:
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert isinstance(ws, openpyxl.worksheet.worksheet.Worksheet)
    return ws


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_a_form_prints_with_the_word_forms_margins_and_no_small_text(role: str) -> None:
    template = musforms.load_template("mus-scored-da")
    ws = _sheet(musforms.render(template, "xlsx", role=role, context=CONTEXT))  # type: ignore[arg-type]
    assert round(ws.page_margins.left * 2.54, 2) == 2.0 and round(ws.page_margins.top * 2.54, 2) == 2.6
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    sizes = {cell.font.sz for row in ws.iter_rows() for cell in row if cell.value is not None}
    assert min(sizes) >= 9
    assert not any(cell.alignment.shrink_to_fit for row in ws.iter_rows() for cell in row)
    assert (ws.oddHeader.right.text == "Lederens forberedelse – fortroligt") == (role == "manager")
    assert (ws.oddFooter.right.text or "").startswith("Fortroligt – kun til medarbejder, leder og HR · Skema-id ")


def test_headings_stay_with_their_boxes_and_signatures_together() -> None:
    template = musforms.load_template("mus-scored-da")
    musforms.render(template, "xlsx", role="employee", context=CONTEXT)  # compiles the layout in its text scope
    layout = compile_layout(template, "employee")
    keep = layout.form.keep
    boxes = 0
    for anchor in layout.anchors.values():
        if anchor.spec.kind == "text" and anchor.spec.part in ("", "r1a"):  # a text box, an agreement table's first row
            row = int(anchor.ref.lstrip("ABCDEF"))
            assert row - 1 in keep, anchor.name  # the label above the box goes with it
            boxes += 1
    assert boxes > 15
    signs = [r for r, cells in layout.form.rows.items() if any(c.style == "sign" for c in cells.values())]
    assert len(signs) == 2
    assert all(row in keep for row in range(signs[0] - 1, signs[1] + 1))  # both signatures on one page
    assert all(layout.form.heights[row] >= 34 for row in signs)  # 1.2 cm to sign in


def test_the_page_breaks_follow_the_filled_answers() -> None:
    template = musforms.load_template("mus-scored-da")
    blank = musforms.render(template, "xlsx", role="employee", context=CONTEXT)
    filled = musforms.render(
        template, "xlsx", role="employee", context=CONTEXT, answers=long_answers(template, "employee")
    )
    blank_breaks = [b.id for b in _sheet(blank).row_breaks.brk]
    filled_breaks = [b.id for b in _sheet(filled).row_breaks.brk]
    assert blank_breaks and len(filled_breaks) > len(blank_breaks)
    ws = _sheet(filled)
    heights = [ws.row_dimensions[r].height or 15 for r in range(1, ws.max_row + 1)]
    title = sum(heights[:2])
    edges = [0, *filled_breaks, len(heights)]
    for number, (start, end) in enumerate(itertools.pairwise(edges)):
        assert sum(heights[start:end]) + (title if number else 0) <= PAGE_ROOM + 1, number


def test_on_paper_a_date_says_its_pattern_and_a_pick_list_its_choices() -> None:
    ws = _sheet(musforms.render(musforms.load_template("followup-da"), "xlsx", role="manager", context=CONTEXT))
    texts = [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    note = next(t for t in texts if t.startswith("Hvem: "))  # under the agreements table
    assert "Frist: dd-mm-åååå" in note and "Status: Gennemført / I gang / Ikke startet / Opgivet" in note
    assert "(dd-mm-åååå)" in texts  # beside a date field
    ws = _sheet(musforms.render(musforms.load_template_text(MINIMAL), "xlsx", role="employee", context=CONTEXT))
    texts = [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Valgmuligheder: Godt / Skidt" in texts  # under a single choice's list


def test_the_talk_workbook_prints_one_page_wide_with_its_gaps_in_words() -> None:
    data = musforms.render_talk(None, *talk_forms(), "xlsx")
    ws = _sheet(data)
    assert [ws.column_dimensions[c].width for c in "ABCDE"] == list(WIDTHS.values())
    assert (
        ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    )
    assert "Side &P af &N" in (ws.oddFooter.left.text or "") and ws.oddHeader.right.text
    assert ws.print_area and ws.row_breaks.brk
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and len(cell.value) > 40:
                assert cell.alignment.wrap_text, cell.coordinate
    flagged = [row for row in ws.iter_rows() if row[0].fill.fgColor.rgb.endswith("FBE3D6")]
    assert flagged and all(row[4].value == "drøft" for row in flagged)  # in words, not by the colour alone
    assert all(row[4].value is None for row in ws.iter_rows() if isinstance(row[3].value, int) and row not in flagged)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert "<rowBreaks" in package.read("xl/worksheets/sheet1.xml").decode()


# -- workbooks made with another layout ------------------------------------------------------------------


def _with_layout(data: bytes, version: str | None) -> bytes:
    """``data`` as a workbook of layout ``version`` says it was made (None: made before layouts had a version)."""
    parts = _parts(data)
    custom = parts["docProps/custom.xml"].decode()
    found = re.search(r'<property [^>]*name="musforms.layout">.*?</property>', custom)
    assert found, custom
    if version is None:
        parts["docProps/custom.xml"] = custom.replace(found.group(0), "").encode()
        data = _pack(parts)
        row = len(re.findall(r'<c r="A\d+"', _parts(data)[META_PART].decode()))  # the layout's row comes last
        return set_cell(set_cell(data, f"A{row}", None, part=META_PART), f"B{row}", None, part=META_PART)
    parts["docProps/custom.xml"] = custom.replace(found.group(0), found.group(0).replace("xlsx-2", version)).encode()
    return _pack(parts)


@pytest.mark.parametrize(
    ("version", "says"),
    [(None, "en ældre udgave af opsætningen"), ("xlsx-1", "en anden udgave af opsætningen (xlsx-1; denne er xlsx-2)")],
)
def test_a_workbook_of_another_layout_is_read_without_comparing_its_printed_text(
    version: str | None, says: str
) -> None:
    template = musforms.load_template("mus-scored-da")
    data = musforms.render(
        template, "xlsx", role="employee", context=CONTEXT, answers=long_answers(template, "employee")
    )
    data = set_cell(data, "A3", "ændret tekst")  # another layout printed other text here: not reported
    form = musforms.parse(_with_layout(data, version))
    assert form.answers == musforms.parse(data).answers
    assert [(i.code, i.severity) for i in form.issues] == [("content.unchecked", "warning")]
    assert says in form.issues[0].message
    book = openpyxl.load_workbook(io.BytesIO(_with_layout(data, version)))
    book.create_sheet("Noter")["A1"] = "husk kaffe"
    out = io.BytesIO()
    book.save(out)
    added = musforms.parse(out.getvalue())  # a sheet the form never had: its cells are still reported
    assert [(i.code, i.raw) for i in added.issues] == [("content.unchecked", None), ("content.unmapped", "husk kaffe")]


def test_a_workbook_of_this_layout_compares_its_printed_text() -> None:
    template = musforms.load_template("mus-scored-da")
    data = set_cell(musforms.render(template, "xlsx", role="employee", context=CONTEXT), "A3", "ændret tekst")
    assert [(i.code, i.raw) for i in musforms.parse(data).issues] == [("content.unmapped", "ændret tekst")]
