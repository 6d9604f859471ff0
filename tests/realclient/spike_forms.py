"""Build the small .docx/.xlsx forms of the LibreOffice layout spike and read the filled files back.

Everything here is test-only scaffolding: raw OOXML written with python-docx + lxml, openpyxl for the
workbook, and small XPath readers used by the spike's assertions.  Nothing imports LibreOffice.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
NS = {"w": W, "w14": W14}

PLACEHOLDER = "Skriv her…"
DATE_PLACEHOLDER = "Vælg dato"
DROPDOWN_PLACEHOLDER = "Vælg 1–5"
UNCHECKED = "\u2610"  # ☐
CHECKED = "\u2612"  # ☒


def _w14(tag: str) -> str:
    return f"{{{W14}}}{tag}"


def _el(tag: str, parent: etree._Element | None = None, **attrs: str) -> etree._Element:
    """Make a w:/w14: element; attribute names given as 'w:val' style keys via the attrs dict."""
    name = _w14(tag[4:]) if tag.startswith("w14:") else qn(tag)
    el = etree.SubElement(parent, name) if parent is not None else etree.Element(name)
    for key, value in attrs.items():
        k = key.replace("__", ":")
        el.set(_w14(k[4:]) if k.startswith("w14:") else qn(k), value)
    return el


def _run(text: str, parent: etree._Element, font: str | None = None, grey: bool = False) -> etree._Element:
    r = _el("w:r", parent)
    if font or grey:
        rpr = _el("w:rPr", r)
        if font:
            _el("w:rFonts", rpr, w__ascii=font, w__hAnsi=font, w__eastAsia=font, w__cs=font)
        if grey:
            _el("w:color", rpr, w__val="808080")
    t = _el("w:t", r)
    t.text = text
    if text != text.strip():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


class _Ids:
    def __init__(self) -> None:
        self.n = 100

    def next(self) -> str:
        self.n += 1
        return str(self.n)


def _bookmark(parent: etree._Element, name: str, ids: _Ids, index: int | None = None) -> None:
    bid = ids.next()
    start = _el("w:bookmarkStart", None, w__id=bid, w__name=name)
    end = _el("w:bookmarkEnd", None, w__id=bid)
    if index is None:
        parent.append(start)
        parent.append(end)
    else:
        parent.insert(index, end)
        parent.insert(index, start)


def _sdt_pr(
    sdt: etree._Element, alias: str, tag: str | None, ids: _Ids, placeholder: bool, font: str | None = None
) -> etree._Element:
    pr = _el("w:sdtPr", sdt)
    if font:
        rpr = _el("w:rPr", pr)
        _el("w:rFonts", rpr, w__ascii=font, w__hAnsi=font, w__eastAsia=font, w__cs=font)
    _el("w:alias", pr, w__val=alias)
    if tag is not None:
        _el("w:tag", pr, w__val=tag)
    _el("w:id", pr, w__val=ids.next())
    if placeholder:
        _el("w:showingPlcHdr", pr)
    return pr


def _kind_pr(pr: etree._Element, kind: str) -> None:
    if kind == "date":
        d = _el("w:date", pr)
        _el("w:dateFormat", d, w__val="dd-MM-yyyy")
        _el("w:lid", d, w__val="da-DK")
        _el("w:storeMappedDataAs", d, w__val="dateTime")
        _el("w:calendar", d, w__val="gregorian")
    elif kind == "dropdown":
        dd = _el("w:dropDownList", pr)
        for i in range(1, 6):
            _el("w:listItem", dd, w__displayText=str(i), w__value=str(i))
    elif kind == "checkbox":
        cb = _el("w14:checkbox", pr)
        _el("w14:checked", cb, w14__val="0")
        _el("w14:checkedState", cb, w14__val="2612", w14__font="MS Gothic")
        _el("w14:uncheckedState", cb, w14__val="2610", w14__font="MS Gothic")
    # rich text: no type element at all


_PLACEHOLDER_TEXT = {"rich": PLACEHOLDER, "date": DATE_PLACEHOLDER, "dropdown": DROPDOWN_PLACEHOLDER}


def inline_sdt(p: etree._Element, kind: str, alias: str, tag: str | None, ids: _Ids) -> etree._Element:
    """Append an inline (run-level) content control of *kind* to paragraph *p*."""
    sdt = _el("w:sdt", p)
    font = "MS Gothic" if kind == "checkbox" else None
    pr = _sdt_pr(sdt, alias, tag, ids, placeholder=kind != "checkbox", font=font)
    _kind_pr(pr, kind)
    content = _el("w:sdtContent", sdt)
    if kind == "checkbox":
        _run(UNCHECKED, content, font="MS Gothic")
    else:
        _run(_PLACEHOLDER_TEXT[kind], content, grey=True)
    return sdt


def block_sdt(tc: etree._Element, kind: str, alias: str, tag: str | None, ids: _Ids) -> etree._Element:
    """Append a block-level content control (holding one paragraph) to table cell *tc*."""
    sdt = _el("w:sdt", tc)
    pr = _sdt_pr(sdt, alias, tag, ids, placeholder=True)
    _kind_pr(pr, kind)
    content = _el("w:sdtContent", sdt)
    p = _el("w:p", content)
    _run(_PLACEHOLDER_TEXT[kind], p, grey=True)
    return sdt


def _clear_cell(tc: etree._Element) -> None:
    for child in list(tc):
        if child.tag != qn("w:tcPr"):
            tc.remove(child)


@dataclass(frozen=True)
class Input:
    """One input cell of the spike form: bookmark name, label and how the cell is built."""

    name: str
    label: str
    layout: str  # rich_inline | rich_block | rich_block_inner | plain | date_inline | date_block | dropdown


SPIKE_INPUTS: tuple[Input, ...] = (
    Input("mf_rich_inline", "Rich text, inline control", "rich_inline"),
    Input("mf_rich_block", "Rich text, block control, bookmark before the control", "rich_block"),
    Input("mf_rich_block_inner", "Rich text, block control, bookmark inside it", "rich_block_inner"),
    Input("mf_rich_special", "Rich text, special characters", "rich_inline"),
    Input("mf_rich_long", "Rich text, 5,000 characters", "rich_inline"),
    Input("mf_rich_untouched", "Rich text, left empty", "rich_inline"),
    Input("mf_plain", "Plain cell, no control", "plain"),
    Input("mf_plain_special", "Plain cell, special characters", "plain"),
    Input("mf_date", "Date, inline control", "date_inline"),
    Input("mf_date_block", "Date, block control", "date_block"),
    Input("mf_date_typed", "Date, inline control, typed", "date_inline"),
    Input("mf_dropdown", "Dropdown 1–5, inline control", "dropdown"),
)
RATINGS: tuple[str, ...] = ("mf_quality", "mf_pace")


def build_spike_docx(path: Path, *, tags: bool = True) -> Path:
    """Write the spike form: one table of label/input rows, one table of 1–5 checkbox rating rows."""
    ids = _Ids()
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    document.add_paragraph("MUS-skema (spike)")

    table = document.add_table(rows=len(SPIKE_INPUTS), cols=2)
    table.style = "Table Grid"
    for row, spec in zip(table.rows, SPIKE_INPUTS, strict=True):
        row.cells[0].text = spec.label
        tc = row.cells[1]._tc
        _clear_cell(tc)
        tag = spec.name if tags else None
        alias = spec.label
        if spec.layout == "rich_inline":
            p = _el("w:p", tc)
            _bookmark(p, spec.name, ids)
            inline_sdt(p, "rich", alias, tag, ids)
        elif spec.layout == "rich_block":
            _bookmark(tc, spec.name, ids)
            block_sdt(tc, "rich", alias, tag, ids)
        elif spec.layout == "rich_block_inner":
            sdt = block_sdt(tc, "rich", alias, tag, ids)
            p = sdt.find("w:sdtContent/w:p", NS)
            _bookmark(p, spec.name, ids, index=0)
        elif spec.layout == "plain":
            p = _el("w:p", tc)
            _bookmark(p, spec.name, ids)
        elif spec.layout == "date_inline":
            p = _el("w:p", tc)
            _bookmark(p, spec.name, ids)
            inline_sdt(p, "date", alias, tag, ids)
        elif spec.layout == "date_block":
            _bookmark(tc, spec.name, ids)
            block_sdt(tc, "date", alias, tag, ids)
        elif spec.layout == "dropdown":
            p = _el("w:p", tc)
            _bookmark(p, spec.name, ids)
            inline_sdt(p, "dropdown", alias, tag, ids)
        else:  # pragma: no cover - spec typo
            raise ValueError(spec.layout)

    document.add_paragraph("Vurdering (1–5)")
    rating = document.add_table(rows=len(RATINGS) + 1, cols=6)
    rating.style = "Table Grid"
    for i in range(1, 6):
        rating.rows[0].cells[i].text = str(i)
    for row, base in zip(rating.rows[1:], RATINGS, strict=True):
        row.cells[0].text = base
        for i in range(1, 6):
            tc = row.cells[i]._tc
            _clear_cell(tc)
            p = _el("w:p", tc)
            name = f"{base}_{i}"
            _bookmark(p, name, ids)
            inline_sdt(p, "checkbox", f"{base} {i}", name if tags else None, ids)
    document.add_paragraph("Slut på skemaet.")
    document.save(str(path))
    return path


# ---------------------------------------------------------------------------------------------- xlsx

XLSX_SHEET = "MUS"
#: defined name -> (cell, number format, label)
XLSX_INPUTS: dict[str, tuple[str, str, str]] = {
    "mf_name": ("B3", "@", "Navn"),
    "mf_strengths": ("B4", "@", "Styrker (flere linjer)"),
    "mf_rating": ("B5", "General", "Vurdering 1–5 (liste)"),
    "mf_date": ("B6", "DD-MM-YYYY", "Dato"),
    "mf_code": ("B7", "@", "Kode (tekst)"),
    "mf_formula_text": ("B8", "@", "Tekst der ligner en formel"),
    "mf_picked": ("B9", "General", "Vurdering 1–5 (valgt fra listen)"),
}


def build_spike_xlsx(path: Path) -> Path:
    """A protected sheet of label/input rows; inputs unlocked, named, text-formatted or list-validated."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Protection
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = XLSX_SHEET
    ws["A1"] = "MUS-skema (spike)"
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 50
    validation = DataValidation(
        type="list",
        formula1='"1,2,3,4,5"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        error="Vælg 1–5",
        errorTitle="Ugyldig",
    )
    ws.add_data_validation(validation)
    for name, (ref, fmt, label) in XLSX_INPUTS.items():
        row = int(ref[1:])
        ws[f"A{row}"] = label
        cell = ws[ref]
        cell.number_format = fmt
        cell.protection = Protection(locked=False)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{XLSX_SHEET}'!${ref[0]}${row}")
        if name in ("mf_rating", "mf_picked"):
            validation.add(ref)
    ws.protection.sheet = True
    wb.save(path)
    return path


