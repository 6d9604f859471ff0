"""A form made from a company's own template, filled and saved in LibreOffice (Writer and Calc), is read back
with no template given: the template it carries survives the save, piece by piece, and is checked again."""

from __future__ import annotations

from pathlib import Path

import musforms
from musforms._core.embedded import PIECE_CHARS, TEMPLATE_PROPERTY
from musforms._core.safety import file_custom_properties
from musforms._formats.parse import parse
from musforms._formats.render import render
from musforms._model.context import SAMPLE_CONTEXT

from . import fillplan
from .harness import Job, Office

COMPANY = musforms.load_template(
    {
        "extends": "mus-soft-da",
        "id": "acme-mus",
        "version": "3.0",
        "title": "ACME's MUS – dialog",
        "description": "Vores egen MUS med æøå & <tegn>",
    }
)
ANSWERS = {"goals": "Mere ansvar og et KNX-kursus", "strengths": "Overblik & ro – også under pres"}
KEY = b"r" * 32


def _pieces(path: Path) -> list[str]:
    props = file_custom_properties(path)
    count = int(props[TEMPLATE_PROPERTY].removeprefix("v1:"))
    return [props[f"{TEMPLATE_PROPERTY}.{n}"] for n in range(1, count + 1)]


def test_a_company_template_form_saved_by_libreoffice_is_read_without_the_template(
    libreoffice: Office, tmp_path: Path
) -> None:
    jobs: list[Job] = []
    for fmt in ("docx", "xlsx"):
        src = tmp_path / f"blank.{fmt}"
        src.write_bytes(render(COMPANY, fmt, role="employee", context=SAMPLE_CONTEXT, signing_key=KEY))  # type: ignore[arg-type]
        if fmt == "docx":
            actions = fillplan.plan(COMPANY, "employee", ANSWERS)
        else:
            actions = [{"op": "type", "name": f"mf_{field}", "text": text} for field, text in ANSWERS.items()]
        jobs.append(Job(src, tmp_path / f"filled.{fmt}", actions))
    libreoffice.fill_many(jobs)
    for job in jobs:
        src, out = Path(job.src), Path(job.out)
        assert _pieces(out) == _pieces(src)  # every piece kept as written
        assert all(len(piece) <= PIECE_CHARS for piece in _pieces(out))
        form = parse(out, signing_key=KEY, subject_id=SAMPLE_CONTEXT.employee.id)
        assert (form.template_id, form.template_source, form.signed) == ("acme-mus", "embedded", "verified")
        assert form.fingerprint == COMPANY.fingerprint
        assert {field: form.answers[field] for field in ANSWERS} == ANSWERS, (out.name, form.issues)
        assert not [issue for issue in form.issues if issue.severity == "error"], (out.name, form.issues)
