"""Every character a Word run can hold is read as Word shows it: each element edited into a rendered form's
XML by hand (as Word writes it), then parsed both ways the reader reads (at once and node by node)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

import musforms
from musforms._formats.docx.cells import character, paragraph_text
from musforms._formats.docx.ooxml import W
from musforms._formats.render import render
from musforms._model.context import SAMPLE_CONTEXT

from .docxtools import cell_of, document_xml, edit_part, parse_both_ways

SOFT = musforms.load_template("mus-soft-da")
PLAN = musforms.load_template("plan-da")
MARK = "MUS#samtalen"
_FILE = render(SOFT, "docx", role="employee", context=SAMPLE_CONTEXT, answers={"goals": MARK})


def _with(element: str, *, file: bytes = _FILE) -> bytes:
    """The form with ``element`` in place of the ``#`` in the answer, in the same run, as Word writes it."""

    def change(xml: str) -> str:
        assert xml.count("MUS#samtalen</w:t>") == 1
        return xml.replace("MUS#samtalen</w:t>", f'MUS</w:t>{element}<w:t xml:space="preserve">samtalen</w:t>')

    return edit_part(file, "word/document.xml", change)


@pytest.mark.parametrize(
    ("element", "shown"),
    [
        # A hyphen where the line may not break: read as the hyphen the person typed (see docx/cells).
        ("<w:noBreakHyphen/>", "MUS-samtalen"),
        # Where a word may be split: shown as nothing unless at a line's end.
        ("<w:softHyphen/>", "MUSsamtalen"),
        ('<w:sym w:font="Symbol" w:char="2013"/>', "MUS–samtalen"),
        ('<w:sym w:font="Segoe UI Symbol" w:char="2713"/>', "MUS✓samtalen"),
        ('<w:sym w:font="Wingdings" w:char="F0FC"/>', "MUS\uf0fcsamtalen"),
        ('<w:sym w:font="Wingdings" w:char="1F600"/>', "MUS😀samtalen"),
        ('<w:sym w:font="Wingdings" w:char="ZZ"/>', "MUSsamtalen"),
        ('<w:sym w:font="Wingdings" w:char="D800"/>', "MUSsamtalen"),
        ('<w:sym w:font="Wingdings"/>', "MUSsamtalen"),
        ("<w:tab/>", "MUS\tsamtalen"),
        ('<w:ptab w:relativeTo="margin" w:alignment="right" w:leader="none"/>', "MUS\tsamtalen"),
        ("<w:br/>", "MUS\nsamtalen"),
        ('<w:br w:type="page"/>', "MUS\nsamtalen"),
        ('<w:br w:type="textWrapping" w:clear="all"/>', "MUS\nsamtalen"),
        ("<w:cr/>", "MUS\nsamtalen"),
    ],
)
def test_each_character_element_reads_as_word_shows_it(element: str, shown: str) -> None:
    form = parse_both_ways(_with(element), SOFT)
    assert form.answers["goals"] == shown
    assert not [i for i in form.issues if i.code != "field.required"]


def test_mus_samtalen_typed_with_a_non_breaking_hyphen_comes_back_with_its_hyphen() -> None:
    """As the issue found it: "MUS-samtalen" typed in Word with Ctrl+Shift+- read as "MUSsamtalen"."""
    assert parse_both_ways(_with("<w:noBreakHyphen/>"), SOFT).answers["goals"] == "MUS-samtalen"


def test_a_cell_holding_only_a_symbol_is_not_empty() -> None:
    def change(xml: str) -> str:
        return xml.replace("<w:t>MUS#samtalen</w:t>", '<w:sym w:font="Wingdings" w:char="2605"/>')

    form = parse_both_ways(edit_part(_FILE, "word/document.xml", change), SOFT)
    assert form.answers["goals"] == "★"


