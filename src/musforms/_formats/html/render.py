"""``render_html``: a personalised web form (a page or a fragment), with its Content-Security-Policy."""

from __future__ import annotations

from collections.abc import Mapping

from musforms._formats.interface import Values
from musforms._model.context import Context
from musforms._model.fields import Role
from musforms._model.filled import FormIdentity
from musforms._model.template import Template
from musforms.errors import RenderError

__all__ = ["page_bytes"]


def page_bytes(
    template: Template,
    role: Role,
    context: Context,
    values: Values,
    identity: FormIdentity,
    properties: Mapping[str, str],
) -> bytes:
    """The whole page as UTF-8 bytes."""
    raise RenderError("the web form is not available yet")
