"""The talk form printed through LibreOffice to PDF: the rating tables' headings whole on one line, and the box for
notes and conclusions on the same page as its heading, however far down the page it falls."""

from __future__ import annotations

import html
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import musforms
from musforms._workflows.talk import render_talk

from ..test_talk_print import talk_forms
from .conftest import require_libreoffice
from .harness import convert

_WORD = re.compile(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>')
_PAGE = re.compile(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', re.S)
BOTTOM_MARGIN = 2 / 2.54 * 72
"""The page's bottom margin, in points."""
NOTES_ROOM = 1500 / 20
"""The height of the room to write in below the notes' heading, in points."""


def _layout(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _headings(pdf: Path, phrase: str) -> Iterator[tuple[int, float, float]]:
    """Where ``phrase`` is on the PDF's pages: (page, the page's height, the bottom of the phrase), in points."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    first, *rest = phrase.split()
    for number, page in enumerate(_PAGE.finditer(out), start=1):
        words = [(float(y), html.unescape(text)) for y, text in _WORD.findall(page.group(2))]
        for i, (bottom, text) in enumerate(words):
            if text == first and [t for _y, t in words[i + 1 : i + 1 + len(rest)]] == rest:
                yield number, float(page.group(1)), bottom


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_libreoffice()
    return tmp_path_factory.mktemp("talk-pdf")


@pytest.mark.parametrize(
    ("template_id", "heading"),
    [
        ("mus-scored-da", ["Udsagn", "Medarbejder", "Leder", "Forskel"]),
        ("mus-scored-en", ["Statement", "Employee", "Manager", "Gap"]),
    ],
)
def test_the_rating_headings_print_whole(folder: Path, template_id: str, heading: list[str]) -> None:
    path = folder / f"{template_id}.docx"
    path.write_bytes(render_talk(None, *talk_forms(template_id)))
    lines = _layout(convert(path, "pdf", folder)).splitlines()
    heads = [i for i, line in enumerate(lines) if line.split()[:1] == heading[:1]]
    tables = sum(1 for s in musforms.load_template(template_id).sections if any(f.kind == "rating" for f in s.fields))
    assert len(heads) == tables
    for i in heads:
        assert lines[i].split() == heading, lines[i : i + 2]  # every word whole, on the heading's line
        assert lines[i + 1].split()[0] not in ("r", "er", "der")  # no word's end alone on the next line
    relevant = "Ikke relevant" if template_id.endswith("da") else "Not relevant"
    assert any(relevant in line for line in lines)  # a rating's words on one line too


def test_the_notes_heading_is_on_the_page_of_its_box(folder: Path) -> None:
    # answers of growing length move each box down the page, so that some fall at a page's end
    paths = []
    for lines in range(0, 24, 2):
        text = "\n".join(f"Linje {i} om det arbejde, der er gjort godt." for i in range(lines)) or None
        path = folder / f"notes-{lines:02d}.docx"
        path.write_bytes(render_talk(None, *talk_forms(strengths=text)))
        paths.append(path)
    checked = 0
    for path in paths:
        pdf = convert(path, "pdf", folder)
        for page, height, bottom in _headings(pdf, "Noter og konklusioner"):
            assert bottom + NOTES_ROOM <= height - BOTTOM_MARGIN + 1, f"{path.name}: page {page} ends at the heading"
            checked += 1
    assert checked >= 6 * len(paths)
