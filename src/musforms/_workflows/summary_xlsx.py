"""A workbook of plain tables written as a stream: each sheet's XML is made row by row into the zip, never held.

Text is written as inline strings (``t="inlineStr"``), which a spreadsheet never takes for a formula, however
it starts; numbers as numbers, true/false as booleans. The first row of each sheet holds the column names, in
bold, and stays in view (frozen); a sheet may have a bar chart of some of its columns.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any
from xml.sax.saxutils import quoteattr

from musforms._formats.xlsx.names import column_letter
from musforms.errors import MusformsError

__all__ = ["MAX_CELL_TEXT", "MAX_ROWS", "Chart", "Sheet", "write_workbook"]

MAX_CELL_TEXT = 32767
"""The most characters a cell holds; longer text is cut to it."""
MAX_ROWS = 1_048_576
"""The most rows a sheet holds."""
_CHUNK = 512
"""Rows made into one piece of XML before it is written to the zip."""

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
_SHEET_DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
_OFFICE = "application/vnd.openxmlformats-officedocument"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_EMU_PER_CM = 360_000

_ESCAPE_LIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Chart:
    """A clustered bar chart of some columns of a sheet, one bar per row (of the first ``most`` rows)."""

    title: str
    axis_title: str
    categories: str
    """The column whose values name the bars."""
    series: tuple[str, ...]
    """The columns shown as bars, each a series named by its column."""
    most: int
    anchor: str
    """The cell the chart's top left corner is at, such as ``N2``."""


@dataclass
class Sheet:
    """One sheet: its name, its columns and its rows (mappings of column to value, read once, in order)."""

    name: str
    columns: tuple[str, ...]
    rows: Iterable[dict[str, Any]]
    chart: Chart | None = None


def _text(value: str) -> str:
    if len(value) > MAX_CELL_TEXT:
        value = value[:MAX_CELL_TEXT]
    if "_x" in value:
        value = _ESCAPE_LIKE.sub("_x005F_", value)
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(ref: str, value: Any, style: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
    text = value if isinstance(value, str) else str(value)
    return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{_text(text)}</t></is></c>'


def write_workbook(stream: IO[bytes], sheets: Iterable[Sheet]) -> None:
    """Write a workbook of ``sheets`` to ``stream``, each sheet's rows as they come."""
    names: list[str] = []
    charts: list[int] = []
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, sheet in enumerate(sheets, start=1):
            names.append(sheet.name[:31])
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w") as part:
                count = _write_sheet(part, sheet, selected=number == 1)
            if sheet.chart is not None and count:
                charts.append(number)
                _write_chart(archive, len(charts), number, sheet, min(count, sheet.chart.most))
        archive.writestr("[Content_Types].xml", _content_types(len(names), len(charts)))
        archive.writestr("_rels/.rels", _rels([("officeDocument", "xl/workbook.xml")]))
        archive.writestr("xl/workbook.xml", _workbook(names))
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            _rels(
                [("worksheet", f"worksheets/sheet{i}.xml") for i in range(1, len(names) + 1)]
                + [("styles", "styles.xml")]
            ),
        )
        archive.writestr("xl/styles.xml", _STYLES)


def _write_sheet(part: IO[bytes], sheet: Sheet, *, selected: bool) -> int:
    """Write one sheet's XML; returns how many rows (below the column names) it holds."""
    letters = [column_letter(i) for i in range(1, len(sheet.columns) + 1)]
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{min(60, max(10, len(c) + 2))}" customWidth="1"/>'
        for i, c in enumerate(sheet.columns, start=1)
    )
    tab = ' tabSelected="1"' if selected else ""
    part.write(
        (
            f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews><sheetView{tab} workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{widths}</cols><sheetData><row r="1">'
            + "".join(_cell(f"{letter}1", c, ' s="1"') for letter, c in zip(letters, sheet.columns, strict=True))
            + "</row>"
        ).encode()
    )
    pairs = list(zip(letters, sheet.columns, strict=True))
    count = 0
    chunk: list[str] = []
    for row in sheet.rows:
        count += 1
        if count >= MAX_ROWS:
            raise MusformsError(
                f"the table '{sheet.name}' has more rows than a sheet holds; write the summary as .csv or .json"
            )
        number = count + 1
        chunk.append(
            f'<row r="{number}">'
            + "".join(_cell(f"{letter}{number}", row.get(column)) for letter, column in pairs)
            + "</row>"
        )
        if len(chunk) == _CHUNK:
            part.write("".join(chunk).encode())
            chunk.clear()
    part.write("".join(chunk).encode())
    drawing = '<drawing r:id="rId1"/>' if sheet.chart is not None and count else ""
    part.write(f"</sheetData>{drawing}</worksheet>".encode())
    return count


