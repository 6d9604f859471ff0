"""The web format: its renderer, for the ``render`` front.

A rating or a single choice is one input here (a radio group whose values are the choices). A web form comes
back as the fields a browser submits, not as a file: ``parse_submission`` reads it; ``parse`` refuses a page.
"""

from __future__ import annotations

from collections.abc import Mapping

from musforms._core.package import Package
from musforms._formats.interface import FileFormat, FormReader, Values
from musforms._model.context import Context
from musforms._model.fields import Role
from musforms._model.filled import FormIdentity
from musforms._model.template import Template
from musforms.errors import NotAFormError

__all__ = ["HTML"]


def _render(
    template: Template,
    role: Role,
    context: Context,
    values: Values,
    identity: FormIdentity,
    properties: Mapping[str, str],
) -> bytes:
    from musforms._formats.html.document import page_bytes

    return page_bytes(template, role, context, values, identity, properties)


def _reader(package: Package) -> FormReader:
    raise NotAFormError(
        f"{package.name}: a web form is not read from a file; read the submitted fields with parse_submission"
    )


HTML = FileFormat(
    name="html",
    choices_as="list",
    properties={},
    render=_render,
    reader=_reader,
)
"""The web format."""
