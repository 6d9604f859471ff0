"""Field values to and from what a person sees in a form: one definition for writing and reading.

A field is shown as one or more *inputs* (:mod:`musforms._core.binding`). ``encode`` turns an answer into the
content of those inputs, and ``decode`` turns what was found in them back into an answer, or into issues that
keep the raw text. Renderers and parsers of every format use these functions, so writing and reading cannot
drift apart.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from musforms._core.binding import (
    PICK_COLUMNS,
    ChoicesAs,
    agreement_part,
    inputs_of,
)
from musforms._core.i18n import agreement_choice_labels, words
from musforms._core.issue_text import issue_message
from musforms._model.answers import field_adapter
from musforms._model.fields import (
    AgreementsField,
    CheckField,
    ChoiceField,
    DateField,
    FormField,
    RatingField,
    SignatureField,
    TextField,
)
from musforms._model.messages import answer_message
from musforms._model.template import Template
from musforms._model.values import NOT_RELEVANT, AgreementRow, Signature

__all__ = ["Decoded", "decode", "encode", "format_date", "parse_date"]


@dataclass(frozen=True)
class Decoded:
    """The answer read from a field's inputs, or the reasons it could not be read."""

    value: Any
    problems: tuple[tuple[str, str, str], ...] = ()
    """(code, message, raw text) for each problem. ``value`` holds what could be read: None for a single
    value that did not fit; for agreements and signatures, the parts that did fit."""
    parts: tuple[str | None, ...] = ()
    """For each problem, the input it was found in (None when it concerns the whole field)."""
    inputs: tuple[dict[str, str] | None, ...] = ()
    """For each problem about several inputs whose text is in no answer (an agreement row left out), the text
    of each of them by input part; None for a problem about one input (its text is the raw text)."""


