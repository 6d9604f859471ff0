"""The demo behind ``make demo`` runs end to end and leaves what it says it made."""

from __future__ import annotations

from pathlib import Path

import pytest

import musforms
from musforms._cli.demo import run_demo


def test_demo_runs_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_demo(tmp_path) == 0
    out = capsys.readouterr().out
    assert "every problem is reported at once" in out and "0 issues" in out
    form = musforms.parse(
        tmp_path / "forms" / "acme-mus-employee-filled.docx",
        templates=[musforms.load_template(tmp_path / "acme-mus.yaml")],
    )
    assert form.answers["rate_quality"] == 4
    page = (tmp_path / "forms" / "acme-mus-employee.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="da"' in page and "Acme El A/S" in page
    assert "Content-Security-Policy header" in out
    assert (tmp_path / "summary.xlsx").is_file()
    assert len(list((tmp_path / "packs").rglob("*.xlsx"))) == 6
    assert (tmp_path / "schemas" / "template-file.schema.json").is_file()
