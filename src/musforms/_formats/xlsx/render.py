"""Stamp one Excel form: the compiled workbook filled with a person's context, answers and identity.

No openpyxl here: the sheets are joined from their pieces, ``docProps/custom.xml`` is written anew, and
every other part of the package keeps its compressed bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from musforms._core.identity import identity_properties, write_custom_properties
from musforms._core.zipstamp import Deflated
from musforms._formats.xlsx.cells import MAX_CELL_TEXT
from musforms._formats.xlsx.plan import Stamp
from musforms._formats.xlsx.skeleton import compiled
from musforms._model.context import Context
from musforms._model.fields import Role
from musforms._model.filled import FormIdentity
from musforms._model.template import Template

__all__ = ["render_xlsx"]


def render_xlsx(
    template: Template,
    role: Role,
    context: Context,
    answers: Mapping[str, Any],
    identity: FormIdentity,
    *,
    password: str | None = None,
) -> bytes:
    """The .xlsx bytes of one form; ``answers`` are validated answer values by field id.

    The form sheet is protected (only answer cells are unlocked), without a password unless one is given.
    """
    book = compiled(template, role, password)
    stamp = Stamp(context=context, answers=answers, identity=identity, template=template)
    for field_id in answers:
        for x in book.plan.by_field.get(field_id, ()):
            value = stamp.value(field_id, x.part)
            if isinstance(value, str) and len(value) > MAX_CELL_TEXT:
                from musforms.errors import RenderError

                raise RenderError(
                    f"answer '{field_id}' is {len(value):,} characters long; an Excel cell holds {MAX_CELL_TEXT:,}"
                )
    replace: dict[str, bytes | Deflated] = {
        part: pieces.deflated(stamp) for part, pieces in book.sheets.items() if not pieces.fixed
    }
    replace["docProps/custom.xml"] = write_custom_properties(identity_properties(identity, context))
    return book.package.stamp(replace)
