"""The example HR application (docs/examples/hr_app) works, through HTTP, from start to end.

A company template is stored in the application's SQLite database as version 1 with its logo, and forms are
issued from it; the template is changed and stored as version 2 beside version 1, and more forms are issued
from it. The forms are filled in, uploaded and parsed with the stored versions; their answers are stored,
read back, summed up through the typed answers and compared, and next year's forms (one, then a round of
packs) are issued prefilled with this year's agreements. Forms the application did not issue or sign, or of a
version it does not hold, are refused. The example's own code passes ``mypy --strict`` (which really checks
the answers it reads) and ruff, and its typed answers module is the one musforms writes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

import musforms

from .docxtools import document_xml, edit_part, set_tick, type_in_cell

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"
APP = EXAMPLES / "hr_app"
COMPANY = APP / "company"
BIN = Path(sys.executable).parent
KEY = b"acme-hr-signing-key-2026"

if str(EXAMPLES) not in sys.path:
    sys.path.insert(0, str(EXAMPLES))

from hr_app.app import create_app  # noqa: E402
from hr_app.models import Submission  # noqa: E402
from hr_app.services import read_submission  # noqa: E402


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(f"sqlite:///{tmp_path / 'hr.db'}", KEY)) as client:
        yield client


def store_template(client: TestClient, version: str) -> dict[str, Any]:
    """Upload the company's template file of ``version`` with its logo; the app's answer."""
    source = (COMPANY / f"acme-mus-{version}.yaml").read_bytes()
    logo = (COMPANY / "acme.png").read_bytes()
    response = client.post(
        "/templates",
        files={"source": (f"acme-mus-{version}.yaml", source, "application/yaml"), "logo": ("acme.png", logo)},
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def add_employees(client: TestClient) -> None:
    for employee_id, name, job in (("E-0001", "Mette Sørensen", "Elektriker"), ("E-0002", "Jonas Berg", "Lærling")):
        response = client.put(
            f"/employees/{employee_id}",
            json={"name": name, "job_title": job, "department": "Service", "manager_name": "Lars Holm"},
        )
        assert response.status_code == 200, response.text


def issue(client: TestClient, employee_id: str, role: str, year: int, fmt: str = "docx", **extra: Any) -> bytes:
    """A form the app issues (the file's bytes)."""
    request = {"employee_id": employee_id, "year": year, "role": role, "format": fmt, "template_id": "acme-mus"}
    response = client.post("/forms", json={**request, **extra})
    assert response.status_code == 200, response.text
    assert response.headers["x-form-id"]
    return response.content


def fill(issued: bytes, version: str, answers: dict[str, Any]) -> bytes:
    """The issued form as it comes back with ``answers`` added to what it held: the same form (its id, who it is
    for, its signature) made again from the company's template file with the answers prefilled, the way the
    round-trip tests fill a form. (Mette's form in the story is filled by editing the issued file itself.)"""
    issued_form = musforms.parse(issued, signing_key=KEY)
    template = musforms.load_template(COMPANY / f"acme-mus-{version}.yaml")
    assert (issued_form.template_version, issued_form.fingerprint) == (template.version, template.fingerprint)
    assert issued_form.context is not None
    held = {field_id: value for field_id, value in issued_form.answers.items() if value not in (None, False)}
    return musforms.render(
        template,
        issued_form.format,
        role=issued_form.role,
        context=issued_form.context,
        answers={**held, **answers},
        form_id=issued_form.form_id,
        signing_key=KEY,
    )


def upload(client: TestClient, data: bytes, name: str) -> dict[str, Any]:
    response = client.post("/submissions", files={"file": (name, data)})
    assert response.status_code == 201, response.text
    return dict(response.json())


def media(data: bytes) -> list[bytes]:
    """The pictures inside a .docx or .xlsx file."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [archive.read(name) for name in archive.namelist() if "/media/" in name]


AGREEMENTS = [
    {"action": "KNX-kursus", "owner": "employee", "deadline": "2027-03-01", "method": "course"},
    {"action": "Sidemandsoplæring af Jonas", "owner": "manager", "method": "side_by_side"},
]


def test_the_whole_story_through_http(client: TestClient, tmp_path: Path) -> None:
    logo = (COMPANY / "acme.png").read_bytes()

    # Version 1 of the company template is stored, with its logo in the database.
    v1 = store_template(client, "1")
    assert (v1["template_id"], v1["version"], v1["logo_name"]) == ("acme-mus", "1", "acme.png")
    assert client.get("/templates/acme-mus/1/logo").content == logo
    add_employees(client)

    # Forms of 2026 from version 1: Mette's own form in Word (with the logo), her manager's as a workbook.
    mette_employee = issue(client, "E-0001", "employee", 2026)
    mette_manager = issue(client, "E-0001", "manager", 2026, "xlsx")
    assert media(mette_employee) == [logo]

    # The template changes: version 2 is stored beside version 1; new forms are made from version 2.
    v2 = store_template(client, "2")
    assert v2["version"] == "2" and v2["fingerprint"] != v1["fingerprint"]
    versions = client.get("/templates/acme-mus").json()
    assert [v["version"] for v in versions] == ["1", "2"]
    jonas_employee = issue(client, "E-0002", "employee", 2026)
    jonas_manager = issue(client, "E-0002", "manager", 2026)
    assert musforms.parse(jonas_employee).template_version == "2"

    # Mette fills her form in Word: she writes in a cell and ticks two boxes.
    def mette_writes(xml: str) -> str:
        xml = type_in_cell(xml, "expectations", "", "Tale om kurser")
        xml = set_tick(xml, "rate_quality", "p4", True)
        return set_tick(xml, "rate_safety", "p2", True)

    mette_filled = edit_part(mette_employee, "word/document.xml", mette_writes)
    manager_answers = {
        "rate_quality": 4,
        "rate_safety": 5,
        "agreements": AGREEMENTS,
        "followup_date": dt.date(2026, 9, 1),
        "sign_manager": {"name": "Lars Holm", "date": dt.date(2026, 3, 16)},
    }
    jonas_answers = {"rate_safety_course": 2, "safety_ideas": "Flere stiger på lageret"}
    jonas_manager_filled = fill(jonas_manager, "2", {"rate_safety_course": 5})

    # The completed forms are uploaded and parsed, each with the version of the template it was made from.
    received = [
        upload(client, mette_filled, "mette.docx"),
        upload(client, fill(mette_manager, "1", manager_answers), "lars-om-mette.xlsx"),
        upload(client, fill(jonas_employee, "2", jonas_answers), "jonas.docx"),
        upload(client, jonas_manager_filled, "lars-om-jonas.docx"),
    ]
    assert [(r["employee_id"], r["role"], r["template_version"], r["ok"]) for r in received] == [
        ("E-0001", "employee", "1", True),
        ("E-0001", "manager", "1", True),
        ("E-0002", "employee", "2", True),
        ("E-0002", "manager", "2", True),
    ]

    # What was stored is read back, typed as it was parsed.
    with Session(create_engine(f"sqlite:///{tmp_path / 'hr.db'}")) as session:
        row = session.scalars(select(Submission).where(Submission.form_id == received[3]["form_id"])).one()
        version_2 = musforms.load_template(COMPANY / "acme-mus-2.yaml")
        assert read_submission(row) == musforms.parse(jonas_manager_filled, templates=[version_2], signing_key=KEY)
    stored = client.get(f"/submissions/{received[0]['form_id']}").json()
    assert stored["answers"]["expectations"] == "Tale om kurser"
    assert (stored["answers"]["rate_quality"], stored["answers"]["rate_safety"]) == (4, 2)
    stored = client.get(f"/submissions/{received[1]['form_id']}").json()
    assert [row["action"] for row in stored["answers"]["agreements"]] == ["KNX-kursus", "Sidemandsoplæring af Jonas"]
    assert client.get(f"/submissions/{received[2]['form_id']}").json()["answers"]["safety_ideas"] == (
        "Flere stiger på lageret"
    )

    agreements = client.get("/employees/E-0001/talks/2026/agreements").json()
    assert agreements == [
        {**AGREEMENTS[0], "status": None, "comment": None},
        {**AGREEMENTS[1], "deadline": None, "status": None, "comment": None},
    ]

    # The employee's and the manager's preparation compared: safety is the item to take up with Mette.
    mette = client.get("/employees/E-0001/talks/2026/comparison").json()
    quality = next(r for r in mette["ratings"] if r["field_id"] == "rate_quality")
    assert (quality["employee"], quality["manager"], quality["gap"]) == (4, 4, 0)
    assert mette["flagged"] == ["rate_safety"]
    jonas = client.get("/employees/E-0002/talks/2026/comparison").json()
    assert jonas["flagged"] == ["rate_safety_course"]  # a question only version 2 has

    # What HR follows up on, from the typed answers of both forms (answers.py, made from version 2).
    summary = client.get("/employees/E-0001/talks/2026").json()
    assert summary == {
        "employee_id": "E-0001",
        "year": 2026,
        "template_version": "1",
        "expectations": "Tale om kurser",
        "agreements": agreements,
        "followup_date": "2026-09-01",
        "signed_by_employee": None,
        "signed_by_manager": "Lars Holm",
        "safety_course": None,
    }
    assert client.get("/employees/E-0002/talks/2026").json()["safety_course"] == 5

    # The form for the talk itself, from both preparations.
    talk = client.get("/employees/E-0001/talks/2026/talk.docx")
    assert talk.status_code == 200 and talk.content.startswith(b"PK")
    assert "Tale om kurser" in document_xml(talk.content)

    # Next year's form for Mette is made from version 2, prefilled with the agreements of 2026.
    next_year = issue(client, "E-0001", "employee", 2027)
    blank = musforms.parse(next_year, signing_key=KEY)
    assert blank.template_version == "2"
    assert blank.context is not None
    assert [row.action for row in blank.context.previous_agreements] == ["KNX-kursus", "Sidemandsoplæring af Jonas"]
    carried = blank.answers["previous_agreements_status"]
    assert isinstance(carried, list)
    assert [(row.action, row.owner) for row in carried] == [
        ("KNX-kursus", "employee"),
        ("Sidemandsoplæring af Jonas", "manager"),
    ]
    # Jonas had no talk in 2025: his form of 2026 carried nothing over.
    assert musforms.parse(jonas_employee).answers["previous_agreements_status"] is None

    # The round of 2027: every employee's pack in one zip, each form carrying the agreements of 2026.
    soon = dt.datetime.combine(dt.date.today() + dt.timedelta(days=30), dt.time(10, 0))
    meetings = [
        {"employee_id": "E-0001", "start": soon.isoformat(), "place": "Mødelokale 2"},
        {"employee_id": "E-0002", "start": (soon + dt.timedelta(hours=1)).isoformat()},
    ]
    response = client.post("/rounds", json={"year": 2027, "template_id": "acme-mus", "meetings": meetings})
    assert response.status_code == 200, response.text
    with zipfile.ZipFile(io.BytesIO(response.content)) as packs:
        assert json.loads(packs.read("report.json"))["built"] == 2
        files = [packs.read(name) for name in packs.namelist() if name.endswith(".docx")]
    forms = {}
    for data in files:
        with contextlib.suppress(musforms.NotAFormError):  # the invitation letters
            form = musforms.parse(data, signing_key=KEY)
            forms[form.subject_id, form.role] = (form, data)
    assert sorted(forms) == [
        ("E-0001", "employee"),
        ("E-0001", "manager"),
        ("E-0002", "employee"),
        ("E-0002", "manager"),
    ]
    mette_2027, mette_2027_file = forms["E-0001", "employee"]
    assert mette_2027.template_version == "2"
    carried = mette_2027.answers["previous_agreements_status"]
    assert isinstance(carried, list) and [row.action for row in carried] == ["KNX-kursus", "Sidemandsoplæring af Jonas"]
    assert forms["E-0002", "manager"][0].answers["previous_agreements_status"] is None  # no agreements in 2026

    # A form of the round comes back like any other.
    back = upload(client, fill(mette_2027_file, "2", {"rate_safety_course": 4}), "mette-2027.docx")
    assert (back["employee_id"], back["year"], back["role"], back["template_version"]) == (
        "E-0001",
        2027,
        "employee",
        "2",
    )
    answers = client.get(f"/submissions/{back['form_id']}").json()["answers"]
    assert answers["rate_safety_course"] == 4
    carried_back = [row["action"] for row in answers["previous_agreements_status"]]
    assert carried_back == ["KNX-kursus", "Sidemandsoplæring af Jonas"]


def test_a_template_version_is_stored_once_and_a_broken_template_not_at_all(client: TestClient) -> None:
    store_template(client, "1")
    source = (COMPANY / "acme-mus-1.yaml").read_bytes()
    logo = (COMPANY / "acme.png").read_bytes()
    again = client.post("/templates", files={"source": ("acme-mus-1.yaml", source), "logo": ("acme.png", logo)})
    assert again.status_code == 409 and "acme-mus version 1 is stored already" in again.json()["detail"]

    broken = source.replace(b"remove: personal_matters", b"remove: no_such_field")
    response = client.post("/templates", files={"source": ("acme-mus-3.yaml", broken), "logo": ("acme.png", logo)})
    assert response.status_code == 422 and response.json()["code"] == "template.invalid"
    assert "acme-mus-3.yaml:" in response.json()["detail"] and "no_such_field" in response.json()["detail"]

    not_text = client.post("/templates", files={"source": ("acme.yaml", logo)})
    assert not_text.status_code == 422 and "acme.yaml: a template is YAML text in UTF-8" in not_text.json()["detail"]

    without_logo = client.post(
        "/templates", files={"source": ("acme-mus-2.yaml", (COMPANY / "acme-mus-2.yaml").read_bytes())}
    )
    assert without_logo.status_code == 422 and "acme.png" in without_logo.json()["detail"]
    assert [v["version"] for v in client.get("/templates/acme-mus").json()] == ["1"]


def test_a_stored_template_may_extend_another_stored_one(client: TestClient) -> None:
    base = b"extends: mus-soft-da\nid: acme-base\nversion: '1'\ncompany:\n  name: Acme A/S\n"
    workshop = "extends: acme-base@1\nid: acme-workshop\ntitle: MUS på Acmes værksted\n".encode()
    assert client.post("/templates", files={"source": ("acme-base.yaml", base)}).status_code == 201
    stored = client.post("/templates", files={"source": ("acme-workshop.yaml", workshop)})
    assert stored.status_code == 201, stored.text
    add_employees(client)
    request = {"employee_id": "E-0001", "year": 2026, "role": "employee", "template_id": "acme-workshop"}
    form = musforms.parse(client.post("/forms", json=request).content)
    assert (form.template_id, form.context and form.context.company) == (
        "acme-workshop",
        musforms.Company(name="Acme A/S"),
    )


def test_a_form_the_app_did_not_issue_or_sign_is_refused(client: TestClient) -> None:
    store_template(client, "1")
    add_employees(client)
    issued = issue(client, "E-0001", "employee", 2026)
    template = musforms.load_template(COMPANY / "acme-mus-1.yaml")
    context = {"employee": {"id": "E-0001", "name": "Mette Sørensen"}}

    unsigned = musforms.render(template, "docx", role="employee", context=context)
    response = client.post("/submissions", files={"file": ("unsigned.docx", unsigned)})
    assert response.status_code == 422 and response.json()["code"] == "parse.identity"

    other_key = musforms.render(template, "docx", role="employee", context=context, signing_key=b"x" * 32)
    response = client.post("/submissions", files={"file": ("other.docx", other_key)})
    assert response.status_code == 422 and response.json()["code"] == "parse.identity"

    not_issued = musforms.render(template, "docx", role="employee", context=context, signing_key=KEY)
    response = client.post("/submissions", files={"file": ("made-elsewhere.docx", not_issued)})
    assert response.status_code == 409 and "not a form this application issued" in response.json()["detail"]

    version_2 = musforms.load_template(COMPANY / "acme-mus-2.yaml")  # not stored in the app
    not_stored = musforms.render(version_2, "docx", role="employee", context=context, signing_key=KEY)
    response = client.post("/submissions", files={"file": ("version-2.docx", not_stored)})
    assert response.status_code == 422 and response.json()["code"] == "parse.fingerprint_mismatch"
    assert response.json()["detail"].startswith("version-2.docx: the form was made from 'acme-mus' version 2")

    upload(client, fill(issued, "1", {"rate_quality": 3}), "mette.docx")
    response = client.post("/submissions", files={"file": ("again.docx", fill(issued, "1", {"rate_quality": 3}))})
    assert response.status_code == 409 and "came back before" in response.json()["detail"]
    assert client.get("/employees/E-0001/talks/2026/comparison").status_code == 404


def test_the_typed_answers_module_is_the_one_musforms_writes_for_the_newest_template() -> None:
    template = COMPANY / "acme-mus-2.yaml"
    result = subprocess.run(
        [str(BIN / "musforms"), "schema", str(template), "--python", "-o", str(APP / "answers.py"), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("right", "wrong", "message"),
    [
        (
            "manager.rate_safety_course",
            "manager.rate_safety_coarse",
            '"ManagerAnswers" has no attribute "rate_safety_coarse"',
        ),
        (
            "manager.sign_manager.name if manager.sign_manager else None",
            "manager.sign_manager.name",
            'Item "None" of "Signature | None" has no attribute "name"',
        ),
    ],
)
def test_mypy_checks_the_answers_the_app_reads(tmp_path: Path, right: str, wrong: str, message: str) -> None:
    """The typed answers are really checked: the app with a misspelt answer, or with an answer read without
    minding that it may be empty, does not pass."""
    copy = tmp_path / "hr_app"
    copy.mkdir()
    for source in APP.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        if source.name == "services.py":
            assert right in text
            text = text.replace(right, wrong)
        (copy / source.name).write_text(text, encoding="utf-8")
    result = mypy(copy)
    assert result.returncode == 1 and message in result.stdout, result.stdout + result.stderr


def mypy(package: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "mypy"), "--strict", "--no-incremental", str(package)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_example_passes_mypy_strict() -> None:
    result = mypy(APP)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found in" in result.stdout


def test_the_example_passes_ruff() -> None:
    for command in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [str(BIN / "ruff"), *command, str(APP)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
