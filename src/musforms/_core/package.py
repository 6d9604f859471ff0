"""What reading any form's package shares: its parts read within the limits, its custom properties, and the
template its identity names, checked."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lxml import etree

from musforms._core import safety
from musforms._core.identity import read_custom_properties
from musforms._loading import builtins
from musforms._loading.loader import load_template
from musforms._model.filled import FormIdentity, Issue, Location
from musforms._model.template import Template
from musforms.errors import DamagedFileError, FingerprintMismatchError, UnknownTemplateError

__all__ = [
    "CUSTOM_PART",
    "Package",
    "check_identity",
    "custom_properties",
    "read_member",
    "resolve_template",
    "templates_by_id",
    "token",
]

CUSTOM_PART = "docProps/custom.xml"
"""The part holding a package's custom document properties (a form's identity)."""


@dataclass(frozen=True)
class Package:
    """A form's zip package being parsed: its member names, the file's name for messages, the XML parser to
    read its parts with, and its custom properties."""

    archive: zipfile.ZipFile
    names: set[str]
    name: str
    parser: etree.XMLParser
    properties: dict[str, str]

    @classmethod
    def open(cls, archive: zipfile.ZipFile, names: set[str], name: str, parser: etree.XMLParser) -> Package:
        """The package with its custom properties read."""
        return cls(archive, names, name, parser, custom_properties(archive, names, name, parser))

    def read(self, member: str) -> bytes:
        """A part of the package, read within the limits of the current parse."""
        return read_member(self.archive, member, self.name)


def read_member(archive: zipfile.ZipFile, member: str, name: str) -> bytes:
    """A part of the package, read within the limits of the current parse (see :func:`safety.read_member`)."""
    return safety.read_member(archive, member, name)


def custom_properties(archive: zipfile.ZipFile, names: set[str], name: str, parser: etree.XMLParser) -> dict[str, str]:
    """The custom document properties of a package (empty when it has none or they are damaged)."""
    if CUSTOM_PART not in names:
        return {}
    data = read_member(archive, CUSTOM_PART, name)
    try:
        return read_custom_properties(data, parser)
    except etree.XMLSyntaxError as exc:
        error = safety.xml_error(exc, CUSTOM_PART, name)
        if isinstance(error, DamagedFileError):
            return {}  # the identity line in the body may still say which form it is
        raise error from None


def templates_by_id(templates: Iterable[Template] | Mapping[str, Template] | None) -> dict[str, Template] | None:
    """The templates a caller gave, by id (None: the built-ins)."""
    if templates is None:
        return None
    if isinstance(templates, Mapping):
        return dict(templates)
    return {t.id: t for t in templates}


def resolve_template(identity: FormIdentity, given: dict[str, Template] | None) -> Template:
    """The template a form names: among ``given``, or a built-in one when none are given."""
    shown = f"'{token(identity.template_id)}' {token(identity.template_version)}"
    if given is not None:
        if identity.template_id not in given:
            raise UnknownTemplateError(
                f"the form was made from template {shown}, which is "
                f"not among the templates given ({', '.join(sorted(given)) or 'none'})"
            )
        return given[identity.template_id]
    if identity.template_id in builtins.builtin_ids():
        return load_template(identity.template_id)
    raise UnknownTemplateError(
        f"the form was made from template {shown}, which is not a "
        "built-in template; pass it with templates=[load_template(...)]"
    )


_TOKEN = re.compile(r"[A-Za-z0-9_.:+-]{1,80}")


def token(value: str) -> str:
    """An identity value from the file as shown in a message: only if it looks like an id, never free text."""
    return value if _TOKEN.fullmatch(value) else "<not an id>"


def check_identity(
    identity: FormIdentity, templates: dict[str, Template] | None, lenient: bool, name: str
) -> tuple[Template, list[Issue]]:
    """The template a form names, checked against its fingerprint (an issue instead of an error if lenient)."""
    template = resolve_template(identity, templates)
    extra: list[Issue] = []
    if template.fingerprint != identity.fingerprint or template.version != identity.template_version:
        message = (
            f"the form was made from '{token(identity.template_id)}' version {token(identity.template_version)} "
            f"({token(identity.fingerprint)}), but the template given is version {template.version} "
            f"({template.fingerprint})"
        )
        if not lenient:
            raise FingerprintMismatchError(f"{name}: {message}; pass lenient=True to read it anyway")
        extra.append(
            Issue(
                code="identity.lenient",
                message=message,
                severity="warning",
                location=Location(part=CUSTOM_PART, where="identity"),
            )
        )
    return template, extra
