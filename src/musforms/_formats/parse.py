"""``parse``: a completed .docx (or .xlsx) form read back into its identity, answers and issues."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping

from lxml import etree

from musforms._core import safety
from musforms._core.identity import identity_from_properties, parse_identity_line, read_custom_properties
from musforms._core.safety import DEFAULT_LIMITS, Limits, Source
from musforms._core.signing import SigningKey, check_signature, key_bytes
from musforms._loading import builtins
from musforms._loading.loader import load_template
from musforms._model.filled import FilledForm, FormIdentity, Issue, Location
from musforms._model.template import Template
from musforms.errors import (
    DamagedFileError,
    FingerprintMismatchError,
    IdentityError,
    NotAFormError,
    UnknownTemplateError,
)

__all__ = ["Limits", "check_identity", "custom_properties", "parse", "read_member"]


def _safe_parser() -> etree.XMLParser:
    return safety.safe_parser()


def _templates_by_id(templates: Iterable[Template] | Mapping[str, Template] | None) -> dict[str, Template] | None:
    if templates is None:
        return None
    if isinstance(templates, Mapping):
        return dict(templates)
    return {t.id: t for t in templates}


def _resolve_template(identity: FormIdentity, given: dict[str, Template] | None) -> Template:
    shown = f"'{_token(identity.template_id)}' {_token(identity.template_version)}"
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


def _layout(value: str | None) -> str | None:
    return value if value is None else _token(value)


def _token(value: str) -> str:
    """An identity value from the file as shown in a message: only if it looks like an id, never free text."""
    return value if _TOKEN.fullmatch(value) else "<not an id>"


def parse(
    source: Source,
    *,
    templates: Iterable[Template] | Mapping[str, Template] | None = None,
    lenient: bool = False,
    limits: Limits | None = None,
    signing_key: SigningKey | None = None,
    subject_id: str | None = None,
) -> FilledForm:
    """Read a completed form: bytes, a path or a binary file object; the format is found from the content.

    The template is found from the identity inside the file, among ``templates`` (or the built-ins). A file
    made from another version of the template is refused, unless ``lenient``, which reads it anyway and
    says so in an issue.

    The file is read within ``limits`` (:class:`Limits`; the defaults suit forms). With ``signing_key`` (the key
    the forms were rendered with), the identity's signature is checked and a missing or wrong one raises
    :class:`~musforms._core.signing.IdentityError`; ``subject_id`` is the employee the file is expected to be about
    (another one raises the same error). Every failure is a :class:`~musforms.MusformsError` with a ``code``.
    """
    limits = limits or DEFAULT_LIMITS
    if signing_key is not None:
        key_bytes(signing_key)  # a bad key is the caller's mistake: said before the file is read
    data, name = safety.read_source(source, limits)
    safety.sniff(data, name)
    parser = _safe_parser()
    with safety.reading(limits):
        archive, names = safety.open_package(data, name, limits)
        with archive:
            kind = safety.package_kind(archive, names, name)
            given = _templates_by_id(templates)
            with safety.guard(name):
                props = custom_properties(archive, names, name, parser)
                if kind == "docx":
                    form = _parse_docx(archive, names, name, parser, given, lenient, props)
                else:
                    form = _parse_xlsx(archive, names, name, parser, given, lenient, props)
    signed = check_signature(form.identity, props, signing_key, name)
    if subject_id is not None and form.subject_id != subject_id:
        raise IdentityError(
            f"{name}: the form is about another employee than the one expected (its subject id differs)"
        )
    return form.model_copy(update={"signed": signed}) if signed != form.signed else form


def read_member(archive: zipfile.ZipFile, member: str, name: str) -> bytes:
    """A part of the package, read within the limits of the current parse (see :func:`safety.read_member`)."""
    return safety.read_member(archive, member, name)


def custom_properties(archive: zipfile.ZipFile, names: set[str], name: str, parser: etree.XMLParser) -> dict[str, str]:
    """The custom document properties of a package (empty when it has none or they are damaged)."""
    if "docProps/custom.xml" not in names:
        return {}
    data = read_member(archive, "docProps/custom.xml", name)
    try:
        return read_custom_properties(data, parser)
    except etree.XMLSyntaxError as exc:
        error = safety.xml_error(exc, "docProps/custom.xml", name)
        if isinstance(error, DamagedFileError):
            return {}  # the identity line in the body may still say which form it is
        raise error from None


def check_identity(
    identity: FormIdentity, templates: dict[str, Template] | None, lenient: bool, name: str
) -> tuple[Template, list[Issue]]:
    """The template a form names, checked against its fingerprint (an issue instead of an error if lenient)."""
    template = _resolve_template(identity, templates)
    extra: list[Issue] = []
    if template.fingerprint != identity.fingerprint or template.version != identity.template_version:
        message = (
            f"the form was made from '{_token(identity.template_id)}' version {_token(identity.template_version)} "
            f"({_token(identity.fingerprint)}), but the template given is version {template.version} "
            f"({template.fingerprint})"
        )
        if not lenient:
            raise FingerprintMismatchError(f"{name}: {message}; pass lenient=True to read it anyway")
        extra.append(
            Issue(
                code="identity.lenient",
                message=message,
                severity="warning",
                location=Location(part="docProps/custom.xml", where="identity"),
            )
        )
    return template, extra


def _parse_docx(
    archive: zipfile.ZipFile,
    names: set[str],
    name: str,
    parser: etree.XMLParser,
    templates: dict[str, Template] | None,
    lenient: bool,
    props: dict[str, str],
) -> FilledForm:
    from musforms._formats.docx.parse import parse_document

    document = read_member(archive, "word/document.xml", name)
    found = identity_from_properties(props)
    if found is None:
        identity = _identity_from_text(document, parser, name)
        if identity is None:
            raise NotAFormError(
                f"{name}: not a musforms form (no musforms identity: expected the custom document properties "
                "musforms.template_id, musforms.role, ... or the identity line in the text)"
            )
        found = (identity, None)
    identity, context = found
    template, extra = check_identity(identity, templates, lenient, name)
    try:
        return parse_document(
            document, template, identity, context, parser, extra, layout_version=_layout(props.get("musforms.layout"))
        )
    except etree.XMLSyntaxError as exc:
        raise safety.xml_error(exc, "word/document.xml", name) from None


def _parse_xlsx(
    archive: zipfile.ZipFile,
    names: set[str],
    name: str,
    parser: etree.XMLParser,
    templates: dict[str, Template] | None,
    lenient: bool,
    props: dict[str, str],
) -> FilledForm:
    from musforms._formats.xlsx.parse import parse_workbook

    return parse_workbook(archive, names, name, parser, templates, lenient, props)


def _identity_from_text(document: bytes, parser: etree.XMLParser, name: str) -> FormIdentity | None:
    try:
        root = etree.fromstring(document, parser)
    except etree.XMLSyntaxError as exc:
        error = safety.xml_error(exc, "word/document.xml", name)
        if isinstance(error, DamagedFileError):
            return None
        raise error from None
    return parse_identity_line("".join(str(text) for text in root.itertext()))
