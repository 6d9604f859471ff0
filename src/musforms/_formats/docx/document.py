"""Assemble a Word document: the skeleton's package with a body, a header line, a footer line, core and custom
properties. Every Word file musforms writes (the forms, the talk form, the invitation letter) is made here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from musforms._core.core_properties import DocumentProperties, core_properties
from musforms._core.i18n import words
from musforms._core.identity import write_custom_properties
from musforms._core.zipstamp import Deflated
from musforms._formats.docx import ooxml as x
from musforms._formats.docx import ooxml_parts as parts
from musforms._formats.docx.skeleton import CONTENT_WIDTH, skeleton

__all__ = ["EDGE_TABS", "BodyWriter", "DocumentProperties", "HeaderWriter", "page_footer", "word_document"]

EDGE_TABS = (("clear", 4680), ("clear", 9360), ("right", CONTENT_WIDTH))
"""The header's and footer's tab stops: the style's centre and right stops cleared, one at the right margin."""

BodyWriter = Callable[[str, str], Deflated]
"""Writes a body between the document's head and tail (both given), deflated: a form's stamped layout."""
HeaderWriter = Callable[[str], str]
"""Writes the header's paragraph, given the run of the company's logo (empty without a logo)."""


def page_footer(language: str, right: str) -> str:
    """A footer line: page n of m, and ``right`` at the right margin in small grey type (7:1 on white)."""
    w = words(language)
    number = x.run("1", size=8)
    page = (
        x.run(f"{w['page']} ", size=8)
        + x.simple_field("PAGE", number)
        + x.run(f" {w['of']} ", size=8)
        + x.simple_field("NUMPAGES", number)
    )
    return x.para(page + x.run(f"\t{right}", size=8, color="595959"), style="Footer", tabs=EDGE_TABS)


def word_document(
    body: str | BodyWriter,
    *,
    header: HeaderWriter,
    footer: str,
    properties: Mapping[str, str],
    about: DocumentProperties,
    logo: Path | tuple[str, bytes] | None = None,
) -> bytes:
    """The .docx bytes of one document: ``body`` (its paragraphs and tables, or a :data:`BodyWriter`), the
    ``header`` and ``footer`` paragraphs, the core properties ``about`` it (its title, subject, the company as
    author, its language, created now) and the custom ``properties``, with ``logo`` in the header when given
    (the company's name, ``about.author``, its alternative text; without a name it is marked decorative).

    The package (page, styles in the document's language, header and footer parts) is built once per logo and
    language, on the first call.
    """
    sk = skeleton(logo, about.language or "da-DK")
    if isinstance(body, str):
        document: bytes | Deflated = (sk.document_head + body + sk.document_tail).encode("utf-8")
    else:
        document = body(sk.document_head, sk.document_tail)
    logo_run = parts.with_alt_text(sk.logo_run, about.author) if sk.logo_run else ""
    return sk.package.stamp(
        {
            "word/document.xml": document,
            sk.header_name: (sk.header_head + header(logo_run) + sk.header_tail).encode("utf-8"),
            sk.footer_name: (sk.footer_head + footer + sk.footer_tail).encode("utf-8"),
            "docProps/core.xml": core_properties(about),
            "docProps/custom.xml": write_custom_properties(properties),
        }
    )
