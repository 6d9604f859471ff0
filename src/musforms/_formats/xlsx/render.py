"""Stamp one Excel form: the compiled workbook filled with a person's context, answers and identity.

No openpyxl here: the sheets are joined from their pieces, ``docProps/custom.xml`` is written with the
properties the render front made, ``docProps/core.xml`` with the form's title, company and time, and every other
part of the package keeps its compressed bytes.
"""

from __future__ import annotations

from collections.abc import Mapping

from musforms._core.core_properties import core_properties, form_properties
from musforms._core.identity import write_custom_properties
from musforms._core.package import CUSTOM_PART
from musforms._core.zipstamp import Deflated
from musforms._formats.interface import Values
from musforms._formats.xlsx.cells import MAX_CELL_TEXT
from musforms._formats.xlsx.sheets import Stamp
from musforms._formats.xlsx.skeleton import compiled
from musforms._model.context import Context
from musforms._model.fields import Role
from musforms._model.filled import FormIdentity
from musforms._model.template import Template
from musforms._text.form_facts import form_facts
from musforms._text.sandbox import text_scope
from musforms.errors import RenderError

__all__ = ["render_xlsx"]

CORE_PART = "docProps/core.xml"


def render_xlsx(
    template: Template,
    role: Role,
    context: Context,
    values: Values,
    identity: FormIdentity,
    properties: Mapping[str, str],
    *,
    password: str | None = None,
) -> bytes:
    """The .xlsx bytes of one form; ``values`` are what the answer cells show (from
    :func:`musforms._core.codec.encode`, with pick lists), ``properties`` the custom properties (the identity,
    signed when asked).

    The form sheet is protected (only answer cells are unlocked), without a password unless one is given.
    """
    with text_scope(role, form_facts(template)):  # every text of the form: for this reader, about this form
        return _render(template, role, context, values, identity, properties, password)


def _render(
    template: Template,
    role: Role,
    context: Context,
    values: Values,
    identity: FormIdentity,
    properties: Mapping[str, str],
    password: str | None,
) -> bytes:
    book = compiled(template, role, password)
    stamp = Stamp(context=context, values=values, identity=identity)
    for field_id in values:
        for anchor in book.layout.by_field.get(field_id, ()):
            value = stamp.value(anchor)
            if isinstance(value, str) and len(value) > MAX_CELL_TEXT:
                raise RenderError(
                    f"answer '{field_id}' is {len(value):,} characters long; an Excel cell holds {MAX_CELL_TEXT:,}"
                )
    replace: dict[str, bytes | Deflated] = {
        part: pieces.deflated(stamp) for part, pieces in book.sheets.items() if not pieces.fixed
    }
    replace[CUSTOM_PART] = write_custom_properties(properties)
    replace[CORE_PART] = core_properties(form_properties(template, role, context))
    return book.package.stamp(replace)
