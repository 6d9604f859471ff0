"""The command line: verbs, exit codes, help on every verb, and errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from musforms import __version__, check_template, list_templates, load_template
from musforms._cli.main import build_parser, main

from .conftest import MINIMAL
from .test_loader import FIVE_MISTAKES

VERBS = ["list", "show", "init", "validate", "schema", "render", "parse", "pack", "collect"]

_PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000000049454e44ae426082")
"""A 1x1 PNG, for the logo examples."""


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
    rows = [line.split()[:5] for line in out.splitlines()]
    assert [r[0] for r in rows if r[4] == "preparation"] == [
        "mus-scored-da",
        "mus-scored-en",
        "mus-soft-da",
        "mus-soft-en",
    ]
    assert [r[0] for r in rows if r[4] != "preparation"] == ["followup-da", "followup-en", "plan-da", "plan-en"]
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
    # The parent lies outside the new file's folder: refused, saying how to allow it, and nothing written.
    code, _, err = run(capsys, "init", str(base), "-o", str(out_file))
    assert code == 1 and "--template-root DIR" in err and not out_file.exists()
    root = ["--template-root", str(tmp_path)]
    code, _, _ = run(capsys, "init", str(base), "-o", str(out_file), *root)
    assert code == 0
    assert "extends: ../base/demo.yaml" in out_file.read_text(encoding="utf-8")
    assert run(capsys, "validate", str(out_file), *root)[0] == 0
    code, _, err = run(capsys, "validate", str(out_file))
    assert code == 1 and "lies outside the folder" in err


def test_init_next_to_its_parent_needs_no_root(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    base = tmp_path / "demo.yaml"
    base.write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    for out_file, ref in ((tmp_path / "acme.yaml", "demo.yaml"), (tmp_path / "sub" / "x.yaml", None)):
        code, _, _ = run(capsys, "init", str(base), "-o", str(out_file))
        if ref is None:
            assert code == 1 and not out_file.exists()
        else:
            assert code == 0 and f"extends: {ref}" in out_file.read_text(encoding="utf-8")


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


# -- init: the id, quoting, and a file that is valid or not written ----------------------------------------


def test_init_quotes_the_id_so_yes_stays_text(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "acme.yaml"
    code, _, _ = run(capsys, "init", "mus-soft-en", "-o", str(out), "--id", "yes", "--company", "No")
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert 'id: "yes"' in text and 'name: "No"' in text
    template = load_template(out)
    assert template.id == "yes" and template.company is not None and template.company.name == "No"


@pytest.mark.parametrize("bad_id", ["Bad Id", "", "-x", "a" * 65])
def test_init_refuses_a_bad_id_and_writes_nothing(
    bad_id: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "new" / "acme.yaml"
    code, _, err = run(capsys, "init", "mus-soft-en", "-o", str(out), f"--id={bad_id}")
    assert code == 1
    assert err.startswith(f"musforms: error: '{bad_id}' is not a valid template id")
    assert not (tmp_path / "new").exists()


def test_init_never_leaves_an_invalid_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "new" / "acme.yaml"
    code, _, err = run(capsys, "init", "mus-soft-en", "-o", str(out), "--company", "{{ company.name }}")
    assert code == 1
    assert f"musforms: error: {out} was not written: it would not be a valid template" in err
    assert f"{out}:11:9: company.name: this text is printed as written" in err
    assert not (tmp_path / "new").exists()
    # With --force, an existing file is kept when the new one would be invalid.
    existing = tmp_path / "acme.yaml"
    existing.write_text("keep me\n", encoding="utf-8")
    code, _, _ = run(capsys, "init", "mus-soft-en", "-o", str(existing), "--force", "--company", "{% x %}")
    assert code == 1 and existing.read_text(encoding="utf-8") == "keep me\n"
    assert [p.name for p in tmp_path.iterdir()] == ["acme.yaml"]


def _examples(text: str) -> list[list[int]]:
    """The commented-out example changes of an init file: the line numbers of each."""
    lines = text.splitlines()
    examples: list[list[int]] = []
    for number, line in enumerate(lines):
        if line.startswith("#  - "):
            examples.append([number])
        elif line.startswith("#    ") and examples:
            examples[-1].append(number)
    return examples


def _uncomment(text: str, numbers: list[int]) -> str:
    lines = text.splitlines()
    for number in numbers:
        lines[number] = lines[number][1:]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("parent", ["mus-scored-da", "mus-scored-en", "mus-soft-da", "mus-soft-en", "file"])
def test_every_init_example_works_when_uncommented(
    parent: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    if parent == "file":
        parent_path = tmp_path / "demo.yaml"
        parent_path.write_text(MINIMAL, encoding="utf-8")
        parent = str(parent_path)
    out = tmp_path / "acme.yaml"
    assert run(capsys, "init", parent, "-o", str(out), "--id", "acme")[0] == 0
    text = out.read_text(encoding="utf-8")
    examples = _examples(text)
    kinds = ["update", "reorder", "remove", "add_field", "move"]
    if parent.endswith("demo.yaml"):
        kinds.remove("move")  # each field is shown to both roles, and the other section is the manager's
    assert [text.splitlines()[e[0]].split(":")[0] for e in examples] == [f"#  - {kind}" for kind in kinds]
    original = load_template(out)
    for numbers in examples:
        out.write_text(_uncomment(text, numbers), encoding="utf-8")
        assert check_template(out) == [], "\n".join(text.splitlines()[n] for n in numbers)
        assert load_template(out).sections != original.sections
    out.write_text(_uncomment(text, [n for e in examples for n in e]), encoding="utf-8")
    assert check_template(out) == [], "the examples do not work together"
    # The logo line works once the logo is there.
    (tmp_path / "logo.png").write_bytes(_PNG)
    out.write_text(text.replace("  # logo: logo.png", "  logo: logo.png"), encoding="utf-8")
    assert check_template(out) == []


# -- errors of the file system: one line, no traceback --------------------------------------------------


def test_a_file_in_the_way_is_an_error_not_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("somefile.yaml").write_text("x: 1\n", encoding="utf-8")
    code, _, err = run(capsys, "init", "mus-soft-en", "-o", "somefile.yaml/x.yaml")
    assert code == 1
    assert err == "musforms: error: cannot write somefile.yaml/x.yaml: somefile.yaml is a file, not a folder\n"
    code, _, err = run(capsys, "schema", "--out", "somefile.yaml")
    assert code == 1
    assert err == "musforms: error: cannot use somefile.yaml for the schemas: somefile.yaml is a file, not a folder\n"
    code, _, err = run(capsys, "init", "mus-soft-en", "-o", ".")
    assert code == 1 and "is a folder" in err


def test_any_os_error_is_one_line_with_the_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from musforms._cli import main as cli

    def denied(folder: Path) -> list[Path]:
        raise PermissionError(errno.EACCES, "Permission denied", str(folder / "template-file.schema.json"))

    monkeypatch.setattr(cli, "write_schemas", denied)
    code, _, err = run(capsys, "schema", "--out", str(tmp_path))
    assert code == 1
    assert err == f"musforms: error: {tmp_path / 'template-file.schema.json'}: Permission denied\n"


# -- schema --check: extra files --------------------------------------------------------------------------


def test_schema_check_reports_extra_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "schemas"
    assert run(capsys, "schema", "--out", str(folder))[0] == 0
    (folder / "answers" / "old-template.employee.schema.json").write_text("{}", encoding="utf-8")
    code, out, err = run(capsys, "schema", "--out", str(folder), "--check")
    assert code == 1 and "current" not in out
    assert f"files in {folder} that musforms does not write: answers/old-template.employee.schema.json" in err
    assert "stale or missing" not in err


# -- validate: never a traceback, files in other folders ------------------------------------------------


def test_validate_reports_a_text_that_makes_jinja_raise(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("label: Sidste samtale", "label: \"{{ '%(a)s' % {} }}\""), encoding="utf-8")
    code, _, err = run(capsys, "validate", str(bad))
    assert code == 1
    assert f"{bad}: invalid, 1 problem" in err and "KeyError" in err
    assert "Traceback" not in err


def test_validate_a_child_whose_parent_has_a_logo(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "base").mkdir()
    (tmp_path / "co").mkdir()
    (tmp_path / "base" / "parent.yaml").write_text(MINIMAL + "company: {logo: logo.png}\n", encoding="utf-8")
    (tmp_path / "base" / "logo.png").write_bytes(_PNG)
    (tmp_path / "co" / "child.yaml").write_text("extends: ../base/parent.yaml\nid: child\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "validate", "co/child.yaml", "--template-root", ".")
    assert (code, err) == (0, "")
    assert out.startswith("co/child.yaml: ok (child 1.0")
    # A problem in the parent names it by a path that works from here.
    (tmp_path / "base" / "logo.png").unlink()
    code, _, err = run(capsys, "validate", "co/child.yaml", "--template-root", ".")
    assert code == 1 and "  base/parent.yaml:" in err and "no logo file at 'logo.png'" in err
