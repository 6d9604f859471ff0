"""``render_html``: a personalised web form (a whole page or a fragment to place in an application's page),
with the Content-Security-Policy that allows its inline style and script."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from musforms._core.carry import Previous
from musforms._core.signing import SigningKey
from musforms._formats.html.assets import check_nonce, content_security_policy
from musforms._formats.html.document import markup
from musforms._formats.html.page import Page, shown_values
from musforms._formats.render import prepare
from musforms._loading.loader import TemplateSource
from musforms._model.context import Context
from musforms._model.fields import Role
from musforms._model.filled import FormIdentity, Issue
from musforms._model.template import Template
from musforms._text.form_facts import form_facts
from musforms._text.sandbox import text_scope
from musforms.errors import RenderError

__all__ = ["WebForm", "render_html"]


@dataclass(frozen=True)
class WebForm:
    """A rendered web form: its markup, the Content-Security-Policy to serve it with, and its identity."""

    html: str
    """A whole HTML5 document, or (rendered with ``fragment=True``) a ``<style>``, a ``<form>`` and a
    ``<script>`` to place inside an application's own page."""
    csp: str
    """A ``Content-Security-Policy`` header value that allows exactly the form's inline style and script (by
    the nonce given, else by their sha256 hashes) and nothing from elsewhere (images from ``data:`` only)."""
    identity: FormIdentity
    """The form's identity (its ``form_id`` is what a submission of it comes back with)."""


def render_html(
    template: Template | TemplateSource,
    *,
    role: Role,
    context: Context | Mapping[str, Any],
    answers: Mapping[str, Any] | None = None,
    issues: Iterable[Issue] | None = None,
    fragment: bool = False,
    nonce: str | None = None,
    action: str = "",
    method: str = "post",
    previous: Previous | None = None,
    form_id: str | None = None,
    signing_key: SigningKey | None = None,
) -> WebForm:
    """Render ``template``'s form for ``role`` as a web form: one self-contained HTML5 page (inline style and
    script, the logo inlined, nothing fetched), or with ``fragment`` the ``<form>`` with its ``<style>`` and
    ``<script>`` to place inside an application's page.

    ``context``, ``answers``, ``previous``, ``form_id`` and ``signing_key`` are as for :func:`~musforms.render`.
    ``issues`` are the problems of a submission (``FilledForm.issues``): each is shown next to its field (the
    control marked ``aria-invalid`` and described by the message) and in a summary at the top that links to the
    fields; the text of an invalid value (``Issue.raw``) is shown back in its control, so that nothing typed is
    lost. Pass the submission's ``answers`` and ``form_id`` with them to show the form again as it was sent.

    ``action`` and ``method`` (``post`` or ``get``) are where and how the form is sent. ``nonce`` is the
    Content-Security-Policy nonce the page is served with (8 to 256 base64 characters), written on the inline
    ``<style>`` and ``<script>``; without it, :attr:`WebForm.csp` allows them by their sha256 hashes.
    The page works without its script, which only adds agreement rows as they are needed, counts characters
    and warns before leaving with unsaved changes.
    """
    checked = check_nonce(nonce)
    if method.lower() not in ("post", "get"):
        raise RenderError(f"method must be 'post' or 'get', not {method!r}")
    if not isinstance(action, str):
        raise RenderError(f"action must be a string (the address the form is sent to), not {type(action).__name__}")
    if re.match(r"(?i)\s*(javascript|data|vbscript):", action):
        raise RenderError(f"action must be the address the form is sent to, not a script or data URL: {action!r}")
    _file, (resolved, role, ctx, values, identity, properties) = prepare(
        template,
        "html",
        role=role,
        context=context,
        answers=answers,
        previous=previous,
        form_id=form_id,
        signing_key=signing_key,
    )
    page = Page(
        resolved,
        role,
        ctx,
        shown_values(resolved, role, values),
        identity,
        properties,
        issues=tuple(issues or ()),
        action=action,
        method=method.lower(),
        nonce=checked,
    )
    with text_scope(role, form_facts(resolved)):  # every text of the form: for this reader, about this form
        html = markup(page, fragment)
    return WebForm(html=html, csp=content_security_policy(checked), identity=identity)
