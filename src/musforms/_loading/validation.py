"""Pydantic's validation errors of a template as problems at their place in the file, each with a hint: the
misspelt key with the key meant, the unknown field kind, the value YAML did not read as text, and so on."""

from __future__ import annotations

import difflib
import json
from typing import Any

from pydantic import BaseModel, ValidationError

from musforms._loading.yamlsource import Mark, key_mark, locate, located_problem, problem_at, value_mark
from musforms._model.fields import (
    AgreementsField,
    CheckField,
    ChoiceField,
    DateField,
    InfoField,
    RatingField,
    SignatureField,
    TextField,
)
from musforms._model.template import Scale, ScalePoint, Section, Template, TemplateCompany
from musforms.errors import Problem

__all__ = ["validation_problems"]

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
    """The problems of ``exc`` (raised validating ``raw``), each at its place in the file, with a hint."""
    problems: list[Problem] = []
    errors = exc.errors(include_url=False)
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
        hint: str | None = None
        message = error["msg"]
        if kind == "extra_forbidden":
            allowed = _allowed_keys(raw, loc)
            close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
            message = f"unknown key '{loc[-1]}'"
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else (f"allowed keys here: {', '.join(allowed)}" if allowed else None)
            )
            where, path = locate(raw, loc)
            problems.append(problem_at(key_mark(raw, loc) or where, path, message, hint))
            continue
        if kind == "union_tag_invalid":
            tag = (error.get("ctx") or {}).get("tag", "")
            close = difflib.get_close_matches(str(tag), list(_KIND_MODELS), n=1)
            message = f"unknown field kind '{tag}'"
            hint = f"did you mean '{close[0]}'?" if close else f"kinds: {', '.join(_KIND_MODELS)}"
            loc = (*loc, "kind")
        elif kind == "union_tag_not_found":
            message = "a field needs a 'kind'"
            hint = f"one of: {', '.join(_KIND_MODELS)}"
        elif kind == "missing":
            message = f"missing key '{loc[-1]}'"
            hint = f"add '{loc[-1]}: ...'"
        elif kind == "string_type" and loc and loc[-1] == "version":
            hint = 'write the version as a quoted string, e.g. version: "1.0"'
        elif kind == "string_type":
            hint = _not_a_string_hint(error["input"], value_mark(raw, loc))
        elif kind == "value_error":
            message = message.removeprefix("Value error, ")
        elif kind == "string_pattern_mismatch" and loc and loc[-1] == "id":
            message = f"{error['input']!r} is not a valid id"
            hint = (
                "a template id uses lower-case letters, digits, '-', '_' and '.'"
                if loc == ("id",)
                else "use lower-case letters, digits and '_', starting with a letter"
            )
        problems.append(located_problem(raw, loc, message, hint))
    return problems


def _not_a_string_hint(value: object, mark: Mark | None) -> str | None:
    """Why YAML did not read a value as text, when it was written without quotes: ``label: Yes``."""
    if value is None:
        return "the value is empty; write the text after the colon"
    if not isinstance(value, bool | int | float):
        return None
    written = mark.text if mark is not None and mark.text else json.dumps(value)
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
