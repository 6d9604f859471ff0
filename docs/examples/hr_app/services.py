"""What the application does with musforms: issue a form, take in a completed one, compare, carry over."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

import musforms

from .answers import TEMPLATE_ID, EmployeeAnswers, ManagerAnswers
from .models import Employee, IssuedForm, Submission
from .templates import DatabaseTemplates

__all__ = [
    "Format",
    "Issued",
    "Meeting",
    "NotFoundError",
    "RefusedError",
    "TalkSummary",
    "agreements_of",
    "compare_talk",
    "issue_form",
    "issue_round",
    "preparations",
    "read_submission",
    "receive_form",
    "talk_form",
    "talk_summary",
]

Format = Literal["docx", "xlsx"]


class NotFoundError(Exception):
    """Something the request names is not in the database."""


class RefusedError(Exception):
    """What the application will not do: take a completed form it did not issue or has had back before, or sum
    up a talk held on another template's forms."""


@dataclass(frozen=True)
class Issued:
    """A form made for one person: its id and its file."""

    form_id: str
    file_name: str
    data: bytes


def _context(employee: Employee, template: musforms.Template) -> musforms.Context:
    name = template.company.name if template.company is not None else None
    company = musforms.Company(name=name) if name else None
    return musforms.Context(
        employee=musforms.Person(
            id=employee.employee_id,
            name=employee.name,
            job_title=employee.job_title,
            department=employee.department,
        ),
        manager=musforms.Person(name=employee.manager_name),
        company=company,
    )


def read_submission(submission: Submission) -> musforms.FilledForm:
    """The completed form as it was parsed, from its JSON in the database."""
    return musforms.FilledForm.model_validate_json(submission.parsed)


def _last_submission(session: Session, employee_id: str, year: int, role: str) -> Submission | None:
    query = (
        select(Submission)
        .join(IssuedForm)
        .where(IssuedForm.employee_id == employee_id, IssuedForm.year == year, IssuedForm.role == role)
        .order_by(Submission.row_id.desc())
    )
    return session.scalars(query).first()


def talk_form(session: Session, employee_id: str, year: int) -> musforms.FilledForm | None:
    """The completed form that holds the agreements of an employee's talk of ``year``: the manager's (the one
    the talk's conclusions are written in), else the employee's; None when neither came back."""
    for role in ("manager", "employee"):
        submission = _last_submission(session, employee_id, year, role)
        if submission is not None:
            return read_submission(submission)
    return None


def agreements_of(session: Session, employee_id: str, year: int) -> tuple[musforms.AgreementRow, ...]:
    """The agreements of an employee's talk of ``year`` (none when its forms have not come back)."""
    form = talk_form(session, employee_id, year)
    return musforms.carried_agreements(form) if form is not None else ()


def issue_form(
    session: Session,
    templates: DatabaseTemplates,
    *,
    employee_id: str,
    year: int,
    role: musforms.Role,
    format: Format,
    template_id: str,
    version: str | None,
    signing_key: bytes,
) -> Issued:
    """Make a signed form for an employee's talk of ``year`` from a stored template (its newest version unless
    ``version`` is given), prefilled with the agreements of the employee's talk of the year before."""
    employee = session.get(Employee, employee_id)
    if employee is None:
        raise NotFoundError(f"no employee {employee_id}")
    template = templates.find(template_id, version)
    if template is None:
        raise NotFoundError(f"no template {template_id}" + (f" version {version}" if version else ""))
    form_id = uuid.uuid4().hex
    data = musforms.render(
        template,
        format,
        role=role,
        context=_context(employee, template),
        previous=talk_form(session, employee_id, year - 1),
        form_id=form_id,
        signing_key=signing_key,
    )
    session.add(
        IssuedForm(
            form_id=form_id,
            employee_id=employee_id,
            year=year,
            role=role,
            format=format,
            template_id=template.id,
            template_version=template.version,
        )
    )
    return Issued(form_id, f"mus-{year}-{employee_id}-{role}.{format}", data)


@dataclass(frozen=True)
class Meeting:
    """When and where an employee's talk is held."""

    employee_id: str
    start: dt.datetime
    place: str | None = None


def issue_round(
    session: Session,
    templates: DatabaseTemplates,
    *,
    year: int,
    template_id: str,
    format: Format,
    meetings: Sequence[Meeting],
    signing_key: bytes,
) -> bytes:
    """The preparation packs of a round of talks, as one zip: for each employee an invitation, a calendar entry
    and both signed forms, made by ``musforms.build_packs`` from the newest version of the template, each form
    prefilled with the agreements of the employee's talk of the year before. The zip also holds the packs'
    report (``report.json``); every form in it is recorded as issued."""
    template = templates.find(template_id)
    if template is None:
        raise NotFoundError(f"no template {template_id}")
    contexts: list[musforms.Context] = []
    previous: list[musforms.FilledForm] = []
    for meeting in meetings:
        employee = session.get(Employee, meeting.employee_id)
        if employee is None:
            raise NotFoundError(f"no employee {meeting.employee_id}")
        when = musforms.Meeting(start=meeting.start, place=meeting.place)
        contexts.append(_context(employee, template).model_copy(update={"meeting": when}))
        last_year = talk_form(session, meeting.employee_id, year - 1)
        if last_year is not None:
            previous.append(last_year)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        report = musforms.build_packs(
            template, contexts, out, formats=(format,), previous=previous, signing_key=signing_key
        )
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as packs:
            packs.writestr("report.json", report.to_json())
            for path in sorted(p for p in out.rglob("*") if p.is_file()):
                data = path.read_bytes()
                packs.writestr(path.relative_to(out).as_posix(), data)
                if path.suffix == f".{format}":
                    _record(session, data, path.name, year, templates, signing_key)
    return archive.getvalue()


