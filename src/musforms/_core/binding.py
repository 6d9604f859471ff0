"""Each field's inputs and their names, the same in every format: what a format places and reads back.

A field is shown as one or more *inputs* (a text box, a date box, a tick box, a pick list). :func:`inputs_of`
says which inputs a field has, :func:`input_name` what each is called in a file (the Word bookmark, the Excel
defined name), and :func:`anchors` lists every input of a role's form in form order. A format says only where
each input sits and how its text is found; :mod:`musforms._core.codec` turns an answer into what its inputs
show and back, and :mod:`musforms._core.reading` turns what a format found into answers and issues.

A field that takes one of several points or options is shown either as a tick box for each (``ticks``: the
Word form) or as one pick list of them (``list``: the Excel form); the inputs, their names and what they show
follow from that choice, made once per format.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from musforms._core.i18n import WORDS, agreement_choice_labels
from musforms._model.fields import (
    AgreementsField,
    CheckField,
    ChoiceField,
    DateField,
    FormField,
    InfoField,
    RatingField,
    Role,
    SignatureField,
    TextField,
)
from musforms._model.template import Scale, Template

__all__ = [
    "AGREEMENT_COLUMN_CODES",
    "MAX_INPUT_NAME",
    "PICK_COLUMNS",
    "Anchor",
    "ChoicesAs",
    "InputKind",
    "InputSpec",
    "agreement_part",
    "anchors",
    "input_name",
    "inputs_of",
    "not_relevant_label",
]

InputKind = Literal["text", "line", "date", "tick", "pick", "one_of"]
"""``text``: multi-line text; ``line``: one line of text; ``date``; ``tick``: a box; ``pick``: a pick list whose
text is the value (an agreement's owner, status or method); ``one_of``: one pick list standing for a field's
tick boxes, its text naming the one ticked (a rating or a single choice shown as a list)."""

ChoicesAs = Literal["ticks", "list"]
"""How a field that takes one of several points or options is shown: a tick box for each, or one pick list."""

AGREEMENT_COLUMN_CODES = {"action": "a", "owner": "o", "deadline": "d", "method": "m", "status": "s", "comment": "c"}
"""The letter each column of an agreements table has in its inputs' part names."""
PICK_COLUMNS = ("owner", "status", "method")
"""The columns of an agreements table that are picked from a list."""

MAX_INPUT_NAME = 40
"""The longest input name: Word's limit for a bookmark (Excel's defined names may be longer)."""


@dataclass(frozen=True)
class InputSpec:
    """One input of a field: its part name (unique within the field), kind, and pick-list choices."""

    part: str
    kind: InputKind
    choices: tuple[tuple[str, str], ...] = ()
    """For ``pick``: (value, printed label) pairs; for ``one_of``: (the tick's part, printed label) pairs."""
    label: str = ""
    """What the input stands for within its field (a scale point's label, an option's label; for ``one_of``, what
    its text must be: "a point of the scale", "one of the options")."""
    also: tuple[tuple[str, str], ...] = ()
    """For ``one_of``: (the tick's part, another text read as it): a scale point's label, an option's id."""


@dataclass(frozen=True)
class Anchor:
    """One input of a form: its name in the file, its field and its spec."""

    name: str
    field_id: str
    spec: InputSpec


def input_name(field_id: str, part: str = "") -> str:
    """The name of one input in every format (the Word bookmark, the Excel defined name):
    ``mf_<field>`` or ``mf_<field>__<part>``, at most 40 characters (longer field ids keep a hash).

    Field ids are lower-case letters, digits and ``_``; with the ``mf_`` prefix a name is a valid bookmark
    and never reads as a cell reference (``AB12``, ``R1C1``).
    """
    suffix = f"__{part}" if part else ""
    name = f"mf_{field_id}{suffix}"
    if len(name) <= MAX_INPUT_NAME:
        return name
    digest = hashlib.sha1(field_id.encode()).hexdigest()[:12]
    return f"mf_{field_id[: MAX_INPUT_NAME - 16 - len(suffix)]}_{digest}{suffix}"


def agreement_part(number: int, column: str) -> str:
    """The part name of one cell of an agreements table: row ``number`` (from 1), ``column``."""
    return f"r{number}{AGREEMENT_COLUMN_CODES[column]}"


def not_relevant_label(template: Template, scale: Scale) -> str:
    """What the "not relevant" point of ``scale`` is called in ``template``'s forms."""
    return scale.not_relevant_label or WORDS[template.language]["not_relevant"]


def inputs_of(template: Template, field: FormField, choices_as: ChoicesAs = "ticks") -> tuple[InputSpec, ...]:
    """The inputs a field is shown as, in reading order (cached per template, field and way of choosing)."""
    return _inputs(template, field.id, choices_as)


@lru_cache(maxsize=8192)
def _inputs(template: Template, field_id: str, choices_as: ChoicesAs) -> tuple[InputSpec, ...]:
    field = template.field(field_id)
    if isinstance(field, TextField):
        return (InputSpec("", "text" if field.multiline else "line"),)
    if isinstance(field, DateField):
        return (InputSpec("", "date"),)
    if isinstance(field, CheckField):
        return (InputSpec("", "tick"),)
    if isinstance(field, RatingField):
        scale = template.scale_of(field)
        if choices_as == "list":
            choices = tuple((f"p{p.value}", str(p.value)) for p in scale.points)
            if field.not_relevant:
                choices += (("na", not_relevant_label(template, scale)),)
            also = tuple((f"p{p.value}", p.label) for p in scale.points)
            return (InputSpec("", "one_of", choices, label="a point of the scale", also=also),)
        specs = [InputSpec(f"p{p.value}", "tick", label=p.label) for p in scale.points]
        if field.not_relevant:
            specs.append(InputSpec("na", "tick", label=not_relevant_label(template, scale)))
        return tuple(specs)
    if isinstance(field, ChoiceField):
        if choices_as == "list" and not field.multiple:
            choices = tuple((f"o{i}", o.label) for i, o in enumerate(field.options, start=1))
            ids = tuple((f"o{i}", o.id) for i, o in enumerate(field.options, start=1))
            return (InputSpec("", "one_of", choices, label="one of the options", also=ids),)
        return tuple(InputSpec(f"o{i}", "tick", label=o.label) for i, o in enumerate(field.options, start=1))
    if isinstance(field, AgreementsField):
        specs = []
        for number in range(1, field.rows + 1):
            for column in field.columns:
                part = agreement_part(number, column)
                if column in PICK_COLUMNS:
                    labels = agreement_choice_labels(column, template.language)
                    specs.append(InputSpec(part, "pick", tuple(labels.items()), label=column))
                elif column == "deadline":
                    specs.append(InputSpec(part, "date", label=column))
                else:
                    specs.append(InputSpec(part, "text", label=column))
        return tuple(specs)
    if isinstance(field, SignatureField):
        return (InputSpec("name", "line"), InputSpec("date", "date"))
    if isinstance(field, InfoField):
        return ()
    raise TypeError(f"unknown field kind {type(field).__name__}")


def anchors(template: Template, role: Role, choices_as: ChoicesAs = "ticks") -> dict[str, Anchor]:
    """Every input of ``role``'s form by name, in form order (cached; do not change the result)."""
    return _anchors(template, role, choices_as)


@lru_cache(maxsize=128)
def _anchors(template: Template, role: Role, choices_as: ChoicesAs) -> dict[str, Anchor]:
    out: dict[str, Anchor] = {}
    for field in template.answer_fields(role):
        for spec in inputs_of(template, field, choices_as):
            name = input_name(field.id, spec.part)
            if name in out:
                raise ValueError(f"two inputs share the name {name!r}")
            out[name] = Anchor(name, field.id, spec)
    return out
