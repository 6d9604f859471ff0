"""The placeholders of the Word forms: a pick list shows its choices, a date its pattern, a text box lines to write
on; and the parser tells each from typed text, the generic placeholders of earlier versions too."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import musforms
from musforms._core.binding import InputSpec
from musforms._core.i18n import agreement_choice_labels
from musforms._core.safexml import safe_parser
from musforms._formats.docx import placeholders as ph
from musforms._formats.docx import reader
from musforms._formats.docx.cells import cell_text, read_date
from musforms._formats.docx.layout import compile_layout
from musforms._formats.docx.ooxml import NS, W, bookmark, date_control, dropdown_control, esc, inline_text_control, para
from musforms._formats.render import render
from musforms._model.context import SAMPLE_CONTEXT
from musforms._model.fields import TextField
from musforms._model.filled import FilledForm

from .docxtools import cell_of, document_xml, edit_part, parse_both_ways
from .roundtrip import templates

TEMPLATES = templates()
_SDT_CONTENT = f"{{{W}}}sdtContent"


def _body(data: bytes) -> etree._Element:
    return etree.fromstring(document_xml(data).encode(), safe_parser())[0]


def _cells(template: musforms.Template, role: str, data: bytes) -> dict[str, tuple[InputSpec, etree._Element]]:
    """Each input's spec and cell, by anchor name."""
    anchors = compile_layout(template, role).anchors  # type: ignore[arg-type]
    cells = reader.find_anchor_cells(_body(data), anchors)
    assert set(cells) == set(anchors)
    return {name: (anchors[name].spec, cell) for name, cell in cells.items()}


def _lines_of(template: musforms.Template, field_id: str) -> int:
    field = template.field(field_id)
    return field.lines if isinstance(field, TextField) and field.multiline else 1


# -- what the forms show -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["employee", "manager"])
@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_each_input_shows_what_belongs_in_it(template: musforms.Template, role: str) -> None:
    data = render(template, "docx", role=role, context=SAMPLE_CONTEXT)  # type: ignore[arg-type]
    anchors = compile_layout(template, role).anchors  # type: ignore[arg-type]
    seen: set[str] = set()
    for name, (spec, cell) in _cells(template, role, data).items():
        if spec.kind == "tick":
            continue
        seen.add(spec.kind)
        sdt = cell.find(".//w:sdt", NS)
        assert sdt is not None and sdt.find("w:sdtPr/w:showingPlcHdr", NS) is not None, name
        content = sdt.find("w:sdtContent", NS)
        assert content is not None
        runs = content.findall("w:r", NS)
        assert runs and all(r.find("w:rPr/w:rStyle[@w:val='PlaceholderText']", NS) is not None for r in runs), name
        shown = "".join(content.itertext(f"{{{W}}}t"))
        if spec.kind in ("text", "line"):
            lines = _lines_of(template, anchors[name].field_id)
            assert shown == "", name  # no words: lines to write on
            assert len(content.findall(".//w:tab", NS)) == lines and len(content.findall(".//w:br", NS)) == lines - 1
            (stop,) = cell.findall("w:p/w:pPr/w:tabs/w:tab", NS)
            width = int(cell.find("w:tcPr/w:tcW", NS).get(f"{{{W}}}w"))  # type: ignore[union-attr, arg-type]
            assert stop.get(f"{{{W}}}val") == "right" and stop.get(f"{{{W}}}leader") == "dot"
            assert int(stop.get(f"{{{W}}}pos")) == width - 200  # type: ignore[arg-type]  # the cell's margins
        elif spec.kind == "date":
            date_format = sdt.find("w:sdtPr/w:date/w:dateFormat", NS)
            assert date_format is not None
            pattern = date_format.get(f"{{{W}}}val", "").lower()
            assert shown == (pattern.replace("y", "å") if template.language == "da" else pattern), name
        else:
            items = [i.get(f"{{{W}}}displayText", "") for i in sdt.findall("w:sdtPr/w:dropDownList/w:listItem", NS)]
            assert items == [label for _value, label in spec.choices]
            assert shown.replace("\u00a0", " ") == " / ".join(items), name
            assert all(" " not in part for part in shown.split(" / "))  # wraps between choices only
    assert seen >= {"text", "date"}


