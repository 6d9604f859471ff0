"""The logo's header, read without an imaging library: a PNG's size from its IHDR chunk, a JPEG's from its first
start-of-frame segment; a header cut short or damaged, and absurd sizes, are refused with the usual messages."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import musforms
from musforms._loading.logo import (
    DAMAGED,
    LOGO_MAX_BYTES,
    LOGO_MAX_PIXELS,
    NOT_AN_IMAGE,
    image_problem,
    image_size,
    logo_problem,
)
from musforms.errors import TemplateError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
PIXELS = re.compile(rf"the logo is \d+ x \d+ pixels; it must be at most {LOGO_MAX_PIXELS} x {LOGO_MAX_PIXELS}")


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, *, ihdr: bytes | None = None, end: bool = True) -> bytes:
    header = ihdr if ihdr is not None else struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x10\x20\x30" * min(width, 4) for _ in range(min(height, 4))))
    return (
        PNG_SIGNATURE
        + chunk(b"IHDR", header)
        + chunk(b"pHYs", struct.pack(">IIB", 2835, 2835, 1))
        + chunk(b"IDAT", pixels)
        + (chunk(b"IEND", b"") if end else b"")
    )


def segment(code: int, data: bytes) -> bytes:
    return bytes([0xFF, code]) + struct.pack(">H", len(data) + 2) + data


JFIF = segment(0xE0, b"JFIF\x00\x01\x01\x01\x00\x48\x00\x48\x00\x00")
EXIF = segment(0xE1, b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00")
QUANTISATION = segment(0xDB, b"\x00" + bytes(range(1, 65)))
HUFFMAN = segment(0xC4, b"\x00" + b"\x01" + b"\x00" * 15 + b"\x00")
SCAN = segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")


def frame(width: int, height: int, code: int = 0xC0) -> bytes:
    return segment(code, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")


def jpeg(width: int, height: int, *, first: bytes = JFIF, code: int = 0xC0) -> bytes:
    return (
        b"\xff\xd8"
        + first
        + QUANTISATION
        + HUFFMAN
        + frame(width, height, code)
        + HUFFMAN
        + SCAN
        + b"\x12\x34\xff\x00\x56"
        + b"\xff\xd9"
    )


# -- good headers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), [(1, 1), (60, 20), (LOGO_MAX_PIXELS, 3)])
def test_a_png_s_size_comes_from_its_ihdr_chunk(width: int, height: int) -> None:
    data = png(width, height)
    assert image_size(data) == (width, height)
    assert image_problem(data) is None


@pytest.mark.parametrize("code", [0xC0, 0xC1, 0xC2, 0xC3, 0xC9, 0xCF])
@pytest.mark.parametrize("first", [JFIF, EXIF], ids=["jfif", "exif"])
def test_a_jpeg_s_size_comes_from_its_first_start_of_frame(code: int, first: bytes) -> None:
    data = jpeg(120, 45, first=first, code=code)
    assert image_size(data) == (120, 45)
    assert image_problem(data) is None


def test_the_huffman_table_before_the_frame_is_not_taken_for_a_frame() -> None:
    """C4 (DHT), like C8 (JPG) and CC (DAC), lies among the SOF codes but holds no size."""
    data = jpeg(33, 44)
    assert data.index(HUFFMAN) < data.index(frame(33, 44))
    assert image_size(data) == (33, 44)


def test_fill_bytes_before_a_marker_are_passed_over() -> None:
    data = jpeg(7, 9).replace(QUANTISATION, b"\xff\xff\xff" + QUANTISATION)
    assert image_size(data) == (7, 9)


# -- what is refused ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"GIF89a" + b"\0" * 20, b"BM" + b"\0" * 40, b"\xff\xd8", b"\x89PNG"])
def test_other_files_are_not_a_png_or_jpeg(data: bytes) -> None:
    assert image_problem(data) == NOT_AN_IMAGE
    assert image_size(data) is None


@pytest.mark.parametrize(
    "data",
    [
        PNG_SIGNATURE,
        PNG_SIGNATURE + b"\0" * 64,  # a first chunk that is not IHDR
        png(10, 10)[:20],  # cut inside IHDR
        png(10, 10)[:-12],  # no IEND
        png(10, 10, end=False),
        png(10, 10, ihdr=b"\x00\x00\x00\x0a\x00\x00\x00\x0a"),  # IHDR of 8 bytes, not 13
        png(10, 10).replace(b"IDAT", b"ID\x00T"),  # a chunk type that is not four letters
        png(10, 10).replace(chunk(b"pHYs", struct.pack(">IIB", 2835, 2835, 1)), b"\x7f\xff\xff\xffpHYs"),  # too long
    ],
    ids=["signature", "zeros", "cut-ihdr", "cut-iend", "no-iend", "short-ihdr", "bad-type", "long-chunk"],
)
def test_a_png_header_cut_short_or_damaged_is_refused(data: bytes) -> None:
    assert image_size(data) is None
    assert image_problem(data) == DAMAGED


def _cut(data: bytes, part: bytes, keep: int) -> bytes:
    return data[: data.index(part) + keep]


@pytest.mark.parametrize(
    "data",
    [
        JPEG_SIGNATURE + b"\xe0",
        jpeg(5, 5)[:30],  # cut in the quantisation table
        _cut(jpeg(5, 5), frame(5, 5), 6),  # cut in the frame
        _cut(jpeg(5, 5), SCAN, 0),  # cut before the scan
        _cut(jpeg(5, 5), SCAN, 3),  # cut in the scan's header
        jpeg(5, 5, first=segment(0xEE, b"Adobe\x00\x64\x00\x00\x00\x00\x01")),  # neither JFIF nor Exif first
        jpeg(5, 5).replace(frame(5, 5), b""),  # no frame before the scan
        jpeg(5, 5).replace(QUANTISATION, b"\x00" + QUANTISATION),  # a byte between segments
        jpeg(5, 5).replace(QUANTISATION, b"\xff\x00" + QUANTISATION[2:]),  # a stuffed byte for a marker
        jpeg(5, 5).replace(QUANTISATION, b"\xff\xd9"),  # the end of the image before its frame
        jpeg(5, 5).replace(QUANTISATION, b"\xff\xdb\x00\x01"),  # a segment length below 2
        jpeg(5, 5).replace(QUANTISATION, b"\xff\xdb\xff\xff"),  # a segment longer than the file
        jpeg(5, 5).replace(frame(5, 5), segment(0xC0, b"\x08\x00\x05")),  # a frame too short for its size
    ],
    ids=[
        "signature",
        "cut-table",
        "cut-frame",
        "cut-before-scan",
        "cut-scan",
        "adobe-first",
        "no-frame",
        "garbage",
        "stuffed",
        "early-end",
        "short-length",
        "long-length",
        "short-frame",
    ],
)
def test_a_jpeg_header_cut_short_or_damaged_is_refused(data: bytes) -> None:
    assert image_size(data) is None
    assert image_problem(data) == DAMAGED


@pytest.mark.parametrize(
    ("data", "size"),
    [
        (png(0, 10), (0, 10)),
        (png(10, 0), (10, 0)),
        (png(2**32 - 1, 2**32 - 1), (2**32 - 1, 2**32 - 1)),
        (png(LOGO_MAX_PIXELS + 1, 1), (LOGO_MAX_PIXELS + 1, 1)),
        (jpeg(0, 10), (0, 10)),
        (jpeg(65535, 65535), (65535, 65535)),
        (jpeg(1, LOGO_MAX_PIXELS + 1), (1, LOGO_MAX_PIXELS + 1)),
    ],
)
def test_absurd_sizes_are_refused_with_the_size(data: bytes, size: tuple[int, int]) -> None:
    assert image_size(data) == size
    width, height = size
    assert image_problem(data) == (
        f"the logo is {width} x {height} pixels; it must be at most {LOGO_MAX_PIXELS} x {LOGO_MAX_PIXELS}"
    )


def test_a_logo_file_larger_than_the_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "logo.png"
    with path.open("wb") as handle:
        handle.write(png(1, 1))
        handle.truncate(LOGO_MAX_BYTES + 1)
    assert logo_problem(path) == "the logo is larger than 2 MB"
    path.write_bytes(png(3, 4))
    assert logo_problem(path) is None


# -- random bytes ------------------------------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(signature=st.sampled_from([PNG_SIGNATURE, JPEG_SIGNATURE]), tail=st.binary(max_size=300))
def test_random_bytes_after_a_signature_give_only_the_documented_problems(signature: bytes, tail: bytes) -> None:
    problem = image_problem(signature + tail)
    assert problem is None or problem == DAMAGED or PIXELS.fullmatch(problem), problem


@settings(max_examples=400, deadline=None)
@given(
    header=st.sampled_from([png(3, 4)[:33], jpeg(3, 4)[:20], (b"\xff\xd8" + JFIF + QUANTISATION)]),
    tail=st.binary(max_size=200),
)
def test_random_bytes_after_a_valid_start_give_only_the_documented_problems(header: bytes, tail: bytes) -> None:
    problem = image_problem(header + tail)
    assert problem is None or problem == DAMAGED or PIXELS.fullmatch(problem), problem


# -- in a template, and in the Word form --------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["png", "jpg"])
def test_a_hand_made_logo_loads_and_goes_into_the_word_form(tmp_path: Path, suffix: str) -> None:
    (tmp_path / f"logo.{suffix}").write_bytes(png(40, 12) if suffix == "png" else jpeg(40, 12))
    path = tmp_path / "t.yaml"
    path.write_text(f"extends: mus-soft-da\nid: t\ncompany: {{name: Acme, logo: logo.{suffix}}}\n", encoding="utf-8")
    template = musforms.load_template(path)
    assert template.logo_file == (tmp_path / f"logo.{suffix}").resolve()
    form = musforms.render(template, "docx", role="employee", context={"employee": {"id": "E-1", "name": "Ida"}})
    assert form.startswith(b"PK")


def test_a_damaged_logo_is_a_problem_of_the_template(tmp_path: Path) -> None:
    (tmp_path / "logo.jpg").write_bytes(_cut(jpeg(5, 5), SCAN, 0))
    path = tmp_path / "t.yaml"
    path.write_text("extends: mus-soft-da\nid: t\ncompany: {name: Acme, logo: logo.jpg}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as raised:
        musforms.load_template(path)
    (problem,) = raised.value.problems
    assert problem.message == DAMAGED and problem.path == "company.logo"
