"""The HTTP interface of the example HR application: a FastAPI app over an SQLite database.

``create_app(database_url, signing_key)`` makes the app; its routes store templates, register employees,
issue forms (one at a time or a round of packs), take in completed ones, compare and sum up a talk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, File, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session, sessionmaker

import musforms

from .models import Base, Employee, IssuedForm, Submission
from .services import (
    Format,
    Meeting,
    NotFoundError,
    RefusedError,
    TalkSummary,
    agreements_of,
    compare_talk,
    issue_form,
    issue_round,
    preparations,
    read_submission,
    receive_form,
    talk_summary,
)
from .templates import DatabaseTemplates, TemplateExistsError, store_template

__all__ = ["create_app"]

MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_UPLOAD_BYTES = 20_000_000


@dataclass(frozen=True)
class Settings:
    """What the routes need from the app: the database's sessions and the key that signs forms."""

    sessions: sessionmaker[Session]
    signing_key: bytes


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _session(settings: Annotated[Settings, Depends(_settings)]) -> Iterator[Session]:
    with settings.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(_session)]
SettingsDep = Annotated[Settings, Depends(_settings)]

router = APIRouter()


# -- what the routes take and give ------------------------------------------------------------------


class TemplateOut(BaseModel):
    template_id: str
    version: str
    fingerprint: str
    logo_name: str | None


class EmployeeIn(BaseModel):
    name: str
    manager_name: str
    job_title: str | None = None
    department: str | None = None


class FormRequest(BaseModel):
    employee_id: str
    year: int
    role: musforms.Role
    format: Format = "docx"
    template_id: str
    version: str | None = None


class MeetingIn(BaseModel):
    employee_id: str
    start: dt.datetime
    place: str | None = None


class RoundRequest(BaseModel):
    year: int
    template_id: str
    format: Format = "docx"
    meetings: list[MeetingIn]


class IssueOut(BaseModel):
    code: str
    message: str
    field_id: str | None


class SubmissionOut(BaseModel):
    form_id: str
    employee_id: str
    year: int
    role: musforms.Role
    template_id: str
    template_version: str
    ok: bool
    issues: list[IssueOut]


def _submission_out(submission: Submission) -> SubmissionOut:
    form = read_submission(submission)
    issued = submission.form
    return SubmissionOut(
        form_id=form.form_id,
        employee_id=issued.employee_id,
        year=issued.year,
        role=form.role,
        template_id=form.template_id,
        template_version=form.template_version,
        ok=form.ok,
        issues=[IssueOut(code=i.code, message=i.message, field_id=i.field_id) for i in form.issues],
    )


async def _read_upload(upload: UploadFile) -> bytes:
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise HTTPException(413, f"{upload.filename}: larger than {MAX_UPLOAD_BYTES // 1_000_000} MB")
    return data


# -- templates ---------------------------------------------------------------------------------------


@router.post("/templates", status_code=201)
async def post_template(
    session: SessionDep, source: Annotated[UploadFile, File()], logo: Annotated[UploadFile | None, File()] = None
) -> TemplateOut:
    """Store a new version of a company template (its YAML), with the logo it names."""
    try:
        text = (await _read_upload(source)).decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(422, f"{source.filename}: a template is YAML text in UTF-8") from None
    logo_data = await _read_upload(logo) if logo is not None else None
    logo_name = logo.filename if logo is not None else None
    try:
        row = store_template(
            session, text, name=source.filename or "template.yaml", logo_name=logo_name, logo=logo_data
        )
    except TemplateExistsError as error:
        raise HTTPException(409, str(error)) from None
    session.commit()
    return TemplateOut(
        template_id=row.template_id, version=row.version, fingerprint=row.fingerprint, logo_name=row.logo_name
    )


@router.get("/templates/{template_id}")
def get_template_versions(session: SessionDep, template_id: str) -> list[TemplateOut]:
    """The stored versions of a template, oldest first."""
    rows = DatabaseTemplates(session).rows(template_id)
    if not rows:
        raise HTTPException(404, f"no template {template_id}")
    return [
        TemplateOut(template_id=r.template_id, version=r.version, fingerprint=r.fingerprint, logo_name=r.logo_name)
        for r in rows
    ]


@router.get("/templates/{template_id}/{version}/logo")
def get_logo(session: SessionDep, template_id: str, version: str) -> Response:
    """The logo of a template's version, from the database."""
    row = DatabaseTemplates(session).row(template_id, version)
    if row is None or row.logo is None:
        raise HTTPException(404, f"no logo for {template_id} version {version}")
    media_type = "image/png" if row.logo.startswith(b"\x89PNG") else "image/jpeg"
    return Response(row.logo, media_type=media_type)


# -- employees and forms -----------------------------------------------------------------------------


@router.put("/employees/{employee_id}")
def put_employee(session: SessionDep, employee_id: str, employee: EmployeeIn) -> dict[str, str]:
    """Add an employee, or change one."""
    session.merge(Employee(employee_id=employee_id, **employee.model_dump()))
    session.commit()
    return {"employee_id": employee_id}


