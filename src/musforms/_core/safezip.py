"""The zip package of a form file: checked before any part is unpacked (the number of parts, their sizes and
ratios, encryption, macros), each part read within the limits, which form format it is, and what reading
untrusted content raises turned into a :class:`~musforms.errors.DamagedFileError`."""

from __future__ import annotations

import contextlib
import io
import re
import struct
import traceback
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from lxml import etree

from musforms._core.filekind import SAVE_AS
from musforms._core.limits import Limits, current_reading, shown_size
from musforms._core.safexml import check_xml_bytes
from musforms.errors import (
    DamagedFileError,
    EncryptedError,
    MacroError,
    MusformsError,
    NotAFormError,
    TooLargeError,
    ZipBombError,
)

__all__ = ["DATA_ERRORS", "guard", "open_package", "package_kind", "read_member", "shown_part"]

DATA_ERRORS: tuple[type[BaseException], ...] = (
    ValueError,  # also UnicodeDecodeError and pydantic's ValidationError
    LookupError,  # KeyError, IndexError
    ArithmeticError,  # OverflowError, ZeroDivisionError
    RecursionError,
    EOFError,
    OSError,
    zipfile.BadZipFile,
    zlib.error,
    struct.error,
    etree.LxmlError,
)
"""What reading bad bytes can raise in Python, zipfile, zlib and lxml. Turned into :class:`DamagedFileError`
where untrusted content is read; TypeError, AttributeError and the like are not: they are bugs."""

_ZIP_ERRORS: tuple[type[BaseException], ...] = (*DATA_ERRORS, NotImplementedError)
"""And what zipfile raises for features it does not support (a newer zip version, a compression method)."""


@contextlib.contextmanager
def guard(name: str) -> Iterator[None]:
    """Turn what reading untrusted content raises (:data:`DATA_ERRORS`) into a :class:`DamagedFileError`.

    The message names the part being read and where in musforms the error came from, never the content.
    musforms' own errors pass through unchanged; other exceptions (programming errors) are not caught.
    """
    try:
        yield
    except MusformsError:
        raise
    except DATA_ERRORS as exc:
        part = current_reading().part
        where = f" while reading {shown_part(part)}" if part else ""
        raise DamagedFileError(
            f"{name}: the file is damaged: it could not be read{where} ({type(exc).__name__}{_origin(exc)})"
        ) from None


def _origin(exc: BaseException) -> str:
    """`` in musforms/xlsx/reader.py:170``: the innermost musforms line the error went through."""
    frames = traceback.extract_tb(exc.__traceback__)
    for frame in reversed(frames):
        path = Path(frame.filename)
        if "musforms" in path.parts:
            index = len(path.parts) - 1 - path.parts[::-1].index("musforms")
            return f" in {'/'.join(path.parts[index:])}:{frame.lineno}"
    return ""


def open_package(data: bytes, name: str, limits: Limits) -> tuple[zipfile.ZipFile, set[str]]:
    """The zip package, checked before any part is unpacked: parts, sizes, ratio, encryption, macros."""
    entries = data.count(b"PK\x01\x02", *_directory_span(data))  # known before zipfile reads the entries
    if entries > limits.max_parts:
        raise TooLargeError(f"{name}: the package has more than {limits.max_parts:,} parts; a form has a few dozen")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except _ZIP_ERRORS as exc:
        raise DamagedFileError(f"{name}: the zip package is damaged ({_zip_problem(exc)})") from None
    try:
        _check_package(archive, infos, data, name, limits)
    except BaseException:
        archive.close()
        raise
    return archive, {info.filename for info in infos}