def _record(
    session: Session, data: bytes, name: str, year: int, templates: DatabaseTemplates, signing_key: bytes
) -> None:
    """Record a form of a pack as issued (a pack's invitation letter is not a form, and is left alone)."""
    try:
        form = musforms.parse(data, name=name, templates=templates, signing_key=signing_key)
    except musforms.NotAFormError:
        return
    assert form.subject_id is not None  # every employee in a round has an id
    session.add(
        IssuedForm(
            form_id=form.form_id,
            employee_id=form.subject_id,
            year=year,
            role=form.role,
            format=form.format,
            template_id=form.template_id,
            template_version=form.template_version,
        )
    )


def receive_form(
    session: Session, templates: DatabaseTemplates, data: bytes, *, file_name: str, signing_key: bytes
) -> Submission:
    """Parse a completed form that came back and store it.

    The form is read with the stored version of the template it was made from (another is refused by musforms),
    must be signed with the application's key, be one the application issued, and not have come back before.
    """
    form = musforms.parse(data, name=file_name, templates=templates, signing_key=signing_key)
    issued = session.get(IssuedForm, form.form_id)
    if issued is None or issued.employee_id != form.subject_id or issued.role != form.role:
        raise RefusedError(f"{file_name}: not a form this application issued")
    if issued.submission is not None:
        raise RefusedError(f"{file_name}: this form came back before, on {issued.submission.received_at:%Y-%m-%d}")
    submission = Submission(
        form_id=form.form_id,
        file_name=file_name,
        parsed=form.to_json(),
        ok=form.ok,
        received_at=dt.datetime.now(dt.UTC),
    )
    session.add(submission)
    session.flush()
    return submission


def preparations(session: Session, employee_id: str, year: int) -> tuple[musforms.FilledForm, musforms.FilledForm]:
    """The employee's and the manager's completed preparation for the employee's talk of ``year``."""
    employee_form = _last_submission(session, employee_id, year, "employee")
    manager_form = _last_submission(session, employee_id, year, "manager")
    if employee_form is None or manager_form is None:
        raise NotFoundError(f"both preparations of {employee_id}'s talk of {year} have not come back")
    return read_submission(employee_form), read_submission(manager_form)


def compare_talk(session: Session, templates: DatabaseTemplates, employee_id: str, year: int) -> musforms.Comparison:
    """The employee's and the manager's preparation for the employee's talk of ``year``, side by side."""
    employee_form, manager_form = preparations(session, employee_id, year)
    return musforms.compare(employee_form, manager_form, templates=templates)


class TalkSummary(BaseModel):
    """What HR follows up on after an employee's talk: read from the typed answers of both forms."""

    employee_id: str
    year: int
    template_version: str
    expectations: str | None
    """What the employee wanted from the talk."""
    agreements: list[musforms.AgreementRow]
    """The agreements in the manager's form."""
    followup_date: dt.date | None
    signed_by_employee: str | None
    signed_by_manager: str | None
    safety_course: int | None
    """The manager's rating of the safety course (a question since version 2; None in a form of version 1)."""


def talk_summary(session: Session, employee_id: str, year: int) -> TalkSummary:
    """The summary of an employee's talk of ``year``, from both completed forms.

    The answers are read into the models of ``answers.py`` (generated from the template's newest version by
    ``musforms schema company/acme-mus-2.yaml --python``): version 2 only adds questions, so the answers of a
    form of version 1 fit them too, with the new questions empty.
    """
    employee_form, manager_form = preparations(session, employee_id, year)
    if employee_form.template_id != TEMPLATE_ID:
        raise RefusedError(f"{employee_id}'s talk of {year} is not on {TEMPLATE_ID}'s forms")
    employee = employee_form.answers_as(EmployeeAnswers)
    manager = manager_form.answers_as(ManagerAnswers)
    rating = manager.rate_safety_course
    return TalkSummary(
        employee_id=employee_id,
        year=year,
        template_version=manager_form.template_version,
        expectations=employee.expectations,
        agreements=manager.agreements or [],
        followup_date=manager.followup_date or employee.followup_date,
        signed_by_employee=employee.sign_employee.name if employee.sign_employee else None,
        signed_by_manager=manager.sign_manager.name if manager.sign_manager else None,
        safety_course=rating,
    )
