"""A tagged PDF saved from each Word document through LibreOffice has a bookmark for each part (a heading of
level 1), the sub-headings under them, the document's title, and is marked as tagged.

Every document of tests/test_accessibility.py is converted in one LibreOffice run (``writer_pdf_Export`` with
``ExportBookmarks`` and ``UseTaggedPDF``); the PDF's outline is read from its ``/Outlines`` with a few lines of
Python (LibreOffice writes it as plain objects).
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from pathlib import Path

import pytest

import musforms

from ..test_accessibility import Doc, documents
from .conftest import require_libreoffice
from .harness import find_soffice

FILTER = "pdf:writer_pdf_Export:" + json.dumps(
    {
        "ExportBookmarks": {"type": "boolean", "value": "true"},
        "UseTaggedPDF": {"type": "boolean", "value": "true"},
    }
)
"""The tagged PDF export with bookmarks (filter options as JSON, read by LibreOffice 7.4 and later)."""


def to_tagged_pdf(paths: list[Path], outdir: Path, timeout: float = 600.0) -> list[Path]:
    """Save each of ``paths`` as a tagged PDF with bookmarks, in one headless LibreOffice run."""
    soffice = find_soffice()
    assert soffice is not None
    with tempfile.TemporaryDirectory(prefix="musforms-lo-") as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                FILTER,
                "--outdir",
                str(outdir),
                *map(str, paths),
            ],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    return [outdir / f"{path.stem}.pdf" for path in paths]


_OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)


def _ref(body: bytes, key: bytes) -> int | None:
    found = re.search(rb"/" + key + rb"\s*(\d+) 0 R", body)
    return int(found.group(1)) if found else None


def _string(body: bytes, key: bytes) -> str:
    hexed = re.search(rb"/" + key + rb"\s*<([0-9A-Fa-f\s]*)>", body)
    if hexed:
        raw = bytes.fromhex(re.sub(rb"\s", b"", hexed.group(1)).decode())
        return raw[2:].decode("utf-16-be") if raw[:2] == b"\xfe\xff" else raw.decode("latin-1")
    literal = re.search(rb"/" + key + rb"\s*\(((?:\\.|[^\\)])*)\)", body, re.S)
    return re.sub(rb"\\(.)", rb"\1", literal.group(1)).decode("latin-1") if literal else ""


def outline(pdf: bytes) -> list[tuple[int, str]]:
    """The PDF's bookmarks in order: (depth from 0, title)."""
    objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(pdf)}
    catalog = next(body for body in objects.values() if re.search(rb"/Type\s*/Catalog", body))
    root = _ref(catalog, b"Outlines")
    found: list[tuple[int, str]] = []

    def walk(number: int | None, depth: int) -> None:
        while number is not None:
            body = objects[number]
            found.append((depth, _string(body, b"Title")))
            walk(_ref(body, b"First"), depth + 1)
            number = _ref(body, b"Next")

    if root is not None:
        walk(_ref(objects[root], b"First"), 0)
    return found


def test_outline_reader_reads_nested_bookmarks() -> None:
    pdf = (
        b"1 0 obj<</Type/Catalog/Outlines 2 0 R>>endobj 2 0 obj<</First 3 0 R>>endobj "
        b"3 0 obj<</Title<FEFF0031002E0020004600f80072007300740065>/First 5 0 R/Next 4 0 R>>endobj "
        b"4 0 obj<</Title(2. Anden \\(sidste\\))>>endobj 5 0 obj<</Title(Under)>>endobj"
    )
    assert outline(pdf) == [(0, "1. Første"), (1, "Under"), (0, "2. Anden (sidste)")]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Doc, bytes]]:
    require_libreoffice()
    folder = tmp_path_factory.mktemp("tagged")
    docs = list(documents(tmp_path_factory.mktemp("acme")))
    paths = []
    for doc in docs:
        path = folder / f"{doc.name}.docx"
        path.write_bytes(doc.data)
        paths.append(path)
    made = to_tagged_pdf(paths, folder)
    missing = [p.name for p in made if not p.is_file()]
    assert not missing, f"LibreOffice made no PDF of {missing}"
    return [(doc, pdf.read_bytes()) for doc, pdf in zip(docs, made, strict=True)]


def test_each_part_is_a_bookmark_in_the_tagged_pdf(pdfs: list[tuple[Doc, bytes]]) -> None:
    for doc, pdf in pdfs:
        assert re.search(rb"/MarkInfo\s*<<\s*/Marked\s*true", pdf), f"{doc.name}: not a tagged PDF"
        marks = outline(pdf)
        parts = [title for depth, title in marks if depth == 0]
        if doc.template is not None:
            sections = doc.template.sections_for(doc.role)  # type: ignore[arg-type]
            assert len(parts) == len(sections), (doc.name, parts)
            for title, section in zip(parts, sections, strict=True):
                number = doc.template.section_number(section)  # the manager's own preparation has none
                assert title.startswith(f"{number}. {section.title}" if number else section.title), (doc.name, title)
            labels = {
                f.label
                for s in sections
                for f in s.fields
                if isinstance(f, musforms.InfoField) and f.label and f.shown_to(doc.role)  # type: ignore[arg-type]
            }
            assert labels <= {title for depth, title in marks if depth == 1}, doc.name
        else:
            assert parts, doc.name
        assert all(depth <= 1 for depth, _t in marks), doc.name


def test_the_pdf_carries_the_title_and_the_language(pdfs: list[tuple[Doc, bytes]]) -> None:
    for doc, pdf in pdfs:
        tag = {"da": "da-DK", "en": "en-GB"}[doc.language]
        assert re.search(rb"/Lang\s*\(" + tag.encode() + rb"\)", pdf), f"{doc.name}: no /Lang ({tag})"
        if doc.template is not None:
            info = next(m.group(2) for m in _OBJECT.finditer(pdf) if b"/Producer" in m.group(2))
            assert _string(info, b"Title") == doc.template.title, doc.name
