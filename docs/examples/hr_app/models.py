"""The database: the tables of the example HR application, as typed SQLAlchemy 2 models."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = ["Base", "Employee", "IssuedForm", "StoredTemplate", "Submission"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """The base of every table."""


class StoredTemplate(Base):
    """One version of a company template: its YAML source as the company wrote it, and its logo."""

    __tablename__ = "templates"
    __table_args__ = (UniqueConstraint("template_id", "version"),)

    row_id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[str] = mapped_column(String(32))
    fingerprint: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(Text)
    """The template's YAML text; it may extend a built-in template."""
    logo_name: Mapped[str | None] = mapped_column(String(200))
    """The file name the template's ``company.logo`` gives, e.g. ``acme.png``."""
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    stored_at: Mapped[dt.datetime] = mapped_column(default=_now)


class Employee(Base):
    """An employee, with the manager who holds the employee's talk."""

    __tablename__ = "employees"

    employee_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str | None] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(200))
    manager_name: Mapped[str] = mapped_column(String(200))

    forms: Mapped[list[IssuedForm]] = relationship(back_populates="employee")


class IssuedForm(Base):
    """A form the application made for one employee's talk of one year, for the employee or the manager."""

    __tablename__ = "issued_forms"

    form_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.employee_id"), index=True)
    year: Mapped[int]
    role: Mapped[str] = mapped_column(String(16))
    format: Mapped[str] = mapped_column(String(8))
    template_id: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[str] = mapped_column(String(32))
    issued_at: Mapped[dt.datetime] = mapped_column(default=_now)

    employee: Mapped[Employee] = relationship(back_populates="forms")
    submission: Mapped[Submission | None] = relationship(back_populates="form")


class Submission(Base):
    """A completed form that came back: the parsed form as JSON (answers, issues, identity)."""

    __tablename__ = "submissions"

    row_id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[str] = mapped_column(ForeignKey("issued_forms.form_id"), unique=True)
    file_name: Mapped[str] = mapped_column(String(255))
    parsed: Mapped[str] = mapped_column(Text)
    """``FilledForm.to_json()`` of the completed form."""
    ok: Mapped[bool]
    received_at: Mapped[dt.datetime] = mapped_column(default=_now)

    form: Mapped[IssuedForm] = relationship(back_populates="submission")
