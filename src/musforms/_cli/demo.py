"""The demo behind ``make demo``: the main job end to end on built-in data, written into one folder."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from musforms import (
    Context,
    RatingField,
    RenderError,
    TemplateError,
    build_packs,
    collect,
    list_templates,
    load_template,
    load_template_text,
    outline,
    parse,
    render,
    render_html,
    write_schemas,
    write_summary,
)
from musforms._cli.main import main as cli_main

__all__ = ["run_demo"]

COMPANY_TEMPLATE = """\
extends: mus-scored-da
id: acme-mus
version: "1.0"
title: MUS hos Acme El A/S – forberedelse
company:
  name: Acme El A/S
changes:
  - update: present_future
    set: {minutes: 25}
  - update: collaboration_wellbeing
    set: {minutes: 15}
"""


CONTEXT = Context.model_validate(
    {
        "employee": {
            "id": "E-0001",
            "name": "Mette Sørensen",
            "email": "mette@example.dk",
            "job_title": "Elektriker",
            "department": "Service",
        },
        "manager": {"id": "M-01", "name": "Lars Holm", "email": "lars@example.dk", "job_title": "Afdelingsleder"},
        "company": {"name": "Acme El A/S", "situation": "Travl ordrebog.", "plans": "Ny afdeling i Aarhus."},
        "meeting": {"start": "2026-03-16T10:00:00", "duration_minutes": 60, "place": "Mødelokale 2"},
        "previous_agreements": [{"action": "Kursus i KNX", "owner": "employee", "deadline": "2025-09-01"}],
    }
)
"""The employee the demo's forms are for (the company is the one of the demo's own template)."""


def _say(text: str) -> None:
    print(text, flush=True)


def run_demo(out: Path) -> int:
    """Run the demo, writing its files below ``out``; returns 0 when every step worked."""
    out.mkdir(parents=True, exist_ok=True)
    _say("== 1. The built-in templates")
    cli_main(["list"])

    _say("\n== 2. The outline of mus-scored-da (first lines)")
    template = load_template("mus-scored-da")
    _say("\n".join(outline(template).splitlines()[:14]) + "\n   ...")

    _say("\n== 3. A company's own template that extends the built-in one")
    company_file = out / "acme-mus.yaml"
    company_file.write_text(COMPANY_TEMPLATE, encoding="utf-8")
    company = load_template(company_file)
    minutes = {s.id: s.minutes for s in company.sections if s.minutes}
    _say(f"{company_file}: {company.id} {company.version}, {company.fingerprint}; time boxes {minutes}")

    _say("\n== 4. A template with mistakes: every problem is reported at once")
    broken = (
        COMPANY_TEMPLATE.replace("update: present_future", "update: present_futur")
        .replace("minutes: 15", "minutes: lots")
        .replace(
            "changes:",
            "changes:\n  - add_field: {kind: ratng, id: safety, label: Sikkerhed, scale: degree5}\n    to: past",
        )
    )
    try:
        load_template_text(broken, name="broken.yaml")
    except TemplateError as exc:
        _say(str(exc))

    _say("\n== 5. The typed answers of the employee's form, and their JSON Schema")
    model = template.answers_model("employee")
    ratings = [f for f in template.answer_fields("employee") if isinstance(f, RatingField)]
    optional = next(f.id for f in ratings if f.not_relevant)
    good = model.model_validate({ratings[0].id: 4, optional: "not_relevant"})
    _say(f"valid answers: {good.model_dump(exclude_defaults=True)}")
    try:
        render(template, "docx", role="employee", context=CONTEXT, answers={ratings[0].id: 9})
    except RenderError as exc:
        _say(f"a rating of 9 is refused: {exc}")
    schema_file = out / "mus-scored-da.employee.answers.schema.json"
    schema_file.write_text(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False), encoding="utf-8")
    _say(f"wrote {schema_file}")

    _say("\n== 6. Personalised Word forms for both roles, and the employee's web form")
    forms = out / "forms"
    forms.mkdir(exist_ok=True)
    for role in ("employee", "manager"):
        path = forms / f"{company.id}-{role}.docx"
        path.write_bytes(render(company, "docx", role=role, context=CONTEXT))
        _say(f"wrote {path}")
    page = render_html(company, role="employee", context=CONTEXT)
    web = forms / f"{company.id}-employee.html"
    web.write_text(page.html, encoding="utf-8")
    _say(f"wrote {web} (open it in a browser; served, it goes with this Content-Security-Policy header:)")
    _say(f"  {page.csp}")

    _say("\n== 7. A filled form read back: answers and issues")
    filled = forms / f"{company.id}-employee-filled.docx"
    answers = {
        ratings[0].id: 4,
        optional: "not_relevant",
        "strengths": "Grundig og hurtig.\nGod til kunderne.",
        "development_methods": ["side_by_side", "course"],
        "agreements": [{"action": "KNX-kursus", "owner": "employee", "deadline": "2026-06-01", "method": "course"}],
    }
    filled.write_bytes(render(company, "docx", role="employee", context=CONTEXT, answers=answers))
    form = parse(filled, templates=[company])
    _say(f"{filled}: {form.template_id} {form.role}, employee {form.subject_id}, {len(form.issues)} issues")
    for field_id, value in form.answers.items():
        if value not in (None, False):
            _say(f"  {field_id}: {value!r}")
    (forms / "filled-employee.json").write_text(form.to_json(), encoding="utf-8")
    assert form.answers["strengths"] == answers["strengths"], "the round trip must give back what was written"

    _say("\n== 8. Preparation packs for a small roster, then a summary of the completed forms")
    import datetime as dt

    people = [("Mette Sørensen", "Lars Holm"), ("Ida Holm", "Lars Holm"), ("Bo Ek", "Anna Berg")]
    roster = [
        {
            "employee_id": f"E{i + 1}",
            "name": name,
            "email": f"e{i + 1}@example.dk",
            "manager_name": manager,
            "manager_email": "leder@example.dk",
            "department": "Service",
            "meeting_start": f"2030-03-{18 + i} 10:00",
            "place": "Mødelokale 2",
        }
        for i, (name, manager) in enumerate(people)
    ]
    report = build_packs(company, roster, out / "packs", formats=["docx", "xlsx"], today=dt.date(2030, 3, 4))
    for outcome in report.outcomes:
        files = len(outcome.files)
        _say(f"  row {outcome.row} {outcome.employee_id}: {outcome.status}, {files} files in {outcome.folder}")
    summary = write_summary(collect(out / "packs", templates=[company]), out / "summary.xlsx", templates=[company])
    _say(f"wrote {summary} (every form read back; the invitation letters are passed over)")

    _say("\n== 9. All published schemas")
    written = write_schemas(out / "schemas")
    _say(f"wrote {len(written)} schema files below {out / 'schemas'}")
    _say(f"\nDone: {len(list_templates())} built-in templates checked; files in {out}/")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run_demo(Path(sys.argv[1] if len(sys.argv) > 1 else "demo-out")))