def test_the_status_options_are_on_the_printed_form() -> None:
    data = render(musforms.load_template("mus-scored-da"), "docx", role="employee", context=SAMPLE_CONTEXT)
    text = "".join(_body(data).itertext(f"{{{W}}}t")).replace("\u00a0", " ")
    assert "Gennemført / I gang / Ikke startet / Opgivet" in text
    assert "Medarbejder / Leder" in text and "dd-mm-åååå" in text


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_no_form_shows_the_old_generic_placeholders(template: musforms.Template) -> None:
    for role in ("employee", "manager"):
        xml = document_xml(render(template, "docx", role=role, context=SAMPLE_CONTEXT))  # type: ignore[arg-type]
        assert not [old for old in ph.LEGACY if f">{esc(old)}<" in xml]


def test_the_date_pattern_spells_the_date_controls_format() -> None:
    assert ph.date_pattern("da") == ph.DATE_FORMAT.lower().replace("y", "å")
    assert ph.date_pattern("en") == ph.DATE_FORMAT.lower()
    assert f'w:val="{ph.DATE_FORMAT}"' in date_control("t", "t", iso=None, shown="", placeholder="p")


def test_a_prefilled_answer_replaces_the_placeholder() -> None:
    template = musforms.load_template("mus-scored-da")
    answers = {"goals": "Mere ansvar", "previous_agreements_status": [{"action": "Kursus", "status": "in_progress"}]}
    data = render(template, "docx", role="employee", context=SAMPLE_CONTEXT, answers=answers)
    cells = _cells(template, "employee", data)
    goals = cells["mf_goals"][1]
    assert "".join(goals.itertext(f"{{{W}}}t")) == "Mere ansvar" and goals.find(".//w:r/w:tab", NS) is None
    assert "".join(cells["mf_previous_agreements_status__r1s"][1].itertext(f"{{{W}}}t")) == "I gang"


# -- what the parser reads -----------------------------------------------------------------------------------


def _reads_empty(form: FilledForm) -> None:
    """Nothing was read: no answer, and no issue but the required fields' (left empty)."""
    assert not [i for i in form.issues if i.code != "field.required"], form.issues
    assert not [v for v in form.answers.values() if v not in (None, [], False)]


def _unflagged(xml: str) -> str:
    return xml.replace("<w:showingPlcHdr/>", "")


def _old_placeholders(xml: str, language: str) -> str:
    """The form's placeholders replaced by the generic ones earlier versions wrote."""
    write, pick, date = ph.LEGACY[:3] if language == "da" else ph.LEGACY[3:]
    lines = r'(<w:rStyle w:val="PlaceholderText"/></w:rPr>)<w:tab/>(?:<w:br/><w:tab/>)*'
    xml = re.sub(lines, rf"\1<w:t>{write}</w:t>", xml)
    xml = re.sub(r"<w:t>dd-mm-(?:åååå|yyyy)</w:t>", f"<w:t>{date}</w:t>", xml)
    return re.sub(r"<w:t>[^<]* / [^<]*</w:t>", f"<w:t>{pick}</w:t>", xml)


@pytest.mark.parametrize("change", [None, _unflagged], ids=["as-rendered", "flags-dropped"])
@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_a_blank_form_reads_empty(template: musforms.Template, change: Callable[[str], str] | None) -> None:
    for role in ("employee", "manager"):
        data = render(template, "docx", role=role, context=SAMPLE_CONTEXT)  # type: ignore[arg-type]
        if change is not None:
            data = edit_part(data, "word/document.xml", change)
        form = parse_both_ways(data, template)
        _reads_empty(form)


@pytest.mark.parametrize("flagged", [True, False])
@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_a_form_with_the_old_generic_placeholders_reads_empty(template: musforms.Template, flagged: bool) -> None:
    for role in ("employee", "manager"):
        data = render(template, "docx", role=role, context=SAMPLE_CONTEXT)  # type: ignore[arg-type]

        def old(xml: str) -> str:
            xml = _old_placeholders(xml, template.language)
            return xml if flagged else _unflagged(xml)

        old_form = edit_part(data, "word/document.xml", old)
        assert "Skriv her …" in document_xml(old_form) or "Write here …" in document_xml(old_form)
        form = parse_both_ways(old_form, template)
        _reads_empty(form)


SCORED = musforms.load_template("mus-scored-da")
_WITH_ROW = render(
    SCORED, "docx", role="employee", context=SAMPLE_CONTEXT, answers={"agreements": [{"action": "Kursus"}]}
)


