"""Read a web form's submitted fields: the form's identity from its hidden field, and what each input holds.

A browser sends each input as a name and a value, and leaves out what holds nothing: a box not ticked, a
radio group with nothing picked (and a field missing from the submission is therefore empty, never
"missing"). Each name is the input's name in every format (:func:`musforms._core.binding.anchors`, with a
rating or a single choice as one input: a radio group whose values are the choices' parts, ``p3`` or ``o2``).
:func:`read_fields` hands over what each input holds as :class:`~musforms._core.reading.Found`, so that
:func:`~musforms._core.reading.answers_and_issues` gives the same answers and issues as for a Word or Excel
form:

- a radio value is read as the label it stands for; a box ticked (``x``, a browser's ``on``) as a tick; an
  agreement's pick list by its value or its label;
- two different points or options of one radio group are read as the Word form's tick boxes, so that they
  give the Word form's issue (two points ticked); any other input sent with two different values is an issue
  ``value.ambiguous`` whose raw text holds every value sent, one per line (an empty value next to another one
  counts for nothing: a hidden fallback before a tick box);
- a name that is no input of the form is an issue ``content.unmapped`` (a warning), its values kept as its raw
  text; the identity field and the submit button's name are not answers.

:func:`read_properties` reads the identity field: the form's custom properties as one JSON object of texts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from musforms._core.binding import Anchor, InputSpec, input_name, inputs_of
from musforms._core.issue_text import issue_message
from musforms._core.package import token
from musforms._core.reading import TICKED, UNTICKED, Found, Remark
from musforms._model.filled import Issue, Location
from musforms._model.template import Template
from musforms.errors import DamagedFileError, IdentityError, NotAFormError

__all__ = [
    "PART",
    "PROPERTIES_FIELD",
    "SUBMIT_FIELD",
    "Submitted",
    "encodable",
    "read_fields",
    "read_properties",
    "shown_name",
]

PROPERTIES_FIELD = "mf__properties"
"""The hidden field holding the form's custom properties (its identity, signature, context and template) as
one JSON object of texts."""
SUBMIT_FIELD = "mf__submit"
"""The name of the form's submit button (sent with the fields when the button has a value)."""
PART = "submission"
"""What an issue's location names as the part of a web form's submission."""

Submitted = Sequence[tuple[str, str]]
"""A submission's fields: (name, value) pairs in the order sent, a name once per value."""

_NOT_ANSWERS = frozenset({PROPERTIES_FIELD, SUBMIT_FIELD})


def shown_name(name: str) -> str:
    """A submitted name as a message shows it: quoted, printable characters only, at most 60 of them."""
    shown = "".join(c if c.isprintable() else "?" for c in name[:61])
    return repr(shown[:60] + "…" if len(shown) > 60 else shown)


# -- the identity -------------------------------------------------------------------------------------------