# ---------------------------------------------------------------------------------------------- reading


def document_xml(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def bookmark_names(root: etree._Element) -> list[str]:
    return [b.get(qn("w:name")) for b in root.iter(qn("w:bookmarkStart"))]


def bookmark_start(root: etree._Element, name: str) -> etree._Element:
    found = root.xpath("//w:bookmarkStart[@w:name=$n]", namespaces=NS, n=name)
    if not found:
        raise KeyError(name)
    return found[0]


def cell_of_bookmark(root: etree._Element, name: str) -> etree._Element:
    start = bookmark_start(root, name)
    tcs = start.xpath("ancestor::w:tc[1]", namespaces=NS)
    if not tcs:
        raise LookupError(f"bookmark {name} is not inside a table cell")
    return tcs[0]


def paragraph_text(p: etree._Element) -> str:
    """Text of a paragraph: w:t as is, w:br as '\\v' (line break), w:tab as '\\t'."""
    out: list[str] = []
    for el in p.iter(qn("w:t"), qn("w:br"), qn("w:tab"), qn("w:cr")):
        if el.tag == qn("w:t"):
            out.append(el.text or "")
        elif el.tag == qn("w:tab"):
            out.append("\t")
        else:
            out.append("\v")
    return "".join(out)


def cell_text(tc: etree._Element) -> str:
    """Whole cell text; paragraphs joined by '\\n', line breaks as '\\v'."""
    return "\n".join(paragraph_text(p) for p in tc.iter(qn("w:p")))


def sdts_in(el: etree._Element) -> list[etree._Element]:
    return list(el.iter(qn("w:sdt")))


def checkbox_checked(tc: etree._Element) -> bool | None:
    """Checkbox state of the (innermost) checkbox control in a cell: w14:checked/@val in either namespace."""
    for cb in tc.iter(_w14("checkbox")):
        checked = cb.find("w14:checked", NS)
        if checked is None:
            continue
        val = checked.get(_w14("val"), checked.get(qn("w:val")))
        return val in ("1", "true", "on")
    return None


def pretty(el: etree._Element) -> str:
    return etree.tostring(el, pretty_print=True, encoding="unicode")
