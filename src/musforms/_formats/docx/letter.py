"""A letter as a Word document (the invitation), stamped from the same package as the forms."""

from __future__ import annotations

from pathlib import Path

from musforms._core.identity import write_custom_properties
from musforms._formats.docx import ooxml as x
from musforms._formats.docx.skeleton import CONTENT_WIDTH, skeleton

__all__ = ["render_letter"]

_TABS = f'<w:tabs><w:tab w:val="right" w:pos="{CONTENT_WIDTH}"/></w:tabs>'


def _paragraphs(body: str) -> str:
    out: list[str] = []
    for block in body.strip().split("\n\n"):
        lines = block.split("\n")
        if all(line.lstrip().startswith("- ") for line in lines if line.strip()):
            out.extend(x.para(x.run("•\t" + line.lstrip()[2:]), style="MFBullet") for line in lines if line.strip())
        else:
            out.append(x.para(x.run("\n".join(line.rstrip() for line in lines)), style="MFIntro"))
    return "".join(out)


def render_letter(subject: str, body: str, *, sender: str = "", date_line: str = "", logo: Path | None = None) -> bytes:
    """A one-document letter: the sender (company) in the header, the date, the subject, then the body.

    Blank lines separate paragraphs; lines starting with ``- `` are bullets; other line breaks are kept.
    """
    sk = skeleton(logo)
    content = ""
    if date_line:
        content += x.para(x.run(date_line), style="MFCell", align="right", space_after=240)
    content += x.para(x.run(subject), style="MFSection") + _paragraphs(body)
    document = sk.document_head + content + sk.document_tail
    header = (
        sk.header_head
        + x.para(sk.logo_run + x.run(("  " if sk.logo_run else "") + sender, bold=True, size=9), style="Header")
        + sk.header_tail
    )
    footer = sk.footer_head + x.para("", style="Footer") + sk.footer_tail
    return sk.package.stamp(
        {
            "word/document.xml": document.encode("utf-8"),
            sk.header_name: header.encode("utf-8"),
            sk.footer_name: footer.encode("utf-8"),
            "docProps/custom.xml": write_custom_properties({"musforms.document": "invitation"}),
        }
    )