def _object(twice: list[str]) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    """A JSON object as a dict, each name found twice in ``twice``."""

    def make(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                twice.append(key)
            out[key] = value
        return out

    return make


def encodable(text: str) -> bool:
    """Whether ``text`` is text a form can hold: no lone surrogate (what no UTF-8 body can carry)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_properties(fields: Submitted, name: str) -> dict[str, str]:
    """The form's custom properties, from its identity field (:data:`PROPERTIES_FIELD`).

    No identity field is a :class:`NotAFormError`; two different ones an :class:`IdentityError`; one that is not
    a JSON object of texts (each name once) a :class:`DamagedFileError`.
    """
    values = [value for key, value in fields if key == PROPERTIES_FIELD]
    if not values:
        raise NotAFormError(
            f"{name}: not a musforms web form: the field {PROPERTIES_FIELD!r} (the form's identity) was not sent"
        )
    if any(value != values[0] for value in values[1:]):
        raise IdentityError(
            f"{name}: the field {PROPERTIES_FIELD!r} (the form's identity) was sent {len(values)} times with "
            "different values; a web form has one"
        )
    where = f"{name}: the form's identity (the field {PROPERTIES_FIELD!r}) is damaged"
    twice: list[str] = []
    try:
        parsed = json.loads(values[0], object_pairs_hook=_object(twice))
    except (ValueError, RecursionError):
        raise DamagedFileError(f"{where}: it is not JSON") from None
    if twice:
        raise DamagedFileError(f"{where}: it names {token(twice[0])!r} twice")
    if not isinstance(parsed, dict):
        raise DamagedFileError(f"{where}: it is not a JSON object")
    for key, value in parsed.items():
        if not isinstance(value, str):
            raise DamagedFileError(f"{where}: the value of {token(key)!r} is {type(value).__name__}, not text")
        if not value.isascii() and not encodable(value):
            raise DamagedFileError(f"{where}: the value of {token(key)!r} holds a lone surrogate")
    return parsed


# -- the inputs -----------------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


_BROWSER_TICK = "on"
"""What a browser sends for a ticked box that has no value of its own."""


def _tick(value: str) -> str | bool:
    folded = _fold(value)
    if folded in TICKED or folded == _BROWSER_TICK:
        return True
    if folded in UNTICKED:
        return False
    return value  # read_input says what is wrong with it


def _choice_part(spec: InputSpec, value: str) -> str | None:
    """The tick a radio value stands for: its part (``p3``, ``o2``), its label or another text read as it."""
    for part, _shown in spec.choices:
        if value == part:
            return part
    folded = _fold(value)
    for part, shown in spec.choices + spec.also:
        if _fold(shown) == folded:
            return part
    return None


@dataclass(frozen=True)
class _Value:
    """One value sent for an input: what tells it from the others (``key``) and what the reading loop gets."""

    key: object
    stored: str | bool
    empty: bool


def _value(spec: InputSpec, raw: str) -> _Value:
    kind = spec.kind
    if kind == "tick":
        tick = _tick(raw)
        return _Value(tick, tick, tick is False)
    if kind == "one_of":
        part = _choice_part(spec, raw)
        if part is None:
            return _Value(("raw", raw), raw, raw == "")
        return _Value(part, dict(spec.choices)[part], False)
    if kind == "pick":
        stored = dict(spec.choices).get(raw, raw)
        return _Value(stored, stored, raw == "")
    return _Value(raw, raw, raw == "")


def read_fields(template: Template, inputs: dict[str, Anchor], fields: Submitted) -> tuple[dict[str, Anchor], Found]:
    """What the submitted ``fields`` hold for the ``inputs`` of a form (its anchors, a rating or a single choice
    as one input), and the anchors to read it with: ``inputs``, where a radio group sent with two different
    choices stands as the tick boxes of the Word form (:func:`~musforms._core.binding.inputs_of` with ticks)."""
    language = template.language
    sent: dict[str, list[str]] = {}
    for key, value in fields:
        if key not in _NOT_ANSWERS:
            sent.setdefault(key, []).append(value)
    values: dict[str, str | bool] = {}
    remarks: list[Remark] = []
    outside: list[Issue] = []
    ticks: dict[str, list[str]] = {}
    for key, raws in sent.items():
        anchor = inputs.get(key)
        if anchor is None:
            outside.append(
                Issue(
                    code="content.unmapped",
                    message=issue_message("content.unmapped.html", language),
                    raw="\n".join(raws),
                    location=Location(part=PART, where=f"field {shown_name(key)}"),
                    severity="warning",
                )
            )
            continue
        read = [_value(anchor.spec, raw) for raw in raws]
        counted = {v.key: v for v in read if not v.empty}
        if not counted:
            continue
        if len(counted) == 1:
            values[key] = next(iter(counted.values())).stored
        elif anchor.spec.kind == "one_of" and all(isinstance(k, str) for k in counted):
            ticks[key] = [str(k) for k in counted]
        else:
            remarks.append(
                Remark(
                    key,
                    "value.ambiguous",
                    issue_message("value.ambiguous.submitted", language, count=len(counted)),
                    "\n".join(raws),
                    unread=True,
                )
            )
    shown_as: dict[str, str] = {}
    reading = inputs
    if ticks:
        reading = {}
        for key, anchor in inputs.items():
            if key not in ticks:
                reading[key] = anchor
                continue
            field = template.field(anchor.field_id)
            for spec in inputs_of(template, field, "ticks"):
                tick = input_name(field.id, spec.part)
                reading[tick] = Anchor(tick, field.id, spec)
                shown_as[tick] = key
                if spec.part in ticks[key]:
                    values[tick] = True

    def locate(key: str) -> Location:
        shown = shown_as.get(key, key)
        return Location(part=PART, where=f"field {shown_name(shown)}", anchor=shown)

    found = Found(values, set(), locate, "input", PART, remarks, outside)
    return reading, found
