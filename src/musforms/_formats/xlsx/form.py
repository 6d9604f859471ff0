"""The Excel format: its renderer and its reader, for the ``render`` and ``parse`` fronts.

A rating or a single choice is one pick list here. The renderer is imported when a workbook is first made (it
compiles the blank workbook with openpyxl); reading needs only lxml.
"""

from __future__ import annotations

from collections.abc import Mapping

from musforms._formats.interface import FileFormat, Values
from musforms._formats.xlsx.names import LAYOUT_PROPERTY, LAYOUT_VERSION
from musforms._formats.xlsx.parse import WorkbookReader
from musforms._model.context import Context
from musforms._model.fields import Role
from musforms._model.filled import FormIdentity
from musforms._model.template import Template

__all__ = ["XLSX"]


def _render(
    template: Template,
    role: Role,
    context: Context,
    values: Values,
    identity: FormIdentity,
    properties: Mapping[str, str],
) -> bytes:
    from musforms._formats.xlsx.render import render_xlsx

    return render_xlsx(template, role, context, values, identity, properties)


XLSX = FileFormat(
    name="xlsx",
    choices_as="list",
    properties={LAYOUT_PROPERTY: LAYOUT_VERSION},
    render=_render,
    reader=WorkbookReader,
)
"""The Excel format."""