def _directory_span(data: bytes) -> tuple[int, int]:
    """Where the central directory zipfile will read lies: the bytes its end record says precede it, or
    the whole file when that record is missing or in the zip64 form (every entry zipfile reads starts with
    the signature ``PK\\1\\2`` inside this span, so counting there bounds the entries)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + 22:
        return 0, len(data)
    size = int.from_bytes(data[end + 12 : end + 16], "little")
    if size == 0xFFFFFFFF or data[max(0, end - 20) : end - 16] == b"PK\x06\x07":  # zip64: sizes elsewhere
        return 0, len(data)
    return max(0, end - size), end


def _zip_problem(exc: BaseException) -> str:
    text = str(exc)
    for known, said in (
        ("Bad CRC-32", "its checksum does not match its content"),
        ("File is not a zip file", "file is not a zip file"),
        ("Truncated", "it is cut short"),
        ("Bad magic number", "a part's header is damaged"),
        ("Overlapped entries", "parts overlap"),
        ("Error -3", "its compressed data is damaged"),
        ("zip file version", "it needs a newer zip version than Office files use"),
    ):
        if known.lower() in text.lower():
            return said
    return type(exc).__name__


def _check_package(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], data: bytes, name: str, limits: Limits
) -> None:
    if len(infos) > limits.max_parts:
        raise TooLargeError(f"{name}: the package has {len(infos):,} parts, more than {limits.max_parts:,}")
    total = sum(info.file_size for info in infos)
    if total > limits.max_total_bytes:
        if total > limits.max_ratio * max(len(data), 1):
            raise ZipBombError(
                f"{name}: the package would unpack to {shown_size(total)} from {shown_size(len(data))}: "
                "a zip bomb, refused"
            )
        raise TooLargeError(
            f"{name}: the package unpacks to {shown_size(total)}; at most {shown_size(limits.max_total_bytes)} is read"
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise EncryptedError(f"{name}: the zip package is password-protected (encrypted); musforms cannot read it")
    lowered = {info.filename.lower() for info in infos}
    if any(part.endswith("vbaproject.bin") or part.endswith("vbadata.xml") for part in lowered):
        raise MacroError(f"{name}: {_macro_kind(lowered)}: it holds macros (a vbaProject.bin part); {_NO_MACROS}")
    if "[content_types].xml" in lowered:
        member = next(info.filename for info in infos if info.filename.lower() == "[content_types].xml")
        types = read_member(archive, member, name, limits).lower()
        if b"macroenabled" in types or b"vbaproject" in types:
            raise MacroError(f"{name}: {_macro_kind(lowered)}, as its content types say; {_NO_MACROS}")


_NO_MACROS = "musforms does not read macro-enabled files: save it as .docx or .xlsx (without macros)"


def _macro_kind(parts: set[str]) -> str:
    if "word/document.xml" in parts:
        return "this is a macro-enabled Word file (.docm)"
    if "xl/workbook.xml" in parts:
        return "this is a macro-enabled Excel file (.xlsm)"
    return "this is a macro-enabled Office file"


def package_kind(archive: zipfile.ZipFile, names: set[str], name: str) -> Literal["docx", "xlsx"]:
    """Which form format a package is; any other package is refused, naming what it is."""
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        raise NotAFormError(f"{name}: this is a PowerPoint file (.pptx), not a .docx or .xlsx form")
    if "mimetype" in names:
        mimetype = read_member(archive, "mimetype", name)[:100]
        if mimetype.startswith(b"application/vnd.oasis.opendocument"):
            kind = {b"text": ".odt", b"spreadsheet": ".ods", b"presentation": ".odp"}
            suffix = next((v for k, v in kind.items() if k in mimetype), "OpenDocument")
            raise NotAFormError(f"{name}: this is an OpenDocument file ({suffix}); {SAVE_AS}")
        if mimetype.startswith(b"application/epub"):
            raise NotAFormError(f"{name}: this is an e-book (EPUB), not a .docx or .xlsx form")
    if "[Content_Types].xml" in names:
        raise NotAFormError(
            f"{name}: an Office package, but neither a Word (.docx) nor an Excel (.xlsx) file (no word/document.xml "
            "or xl/workbook.xml)"
        )
    raise NotAFormError(f"{name}: a zip package, but neither a Word (.docx) nor an Excel (.xlsx) file")


_PART_NAME = re.compile(r"[\w.\[\]/+-]{1,120}")


def shown_part(member: str) -> str:
    """A part's name as shown in a message: names come from the file, so only one that looks like a path."""
    return member if _PART_NAME.fullmatch(member) else "<a part with an unusual name>"


