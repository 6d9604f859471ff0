"""What an issue says to the person who reads it: its message in the form's language, and the field's label.

Every issue a parse reports takes its message from :data:`MESSAGES`, one entry per kind of message, each with
its issue code and a Danish and an English text (``str.format`` fields filled from the parameters). The issue's
``code`` stays the stable, language-free key; the message is for the employee or HR person who reads it.
Errors raised are not issues: they keep their English messages for the developer.

:func:`issue_label` is the field's label as the form printed it: rendered with the form's context, one line of
plain text, as every text read outside the form is (:mod:`musforms._text.readable`).
"""

from __future__ import annotations

import string
from typing import Literal

from musforms._model.context import Context
from musforms._model.filled import IssueCode
from musforms._text.readable import readable_label

__all__ = ["MESSAGES", "MessageKind", "issue_label", "issue_message", "message_code", "message_fields"]

MessageKind = Literal[
    "value.too_long",
    "value.ambiguous.points",
    "value.ambiguous.options",
    "value.ambiguous.submitted",
    "value.invalid.date",
    "value.invalid.tick",
    "value.invalid.point",
    "value.invalid.option",
    "value.invalid.text_in_tick_box",
    "value.invalid.agreement_pick",
    "value.invalid.agreement_date",
    "value.invalid.agreement_without_action",
    "field.missing.input",
    "field.missing.cell",
    "field.required",
    "content.unmapped.docx",
    "content.unmapped.xlsx",
    "content.unmapped.html",
    "content.unchecked.layout",
    "content.unchecked.old_layout",
    "content.unchecked.context",
    "identity.lenient",
]
"""The kinds of message; each begins with the code of the issues it is said for."""

