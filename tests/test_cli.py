"""The command line: verbs, exit codes, help on every verb, and errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from musforms import __version__, list_templates
from musforms.cli import build_parser, main

from .conftest import MINIMAL
from .test_loader import FIVE_MISTAKES

VERBS = ["list", "show", "init", "validate", "schema"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"musforms {__version__}"


@pytest.mark.parametrize("verb", VERBS)
def test_help_on_every_verb(verb: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([verb, "--help"])
    assert info.value.code == 0
    assert f"usage: musforms {verb}" in capsys.readouterr().out


def test_every_verb_is_tested() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert sorted(sub.choices) == sorted(VERBS)  # type: ignore[arg-type]


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in ([], ["nonsense"], ["init", "mus-scored-da"], ["validate"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2
    capsys.readouterr()


def test_list_prints_the_four_builtins(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0
    ids = [line.split()[0] for line in out.splitlines()]
    assert ids == ["mus-scored-da", "mus-scored-en", "mus-soft-da", "mus-soft-en"]
    code, out, _ = run(capsys, "list", "--json")
    assert [i["id"] for i in json.loads(out)] == [t.id for t in list_templates()]


def test_show_gives_an_outline(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    code, out, _ = run(capsys, "show", str(path))
    assert code == 0
    assert "2. past: Fortid  (10 min)" in out
    assert "1. prep: Lederens forberedelse  [manager only]" in out
    assert "quality [rating on five, rated by both, not relevant allowed]" in out
    assert "five: 1 Meget lidt; 2 Lidt" in out
    code, out, _ = run(capsys, "show", str(path), "--json")
    assert json.loads(out)["id"] == "demo"


@pytest.mark.parametrize("builtin", ["mus-scored-da", "mus-soft-da", "mus-scored-en", "mus-soft-en"])
def test_validate_builtins_and_their_init_files(
    builtin: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "validate", builtin)
    assert code == 0 and f"{builtin}: ok ({builtin} " in out
    company = tmp_path / "acme.yaml"
    code, out, _ = run(capsys, "init", builtin, "-o", str(company), "--id", "acme", "--company", "Acme A/S")
    assert code == 0 and company.is_file()
    code, out, _ = run(capsys, "validate", str(company))
    assert code == 0 and "ok (acme 1.0" in out
    code, _, err = run(capsys, "init", builtin, "-o", str(company))
    assert code == 1 and "exists already" in err


def test_init_from_a_file_refers_to_it_relatively(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "base").mkdir()
    base = tmp_path / "base" / "demo.yaml"
    base.write_text(MINIMAL, encoding="utf-8")
    out_file = tmp_path / "company" / "acme.yaml"
    code, _, _ = run(capsys, "init", str(base), "-o", str(out_file))
    assert code == 0
    assert "extends: ../base/demo.yaml" in out_file.read_text(encoding="utf-8")
    assert run(capsys, "validate", str(out_file))[0] == 0


def test_validate_reports_all_problems_and_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(FIVE_MISTAKES, encoding="utf-8")
    good = tmp_path / "good.yaml"
    good.write_text(MINIMAL, encoding="utf-8")
    code, out, err = run(capsys, "validate", str(good), str(bad))
    assert code == 1
    assert f"{good}: ok" in out
    assert f"{bad}: invalid, 6 problems" in err
    for line in (13, 15, 16, 17, 18):
        assert f"{bad}:{line}:" in err
    assert "Traceback" not in err


def test_errors_are_one_line_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "mus-scored-dk")
    assert code == 1
    assert err.startswith("musforms: error: 'mus-scored-dk' is neither a built-in template nor a file")


def test_schema_write_and_check(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "schemas"
    code, _, err = run(capsys, "schema", "--out", str(folder), "--check")
    assert code == 1 and "stale or missing" in err
    code, out, _ = run(capsys, "schema", "--out", str(folder))
    assert code == 0 and (folder / "template-file.schema.json").is_file()
    assert (folder / "answers" / "mus-scored-da.employee.schema.json").is_file()
    code, out, _ = run(capsys, "schema", "--out", str(folder), "--check")
    assert code == 0 and "current" in out


def test_console_script_runs_as_a_process() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "musforms", "list"], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "mus-scored-da" in result.stdout