@router.post("/forms")
def post_form(session: SessionDep, settings: SettingsDep, request: FormRequest) -> Response:
    """Issue a signed form (the file) for an employee's talk, prefilled with last year's agreements."""
    issued = issue_form(
        session,
        DatabaseTemplates(session),
        employee_id=request.employee_id,
        year=request.year,
        role=request.role,
        format=request.format,
        template_id=request.template_id,
        version=request.version,
        signing_key=settings.signing_key,
    )
    session.commit()
    return Response(
        issued.data,
        media_type=MEDIA_TYPES[request.format],
        headers={"Content-Disposition": f'attachment; filename="{issued.file_name}"', "X-Form-Id": issued.form_id},
    )


@router.post("/rounds")
def post_round(session: SessionDep, settings: SettingsDep, request: RoundRequest) -> Response:
    """Issue a round of talks: every employee's preparation pack (invitation, calendar entry, both forms), as
    one zip, the forms prefilled with last year's agreements."""
    data = issue_round(
        session,
        DatabaseTemplates(session),
        year=request.year,
        template_id=request.template_id,
        format=request.format,
        meetings=[Meeting(m.employee_id, m.start, m.place) for m in request.meetings],
        signing_key=settings.signing_key,
    )
    session.commit()
    file_name = f"mus-{request.year}-{request.template_id}.zip"
    return Response(
        data, media_type="application/zip", headers={"Content-Disposition": f'attachment; filename="{file_name}"'}
    )


@router.post("/submissions", status_code=201)
async def post_submission(
    session: SessionDep, settings: SettingsDep, file: Annotated[UploadFile, File()]
) -> SubmissionOut:
    """Take in a completed form: parse it with the stored templates and keep what it says."""
    data = await _read_upload(file)
    submission = receive_form(
        session, DatabaseTemplates(session), data, file_name=file.filename or "form", signing_key=settings.signing_key
    )
    session.commit()
    return _submission_out(submission)


@router.get("/submissions/{form_id}")
def get_submission(session: SessionDep, form_id: str) -> dict[str, Any]:
    """A completed form as it was read: its identity, answers and issues."""
    issued = session.get(IssuedForm, form_id)
    if issued is None or issued.submission is None:
        raise HTTPException(404, f"form {form_id} has not come back")
    form = read_submission(issued.submission)
    return form.model_dump(mode="json")


@router.get("/employees/{employee_id}/talks/{year}/comparison")
def get_comparison(session: SessionDep, employee_id: str, year: int) -> dict[str, Any]:
    """The employee's and the manager's preparation side by side, with the items to take up in the talk."""
    comparison = compare_talk(session, DatabaseTemplates(session), employee_id, year)
    return {**comparison.to_dict(), "flagged": [pair.field_id for pair in comparison.flagged]}


@router.get("/employees/{employee_id}/talks/{year}/talk.{format}")
def get_talk_form(session: SessionDep, employee_id: str, year: int, format: Format) -> Response:
    """The form for the talk itself: both preparations side by side, part by part, with room for notes."""
    employee_form, manager_form = preparations(session, employee_id, year)
    data = musforms.render_talk(None, employee_form, manager_form, format, templates=DatabaseTemplates(session))
    file_name = f"mus-{year}-{employee_id}-talk.{format}"
    return Response(
        data, media_type=MEDIA_TYPES[format], headers={"Content-Disposition": f'attachment; filename="{file_name}"'}
    )


@router.get("/employees/{employee_id}/talks/{year}")
def get_talk(session: SessionDep, employee_id: str, year: int) -> TalkSummary:
    """What HR follows up on after the talk: the agreements, the follow-up date, who signed."""
    return talk_summary(session, employee_id, year)


@router.get("/employees/{employee_id}/talks/{year}/agreements")
def get_agreements(session: SessionDep, employee_id: str, year: int) -> list[musforms.AgreementRow]:
    """The agreements of the employee's talk, as next year's forms carry them over."""
    return list(agreements_of(session, employee_id, year))


# -- the app -----------------------------------------------------------------------------------------


def _not_found(_request: Request, error: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(error)}, status_code=404)


def _refused(_request: Request, error: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(error)}, status_code=409)


def _musforms_error(_request: Request, error: Exception) -> JSONResponse:
    code = error.code if isinstance(error, musforms.MusformsError) else "error"
    return JSONResponse({"detail": str(error), "code": code}, status_code=422)


def create_app(database_url: str, signing_key: bytes) -> FastAPI:
    """The application over the database at ``database_url`` (its tables are made when missing); forms are
    signed with ``signing_key``, and only forms signed with it are taken in."""
    engine = create_engine(database_url, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _foreign_keys(connection: Any, _record: Any) -> None:
        connection.execute("PRAGMA foreign_keys = ON")

    Base.metadata.create_all(engine)
    app = FastAPI(title="Acme HR: MUS forms")
    app.state.settings = Settings(sessionmaker(engine), signing_key)
    app.include_router(router)
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(RefusedError, _refused)
    app.add_exception_handler(musforms.MusformsError, _musforms_error)
    return app
