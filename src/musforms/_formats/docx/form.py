"""The Word format: its renderer and its reader, for the ``render`` and ``parse`` fronts.

A rating or a single choice is a tick box for each point or option here. The renderer is imported when a
document is first made (the package skeleton is built with python-docx); reading needs only lxml.
"""

from __future__ import annotations

from collections.abc import Mapping

from musforms._formats.docx.parse import DocumentReader
from musforms._formats.docx.stamping import LAYOUT_PROPERTY, LAYOUT_VERSION
from musforms._formats.interface import FileFormat, Values
from musforms._model.context import Context
from musforms._model.fields import Role
from musforms._model.filled import FormIdentity
from musforms._model.template import Template

__all__ = ["DOCX"]


def _render(
    template: Template,
    role: Role,
    context: Context,
    values: Values,
    identity: FormIdentity,
    properties: Mapping[str, str],
) -> bytes:
    from musforms._formats.docx.render import render_docx

    return render_docx(template, role, context, values, identity, properties)


DOCX = FileFormat(
    name="docx",
    choices_as="ticks",
    properties={LAYOUT_PROPERTY: LAYOUT_VERSION},
    render=_render,
    reader=DocumentReader,
)
"""The Word format."""