def _typed_into(data: bytes, field_id: str, part: str, typed: str, *, flagged: bool) -> bytes:
    """``data`` with the control of an input holding ``typed`` instead of its placeholder, still flagged as
    showing its placeholder or not (as LibreOffice saves it after typing or picking)."""

    def change(xml: str) -> str:
        start, end = cell_of(xml, field_id, part)
        cell = xml[start:end]
        content = re.search(r"<w:sdtContent>.*</w:sdtContent>", cell)
        assert content is not None
        cell = cell[: content.start()] + f"<w:sdtContent>{_runs(typed)}</w:sdtContent>" + cell[content.end() :]
        return xml[:start] + (cell if flagged else _unflagged(cell)) + xml[end:]

    return edit_part(data, "word/document.xml", change)


def _runs(text: str) -> str:
    return "".join(
        "<w:r><w:br/></w:r>" if line is None else f'<w:r><w:t xml:space="preserve">{esc(line)}</w:t></w:r>'
        for line in _lines(text)
    )


def _lines(text: str) -> list[str | None]:
    out: list[str | None] = []
    for index, line in enumerate(text.split("\n")):
        if index:
            out.append(None)
        if line:
            out.append(line)
    return out


_OLD = list(ph.LEGACY)


def _ends_like_a_placeholder(text: str, shown: list[str]) -> bool:
    """Whether ``text`` starts or ends with a placeholder, or ends with three or more of its last characters."""
    stripped = text.strip()
    return any(
        stripped.startswith(p) or stripped.endswith(p) or any(stripped.endswith(p[-k:]) for k in range(3, len(p)))
        for p in shown
    )


_typed = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Zl", "Zp")) | st.sampled_from(["/", " ", "…"]),
    min_size=1,
    max_size=40,
).filter(lambda s: bool(s.strip()))


@pytest.mark.parametrize("column", ["owner", "status", "method"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), flagged=st.booleans())
def test_a_choice_picked_or_typed_into_a_pick_list_is_its_answer(
    column: str, data: st.DataObject, flagged: bool
) -> None:
    labels = agreement_choice_labels(column, "da")
    value = data.draw(st.sampled_from(sorted(labels)))
    field_id = "agreements" if column != "status" else "previous_agreements_status"
    base = (
        _WITH_ROW
        if column != "status"
        else render(
            SCORED,
            "docx",
            role="employee",
            context=SAMPLE_CONTEXT,
            answers={"previous_agreements_status": [{"action": "Kursus"}]},
        )
    )
    form = parse_both_ways(_typed_into(base, field_id, f"r1{column[0]}", labels[value], flagged=flagged), SCORED)
    (row,) = form.answers[field_id]
    assert getattr(row, column) == value and form.issues == ()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(typed=_typed, flagged=st.booleans())
def test_any_other_text_typed_into_a_pick_list_comes_back(typed: str, flagged: bool) -> None:
    shown = ph.choices_placeholder(_spec("owner"))
    choices = {"medarbejder", "leder", "employee", "manager"}  # the labels in Danish and English, the values
    if " ".join(typed.split()).casefold() in choices or _ends_like_a_placeholder(typed, [shown, *_OLD]):
        return  # a choice (the test above), or a text ending like a placeholder (cut, see the tests below)
    form = parse_both_ways(_typed_into(_WITH_ROW, "agreements", "r1o", typed, flagged=flagged), SCORED)
    (issue,) = form.issues
    assert issue.code == "value.invalid" and (issue.raw or "").strip() == typed.strip()


def _spec(column: str) -> InputSpec:
    return InputSpec("r1" + column[0], "pick", tuple(agreement_choice_labels(column, "da").items()), label=column)


# -- the same, cell by cell, for any pick list ---------------------------------------------------------------

_label = st.text(alphabet="abcæøå ABCÆØÅ-/", min_size=1, max_size=12).map(lambda s: " ".join(s.split())).filter(bool)
_choices = st.lists(_label, min_size=1, max_size=5, unique_by=lambda s: s.casefold())


def _pick_cell(spec: InputSpec, shown: str, *, flagged: bool, placeholder_style: bool = True) -> etree._Element:
    """A cell holding a pick list that shows ``shown`` (as rendered with it when ``placeholder_style``)."""
    items = [(label, value) for value, label in spec.choices]
    control = dropdown_control("Titel", "mf_x", items, selected=None, placeholder=shown)
    if not placeholder_style:
        control = control.replace('<w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr>', "")
    if not flagged:
        control = _unflagged(control)
    xml = f'<w:tc xmlns:w="{W}"><w:tcPr/>{para(bookmark(1, "mf_x") + control)}</w:tc>'
    return etree.fromstring(xml.encode())


