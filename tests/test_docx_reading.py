"""The two ways the Word parser reads inputs (at once through libxml2, or node by node) give the same result.

:func:`musforms._formats.docx.reader.read_inputs` reads the plain cells of a plain document in one libxml2 call each
and falls back to the node-by-node reading for everything else; these tests hold the quick way to the full
one on rendered forms, on forms changed the ways people and programs change them, and on odd XML.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import musforms
from musforms._core.safexml import safe_parser
from musforms._formats.docx import parse as docx_parse
from musforms._formats.docx import reader
from musforms._formats.docx.layout import compile_layout
from musforms._formats.parse import parse
from musforms._formats.render import render
from musforms._model.context import SAMPLE_CONTEXT

from .docxtools import cell_of, document_xml, edit_part, parse_both_ways, set_tick, type_in_cell
from .roundtrip import answers_strategy, templates
from .test_docx_roundtrip import _answer

TEMPLATES = templates()


def _reading(data: bytes, template: musforms.Template, role: str, *, quick: bool = True) -> reader.Reading:
    body = etree.fromstring(document_xml(data).encode(), safe_parser())[0]
    layout = compile_layout(template, role)  # type: ignore[arg-type]
    quirks: dict[etree._Element, bool] | None = {} if quick else None
    cells = reader.find_anchor_cells(body, layout.anchors, quirks)
    return reader.read_inputs(body, layout.anchors, cells, quirks)


def _same_values(data: bytes, template: musforms.Template, role: str) -> reader.Reading:
    quick = _reading(data, template, role)
    full = _reading(data, template, role, quick=False)
    assert (quick.values, quick.stray) == (full.values, full.stray)
    return quick


# -- rendered forms --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["employee", "manager"])
@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_prefilled_forms_read_the_same_both_ways(template: musforms.Template, role: str, data: st.DataObject) -> None:
    answers = data.draw(answers_strategy(template, role, _answer))
    file = render(template, "docx", role=role, context=SAMPLE_CONTEXT, answers=answers)  # type: ignore[arg-type]
    reading = _same_values(file, template, role)
    assert reading.whole is not None  # the quick way was taken: the test is not comparing one way with itself
    parse_both_ways(file, template)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_an_untouched_form_is_checked_without_walking_the_text_outside_the_inputs(
    template: musforms.Template, monkeypatch: pytest.MonkeyPatch
) -> None:
    def walk(*_args: Any) -> str:
        raise AssertionError("the text outside the inputs was walked")

    monkeypatch.setattr(docx_parse, "text_outside", walk)
    for role in ("employee", "manager"):
        form = parse(render(template, "docx", role=role, context=SAMPLE_CONTEXT), templates=[template])  # type: ignore[arg-type]
        assert not [i for i in form.issues if i.code == "content.unmapped"]


# -- forms changed the ways people and programs change them ----------------------------------------------

SCORED = musforms.load_template("mus-scored-da")
_FILE = render(
    SCORED,
    "docx",
    role="employee",
    context=SAMPLE_CONTEXT,
    answers={"strengths": "Overblik", "rate_quality": 4, "goals": "Mere ansvar\nog et kursus"},
)
_TEXT_FIELDS = ["strengths", "goals", "ideas", "expectations"]
_RATINGS = [f.id for f in SCORED.answer_fields("employee") if f.kind == "rating"]


def _in_cell(field_id: str, part: str, change: Callable[[str], str]) -> Callable[[str], str]:
    def edit(xml: str) -> str:
        start, end = cell_of(xml, field_id, part)
        return xml[:start] + change(xml[start:end]) + xml[end:]

    return edit


def _first_text(change: Callable[[str], str]) -> Callable[[str], str]:
    """Change the first ``<w:t>`` of a cell; in a cell showing a text box's lines (no ``<w:t>``), a run of an
    empty one put before them in the control, as typing there would."""

    def edit(cell: str) -> str:
        match = re.search(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", cell)
        if match is None:
            assert "<w:sdtContent>" in cell
            return cell.replace("<w:sdtContent>", f"<w:sdtContent><w:r>{change('<w:t></w:t>')}</w:r>", 1)
        return cell[: match.start()] + change(match.group(0)) + cell[match.end() :]

    return edit


def _edits() -> st.SearchStrategy[Callable[[str], str]]:
    text_field = st.sampled_from(_TEXT_FIELDS)
    rating = st.sampled_from(_RATINGS)
    point = st.sampled_from(["p1", "p2", "p3", "p4", "p5"])
    words = st.text(alphabet="abcæøå ÆØÅ&<>'\"", min_size=1, max_size=12).map(
        lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    )
    typed = st.builds(lambda f, w: lambda xml: type_in_cell(xml, f, "", w), text_field, words)
    ticked = st.builds(lambda f, p, on: lambda xml: set_tick(xml, f, p, on), rating, point, st.booleans())
    stray_in_tick = st.builds(
        lambda f, p: _in_cell(f, p, lambda c: c.replace("</w:p>", "<w:r><w:t>x</w:t></w:r></w:p>", 1)), rating, point
    )
    line_break = st.builds(
        lambda f: _in_cell(f, "", _first_text(lambda t: t.replace("</w:t>", "</w:t><w:br/><w:t>ny linje</w:t>"))),
        text_field,
    )
    tab = st.builds(
        lambda f: _in_cell(f, "", _first_text(lambda t: t.replace("</w:t>", "</w:t><w:tab/><w:t>efter tab</w:t>"))),
        text_field,
    )
    deleted = st.builds(
        lambda f: _in_cell(
            f,
            "",
            lambda c: c.replace(
                "</w:p>", '<w:del w:id="9" w:author="A"><w:r><w:t>slettet</w:t></w:r></w:del></w:p>', 1
            ),
        ),
        text_field,
    )
    second_paragraph = st.builds(
        lambda f: _in_cell(f, "", lambda c: c.replace("</w:tc>", "<w:p><w:r><w:t>Afsnit to</w:t></w:r></w:p></w:tc>")),
        text_field,
    )
    flagged = st.builds(
        lambda f: _in_cell(f, "", lambda c: c.replace("<w:sdtPr>", "<w:sdtPr><w:showingPlcHdr/>", 1)), text_field
    )
    field_code = st.builds(
        lambda f: _in_cell(
            f, "", lambda c: c.replace("</w:p>", "<w:r><w:instrText> PAGE </w:instrText></w:r></w:p>", 1)
        ),
        text_field,
    )
    stray_node = st.builds(lambda f: _in_cell(f, "", lambda c: c.replace("</w:p>", "skjult</w:p>", 1)), text_field)
    nested = st.builds(
        lambda f: _in_cell(
            f,
            "",
            lambda c: c.replace(
                "</w:tc>", "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>inde</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/></w:tc>"
            ),
        ),
        text_field,
    )
    note = st.builds(
        lambda w: lambda xml: xml.replace("<w:sectPr", f"<w:p><w:r><w:t>{w}</w:t></w:r></w:p><w:sectPr", 1), words
    )
    no_bookmark = st.builds(
        lambda f: lambda xml: re.sub(rf'<w:bookmarkStart w:id="\d+" w:name="mf_{f}"/>', "", xml), text_field
    )
    return st.one_of(
        typed, ticked, stray_in_tick, line_break, tab, deleted, second_paragraph, flagged, field_code, stray_node,
        nested, note, no_bookmark,
    )  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(_edits(), min_size=1, max_size=4))
def test_changed_forms_read_the_same_both_ways(edits: list[Callable[[str], str]]) -> None:
    def change(xml: str) -> str:
        for edit in edits:
            try:
                xml = edit(xml)
            except ValueError:  # the input's bookmark was taken away by an earlier edit
                continue
        return xml

    file = edit_part(_FILE, "word/document.xml", change)
    _same_values(file, SCORED, "employee")
    parse_both_ways(file, SCORED)


# -- what the quick way reads ------------------------------------------------------------------------------


def test_text_outside_the_w_t_elements_turns_the_quick_way_off() -> None:
    file = edit_part(_FILE, "word/document.xml", lambda xml: xml.replace("</w:body>", "x</w:body>"))
    assert _reading(file, SCORED, "employee").whole is None
    assert _reading(_FILE, SCORED, "employee").whole is not None


def test_a_cell_with_a_line_break_keeps_it_and_the_others_read_as_written() -> None:
    reading = _reading(_FILE, SCORED, "employee")
    assert reading.values["mf_goals"] == "Mere ansvar\nog et kursus"
    assert reading.values["mf_strengths"] == "Overblik"
    assert reading.values["mf_rate_quality__p4"] is True
    assert reading.values["mf_rate_quality__p3"] is False


def test_a_placeholder_in_a_date_cell_still_finds_the_picked_date() -> None:
    template = musforms.load_template("plan-da")
    date_field = next(f for f in template.answer_fields("manager") if f.kind == "date")
    file = render(template, "docx", role="manager", context=SAMPLE_CONTEXT)

    def pick(cell: str) -> str:
        return cell.replace("<w:date>", '<w:date w:fullDate="2026-05-04T00:00:00Z">', 1)

    picked = edit_part(file, "word/document.xml", _in_cell(date_field.id, "", pick))
    assert picked != file
    form = parse_both_ways(picked, template)
    assert str(form.answers[date_field.id]) == "2026-05-04"


def test_a_form_with_a_note_added_reports_it_both_ways() -> None:
    file = edit_part(
        _FILE,
        "word/document.xml",
        lambda xml: xml.replace("<w:sectPr", "<w:p><w:r><w:t>Husk</w:t></w:r></w:p><w:sectPr", 1),
    )
    form = parse_both_ways(file, SCORED)
    assert [i.raw for i in form.issues if i.code == "content.unmapped"] == ["Husk"]


def test_the_renderer_keeps_white_space_only_where_it_would_be_lost() -> None:
    from musforms._formats.docx.ooxml import run

    assert run("Overblik") == "<w:r><w:t>Overblik</w:t></w:r>"
    assert run(" foran") == '<w:r><w:t xml:space="preserve"> foran</w:t></w:r>'
    assert run("bag ") == '<w:r><w:t xml:space="preserve">bag </w:t></w:r>'
    assert run("to  mellemrum") == '<w:r><w:t xml:space="preserve">to  mellemrum</w:t></w:r>'
    with zipfile.ZipFile(io.BytesIO(_FILE)) as archive:
        assert b"<w:t>Overblik</w:t>" in archive.read("word/document.xml")
