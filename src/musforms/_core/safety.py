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
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import struct
import traceback
import zipfile
import zlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Literal

from lxml import etree

from musforms.errors import (
    DamagedFileError,
    EncryptedError,
    MacroError,
    MusformsError,
    NotAFormError,
    ParseError,
    TooDeepError,
    TooLargeError,
    XmlEntitiesError,
    ZipBombError,
)

__all__ = [
    "DATA_ERRORS",
    "DEFAULT_LIMITS",
    "Limits",
    "Source",
    "check_xml_bytes",
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

LIBXML_MAX_DEPTH = 256
"""How deep libxml2 lets elements nest when ``huge_tree`` is off (musforms never turns it on)."""

_MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What musforms reads from a file before it refuses it. Pass your own to :func:`musforms.parse`.

    The defaults are far above what a form needs (a filled form is a few hundred KB, its largest part rarely
    1 MB) and far below what would hurt a server.
    """

    max_file_bytes: int = 32 * _MB
    """The size of the file itself (compressed): 32 MB."""
    max_part_bytes: int = 16 * _MB
    """What one part that musforms reads (an XML part such as ``word/document.xml``) may unpack to: 16 MB."""
    max_total_bytes: int = 256 * _MB
    """What all parts of the package together may unpack to (as the zip declares them): 256 MB."""
    max_parts: int = 5_000
    """The number of parts (zip members) in the package."""
    max_ratio: int = 200
    """How much a part may be compressed (unpacked size / packed size), checked for parts larger than
    :attr:`ratio_floor_bytes`; ordinary XML compresses 5 to 30 times, a zip bomb 1000 times."""
    ratio_floor_bytes: int = 1 * _MB
    """Parts that unpack to less than this are not checked for their ratio (small parts compress well)."""
    max_xml_depth: int = LIBXML_MAX_DEPTH
    """How deep XML elements may nest: 256, which is also the most libxml2 allows without ``huge_tree``
    (a form nests about 15 deep). A lower value costs a second pass over each XML part."""

    def __post_init__(self) -> None:
        for name in ("max_file_bytes", "max_part_bytes", "max_total_bytes", "max_parts", "max_ratio"):
            if getattr(self, name) < 1:
                raise ValueError(f"Limits.{name} must be at least 1")
        if self.ratio_floor_bytes < 0:
            raise ValueError("Limits.ratio_floor_bytes must not be negative")
        if not 1 <= self.max_xml_depth <= LIBXML_MAX_DEPTH:
            raise ValueError(f"Limits.max_xml_depth must be between 1 and {LIBXML_MAX_DEPTH}")


DEFAULT_LIMITS = Limits()


# -- errors ------------------------------------------------------------------------------------------------


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


# -- the limits of one parse ---------------------------------------------------------------------------------


@dataclass
class _Reading:
    limits: Limits
    read: int = 0
    part: str | None = None
    parts: list[str] = field(default_factory=list)


_READING: ContextVar[_Reading | None] = ContextVar("musforms_reading", default=None)


@contextlib.contextmanager
def reading(limits: Limits | None = None) -> Iterator[Limits]:
    """The limits every :func:`read_member` inside the block keeps to, and the running total of bytes read."""
    state = _Reading(limits or DEFAULT_LIMITS)
    token = _READING.set(state)
    try:
        yield state.limits
    finally:
        _READING.reset(token)


def _state() -> _Reading:
    return _READING.get() or _Reading(DEFAULT_LIMITS)


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
        part = _state().part
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


# -- the file ----------------------------------------------------------------------------------------------------


def _size(count: int) -> str:
    if count >= 1024**3:
        return f"{count / 1024**3:.1f} GB"
    if count >= _MB:
        return f"{count / _MB:.1f} MB"
    if count >= 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count} bytes"


def read_source(source: Source, limits: Limits) -> tuple[bytes, str]:
    """The bytes of a file (bytes, a path or a binary stream) and a name for messages, within the file limit."""
    if isinstance(source, bytes | bytearray | memoryview):
        data, name = bytes(source), "<bytes>"
        if len(data) > limits.max_file_bytes:
            raise TooLargeError(
                f"{name}: the file is {_size(len(data))}; at most {_size(limits.max_file_bytes)} is read"
            )
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        name = str(path)
        try:
            if path.is_dir():
                raise ParseError(f"'{path}' is a folder, not a file")
            size = path.stat().st_size
            if size > limits.max_file_bytes:
                raise TooLargeError(
                    f"{name}: the file is {_size(size)}; at most {_size(limits.max_file_bytes)} is read"
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
        name = str(getattr(source, "name", "<stream>"))
        try:
            data = source.read(limits.max_file_bytes + 1)
        except OSError as exc:
            raise ParseError(f"{name}: cannot read the stream: {exc.strerror or type(exc).__name__}") from None
        if isinstance(data, bytearray | memoryview):
            data = bytes(data)
        if not isinstance(data, bytes):
            raise ParseError(f"{name}: the stream gives {type(data).__name__}, not bytes; open the file with 'rb'")
    if len(data) > limits.max_file_bytes:
        raise TooLargeError(f"{name}: the file is larger than {_size(limits.max_file_bytes)}, the most that is read")
    return data, name


# -- what kind of file -------------------------------------------------------------------------------------------

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_STREAMS = ("EncryptedPackage", "EncryptionInfo", "WordDocument", "Workbook", "Book", "PowerPoint Document")
_SAVE_AS = "save it as .docx or .xlsx"


def _ole_streams(data: bytes) -> set[str]:
    """The names among :data:`_OLE_STREAMS` of directory entries in an OLE2 compound file.

    Directory entries lie in sectors of 512 or 4096 bytes after the header, 128 bytes each, the name first
    (UTF-16, NUL-terminated) and its length in bytes at offset 64; a name is only counted there.
    """
    found: set[str] = set()
    for wanted in _OLE_STREAMS:
        needle = wanted.encode("utf-16-le") + b"\0\0"
        start = 512
        while (at := data.find(needle, start)) >= 0:
            start = at + 2
            if at % 128 == 0 and data[at + 64 : at + 66] == len(needle).to_bytes(2, "little"):
                found.add(wanted)
                break
    return found


def _text_kind(head: bytes) -> str | None:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    lower = stripped[:4096].lower()
    if lower.startswith(b"<?xml") or lower.startswith(b"<"):
        if b"w:worddocument" in lower or b"schemas.microsoft.com/office/word/2003" in lower:
            return "a Word 2003 XML file; " + _SAVE_AS
        if b"pkg:package" in lower:
            return "a Word/Excel flat XML file (Flat OPC); " + _SAVE_AS
        if b"urn:schemas-microsoft-com:office:spreadsheet" in lower:
            return "an Excel 2003 XML file; " + _SAVE_AS
        if b"<html" in lower or b"<!doctype html" in lower:
            return "an HTML page, not a .docx or .xlsx form"
        return "an XML file, not a .docx or .xlsx form"
    if lower.startswith(b"{\\rtf"):
        return "an RTF file; " + _SAVE_AS
    if lower.startswith(b"mime-version:") or b"\nmime-version:" in lower[:2048]:
        return "an e-mail or web archive (MIME); save the attachment itself and read that"
    return None


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
)


def sniff(data: bytes, name: str) -> None:
    """Refuse what is not a zip package, saying what it is; return for a zip package."""
    if not data:
        raise NotAFormError(f"{name}: the file is empty")
    if data.startswith(b"PK\x03\x04"):
        return
    if data.startswith(b"PK\x05\x06"):
        raise NotAFormError(f"{name}: an empty zip archive, not a .docx or .xlsx form")
    if data.startswith(_OLE2):
        streams = _ole_streams(data)
        if {"EncryptedPackage", "EncryptionInfo"} & streams:
            raise EncryptedError(
                f"{name}: the file is encrypted (password-protected); musforms cannot read it. Remove the password "
                "(File > Info > Protect Document / Workbook > Encrypt with Password, and clear it) and save again"
            )
        if "WordDocument" in streams:
            raise NotAFormError(f"{name}: this is an old binary Word file (.doc), not a form; {_SAVE_AS}")
        if {"Workbook", "Book"} & streams:
            raise NotAFormError(f"{name}: this is an old binary Excel file (.xls), not a form; {_SAVE_AS}")
        if "PowerPoint Document" in streams:
            raise NotAFormError(f"{name}: this is an old binary PowerPoint file (.ppt), not a .docx or .xlsx form")
        raise NotAFormError(
            f"{name}: this is an old binary Office file (.doc/.xls) or another OLE2 compound file (such as an "
            f"Outlook message); {_SAVE_AS}"
        )
    if b"%PDF-" in data[:1024]:
        raise NotAFormError(f"{name}: this is a PDF, not a .docx or .xlsx form")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise NotAFormError(f"{name}: this is {what}, not a .docx or .xlsx form")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        raise NotAFormError(f"{name}: this is a WebP image, not a .docx or .xlsx form")
    if data[4:8] == b"ftyp":
        raise NotAFormError(f"{name}: this is an image or video (HEIC/MP4), not a .docx or .xlsx form")
    if b"PK\x03\x04" in data[:65536] or b"PK\x05\x06" in data[-65557:]:
        raise DamagedFileError(f"{name}: the zip package is damaged (it does not start where a zip starts)")
    text = _text_kind(data[:65536])
    if text:
        raise NotAFormError(f"{name}: this is {text}")
    head = data[:4096]
    try:
        head.decode("utf-8")
        is_text = True
    except UnicodeDecodeError as exc:
        is_text = exc.start > len(head) - 4  # a character cut at the end of the sample
    if is_text and b"\x00" not in head:
        raise NotAFormError(f"{name}: this is a text file, not a .docx or .xlsx file (it is not a zip package)")
    raise NotAFormError(f"{name}: not a .docx or .xlsx file (it is not a zip package)")


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
                f"{name}: the package would unpack to {_size(total)} from {_size(len(data))}: a zip bomb, refused"
            )
        raise TooLargeError(
            f"{name}: the package unpacks to {_size(total)}; at most {_size(limits.max_total_bytes)} is read"
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
            raise NotAFormError(f"{name}: this is an OpenDocument file ({suffix}); {_SAVE_AS}")
        if mimetype.startswith(b"application/epub"):
            raise NotAFormError(f"{name}: this is an e-book (EPUB), not a .docx or .xlsx form")
    if "[Content_Types].xml" in names:
        raise NotAFormError(
            f"{name}: an Office package, but neither a Word (.docx) nor an Excel (.xlsx) file (no word/document.xml "
            "or xl/workbook.xml)"
        )
    raise NotAFormError(f"{name}: a zip package, but neither a Word (.docx) nor an Excel (.xlsx) file")


# -- the parts -------------------------------------------------------------------------------------------------


_PART_NAME = re.compile(r"[\w.\[\]/+-]{1,120}")


def shown_part(member: str) -> str:
    """A part's name as shown in a message: names come from the file, so only one that looks like a path."""
    return member if _PART_NAME.fullmatch(member) else "<a part with an unusual name>"


def read_member(archive: zipfile.ZipFile, member: str, name: str, limits: Limits | None = None) -> bytes:
    """A part of the package, unpacked within the limits; XML parts are checked (:func:`check_xml_bytes`).

    A part that is missing or damaged raises :class:`DamagedFileError`; one that is too large
    :class:`TooLargeError` or :class:`ZipBombError`.
    """
    state = _state()
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
            f"{name}: the part {part} would unpack to {_size(info.file_size)} from {_size(info.compress_size)}: "
            "a zip bomb, refused"
        )
    if info.file_size > limits.max_part_bytes:
        raise TooLargeError(
            f"{name}: the part {part} unpacks to {_size(info.file_size)}; at most "
            f"{_size(limits.max_part_bytes)} is read"
        )
    if state.read + info.file_size > limits.max_total_bytes:
        raise TooLargeError(f"{name}: the parts read unpack to more than {_size(limits.max_total_bytes)}")
    try:
        with archive.open(info) as handle:
            data = handle.read(min(info.file_size, limits.max_part_bytes) + 1)
    except _ZIP_ERRORS as exc:
        raise DamagedFileError(f"{name}: the part {part} is damaged ({_zip_problem(exc)})") from None
    if len(data) > limits.max_part_bytes:
        raise TooLargeError(f"{name}: the part {part} unpacks to more than {_size(limits.max_part_bytes)}")
    state.read += len(data)
    if _is_xml_part(member):
        check_xml_bytes(data, part, name, limits)
    return data


