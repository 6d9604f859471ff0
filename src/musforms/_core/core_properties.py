"""A package's core properties (``docProps/core.xml``, the same part in a Word document and a workbook): its title,
subject, author (the company), keywords and language, and when it was made; and what a form says there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from musforms._core.i18n import form_subtitle, language_tag, words
from musforms._core.xmltext import esc
from musforms._model.context import Context
from musforms._model.fields import Role
from musforms._model.template import Template
from musforms._text.form_facts import company_name
from musforms._text.readable import readable_label

__all__ = ["DocumentProperties", "core_properties", "form_properties"]


@dataclass(frozen=True)
class DocumentProperties:
    """What a document says about itself in its core properties (``docProps/core.xml``)."""

    title: str
    subject: str = ""
    author: str = ""
    """The company."""
    keywords: str = ""
    language: str = ""
    """A language tag (``da-DK``)."""


_CORE_NS = (
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)


def core_properties(properties: DocumentProperties, when: dt.datetime | None = None) -> bytes:
    """``docProps/core.xml``: title, subject, author, keywords and language, created and modified ``when``
    (now, by default)."""
    moment = (when or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    p = properties

    def text(tag: str, value: str) -> str:
        return f"<{tag}>{esc(value)}</{tag}>" if value else ""

    xml = (
        f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n<cp:coreProperties {_CORE_NS}>"
        + text("dc:title", p.title)
        + text("dc:subject", p.subject)
        + text("dc:creator", p.author)
        + text("cp:keywords", p.keywords)
        + text("dc:language", p.language)
        + text("cp:lastModifiedBy", p.author)
        + "<cp:revision>1</cp:revision>"
        + f'<dcterms:created xsi:type="dcterms:W3CDTF">{moment}</dcterms:created>'
        + f'<dcterms:modified xsi:type="dcterms:W3CDTF">{moment}</dcterms:modified>'
        + "</cp:coreProperties>"
    )
    return xml.encode("utf-8")


def form_properties(template: Template, role: Role, context: Context | None) -> DocumentProperties:
    """What a form of ``template`` for ``role`` says about itself: its title as printed, which form it is, the
    company it is from (the template's, else the context's), MUS and the template's id, its language."""
    return DocumentProperties(
        readable_label(template.title, context, template.language),
        subject=form_subtitle(template.purpose, role, template.language),
        author=company_name(template, context),
        keywords=", ".join((words(template.language)["keywords"], template.id)),
        language=language_tag(template.language),
    )
