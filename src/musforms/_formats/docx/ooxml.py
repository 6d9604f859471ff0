"""WordprocessingML written as text: runs, paragraphs, tables, bookmarks, content controls and fields.

All raw XML of the Word format is written here (the package's parts in :mod:`musforms._formats.docx.ooxml_parts`;
read in :mod:`musforms._formats.docx.reader`); layouts and documents compose these pieces and never write tags
themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from musforms._core.xmltext import esc

__all__ = [
    "BULLETS",
    "CHECKED",
    "NS",
    "UNCHECKED",
    "W14",
    "TabStop",
    "W",
    "bookmark",
    "cell",
    "cell_end",
    "cell_start",
    "checkbox_control",
    "date_control",
    "dropdown_control",
    "esc",
    "inline_text_control",
    "kept_with_next",
    "list_item",
    "para",
    "row",
    "row_end",
    "row_start",
    "run",
    "short_title",
    "simple_field",
    "tab_stops",
    "table",
    "table_end",
    "table_start",
]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "w14": W14}
CHECKED = "\u2612"  # ☒
UNCHECKED = "\u2610"  # ☐


def _rpr(
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    color: str | None = None,
    font: str | None = None,
    style: str | None = None,
    hidden: bool = False,
) -> str:
    parts = []
    if style:
        parts.append(f'<w:rStyle w:val="{style}"/>')
    if font:
        parts.append(f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>')
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic:
        parts.append("<w:i/><w:iCs/>")
    if hidden:
        parts.append("<w:vanish/>")
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if size:
        half = round(size * 2)
        parts.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


def _space(chunk: str) -> str:
    """``xml:space`` for a text chunk: kept only where white space at an end, or a run of it, would be lost."""
    if chunk[0].isspace() or chunk[-1].isspace() or "  " in chunk:
        return ' xml:space="preserve"'
    return ""


def run(
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    color: str | None = None,
    font: str | None = None,
    style: str | None = None,
    hidden: bool = False,
) -> str:
    """A run of text; ``\\n`` becomes a line break and ``\\t`` a tab; ``hidden`` text (``w:vanish``) is kept in
    the document but neither shown nor printed by default."""
    rpr = _rpr(bold=bold, italic=italic, size=size, color=color, font=font, style=style, hidden=hidden)
    pieces: list[str] = []
    for li, line in enumerate(text.split("\n")):
        if li:
            pieces.append("<w:br/>")
        for ti, chunk in enumerate(line.split("\t")):
            if ti:
                pieces.append("<w:tab/>")
            if chunk:
                pieces.append(f"<w:t{_space(chunk)}>{esc(chunk)}</w:t>")
    return f"<w:r>{rpr}{''.join(pieces)}</w:r>"


TabStop = tuple[str, int] | tuple[str, int, str]
"""A tab stop: its kind and position, and the leader that fills the space before it (``dot``, ``hyphen``,
``underscore``...), if any."""


def tab_stops(stops: Sequence[TabStop]) -> str:
    """A paragraph's tab stops: (kind, position[, leader]), the position in twentieths of a point; the kind
    ``left``, ``right`` or ``center``, or ``clear`` to remove a stop the paragraph's style sets."""
    written = []
    for kind, pos, *leader in stops:
        drawn = f' w:leader="{leader[0]}"' if leader else ""
        written.append(f'<w:tab w:val="{kind}"{drawn} w:pos="{pos}"/>')
    return "<w:tabs>" + "".join(written) + "</w:tabs>"


