"""Facts about LibreOffice 7.4 fill-and-save that the renderer and parser rely on (see FINDINGS.md).

Each test fills a small form in a real LibreOffice as a person would (mouse clicks into the controls,
keyboard input) and checks word/document.xml / the workbook of what LibreOffice saved.
"""

from __future__ import annotations

import os
import subprocess
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx.oxml.ns import qn
from lxml import etree

from . import conftest, harness
from .harness import FillError, Job, Office
from .spike_forms import (
    CHECKED,
    NS,
    PLACEHOLDER,
    RATINGS,
    SPIKE_INPUTS,
    UNCHECKED,
    XLSX_INPUTS,
    XLSX_SHEET,
    bookmark_names,
    bookmark_start,
    build_spike_docx,
    build_spike_xlsx,
    cell_of_bookmark,
    cell_text,
    checkbox_checked,
    document_xml,
)

pytestmark = pytest.mark.realclient

MULTILINE = "Første linje\nAnden linje\vTredje linje"
SPECIAL = "æøå ÆØÅ & < > \" ' 😀 👍🏽 €"
LONG = ("Samarbejde og trivsel på arbejdspladsen, æøå. " * 120)[:5000]
ALL_BOOKMARKS = [spec.name for spec in SPIKE_INPUTS] + [f"{b}_{i}" for b in RATINGS for i in range(1, 6)]

FILL: list[dict[str, Any]] = [
    {"op": "type", "bookmark": "mf_rich_inline", "text": MULTILINE},
    {"op": "type", "bookmark": "mf_rich_block", "text": "Blok tekst"},
    {"op": "type", "bookmark": "mf_rich_block_inner", "text": "Blok indre"},
    {"op": "replace_placeholder", "bookmark": "mf_rich_special", "text": SPECIAL},
    {"op": "type", "bookmark": "mf_rich_long", "text": LONG},
    {"op": "type", "bookmark": "mf_plain", "text": MULTILINE},
    {"op": "type", "bookmark": "mf_plain_special", "text": SPECIAL},
    {"op": "date", "bookmark": "mf_date", "text": "2026-03-15", "via": "picker"},
    {"op": "date", "bookmark": "mf_date_typed", "text": "2026-03-16"},
    {"op": "pick", "bookmark": "mf_dropdown", "item": "4"},
    {"op": "check", "bookmark": "mf_quality_3"},
    {"op": "type_after_table", "bookmark": "mf_plain", "text": "Tekst efter tabellen"},
    {"op": "type_at_end", "text": "Tekst sidst i dokumentet"},
]
AUTOCORRECT_FILL: list[dict[str, Any]] = [
    {"op": "type", "bookmark": "mf_plain", "text": 'god til at samarbejde. og "lytte"'},
    {"op": "type", "bookmark": "mf_rich_inline", "text": 'god til at samarbejde. og "lytte"'},
    {"op": "type_outside", "bookmark": "mf_rich_untouched", "text": "skrevet ved siden af feltet"},
]


