"""What a person types into a web form, field by field, and the answers ``parse_submission`` must read from it.

:func:`answers_for` makes one answer for every field a role answers in a template: text with Danish letters,
``& < > " '``, an emoji and line breaks (one text of each form 2,000 characters long, where the field allows
it), a point of every rating (one "not relevant" where the scale has it), options, ticks, dates, agreement
rows and signatures. What is typed is exactly what is expected back, except that a browser sends a line
break in a text area as CR LF, which ``parse_submission`` reads as LF.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from musforms import (
    AgreementRow,
    AgreementsField,
    CheckField,
    ChoiceField,
    Context,
    DateField,
    RatingField,
    Role,
    Signature,
    SignatureField,
    Template,
    TextField,
)
from musforms._model.values import AGREEMENT_METHODS, AGREEMENT_STATUSES

LONG = 2000
"""The length of the one long answer of each form (characters, as Python counts them)."""
SPECIAL = "& < > \" ' <script>alert(1)</script>"
"""What must be escaped in markup, typed as text."""
TEXTS = (
    "Blåbærgrød på Ærø æøå ÆØÅ",
    "Løn & <b>ledelse</b> \"OK\" 'ja'",
    "Mere KNX 🙂 og 🏗️",
    "Linje 1\nlinje 2 med ø",
    SPECIAL,
)
"""The short answers, one after the other, field by field (typing is slow: each is a few words)."""
AGREEMENT_ROWS = 2
"""Rows filled in each agreements table: with scripts on, the second is added with the table's button."""


def long_text(multiline: bool) -> str:
    """A 2,000-character answer with every kind of character the form must keep (line breaks if multiline)."""
    unit = "Æbleskiver & <kaffe> \"nu\" 'tak' 😀 på Ærø" + ("\n" if multiline else " ")
    text = (unit * (LONG // len(unit) + 1))[:LONG]
    return text[:-1] + "." if text.endswith(("\n", " ")) else text


def _text(field: TextField, n: int, long: bool) -> str:
    if long:
        return long_text(field.multiline)
    text = TEXTS[n % len(TEXTS)]
    if not field.multiline:
        text = text.replace("\n", " ")
    text = f"{text} {n}"
    if field.max_length is not None:
        text = text[: field.max_length].rstrip()
    return text


def _date(n: int) -> dt.date:
    return dt.date(2027, 1 + n % 12, 1 + (n * 7) % 28)


def _agreement(field: AgreementsField, number: int, n: int) -> AgreementRow:
    columns: dict[str, Any] = {"action": f"KNX & <tavler> på Ærø 🙂 {number}"}
    if "owner" in field.columns:
        columns["owner"] = ("employee", "manager")[number % 2]
    if "deadline" in field.columns:
        columns["deadline"] = dt.date(2027, 2 + number, 10 + number)
    if "method" in field.columns:
        columns["method"] = AGREEMENT_METHODS[(n + number) % len(AGREEMENT_METHODS)]
    if "status" in field.columns:
        columns["status"] = AGREEMENT_STATUSES[(n + number) % len(AGREEMENT_STATUSES)]
    if "comment" in field.columns:
        columns["comment"] = f"Effekt {number}:\nø & å"
    return AgreementRow(**columns)


def answers_for(template: Template, role: Role, context: Context) -> dict[str, Any]:
    """One answer for every field ``role`` answers in ``template`` (by field id), as ``parse`` types them."""
    answers: dict[str, Any] = {}
    long_given = False
    not_relevant_given = False
    signers = {"employee": context.employee.name, "manager": context.manager.name if context.manager else "Leder"}
    for n, field in enumerate(template.answer_fields(role)):
        answer: Any
        if isinstance(field, TextField):
            long = not long_given and (field.max_length is None or field.max_length >= LONG)
            long_given = long_given or long
            answer = _text(field, n, long)
        elif isinstance(field, RatingField):
            points = template.scale_of(field).points
            if field.not_relevant and not not_relevant_given:
                answer, not_relevant_given = "not_relevant", True
            else:
                answer = points[n % len(points)].value
        elif isinstance(field, ChoiceField):
            ids = [option.id for option in field.options]
            answer = [ids[n % len(ids)], ids[(n + 2) % len(ids)]] if field.multiple else ids[n % len(ids)]
            if field.multiple:  # in the order of the options, as the form lists them
                answer = [i for i in ids if i in answer]
        elif isinstance(field, CheckField):
            answer = True
        elif isinstance(field, DateField):
            answer = _date(n)
        elif isinstance(field, AgreementsField):
            answer = [_agreement(field, number, n) for number in range(1, min(AGREEMENT_ROWS, field.rows) + 1)]
        elif isinstance(field, SignatureField):
            answer = Signature(name=signers[field.signer], date=_date(n + 1))
        else:  # pragma: no cover - every kind that takes an answer is above
            raise TypeError(f"no answer for {field.kind}")
        answers[field.id] = answer
    return answers
