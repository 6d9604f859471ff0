"""Stamp one Word form: the compiled layout filled with a person's context, answers and identity."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from musforms._core.i18n import form_identity, form_subtitle, language_tag, words
from musforms._formats.docx import ooxml as x
from musforms._formats.docx.document import EDGE_TABS, DocumentProperties, page_footer, word_document
from musforms._formats.docx.layout import Stamp, compile_layout
from musforms._model.context import Context
from musforms._model.fields import Role
from musforms._model.filled import FormIdentity
from musforms._model.template import Template
from musforms._text.form_facts import company_of, form_facts
from musforms._text.readable import readable_label
from musforms._text.sandbox import text_scope

__all__ = ["company_name", "render_docx"]


def company_name(template: Template, context: Context | None) -> str:
    """The company a document is from: the template's, else the context's (empty when neither names one); the
    same company the form's texts name (:func:`musforms._text.form_facts.company_of`)."""
    company = company_of(template, context)
    return company.name if company is not None else ""


def _header(template: Template, context: Context, logo_run: str) -> str:
    """The header line: the company's logo and name, and the form's title on the right."""
    company = company_name(template, context)
    name = x.run(("  " if logo_run else "") + company, bold=True, size=9)
    title = x.run("\t" + readable_label(template.title, context, template.language), size=8, color="595959")
    return x.para(logo_run + name + title, style="Header", tabs=EDGE_TABS)


def render_docx(
    template: Template,
    role: Role,
    context: Context,
    values: dict[str, dict[str, str | bool]],
    identity: FormIdentity,
    properties: Mapping[str, str],
) -> bytes:
    """The .docx bytes of one form; ``values`` come from :func:`musforms._core.codec.encode` per field;
    ``properties`` are its custom properties, made by the render front (the identity, signed when asked)."""
    with text_scope(role, form_facts(template)):  # every text of the form: for this reader, about this form
        return _document(template, role, context, values, identity, properties)


def _document(
    template: Template,
    role: Role,
    context: Context,
    values: dict[str, dict[str, str | bool]],
    identity: FormIdentity,
    properties: Mapping[str, str],
) -> bytes:
    layout = compile_layout(template, role)
    stamp = Stamp(context=context, values=values, identity=identity)
    return word_document(
        partial(layout.deflated, stamp),
        header=partial(_header, template, context),
        footer=page_footer(template.language, form_identity(identity.form_id, template.language)),
        properties=properties,
        about=DocumentProperties(
            readable_label(template.title, context, template.language),
            subject=form_subtitle(template.purpose, role, template.language),
            author=company_name(template, context),
            keywords=", ".join((words(template.language)["keywords"], template.id)),
            language=language_tag(template.language),
        ),
        logo=template.logo_image,
    )
