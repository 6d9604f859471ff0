"""Last year's agreements carried into this year's forms: the status of the agreements (guide 3.2) prefilled."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from musforms._model.context import Context
from musforms._model.fields import AgreementsField
from musforms._model.filled import FilledForm
from musforms._model.messages import error_messages
from musforms._model.template import Template
from musforms._model.values import AgreementRow
from musforms.errors import MusformsError

__all__ = ["agreements_of", "carry_over", "status_field"]


def _rows(value: object) -> list[dict[str, Any]] | None:
    if not isinstance(value, list) or not value:
        return None
    rows = []
    for item in value:
        data = item.model_dump(mode="json") if hasattr(item, "model_dump") else item
        if not isinstance(data, Mapping) or not data.get("action"):
            return None
        rows.append({k: v for k, v in data.items() if v is not None})
    return rows


def agreements_of(source: FilledForm | Path | str | Mapping[str, Any]) -> list[dict[str, Any]]:
    """The agreements of last year's completed form or development plan: a FilledForm, its JSON (a file or a
    mapping), or the .docx/.xlsx file itself. The field ``agreements`` is preferred; otherwise the first
    agreements table that holds any."""
    if isinstance(source, str | Path):
        path = Path(source)
        if path.suffix.lower() == ".json":
            try:
                source = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise MusformsError(f"cannot read last year's form '{path}': {exc}") from None
        else:
            from musforms._formats.parse import parse

            source = parse(path)
    if isinstance(source, FilledForm):
        answers: object = source.answers
    elif isinstance(source, Mapping):
        answers = source.get("answers", source)
    else:  # pragma: no cover - paths were read above
        raise MusformsError(f"cannot read last year's form from {source!r}")
    if not isinstance(answers, Mapping):
        raise MusformsError("last year's form has no answers")
    preferred = _rows(answers.get("agreements"))
    if preferred:
        return preferred
    for value in answers.values():
        rows = _rows(value)
        if rows:
            return rows
    return []


def status_field(template: Template) -> AgreementsField | None:
    """The agreements table in which a form takes stock of last year's agreements (it has a status column)."""
    for _section, field in template.iter_fields():
        if isinstance(field, AgreementsField) and "status" in field.columns:
            return field
    return None


def carry_over(
    template: Template, context: Context, previous: list[dict[str, Any]] | None
) -> tuple[Context, dict[str, Any] | None]:
    """The context with last year's agreements, and the answers that prefill the status table with them."""
    if not previous:
        return context, None
    rows: list[AgreementRow] = []
    for number, row in enumerate(previous, start=1):
        try:
            rows.append(AgreementRow.model_validate(row))
        except ValidationError as exc:
            raise MusformsError(
                f"last year's agreement {number} cannot be carried over: " + "; ".join(error_messages(exc))
            ) from exc
    context = context.model_copy(update={"previous_agreements": tuple(rows)})
    field = status_field(template)
    if field is None:
        return context, None
    prefill = [
        {column: getattr(row, column) for column in field.columns if getattr(row, column) is not None}
        for row in rows[: field.rows]
    ]
    return context, {field.id: prefill}