def read_member(archive: zipfile.ZipFile, member: str, name: str, limits: Limits | None = None) -> bytes:
    """A part of the package, unpacked within the limits; XML parts are checked (:func:`check_xml_bytes`).

    A part that is missing or damaged raises :class:`DamagedFileError`; one that is too large
    :class:`TooLargeError` or :class:`ZipBombError`.
    """
    state = current_reading()
    limits = limits or state.limits
    state.part = member
    part = shown_part(member)
    try:
        info = archive.getinfo(member)
    except KeyError:
        raise DamagedFileError(f"{name}: the part {part} is missing") from None
    if info.flag_bits & 0x1:
        raise EncryptedError(f"{name}: the part {part} is encrypted; musforms cannot read it")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise DamagedFileError(
            f"{name}: the part {part} uses a compression Office files do not use (method {info.compress_type})"
        )
    bomb = info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(info.compress_size, 1)
    if bomb:
        raise ZipBombError(
            f"{name}: the part {part} would unpack to {shown_size(info.file_size)} from "
            f"{shown_size(info.compress_size)}: a zip bomb, refused"
        )
    if info.file_size > limits.max_part_bytes:
        raise TooLargeError(
            f"{name}: the part {part} unpacks to {shown_size(info.file_size)}; at most "
            f"{shown_size(limits.max_part_bytes)} is read"
        )
    if state.read + info.file_size > limits.max_total_bytes:
        raise TooLargeError(f"{name}: the parts read unpack to more than {shown_size(limits.max_total_bytes)}")
    try:
        data = _direct(archive, info)
        if data is None:
            with archive.open(info) as handle:
                data = handle.read(min(info.file_size, limits.max_part_bytes) + 1)
    except _ZIP_ERRORS as exc:
        raise DamagedFileError(f"{name}: the part {part} is damaged ({_zip_problem(exc)})") from None
    if len(data) > limits.max_part_bytes:
        raise TooLargeError(f"{name}: the part {part} unpacks to more than {shown_size(limits.max_part_bytes)}")
    state.read += len(data)
    if _is_xml_part(member):
        check_xml_bytes(data, part, name, limits)
    return data


_LOCAL_HEADER = struct.Struct("<4s22xHH")
"""A member's local header: its signature, and the lengths of its name and extra field."""


def _direct(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """A member's content unpacked straight from the package's bytes, when everything about it is plain: its
    local header agrees with the directory, it is stored or deflated, it unpacks to exactly the size the
    directory gives and its checksum matches. Otherwise None, and zipfile reads it (and says what is wrong).

    What zipfile would give, without the file object and stream it sets up for each member.
    """
    source = archive.fp
    if not isinstance(source, io.BytesIO) or info.flag_bits & 0x61 or info.file_size > _DIRECT_MAX:
        return None  # encrypted, patched or strongly encrypted data: zipfile refuses it in its words
    with source.getbuffer() as view:
        offset = info.header_offset
        if offset < 0 or offset + _LOCAL_HEADER.size > len(view):
            return None
        signature, name_length, extra_length = _LOCAL_HEADER.unpack_from(view, offset)
        start = offset + _LOCAL_HEADER.size + name_length + extra_length
        end = start + info.compress_size
        limit = getattr(info, "_end_offset", None)
        if signature != b"PK\x03\x04" or end > len(view) or (limit is not None and end > limit):
            return None
        name = bytes(view[offset + _LOCAL_HEADER.size : offset + _LOCAL_HEADER.size + name_length])
        chunk = bytes(view[start:end])
    if not name.isascii() or name.decode("ascii") != info.orig_filename:
        return None  # zipfile compares other names by the local header's own encoding
    if info.compress_type == zipfile.ZIP_STORED:
        data = chunk
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-15)
        try:
            data = inflater.decompress(chunk, info.file_size + 1)
        except zlib.error:
            return None
        if not inflater.eof or inflater.unconsumed_tail or inflater.unused_data:
            return None
    else:
        return None
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        return None
    return data


_DIRECT_MAX = 64 * 1024 * 1024
"""The largest member unpacked directly (in one piece); a larger one is read by zipfile, within the limits."""


def _is_xml_part(member: str) -> bool:
    return member.lower().endswith((".xml", ".rels", ".vml"))
