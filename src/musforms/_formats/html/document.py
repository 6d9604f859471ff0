"""A web form's whole markup: the HTML5 page (or the fragment) around the form, with its inline style and script."""

from __future__ import annotations

from collections.abc import Mapping

from musforms._formats.html.assets import SCRIPT, STYLE
from musforms._formats.html.page import Page, form_markup, shown_values
from musforms._formats.interface import Values
from musforms._model.context import Context
from musforms._model.fields import Role
from musforms._model.filled import FormIdentity
from musforms._model.template import Template

__all__ = ["markup", "page_bytes"]


def markup(page: Page, fragment: bool) -> str:
    """The page: a whole HTML5 document, or with ``fragment`` the ``<style>``, ``<form>`` and ``<script>`` alone
    (the inline blocks carry the page's nonce, if any)."""
    form, title, language = form_markup(page)
    nonce = f' nonce="{page.nonce}"' if page.nonce else ""
    style = f"<style{nonce}>{STYLE}</style>"
    script = f"<script{nonce}>{SCRIPT}</script>"
    if fragment:
        return f"{style}\n{form}\n{script}\n"
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{title}</title>\n{style}\n</head>\n"
        f'<body class="mf-page">\n<main>\n{form}\n</main>\n{script}\n</body>\n</html>\n'
    )


def page_bytes(
    template: Template,
    role: Role,
    context: Context,
    values: Values,
    identity: FormIdentity,
    properties: Mapping[str, str],
) -> bytes:
    """The whole page as UTF-8 bytes (the ``render`` front's ``"html"`` format): sent back to the address it
    was served from, its inline blocks allowed by their hashes."""
    page = Page(template, role, context, shown_values(template, role, values), identity, properties)
    return markup(page, fragment=False).encode("utf-8")
