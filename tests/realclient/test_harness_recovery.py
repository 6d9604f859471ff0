"""The harness on a slow or hung LibreOffice: progress per fill, a time limit per fill (so a batch's limit
grows with the batch), one restart and a rerun of what was left, and a clear error when it hangs again."""

from __future__ import annotations

from pathlib import Path

import pytest

import musforms
from musforms._model.context import SAMPLE_CONTEXT

from .harness import Job, Office, OfficeError


@pytest.fixture
def blank(tmp_path: Path) -> Path:
    path = tmp_path / "blank.docx"
    path.write_bytes(musforms.render("mus-soft-da", "docx", role="employee", context=SAMPLE_CONTEXT))
    return path


def test_a_hung_fill_restarts_libreoffice_once_and_runs_what_was_left(
    libreoffice: Office, blank: Path, tmp_path: Path
) -> None:
    lines: list[str] = []
    shown, libreoffice.progress = libreoffice.progress, lines.append
    try:
        stall = {"op": "stall", "seconds": 60, "marker": str(tmp_path / "stalled-once")}
        jobs = [
            Job(blank, tmp_path / "first.docx"),
            Job(blank, tmp_path / "second.docx", [stall]),
            Job(blank, tmp_path / "third.docx"),
        ]
        results = libreoffice.fill_many(jobs, job_seconds=8)
    finally:
        libreoffice.progress = shown
    assert [r.ok for r in results] == [True, True, True]
    assert all(musforms.parse(r.out).subject_id == "E-0001" for r in results)
    assert any("no fill finished within 8 s (1 of 3 done)" in line and "restarted" in line for line in lines)
    assert [line.split(":")[0] for line in lines if line.startswith("LibreOffice fill")] == [
        "LibreOffice fill 1/3",
        "LibreOffice fill 2/3",
        "LibreOffice fill 3/3",
    ]
    assert libreoffice.alive()


def test_a_fill_that_hangs_again_is_an_error_and_the_next_fill_works(
    libreoffice: Office, blank: Path, tmp_path: Path
) -> None:
    stall = {"op": "stall", "seconds": 60}
    with pytest.raises(OfficeError, match="restarted once and failed again"):
        libreoffice.fill_many([Job(blank, tmp_path / "hung.docx", [stall])], job_seconds=5)
    (result,) = libreoffice.fill_many([Job(blank, tmp_path / "after.docx")])
    assert result.ok and musforms.parse(result.out).role == "employee"