def test_characters_in_a_tracked_deletion_are_not_read() -> None:
    deleted = '<w:del w:id="90" w:author="A"><w:r><w:noBreakHyphen/><w:sym w:char="2605"/><w:tab/></w:r></w:del>'

    def change(xml: str) -> str:
        old = "<w:r><w:t>MUS#samtalen</w:t></w:r>"
        assert xml.count(old) == 1
        return xml.replace(old, f"<w:r><w:t>MUS</w:t></w:r>{deleted}<w:r><w:t>samtalen</w:t></w:r>")

    form = parse_both_ways(edit_part(_FILE, "word/document.xml", change), SOFT)
    assert form.answers["goals"] == "MUSsamtalen"


def test_a_date_typed_with_non_breaking_hyphens_is_a_date() -> None:
    field = "followup_date"
    file = render(PLAN, "docx", role="manager", context=SAMPLE_CONTEXT)

    def change(xml: str) -> str:
        start, end = cell_of(xml, field)
        cell = xml[start:end]
        typed = "<w:r><w:t>16</w:t><w:noBreakHyphen/><w:t>03</w:t><w:noBreakHyphen/><w:t>2026</w:t></w:r>"
        cell = re.sub(r"<w:sdtContent>.*</w:sdtContent>", f"<w:sdtContent>{typed}</w:sdtContent>", cell)
        return xml[:start] + cell.replace("<w:showingPlcHdr/>", "") + xml[end:]

    edited = edit_part(file, "word/document.xml", change)
    assert "noBreakHyphen" in document_xml(edited)
    form = parse_both_ways(edited, PLAN)
    assert form.answers[field] == dt.date(2026, 3, 16), form.issues


def test_a_box_ticked_with_an_inserted_symbol_is_ticked() -> None:
    scored = musforms.load_template("mus-scored-da")
    file = render(scored, "docx", role="employee", context=SAMPLE_CONTEXT)

    def change(xml: str) -> str:
        start, end = cell_of(xml, "rate_quality", "p4")
        cell = xml[start:end].replace("<w:t>☐</w:t>", '<w:sym w:font="Segoe UI Symbol" w:char="2612"/>', 1)
        return xml[:start] + cell + xml[end:]

    form = parse_both_ways(edit_part(file, "word/document.xml", change), scored)
    assert form.answers["rate_quality"] == 4


def test_tab_stops_are_not_tabs() -> None:
    paragraph = etree.fromstring(
        f'<w:p xmlns:w="{W}"><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
        "<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t></w:r></w:p>"
    )
    assert paragraph_text(paragraph, set()) == "a\tb"


@settings(max_examples=200, deadline=None)
@given(code=st.integers(min_value=0, max_value=0x11FFFF))
def test_a_symbol_is_its_character_or_nothing(code: int) -> None:
    sym = etree.fromstring(f'<w:sym xmlns:w="{W}" w:char="{code:04X}"/>')
    shown = character(sym)
    valid = 0x20 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF and not 0x7F <= code <= 0x9F
    assert shown == (chr(code) if valid else "")


@pytest.mark.parametrize("nested", [False, True])
def test_a_symbol_beside_an_untouched_placeholder_is_read(nested: bool) -> None:
    """A cell whose control still shows its placeholder, with a symbol inserted beside it (or in a table inside
    the cell): the symbol is what the person wrote, read both ways."""
    file = render(SOFT, "docx", role="employee", context=SAMPLE_CONTEXT)
    symbol = '<w:r><w:sym w:font="Wingdings" w:char="2605"/></w:r>'
    if nested:
        symbol = f"</w:p><w:tbl><w:tr><w:tc><w:p>{symbol}</w:p></w:tc></w:tr></w:tbl><w:p>"

    def change(xml: str) -> str:
        start, end = cell_of(xml, "goals")
        cell = xml[start:end]
        assert "<w:showingPlcHdr/>" in cell
        at = cell.index("</w:sdt>") + len("</w:sdt>")
        return xml[:start] + cell[:at] + symbol + cell[at:] + xml[end:]

    form = parse_both_ways(edit_part(file, "word/document.xml", change), SOFT)
    assert form.answers["goals"] == "★", form.issues
