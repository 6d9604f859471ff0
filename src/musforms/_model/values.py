"""The structured answer values that are more than a scalar: agreement rows and signatures."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

from musforms._model.fields import Role

__all__ = [
    "AGREEMENT_METHODS",
    "AGREEMENT_STATUSES",
    "NOT_RELEVANT",
    "AgreementMethod",
    "AgreementRow",
    "AgreementStatus",
    "Signature",
]

NOT_RELEVANT: Literal["not_relevant"] = "not_relevant"
"""The answer of a rating item marked "not relevant"."""

AgreementStatus = Literal["done", "in_progress", "not_started", "dropped"]
AGREEMENT_STATUSES: tuple[AgreementStatus, ...] = ("done", "in_progress", "not_started", "dropped")

AgreementMethod = Literal["course", "job_rotation", "side_by_side", "mentoring", "self_study", "other"]
"""How a competence is developed (guide 3.3): course, job rotation, side-by-side training, mentoring,
self-study, or something else."""
AGREEMENT_METHODS: tuple[AgreementMethod, ...] = (
    "course",
    "job_rotation",
    "side_by_side",
    "mentoring",
    "self_study",
    "other",
)

_Text = Annotated[str, StringConstraints(min_length=1)]


class AgreementRow(BaseModel):
    """One agreement: what is to be done, who does it, by when, how, its status and a comment."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    action: _Text
    """What is to be done."""
    owner: Role | None = None
    """Who does it: ``employee`` or ``manager``."""
    deadline: dt.date | None = None
    """By when."""
    method: AgreementMethod | None = None
    """How a competence is developed."""
    status: AgreementStatus | None = None
    """Done, in progress, not started or dropped."""
    comment: _Text | None = None
    """The effect, or a comment."""


class Signature(BaseModel):
    """A signature line as filled in: the signer's name and the date."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: _Text | None = None
    """The signer's name."""
    date: dt.date | None = None
    """The date of signing."""
