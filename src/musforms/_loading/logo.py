"""The company logo a template names (a file, or bytes given with the template): a PNG or JPEG image, not too
large, whose header makes sense.

The header is read here, without an imaging library: a PNG's width and height from its IHDR chunk (the chunks
walked by their lengths up to IEND), a JPEG's from its first start-of-frame segment (the segments walked by their
lengths up to the start of the scan). A header that is cut short or does not add up is refused, before the
logo is ever placed in a form.
"""

from __future__ import annotations

from pathlib import Path

from musforms.errors import ImageHeaderError

__all__ = [
    "DAMAGED",
    "LOGO_MAX_BYTES",
    "LOGO_MAX_PIXELS",
    "NOT_AN_IMAGE",
    "image_problem",
    "image_size",
    "logo_data_problem",
    "logo_problem",
]

LOGO_MAX_BYTES = 2_000_000
"""The largest logo image, in bytes."""
LOGO_MAX_PIXELS = 10_000
"""The largest width or height of a logo image, in pixels."""

NOT_AN_IMAGE = "the logo must be a PNG or JPEG image"
"""Why a file that is neither a PNG nor a JPEG is refused."""
DAMAGED = "the logo is not a readable PNG or JPEG image (its header is damaged)"
"""Why a PNG or JPEG whose header is cut short or does not add up is refused."""

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"

_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
"""The start-of-frame markers SOF0 to SOF15, which hold the size; C4 (DHT), C8 (JPG) and CC (DAC) are not."""
_JPEG_ALONE = frozenset({0x01, *range(0xD0, 0xD8)})
"""Markers without a segment (TEM, RST0 to RST7)."""
_JPEG_SCAN = 0xDA
"""Start of scan: the compressed picture follows, the header ends."""


def logo_problem(path: Path) -> str | None:
    """Why the logo file at ``path`` cannot be used (too large, not a PNG or JPEG, a damaged header, too many
    pixels), or None."""
    if path.stat().st_size > LOGO_MAX_BYTES:
        return f"the logo is larger than {LOGO_MAX_BYTES // 1_000_000} MB"
    with path.open("rb") as handle:
        data = handle.read(LOGO_MAX_BYTES + 1)
    if len(data) > LOGO_MAX_BYTES:
        return f"the logo is larger than {LOGO_MAX_BYTES // 1_000_000} MB"
    return image_problem(data)


def logo_data_problem(data: bytes) -> str | None:
    """Why a logo given as bytes cannot be used (checked as a logo file is: too large, not a PNG or JPEG, a
    damaged header, too many pixels), or None."""
    if not isinstance(data, bytes | bytearray | memoryview):
        return f"the logo must be given as bytes, not {type(data).__name__}"
    if len(data) > LOGO_MAX_BYTES:
        return f"the logo is larger than {LOGO_MAX_BYTES // 1_000_000} MB"
    return image_problem(bytes(data))


def image_problem(data: bytes) -> str | None:
    """Why the bytes of a logo are not a PNG or JPEG image of at most :data:`LOGO_MAX_PIXELS` each way, or None."""
    if not data.startswith((_PNG, _JPEG)):
        return NOT_AN_IMAGE
    size = image_size(data)
    if size is None:
        return DAMAGED
    width, height = size
    if not (0 < width <= LOGO_MAX_PIXELS and 0 < height <= LOGO_MAX_PIXELS):
        return f"the logo is {width} x {height} pixels; it must be at most {LOGO_MAX_PIXELS} x {LOGO_MAX_PIXELS}"
    return None


def image_size(data: bytes) -> tuple[int, int] | None:
    """The width and height, in pixels, of a PNG or JPEG image as its header says; None when ``data`` is not one
    or its header is cut short or damaged."""
    try:
        if data.startswith(_PNG):
            return _png_size(data)
        if data.startswith(_JPEG):
            return _jpeg_size(data)
    except ImageHeaderError:
        return None
    return None


def _number(data: bytes, start: int, length: int) -> int:
    """The big-endian number of ``length`` bytes at ``start``."""
    if start + length > len(data):
        raise ImageHeaderError
    return int.from_bytes(data[start : start + length], "big")


def _png_size(data: bytes) -> tuple[int, int]:
    """Chunks of length (4 bytes), type (4 letters), data and checksum (4 bytes); the first is IHDR (13 bytes,
    the width and height first), the last IEND."""
    offset = len(_PNG)
    size: tuple[int, int] | None = None
    while True:
        length = _number(data, offset, 4)
        kind = data[offset + 4 : offset + 8]
        if len(kind) < 4 or not kind.isalpha():
            raise ImageHeaderError
        if size is None:
            if kind != b"IHDR" or length != 13:
                raise ImageHeaderError
            size = (_number(data, offset + 8, 4), _number(data, offset + 12, 4))
        if kind == b"IEND":
            return size
        offset += 4 + 4 + length + 4


def _jpeg_size(data: bytes) -> tuple[int, int]:
    """Segments of a marker (``FF`` and a code, after any ``FF`` fill bytes), a length (2 bytes, itself counted)
    and data. The header starts with a JFIF (APP0) or Exif (APP1) segment; a start-of-frame segment gives the
    height and width (after one byte of precision); the start of the scan ends the header."""
    if not (data[2:4] == b"\xff\xe0" and data[6:11] == b"JFIF\x00") and not (
        data[2:4] == b"\xff\xe1" and data[6:12] == b"Exif\x00\x00"
    ):
        raise ImageHeaderError
    offset = 2
    size: tuple[int, int] | None = None
    while True:
        if offset >= len(data) or data[offset] != 0xFF:
            raise ImageHeaderError
        while offset < len(data) and data[offset] == 0xFF:
            offset += 1
        code = _number(data, offset, 1)
        offset += 1
        if code in _JPEG_ALONE:
            continue
        if code in (0x00, 0xD8, 0xD9):
            raise ImageHeaderError  # a stuffed byte, a second start of the image, or its end before the scan
        length = _number(data, offset, 2)
        if length < 2 or offset + length > len(data):
            raise ImageHeaderError
        if code in _JPEG_FRAMES and size is None:
            if length < 8:
                raise ImageHeaderError
            height, width = _number(data, offset + 3, 2), _number(data, offset + 5, 2)
            size = (width, height)
        if code == _JPEG_SCAN:
            if size is None:
                raise ImageHeaderError
            return size
        offset += length
