"""The command line without traps: no file is overwritten without --force, one spelling of the output flag in
every verb, a row left out of a roster is reported with its id, and collect that reads nothing says so."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pytest

import musforms
from musforms._cli.main import build_parser, main

CONTEXT = "employee: {id: E-7, name: Ida Holm}\nmeeting: {start: 2026-03-16T10:00:00}\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def context_file(tmp_path: Path) -> Path:
    path = tmp_path / "context.yaml"
    path.write_text(CONTEXT, encoding="utf-8")
    return path


def _render(capsys: pytest.CaptureFixture[str], context: Path, *out: str) -> tuple[int, str, str]:
    args = ["render", "--template", "mus-soft-da", "--role", "employee", "--context", str(context)]
    return run(capsys, *args, *out)


def test_render_never_overwrites_a_file_without_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, context_file: Path
) -> None:
    filled = tmp_path / "ida.docx"
    filled.write_bytes(b"a form Ida has filled in")
    code, _, err = _render(capsys, context_file, "-o", str(filled))
    assert code == 1 and f"{filled} exists already; use --force to overwrite it" in err
    assert filled.read_bytes() == b"a form Ida has filled in"
    code, _, _ = _render(capsys, context_file, "-o", str(filled), "--force")
    assert code == 0 and musforms.parse(filled).subject_id == "E-7"


@pytest.mark.parametrize("flag", ["-o", "--out", "--output"])
def test_render_takes_every_spelling_of_the_output_flag(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, context_file: Path, flag: str
) -> None:
    out = tmp_path / "form.docx"
    assert _render(capsys, context_file, flag, str(out))[0] == 0 and out.is_file()


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_verb_that_writes_spells_its_output_flag_alike() -> None:
    verbs = _subparsers(build_parser())
    writers = {}
    for name, sub in verbs.items():
        outs = [a for a in sub._actions if a.dest == "out"]
        if outs:
            writers[name] = outs[0].option_strings
    assert set(writers) == {"init", "render", "schema", "pack", "collect"}
    for name, spellings in writers.items():
        assert spellings[:2] == ["-o", "--out"], (name, spellings)


def test_collect_never_overwrites_a_summary_without_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, context_file: Path
) -> None:
    forms = tmp_path / "forms"
    forms.mkdir()
    assert _render(capsys, context_file, "-o", str(forms / "ida.docx"))[0] == 0
    summary = tmp_path / "summary.json"
    summary.write_text("last week's summary", encoding="utf-8")
    code, _, err = run(capsys, "collect", str(forms), "-o", str(summary))
    assert code == 1 and "exists already; use --force" in err
    assert summary.read_text(encoding="utf-8") == "last week's summary"
    code, out, _ = run(capsys, "collect", str(forms), "-o", str(summary), "--force")
    assert code == 0 and "1 forms read" in out and "E-7" in summary.read_text(encoding="utf-8")


def test_collect_that_reads_no_form_exits_1_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "forms"
    folder.mkdir()
    summary = tmp_path / "summary.xlsx"
    code, _, err = run(capsys, "collect", str(folder), "-o", str(summary))
    assert code == 1 and "no form could be read (no .docx or .xlsx files found)" in err and not summary.exists()
    (folder / "broken.docx").write_bytes(b"not a zip at all")
    code, _, err = run(capsys, "collect", str(folder), "-o", str(summary))
    assert code == 1 and "broken.docx: not read:" in err and "(1 files found)" in err and not summary.exists()


def test_a_roster_row_left_out_is_reported_with_its_employee_id(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    meeting = (dt.date.today() + dt.timedelta(days=14)).isoformat()
    roster.write_text(
        f"employee_id;name;meeting_start\nE-1;Ida Holm;{meeting} 10:00\nE-2;Bo Ek;someday\n", encoding="utf-8"
    )
    code, _, err = run(capsys, "pack", "--template", "mus-soft-da", "--roster", str(roster), "-o", str(tmp_path / "p"))
    assert code == 1
    assert "row 3 (E-2): failed: roster row 3: meeting_start: 'someday' is not a date and time" in err
