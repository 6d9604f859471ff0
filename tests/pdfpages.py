"""What a printed PDF shows, measured: each page's text lines (position, font size, weight, colour) and how far down
its text area the page is inked (text, borders, boxes). Used by the print checks over every document.

Text comes from poppler's ``pdftohtml -xml`` (lines with their font), ink from ``pdftoppm -gray`` (a greyscale
picture of the page, read without an image library). Positions are in points from the top of the page.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

__all__ = ["BODY_BOTTOM", "BODY_TOP", "Line", "Page", "read_pdf"]

ZOOM = 4
"""pdftohtml's zoom: font sizes come as whole numbers at this zoom, so a quarter point is told apart."""
DPI = 36
"""The resolution of the ink picture: half a pixel per point."""
INK = 200
"""A pixel darker than this (0 black, 255 white) is ink: text, a border, a line to write on; not a light fill."""
BODY_TOP = 50.0
"""Where the body of a page starts, in points: above is the header (the margins are 2 cm, 57 pt)."""
BODY_BOTTOM = 50.0
"""How far above the page's bottom edge the body ends: below is the footer."""


@dataclass(frozen=True)
class Line:
    """One line of text as printed."""

    page: int
    top: float
    bottom: float
    left: float
    size: float
    """The font size in points."""
    bold: bool
    colour: str
    text: str


@dataclass(frozen=True)
class Page:
    """One printed page."""

    number: int
    width: float
    height: float
    lines: tuple[Line, ...]
    ink_bottom: float
    """The lowest inked point of the body, in points from the top (the body's top when the body is blank)."""

    def in_body(self, line: Line) -> bool:
        """Whether ``line`` is between header and footer."""
        return line.top >= BODY_TOP and line.bottom <= self.height - BODY_BOTTOM

    @property
    def body(self) -> tuple[Line, ...]:
        """The lines between header and footer."""
        return tuple(line for line in self.lines if self.in_body(line))

    @property
    def margins(self) -> tuple[Line, ...]:
        """The header's and the footer's lines."""
        return tuple(line for line in self.lines if not self.in_body(line))

    @property
    def fill(self) -> float:
        """How much of the body's height is used, from its top to its lowest ink: 0 to 1."""
        height = self.height - BODY_BOTTOM - BODY_TOP
        return max(0.0, min(1.0, (self.ink_bottom - BODY_TOP) / height))

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def _points_wide(pdf: Path) -> float:
    """The width of the PDF's first page in points (pdftohtml's zoom does not scale its positions exactly by the
    zoom: they are scaled back by this)."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    found = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert found, info
    return float(found.group(1))


def _lines(pdf: Path) -> dict[int, tuple[float, float, list[Line]]]:
    wide = _points_wide(pdf)
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", "-zoom", str(ZOOM), str(pdf)], capture_output=True, check=True
    ).stdout
    root = etree.fromstring(xml, etree.XMLParser(recover=True, resolve_entities=False, no_network=True))
    fonts: dict[str, tuple[float, str]] = {}
    pages: dict[int, tuple[float, float, list[Line]]] = {}
    for page in root.iterfind("page"):
        number = int(page.get("number", "0"))
        scale = float(page.get("width", "0")) / wide
        lines: list[Line] = []
        for spec in page.iterfind("fontspec"):
            fonts[spec.get("id", "")] = (float(spec.get("size", "0")) / scale, spec.get("color", "#000000").lower())
        for text in page.iterfind("text"):
            size, colour = fonts.get(text.get("font", ""), (0.0, "#000000"))
            words = re.sub(r"\s+", " ", "".join(text.itertext())).strip()
            if not words:
                continue
            top = float(text.get("top", "0")) / scale
            lines.append(
                Line(
                    number,
                    top,
                    top + float(text.get("height", "0")) / scale,
                    float(text.get("left", "0")) / scale,
                    size,
                    text.find(".//b") is not None,
                    colour,
                    words,
                )
            )
        lines.sort(key=lambda line: (round(line.top), line.left))
        pages[number] = (float(page.get("width", "0")) / scale, float(page.get("height", "0")) / scale, lines)
    return pages


def _ink_bottoms(pdf: Path) -> list[float]:
    """Per page, the lowest inked row of the body, in points."""
    bottoms: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", str(pdf), f"{folder}/p"], check=True)
        for picture in sorted(Path(folder).glob("p-*.pgm"), key=lambda p: int(p.stem.split("-")[-1])):
            data = picture.read_bytes()
            header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+\d+\s", data)
            assert header, picture
            w, h, pixels = int(header.group(1)), int(header.group(2)), data[header.end() :]
            scale = 72 / DPI
            top_row, bottom_row = int(BODY_TOP / scale), h - int(BODY_BOTTOM / scale)
            lowest = top_row
            for row in range(bottom_row - 1, top_row - 1, -1):
                if min(pixels[row * w : (row + 1) * w]) < INK:
                    lowest = row + 1
                    break
            bottoms.append(lowest * scale)
    return bottoms


def read_pdf(pdf: Path) -> list[Page]:
    """Every page of ``pdf``: its lines and its ink."""
    lines = _lines(pdf)
    inks = _ink_bottoms(pdf)
    return [
        Page(number, width, height, tuple(page_lines), inks[number - 1] if number - 1 < len(inks) else BODY_TOP)
        for number, (width, height, page_lines) in sorted(lines.items())
    ]
