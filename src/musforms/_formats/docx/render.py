"""Stamp one Word form: the compiled layout filled with a person's context, answers and identity."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from musforms._core.core_properties import form_properties
from musforms._core.i18n import form_identity, form_subtitle, words
from musforms._formats.docx import ooxml as x
from musforms._formats.docx.document import EDGE_TABS, page_footer, word_document
from musforms._formats.docx.layout import Stamp, compile_layout
from musforms._model.context import Context
from musforms._model.fields import Role
from musforms._model.filled import FormIdentity
from musforms._model.template import Template
from musforms._text.form_facts import company_name, form_facts
from musforms._text.sandbox import text_scope

__all__ = ["footer_text", "header_mark", "render_docx"]


def header_mark(template: Template, role: Role) -> str:
    """What a form's header says on the right of every page: which form it is (its subtitle, not the title page
    1 prints in large type), and for the manager's preparation that it is the manager's confidential copy."""
    w = words(template.language)
    if template.purpose == "preparation" and role == "manager":
        return w["manager_copy"]
    return form_subtitle(template.purpose, role, template.language)


def _header(template: Template, role: Role, context: Context, logo_run: str) -> str:
    """The header line: the company's logo and name, and which form it is on the right (:func:`header_mark`)."""
    company = company_name(template, context)
    name = x.run(("  " if logo_run else "") + company, bold=True, size=9)
    confidential = template.purpose == "preparation" and role == "manager"
    mark = x.run("\t" + header_mark(template, role), size=8, color="595959", bold=confidential)
    return x.para(logo_run + name + mark, style="Header", tabs=EDGE_TABS)


def footer_text(template: Template, form_id: str) -> str:
    """What a form's footer prints at the right margin: that it is confidential, and the form's short number."""
    w = words(template.language)
    return f"{w['confidential']} · {form_identity(form_id, template.language)}"


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
        footer=page_footer(template.language, footer_text(template, identity.form_id)),
        properties=properties,
        about=form_properties(template, role, context),
        logo=template.logo_image,
    )