def _is_xml_part(member: str) -> bool:
    return member.lower().endswith((".xml", ".rels", ".vml"))


_ALLOWED_ENCODINGS = frozenset({"utf-8", "utf8", "us-ascii", "ascii", "utf-16", "utf-16le", "utf-16be"})
_DECLARATION = re.compile(rb"""^<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")


def _doctype_patterns() -> list[re.Pattern[bytes]]:
    patterns = []
    for word in ("<!DOCTYPE", "<!ENTITY"):
        patterns.append(re.compile(re.escape(word.encode()), re.IGNORECASE))
        for width in ("le", "be"):
            chars = []
            for char in word:
                lo, up = char.lower().encode(f"utf-16-{width}"), char.upper().encode(f"utf-16-{width}")
                chars.append(re.escape(lo) if lo == up else b"(?:" + re.escape(lo) + b"|" + re.escape(up) + b")")
            patterns.append(re.compile(b"".join(chars)))
    return patterns


_DOCTYPE = _doctype_patterns()
_ROOT_START = re.compile(rb"<[A-Za-z_]|<\x00[A-Za-z_]|\x00<\x00[A-Za-z_]")


def _prolog_end(data: bytes) -> int:
    """Where the root element starts (in UTF-8 or UTF-16): a document type can only be declared before it,
    and anywhere later it would make the XML not well-formed, which the parser refuses anyway."""
    found = _ROOT_START.search(data)
    return found.start() if found else len(data)


def check_xml_bytes(data: bytes, part: str, name: str, limits: Limits | None = None) -> None:
    """Refuse an XML part before it is parsed: an encoding other than UTF-8/UTF-16 (which Office files are
    always in), a document type declaration (entities, an external DTD), or nesting deeper than allowed."""
    encoding = _encoding(data)
    if encoding not in _ALLOWED_ENCODINGS:
        raise DamagedFileError(
            f"{name}: the part {part} is in the encoding '{encoding}'; the XML of an Office file is UTF-8 or UTF-16"
        )
    prolog = data[: _prolog_end(data)]
    if any(pattern.search(prolog) for pattern in _DOCTYPE):
        raise XmlEntitiesError(
            f"{name}: the part {part} declares a document type (<!DOCTYPE>/<!ENTITY>), which Office files never "
            "do; entities and external DTDs are not read (billion laughs, XXE), and the file is refused"
        )
    limits = limits or _state().limits
    if limits.max_xml_depth < LIBXML_MAX_DEPTH:
        parse_xml(data, safe_parser(), part, name, limits)


def _encoding(data: bytes) -> str:
    head = data[:4]
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    if head in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\x3c\x00\x00\x00", b"\x00\x00\x00\x3c"):
        return "utf-32"
    if head.startswith((b"\xff\xfe", b"<\x00")):
        return "utf-16le"
    if head.startswith((b"\xfe\xff", b"\x00<")):
        return "utf-16be"
    if head == b"\x4c\x6f\xa7\x94":
        return "ebcdic"
    match = _DECLARATION.match(data[:300])
    return match.group(1).decode("ascii").lower() if match else "utf-8"


def safe_parser() -> etree.XMLParser:
    """The lxml parser for untrusted XML: no entities resolved, no DTD loaded, no network, libxml2's limits."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
    )


