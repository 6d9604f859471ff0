"""Stamp many zip packages from one skeleton: unchanged members are copied as compressed bytes, never re-deflated."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

__all__ = ["DeflateJoiner", "Deflated", "ZipSkeleton", "sync_deflate"]

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_DOS_TIME = (0, (1 << 5) | 1 | ((2026 - 1980) << 9))  # a fixed date, so equal input gives equal bytes
_VERSION = 20
_UTF8_FLAG = 0x800


@dataclass(frozen=True)
class _Member:
    name: bytes
    method: int
    crc: int
    compressed: bytes
    size: int


def _deflate(data: bytes, level: int) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def sync_deflate(data: bytes, level: int = 6) -> bytes:
    """``data`` as raw deflate blocks ending on a byte boundary and not marked final, so that pieces
    deflated apart can be joined into one stream."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


_FINAL_EMPTY_BLOCK = b"\x03\x00"


@dataclass(frozen=True)
class Deflated:
    """A member's content already deflated: the compressed bytes, the CRC-32 and the size of the content."""

    compressed: bytes
    crc: int
    size: int


class DeflateJoiner:
    """Builds one deflated member from pieces: fixed pieces deflated once beforehand, the rest now."""

    def __init__(self, level: int = 6) -> None:
        self._level = level
        self._parts: list[bytes] = []
        self._crc = 0
        self._size = 0

    def add_fixed(self, raw: bytes, compressed: bytes) -> None:
        """A piece whose :func:`sync_deflate` was computed beforehand."""
        self._parts.append(compressed)
        self._crc = zlib.crc32(raw, self._crc)
        self._size += len(raw)

    def add(self, raw: bytes) -> None:
        """A piece to deflate now."""
        if raw:
            self.add_fixed(raw, sync_deflate(raw, self._level))

    def result(self) -> Deflated:
        """The joined member."""
        return Deflated(b"".join(self._parts) + _FINAL_EMPTY_BLOCK, self._crc, self._size)


class ZipSkeleton:
    """A zip package read once; :meth:`stamp` writes a copy with some members replaced.

    The members that are not replaced keep their compressed bytes as they are, which makes stamping a
    package of mostly unchanged parts (styles, themes, fonts) about as cheap as copying memory.
    """

    def __init__(self, members: list[_Member], level: int = 6) -> None:
        self._members = members
        self._level = level
        self._names = [m.name.decode("utf-8") for m in members]

    @classmethod
    def from_bytes(cls, data: bytes, *, level: int = 6) -> ZipSkeleton:
        """Read a zip package (members stored or deflated) into a skeleton."""
        members: list[_Member] = []
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                raw = cls._raw_member(data, info)
                method = info.compress_type
                if method not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    content = archive.read(info)
                    raw, method = _deflate(content, level), zipfile.ZIP_DEFLATED
                members.append(_Member(info.filename.encode("utf-8"), method, info.CRC, raw, info.file_size))
        return cls(members, level)

    @staticmethod
    def _raw_member(data: bytes, info: zipfile.ZipInfo) -> bytes:
        offset = info.header_offset
        header = _LOCAL.unpack_from(data, offset)
        start = offset + _LOCAL.size + header[9] + header[10]
        return data[start : start + info.compress_size]

    @property
    def names(self) -> list[str]:
        """The member names, in package order."""
        return list(self._names)

    def read(self, name: str) -> bytes:
        """The uncompressed content of member ``name``."""
        member = self._members[self._names.index(name)]
        if member.method == zipfile.ZIP_STORED:
            return member.compressed
        return zlib.decompress(member.compressed, -15)

    def stamp(self, replace: dict[str, bytes | Deflated], add: dict[str, bytes] | None = None) -> bytes:
        """A package with the members in ``replace`` given new content and those in ``add`` appended."""
        unknown = set(replace) - set(self._names)
        if unknown:
            raise KeyError(f"no such members to replace: {sorted(unknown)}")
        out = io.BytesIO()
        central: list[bytes] = []
        entries = [(m, replace.get(name)) for m, name in zip(self._members, self._names, strict=True)] + [
            (None, (name, content)) for name, content in (add or {}).items()
        ]
        for member, new in entries:
            if member is None:
                assert isinstance(new, tuple)
                name = new[0].encode("utf-8")
                record = self._fresh(name, new[1])
            elif new is None:
                record = member
            elif isinstance(new, Deflated):
                record = _Member(member.name, zipfile.ZIP_DEFLATED, new.crc, new.compressed, new.size)
            else:
                assert isinstance(new, bytes)
                record = self._fresh(member.name, new)
            central.append(self._write(out, record))
        directory_offset = out.tell()
        for entry in central:
            out.write(entry)
        size = out.tell() - directory_offset
        out.write(_END.pack(0x06054B50, 0, 0, len(central), len(central), size, directory_offset, 0))
        return out.getvalue()

    def _fresh(self, name: bytes, content: bytes) -> _Member:
        return _Member(name, zipfile.ZIP_DEFLATED, zlib.crc32(content), _deflate(content, self._level), len(content))

    @staticmethod
    def _write(out: io.BytesIO, m: _Member) -> bytes:
        offset = out.tell()
        flags = _UTF8_FLAG if any(b > 127 for b in m.name) else 0
        out.write(
            _LOCAL.pack(
                0x04034B50, _VERSION, flags, m.method, *_DOS_TIME, m.crc, len(m.compressed), m.size, len(m.name), 0
            )
        )
        out.write(m.name)
        out.write(m.compressed)
        head = _CENTRAL.pack(
            0x02014B50,
            _VERSION,
            _VERSION,
            flags,
            m.method,
            *_DOS_TIME,
            m.crc,
            len(m.compressed),
            m.size,
            len(m.name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        return head + m.name
