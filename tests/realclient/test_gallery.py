"""The gallery of the built-in forms (scripts/gallery.py): it builds, and its committed images are complete."""

from __future__ import annotations

import importlib.util
import os
import shutil
import struct
import sys
from pathlib import Path
from types import ModuleType

import pytest

from musforms import list_templates
from musforms._model.fields import ROLES

from .conftest import require_libreoffice

pytestmark = pytest.mark.realclient

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "gallery.py"
COMMITTED = ROOT / "docs" / "gallery"
PAGE = ROOT / "docs" / "gallery.md"
# The Word form's first two pages and the workbook's first page, per built-in template and role.
EXPECTED_DOCX = [f"{info.id}-{role}-p{page}.png" for info in list_templates() for role in ROLES for page in (1, 2)]
EXPECTED_XLSX = [f"{info.id}-{role}-xlsx-p1.png" for info in list_templates() for role in ROLES]
# The talk form made from the filled preparation forms (two Word pages, the workbook's first), the invitation letter.
EXPECTED_AFTER = [
    "talk-mus-scored-da-p1.png",
    "talk-mus-scored-da-p2.png",
    "talk-mus-scored-da-xlsx-p1.png",
    "invitation-da-p1.png",
]
EXPECTED = EXPECTED_DOCX + EXPECTED_XLSX + EXPECTED_AFTER
# A4 portrait at 70 dpi is 579 × 819 px (the workbook too: the renderer sets A4 portrait, fit to the page width);
# a page of text compresses to tens of kilobytes, a blank one to ~2 KB.
WIDTH, HEIGHT = range(560, 600), range(800, 840)
MIN_BYTES = 20_000


def gallery() -> ModuleType:
    spec = importlib.util.spec_from_file_location("musforms_gallery_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while the class is made
    spec.loader.exec_module(module)
    return module


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def check_image(path: Path) -> None:
    assert path.is_file(), f"missing {path}"
    width, height = png_size(path)
    assert width in WIDTH and height in HEIGHT, f"{path.name}: {width}×{height} px is not an A4 page at 70 dpi"
    size = path.stat().st_size
    assert size >= MIN_BYTES, f"{path.name}: {size} bytes looks like an empty page"


def test_the_gallery_script_renders_every_template_and_role(tmp_path: Path) -> None:
    require_libreoffice()
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must build the gallery, but pdftoppm is missing: apt-get install poppler-utils")
        pytest.skip("pdftoppm not available (apt-get install poppler-utils)")
    script = gallery()
    out, page = tmp_path / "gallery", tmp_path / "gallery.md"
    pictures = script.build(out, page)

    assert sorted(p.name for p in out.iterdir()) == sorted(EXPECTED)
    assert sorted(p.path.name for p in pictures) == sorted(EXPECTED)
    workbooks = EXPECTED_XLSX + [name for name in EXPECTED_AFTER if "-xlsx-" in name]
    assert sorted(p.path.name for p in pictures if p.format == "xlsx") == sorted(workbooks)
    for name in EXPECTED:
        check_image(out / name)
    text = page.read_text(encoding="utf-8")
    for name in EXPECTED:
        assert f"(gallery/{name})" in text
    for info in list_templates():
        assert f"## {info.id}" in text
    assert "The employee's workbook (first page):" in text and "The manager's workbook (first page):" in text
    assert text.index("## The talk and the invitation") < text.index(f"## {list_templates()[0].id}")
    for info in list_templates():  # under each template, the Word pages come before the workbook
        section = text.split(f"## {info.id}\n", 1)[1].split("\n## ", 1)[0]
        assert section.index(f"{info.id}-manager-p2.png") < section.index(f"{info.id}-employee-xlsx-p1.png")


def test_the_script_says_what_it_needs(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    script = gallery()
    monkeypatch.setattr(script.shutil, "which", lambda _name: None)
    monkeypatch.delenv("MUSFORMS_SOFFICE", raising=False)
    assert script.main(["--out", "unused"]) == 2
    err = capsys.readouterr().err
    assert "soffice" in err and "pdftoppm" in err and "apt-get install poppler-utils" in err


def test_the_committed_gallery_has_every_template_and_role() -> None:
    """A new built-in template (or role) without gallery images (Word or Excel) fails here: run scripts/gallery.py."""
    missing = [name for name in EXPECTED if not (COMMITTED / name).is_file()]
    assert not missing, f"docs/gallery lacks {missing}; run .venv/bin/python scripts/gallery.py"
    for name in EXPECTED:
        check_image(COMMITTED / name)
    text = PAGE.read_text(encoding="utf-8")
    assert not [name for name in EXPECTED if f"(gallery/{name})" not in text], "docs/gallery.md is out of date"
