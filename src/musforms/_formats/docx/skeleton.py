"""The package every Word document is stamped from: A4 page, styles, header and footer, built once with python-docx.

python-docx is imported only when the package is built (the first Word document a process writes), never when
this module is imported.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from musforms._core.identity import CUSTOM_PROPS_CONTENT_TYPE, CUSTOM_PROPS_REL
from musforms._core.zipstamp import Deflated, ZipSkeleton
from musforms._formats.docx import ooxml as x
from musforms._formats.docx import ooxml_parts as parts

if TYPE_CHECKING:
    from docx.document import Document

__all__ = ["BODY_MARK", "CONTENT_WIDTH", "FOOTER_MARK", "HEADER_MARK", "Skeleton", "skeleton"]

PAGE_MARGIN_CM = 2
CONTENT_WIDTH = 11906 - 2 * 1134  # A4 width minus margins, in twentieths of a point
HEADER_MARK = "@@MF_HEADER@@"
FOOTER_MARK = "@@MF_FOOTER@@"
BODY_MARK = "@@MF_BODY@@"
ACCENT = "1F3A5F"
GREY = "595959"
PLACEHOLDER = "666666"
"""The colour of a placeholder's text: grey, yet 5.7:1 on white (the least for small text is 4.5:1)."""


class Skeleton:
    """The zip package of a blank form with the three places that each form fills in."""

    def __init__(
        self,
        package: ZipSkeleton,
        document: str,
        header: tuple[str, str],
        footer: tuple[str, str],
        logo_run: str = "",
    ) -> None:
        self.package = package
        self.logo_run = logo_run
        """The header's picture run (the company's logo), to place in the header line; empty without one."""
        self.document_head, self.document_tail = document.split(BODY_MARK)
        self.header_name, header_xml = header
        self.footer_name, footer_xml = footer
        self.header_head, self.header_tail = header_xml.split(HEADER_MARK)
        self.footer_head, self.footer_tail = footer_xml.split(FOOTER_MARK)


def _paragraph_style(
    document: Document,
    name: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    color: str | None = None,
    before: float = 0,
    after: float = 4,
    keep_next: bool = False,
) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    if color is not None:
        style.font.color.rgb = RGBColor.from_string(color)
    style.paragraph_format.space_before = Pt(before)
    style.paragraph_format.space_after = Pt(after)
    style.paragraph_format.keep_with_next = keep_next


def _build(logo: Path | tuple[str, bytes] | None, language: str) -> bytes:
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt, RGBColor

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "bottom_margin"):
        setattr(section, side, Cm(PAGE_MARGIN_CM))
    section.top_margin = Cm(2.6)  # room for a header line with the company's logo
    section.header_distance = Cm(0.9)
    section.footer_distance = Cm(1)

    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.widow_control = True  # no paragraph's first or last line alone on a page

    _paragraph_style(document, "MF Guidance", size=9.5, italic=True, color=GREY, after=6, keep_next=True)
    _paragraph_style(document, "MF Intro", size=10.5, after=6)
    _paragraph_style(document, "MF Label", size=10, bold=True, after=0, keep_next=True)
    _paragraph_style(document, "MF Help", size=8.5, color=GREY, after=0, keep_next=True)
    _paragraph_style(document, "MF Statement", size=10, after=0)  # a row of a rating table: the table is calm
    _paragraph_style(document, "MF Hint", size=8.5, color=GREY, after=0)
    _paragraph_style(document, "MF Answer", size=10.5, after=0)
    _paragraph_style(document, "MF Cell", size=9.5, after=0)
    _paragraph_style(document, "MF Tick", size=12, after=0)  # the box's font and size, as MF Box's
    tick = document.styles["MF Tick"]
    tick.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tick.font.name = "MS Gothic"
    tick.element.rPr.rFonts.set(qn("w:eastAsia"), "MS Gothic")
    _paragraph_style(document, "MF Small", size=8, color=GREY, after=0)
    _paragraph_style(document, "MF Info", size=10, after=3)
    box = document.styles.add_style("MF Box", WD_STYLE_TYPE.CHARACTER)
    box.font.name = "MS Gothic"
    box.font.size = Pt(12)
    box.element.rPr.rFonts.set(qn("w:eastAsia"), "MS Gothic")
    placeholder = document.styles.add_style("Placeholder Text", WD_STYLE_TYPE.CHARACTER)
    placeholder.font.color.rgb = RGBColor.from_string(PLACEHOLDER)  # 5.7:1 on white
    styles = document.styles.element
    for old in list(styles):
        if old.get(qn("w:styleId")) in parts.STRUCTURE_STYLE_IDS:
            styles.remove(old)
    for xml in parts.structure_styles(ACCENT, GREY, CONTENT_WIDTH, x.BULLETS):
        styles.append(parse_xml(xml))
    styles.append(parse_xml(parts.table_style()))
    lang = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang is not None
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)

    header = section.header.paragraphs[0]
    if isinstance(logo, tuple):  # given as bytes: named as the file of that name would be
        picture = header.add_run().add_picture(io.BytesIO(logo[1]), height=Cm(0.9))
        picture._inline.graphic.graphicData.pic.nvPicPr.cNvPr.name = PurePath(logo[0]).name
    elif logo is not None:
        header.add_run().add_picture(str(logo), height=Cm(0.9))
    header.add_run(HEADER_MARK)
    footer = section.footer.paragraphs[0]
    footer.text = FOOTER_MARK
    document.add_paragraph(BODY_MARK)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _with_custom_properties(package: ZipSkeleton) -> ZipSkeleton:
    types = parts.with_content_type(
        package.read("[Content_Types].xml").decode(), "/docProps/custom.xml", CUSTOM_PROPS_CONTENT_TYPE
    )
    rels = parts.with_relationship(
        package.read("_rels/.rels").decode(), "rIdMfCustom", CUSTOM_PROPS_REL, "docProps/custom.xml"
    )
    stamped = package.stamp(
        {"[Content_Types].xml": types.encode(), "_rels/.rels": rels.encode()},
        add={"docProps/custom.xml": parts.EMPTY_CUSTOM_PROPERTIES},
    )
    return ZipSkeleton.from_bytes(stamped)


