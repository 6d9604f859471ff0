"""Helpers for tests that change the parts of a .docx the way another program or a person would, and that read a
form both ways the Word parser can (quickly, and every cell node by node)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import musforms
from musforms._formats.docx import parse as docx_parse
from musforms._formats.docx.layout import anchor_name


@contextmanager
def full_reading() -> Iterator[None]:
    """Parse with every cell read node by node (not the quick reading of plain cells)."""
    docx_parse.QUICK = False
    try:
        yield
    finally:
        docx_parse.QUICK = True


def parse_both_ways(data: bytes, template: musforms.Template) -> musforms.FilledForm:
    """``data`` parsed the quick way and node by node; the two must read the same."""
    quick = musforms.parse(data, templates=[template])
    with full_reading():
        full = musforms.parse(data, templates=[template])
    assert quick == full
    return quick


def edit_part(data: bytes, part: str, change: Callable[[str], str]) -> bytes:
    """``data`` with the XML of ``part`` changed by ``change``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == part:
                content = change(content.decode("utf-8")).encode("utf-8")
            dst.writestr(info, content)
    return out.getvalue()


def drop_part(data: bytes, part: str) -> bytes:
    """``data`` without ``part``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != part:
                dst.writestr(info, src.read(info))
    return out.getvalue()


def document_xml(data: bytes) -> str:
    """The text of word/document.xml."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def cell_of(xml: str, field_id: str, part: str = "") -> tuple[int, int]:
    """The span of the ``<w:tc>`` that holds an input's bookmark."""
    name = anchor_name(field_id, part)
    at = xml.index(f'w:name="{name}"')
    start = xml.rindex("<w:tc>", 0, at)
    end = xml.index("</w:tc>", at) + len("</w:tc>")
    return start, end


def set_tick(xml: str, field_id: str, part: str, ticked: bool) -> str:
    """Tick or clear the checkbox of one input, as a click does (flag and glyph)."""
    start, end = cell_of(xml, field_id, part)
    cell = xml[start:end]
    flag = "1" if ticked else "0"
    cell = re.sub(r'<w14:checked w14:val="[01]"/>', f'<w14:checked w14:val="{flag}"/>', cell)
    cell = cell.replace("☐", "☒") if ticked else cell.replace("☒", "☐")
    return xml[:start] + cell + xml[end:]


def type_in_cell(xml: str, field_id: str, part: str, text: str) -> str:
    """Add a run of ``text`` at the end of the input's cell paragraph (beside any control)."""
    start, end = cell_of(xml, field_id, part)
    cell = xml[start:end]
    at = cell.rindex("</w:p>")
    run = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
    return xml[:start] + cell[:at] + run + cell[at:] + xml[end:]
