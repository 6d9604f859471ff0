"""What parsing a completed form gives: its identity, the answers by field id, and the issues found."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from musforms._model.context import Context
from musforms._model.fields import Role

__all__ = ["FilledForm", "FormIdentity", "Issue", "IssueCode", "Location"]

IssueCode = Literal[
    "value.invalid",
    "value.ambiguous",
    "value.too_long",
    "field.missing",
    "field.required",
    "content.unmapped",
    "content.unchecked",
    "identity.lenient",
]
"""Kinds of issue: a value that does not fit its field, a value that could be read more than one way (two
points ticked), text longer than allowed, a field whose input was not found in the file, a required field
left empty, text written outside any field, text outside the fields that could not be looked for (a form of
another layout), and a file accepted despite a template mismatch."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Location(_Frozen):
    """Where in a file something was found."""

    part: str
    """The part of the file: ``word/document.xml`` in a .docx, the sheet name in a .xlsx."""
    where: str
    """A readable place inside the part: ``table 3, row 2, cell 2`` or a cell address such as ``C14``."""
    anchor: str | None = None
    """The bookmark or defined name the input was found by, if any."""


class Issue(_Frozen):
    """Something in a completed form that needs a person's attention. The raw text is always kept."""

    code: IssueCode
    message: str
    field_id: str | None = None
    label: str | None = None
    raw: str | None = None
    """The text as the person wrote it, never altered."""
    location: Location | None = None
    severity: Literal["error", "warning"] = "error"


class FormIdentity(_Frozen):
    """The identity written into every rendered file."""

    template_id: str
    template_version: str
    fingerprint: str
    role: Role
    subject_id: str | None = None
    """The employee the form is about."""
    form_id: str


class FilledForm(_Frozen):
    """A parsed form: identity, answers keyed by field id (``None`` when empty), and issues."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="FilledForm")

    template_id: str
    template_version: str
    fingerprint: str
    role: Role
    subject_id: str | None = None
    form_id: str
    format: Literal["docx", "xlsx"]
    context: Context | None = None
    """Who the form was made for (employee, manager, company, meeting), as stored in the file."""
    answers: dict[str, Any] = Field(default_factory=dict)
    """Answers by field id: text → str, rating → int or "not_relevant", choice → str or list[str],
    check → bool, date → date, agreements → list of rows, signature → {name, date}; empty → None."""
    issues: tuple[Issue, ...] = ()
    signed: Literal["verified", "unsigned", "not_checked"] = "not_checked"
    """Whether the identity was checked against its signature (``musforms.signature``, see
    :mod:`musforms._core.signing`): ``verified`` when ``parse`` was given the signing key and the signature matches
    (a missing or wrong signature is an error then); without a key, ``unsigned`` when the file carries no
    signature and ``not_checked`` when it carries one that was not checked."""
    template_source: Literal["builtin", "given", "embedded"] | None = None
    """Where the template the form was read with came from: ``builtin`` (a template of musforms), ``given``
    (among the templates passed to ``parse``) or ``embedded`` (the template the form carries, checked against
    its fingerprint); ``None`` in a form read before this was recorded."""
    redacted: bool = False
    """Whether free-text answers and the raw text of issues were removed (:func:`musforms.redact`)."""

    @property
    def identity(self) -> FormIdentity:
        """The identity part of the form."""
        return FormIdentity(
            template_id=self.template_id,
            template_version=self.template_version,
            fingerprint=self.fingerprint,
            role=self.role,
            subject_id=self.subject_id,
            form_id=self.form_id,
        )

    @property
    def ok(self) -> bool:
        """Whether no issue of severity ``error`` was found."""
        return not any(issue.severity == "error" for issue in self.issues)

    def to_json(self, *, indent: int | None = 2) -> str:
        """The form as JSON (dates as ISO strings, agreement rows and signatures as objects)."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=indent)
