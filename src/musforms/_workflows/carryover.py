"""Last year's agreements carried into this year's forms, from last year's files: the agreements of a completed
form or plan read from the file, its JSON or a parsed form (the carrying itself is :mod:`musforms._core.carry`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from musforms._core.carry import carried_agreements, carry_over, form_agreements, status_field
from musforms._model.filled import FilledForm
from musforms._model.messages import error_messages
from musforms._model.values import AgreementRow
from musforms.errors import CarryOverError

__all__ = [
    "PreviousForms",
    "agreements_of",
    "carried_agreements",
    "carry_over",
    "previous_by_employee",
    "read_previous_form",
    "status_field",
]

PreviousForms = (
    Mapping[str, FilledForm | Path | str | Mapping[str, Any] | Iterable[Any]] | Iterable[FilledForm | Path | str]
)
"""Last year's forms for a round: by employee id (a parsed form, its JSON as a mapping or a file, the .docx or
.xlsx file, or the agreement rows), or a list of parsed forms or their files, each matched by its employee."""


def read_previous_form(path: str | Path) -> FilledForm:
    """Last year's completed form from its file: a .docx or .xlsx form, or the JSON of ``musforms parse --json``
    (checked as a parsed form; what does not fit is a :class:`CarryOverError` in musforms' words)."""
    file = Path(path)
    if file.suffix.lower() != ".json":
        from musforms._formats.parse import parse

        return parse(file)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise CarryOverError(f"cannot read last year's form '{file}': {exc.strerror}") from None
    except UnicodeDecodeError:
        raise CarryOverError(f"last year's form '{file}' is not UTF-8 text (musforms parse --json writes it)") from None
    try:
        return FilledForm.model_validate_json(text)
    except ValidationError as exc:
        problems = error_messages(exc)
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise CarryOverError(f"'{file}' is not a parsed form (musforms parse --json): {shown}") from None


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
                raise CarryOverError(f"cannot read last year's form '{path}': {exc}") from None
        else:
            from musforms._formats.parse import parse

            source = parse(path)
    if isinstance(source, FilledForm):
        answers: object = source.answers
    elif isinstance(source, Mapping):
        answers = source.get("answers", source)
    else:
        raise CarryOverError(
            f"last year's form is a parsed form (FilledForm), its JSON or its file, not {type(source).__name__}"
        )
    if not isinstance(answers, Mapping):
        raise CarryOverError("last year's form has no answers")
    return form_agreements(answers)


def previous_by_employee(previous: PreviousForms | None) -> dict[str, list[dict[str, Any]]]:
    """Last year's agreements by employee id, from a mapping by id or from forms matched by their employee
    (the rows are checked when each employee's forms are built, so that one bad row fails only that row)."""
    if previous is None:
        return {}
    if isinstance(previous, Mapping):
        found: dict[str, list[dict[str, Any]]] = {}
        for employee_id, source in previous.items():
            if not isinstance(employee_id, str):
                raise CarryOverError(
                    f"previous maps employee ids (text) to last year's forms; found the key {employee_id!r}"
                )
            found[employee_id] = _agreements_of(employee_id, source)
        return found
    if isinstance(previous, str | bytes | bytearray | Path | BaseModel) or not isinstance(previous, Iterable):
        raise CarryOverError(
            "previous is a mapping of employee ids to last year's forms, or a list of last year's forms "
            f"(FilledForm; one form too is given as a list), not {type(previous).__name__} {_short(previous)}"
        )
    forms: dict[str, tuple[str, FilledForm]] = {}
    for number, item in enumerate(previous, start=1):
        if isinstance(item, FilledForm):
            form, name = item, f"form {number} (form id {item.form_id})"
        elif isinstance(item, str | Path):
            form, name = read_previous_form(item), f"'{item}'"
        else:
            raise CarryOverError(
                f"item {number} of previous is last year's form (a FilledForm or its file), "
                f"not {type(item).__name__} {_short(item)}"
            )
        if not form.subject_id:
            raise CarryOverError(f"last year's {name} names no employee (it has no subject id) and cannot be matched")
        if form.subject_id in forms:
            raise CarryOverError(
                f"previous holds two of last year's forms for employee '{form.subject_id}': "
                f"{forms[form.subject_id][0]} and {name}; give one per employee (the plan or the follow-up)"
            )
        forms[form.subject_id] = (name, form)
    return {employee_id: agreements_of(form) for employee_id, (_name, form) in forms.items()}


def _agreements_of(employee_id: str, source: object) -> list[dict[str, Any]]:
    """One employee's previous agreements: from last year's form (or its JSON or file), or its rows."""
    if isinstance(source, FilledForm | str | Path | Mapping):
        return agreements_of(source)
    if isinstance(source, Iterable) and not isinstance(source, bytes | bytearray):
        rows: list[dict[str, Any]] = []
        for number, item in enumerate(source, start=1):
            data = item.model_dump(exclude_none=True) if isinstance(item, AgreementRow) else item
            if not isinstance(data, Mapping):
                raise CarryOverError(
                    f"last year's agreement {number} of employee '{employee_id}' is an agreement row "
                    f"(AgreementRow or a mapping), not {type(item).__name__} {_short(item)}"
                )
            rows.append(dict(data))
        return rows
    raise CarryOverError(
        f"last year's form of employee '{employee_id}' is a FilledForm, its JSON or file, or a list of agreement "
        f"rows, not {type(source).__name__} {_short(source)}"
    )


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