def para(
    content: str = "",
    *,
    style: str | None = None,
    align: str | None = None,
    keep_next: bool = False,
    space_after: int | None = None,
    space_before: int | None = None,
    tabs: Sequence[TabStop] = (),
    run_props: str = "",
    numbering: int | None = None,
) -> str:
    """A paragraph holding ``content`` (runs, bookmarks, inline controls or fields); ``tabs`` as in
    :func:`tab_stops`; ``numbering``: the list (``w:numId``) it is an item of.

    The paragraph's properties are written in the order the schema requires (the style first).
    """
    ppr = [f'<w:pStyle w:val="{style}"/>'] if style else []
    if keep_next:
        ppr.append("<w:keepNext/>")
    if numbering is not None:
        ppr.append(f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{numbering}"/></w:numPr>')
    if tabs:
        ppr.append(tab_stops(tabs))
    if space_after is not None or space_before is not None:
        attrs = ""
        if space_before is not None:
            attrs += f' w:before="{space_before}"'
        if space_after is not None:
            attrs += f' w:after="{space_after}"'
        ppr.append(f"<w:spacing{attrs}/>")
    if align:
        ppr.append(f'<w:jc w:val="{align}"/>')
    if run_props:
        ppr.append(run_props)
    props = f"<w:pPr>{''.join(ppr)}</w:pPr>" if ppr else ""
    return f"<w:p>{props}{content}</w:p>"


_PARAGRAPH_START = re.compile(r"<w:p>(<w:pPr>(?:<w:pStyle [^>]*/>)?)?")


def kept_with_next(xml: str) -> str:
    """``xml`` (paragraphs, or a cell's content) with every paragraph kept on the page of what follows it."""

    def keep(match: re.Match[str]) -> str:
        if match.group(1):
            return match.group(0) + "<w:keepNext/>"
        return "<w:p><w:pPr><w:keepNext/></w:pPr>"

    return _PARAGRAPH_START.sub(keep, xml).replace("<w:keepNext/><w:keepNext/>", "<w:keepNext/>")


BULLETS = 1
"""The ``w:numId`` of the skeleton's bulleted list (its ``ListBullet`` style)."""


def list_item(content: str, *, keep_next: bool = False, space_after: int | None = None) -> str:
    """One item of a bulleted list: a list paragraph (``ListBullet``, numbered by the list), not a typed bullet."""
    return para(content, style="ListBullet", keep_next=keep_next, numbering=BULLETS, space_after=space_after)


def short_title(text: str, limit: int = 80) -> str:
    """``text`` on one line, cut at a word with an ellipsis when longer than ``limit`` characters (a control's
    title, a table's caption)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:–-") + "…"


def simple_field(instruction: str, shown: str) -> str:
    """A field Word and LibreOffice compute (``PAGE``, ``NUMPAGES``...), showing the run ``shown`` until they do."""
    return f'<w:fldSimple w:instr=" {instruction} ">{shown}</w:fldSimple>'


def bookmark(number: int, name: str) -> str:
    """A collapsed bookmark (start and end at one place) named ``name``."""
    return f'<w:bookmarkStart w:id="{number}" w:name="{name}"/><w:bookmarkEnd w:id="{number}"/>'


def _sdt_pr(alias: str, tag: str, extra: str = "", placeholder: bool = False) -> str:
    """A control's properties: its title (``w:alias``, what a screen reader announces: the question it
    answers), its tag, whether it shows its placeholder, and what kind of control it is.

    No ``w:id``: it is optional, and Word and LibreOffice give a control one when they need it.
    """
    shown = "<w:showingPlcHdr/>" if placeholder else ""
    title = f'<w:alias w:val="{esc(short_title(alias))}"/>' if alias and alias != tag else ""
    return f'<w:sdtPr>{title}<w:tag w:val="{esc(tag)}"/>{shown}{extra}</w:sdtPr>'


def inline_text_control(alias: str, tag: str, text: str, *, placeholder: str) -> str:
    """An inline rich-text content control; line breaks in ``text`` become ``w:br``.

    Empty, it shows ``placeholder`` greyed out until a person types.
    """
    if text:
        return f"<w:sdt>{_sdt_pr(alias, tag)}<w:sdtContent>{run(text)}</w:sdtContent></w:sdt>"
    shown = run(placeholder, style="PlaceholderText")
    return f"<w:sdt>{_sdt_pr(alias, tag, placeholder=True)}<w:sdtContent>{shown}</w:sdtContent></w:sdt>"


def date_control(
    alias: str, tag: str, *, iso: str | None, shown: str, placeholder: str, language: str = "da-DK"
) -> str:
    """An inline date-picker content control (format dd-MM-yyyy, calendar in ``language``); ``iso`` and
    ``shown`` when prefilled."""
    full = f' w:fullDate="{iso}T00:00:00Z"' if iso else ""
    extra = (
        f'<w:date{full}><w:dateFormat w:val="dd-MM-yyyy"/><w:lid w:val="{language}"/>'
        '<w:storeMappedDataAs w:val="dateTime"/><w:calendar w:val="gregorian"/></w:date>'
    )
    content = run(shown) if iso else run(placeholder, style="PlaceholderText")
    return f"<w:sdt>{_sdt_pr(alias, tag, extra, placeholder=not iso)}<w:sdtContent>{content}</w:sdtContent></w:sdt>"


def checkbox_control(alias: str, tag: str, *, checked: bool, box_style: str | None = "MFBox") -> str:
    """An inline checkbox content control (☐/☒), which Word and LibreOffice tick with a click.

    The glyph's run has the character style ``box_style``; None when the paragraph's style sets the box's
    font (as ``MFTick`` does).
    """
    extra = (
        f'<w14:checkbox><w14:checked w14:val="{1 if checked else 0}"/>'
        '<w14:checkedState w14:val="2612"/><w14:uncheckedState w14:val="2610"/></w14:checkbox>'
    )
    glyph = run(CHECKED if checked else UNCHECKED, style=box_style)
    return f"<w:sdt>{_sdt_pr(alias, tag, extra)}<w:sdtContent>{glyph}</w:sdtContent></w:sdt>"


def dropdown_control(
    alias: str, tag: str, items: Sequence[tuple[str, str]], *, selected: str | None, placeholder: str
) -> str:
    """An inline drop-down content control; ``items`` are (display text, value) pairs."""
    listing = "".join(f'<w:listItem w:displayText="{esc(text)}" w:value="{esc(value)}"/>' for text, value in items)
    extra = f"<w:dropDownList>{listing}</w:dropDownList>"
    content = run(selected) if selected else run(placeholder, style="PlaceholderText")
    return (
        f"<w:sdt>{_sdt_pr(alias, tag, extra, placeholder=selected is None)}"
        f"<w:sdtContent>{content}</w:sdtContent></w:sdt>"
    )


def cell_start(
    width: int,
    *,
    fill: str | None = None,
    span: int = 1,
    valign: str | None = None,
    borders: str | None = None,
) -> str:
    """The start of a table cell, up to its properties (``width`` in twentieths of a point); its content follows,
    at least one paragraph, then :func:`cell_end`."""
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if span > 1:
        props.append(f'<w:gridSpan w:val="{span}"/>')
    if borders:
        props.append(borders)
    if fill:
        props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>')
    if valign:
        props.append(f'<w:vAlign w:val="{valign}"/>')
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr>"


def cell_end() -> str:
    """The end of a table cell."""
    return "</w:tc>"


def cell(
    content: str,
    width: int,
    *,
    fill: str | None = None,
    span: int = 1,
    valign: str | None = None,
    borders: str | None = None,
) -> str:
    """A table cell (``width`` in twentieths of a point); ``content`` must hold at least one paragraph."""
    return cell_start(width, fill=fill, span=span, valign=valign, borders=borders) + (content or para()) + "</w:tc>"


def row_start(*, height: int | None = None, header: bool = False, cant_split: bool = True) -> str:
    """The start of a table row, up to its properties; its cells follow, then :func:`row_end`.

    ``height`` is a minimum (the row grows as people type); a ``header`` row is repeated on each page.
    """
    props = []
    if cant_split:
        props.append("<w:cantSplit/>")
    if height:
        props.append(f'<w:trHeight w:val="{height}" w:hRule="atLeast"/>')
    if header:
        props.append("<w:tblHeader/>")
    trpr = f"<w:trPr>{''.join(props)}</w:trPr>" if props else ""
    return f"<w:tr>{trpr}"


def row_end() -> str:
    """The end of a table row."""
    return "</w:tr>"


def row(cells: Iterable[str], *, height: int | None = None, header: bool = False, cant_split: bool = True) -> str:
    """A table row of ``cells`` (see :func:`row_start`)."""
    return row_start(height=height, header=header, cant_split=cant_split) + "".join(cells) + "</w:tr>"


def table_start(widths: Sequence[int], *, style: str = "MfTable", caption: str = "", description: str = "") -> str:
    """The start of a table of fixed column ``widths`` (twentieths of a point) in the form's table style, up to
    its grid; its rows follow, then :func:`table_end`. A data grid has a ``caption`` and a ``description``
    (its title and alternative text, which screen readers announce).

    No ``w:tblLook``: it picks the table style's conditional formats, and the form's style has none.
    """
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    described = (f'<w:tblCaption w:val="{esc(short_title(caption))}"/>' if caption else "") + (
        f'<w:tblDescription w:val="{esc(description)}"/>' if description else ""
    )
    props = (
        f'<w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:tblLayout w:type="fixed"/>{described}</w:tblPr>'
    )
    return f"<w:tbl>{props}<w:tblGrid>{grid}</w:tblGrid>"


def table_end() -> str:
    """The end of a table."""
    return "</w:tbl>"


def table(
    rows: Iterable[str], widths: Sequence[int], *, style: str = "MfTable", caption: str = "", description: str = ""
) -> str:
    """A table of ``rows`` (see :func:`table_start`)."""
    return table_start(widths, style=style, caption=caption, description=description) + "".join(rows) + "</w:tbl>"
