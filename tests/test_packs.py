"""Preparation packs: complete and correct per employee, bad rows reported, atomic, resumable, zipped."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

import musforms
from musforms._cli.main import main
from musforms._workflows.packs import MANIFEST, build_packs, iter_packs

TODAY = dt.date(2026, 3, 1)


def roster_rows(count: int) -> list[dict[str, Any]]:
    managers = [("M1", "Lars Holm"), ("M2", "Åse Ærø"), ("M3", "Kim Nørgaard")]
    rows = []
    for i in range(count):
        manager_id, manager = managers[i % len(managers)]
        rows.append(
            {
                "employee_id": f"E{i:04d}",
                "name": f"Medarbejder {i} Sørensen",
                "email": f"e{i}@example.dk",
                "job_title": "Elektriker",
                "department": "Service",
                "manager_id": manager_id,
                "manager_name": manager,
                "manager_email": f"{manager_id.lower()}@example.dk",
                "meeting_start": (dt.datetime(2026, 3, 16, 8) + dt.timedelta(hours=i % 8, days=i // 8)).strftime(
                    "%Y-%m-%d %H:%M"
                ),
                "place": "Mødelokale 2",
            }
        )
    return rows


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_pack_of_200_rows_is_complete_and_correct(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = write_csv(tmp_path / "roster.csv", roster_rows(200))
    out = tmp_path / "out"
    code = main(
        [
            "pack",
            "--template",
            "mus-scored-da",
            "--roster",
            str(roster),
            "--out",
            str(out),
            "--today",
            TODAY.isoformat(),
            "--jobs",
            "2",
            "--report",
            str(tmp_path / "report.json"),
        ]
    )
    stdout = capsys.readouterr().out
    assert code == 0, stdout
    assert "done: 200 built, 0 already complete, 0 failed" in stdout
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["built"] == 200 and len(report["rows"]) == 200
    folders = sorted(p for p in out.glob("*/*") if p.is_dir())
    assert len(folders) == 200
    assert {p.parent.name for p in folders} == {"m1-lars-holm", "m2-aase-aeroe", "m3-kim-noergaard"}
    for folder in folders:
        names = sorted(p.name for p in folder.iterdir())
        assert names == sorted(
            [
                MANIFEST,
                "1-invitation.docx",
                "1-invitation.eml",
                "1-invitation.txt",
                "2-kalender.ics",
                "3-forberedelse-medarbejder.docx",
                "4-forberedelse-leder.docx",
            ]
        )
        employee_id = folder.name.split("-")[0].upper()
        employee_form = musforms.parse(folder / "3-forberedelse-medarbejder.docx")
        manager_form = musforms.parse(folder / "4-forberedelse-leder.docx")
        assert (employee_form.subject_id, employee_form.role) == (employee_id, "employee")
        assert (manager_form.subject_id, manager_form.role) == (employee_id, "manager")
        assert employee_form.issues == () and manager_form.issues == ()
    assert not list(out.rglob("*.tmp"))


def test_invitation_files(tmp_path: Path) -> None:
    report = build_packs("mus-soft-en", roster_rows(1), tmp_path, today=TODAY)
    (outcome,) = report.outcomes
    folder = tmp_path / outcome.folder  # type: ignore[operator]
    text = (folder / "1-invitation.txt").read_text(encoding="utf-8")
    assert text.startswith("Invitation to your employee development talk (MUS) on 16 March 2026\n")
    for words in (
        "16 March 2026 at 08:00",
        "Mødelokale 2",
        "about 60 minutes",
        "about an hour",
        "attached",
        "confidential",
        "Lars Holm",
        "Please bring",
    ):
        assert words in text
    message = email.message_from_bytes((folder / "1-invitation.eml").read_bytes(), policy=email.policy.default)
    assert message["To"] == "Medarbejder 0 Sørensen <e0@example.dk>" and message["From"] == "Lars Holm <m1@example.dk>"
    assert message["X-Unsent"] == "1"
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    assert set(attachments) == {"3-preparation-employee.docx", "2-calendar.ics"}
    form = musforms.parse(attachments["3-preparation-employee.docx"].get_content())
    assert form.subject_id == "E0000" and form.role == "employee"
    assert attachments["2-calendar.ics"].get_content_type() == "text/calendar"
    ics = (folder / "2-calendar.ics").read_bytes()
    assert b"DTSTART:20260316T070000Z" in ics and b"\r\n" in ics and b"LOCATION:M\xc3\xb8delokale 2" in ics
    import docx

    letter = docx.Document(io.BytesIO((folder / "1-invitation.docx").read_bytes()))
    body = "\n".join(p.text for p in letter.paragraphs)
    assert "Dear Medarbejder" in body and "confidential" in body


def test_bad_rows_are_reported_and_the_good_ones_built(tmp_path: Path) -> None:
    rows = roster_rows(5)
    rows[1]["name"] = ""
    rows[3]["meeting_start"] = "2026-02-31 10:00"
    rows.append(dict(rows[0]))
    report = build_packs("mus-soft-da", rows, tmp_path / "out", today=TODAY)
    assert report.count("built") == 3 and report.count("failed") == 3 and not report.ok
    failed = {o.row: o.message for o in report.outcomes if o.status == "failed"}
    assert set(failed) == {3, 5, 7}
    assert "name" in (failed[3] or "") and "not a date" in (failed[5] or "") and "used again" in (failed[7] or "")
    # A row left out keeps what could be read from it: its employee id above all, in the report too.
    ids = {o.row: o.employee_id for o in report.outcomes if o.status == "failed"}
    assert ids == {3: rows[1]["employee_id"], 5: rows[3]["employee_id"], 7: rows[0]["employee_id"]}
    failed_rows = {r["row"]: r for r in json.loads(report.to_json())["rows"] if r["status"] == "failed"}
    assert failed_rows[5]["employee_id"] == rows[3]["employee_id"]
    assert failed_rows[5]["values"]["meeting_start"] == "2026-02-31 10:00"


def test_rerun_skips_what_is_complete_and_rebuilds_what_changed(tmp_path: Path) -> None:
    rows = roster_rows(6)
    first = build_packs("mus-soft-da", rows, tmp_path, today=TODAY)
    assert first.count("built") == 6
    again = build_packs("mus-soft-da", rows, tmp_path, today=TODAY)
    assert again.count("skipped") == 6 and again.ok
    rows[2]["place"] = "Kantinen"
    damaged = tmp_path / (first.outcomes[4].folder or "") / "3-forberedelse-medarbejder.docx"
    damaged.write_bytes(damaged.read_bytes()[:100])
    third = build_packs("mus-soft-da", rows, tmp_path, today=TODAY)
    assert [o.status for o in third.outcomes] == ["skipped", "skipped", "built", "skipped", "built", "skipped"]
    assert musforms.parse(damaged).subject_id == "E0004"


def test_interrupted_run_leaves_no_half_files_and_resumes(tmp_path: Path) -> None:
    rows = roster_rows(10)

    def stop_after_four(done: int, total: int, outcome: Any) -> None:
        if done == 4:
            raise KeyboardInterrupt

    interrupted = build_packs("mus-soft-da", rows, tmp_path, today=TODAY, progress=stop_after_four)
    assert interrupted.interrupted and not interrupted.ok and len(interrupted.outcomes) == 4
    assert not list(tmp_path.rglob("*.tmp"))
    resumed = build_packs("mus-soft-da", rows, tmp_path, today=TODAY)
    assert [o.status for o in resumed.outcomes] == ["skipped"] * 4 + ["built"] * 6


def test_generator_yields_each_row(tmp_path: Path) -> None:
    outcomes = iter_packs("mus-soft-da", roster_rows(3), tmp_path, today=TODAY)
    first = next(outcomes)
    assert first.status == "built" and first.employee_id == "E0000"
    assert [o.employee_id for o in outcomes] == ["E0001", "E0002"]


def test_one_zip_per_manager(tmp_path: Path) -> None:
    report = build_packs("mus-soft-da", roster_rows(6), tmp_path, today=TODAY, zip_per_manager=True)
    assert sorted(report.zips) == ["m1-lars-holm.zip", "m2-aase-aeroe.zip", "m3-kim-noergaard.zip"]
    with zipfile.ZipFile(tmp_path / "m1-lars-holm.zip") as archive:
        names = archive.namelist()
        assert archive.testzip() is None
    assert "m1-lars-holm/e0000-medarbejder-0-soerensen/3-forberedelse-medarbejder.docx" in names
    assert not [n for n in names if MANIFEST in n or n.endswith(".tmp")]
    assert len([n for n in names if n.endswith("4-forberedelse-leder.docx")]) == 2


def test_last_years_agreements_are_carried_over(tmp_path: Path) -> None:
    template = musforms.load_template("mus-scored-da")
    plan = musforms.render(
        template,
        "docx",
        role="manager",
        context=musforms._model.context.SAMPLE_CONTEXT,
        answers={
            "agreements": [
                {"action": "KNX-kursus", "owner": "employee", "deadline": "2025-09-01"},
                {"action": "Sidemandsoplæring", "owner": "manager"},
            ]
        },
    )
    last_year = musforms.parse(plan)
    json_file = tmp_path / "last.json"
    json_file.write_text(last_year.to_json(), encoding="utf-8")
    rows = roster_rows(3)
    previous = {"E0000": last_year, "E0001": json_file, "E0002": _save(tmp_path / "plan.docx", plan)}
    report = build_packs(template, rows, tmp_path / "out", today=TODAY, previous=previous)
    assert report.count("built") == 3
    for outcome in report.outcomes:
        form = musforms.parse(tmp_path / "out" / (outcome.folder or "") / "3-forberedelse-medarbejder.docx")
        status = form.answers["previous_agreements_status"]
        assert [(r.action, r.owner) for r in status] == [("KNX-kursus", "employee"), ("Sidemandsoplæring", "manager")]


def _save(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_language_and_template_per_row(tmp_path: Path) -> None:
    company = tmp_path / "acme.yaml"
    company.write_text("extends: mus-soft-da\nid: acme\n", encoding="utf-8")
    rows = roster_rows(3)
    rows[1]["language"] = "en"
    rows[2]["template"] = str(company)
    report = build_packs("mus-scored-da", rows, tmp_path / "out", today=TODAY)
    assert report.ok
    forms = [
        musforms.parse(
            next((tmp_path / "out" / (o.folder or "")).glob("3-*.docx")),
            templates=[
                musforms.load_template(company),
                musforms.load_template("mus-scored-en"),
                musforms.load_template("mus-scored-da"),
            ],
        )
        for o in report.outcomes
    ]
    assert [f.template_id for f in forms] == ["mus-scored-da", "mus-scored-en", "acme"]
