"""The gallery's pictures of the web form (scripts/gallery.py): they are made, and the committed ones are complete."""

from __future__ import annotations

import importlib.util
import struct
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import require_chromium

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "gallery.py"
COMMITTED = ROOT / "docs" / "gallery"
PAGE = ROOT / "docs" / "gallery.md"
MIN_BYTES = 50_000
"""A page of text at these sizes compresses to a few hundred kilobytes; a blank one to a few."""


def gallery() -> ModuleType:
    spec = importlib.util.spec_from_file_location("musforms_gallery_script_web", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while the class is made
    spec.loader.exec_module(module)
    return module


SCRIPT_MODULE = gallery()
EXPECTED = {
    f"{SCRIPT_MODULE.web_stem(size, problems)}.png": dimensions
    for size, dimensions in SCRIPT_MODULE.WEB_SIZES.items()
    for problems in (False, True)
}


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def check_picture(path: Path, dimensions: tuple[int, int]) -> None:
    assert path.is_file(), f"missing {path}"
    assert png_size(path) == dimensions, f"{path.name}: {png_size(path)} px, expected {dimensions}"
    assert path.stat().st_size >= MIN_BYTES, f"{path.name}: {path.stat().st_size} bytes looks like an empty page"


def test_the_script_makes_the_web_form_pictures(tmp_path: Path) -> None:
    require_chromium()
    pictures = SCRIPT_MODULE.build_web(tmp_path)

    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(EXPECTED)
    assert sorted(p.path.name for p in pictures) == sorted(EXPECTED)
    for name, dimensions in EXPECTED.items():
        check_picture(tmp_path / name, dimensions)


def test_the_pages_pictured_show_the_form_and_its_problems() -> None:
    blank, again = SCRIPT_MODULE.web_pages()

    assert 'role="alert"' not in blank and 'aria-invalid="true"' not in blank
    assert 'role="alert"' in again and again.count('aria-invalid="true"') >= 2
    assert "sidst i maj" in again, "the date written in words is shown back"
    assert "Tekst uden for skemaet" in again, "the field the form does not have is named in the summary"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_committed_web_form_pictures_are_complete(name: str) -> None:
    """Made by ``.venv/bin/python scripts/gallery.py --web-only``; the gallery page shows each."""
    check_picture(COMMITTED / name, EXPECTED[name])
    assert f"(gallery/{name})" in PAGE.read_text(encoding="utf-8"), "docs/gallery.md is out of date"
