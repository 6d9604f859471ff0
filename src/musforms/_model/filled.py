"""What parsing a completed form gives: its identity, the answers by field id, and the issues found."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SkipValidation,
    StrictBool,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from musforms._model.answers import AnswerKind
from musforms._model.context import Context
from musforms._model.fields import Role
from musforms._model.messages import error_messages
from musforms._model.values import AgreementRow, Signature
from musforms.errors import AnswersError

__all__ = ["Answer", "AnswerKind", "FilledForm", "FormIdentity", "Issue", "IssueCode", "Location"]

Answer = str | int | bool | dt.date | list[str] | list[AgreementRow] | Signature | None
"""One answer of a completed form: text → ``str``, rating → ``int`` or ``"not_relevant"``, choice → ``str`` (or
``list[str]`` of a multiple choice), check → ``bool``, date → ``datetime.date``, agreements → ``list`` of
:class:`AgreementRow`, signature → :class:`Signature`; an empty answer is ``None``."""

_BY_KIND: dict[str, TypeAdapter[Any]] = {
    "text": TypeAdapter(StrictStr | None),
    "rating": TypeAdapter(StrictInt | Literal["not_relevant"] | None),
    "choice": TypeAdapter(StrictStr | list[StrictStr] | None),
    "check": TypeAdapter(StrictBool | None),
    "date": TypeAdapter(dt.date | None),
    "agreements": TypeAdapter(list[AgreementRow] | None),
    "signature": TypeAdapter(Signature | None),
}
"""What an answer of each kind is read as (from Python values or from JSON)."""
_ANY_ANSWER: TypeAdapter[Any] = TypeAdapter(Answer)
"""What an answer whose kind is not recorded is read as: rows and signatures are told apart by their keys; a
date stays the text it was written as (it cannot be told from a text answer)."""

M = TypeVar("M", bound=BaseModel)

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
    """Something in a completed form that needs a person's attention. The raw text is always kept (of an
    issue about several inputs, also input by input)."""

    code: IssueCode
    message: str
    field_id: str | None = None
    label: str | None = None
    raw: str | None = None
    """The text as the person wrote it, never altered (of several inputs, their texts joined by ``; ``)."""
    location: Location | None = None
    severity: Literal["error", "warning"] = "error"
    inputs: dict[str, str] | None = None
    """The text of each input the issue is about, by input name (``mf_agreements__r2o``, as
    :func:`musforms._core.binding.input_name` names it in every format), never altered: set when the issue
    concerns several inputs whose text is in no answer, such as the cells of an agreement row left out of the
    answers because its "what" is empty (each cell that holds text). ``None`` for an issue about one input
    (its text is :attr:`raw`, the input named by the location's ``anchor``) or about none."""


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
    format: Literal["docx", "xlsx", "html"]
    context: Context | None = None
    """Who the form was made for (employee, manager, company, meeting), as stored in the file."""
    answers: SkipValidation[dict[str, Answer]] = Field(default_factory=dict)
    """Answers by field id (see :data:`Answer`): text → str, rating → int or "not_relevant", choice → str or
    list[str], check → bool, date → date, agreements → list of :class:`AgreementRow`, signature →
    :class:`Signature`; empty → None. Each answer is typed by its kind in :attr:`kinds`."""
    kinds: dict[str, AnswerKind] = Field(default_factory=dict)
    """The kind of each answer's field, by field id, as ``parse`` found it in the template: what types the
    answers when the form is read back from JSON (a ``date`` answer becomes a ``datetime.date`` again, a text
    stays text). Empty in a form written before kinds were recorded: its answers are then typed as far as
    their values tell (agreement rows and signatures by their keys), and a date answer stays ISO text."""
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

    @model_validator(mode="before")
    @classmethod
    def _typed_answers(cls, data: Any) -> Any:
        """Each answer as the type of its kind (from :attr:`kinds`), whether given as Python values or JSON."""
        if not isinstance(data, Mapping) or data.get("answers") is None:
            return data
        answers = data["answers"]
        if not isinstance(answers, Mapping):
            raise ValueError("answers must be a mapping of field ids to answers")
        kinds = data.get("kinds")
        kinds = kinds if isinstance(kinds, Mapping) else {}
        typed: dict[str, Any] = {}
        problems: list[str] = []
        for field_id, value in answers.items():
            kind = kinds.get(field_id)
            adapter = _BY_KIND.get(kind, _ANY_ANSWER) if isinstance(kind, str) else _ANY_ANSWER
            try:
                typed[str(field_id)] = adapter.validate_python(value)
            except ValidationError as exc:
                what = f"a {kind} answer" if isinstance(kind, str) and kind in _BY_KIND else "an answer"
                problems.append(f"the answer to '{field_id}' is not {what}: " + "; ".join(error_messages(exc)))
        if problems:
            raise ValueError("; ".join(problems))
        return {**data, "answers": typed}

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
        """The form as JSON (dates as ISO strings, agreement rows and signatures as objects).

        ``FilledForm.model_validate_json`` reads it back into an equal form, answers typed by their kinds.
        """
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=indent)

    def answers_as(self, model: type[M]) -> M:
        """The answers validated into ``model``: a pydantic model whose fields are the field ids, such as
        ``template.answers_model(role)`` or a model of the module ``musforms schema TEMPLATE --python`` writes.

        Raises :class:`~musforms.AnswersError` naming each answer that does not fit (and each key the model
        lacks or misses), with pydantic's error as its cause.
        """
        try:
            return model.model_validate(self.answers)
        except ValidationError as exc:
            fields = tuple(dict.fromkeys(str(e["loc"][0]) for e in exc.errors() if e["loc"]))
            raise AnswersError(
                f"the answers of form {self.form_id} ({self.template_id} {self.template_version}, {self.role}) "
                f"do not fit {model.__name__}: " + "; ".join(error_messages(exc)),
                fields=fields,
            ) from exc