def _write_chart(archive: zipfile.ZipFile, chart_number: int, sheet_number: int, sheet: Sheet, rows: int) -> None:
    chart = sheet.chart
    assert chart is not None
    archive.writestr(
        f"xl/worksheets/_rels/sheet{sheet_number}.xml.rels",
        _rels([("drawing", f"../drawings/drawing{chart_number}.xml")]),
    )
    archive.writestr(
        f"xl/drawings/_rels/drawing{chart_number}.xml.rels", _rels([("chart", f"../charts/chart{chart_number}.xml")])
    )
    match = re.fullmatch(r"([A-Z]+)(\d+)", chart.anchor)
    assert match is not None
    column = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(match.group(1)))) - 1
    height = round(max(8.0, rows * 0.6) * _EMU_PER_CM)
    archive.writestr(
        f"xl/drawings/drawing{chart_number}.xml",
        f'{_HEAD}<xdr:wsDr xmlns:xdr="{_SHEET_DRAWING_NS}" xmlns:a="{_DRAWING_NS}"><xdr:oneCellAnchor>'
        f"<xdr:from><xdr:col>{column}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{int(match.group(2)) - 1}</xdr:row>"
        f'<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="{22 * _EMU_PER_CM}" cy="{height}"/>'
        f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{chart_number + 1}" '
        f'name="Chart {chart_number}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="{_CHART_NS}"><c:chart xmlns:c="{_CHART_NS}" '
        f'xmlns:r="{_REL}" r:id="rId1"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/>'
        "</xdr:oneCellAnchor></xdr:wsDr>",
    )
    archive.writestr(f"xl/charts/chart{chart_number}.xml", _chart_xml(sheet, chart, rows))


def _title(text: str) -> str:
    return (
        f"<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:pPr><a:defRPr/></a:pPr><a:r><a:t>{_text(text)}</a:t></a:r>"
        '</a:p></c:rich></c:tx><c:overlay val="0"/></c:title>'
    )


def _chart_xml(sheet: Sheet, chart: Chart, rows: int) -> str:
    quoted = "'" + sheet.name[:31].replace("'", "''") + "'"

    def ref(column: str, first: int, last: int) -> str:
        letter = column_letter(sheet.columns.index(column) + 1)
        return _text(f"{quoted}!${letter}${first}" + (f":${letter}${last}" if last != first else ""))

    series = "".join(
        f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/><c:tx><c:strRef><c:f>{ref(column, 1, 1)}</c:f></c:strRef>'
        f'</c:tx><c:invertIfNegative val="0"/><c:cat><c:strRef><c:f>{ref(chart.categories, 2, rows + 1)}</c:f>'
        f"</c:strRef></c:cat><c:val><c:numRef><c:f>{ref(column, 2, rows + 1)}</c:f></c:numRef></c:val></c:ser>"
        for i, column in enumerate(chart.series)
    )
    ticks = '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
    return (
        f'{_HEAD}<c:chartSpace xmlns:c="{_CHART_NS}" xmlns:a="{_DRAWING_NS}" xmlns:r="{_REL}"><c:chart>'
        f'{_title(chart.title)}<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/><c:barChart><c:barDir val="bar"/>'
        f'<c:grouping val="clustered"/><c:varyColors val="0"/>{series}<c:gapWidth val="150"/><c:axId val="10"/>'
        '<c:axId val="100"/></c:barChart><c:catAx><c:axId val="10"/><c:scaling><c:orientation val="minMax"/>'
        f'</c:scaling><c:delete val="0"/><c:axPos val="l"/>{ticks}<c:crossAx val="100"/><c:crosses val="autoZero"/>'
        '<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        '<c:valAx><c:axId val="100"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
        f'<c:axPos val="b"/><c:majorGridlines/>{_title(chart.axis_title)}'
        f'<c:numFmt formatCode="General" sourceLinked="1"/>{ticks}<c:crossAx val="10"/><c:crosses val="autoZero"/>'
        '<c:crossBetween val="between"/></c:valAx></c:plotArea><c:legend><c:legendPos val="r"/>'
        '<c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
    )


def _rels(targets: list[tuple[str, str]]) -> str:
    kinds = {"officeDocument": _REL, "worksheet": _REL, "styles": _REL, "drawing": _REL, "chart": _REL}
    items = "".join(
        f'<Relationship Id="rId{i}" Type="{kinds[kind]}/{kind}" Target="{target}"/>'
        for i, (kind, target) in enumerate(targets, start=1)
    )
    return f'{_HEAD}<Relationships xmlns="{_PKG_REL}">{items}</Relationships>'


def _workbook(names: list[str]) -> str:
    sheets = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(names, start=1)
    )
    return (
        f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{sheets}</sheets></workbook>"
    )


def _content_types(sheets: int, charts: int) -> str:
    overrides = [("/xl/workbook.xml", "spreadsheetml.sheet.main+xml"), ("/xl/styles.xml", "spreadsheetml.styles+xml")]
    overrides += [(f"/xl/worksheets/sheet{i}.xml", "spreadsheetml.worksheet+xml") for i in range(1, sheets + 1)]
    overrides += [(f"/xl/drawings/drawing{i}.xml", "drawing+xml") for i in range(1, charts + 1)]
    overrides += [(f"/xl/charts/chart{i}.xml", "drawingml.chart+xml") for i in range(1, charts + 1)]
    items = "".join(f'<Override PartName="{name}" ContentType="{_OFFICE}.{kind}"/>' for name, kind in overrides)
    return (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{items}</Types>'
    )


_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill '
    'patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1">'
    '<border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" '
    'fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" '
    'borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
