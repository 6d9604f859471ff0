"""The raw XML of a Word package's parts outside the body: the form's table, heading and list styles, the content
types and relationships of an added part, finding a paragraph or a picture's run in a part's XML, and a picture's
alternative text. The core properties are :mod:`musforms._core.core_properties`' (the same part in a workbook).

What goes inside a body, header or footer is written by :mod:`musforms._formats.docx.ooxml`.
"""

from __future__ import annotations

import re

from musforms._formats.docx.ooxml import W, esc

__all__ = [
    "EMPTY_CUSTOM_PROPERTIES",
    "STRUCTURE_STYLE_IDS",
    "paragraph_bounds",
    "picture_run",
    "structure_styles",
    "table_style",
    "with_alt_text",
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


def _paragraph_style(style_id: str, name: str, ppr: str, rpr: str, *, priority: int) -> str:
    return (
        f'<w:style xmlns:w="{W}" w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
        f'<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="{priority}"/><w:qFormat/>'
        f"<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )


STRUCTURE_STYLE_IDS = ("Title", "Subtitle", "Heading1", "Heading2", "ListBullet", "MFSection")
"""The styles :func:`structure_styles` writes (the built-in ones replacing python-docx's)."""


def structure_styles(accent: str, grey: str, right_tab: int, bullets: int) -> list[str]:
    """The ``w:style`` elements of a document's structure, in the forms' look: ``Title`` (the document's title),
    ``Subtitle``, ``Heading1`` (a part, with a right tab stop at ``right_tab`` for its time box) and ``Heading2``
    with their outline levels, ``MFSection`` (the forms' part titles: a heading 1 by another name), and
    ``ListBullet``, the list paragraph of the bulleted list ``bullets``."""
    return [
        _paragraph_style(
            "Title",
            "Title",
            '<w:spacing w:before="0" w:after="40"/>',
            f'<w:b/><w:bCs/><w:color w:val="{accent}"/><w:kern w:val="28"/><w:sz w:val="40"/><w:szCs w:val="40"/>',
            priority=10,
        ),
        _paragraph_style(
            "Subtitle",
            "Subtitle",
            '<w:spacing w:before="0" w:after="200"/>',
            f'<w:color w:val="{grey}"/><w:sz w:val="24"/><w:szCs w:val="24"/>',
            priority=11,
        ),
        _paragraph_style(
            "Heading1",
            "heading 1",
            f'<w:keepNext/><w:keepLines/><w:tabs><w:tab w:val="right" w:pos="{right_tab}"/></w:tabs>'
            '<w:spacing w:before="320" w:after="80"/><w:outlineLvl w:val="0"/>',
            f'<w:b/><w:bCs/><w:color w:val="{accent}"/><w:sz w:val="28"/><w:szCs w:val="28"/>',
            priority=9,
        ),
        _paragraph_style(
            "Heading2",
            "heading 2",
            '<w:keepNext/><w:keepLines/><w:spacing w:before="160" w:after="40"/><w:outlineLvl w:val="1"/>',
            f'<w:b/><w:bCs/><w:color w:val="{accent}"/><w:sz w:val="22"/><w:szCs w:val="22"/>',
            priority=9,
        ),
        f'<w:style xmlns:w="{W}" w:type="paragraph" w:customStyle="1" w:styleId="MFSection">'
        '<w:name w:val="MF Section"/><w:basedOn w:val="Heading1"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/>'
        '<w:qFormat/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>',
        _paragraph_style(
            "ListBullet",
            "List Bullet",
            f'<w:numPr><w:numId w:val="{bullets}"/></w:numPr><w:spacing w:after="40"/>'
            '<w:ind w:left="360" w:hanging="240"/>',
            '<w:sz w:val="20"/><w:szCs w:val="20"/>',
            priority=34,
        ),
    ]


_DOC_PR = re.compile(r"<wp:docPr ([^>]*?)(/?)>")
_DECORATIVE = (
    '<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
    '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/>'
    "</a:ext></a:extLst>"
)


def with_alt_text(picture: str, text: str) -> str:
    """A picture's run with ``text`` as its alternative text (``wp:docPr descr``), or marked decorative when
    ``text`` is empty."""
    found = _DOC_PR.search(picture)
    if found is None:
        return picture
    attrs = re.sub(r'\s*descr="[^"]*"', "", found.group(1))
    if text:
        replacement = f'<wp:docPr {attrs} descr="{esc(text)}"{found.group(2)}>'
    elif found.group(2):
        replacement = f"<wp:docPr {attrs}>{_DECORATIVE}</wp:docPr>"
    else:
        replacement = f"<wp:docPr {attrs}>{_DECORATIVE}"
    return picture[: found.start()] + replacement + picture[found.end() :]


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
