"""Stamp one Word form: the compiled layout filled with a person's context, answers and identity."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from musforms._core.core_properties import form_properties
from musforms._core.i18n import confidential_line, form_mark, managers_copy
from musforms._formats.docx import ooxml as x
from musforms._formats.docx.document import EDGE_TABS, page_footer, word_document
from musforms._formats.docx.layout import Stamp, compile_layout
from musforms._model.context import Context
from musforms._model.fields import Role
from musforms._model.filled import FormIdentity
from musforms._model.template import Template
from musforms._text.form_facts import company_name, form_facts
from musforms._text.sandbox import text_scope

__all__ = ["render_docx"]


def _header(template: Template, role: Role, context: Context, logo_run: str) -> str:
    """The header line: the company's logo and name, and which form it is on the right (in bold on the manager's
    preparation, :func:`musforms._core.i18n.form_mark`)."""
    company = company_name(template, context)
    name = x.run(("  " if logo_run else "") + company, bold=True, size=9)
    bold = managers_copy(template.purpose, role)
    mark = x.run("\t" + form_mark(template.purpose, role, template.language), size=8, color="595959", bold=bold)
    return x.para(logo_run + name + mark, style="Header", tabs=EDGE_TABS)


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
        header=partial(_header, template, role, context),
        footer=page_footer(template.language, confidential_line(identity.form_id, template.language)),
        properties=properties,
        about=form_properties(template, role, context),
        logo=template.logo_image,
    )