@settings(max_examples=200, deadline=None)
@given(labels=_choices, typed=_typed, flagged=st.booleans())
def test_typed_text_that_is_not_the_placeholder_comes_back(labels: list[str], typed: str, flagged: bool) -> None:
    spec = InputSpec("", "pick", tuple((f"v{i}", label) for i, label in enumerate(labels)))
    shown = ph.choices_placeholder(spec)
    if _ends_like_a_placeholder(typed, [shown, *_OLD]):
        return
    cell = _pick_cell(spec, typed, flagged=flagged, placeholder_style=False)
    assert cell_text(cell, ph.marks_of(spec)).strip() == typed.strip()


@settings(max_examples=200, deadline=None)
@given(labels=_choices, flagged=st.booleans(), data=st.data())
def test_a_choice_comes_back_unless_it_is_the_placeholder_shown(
    labels: list[str], flagged: bool, data: st.DataObject
) -> None:
    spec = InputSpec("", "pick", tuple((f"v{i}", label) for i, label in enumerate(labels)))
    label = data.draw(st.sampled_from(labels))
    cell = _pick_cell(spec, label, flagged=flagged)
    is_placeholder = ph.choices_placeholder(spec) == label and flagged  # a list of one choice, untouched
    assert cell_text(cell, ph.marks_of(spec)) == ("" if is_placeholder else label)


@settings(max_examples=200, deadline=None)
@given(labels=_choices, flagged=st.booleans(), data=st.data(), pad=st.sampled_from(["", " ", "\n"]))
def test_the_placeholder_and_the_old_generic_ones_come_back_empty(
    labels: list[str], flagged: bool, data: st.DataObject, pad: str
) -> None:
    spec = InputSpec("", "pick", tuple((f"v{i}", label) for i, label in enumerate(labels)))
    own = ph.choices_placeholder(spec)
    shown = data.draw(st.sampled_from([own, *_OLD]))
    if shown == own and not flagged and " ".join(own.split()).casefold() in {x.casefold() for x in labels}:
        return  # a list of one choice: unflagged, its text is that choice (the test above)
    cell = _pick_cell(spec, pad + shown + pad, flagged=flagged)
    assert cell_text(cell, ph.marks_of(spec)) == ""


@pytest.mark.parametrize(
    ("typed", "flagged", "read"),
    [
        ("Leder" + "Medarbejder / Leder", False, "Leder"),  # typed in front of the placeholder
        ("Medarbejder / Leder" + "Leder", False, "Leder"),  # behind it
        ("Leder / Leder", True, "Leder"),  # typed over its first word, the rest left, still flagged
        ("Leder", True, "Leder"),  # a choice that is the end of the placeholder is kept
        ("Medarbejder / Leder", True, ""),
        ("Medarbejder / Leder", False, ""),
        ("Vælg …", False, ""),
        ("LederVælg …", False, "Leder"),
    ],
)
def test_what_is_left_of_a_pick_lists_placeholder_is_cut(typed: str, flagged: bool, read: str) -> None:
    spec = _spec("owner")
    assert cell_text(_pick_cell(spec, typed, flagged=flagged), ph.marks_of(spec)) == read


def _date_cell(shown: str, *, flagged: bool) -> etree._Element:
    control = date_control("Dato", "mf_d", iso=None, shown="", placeholder=shown)
    xml = f'<w:tc xmlns:w="{W}"><w:tcPr/>{para(control if flagged else _unflagged(control))}</w:tc>'
    return etree.fromstring(xml.encode())


@pytest.mark.parametrize("flagged", [True, False])
@pytest.mark.parametrize(
    ("shown", "read"),
    [
        ("dd-mm-åååå", ""),
        ("dd-mm-yyyy", ""),
        ("Vælg dato", ""),
        ("Choose a date", ""),
        ("16-03-2026", "16-03-2026"),
        ("16-03-2026dd-mm-åååå", "16-03-2026"),
        ("dd-mm-åååå16-03-2026", "16-03-2026"),
    ],
)
def test_a_date_cell_reads_its_pattern_as_empty(shown: str, flagged: bool, read: str) -> None:
    assert read_date(_date_cell(shown, flagged=flagged), ph.marks_of(InputSpec("", "date"))) == read