MESSAGES: dict[MessageKind, tuple[IssueCode, dict[str, str]]] = {
    "value.too_long": (
        "value.too_long",
        {
            "da": "Svaret er for langt: højst {limit} tegn (der står {length})",
            "en": "The answer is too long: at most {limit} characters (it has {length})",
        },
    ),
    "value.ambiguous.points": (
        "value.ambiguous",
        {
            "da": "Der er sat {count} krydser på skalaen; sæt kun ét",
            "en": "{count} points of the scale are ticked; tick only one",
        },
    ),
    "value.ambiguous.options": (
        "value.ambiguous",
        {
            "da": "Der er sat kryds ved {count} svarmuligheder; sæt kun ét",
            "en": "{count} options are ticked; tick only one",
        },
    ),
    "value.ambiguous.submitted": (
        "value.ambiguous",
        {
            "da": "Feltet er sendt med {count} forskellige svar; kun ét kan gælde",
            "en": "The field was submitted with {count} different answers; only one can count",
        },
    ),
    "value.invalid.date": (
        "value.invalid",
        {
            "da": "Det er ikke en dato; skriv den som dd-mm-åååå eller åååå-mm-dd",
            "en": "This is not a date; write it as dd-mm-yyyy or yyyy-mm-dd",
        },
    ),
    "value.invalid.tick": (
        "value.invalid",
        {
            "da": "Det er ikke et kryds; skriv X i cellen, eller lad den være tom",
            "en": "This is not a tick; write X in the cell, or leave it empty",
        },
    ),
    "value.invalid.point": (
        "value.invalid",
        {
            "da": "Det er ikke et punkt på skalaen; vælg et af disse: {allowed}",
            "en": "This is not a point of the scale; choose one of {allowed}",
        },
    ),
    "value.invalid.option": (
        "value.invalid",
        {
            "da": "Det er ikke en af svarmulighederne; vælg en af disse: {allowed}",
            "en": "This is not one of the options; choose one of {allowed}",
        },
    ),
    "value.invalid.text_in_tick_box": (
        "value.invalid",
        {
            "da": "Der er skrevet tekst i et afkrydsningsfelt; sæt et kryds i feltet i stedet",
            "en": "Text is written in a tick box cell; tick the box instead",
        },
    ),
    "value.invalid.agreement_pick": (
        "value.invalid",
        {
            "da": "Aftale {row}, kolonnen »{column}«: vælg en af disse: {allowed}",
            "en": 'Agreement {row}, column "{column}": choose one of {allowed}',
        },
    ),
    "value.invalid.agreement_date": (
        "value.invalid",
        {
            "da": "Aftale {row}, kolonnen »{column}«: det er ikke en dato; skriv den som dd-mm-åååå eller åååå-mm-dd",
            "en": 'Agreement {row}, column "{column}": this is not a date; write it as dd-mm-yyyy or yyyy-mm-dd',
        },
    ),
    "value.invalid.agreement_without_action": (
        "value.invalid",
        {
            "da": "Aftale {row} mangler selve aftalen (hvad der skal gøres)",
            "en": "Agreement {row} has no agreement text (what is to be done)",
        },
    ),
    "field.missing.input": (
        "field.missing",
        {
            "da": "Feltet findes ikke længere i filen, så det kunne ikke læses",
            "en": "The field is no longer in the file, so it could not be read",
        },
    ),
    "field.missing.cell": (
        "field.missing",
        {
            "da": "Feltets svarcelle findes ikke længere i filen, så den kunne ikke læses",
            "en": "The field's answer cell is no longer in the file, so it could not be read",
        },
    ),
    "field.required": (
        "field.required",
        {
            "da": "Feltet skal udfyldes",
            "en": "This field must be filled in",
        },
    ),
    "content.unmapped.docx": (
        "content.unmapped",
        {
            "da": "Der står tekst uden for skemaets felter",
            "en": "There is text outside the fields of the form",
        },
    ),
    "content.unmapped.xlsx": (
        "content.unmapped",
        {
            "da": "Der står tekst uden for skemaets svarceller",
            "en": "There is text outside the answer cells of the form",
        },
    ),
    "content.unmapped.html": (
        "content.unmapped",
        {
            "da": "Der er sendt et felt, som ikke hører til skemaet",
            "en": "A field was submitted that is not part of the form",
        },
    ),
    "content.unchecked.layout": (
        "content.unchecked",
        {
            "da": (
                "Skemaet er lavet med en anden udgave af opsætningen ({made}; denne er {this}), "
                "så der er ikke set efter tekst skrevet uden for felterne"
            ),
            "en": (
                "The form was made with another layout ({made}; this is {this}), "
                "so text written outside the fields was not looked for"
            ),
        },
    ),
    "content.unchecked.old_layout": (
        "content.unchecked",
        {
            "da": (
                "Skemaet er lavet med en ældre udgave af opsætningen, "
                "så der er ikke set efter tekst skrevet uden for felterne"
            ),
            "en": "The form was made with an older layout, so text written outside the fields was not looked for",
        },
    ),
    "content.unchecked.context": (
        "content.unchecked",
        {
            "da": (
                "Oplysningerne om medarbejder og samtale mangler i filen, "
                "så der er ikke set efter tekst skrevet uden for felterne"
            ),
            "en": (
                "The details of the employee and the talk are missing from the file, "
                "so text written outside the fields was not looked for"
            ),
        },
    ),
    "identity.lenient": (
        "identity.lenient",
        {
            "da": (
                "Skemaet er lavet ud fra skabelonen '{template}' version {made} ({made_fingerprint}), "
                "men er læst med version {version} ({fingerprint})"
            ),
            "en": (
                "The form was made from the template '{template}' version {made} ({made_fingerprint}), "
                "but was read with version {version} ({fingerprint})"
            ),
        },
    ),
}
"""By kind of message: the code of its issues, and its text by language."""


def issue_message(kind: MessageKind, language: str, **params: object) -> str:
    """The message of ``kind`` in ``language`` (Danish for anything unknown), its fields filled from ``params``."""
    texts = MESSAGES[kind][1]
    return texts.get(language, texts["da"]).format(**params)


def message_code(kind: MessageKind) -> IssueCode:
    """The code of the issues a message of ``kind`` is said for."""
    return MESSAGES[kind][0]


def message_fields(kind: MessageKind, language: str) -> set[str]:
    """The names of the fields the message of ``kind`` in ``language`` takes."""
    return {name for _text, name, _spec, _conv in string.Formatter().parse(MESSAGES[kind][1][language]) if name}


def issue_label(source: str | None, context: Context | None, language: str) -> str | None:
    """A field's label as the form printed it, as one line of plain text (None for a field without one).

    Rendered with the form's ``context`` the way the form rendered it
    (:func:`musforms._text.readable.readable_label`). Without a context, or when the label cannot be rendered
    with it, each value of the context shows as "…" (``Hvad vil {{ employee.first_name }} lære?`` gives
    ``Hvad vil … lære?``), so that the label names no one; never the raw ``{{ … }}``.
    """
    if source is None:
        return None
    return readable_label(source, context, language)
