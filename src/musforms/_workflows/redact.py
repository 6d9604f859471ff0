"""``redact``: a parsed form without the words people wrote, for exports that need only the structured answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from musforms._core.package import resolve_template, templates_by_id
from musforms._loading.store import GivenTemplates
from musforms._model.fields import AgreementsField, CheckField, ChoiceField, DateField, RatingField, SignatureField
from musforms._model.filled import FilledForm
from musforms._model.values import AgreementRow, Signature

__all__ = ["REDACTED", "redact"]

REDACTED = "[redacted]"
"""What an agreement's ``action`` (which may not be empty) says once redacted."""

_KEPT = (RatingField, ChoiceField, CheckField, DateField)
"""Field kinds whose answers are chosen, not written: kept as they are."""


def redact(form: FilledForm, *, templates: GivenTemplates = None) -> FilledForm:
    """``form`` without free text: what remains are ratings, choices, ticks and dates.

    Text answers become ``None``; each agreement row keeps its owner, deadline, method and status, its
    ``action`` becomes ``"[redacted]"`` and its ``comment`` ``None``; a signature keeps its date, not the
    name; every issue loses its ``raw`` text and its ``inputs`` (the text of each input); the form's context
    (names, e-mail addresses, last year's agreements), when it has one, is left out. The identity (with
    ``subject_id``) stays. An answer of a field the template does not have is dropped (``None``). The template
    is found as :func:`musforms.parse` finds it (``templates``, else the built-ins); the result has
    ``redacted=True``.
    """

    template = resolve_template(form.identity, templates_by_id(templates))
    fields = {field.id: field for _section, field in template.iter_fields()}
    answers: dict[str, Any] = {}
    for field_id, value in form.answers.items():
        field = fields.get(field_id)
        if value is None or isinstance(field, _KEPT):
            answers[field_id] = value
        elif isinstance(field, AgreementsField) and isinstance(value, list | tuple):
            answers[field_id] = [_redact_row(row) for row in value]
        elif isinstance(field, SignatureField):
            answers[field_id] = _redact_signature(value)
        else:  # a text field, or one the template does not know
            answers[field_id] = None
    issues = tuple(
        issue.model_copy(update={"raw": None, "inputs": None})
        if issue.raw is not None or issue.inputs is not None
        else issue
        for issue in form.issues
    )
    update: dict[str, Any] = {"answers": answers, "issues": issues, "redacted": True}
    if "context" in type(form).model_fields:  # names, e-mail addresses and last year's agreements
        update["context"] = None
    return form.model_copy(update=update)


def _redact_row(row: Any) -> Any:
    if isinstance(row, AgreementRow):
        return row.model_copy(update={"action": REDACTED, "comment": None})
    if isinstance(row, Mapping):
        return {**row, "action": REDACTED, "comment": None}
    return None


def _redact_signature(value: Any) -> Any:
    if isinstance(value, Signature):
        return value.model_copy(update={"name": None})
    if isinstance(value, Mapping):
        return {**value, "name": None}
    return None
