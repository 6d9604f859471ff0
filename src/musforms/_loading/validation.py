"""Pydantic's validation errors of a template as problems at their place in the file, in musforms' words, each
with a hint: the misspelt key with the key meant, the unknown field kind, the value YAML did not read as text."""

from __future__ import annotations

import difflib
import json
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from musforms._loading.yamlsource import key_mark, locate, located_problem, problem_at, value_mark
from musforms._model.fields import (
    AgreementsField,
    CheckField,
    ChoiceField,
    DateField,
    FormField,
    InfoField,
    RatingField,
    SignatureField,
    TextField,
)
from musforms._model.messages import error_message, key_name
from musforms._model.template import Scale, ScalePoint, Section, Template, TemplateCompany
from musforms.errors import Problem

__all__ = ["reported_locations", "validation_problems"]

_FIELD: TypeAdapter[Any] = TypeAdapter(FormField)

_KIND_MODELS: dict[str, type[BaseModel]] = {
    "text": TextField,
    "rating": RatingField,
    "choice": ChoiceField,
    "check": CheckField,
    "date": DateField,
    "agreements": AgreementsField,
    "signature": SignatureField,
    "info": InfoField,
}


def validation_problems(raw: Any, exc: ValidationError) -> list[Problem]:
    """The problems of ``exc`` (raised validating ``raw``), each at its place in the file, in musforms' words
    (see :mod:`musforms._model.messages`), with a hint."""
    problems: list[Problem] = []
    errors = _errors(exc)
    locs = [tuple(error["loc"]) for error in errors]
    misspelt = {(loc[:-1], str(loc[-1])) for loc, e in zip(locs, errors, strict=True) if e["type"] == "extra_forbidden"}
    for error in errors:
        loc = tuple(error["loc"])
        kind = error["type"]
        if kind == "too_short" and any(other[: len(loc)] == loc and other != loc for other in locs):
            continue  # a list is short only because some of its items are invalid: those are reported
        if kind == "missing" and any(
            parent == loc[:-1] and difflib.get_close_matches(str(loc[-1]), [extra], n=1) for parent, extra in misspelt
        ):
            continue  # reported as the misspelt key, with "did you mean"
        mark = value_mark(raw, loc)
        written = mark.text if mark is not None else None
        message = error_message(error, name=key_name(loc), written=written)
        hint = _hint(raw, loc, error, written)
        if loc and loc[-1] == "[key]":  # a key of a mapping of names (a scale's name): at the key itself
            loc = loc[:-1]
        if kind == "extra_forbidden" or error["loc"][-1:] == ("[key]",):
            where, path = locate(raw, loc)
            problems.append(problem_at(key_mark(raw, loc) or where, path, message, hint))
            continue
        if kind == "union_tag_invalid":
            loc = (*loc, "kind")
        problems.append(located_problem(raw, loc, message, hint))
    return problems


def reported_locations(exc: ValidationError) -> list[tuple[int | str, ...]]:
    """Where ``exc`` found faults: the keys whose values the other checks should leave alone (a field of an
    unknown kind is at fault only in its ``kind``, a list too short or too long not in its items)."""
    return [
        (*error["loc"], "kind") if error["type"] in ("union_tag_invalid", "union_tag_not_found") else error["loc"]
        for error in _errors(exc)
        if error["type"] not in ("too_short", "too_long")  # a list's length: its items are not at fault
    ]


def _errors(exc: ValidationError) -> list[ErrorDetails]:
    """The errors of ``exc``, and for a field of a misspelt kind (``ratng``) the errors it has as the kind meant
    (``rating``): its other keys are checked too, so that every mistake is reported at once."""
    errors = exc.errors(include_url=False)
    for error in list(errors):
        tag = (error.get("ctx") or {}).get("tag")
        if error["type"] != "union_tag_invalid" or not isinstance(error["input"], dict):
            continue
        close = difflib.get_close_matches(str(tag), list(_KIND_MODELS), n=1)
        if not close:
            continue
        try:
            _FIELD.validate_python({**error["input"], "kind": close[0]})
        except ValidationError as meant:
            # pydantic puts the kind after the field's index; the file has the misspelt one, so it is left out
            errors.extend(
                {**inner, "loc": (*error["loc"], *inner["loc"][1:])} for inner in meant.errors(include_url=False)
            )
    return errors


def _hint(raw: Any, loc: tuple[int | str, ...], error: ErrorDetails, written: str | None) -> str | None:
    """How to fix what ``error`` says is wrong at ``loc``, where the file says more than the message."""
    kind = error["type"]
    value = error["input"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(raw, loc)
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        if close:
            return f"did you mean '{close[0]}'?"
        return f"allowed keys here: {', '.join(allowed)}" if allowed else None
    if kind == "union_tag_invalid":
        tag = (error.get("ctx") or {}).get("tag", "")
        close = difflib.get_close_matches(str(tag), list(_KIND_MODELS), n=1)
        return f"did you mean '{close[0]}'?" if close else f"kinds: {', '.join(_KIND_MODELS)}"
    if kind == "union_tag_not_found":
        return f"one of: {', '.join(_KIND_MODELS)}"
    if kind == "missing":
        return f"add '{loc[-1]}: ...'"
    if kind == "string_type" and loc and loc[-1] == "version":
        return 'write the version as a quoted string, e.g. version: "1.0"'
    if kind == "string_type":
        return _not_a_string_hint(value, written)
    if kind in ("tuple_type", "list_type") and isinstance(value, str | int | float):
        shown = written if written is not None else value
        return f"write a list, e.g. [{shown}]"
    return None


def _not_a_string_hint(value: object, written: str | None) -> str | None:
    """Why YAML did not read a value as text, when it was written without quotes: ``label: Yes``."""
    if value is None:
        return "the value is empty; write the text after the colon"
    if not isinstance(value, bool | int | float):
        return None
    written = written or json.dumps(value)
    reads_as = ("true" if value else "false") if isinstance(value, bool) else "a number"
    return f'YAML reads {written} as {reads_as}; put it in quotes: "{written}"'


def _allowed_keys(raw: Any, loc: tuple[int | str, ...]) -> list[str]:
    """The keys the model at ``loc[:-1]`` accepts, for "did you mean" hints."""
    parent = loc[:-1]
    model: type[BaseModel] | None = None
    if not parent:
        model = Template
    elif parent[-1] == "company":
        model = TemplateCompany
    elif len(parent) >= 2 and parent[-2] == "scales":
        model = Scale
    elif len(parent) >= 2 and parent[-2] == "points":
        model = ScalePoint
    elif parent[0] == "sections" and len(parent) == 2:
        model = Section
    elif parent[0] == "sections" and len(parent) >= 4:
        kind = parent[4] if len(parent) > 4 else None
        model = _KIND_MODELS.get(str(kind)) if kind else None
    if model is None:
        return []
    return sorted(name for name in model.model_fields)
