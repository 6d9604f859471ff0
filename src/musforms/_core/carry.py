"""Last year's agreements carried into this year's form: read from last year's form or rows, and prefilled
into the table where the form takes stock of them (guide 3.2)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from musforms._model.context import Context
from musforms._model.fields import AgreementsField, Role
from musforms._model.filled import FilledForm
from musforms._model.messages import error_messages
from musforms._model.template import Template
from musforms._model.values import AgreementRow
from musforms.errors import CarryOverError

__all__ = ["Previous", "carried_agreements", "carry_over", "form_agreements", "status_field"]

Previous = FilledForm | Iterable[AgreementRow | Mapping[str, Any]]
"""What last year's agreements are given as: last year's form, or its agreement rows."""


def _row_data(item: object) -> Mapping[str, Any] | None:
    data = item.model_dump(mode="json") if isinstance(item, BaseModel) else item
    return data if isinstance(data, Mapping) else None


def _rows(value: object) -> list[dict[str, Any]] | None:
    """A list of agreement rows, each with an action, as mappings of their set values; None for anything else."""
    if not isinstance(value, list) or not value:
        return None
    rows = []
    for item in value:
        data = _row_data(item)
        if data is None or not data.get("action"):
            return None
        rows.append({k: v for k, v in data.items() if v is not None})
    return rows


def form_agreements(answers: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The agreements among a form's answers: the field ``agreements`` when it holds any (what a plan, a
    follow-up or a preparation form agreed), otherwise the first agreements table that holds any."""
    preferred = _rows(answers.get("agreements"))
    if preferred:
        return preferred
    for value in answers.values():
        rows = _rows(value)
        if rows:
            return rows
    return []


def _what(value: object) -> str:
    """What was given, for a message: its type, and a short text of it."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def carried_agreements(previous: Previous) -> tuple[AgreementRow, ...]:
    """Last year's agreements, validated: from last year's form (a :class:`FilledForm` — a plan, a follow-up, a
    talk or a preparation form; see :func:`form_agreements` for which of its tables) or from its rows
    (``AgreementRow`` objects or mappings of the same shape). Anything else is a :class:`CarryOverError`."""
    if isinstance(previous, FilledForm):
        if previous.redacted:
            raise CarryOverError(
                f"last year's form {previous.form_id} was redacted: its agreements' texts were removed, so there "
                "is nothing to carry over (parse the form again)"
            )
        items: list[object] = list(form_agreements(previous.answers))
    elif isinstance(previous, str | bytes | bytearray | Mapping | BaseModel) or not isinstance(previous, Iterable):
        raise CarryOverError(
            "last year's agreements are a parsed form (FilledForm) or a list of agreement rows "
            f"(one row too is given as a list), not {_what(previous)}"
        )
    else:
        items = list(previous)
    rows: list[AgreementRow] = []
    for number, item in enumerate(items, start=1):
        if isinstance(item, AgreementRow):
            rows.append(item)
            continue
        if not isinstance(item, Mapping):
            raise CarryOverError(
                f"last year's agreement {number} is an agreement row (AgreementRow or a mapping with 'action'), "
                f"not {_what(item)}"
            )
        try:
            rows.append(AgreementRow.model_validate({k: v for k, v in item.items() if v is not None}))
        except ValidationError as exc:
            raise CarryOverError(
                f"last year's agreement {number} cannot be carried over: " + "; ".join(error_messages(exc))
            ) from None
    return tuple(rows)


def status_field(template: Template) -> AgreementsField | None:
    """The agreements table in which a form takes stock of last year's agreements (it has a status column)."""
    for _section, field in template.iter_fields():
        if isinstance(field, AgreementsField) and "status" in field.columns:
            return field
    return None


def carry_over(
    template: Template, context: Context, previous: Previous | None, role: Role | None = None
) -> tuple[Context, dict[str, Any] | None]:
    """The context with last year's agreements, and the answers that prefill the status table with them (no
    agreements: the context as it is, and no answers).

    Each row keeps the columns the status table has (others, such as a deadline the table does not show, are
    left out); a status or comment last year's rows hold (a follow-up's) is carried too. With ``role``, no
    answers are given when that role's form does not answer the table. More agreements than the table has rows
    is a :class:`CarryOverError` (nothing is dropped unsaid)."""
    rows = () if previous is None else carried_agreements(previous)
    if not rows:
        return context, None
    context = context.model_copy(update={"previous_agreements": rows})
    field = status_field(template)
    if field is None:
        return context, None
    if role is not None and field.id not in {f.id for f in template.answer_fields(role)}:
        return context, None
    if len(rows) > field.rows:
        raise CarryOverError(
            f"last year's {len(rows)} agreements do not fit the table '{field.id}' of template "
            f"'{template.id}', which has {field.rows} rows (a template that extends it can set more rows)"
        )
    prefill = [
        {column: getattr(row, column) for column in field.columns if getattr(row, column) is not None} for row in rows
    ]
    return context, {field.id: prefill}
