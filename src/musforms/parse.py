"""``parse``: a completed .docx (or .xlsx) form read back into its identity, answers and issues."""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from musforms import builtins
from musforms.errors import MusformsError
from musforms.filled import FilledForm, FormIdentity, Issue, Location
from musforms.identity import (
    NotAFormError,
    identity_from_properties,
    parse_identity_line,
    read_custom_properties,
)
from musforms.loader import load_template
from musforms.template import Template

__all__ = [
    "FingerprintMismatchError",
    "ParseError",
    "UnknownTemplateError",
    "check_identity",
    "custom_properties",
    "parse",
    "read_member",
]

Source = bytes | str | os.PathLike[str] | BinaryIO


class ParseError(MusformsError):
    """A file could not be read as a form."""

    code = "parse.invalid"


class UnknownTemplateError(ParseError):
    """The form names a template that is not among those given."""

    code = "parse.unknown_template"


class FingerprintMismatchError(ParseError):
    """The form was made from another version of its template than the one given."""

    code = "parse.fingerprint_mismatch"


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )


def _read_source(source: Source) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        return source, "<bytes>"
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            return path.read_bytes(), str(path)
        except FileNotFoundError:
            raise ParseError(f"no file at '{path}'") from None
        except IsADirectoryError:
            raise ParseError(f"'{path}' is a folder, not a file") from None
    data = source.read()
    return data, getattr(source, "name", "<stream>")


def _kind_of(data: bytes, name: str) -> str:
    if not data:
        raise NotAFormError(f"{name}: the file is empty")
    if data.startswith(b"%PDF"):
        raise NotAFormError(f"{name}: this is a PDF, not a .docx or .xlsx form")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise NotAFormError(
            f"{name}: this is an old binary Office file (.doc/.xls) or an encrypted one; save it as .docx or .xlsx"
        )
    if not data.startswith(b"PK"):
        raise NotAFormError(f"{name}: not a .docx or .xlsx file (it is not a zip package)")
    return "zip"


def _templates_by_id(templates: Iterable[Template] | Mapping[str, Template] | None) -> dict[str, Template] | None:
    if templates is None:
        return None
    if isinstance(templates, Mapping):
        return dict(templates)
    return {t.id: t for t in templates}


def _resolve_template(identity: FormIdentity, given: dict[str, Template] | None) -> Template:
    if given is not None:
        if identity.template_id not in given:
            raise UnknownTemplateError(
                f"the form was made from template '{identity.template_id}' {identity.template_version}, which is "
                f"not among the templates given ({', '.join(sorted(given)) or 'none'})"
            )
        return given[identity.template_id]
    if identity.template_id in builtins.builtin_ids():
        return load_template(identity.template_id)
    raise UnknownTemplateError(
        f"the form was made from template '{identity.template_id}' {identity.template_version}, which is not a "
        "built-in template; pass it with templates=[load_template(...)]"
    )


def parse(
    source: Source,
    *,
    templates: Iterable[Template] | Mapping[str, Template] | None = None,
    lenient: bool = False,
) -> FilledForm:
    """Read a completed form: bytes, a path or a binary file object; the format is found from the content.

    The template is found from the identity inside the file, among ``templates`` (or the built-ins). A file
    made from another version of the template is refused, unless ``lenient``, which reads it anyway and
    says so in an issue.
    """
    data, name = _read_source(source)
    _kind_of(data, name)
    parser = _safe_parser()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, RuntimeError) as exc:
        raise NotAFormError(f"{name}: the zip package is damaged ({exc})") from None
    if len(names) > MAX_MEMBERS:
        raise NotAFormError(f"{name}: the package has {len(names):,} parts, more than a form has")
    with archive:
        if "word/document.xml" in names:
            return _parse_docx(archive, names, name, parser, _templates_by_id(templates), lenient)
        if "xl/workbook.xml" in names:
            return _parse_xlsx(archive, names, name, parser, _templates_by_id(templates), lenient)
        raise NotAFormError(f"{name}: a zip package, but neither a Word (.docx) nor an Excel (.xlsx) file")


MAX_MEMBER_BYTES = 64 * 1024 * 1024
"""The most a part of a form may unpack to; a larger one is refused (a zip bomb, or not a form)."""
MAX_MEMBERS = 5_000
MAX_RATIO = 200
"""The most a part larger than 1 MB may be compressed (unpacked size / packed size)."""


def read_member(archive: zipfile.ZipFile, member: str, name: str) -> bytes:
    """A part of the package, read within the limits; a damaged or oversized part is a NotAFormError."""
    try:
        info = archive.getinfo(member)
        if info.file_size > MAX_MEMBER_BYTES:
            raise NotAFormError(f"{name}: the part {member} unpacks to {info.file_size:,} bytes, more than allowed")
        if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise NotAFormError(f"{name}: the part {member} is compressed suspiciously much (a zip bomb?)")
        with archive.open(info) as handle:
            data = handle.read(MAX_MEMBER_BYTES + 1)
        if len(data) > MAX_MEMBER_BYTES:
            raise NotAFormError(f"{name}: the part {member} unpacks to more than allowed")
        return data
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, RuntimeError, zlib.error) as exc:
        raise NotAFormError(f"{name}: the part {member} is damaged ({exc})") from None


def custom_properties(archive: zipfile.ZipFile, names: set[str], name: str, parser: etree.XMLParser) -> dict[str, str]:
    """The custom document properties of a package (empty when it has none or they are damaged)."""
    if "docProps/custom.xml" not in names:
        return {}
    try:
        return read_custom_properties(read_member(archive, "docProps/custom.xml", name), parser)
    except etree.XMLSyntaxError:
        return {}


def check_identity(
    identity: FormIdentity, templates: dict[str, Template] | None, lenient: bool, name: str
) -> tuple[Template, list[Issue]]:
    """The template a form names, checked against its fingerprint (an issue instead of an error if lenient)."""
    template = _resolve_template(identity, templates)
    extra: list[Issue] = []
    if template.fingerprint != identity.fingerprint or template.version != identity.template_version:
        message = (
            f"the form was made from '{identity.template_id}' version {identity.template_version} "
            f"({identity.fingerprint}), but the template given is version {template.version} ({template.fingerprint})"
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
) -> FilledForm:
    from musforms.docx.parse import parse_document

    document = read_member(archive, "word/document.xml", name)
    props = custom_properties(archive, names, name, parser)
    found = identity_from_properties(props)
    if found is None:
        identity = _identity_from_text(document, parser)
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
            document, template, identity, context, parser, extra, layout_version=props.get("musforms.layout")
        )
    except etree.XMLSyntaxError as exc:
        raise NotAFormError(f"{name}: word/document.xml is not well-formed XML ({exc})") from None


def _parse_xlsx(
    archive: zipfile.ZipFile,
    names: set[str],
    name: str,
    parser: etree.XMLParser,
    templates: dict[str, Template] | None,
    lenient: bool,
) -> FilledForm:
    from musforms.xlsx.parse import parse_workbook

    return parse_workbook(archive, names, name, parser, templates, lenient)


def _identity_from_text(document: bytes, parser: etree.XMLParser) -> FormIdentity | None:
    try:
        root = etree.fromstring(document, parser)
    except etree.XMLSyntaxError:
        return None
    return parse_identity_line("".join(str(text) for text in root.itertext()))
