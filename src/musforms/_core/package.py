"""What reading any form's package shares: its parts read within the limits, its custom properties, and the
template its identity names (given, built in, or carried by the form), checked."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from lxml import etree

from musforms._core import safety
from musforms._core.embedded import embedded_template, has_embedded_template
from musforms._core.identity import read_custom_properties
from musforms._core.issue_text import issue_message
from musforms._loading import builtins
from musforms._loading.loader import load_template
from musforms._loading.store import (
    GivenTemplates,
    TemplateLookup,
    TemplateStore,
    find_given,
    given_versions,
    matching_template,
    template_lookup,
)
from musforms._model.filled import FormIdentity, Issue, Location
from musforms._model.template import Template
from musforms.errors import DamagedFileError, FingerprintMismatchError, UnknownTemplateError

__all__ = [
    "CUSTOM_PART",
    "Package",
    "TemplateSource",
    "carried_template",
    "check_identity",
    "custom_properties",
    "known_template",
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


def templates_by_id(templates: GivenTemplates) -> TemplateLookup | None:
    """The templates a caller gave, found by id and version, every version kept (None: the built-ins); see
    :func:`musforms._loading.store.template_lookup`."""
    return template_lookup(templates)


TemplateSource = Literal["builtin", "given", "embedded"]
"""Where the template a form is read with comes from."""

_CARRIED: dict[tuple[str, str], Template] = {}
"""The templates forms carried, verified when the forms were read, by id and fingerprint (the fingerprint is the
hash of the template's content, so an entry can only ever be the template it names)."""
_MAX_CARRIED = 64


def resolve_template(identity: FormIdentity, given: TemplateLookup | None) -> Template:
    """The template a form names: among ``given``; else a built-in one, or one a form read earlier carried."""
    return _resolve(identity, given, None, "<form>")[0]


def _resolve(
    identity: FormIdentity, given: TemplateLookup | None, properties: Mapping[str, str] | None, name: str
) -> tuple[Template, TemplateSource]:
    shown = f"'{token(identity.template_id)}' {token(identity.template_version)}"
    carries = properties is not None and has_embedded_template(properties)
    if given is not None:
        found = matching_template(given, identity.template_id, identity.template_version, identity.fingerprint)
        # Not the form's version (or not its content): the one of its version, else the current one, so that
        # the mismatch is reported as such (check_identity) and a lenient read has a template to read with.
        found = (
            found
            or find_given(given, identity.template_id, identity.template_version)
            or find_given(given, identity.template_id)
        )
        if found is None:
            ids = given.ids() if isinstance(given, TemplateStore) else None
            among = (
                f"not among the templates given ({', '.join(sorted(ids)) or 'none'})"
                if ids is not None
                else ("not one the template lookup given has")
            )
            error = UnknownTemplateError(f"the form was made from template {shown}, which is {among}")
            error.add_note(
                "the form carries its template: parse it without templates= to read it with that one"
                if carries
                else "add the form's template to templates="
            )
            raise error
        return found, "given"
    if identity.template_id in builtins.builtin_ids():
        return load_template(identity.template_id), "builtin"
    if properties is not None:  # a file being parsed: only its own template counts
        carried = embedded_template(properties, identity, name)
        if carried is not None:
            _remember(carried)
            return carried, "embedded"
    else:  # a form parsed before (compare, redact): the template it carried then
        known = _CARRIED.get((identity.template_id, identity.fingerprint))
        if known is not None:
            return known, "embedded"
    older = ", and the form does not carry it (it was made before forms did, or its custom properties were removed)"
    error = UnknownTemplateError(
        f"the form was made from template {shown}, which is not a built-in template"
        + (older if properties is not None else "")
    )
    error.add_note("pass it with templates=[load_template(...)]")
    raise error


def known_template(identity: FormIdentity) -> Template | None:
    """The template an identity names, when it is a built-in one or one a form read in this process carried (the
    id is only looked up, never opened as a path); else None."""
    if identity.template_id in builtins.builtin_ids():
        return load_template(identity.template_id)
    return _CARRIED.get((identity.template_id, identity.fingerprint))


def carried_template(identity: FormIdentity, source: safety.Source) -> Template | None:
    """The template a form read earlier carries (verified against ``identity``), from the forms read in this
    process or else from the file's custom properties; None when the file carries none."""
    known = _CARRIED.get((identity.template_id, identity.fingerprint))
    if known is not None:
        return known
    name = str(source) if not isinstance(source, bytes | bytearray) else "<bytes>"
    carried = embedded_template(safety.file_custom_properties(source), identity, name)
    if carried is not None:
        _remember(carried)
    return carried


def _remember(template: Template) -> None:
    """Keep a verified template a form carried, so that the forms read with it can be compared and redacted."""
    if len(_CARRIED) >= _MAX_CARRIED:
        _CARRIED.pop(next(iter(_CARRIED)))
    _CARRIED[(template.id, template.fingerprint)] = template


_TOKEN = re.compile(r"[A-Za-z0-9_.:+-]{1,80}")


def token(value: str) -> str:
    """An identity value from the file as shown in a message: only if it looks like an id, never free text."""
    return value if _TOKEN.fullmatch(value) else "<not an id>"


def check_identity(
    identity: FormIdentity,
    templates: TemplateLookup | None,
    lenient: bool,
    name: str,
    properties: Mapping[str, str] | None = None,
) -> tuple[Template, TemplateSource, list[Issue]]:
    """The template to read a form with, where it comes from, and the form's fingerprint checked against it (an
    issue instead of an error if lenient). With ``templates`` given, only among them (the form's own template
    is not trusted then); else a built-in one, else the template the form carries in its custom
    ``properties``, verified against the identity's fingerprint (:mod:`musforms._core.embedded`)."""
    template, source = _resolve(identity, templates, properties, name)
    extra: list[Issue] = []
    if template.fingerprint != identity.fingerprint or template.version != identity.template_version:
        given = _versions_given(templates, template) if source == "given" else ""
        message = (
            f"the form was made from '{token(identity.template_id)}' version {token(identity.template_version)} "
            f"({token(identity.fingerprint)}), but the template given is version {template.version} "
            f"({template.fingerprint}){given}"
        )
        if not lenient:
            error = FingerprintMismatchError(f"{name}: {message}")
            error.add_note("pass lenient=True to read it anyway")
            raise error
        extra.append(
            Issue(
                code="identity.lenient",
                message=issue_message(
                    "identity.lenient",
                    template.language,
                    template=token(identity.template_id),
                    made=token(identity.template_version),
                    made_fingerprint=token(identity.fingerprint),
                    version=template.version,
                    fingerprint=template.fingerprint,
                ),
                severity="warning",
                location=Location(part=CUSTOM_PART, where="identity"),
            )
        )
    return template, source, extra


def _versions_given(templates: TemplateLookup | None, template: Template) -> str:
    """The versions of ``template``'s id that were given, for a message (nothing more when only it was)."""
    if templates is None:
        return ""
    versions = given_versions(templates, template.id)
    if len(versions) <= 1:
        return ""
    return f"; the versions given are {', '.join(versions)}"
