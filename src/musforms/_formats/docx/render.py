"""Stamp one Word form: the compiled layout filled with a person's context, answers and identity."""

from __future__ import annotations

from musforms._core.i18n import words
from musforms._core.identity import identity_properties, write_custom_properties
from musforms._core.signing import SigningKey
from musforms._formats.docx import ooxml as x
from musforms._formats.docx.layout import LAYOUT_PROPERTY, LAYOUT_VERSION, Stamp, compile_layout
from musforms._formats.docx.skeleton import CONTENT_WIDTH, skeleton
from musforms._model.context import Context
from musforms._model.fields import Role
from musforms._model.filled import FormIdentity
from musforms._model.template import Template

__all__ = ["render_docx"]


_TABS = (
    '<w:tabs><w:tab w:val="clear" w:pos="4513"/><w:tab w:val="clear" w:pos="9026"/>'
    f'<w:tab w:val="right" w:pos="{CONTENT_WIDTH}"/></w:tabs>'
)


def _header(template: Template, context: Context, logo_run: str) -> str:
    """The header line: the company's logo and name, and the form's title on the right."""
    company = (template.company.name if template.company else None) or (context.company.name if context.company else "")
    name = x.run(("  " if logo_run else "") + (company or ""), bold=True, size=9)
    title = x.run("\t" + template.title, size=8, color="595959")
    return x.para(logo_run + name + title, style="Header").replace("<w:pPr>", "<w:pPr>" + _TABS, 1)


def _footer(template: Template, identity: FormIdentity) -> str:
    w = words(template.language)

    def field(instruction: str) -> str:
        return f'<w:fldSimple w:instr=" {instruction} ">{x.run("1", size=8)}</w:fldSimple>'

    page = x.run(f"{w['page']} ", size=8) + field("PAGE") + x.run(f" {w['of']} ", size=8) + field("NUMPAGES")
    ident = x.run(f"\t{w['form_identity']} {identity.form_id[:8]}", size=7, color="808080")
    return x.para(page + ident, style="Footer").replace("<w:pPr>", "<w:pPr>" + _TABS, 1)


def render_docx(
    template: Template,
    role: Role,
    context: Context,
    values: dict[str, dict[str, str | bool]],
    identity: FormIdentity,
    *,
    signing_key: SigningKey | None = None,
) -> bytes:
    """The .docx bytes of one form; ``values`` come from :func:`musforms._core.codec.encode` per field; with
    ``signing_key`` the identity is signed (see :mod:`musforms._core.signing`)."""
    layout = compile_layout(template, role)
    stamp = Stamp(context=context, values=values, identity=identity)
    sk = skeleton(template.logo_file)
    document = layout.deflated(stamp, sk.document_head, sk.document_tail)
    header = sk.header_head + _header(template, context, sk.logo_run) + sk.header_tail
    footer = sk.footer_head + _footer(template, identity) + sk.footer_tail
    return sk.package.stamp(
        {
            "word/document.xml": document,
            sk.header_name: header.encode("utf-8"),
            sk.footer_name: footer.encode("utf-8"),
            "docProps/custom.xml": write_custom_properties(
                {**identity_properties(identity, context, signing_key=signing_key), LAYOUT_PROPERTY: LAYOUT_VERSION}
            ),
        }
    )
