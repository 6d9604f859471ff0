"""Pydantic's validation errors in musforms' words: what was expected, in the template's terms, and what was found.

One mapping from pydantic's error kinds (``int_parsing``, ``string_too_short``, ``literal_error``...) to
sentences such as "minutes must be a whole number, found 'tyve'" or "a choice needs at least 2 options, found
0". Every layer that shows a validation error to a person goes through it; the pydantic error itself stays
attached as the cause, for developers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, get_args

from pydantic import ValidationError

from musforms._model.fields import (
    AgreementsField,
    CheckField,
    ChoiceField,
    DateField,
    FormField,
    Id,
    InfoField,
    RatingField,
    SignatureField,
    TextField,
)
from musforms._model.template import Template, TemplateId, Version

__all__ = [
    "answer_expected",
    "answer_message",
    "context_message",
    "error_message",
    "error_messages",
    "found_text",
    "key_name",
    "path_name",
    "untagged",
]

Loc = tuple[int | str, ...]

_EXPECTED: dict[str, str] = {
    **dict.fromkeys(("int_type", "int_parsing", "int_parsing_size", "int_from_float"), "a whole number"),
    **dict.fromkeys(("float_type", "float_parsing", "decimal_type", "decimal_parsing", "finite_number"), "a number"),
    **dict.fromkeys(("bool_type", "bool_parsing"), "true or false"),
    **dict.fromkeys(("string_type", "string_sub_type", "string_unicode"), "text"),
    **dict.fromkeys(
        ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_past"),
        "a date (yyyy-mm-dd)",
    ),
    **dict.fromkeys(
        (
            "datetime_type",
            "datetime_parsing",
            "datetime_from_date_parsing",
            "datetime_object_invalid",
            "timezone_naive",
            "timezone_aware",
        ),
        "a date and time (yyyy-mm-dd hh:mm)",
    ),
    **dict.fromkeys(
        ("dict_type", "model_type", "model_attributes_type", "dataclass_type", "dataclass_exact_type", "mapping_type"),
        "a mapping of keys",
    ),
    **dict.fromkeys(
        ("list_type", "tuple_type", "set_type", "frozen_set_type", "iterable_type", "iteration_error"), "a list"
    ),
    "none_required": "empty",
    "json_invalid": "valid JSON",
    "json_type": "JSON text",
    "bytes_type": "bytes",
    "url_type": "a web address",
    "url_parsing": "a web address",
    "uuid_type": "an identifier (UUID)",
    "uuid_parsing": "an identifier (UUID)",
}
"""What a value of the wrong type or form should have been, by pydantic's error kind."""

_PATTERNS: dict[str, str] = {}
"""What a text that does not match a pattern should look like, by the pattern (filled in below)."""


def _pattern(annotated: Any, description: str) -> None:
    for meta in getattr(annotated, "__metadata__", ()):
        pattern = getattr(meta, "pattern", None)
        if isinstance(pattern, str):
            _PATTERNS[pattern] = description


_pattern(Id, "lower-case letters, digits and '_', starting with a letter")
_pattern(TemplateId, "lower-case letters, digits, '-', '_' and '.', starting with a letter or digit")
_pattern(Version, 'a version number such as "1.0" or "2.1.3", in quotes')

_FIELD_CLASSES: tuple[type[Any], ...] = get_args(get_args(FormField)[0])
_KINDS: dict[str, type[Any]] = {cls.model_fields["kind"].default: cls for cls in _FIELD_CLASSES}

_KIND_NOUNS: dict[type[Any], str] = {
    TextField: "a text field",
    RatingField: "a rating item",
    ChoiceField: "a choice",
    CheckField: "a check field",
    DateField: "a date field",
    AgreementsField: "an agreements table",
    SignatureField: "a signature line",
    InfoField: "an info field",
}
"""How a message names a field of each kind (as the owner of a list that is too short or too long)."""

_NAMED: dict[str, str] = {"scales": "scale"}
"""The mappings whose keys are names the author chooses, and what each of their values is."""

_OWN_WORDS = ("value_error", "assertion_error")
"""Kinds whose message is musforms' own (raised by its validators), shown as it is."""
_NO_FOUND = ("missing", "extra_forbidden", "union_tag_invalid", "union_tag_not_found", *_OWN_WORDS)


