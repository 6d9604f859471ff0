"""A letter as a Word document (the invitation), made from the same package as the forms."""

from __future__ import annotations

from pathlib import Path

from musforms._formats.docx import ooxml as x
from musforms._formats.docx.document import word_document

__all__ = ["render_letter"]


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
    content = ""
    if date_line:
        content += x.para(x.run(date_line), style="MFCell", align="right", space_after=240)
    content += x.para(x.run(subject), style="MFSection") + _paragraphs(body)

    def header(logo_run: str) -> str:
        return x.para(logo_run + x.run(("  " if logo_run else "") + sender, bold=True, size=9), style="Header")

    return word_document(
        content,
        header=header,
        footer=x.para("", style="Footer"),
        properties={"musforms.document": "invitation"},
        logo=logo,
    )
