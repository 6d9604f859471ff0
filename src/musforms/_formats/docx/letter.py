"""A letter as a Word document (the invitation), made from the same package as the forms."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from musforms._core.i18n import language_tag
from musforms._formats.docx import ooxml as x
from musforms._formats.docx.document import DocumentProperties, word_document
from musforms._text.dates import date_in_words

__all__ = ["render_letter", "unbroken_dates"]


_MONTH_NAMES = "|".join(
    date_in_words(dt.date(2000, month, 1), language).split()[1] for language in ("da", "en") for month in range(1, 13)
)
_DATE = re.compile(rf"\b(\d{{1,2}}\.?) ({_MONTH_NAMES}) (\d{{4}})\b")


def unbroken_dates(text: str) -> str:
    """``text`` with each date in words (``16. marts 2026``, ``16 March 2026``) kept on one line (no-break
    spaces): a heading does not break between a date's day and its month."""
    return _DATE.sub(lambda m: "\u00a0".join(m.groups()), text)


def _list(items: list[str]) -> str:
    """A bulleted list of ``items``, with room after its last item."""
    last = len(items) - 1
    return "".join(x.list_item(x.run(item), space_after=120 if i == last else None) for i, item in enumerate(items))


def _paragraphs(body: str) -> str:
    """The body's paragraphs: blank lines separate them; lines starting with ``- `` are items of a bulleted
    list (list paragraphs); other line breaks are kept."""
    out: list[str] = []
    for block in body.strip().split("\n\n"):
        text: list[str] = []
        items: list[str] = []
        for line in block.split("\n"):
            if line.lstrip().startswith("- "):
                if text:
                    out.append(x.para(x.run("\n".join(text)), style="MFIntro", keep_next=True))
                    text = []
                items.append(line.lstrip()[2:])
            elif line.strip() or text:
                if items:
                    out.append(_list(items))
                    items = []
                text.append(line.rstrip())
        if items:
            out.append(_list(items))
        if text:
            out.append(x.para(x.run("\n".join(text)), style="MFIntro"))
    return "".join(out)


def render_letter(
    subject: str,
    body: str,
    *,
    sender: str = "",
    date_line: str = "",
    logo: Path | tuple[str, bytes] | None = None,
    language: str = "da",
) -> bytes:
    """A one-document letter in ``language``: the sender (company) in the header, the date, the subject (the
    letter's heading and title), then the body.

    Blank lines separate paragraphs; lines starting with ``- `` are list items; other line breaks are kept.
    """
    content = ""
    if date_line:
        content += x.para(x.run(date_line), style="MFCell", align="right", space_after=240)
    content += x.para(x.run(unbroken_dates(subject)), style="MFSection") + _paragraphs(unbroken_dates(body))

    def header(logo_run: str) -> str:
        return x.para(logo_run + x.run(("  " if logo_run else "") + sender, bold=True, size=9), style="Header")

    return word_document(
        content,
        header=header,
        footer=x.para("", style="Footer"),
        properties={"musforms.document": "invitation"},
        about=DocumentProperties(subject, author=sender, language=language_tag(language)),
        logo=logo,
    )