def error_message(
    error: Mapping[str, Any],
    *,
    name: str | None = None,
    expected: str | None = None,
    written: str | None = None,
) -> str:
    """One of pydantic's error dicts (``ValidationError.errors()``) as a sentence in musforms' words.

    ``name`` is what the value is called where a person reads it (default: :func:`path_name` of the error's
    location, e.g. ``employee.name``); ``expected`` says what was expected in the template's terms ("a point
    of scale degree5 (1–5) or not relevant"; default: what the error's kind says); ``written`` is the value as
    written in a file, when it differs from the value pydantic saw (``Yes`` that YAML read as ``true``).
    """
    kind = str(error.get("type", ""))
    loc: Loc = tuple(error.get("loc", ()))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    value = error.get("input")
    subject = name if name is not None else path_name(loc)
    if kind in _OWN_WORDS:
        return _own_words(error)
    if kind == "missing":
        return f"missing key '{subject}'"
    if kind == "extra_forbidden":
        return f"unknown key '{subject}'"
    if kind == "union_tag_invalid":
        return f"unknown {_discriminated(ctx)} '{ctx.get('tag', '')}'"
    if kind == "union_tag_not_found":
        return f"a {_discriminated(ctx).removesuffix(' kind')} needs a {_discriminator(ctx)}"
    found = found_text(value, written, kind=kind)
    if kind in ("too_short", "too_long") and "actual_length" in ctx:
        found = str(ctx["actual_length"])
    if expected is not None:
        return f"{subject} must be {expected}, found {found}"
    sized = _sized(kind, ctx, subject, loc, found)
    if sized is not None:
        return sized
    if kind in ("literal_error", "enum"):
        return f"{subject} must be {ctx.get('expected', 'one of the values allowed')}, found {found}"
    if kind == "string_pattern_mismatch":
        shape = _PATTERNS.get(str(ctx.get("pattern")), "written in the form this key takes")
        return f"{subject} must be {shape}, found {found}"
    if kind in _EXPECTED:
        return f"{subject} must be {_EXPECTED[kind]}, found {found}"
    return f"{subject} is not valid here, found {found}"


def _sized(kind: str, ctx: Mapping[str, Any], subject: str, loc: Loc, found: str) -> str | None:
    """The messages of the kinds that compare a number, a text's length or a list's length with a limit."""
    if kind == "less_than_equal":
        return f"{subject} must be at most {ctx.get('le')}, found {found}"
    if kind == "less_than":
        return f"{subject} must be less than {ctx.get('lt')}, found {found}"
    if kind == "greater_than_equal":
        return f"{subject} must be at least {ctx.get('ge')}, found {found}"
    if kind == "greater_than":
        return f"{subject} must be more than {ctx.get('gt')}, found {found}"
    if kind == "multiple_of":
        return f"{subject} must be a multiple of {ctx.get('multiple_of')}, found {found}"
    if kind == "string_too_short":
        least = int(ctx.get("min_length", 1))
        if least <= 1:
            return f"{subject} must not be empty"
        return f"{subject} must have at least {least} characters, found {found}"
    if kind == "string_too_long":
        return f"{subject} may have at most {ctx.get('max_length')} characters, found {found}"
    if kind in ("too_short", "too_long"):
        limit = int(ctx.get("min_length" if kind == "too_short" else "max_length", 0))
        noun = _noun(loc, subject, limit)
        owner = _owner(loc)
        verb = "needs at least" if kind == "too_short" else "may have at most"
        if owner is None:
            return f"{subject} {verb.replace('needs', 'must have')} {limit} {noun}, found {found}"
        return f"{owner} {verb} {limit} {noun}, found {found}"
    return None


def _own_words(error: Mapping[str, Any]) -> str:
    """The message of an error raised by musforms' own validators (without pydantic's "Value error, ")."""
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, BaseException) and str(cause):
        return str(cause)
    message = str(error.get("msg", ""))
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message


def _discriminator(ctx: Mapping[str, Any]) -> str:
    return str(ctx.get("discriminator", "'kind'"))


def _discriminated(ctx: Mapping[str, Any]) -> str:
    """What the tag of a discriminated union names: ``field kind`` for the fields of a section."""
    return "field kind" if _discriminator(ctx) == "'kind'" else _discriminator(ctx).strip("'")