class _Problems(list[tuple[str, str, str]]):
    """Problems found while decoding, with the input part each was found in."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str | None] = []
        self.inputs: list[dict[str, str] | None] = []

    def add(
        self, code: str, message: str, raw: str, part: str | None = None, inputs: dict[str, str] | None = None
    ) -> None:
        self.append((code, message, raw))
        self.parts.append(part)
        self.inputs.append(inputs)


# -- dates -------------------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januar", "january", "jan"),
            ("februar", "february", "feb"),
            ("marts", "march", "mar"),
            ("april", "apr"),
            ("maj", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_NUMERIC = re.compile(r"^(\d{1,2})[-./ ](\d{1,2})[-./ ](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:T.*)?$")
_WORDS = re.compile(r"^(\d{1,2})\.?\s+([a-zæøå]+)\.?\s+(\d{4})$")


def format_date(value: dt.date) -> str:
    """A date as the forms print it: ``dd-mm-yyyy``."""
    return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"


def parse_date(text: str) -> dt.date | None:
    """A date written as ``dd-mm-yyyy`` (also with ``.`` or ``/``), ISO ``yyyy-mm-dd``, or ``15. marts 2026``.

    Returns None for anything else, including impossible dates such as 31-02-2026.
    """
    text = text.strip().lower()
    try:
        if match := _ISO.match(text):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _NUMERIC.match(text):
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        if (match := _WORDS.match(text)) and match[2] in _MONTHS:
            return dt.date(int(match[3]), _MONTHS[match[2]], int(match[1]))
    except ValueError:
        return None
    return None


# -- encode --------------------------------------------------------------------------------------------


def encode(template: Template, field: FormField, value: Any, choices_as: ChoicesAs = "ticks") -> dict[str, str | bool]:
    """What each input of ``field`` shows for the answer ``value`` (validated first), by input part.

    Text inputs get text (``""`` for empty), ticks get booleans, pick lists get the printed label (a ``one_of``
    list, the label of the tick it stands for); no answer (None) shows in no input: ``{}``. Raises
    ``ValueError`` naming the field when ``value`` is not a valid answer.
    """
    try:
        value = field_adapter(template, field).validate_python(value)
    except ValidationError as exc:
        raise ValueError(answer_message(template, field, exc)) from exc
    if value is None:
        return {}
    out = _shown(template, field, value)
    if choices_as == "list":
        for spec in inputs_of(template, field, choices_as):
            if spec.kind == "one_of":
                ticked = [label for part, label in spec.choices if out.pop(part, False)]
                out[spec.part] = ticked[0] if ticked else ""
    return out


def _shown(template: Template, field: FormField, value: Any) -> dict[str, str | bool]:
    """What each input of ``field`` shown with tick boxes holds for the valid answer ``value``."""
    specs = inputs_of(template, field)
    out: dict[str, str | bool] = {s.part: (False if s.kind == "tick" else "") for s in specs}
    if isinstance(field, TextField):
        out[""] = value
    elif isinstance(field, DateField):
        out[""] = format_date(value)
    elif isinstance(field, CheckField):
        out[""] = bool(value)
    elif isinstance(field, RatingField):
        out["na" if value == NOT_RELEVANT else f"p{value}"] = True
    elif isinstance(field, ChoiceField):
        chosen = set(value) if field.multiple else {value}
        for index, option in enumerate(field.options, start=1):
            out[f"o{index}"] = option.id in chosen
    elif isinstance(field, AgreementsField):
        if len(value) > field.rows:
            raise ValueError(f"answer for '{field.id}' has {len(value)} rows; the form has {field.rows}")
        for number, agreement in enumerate(value, start=1):
            for column in field.columns:
                cell = getattr(agreement, column)
                part = agreement_part(number, column)
                if cell is None:
                    continue
                if column in PICK_COLUMNS:
                    out[part] = agreement_choice_labels(column, template.language)[cell]
                elif column == "deadline":
                    out[part] = format_date(cell)
                else:
                    out[part] = cell
    elif isinstance(field, SignatureField):
        out["name"] = value.name or ""
        out["date"] = format_date(value.date) if value.date else ""
    return out


# -- decode --------------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def decode(template: Template, field: FormField, found: dict[str, str | bool]) -> Decoded:
    """The answer from what was found in a field's inputs (missing parts count as empty).

    Text comes as it was written (line breaks kept); ticks as booleans; pick lists as their text.
    """
    if isinstance(field, TextField):
        return _decode_text(field, found, template.language)
    if isinstance(field, RatingField):
        return _decode_rating(template, field, found)
    problems = _Problems()
    value: Any = None

    def text(part: str) -> str:
        raw = found.get(part, "")
        return raw if isinstance(raw, str) else ""

    def ticked(part: str) -> bool:
        return found.get(part) is True

    if isinstance(field, DateField):
        value = _decode_date(text(""), problems, "", template.language)
    elif isinstance(field, CheckField):
        value = ticked("")
    elif isinstance(field, ChoiceField):
        chosen_ids = [o.id for i, o in enumerate(field.options, start=1) if ticked(f"o{i}")]
        if field.multiple:
            value = chosen_ids or None
        elif len(chosen_ids) > 1:
            labels = [o.label for i, o in enumerate(field.options, start=1) if ticked(f"o{i}")]
            message = issue_message("value.ambiguous.options", template.language, count=len(chosen_ids))
            problems.add("value.ambiguous", message, ", ".join(labels))
        elif chosen_ids:
            value = chosen_ids[0]
    elif isinstance(field, AgreementsField):
        value = _decode_agreements(template, field, text, problems)
    elif isinstance(field, SignatureField):
        name = text("name").strip()
        date = _decode_date(text("date"), problems, "date", template.language)
        value = Signature(name=name or None, date=date) if (name or date) else None
    return Decoded(value, tuple(problems), tuple(problems.parts), tuple(problems.inputs))


_NOTHING = Decoded(None)


def _decode_text(field: TextField, found: dict[str, str | bool], language: str) -> Decoded:
    raw = found.get("", "")
    raw = raw if isinstance(raw, str) else ""
    value = raw.strip()
    if not value:
        return _NOTHING
    if field.max_length is not None and len(value) > field.max_length:
        message = issue_message("value.too_long", language, limit=field.max_length, length=len(value))
        return Decoded(None, (("value.too_long", message, raw),), ("",), (None,))
    return Decoded(value)


def _decode_rating(template: Template, field: RatingField, found: dict[str, str | bool]) -> Decoded:
    chosen = [spec for spec in inputs_of(template, field) if found.get(spec.part) is True]
    if not chosen:
        return _NOTHING
    if len(chosen) > 1:
        raw = ", ".join(s.part[1:] if s.part.startswith("p") else s.label for s in chosen)
        message = issue_message("value.ambiguous.points", template.language, count=len(chosen))
        problem = ("value.ambiguous", message, raw)
        return Decoded(None, (problem,), (chosen[0].part,), (None,))
    part = chosen[0].part
    return Decoded(NOT_RELEVANT if part == "na" else int(part[1:]))


def _decode_date(raw: str, problems: _Problems, part: str, language: str) -> dt.date | None:
    if not raw.strip():
        return None
    parsed = parse_date(raw)
    if parsed is None:
        problems.add("value.invalid", issue_message("value.invalid.date", language), raw, part)
    return parsed


@lru_cache(maxsize=64)
def _choice_lookups(language: str, columns: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """For each pick-list column of an agreements table: what may be written (folded) → the value it means
    (the label in the form's language or English, or the value itself)."""
    return {
        column: {_norm(label): value for value, label in agreement_choice_labels(column, language).items()}
        | {_norm(value.replace("_", " ")): value for value in agreement_choice_labels(column, "en")}
        | {_norm(label): value for value, label in agreement_choice_labels(column, "en").items()}
        for column in PICK_COLUMNS
        if column in columns
    }


def _decode_agreements(
    template: Template, field: AgreementsField, text: Any, problems: _Problems
) -> list[AgreementRow] | None:
    rows: list[AgreementRow] = []
    lookups = _choice_lookups(template.language, tuple(field.columns))
    for number in range(1, field.rows + 1):
        cells = {c: text(agreement_part(number, c)) for c in field.columns}
        if not any(v.strip() for v in cells.values()):
            continue
        data: dict[str, Any] = {}
        for column, raw in cells.items():
            part = agreement_part(number, column)
            if not raw.strip():
                continue
            if column in lookups:
                value = lookups[column].get(_norm(raw))
                if value is None:
                    allowed = ", ".join(agreement_choice_labels(column, template.language).values())
                    heading = words(template.language)[f"col_{column}"]
                    message = issue_message(
                        "value.invalid.agreement_pick", template.language, row=number, column=heading, allowed=allowed
                    )
                    problems.add("value.invalid", message, raw, part)
                    continue
                data[column] = value
            elif column == "deadline":
                parsed = parse_date(raw)
                if parsed is None:
                    heading = words(template.language)["col_deadline"]
                    message = issue_message(
                        "value.invalid.agreement_date", template.language, row=number, column=heading
                    )
                    problems.add("value.invalid", message, raw, part)
                    continue
                data[column] = parsed
            else:
                data[column] = raw.strip()
        if "action" not in data:
            typed = {agreement_part(number, c): v for c, v in cells.items() if v.strip()}
            first = next(c for c in field.columns if cells[c].strip())
            problems.add(
                "value.invalid",
                issue_message("value.invalid.agreement_without_action", template.language, row=number),
                "; ".join(typed.values()),
                agreement_part(number, first),
                typed,
            )
            continue
        rows.append(AgreementRow(**data))
    return rows or None