def test_a_date_typed_over_the_pattern_is_read() -> None:
    blank = render(SCORED, "docx", role="employee", context=SAMPLE_CONTEXT)
    data = _typed_into(blank, "followup_date", "", "16-03-2026", flagged=False)
    assert parse_both_ways(data, SCORED).answers["followup_date"] == dt.date(2026, 3, 16)


def _text_cell(content: str, *, flagged: bool) -> etree._Element:
    control = inline_text_control("Spørgsmål", "mf_t", "", placeholder=ph.ruled_lines(3))
    control = re.sub(r"<w:sdtContent>.*</w:sdtContent>", lambda _m: f"<w:sdtContent>{content}</w:sdtContent>", control)
    xml = f'<w:tc xmlns:w="{W}"><w:tcPr/>{para(control if flagged else _unflagged(control))}</w:tc>'
    return etree.fromstring(xml.encode())


_LINES = '<w:r><w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr><w:tab/><w:br/><w:tab/><w:br/><w:tab/></w:r>'


@pytest.mark.parametrize("flagged", [True, False])
@pytest.mark.parametrize(
    ("content", "read"),
    [
        (_LINES, ""),
        ("<w:r><w:t>Mere ansvar</w:t></w:r>" + _LINES, "Mere ansvar"),  # typed in front of the lines
        ("<w:r><w:t>Skriv her …</w:t></w:r>", ""),
        ("<w:r><w:t>Mere ansvarSkriv her …</w:t></w:r>", "Mere ansvar"),
        ("<w:r><w:t>Medarbejder / Leder</w:t></w:r>", "Medarbejder / Leder"),  # other inputs' placeholders
        ("<w:r><w:t>dd-mm-åååå</w:t></w:r>", "dd-mm-åååå"),
    ],
)
def test_a_text_box_reads_its_lines_as_empty(content: str, read: str, flagged: bool) -> None:
    assert cell_text(_text_cell(content, flagged=flagged), ph.marks_of(InputSpec("", "text"))).strip() == read


def test_the_end_of_an_old_placeholder_left_in_a_control_still_flagged_is_cut() -> None:
    """Typing over the first word of "Skriv her …" in LibreOffice left " her …", the control still flagged."""
    content = '<w:r><w:t>Mere ansvar</w:t></w:r><w:r><w:t xml:space="preserve"> her …</w:t></w:r>'
    marks = ph.marks_of(InputSpec("", "text"))
    assert cell_text(_text_cell(content, flagged=True), marks) == "Mere ansvar"
    assert cell_text(_text_cell(content, flagged=False), marks) == "Mere ansvar her …"  # typed so


@settings(max_examples=200, deadline=None)
@given(typed=_typed, flagged=st.booleans(), lines_left=st.booleans())
def test_any_text_typed_into_a_text_box_comes_back(typed: str, flagged: bool, lines_left: bool) -> None:
    if _ends_like_a_placeholder(typed, _OLD):
        return
    content = f'<w:r><w:t xml:space="preserve">{esc(typed)}</w:t></w:r>' + (_LINES if lines_left else "")
    read = cell_text(_text_cell(content, flagged=flagged), ph.marks_of(InputSpec("", "text")))
    assert read.strip() == typed.strip()


def test_the_lines_tab_stop_does_not_slow_the_reading_of_a_filled_text_box() -> None:
    """A paragraph's tab stop is no tab in its text: a text box a person filled in (its paragraph keeps the tab
    stop of the lines) is still read the quick way."""
    blank = render(SCORED, "docx", role="employee", context=SAMPLE_CONTEXT)
    data = _typed_into(blank, "goals", "", "Mere ansvar", flagged=False)
    quirks: dict[etree._Element, bool] = {}
    cells = reader.find_anchor_cells(_body(data), compile_layout(SCORED, "employee").anchors, quirks)
    assert cells["mf_goals"].find("w:p/w:pPr/w:tabs/w:tab", NS) is not None
    assert cells["mf_goals"] not in quirks and cells["mf_strengths"] in quirks  # filled; showing its lines
    assert parse_both_ways(data, SCORED).answers["goals"] == "Mere ansvar"


def test_a_prefilled_text_box_has_no_lines() -> None:
    data = render(SCORED, "docx", role="employee", context=SAMPLE_CONTEXT, answers={"goals": "Mere ansvar"})
    cells = _cells(SCORED, "employee", data)
    assert cells["mf_goals"][1].find(".//w:tabs", NS) is None
    assert cells["mf_strengths"][1].find(".//w:tabs", NS) is not None