def _split_part(package: ZipSkeleton, prefix: str, mark: str) -> tuple[str, str]:
    for name in package.names:
        if name.startswith(prefix) and name.endswith(".xml"):
            xml = package.read(name).decode()
            if mark in xml:
                return name, _around_paragraph(xml, mark)
    raise RuntimeError(f"{mark} not found in {prefix}*.xml")


def _around_paragraph(xml: str, mark: str) -> str:
    """``xml`` with the whole paragraph holding ``mark`` replaced by ``mark`` alone."""
    start, end = parts.paragraph_bounds(xml, xml.index(mark))
    return xml[:start] + mark + xml[end:]


def skeleton(logo: Path | tuple[str, bytes] | None = None, language: str = "da-DK") -> Skeleton:
    """The blank form package in ``language`` (a tag: the document's default language, which spelling and
    screen readers follow), with the company's logo in the header when there is one (built once): its file, or
    its file name and bytes."""
    if logo is None:
        return _skeleton(None, 0, language)
    if isinstance(logo, tuple):
        return _skeleton(logo, 0, language)
    return _skeleton(str(logo), logo.stat().st_mtime_ns, language)


def _in_language(package: ZipSkeleton, language: str) -> ZipSkeleton:
    """The package with the language python-docx's template names elsewhere (the theme's fonts, the styles kept
    for Word 2010) set to ``language``."""
    replace: dict[str, bytes | Deflated] = {}
    for name in ("word/settings.xml", "word/stylesWithEffects.xml"):
        if name in package.names:
            xml = package.read(name).decode()
            replace[name] = xml.replace('"en-US"', f'"{language}"').encode()
    return ZipSkeleton.from_bytes(package.stamp(replace)) if replace else package


@lru_cache(maxsize=16)
def _skeleton(logo: str | tuple[str, bytes] | None, _changed: int, language: str) -> Skeleton:
    built = ZipSkeleton.from_bytes(_build(Path(logo) if isinstance(logo, str) else logo, language))
    package = _with_custom_properties(_in_language(built, language))
    document = _around_paragraph(package.read("word/document.xml").decode(), BODY_MARK)
    logo_run = ""
    for name in package.names:
        if name.startswith("word/header") and name.endswith(".xml"):
            logo_run = parts.picture_run(package.read(name).decode())
    header = _split_part(package, "word/header", HEADER_MARK)
    footer = _split_part(package, "word/footer", FOOTER_MARK)
    return Skeleton(package, document, header, footer, logo_run)
