"""Safe reading of untrusted .docx/.xlsx files: size, zip and XML limits, and files of the wrong kind named.

Everything a form file holds is read through this module. It refuses, each with its own error code:

- files larger than :attr:`Limits.max_file_bytes` (``parse.too_large``);
- zip bombs: a part or the whole package unpacking to more than allowed, or compressed suspiciously much
  (``parse.zip_bomb``), and packages with more parts than :attr:`Limits.max_parts` (``parse.too_large``);
- XML with a document type declaration: entity expansion (billion laughs) and external entities or DTDs
  (XXE) are never read, and the part is refused (``parse.xml_entities``); XML nested deeper than
  :attr:`Limits.max_xml_depth` (``parse.too_deep``);
- macro-enabled files (.docm/.xlsm, a ``vbaProject.bin`` part) (``parse.macro``) and encrypted,
  password-protected files (``parse.encrypted``);
- anything that is not a .docx or .xlsx (a PDF, an old .doc/.xls, an image, a zip of other files, an empty
  file...), named as what it is (``parse.not_a_form``); damaged packages (``parse.damaged``).

The lxml parser used for every part never resolves entities, never loads a DTD and never touches the
network; the checks above come first, so a hostile part is refused before it is parsed.

This module reads the file itself and is the one door to the rest, which it names again: the limits
(:mod:`~musforms._core.limits`), what kind of file it is (:mod:`~musforms._core.filekind`), the zip package and
its parts (:mod:`~musforms._core.safezip`) and their XML (:mod:`~musforms._core.safexml`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from musforms._core.filekind import sniff
from musforms._core.identity import read_custom_properties
from musforms._core.limits import DEFAULT_LIMITS, Limits, reading, shown_size
from musforms._core.safexml import check_xml_bytes, parse_xml, safe_parser, xml_error
from musforms._core.safezip import DATA_ERRORS, guard, open_package, package_kind, read_member, shown_part
from musforms.errors import ParseError, TooLargeError

__all__ = [
    "DATA_ERRORS",
    "DEFAULT_LIMITS",
    "Limits",
    "Source",
    "check_xml_bytes",
    "file_custom_properties",
    "guard",
    "open_package",
    "package_kind",
    "parse_xml",
    "read_member",
    "read_source",
    "reading",
    "safe_parser",
    "shown_part",
    "sniff",
    "xml_error",
]

Source = bytes | str | os.PathLike[str] | BinaryIO
"""A form file: its bytes, a path, or a binary stream."""


def read_source(source: Source, limits: Limits, name: str | None = None) -> tuple[bytes, str]:
    """The bytes of a file (bytes, a path or a binary stream) and a name for messages (``name`` when given, such
    as an upload's file name), within the file limit."""
    given = None if name is None else "".join(c if c.isprintable() else "?" for c in name)[:255]
    if isinstance(source, bytes | bytearray | memoryview):
        data, name = bytes(source), given or "<bytes>"
        if len(data) > limits.max_file_bytes:
            raise TooLargeError(
                f"{name}: the file is {shown_size(len(data))}; at most {shown_size(limits.max_file_bytes)} is read"
            )
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        name = given or str(path)
        try:
            if path.is_dir():
                raise ParseError(f"'{path}' is a folder, not a file")
            size = path.stat().st_size
            if size > limits.max_file_bytes:
                raise TooLargeError(
                    f"{name}: the file is {shown_size(size)}; at most {shown_size(limits.max_file_bytes)} is read"
                )
            with path.open("rb") as handle:
                data = handle.read(limits.max_file_bytes + 1)
        except FileNotFoundError:
            raise ParseError(f"no file at '{path}'") from None
        except ValueError:  # a NUL character in the path
            raise ParseError(f"'{path}' is not a valid path") from None
        except OSError as exc:
            raise ParseError(f"cannot read '{path}': {exc.strerror or type(exc).__name__}") from None
    else:
        name = given or str(getattr(source, "name", "<stream>"))
        try:
            data = source.read(limits.max_file_bytes + 1)
        except OSError as exc:
            raise ParseError(f"{name}: cannot read the stream: {exc.strerror or type(exc).__name__}") from None
        if isinstance(data, bytearray | memoryview):
            data = bytes(data)
        if not isinstance(data, bytes):
            raise ParseError(f"{name}: the stream gives {type(data).__name__}, not bytes; open the file with 'rb'")
    if len(data) > limits.max_file_bytes:
        raise TooLargeError(
            f"{name}: the file is larger than {shown_size(limits.max_file_bytes)}, the most that is read"
        )
    return data, name


_CUSTOM_PART = "docProps/custom.xml"


def file_custom_properties(source: Source, limits: Limits | None = None) -> dict[str, str]:
    """The custom document properties of a .docx or .xlsx file (empty when it has none), read the way a form is:
    a file refused when it is parsed raises the same error here (a :class:`~musforms.errors.ParseError`)."""
    limits = limits or DEFAULT_LIMITS
    data, name = read_source(source, limits)
    sniff(data, name)
    with reading(limits):
        archive, names = open_package(data, name, limits)
        with archive, guard(name):
            if _CUSTOM_PART not in names:
                return {}
            xml = read_member(archive, _CUSTOM_PART, name)
            try:
                return read_custom_properties(xml, safe_parser())
            except etree.XMLSyntaxError as exc:
                raise xml_error(exc, _CUSTOM_PART, name) from None