def found_text(value: object, written: str | None = None, *, kind: str = "") -> str:
    """What was found, as a person reads it: a text in quotes (shortened), a number, true or false, nothing.

    ``written`` is the value as written in the file, when YAML read it as something else (``Yes``: true).
    Length errors give the length found ("501 characters", "0"), not the value.
    """
    if kind in ("string_too_short", "string_too_long") and isinstance(value, str):
        return f"{len(value)} character{'s' if len(value) != 1 else ''}"
    if kind in ("too_short", "too_long") and isinstance(value, list | tuple | dict | set | frozenset):
        return str(len(value))
    if written and not isinstance(value, str):
        return written
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        text = " ".join(value.split()) if value.strip() else value
        if len(text) > 40:
            text = text[:39] + "…"
        return f"'{text}'"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list | tuple | set | frozenset):
        count = len(value)
        return f"a list of {count} item{'s' if count != 1 else ''}" if count else "an empty list"
    return f"a value of type {type(value).__name__}"


def _is_tag(loc: Sequence[int | str], index: int) -> bool:
    """Whether ``loc[index]`` is the kind pydantic puts after a field's index (``fields.2.rating.scale``)."""
    return (
        index >= 2
        and loc[index - 2] == "fields"
        and isinstance(loc[index - 1], int)
        and isinstance(loc[index], str)
        and loc[index] in _KINDS
    )


def untagged(loc: Sequence[int | str]) -> list[int | str]:
    """A pydantic location without the kinds it puts after the index of a field."""
    return [part for index, part in enumerate(loc) if not _is_tag(loc, index)]


def key_name(loc: Sequence[int | str]) -> str:
    """The key a value stands at, as the template author writes it: ``minutes`` for
    ``sections.0.minutes``; ``each item of audience`` for ``audience.0``; ``each key of scales`` for a key."""
    parts = untagged(loc)
    if not parts:
        return "the value"
    last = parts[-1]
    before = next((str(p) for p in reversed(parts[:-1]) if isinstance(p, str) and p != "[key]"), None)
    if last == "[key]":
        parent = next((str(p) for p in reversed(parts[:-2]) if isinstance(p, str)), None)
        if parent in _NAMED:
            return f"the name of a {_NAMED[parent]}"
        return f"each key of {parent}" if parent else "each key"
    if len(parts) >= 2 and parts[-2] in _NAMED:
        return f"{_NAMED[str(parts[-2])]} '{last}'"
    if isinstance(last, int):
        return f"each item of {before}" if before else f"item {last}"
    return str(last)


def path_name(loc: Sequence[int | str]) -> str:
    """A location as a dotted path, list items in brackets: ``previous_agreements[0].deadline``."""
    text = ""
    for part in untagged(loc):
        if isinstance(part, int):
            text += f"[{part}]"
        elif part == "[key]":
            text += " (a key)"
        else:
            text += f".{part}" if text else str(part)
    return text or "the value"


def _owner(loc: Loc) -> str | None:
    """What holds the list at ``loc``, for "a choice needs at least 2 options": a field of a kind, a scale, a
    section, the template; None when the location does not say."""
    if not loc:
        return None
    parent = loc[:-1]
    if not parent:
        return "a template" if loc[0] in Template.model_fields else None
    if _is_tag(loc, len(parent) - 1):
        return _KIND_NOUNS[_KINDS[str(parent[-1])]]
    if len(parent) >= 2 and parent[-2] == "scales":
        return f"scale '{parent[-1]}'"
    if len(parent) >= 2 and parent[-2] == "sections":
        return "a section"
    return None


def _noun(loc: Loc, subject: str, count: int) -> str:
    """The items a list holds, named by its key (``options``), singular for one."""
    key = next((str(p) for p in reversed(untagged(loc)) if isinstance(p, str)), None)
    if key is None or _owner(loc) is None:
        return "item" if count == 1 else "items"
    return key[:-1] if count == 1 and key.endswith("s") else key


