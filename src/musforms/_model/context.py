"""Who and what a form is for: the employee, the manager, the company, the meeting, last year's agreements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from musforms._model.values import AgreementRow

__all__ = ["Company", "Context", "Meeting", "Person", "as_context", "person_line"]

_Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
_Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
_Long = Annotated[str, StringConstraints(strip_whitespace=True, max_length=8000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Strict):
    """An employee or a manager."""

    id: _Short | None = None
    name: _Name
    email: _Short | None = None
    job_title: _Short | None = None
    department: _Short | None = None

    @property
    def first_name(self) -> str:
        """The first word of the name."""
        return self.name.split()[0]


def person_line(person: Person | None) -> str:
    """A person as the forms print them: ``Mette Sørensen (Elektriker, Service)``; empty for no one."""
    if person is None:
        return ""
    details = ", ".join(v for v in (person.job_title, person.department) if v)
    return person.name + (f" ({details})" if details else "")


class Company(_Strict):
    """The company holding the talk, with the situation and plans the manager wants to share (phase 1)."""

    name: _Name
    situation: _Long | None = None
    plans: _Long | None = None


class Meeting(_Strict):
    """When and where the talk takes place."""

    start: dt.datetime | None = None
    duration_minutes: int = Field(default=60, ge=5, le=480)
    place: _Short | None = None

    @property
    def end(self) -> dt.datetime | None:
        """When the talk is planned to end."""
        return None if self.start is None else self.start + dt.timedelta(minutes=self.duration_minutes)


class Context(_Strict):
    """Everything a form is personalised with. Plain dicts of the same shape are accepted wherever a
    Context is."""

    employee: Person
    manager: Person | None = None
    company: Company | None = None
    meeting: Meeting | None = None
    previous_agreements: Annotated[Sequence[AgreementRow], AfterValidator(tuple)] = ()
    """The agreements of the last MUS (guide 3.2), for the template's texts: a list or tuple of
    ``AgreementRow`` (or mappings of the same shape), kept as a tuple. ``render(..., previous=...)`` sets it and
    also prefills the form's status table with them."""


def as_context(value: Context | Mapping[str, Any]) -> Context:
    """A Context from a Context or a mapping of the same shape (validated)."""
    if isinstance(value, Context):
        return value
    return Context.model_validate(value)


SAMPLE_CONTEXT = Context(
    employee=Person(
        id="E-0001",
        name="Mette Sørensen",
        email="mette@example.dk",
        job_title="Elektriker",
        department="Service",
    ),
    manager=Person(id="M-01", name="Lars Holm", email="lars@example.dk", job_title="Afdelingsleder"),
    company=Company(name="Eksempel El A/S", situation="Travl ordrebog.", plans="Ny afdeling i Aarhus."),
    meeting=Meeting(start=dt.datetime(2026, 3, 16, 10, 0), duration_minutes=60, place="Mødelokale 2"),
    previous_agreements=(AgreementRow(action="Kursus i KNX", owner="employee", deadline=dt.date(2025, 9, 1)),),
)
"""A complete context, used to check template texts before any real form is rendered."""

EMPLOYEE_ONLY_CONTEXT = Context(employee=Person(name="Mette Sørensen"))
"""The least a context holds: template texts must render with it too."""
