"""A package's parts unpacked straight from its bytes are what zipfile gives, and anything unusual about a part is
left to zipfile, which refuses it as before."""

from __future__ import annotations

import io
import struct
import threading
import zipfile

import pytest

import musforms
from musforms._core import safezip
from musforms._core.safexml import safe_parser
from musforms.errors import DamagedFileError, XmlEntitiesError


@pytest.fixture(scope="module")
def form() -> bytes:
    template = musforms.load_template("mus-scored-da")
    return musforms.render(template, "docx", role="employee", context={"employee": {"name": "Ida Holm", "id": "E1"}})


def test_every_part_of_a_form_is_read_directly_and_as_zipfile_reads_it(form: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(form)) as archive:
        for info in archive.infolist():
            assert safezip._direct(archive, info) == archive.read(info)


def _with_crc(data: bytes, member: str, crc: int) -> bytes:
    """``data`` with the CRC-32 of ``member`` changed in its local header and in the central directory."""
    out = bytearray(data)
    end = out.rfind(b"PK\x05\x06")
    count, _size, offset = struct.unpack_from("<HII", out, end + 10)
    for _ in range(count):
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", out, offset + 28)
        if bytes(out[offset + 46 : offset + 46 + name_length]) == member.encode():
            local = struct.unpack_from("<I", out, offset + 42)[0]
            struct.pack_into("<I", out, offset + 16, crc)
            struct.pack_into("<I", out, local + 14, crc)
        offset += 46 + name_length + extra_length + comment_length
    return bytes(out)


def test_a_part_whose_checksum_does_not_match_is_refused_by_zipfile(form: bytes) -> None:
    damaged = _with_crc(form, "word/document.xml", 0x12345678)
    with zipfile.ZipFile(io.BytesIO(damaged)) as archive:
        assert safezip._direct(archive, archive.getinfo("word/document.xml")) is None
    with pytest.raises(DamagedFileError, match="checksum does not match"):
        musforms.parse(damaged)


def test_a_part_read_directly_is_checked_as_xml_as_before(form: bytes) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(form)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                content = content.replace(b"?>", b'?><!DOCTYPE w:document [<!ENTITY e "x">]>', 1)
            target.writestr(info.filename, content)
    hostile = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(hostile)) as archive:
        assert safezip._direct(archive, archive.getinfo("word/document.xml")) is not None
    with pytest.raises(XmlEntitiesError):
        musforms.parse(hostile)


def test_one_parser_per_thread() -> None:
    assert safe_parser() is safe_parser()
    other: list[object] = []
    thread = threading.Thread(target=lambda: other.append(safe_parser()))
    thread.start()
    thread.join()
    assert other[0] is not safe_parser()
