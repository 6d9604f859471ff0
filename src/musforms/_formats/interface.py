"""What a file format offers the ``render`` and ``parse`` fronts: a renderer, and a reader of its packages.

The fronts do everything that is the same for every format: they check the role and the context, encode the
answers (:func:`musforms._core.codec.encode`), write the identity's custom properties (signed when asked), find
the template a parsed form names, and turn what a reader found into answers and issues
(:func:`musforms._core.reading.answers_and_issues`). A format only places the inputs and finds them again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from musforms._core.binding import ChoicesAs
from musforms._core.package import Package
from musforms._core.reading import Found
from musforms._model.context import Context
from musforms._model.fields import Role
from musforms._model.filled import FormIdentity
from musforms._model.template import Template

__all__ = ["FileFormat", "FormReader", "Format", "Renderer", "Values"]

Format = Literal["docx", "xlsx", "html"]
"""The name of a file format."""

Values = dict[str, dict[str, str | bool]]
"""Prefilled answers as their inputs show them: field id → input part → text or tick."""


class Renderer(Protocol):
    """Makes one form's file, with ``properties`` (the identity, signed when asked, and the format's own) as
    its custom document properties."""

    def __call__(
        self,
        template: Template,
        role: Role,
        context: Context,
        values: Values,
        identity: FormIdentity,
        properties: Mapping[str, str],
    ) -> bytes: ...


class FormReader(Protocol):
    """Reads one package of the format."""

    def identity(self) -> tuple[FormIdentity, Context | None]:
        """The form's identity and context (``NotAFormError`` when the package holds none)."""
        ...

    def read(self, template: Template, identity: FormIdentity, context: Context | None) -> Found:
        """What the form's inputs hold, and what was found outside them."""
        ...


@dataclass(frozen=True)
class FileFormat:
    """A file format of forms: its name, how it shows choices, what it adds to the identity, and its two ends."""

    name: Format
    choices_as: ChoicesAs
    """A rating or a single choice as a tick box for each point or option, or as one pick list."""
    properties: Mapping[str, str]
    """Custom properties written into every form of the format, after the identity's."""
    render: Renderer
    reader: Callable[[Package], FormReader]