def parse_xml(
    data: bytes, parser: etree.XMLParser | None, part: str, name: str, limits: Limits | None = None
) -> etree._Element:
    """Parse an XML part with the safe parser; every failure is a musforms error naming the part."""
    limits = limits or _state().limits
    try:
        root = etree.fromstring(data, parser or safe_parser())
    except etree.XMLSyntaxError as exc:
        raise xml_error(exc, part, name) from None
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.doctype:
        raise XmlEntitiesError(f"{name}: the part {part} declares a document type, which Office files never do")
    if limits.max_xml_depth < LIBXML_MAX_DEPTH and _deeper(limits.max_xml_depth)(root):
        raise TooDeepError(f"{name}: the part {part} nests elements more than {limits.max_xml_depth} deep")
    return root


@lru_cache(maxsize=8)
def _deeper(depth: int) -> etree.XPath:
    """An XPath that is true when an element lies ``depth + 1`` levels deep (linear in the tree's size)."""
    return etree.XPath("boolean(" + "/*" * (depth + 1) + ")")


def xml_error(exc: etree.XMLSyntaxError, part: str, name: str) -> ParseError:
    """The musforms error for an XML part lxml could not parse (without the part's content)."""
    message = (exc.msg or "").lower()
    if "excessive depth" in message:
        return TooDeepError(f"{name}: the part {part} nests elements more than {LIBXML_MAX_DEPTH} deep")
    if "amplification" in message or ("entity" in message and "loop" in message):
        return XmlEntitiesError(f"{name}: the part {part} expands entities, which Office files never do")
    line, column = exc.position if exc.position else (0, 0)
    where = f" (line {line}, column {column})" if line else ""
    return DamagedFileError(f"{name}: the part {part} is not well-formed XML{where}")