@pytest.fixture(scope="module")
def filled(libreoffice: Office, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    d = tmp_path_factory.mktemp("spike")
    form = build_spike_docx(d / "spike.docx")
    untagged = build_spike_docx(d / "untagged.docx", tags=False)
    started = time.monotonic()
    results = libreoffice.fill_many(
        [
            Job(form, d / "filled.docx", FILL),
            Job(form, d / "autocorrect.docx", AUTOCORRECT_FILL, autocorrect=True),
            Job(form, d / "untouched.docx", []),
            Job(
                untagged,
                d / "untagged-filled.docx",
                [
                    {"op": "type", "bookmark": "mf_rich_inline", "text": "Kort"},
                    {"op": "check", "bookmark": "mf_pace_2"},
                ],
            ),
        ]
    )
    return {
        "source": document_xml(form),
        "filled": document_xml(d / "filled.docx"),
        "autocorrect": document_xml(d / "autocorrect.docx"),
        "untouched": document_xml(d / "untouched.docx"),
        "untagged": document_xml(d / "untagged-filled.docx"),
        "results": results,
        "batch_seconds": time.monotonic() - started,
        "dir": d,
    }


def sdt_of(tc: etree._Element) -> etree._Element:
    """The innermost content control in a cell (LibreOffice may wrap the cell in another one)."""
    sdts = list(tc.iter(qn("w:sdt")))
    assert sdts, "no content control in the cell"
    return sdts[-1]


def sdt_pr_children(sdt: etree._Element) -> list[str]:
    return [etree.QName(el).localname for el in sdt.find("w:sdtPr", NS)]


# ------------------------------------------------------------------------------------------ identity


def test_every_bookmark_survives_a_fill(filled: dict[str, Any]) -> None:
    for key in ("filled", "untouched", "untagged"):
        assert set(ALL_BOOKMARKS) <= set(bookmark_names(filled[key])), key


def test_tags_are_all_dropped_but_bookmarks_stay(filled: dict[str, Any]) -> None:
    assert filled["source"].xpath("//w:tag", namespaces=NS)
    for key in ("filled", "untouched", "untagged"):
        assert filled[key].xpath("//w:tag", namespaces=NS) == [], key
    assert "mf_rich_inline" in bookmark_names(filled["untagged"])


def test_bookmark_before_inline_control_moves_inside_its_content(filled: dict[str, Any]) -> None:
    for name in ("mf_rich_inline", "mf_date", "mf_dropdown", "mf_quality_3", "mf_rich_untouched"):
        start = bookmark_start(filled["filled"], name)
        assert etree.QName(start.getparent()).localname == "sdtContent", name
        end = start.getnext()
        assert end.tag == qn("w:bookmarkEnd")
        assert end.get(qn("w:id")) == start.get(qn("w:id"))


def test_inline_text_controls_lose_alias_tag_and_id(filled: dict[str, Any]) -> None:
    for name in ("mf_rich_inline", "mf_rich_special", "mf_date", "mf_dropdown"):
        children = sdt_pr_children(sdt_of(cell_of_bookmark(filled["filled"], name)))
        assert not {"alias", "tag", "id"} & set(children), (name, children)


def test_bookmark_given_before_a_block_control_lands_in_the_previous_cell(filled: dict[str, Any]) -> None:
    # w:tc/w:bookmarkStart before a block w:sdt is moved by the import to the end of the label cell
    for name, label in (("mf_rich_block", "Rich text, block control"), ("mf_date_block", "Date, block control")):
        tc = cell_of_bookmark(filled["untouched"], name)
        assert cell_text(tc).startswith(label)


def test_bookmark_in_plain_cell_is_deleted_by_autocorrect_capitalisation(filled: dict[str, Any]) -> None:
    names = bookmark_names(filled["autocorrect"])
    assert "mf_plain" not in names  # "god" became "God": the collapsed bookmark before it is gone
    assert "mf_rich_inline" in names  # inside a content control the bookmark sits outside the typed text


# -------------------------------------------------------------------------------------------- values


def test_rich_text_control_typed_text_and_line_breaks(filled: dict[str, Any]) -> None:
    tc = cell_of_bookmark(filled["filled"], "mf_rich_inline")
    # Enter and Shift+Enter inside a rich-text control both come back as w:br in one paragraph
    assert cell_text(tc) == "Første linje\vAnden linje\vTredje linje"
    sdt = sdt_of(tc)
    assert "showingPlcHdr" not in sdt_pr_children(sdt)
    assert "".join(sdt.xpath("w:sdtContent//w:t/text()", namespaces=NS)) == "Første linjeAnden linjeTredje linje"


def test_special_characters_and_long_text_come_back_exactly(filled: dict[str, Any]) -> None:
    root = filled["filled"]
    assert cell_text(cell_of_bookmark(root, "mf_rich_special")) == SPECIAL
    assert cell_text(cell_of_bookmark(root, "mf_plain_special")) == SPECIAL
    assert cell_text(cell_of_bookmark(root, "mf_rich_long")) == LONG


def test_plain_cell_enter_is_a_new_paragraph_shift_enter_a_break(filled: dict[str, Any]) -> None:
    tc = cell_of_bookmark(filled["filled"], "mf_plain")
    assert len(tc.findall("w:p", NS)) == 2
    assert cell_text(tc) == "Første linje\nAnden linje\vTredje linje"
    assert bookmark_start(filled["filled"], "mf_plain").getparent() is tc.find("w:p", NS)


def test_untouched_control_keeps_placeholder_and_showing_flag(filled: dict[str, Any]) -> None:
    for key in ("filled", "untouched"):
        sdt = sdt_of(cell_of_bookmark(filled[key], "mf_rich_untouched"))
        assert "showingPlcHdr" in sdt_pr_children(sdt)
        assert "".join(sdt.xpath(".//w:t/text()", namespaces=NS)) == PLACEHOLDER


def test_block_rich_text_becomes_a_field_and_typing_lands_beside_it(filled: dict[str, Any]) -> None:
    tc = cell_of_bookmark(filled["filled"], "mf_rich_block_inner")
    sdt = sdt_of(tc)
    assert "showingPlcHdr" not in sdt_pr_children(sdt)  # the placeholder now reads as a value
    assert "".join(sdt.xpath(".//w:t/text()", namespaces=NS)) == PLACEHOLDER
    assert cell_text(tc) == PLACEHOLDER + "Blok indre"


def test_text_typed_outside_the_control_is_beside_the_sdt(filled: dict[str, Any]) -> None:
    tc = cell_of_bookmark(filled["autocorrect"], "mf_rich_untouched")
    outside = tc.xpath("w:p/w:r/w:t/text()", namespaces=NS)
    assert "".join(outside) == "skrevet ved siden af feltet"


def test_autocorrect_changes_what_was_typed(filled: dict[str, Any]) -> None:
    tc = cell_of_bookmark(filled["autocorrect"], "mf_rich_inline")
    assert cell_text(tc) == "god til at samarbejde. Og “lytte”"


def test_date_control_picker_writes_full_date_typing_does_not(filled: dict[str, Any]) -> None:
    root = filled["filled"]
    picked = sdt_of(cell_of_bookmark(root, "mf_date"))
    date = picked.find("w:sdtPr/w:date", NS)
    assert date.get(qn("w:fullDate")) == "2026-03-15T00:00:00Z"
    assert date.find("w:dateFormat", NS).get(qn("w:val")) == "dd-MM-yyyy"
    assert date.find("w:lid", NS).get(qn("w:val")) == "da-DK"
    assert cell_text(cell_of_bookmark(root, "mf_date")) == "15-03-2026"
    typed = sdt_of(cell_of_bookmark(root, "mf_date_typed")).find("w:sdtPr/w:date", NS)
    assert typed.get(qn("w:fullDate")) is None
    assert cell_text(cell_of_bookmark(root, "mf_date_typed")) == "16-03-2026"


def test_dropdown_keeps_items_and_the_text_of_the_chosen_one(filled: dict[str, Any]) -> None:
    tc = cell_of_bookmark(filled["filled"], "mf_dropdown")
    items = sdt_of(tc).xpath("w:sdtPr/w:dropDownList/w:listItem/@w:value", namespaces=NS)
    assert items == ["1", "2", "3", "4", "5"]
    assert cell_text(tc) == "4"


def test_checkbox_click_sets_w14_checked_and_glyph(filled: dict[str, Any]) -> None:
    root = filled["filled"]
    for i in range(1, 6):
        tc = cell_of_bookmark(root, f"mf_quality_{i}")
        assert checkbox_checked(tc) is (i == 3)
        assert cell_text(tc) == (CHECKED if i == 3 else UNCHECKED)
        checked = tc.find(".//w14:checkbox/w14:checked", NS)
        assert checked.get(f"{{{NS['w14']}}}val") == ("1" if i == 3 else "0")
    assert checkbox_checked(cell_of_bookmark(filled["untagged"], "mf_pace_2")) is True


def test_checkbox_cells_come_back_wrapped_in_a_block_sdt_with_the_alias(filled: dict[str, Any]) -> None:
    tc = cell_of_bookmark(filled["filled"], "mf_quality_3")
    outer = tc.find("w:sdt", NS)
    assert outer is not None
    assert outer.find("w:sdtPr/w:alias", NS).get(qn("w:val")) == "mf_quality 3"
    assert outer.find("w:sdtPr/w14:checkbox", NS) is None
    assert outer.find(".//w14:checkbox", NS) is not None


def test_paragraphs_typed_after_the_table_and_at_the_end(filled: dict[str, Any]) -> None:
    body = filled["filled"].find("w:body", NS)
    kinds = [etree.QName(el).localname for el in body]
    texts = ["".join(el.xpath(".//w:t/text()", namespaces=NS)) for el in body]
    first_table = kinds.index("tbl")
    assert texts[first_table + 1] == "Tekst efter tabellen"
    assert texts[kinds.index("sectPr") - 1] == "Tekst sidst i dokumentet"


# ------------------------------------------------------------------------------------------- harness


def test_the_listener_started_and_filled(filled: dict[str, Any], libreoffice: Office) -> None:
    small = next(r for r in filled["results"] if "untagged" in r.src.name)
    assert small.ok and small.seconds > 0, small
    assert libreoffice.start_seconds > 0 and libreoffice.alive()


def test_missing_bookmark_is_a_clear_error(libreoffice: Office, tmp_path: Path) -> None:
    form = build_spike_docx(tmp_path / "f.docx")
    with pytest.raises(FillError, match="bookmark 'mf_nope' not found"):
        libreoffice.fill(form, tmp_path / "o.docx", [{"op": "type", "bookmark": "mf_nope", "text": "x"}])
    result = libreoffice.fill(form, tmp_path / "o.docx", [{"op": "check", "bookmark": "mf_rich_inline"}], check=False)
    assert not result.ok
    assert "not a checkbox" in (result.error or "")


def test_driver_exits_non_zero_on_missing_bookmark(libreoffice: Office, tmp_path: Path) -> None:
    form = build_spike_docx(tmp_path / "f.docx")
    actions = tmp_path / "a.json"
    actions.write_text('[{"op": "type", "bookmark": "mf_nope", "text": "x"}]', encoding="utf-8")
    proc = subprocess.run(
        [
            libreoffice.python,
            str(harness.DRIVER),
            "--pipe",
            libreoffice.pipe,
            "--in",
            str(form),
            "--out",
            str(tmp_path / "o.docx"),
            "--actions",
            str(actions),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=harness._clean_env(),
        check=False,
    )
    assert proc.returncode == 2
    assert "bookmark 'mf_nope' not found" in proc.stderr


def test_convert_to_pdf(libreoffice: Office, tmp_path: Path) -> None:
    form = build_spike_docx(tmp_path / "f.docx")
    pdf = libreoffice.convert(form, "pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_missing_libreoffice_skips_locally_and_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conftest, "unavailable_reason", lambda: "no soffice")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        conftest.require_libreoffice()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run"):
        conftest.require_libreoffice()
    assert os.environ["CI"] == "true"


# ---------------------------------------------------------------------------------------------- xlsx


@pytest.fixture(scope="module")
def filled_xlsx(libreoffice: Office, tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("xlsx")
    book = build_spike_xlsx(d / "spike.xlsx")
    out = d / "filled.xlsx"
    libreoffice.fill(
        book,
        out,
        [
            {"op": "type", "name": "mf_name", "text": 'Søren Ærø & <x> "q" 😀'},
            {"op": "type", "name": "mf_strengths", "text": "linje 1\nlinje 2"},
            {"op": "type", "name": "mf_rating", "text": "4"},
            {"op": "type", "name": "mf_date", "text": "2026-03-15"},
            {"op": "type", "name": "mf_code", "text": "007"},
            {"op": "type", "name": "mf_formula_text", "text": "=1+1"},
            {"op": "pick", "name": "mf_picked", "item": "2"},
            {"op": "type", "cell": f"{XLSX_SHEET}!A3", "text": "ændret", "expect": "refused"},
        ],
    )
    return out


def test_xlsx_names_values_validation_and_protection_survive(filled_xlsx: Path) -> None:
    import datetime as dt

    from openpyxl import load_workbook

    wb = load_workbook(filled_xlsx)
    ws = wb[XLSX_SHEET]
    assert set(XLSX_INPUTS) <= set(wb.defined_names)

    def value(name: str) -> object:
        ((sheet, ref),) = wb.defined_names[name].destinations
        return wb[sheet][ref.replace("$", "")].value

    assert value("mf_name") == 'Søren Ærø & <x> "q" 😀'
    assert value("mf_strengths") == "linje 1\nlinje 2"
    assert value("mf_rating") == 4
    assert value("mf_date") == dt.datetime(2026, 3, 15)
    assert value("mf_code") == "007"  # text format '@' keeps what was typed as text
    assert value("mf_formula_text") == "=1+1" or ws["B8"].data_type == "s"
    assert value("mf_picked") == 2
    assert ws["A3"].value == "Navn"  # the locked cell refused the typing
    assert ws.protection.sheet
    assert not ws["B3"].protection.locked
    assert ws["B3"].number_format == "@"
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and "B5" in str(lists[0].sqref) and "1" in (lists[0].formula1 or "")


def test_xlsx_text_typed_like_a_formula_stays_text(filled_xlsx: Path) -> None:
    with zipfile.ZipFile(filled_xlsx) as z:
        sheet = etree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    cell = sheet.find(f".//{{{main}}}c[@r='B8']")
    assert cell is not None and cell.find(f"{{{main}}}f") is None
    assert cell.get("t") in ("s", "str", "inlineStr")
