"""The ``render`` and ``parse`` verbs: files in, files out, exit codes, and errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from musforms._cli.main import main

from .docxtools import edit_part, set_tick
from .test_self_describing import without_embedded_template

CONTEXT = """\
employee: {id: E-7, name: Ida Holm, job_title: Montør}
manager: {name: Lars Holm}
meeting: {start: 2026-03-16T10:00:00, place: Kontoret}
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def context_file(tmp_path: Path) -> Path:
    path = tmp_path / "context.yaml"
    path.write_text(CONTEXT, encoding="utf-8")
    return path


def test_render_then_parse(capsys: pytest.CaptureFixture[str], tmp_path: Path, context_file: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"rate_quality": 5, "strengths": "Rolig og grundig"}), encoding="utf-8")
    out = tmp_path / "out" / "ida.docx"
    code, stdout, _ = run(
        capsys,
        "render",
        "--template",
        "mus-scored-da",
        "--role",
        "employee",
        "--context",
        str(context_file),
        "--answers",
        str(answers),
        "--form-id",
        "abc",
        "-o",
        str(out),
    )
    assert code == 0 and out.is_file() and f"wrote {out}" in stdout
    code, stdout, _ = run(capsys, "parse", str(out))
    assert code == 0
    assert "mus-scored-da 1.0, employee, employee E-7, 2 of" in stdout and "0 issues" in stdout
    code, stdout, _ = run(capsys, "parse", "--json", str(out))
    data = json.loads(stdout)
    assert data["form_id"] == "abc" and data["answers"]["rate_quality"] == 5


def test_parse_strict_exits_1_on_issues(capsys: pytest.CaptureFixture[str], tmp_path: Path, context_file: Path) -> None:
    out = tmp_path / "f.docx"
    run(
        capsys,
        "render",
        "--template",
        "mus-scored-da",
        "--role",
        "employee",
        "--context",
        str(context_file),
        "-o",
        str(out),
    )
    both = edit_part(
        out.read_bytes(),
        "word/document.xml",
        lambda x: set_tick(set_tick(x, "rate_quality", "p1", True), "rate_quality", "p5", True),
    )
    bad = tmp_path / "bad.docx"
    bad.write_bytes(both)
    code, stdout, _ = run(capsys, "parse", str(bad))
    assert code == 0 and "value.ambiguous rate_quality" in stdout and "'1, 5'" in stdout
    code, _, _ = run(capsys, "parse", "--strict", str(bad))
    assert code == 1
    code, _, _ = run(capsys, "parse", "--strict", str(out))
    assert code == 0


def test_parse_errors_per_file_and_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    code, _, err = run(capsys, "parse", str(pdf), str(tmp_path / "missing.docx"))
    assert code == 1
    assert "this is a PDF" in err and "no file at" in err and "Traceback" not in err
    code, stdout, _ = run(capsys, "parse", "--json", str(pdf))
    assert code == 1 and json.loads(stdout)["error"]["code"] == "parse.not_a_form"


def test_company_template_is_read_from_the_form_or_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, context_file: Path
) -> None:
    company = tmp_path / "acme.yaml"
    company.write_text("extends: mus-soft-en\nid: acme\n", encoding="utf-8")
    out = tmp_path / "acme.docx"
    code, _, _ = run(
        capsys,
        "render",
        "--template",
        str(company),
        "--role",
        "manager",
        "--context",
        str(context_file),
        "-o",
        str(out),
    )
    assert code == 0
    code, stdout, _ = run(capsys, "parse", str(out))  # the form carries its template
    assert code == 0 and "acme 1.0, manager" in stdout
    older = tmp_path / "older.docx"  # a form made before forms carried their template
    older.write_bytes(without_embedded_template(out.read_bytes()))
    code, _, err = run(capsys, "parse", str(older))
    assert code == 1 and "'acme' 1.0, which is not a built-in template" in err
    assert "hint: name the form's template file with --template FILE" in err and "templates=" not in err
    code, stdout, _ = run(capsys, "parse", "--template", str(company), str(older))
    assert code == 0 and "acme 1.0, manager" in stdout


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--context", "nowhere.yaml"], "cannot read the context file"),
        (["--context", "BAD"], "must hold a mapping"),
    ],
)
def test_render_input_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, extra: list[str], message: str
) -> None:
    (tmp_path / "BAD").write_text("- a list\n", encoding="utf-8")
    extra = [e if e != "BAD" else str(tmp_path / "BAD") for e in extra]
    code, _, err = run(
        capsys, "render", "--template", "mus-soft-da", "--role", "employee", *extra, "-o", str(tmp_path / "x.docx")
    )
    assert code == 1 and message in err


def test_render_bad_answer_is_exit_1(capsys: pytest.CaptureFixture[str], tmp_path: Path, context_file: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("rate_quality: 9\n", encoding="utf-8")
    code, _, err = run(
        capsys,
        "render",
        "--template",
        "mus-scored-da",
        "--role",
        "employee",
        "--context",
        str(context_file),
        "--answers",
        str(answers),
        "-o",
        str(tmp_path / "x.docx"),
    )
    assert code == 1 and "the answer to 'rate_quality' must be a point of scale degree5 (1–5), found 9" in err
