"""xlsx/reader.cells_part: a worksheet is read up to the end of its cells, and whole where that end is not plain."""

from __future__ import annotations

import io
import zipfile

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

import musforms
from musforms._formats.xlsx.reader import cells_part
from musforms._model.context import SAMPLE_CONTEXT

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _sheet(cells: str, after: str = '<dataValidations count="1"/><pageMargins left="1"/>', prefix: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    ns = f' xmlns:{prefix}="{MAIN}"' if prefix else f' xmlns="{MAIN}"'
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}worksheet{ns}><{p}sheetData>{cells}</{p}sheetData>'
        f"{after.replace('<', f'<{p}').replace(f'<{p}/', f'</{p}')}</{p}worksheet>"
    ).encode()


def _cells(xml: bytes) -> list[tuple[str | None, str]]:
    root = etree.fromstring(xml)
    return [(c.get("r"), "".join(c.itertext())) for c in root.iter(f"{{{MAIN}}}c")]


def test_a_form_s_sheet_is_read_to_the_end_of_its_cells() -> None:
    template = musforms.load_template("mus-scored-da")
    data = musforms.render(template, "xlsx", role="employee", context=SAMPLE_CONTEXT, answers={"strengths": "Grundig"})
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    part = cells_part(sheet)
    assert len(part) < len(sheet) * 0.7  # the data validations, merges and page setup are left out
    assert part.endswith(b"</sheetData></worksheet>")
    assert _cells(part) == _cells(sheet) and any(text == "Grundig" for _ref, text in _cells(part))


def test_a_prefixed_root_is_closed_with_its_prefix() -> None:
    sheet = _sheet('<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c></x:row>', prefix="x")
    assert cells_part(sheet) == sheet  # its end is </x:sheetData>: not the plain one, so the whole sheet
    plain = (
        f'<x:worksheet xmlns:x="{MAIN}" xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
        "<pageMargins/></x:worksheet>"
    ).encode()
    assert cells_part(plain).endswith(b"</sheetData></x:worksheet>")
    assert _cells(cells_part(plain)) == [("A1", "1")]


def test_the_whole_sheet_where_the_end_could_be_text() -> None:
    row = '<row r="1"><c r="A1" t="inlineStr"><is><t>{}</t></is></c></row>'
    cdata = _sheet(row.format("<![CDATA[</sheetData>]]>"))
    comment = _sheet("<!-- </sheetData> -->" + row.format("a"))
    for sheet in (cdata, comment):
        assert cells_part(sheet) == sheet
    assert _cells(cells_part(cdata)) == [("A1", "</sheetData>")]
    empty = _sheet("").replace(b"<sheetData></sheetData>", b"<sheetData/>")
    assert cells_part(empty) == empty


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn")), max_size=30), max_size=6))
def test_any_text_in_the_cells_reads_the_same(texts: list[str]) -> None:
    """Text a person typed, "</sheetData>" too, is escaped in the cells: the part read holds every cell as is."""
    rows = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t xml:space="preserve">{_escape(text)}</t></is></c></row>'
        for i, text in enumerate(texts, start=1)
    )
    sheet = _sheet(rows)
    part = cells_part(sheet)
    assert part != sheet
    assert _cells(part) == _cells(sheet) == [(f"A{i}", text) for i, text in enumerate(texts, start=1)]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
