"""The raw XML of a Word package's parts outside the body: the form's table style, the content types and
relationships of an added part, and finding a paragraph or a picture's run in a part's XML.

What goes inside a body, header or footer is written by :mod:`musforms._formats.docx.ooxml`.
"""

from __future__ import annotations

import re

from musforms._formats.docx.ooxml import W

__all__ = [
    "EMPTY_CUSTOM_PROPERTIES",
    "paragraph_bounds",
    "picture_run",
    "table_style",
    "with_content_type",
    "with_relationship",
]

EMPTY_CUSTOM_PROPERTIES = b"<Properties/>"
"""A custom properties part with no property (each document writes its own)."""

_LINE = 'w:val="single" w:sz="4" w:space="0" w:color="8C8C8C"'
_PICTURE_RUN = re.compile(r"<w:r>(?:(?!</w:r>).)*<w:drawing>.*?</w:r>", re.S)


def table_style(style_id: str = "MfTable", name: str = "MF Table") -> str:
    """The ``w:style`` element of the forms' tables: thin grey lines around and between the cells, small margins
    and a little space around each cell's paragraphs."""
    return f"""<w:style xmlns:w="{W}" w:type="table" w:customStyle="1" w:styleId="{style_id}">
  <w:name w:val="{name}"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>
  <w:pPr><w:spacing w:before="40" w:after="40"/></w:pPr>
  <w:tblPr>
    <w:tblBorders>
      <w:top {_LINE}/>
      <w:left {_LINE}/>
      <w:bottom {_LINE}/>
      <w:right {_LINE}/>
      <w:insideH {_LINE}/>
      <w:insideV {_LINE}/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="40" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>
      <w:bottom w:w="40" w:type="dxa"/><w:right w:w="100" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
</w:style>"""


def paragraph_bounds(xml: str, at: int) -> tuple[int, int]:
    """Where the paragraph holding the position ``at`` of ``xml`` starts and ends (the end past ``</w:p>``)."""
    start = xml.rindex("<w:p>", 0, at) if "<w:p>" in xml[:at] else xml.rindex("<w:p ", 0, at)
    end = xml.index("</w:p>", at) + len("</w:p>")
    return start, end


def picture_run(xml: str) -> str:
    """The first run of ``xml`` that holds a picture; empty when there is none."""
    found = _PICTURE_RUN.search(xml)
    return found.group(0) if found else ""


def with_content_type(types: str, part: str, content_type: str) -> str:
    """``[Content_Types].xml`` with the content type of one more part."""
    return types.replace("</Types>", f'<Override PartName="{part}" ContentType="{content_type}"/></Types>')


def with_relationship(rels: str, rel_id: str, rel_type: str, target: str) -> str:
    """A relationships part with one more relationship."""
    return rels.replace(
        "</Relationships>", f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{target}"/></Relationships>'
    )
