"""A layout as an openpyxl workbook: the compile step (blank, once per template and role) and, for the
benchmark, the same workbook built for one person (what stamping replaces)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.header_footer import HeaderFooterItem, _HeaderFooterPart
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.worksheet import Worksheet

from musforms._core.core_properties import form_properties
from musforms._formats.xlsx.pages import MARGINS_CM
from musforms._formats.xlsx.sheets import (
    TITLE_ROWS,
    Cell,
    CellValue,
    HeaderFooter,
    Layout,
    SheetLayout,
    Stamp,
    Validation,
    xwords,
)
from musforms._formats.xlsx.styles import cell_style
from musforms._text.form_facts import form_facts
from musforms._text.sandbox import text_scope

__all__ = ["HEADER_MARK", "build_workbook", "page_setup", "row_breaks", "workbook_bytes"]

HEADER_MARK = "@@MF_HEADER_FOOTER@@"
"""The header text of a blank workbook: the stamp replaces the whole header and footer."""


def build_workbook(layout: Layout, stamp: Stamp | None = None, *, password: str | None = None) -> Workbook:
    """The workbook of ``layout``: blank (slots and answer cells empty) or filled in for ``stamp``."""
    with text_scope(layout.role, form_facts(layout.template)):  # its texts, for this reader, about this form
        return _build_workbook(layout, stamp, password)


def _build_workbook(layout: Layout, stamp: Stamp | None, password: str | None) -> Workbook:
    wb = Workbook()
    form = wb.active
    assert isinstance(form, Worksheet)
    form.title = layout.form.name
    sheets = [form, wb.create_sheet(layout.lists.name), wb.create_sheet(layout.meta.name)]
    for sheet_layout, ws in zip(layout.sheets(), sheets, strict=True):
        _fill_sheet(sheet_layout, ws, stamp, xwords(layout.template.language)["error_title"])
        ws.sheet_state = sheet_layout.state
        ws.protection = SheetProtection(
            sheet=True,
            objects=True,
            scenarios=True,
            formatRows=False,
            formatColumns=False,
            selectLockedCells=False,
            selectUnlockedCells=False,
        )
        if password:
            ws.protection.password = password
    _form_settings(layout, form, stamp)
    for x in layout.anchors.values():
        wb.defined_names[x.name] = DefinedName(x.name, attr_text=f"'{layout.form.name}'!${_col(x.ref)}${_row(x.ref)}")
    for key in layout.meta_keys:
        value = _meta_value(layout, stamp, key)
        wb.custom_doc_props.append(StringProperty(name=key, value=value))  # type: ignore[attr-defined]
    _describe(wb, layout, stamp)
    return wb


def _describe(wb: Workbook, layout: Layout, stamp: Stamp | None) -> None:
    """The workbook's core properties, as a stamped form's (:func:`musforms._core.core_properties.form_properties`;
    a stamped form's part is written afresh, with the time it was made)."""
    about = form_properties(layout.template, layout.role, stamp.context if stamp is not None else None)
    wb.properties.creator = about.author or None
    wb.properties.lastModifiedBy = about.author or None
    wb.properties.title = about.title
    wb.properties.subject = about.subject
    wb.properties.keywords = about.keywords
    wb.properties.language = about.language


def _meta_value(layout: Layout, stamp: Stamp | None, key: str) -> str:
    if stamp is None:
        return "-"
    row = layout.meta_keys.index(key) + 1
    cell = layout.meta.rows[row][2]
    assert cell.fill is not None
    return cell.fill(stamp) or "-"


def _col(ref: str) -> str:
    return ref.rstrip("0123456789")


def _row(ref: str) -> str:
    return ref[len(_col(ref)) :]


def _value(cell: Cell, stamp: Stamp | None) -> CellValue | None:
    if cell.input is not None:
        return None if stamp is None else stamp.value(cell.input)
    if cell.formula is not None:
        return "=" + cell.formula
    if cell.fill is not None:
        return (cell.fill(stamp) or None) if stamp is not None else None
    return cell.value


def _fill_sheet(sheet_layout: SheetLayout, ws: Worksheet, stamp: Stamp | None, error_title: str) -> None:
    for letter, width in sheet_layout.widths.items():
        ws.column_dimensions[letter].width = width
    for row, cells in sorted(sheet_layout.rows.items()):
        for column, cell in sorted(cells.items()):
            target = ws.cell(row=row, column=column)
            style = cell_style(cell.style)
            target.font = style.font
            target.alignment = style.alignment
            target.number_format = style.number_format
            target.protection = style.protection
            if style.fill is not None:
                target.fill = style.fill
            if style.border is not None:
                target.border = style.border
            value = _value(cell, stamp)
            if value is not None:
                target.value = value
    for row in sheet_layout.heights:
        ws.row_dimensions[row].height = sheet_layout.height_at(row, stamp)
    for merged in sheet_layout.merges:
        ws.merge_cells(merged)
    for validation in sheet_layout.validation_list():
        ws.add_data_validation(_validation(validation, error_title))


def _validation(v: Validation, error_title: str) -> DataValidation:
    checked = v.kind != "any"  # "any": no check, only the input message
    dv = DataValidation(
        type=None if v.kind == "any" else v.kind,
        operator="between" if v.kind == "date" else None,
        formula1=v.formula1 if checked else None,
        formula2=v.formula2,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=error_title,
        error=v.error,
        showInputMessage=bool(v.prompt),
        promptTitle=v.prompt_title or None,
        prompt=v.prompt or None,
    )
    dv.sqref = " ".join(v.refs)
    return dv


def _header_footer(parts: HeaderFooter) -> HeaderFooterItem:
    item = HeaderFooterItem()
    for position, (text, font, size) in parts.items():
        part = _HeaderFooterPart(text=text, font=font, size=size)
        setattr(item, {"L": "left", "C": "center", "R": "right"}[position], part)
    return item


def page_setup(ws: Worksheet) -> None:
    """A4 portrait, one page wide and as many tall as it takes, with the Word forms' margins."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    for side, cm in MARGINS_CM.items():
        setattr(ws.page_margins, side, round(cm / 2.54, 4))


def row_breaks(ws: Worksheet, rows: list[int]) -> None:
    """Page breaks after ``rows`` (the ones before are dropped)."""
    ws.row_breaks = RowBreak()
    for row in rows:
        ws.row_breaks.append(Break(id=row))


def _form_settings(layout: Layout, ws: Worksheet, stamp: Stamp | None) -> None:
    ws.sheet_view.showGridLines = False
    ws.freeze_panes = "A3"
    ws.print_title_rows = f"1:{TITLE_ROWS}"
    ws.print_area = f"A1:F{layout.last_row}"
    page_setup(ws)
    row_breaks(ws, layout.page_breaks(stamp))
    if stamp is None:
        ws.HeaderFooter.oddHeader = _header_footer({"L": (HEADER_MARK, None, None)})
    else:
        ws.HeaderFooter.oddHeader = _header_footer(layout.header(stamp))
        ws.HeaderFooter.oddFooter = _header_footer(layout.footer(stamp))


def workbook_bytes(wb: Workbook) -> bytes:
    """The .xlsx bytes of an openpyxl workbook."""
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