def error_messages(
    errors: ValidationError | Iterable[Mapping[str, Any]],
    *,
    name: str | None = None,
    expected: str | None = None,
) -> list[str]:
    """Every error of a validation as a sentence (see :func:`error_message`); ``name`` and ``expected``, when
    given, describe the value as a whole and apply to the errors about it (those at its top level)."""
    items = errors.errors(include_url=False) if isinstance(errors, ValidationError) else errors
    messages: list[str] = []
    for error in items:
        top = not tuple(error.get("loc", ()))
        messages.append(
            error_message(error, name=name if top else None, expected=expected if top else None)
            if top or name is None
            else f"{name}: {error_message(error)}"
        )
    return messages


def context_message(errors: ValidationError | Iterable[Mapping[str, Any]]) -> str:
    """Why a mapping is not a context to render with: "the context is not valid: employee.name must not be
    empty; meeting.start must be a date and time (yyyy-mm-dd hh:mm), found 'i morgen'"."""
    return "the context is not valid: " + "; ".join(error_messages(errors))


# -- answers ---------------------------------------------------------------------------------------


def answer_expected(template: Template, field: FormField) -> str:
    """What an answer to ``field`` is, in the template's terms: "a point of scale degree5 (1–5) or not
    relevant", "one of the options course, mentoring", "a date (yyyy-mm-dd)"."""
    if isinstance(field, RatingField):
        values = template.scale_of(field).values
        points = (
            f"{values[0]}–{values[-1]}"
            if list(values) == list(range(values[0], values[-1] + 1))
            else ", ".join(map(str, values))
        )
        nr = " or not relevant" if field.not_relevant else ""
        return f"a point of scale {field.scale} ({points}){nr}"
    if isinstance(field, ChoiceField):
        ids = ", ".join(option.id for option in field.options)
        return f"a list of the options {ids}" if field.multiple else f"one of the options {ids}"
    if isinstance(field, TextField):
        return "text" if field.max_length is None else f"text of at most {field.max_length} characters"
    if isinstance(field, CheckField):
        return "true or false"
    if isinstance(field, DateField):
        return "a date (yyyy-mm-dd)"
    if isinstance(field, AgreementsField):
        return f"a list of rows with the columns {', '.join(field.columns)}"
    if isinstance(field, SignatureField):
        return "a signature: a mapping with name and date"
    return "nothing (the field takes no answer)"


def answer_message(template: Template, field: FormField, errors: ValidationError | Iterable[Mapping[str, Any]]) -> str:
    """Why a value is not an answer to ``field``: "the answer to 'rate_quality' must be a point of scale
    degree5 (1–5) or not relevant, found 9"; the errors inside a table name the row ("row 1 of the answer
    to 'agreements': deadline must be a date (yyyy-mm-dd), found 'snart'")."""
    items = errors.errors(include_url=False) if isinstance(errors, ValidationError) else list(errors)
    answer = f"the answer to '{field.id}'"
    messages: list[str] = []
    for error in items:
        loc: Loc = tuple(error.get("loc", ()))
        kind = str(error.get("type", ""))
        if kind in _OWN_WORDS:
            where = answer if not loc else f"{_answer_part(field, loc)} of {answer}"
            messages.append(f"{where}: {_own_words(error)}")
        elif not loc:
            constrained = kind in ("string_too_long", "string_too_short", "too_short", "too_long")
            expected = None if constrained else answer_expected(template, field)
            messages.append(error_message(error, name=answer, expected=expected))
        elif isinstance(loc[0], str):  # a key of a signature
            messages.append(error_message(error, name=f"{path_name(loc)} of {answer}"))
        elif len(loc) == 1:  # one of several choices
            name = f"{_answer_part(field, loc)} of {answer}"
            expected = None
            if isinstance(field, ChoiceField):
                expected = f"one of the options {', '.join(option.id for option in field.options)}"
            messages.append(error_message(error, name=name, expected=expected))
        else:  # a key of a table's row
            where = f"{_answer_part(field, loc[:1])} of {answer}"
            messages.append(f"{where}: {error_message(error, name=path_name(loc[1:]))}")
    return "; ".join(messages) if messages else f"{answer} is not valid"


def _answer_part(field: FormField, loc: Loc) -> str:
    """The part of a list answer at ``loc``: ``row 1`` of a table, ``choice 2`` of a multiple choice."""
    first = loc[0]
    if not isinstance(first, int):
        return str(first)
    word = "row" if isinstance(field, AgreementsField) else "choice" if isinstance(field, ChoiceField) else "item"
    return f"{word} {first + 1}"
