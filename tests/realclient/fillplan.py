"""Desired answers → what a person does in LibreOffice to give them (harness actions), and what parsing gives back.

Generic over field kinds: every field is shown as the inputs ``binding.inputs_of`` lists, each in its own table
cell whose bookmark is ``layout.anchor_name(field_id, part)``. What each input must show for an answer comes
from ``codec.encode``; this module turns that into clicks and keystrokes:

- ``text`` / ``line`` → ``type`` (click into the control, type; ``\\n`` is Enter);
- ``date`` → ``date`` (click, type the date as the control's format shows it: dd-mm-yyyy);
- ``tick`` → ``check`` (one click on the box);
- ``pick`` → ``pick`` (the printed label of the item).

``sample_answers`` makes a deterministic, varied set of answers for every field a role answers, and
``expected_answers`` says what ``musforms.parse`` must return for them (texts stripped at the ends: the only
documented normalisation).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Mapping
from io import BytesIO
from pathlib import Path
from typing import Any

from lxml import etree

from musforms._core.binding import inputs_of
from musforms._core.codec import encode
from musforms._formats.docx.layout import anchor_name
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
from musforms._model.template import Template
from musforms._model.values import AGREEMENT_METHODS, AGREEMENT_STATUSES, NOT_RELEVANT, AgreementRow, Signature

Action = dict[str, Any]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": W}

#: Texts typed into the forms: Danish letters, XML-special characters, an emoji, line breaks (Enter), a blank
#: line between paragraphs, and white space at the ends (the documented normalisation strips it).
TEXTS: tuple[str, ...] = (
    "Mine styrker er overblik og ro på pladsen – især når kunderne står på tæerne.",
    "ÆØÅ æøå: & < > \" ' – alt kom med 😀",
    "Første linje\nAnden linje\nTredje linje med ø",
    "  Mere ansvar for planlægningen i afdelingen  ",
    "Kursus i KNX & varmepumper <niveau 2>\n\nNy linje efter en tom linje 👍🏽",
    "Jeg vil gerne lære at føre tilsyn med lærlinge.",
    "Lederen kunne give hurtigere svar på \"små\" spørgsmål og 'store' beslutninger.",
    "Bedre værktøj i bilen; færre afbrydelser om fredagen.",
)
LONG_PARAGRAPH = (
    "Samarbejdet i teamet fungerer godt, og jeg oplever at kunne få hjælp, når opgaverne bliver svære; "
    "det gælder både på byggepladsen, i værkstedet og når vi aftaler planer med kunder & leverandører. "
)
#: One long answer per form (≥ 2,000 characters, with Enter between paragraphs).
LONG_TEXT = "\n".join(f"{n}. {LONG_PARAGRAPH.strip()}" for n in range(1, 12))
assert len(LONG_TEXT) >= 2000
COMMENTS = ("Godt i gang", "Udsat til efteråret – mangler tid", "Færdig & godkendt")
ACTIONS = ("Kursus i KNX-installationer", "Sidemandsoplæring hos Ole på lageret", "Læse om ny el-standard")
NAMES = {"employee": "Mette Sørensen", "manager": "Lars Holm"}


# ---------------------------------------------------------------------------------------------- answers


def sample_answers(template: Template, role: Role, *, long_field: str | None = None) -> dict[str, Any]:
    """A deterministic, varied answer for every field ``role`` answers in ``template``.

    Every rating gets a point (cycling 1..n) and every second item that allows it "not relevant"; texts
    cycle through :data:`TEXTS`; the first text field (or ``long_field``) gets :data:`LONG_TEXT`.
    """
    answers: dict[str, Any] = {}
    counters = {"text": 0, "rating": 0, "na": 0, "choice": 0, "date": 0, "check": 0}
    fields = template.answer_fields(role)
    if long_field is None:
        long_field = next(
            (f.id for f in fields if isinstance(f, TextField) and f.multiline and f.max_length is None), None
        )
    for field in fields:
        if isinstance(field, TextField):
            if field.id == long_field:
                answers[field.id] = LONG_TEXT
            else:
                text = TEXTS[counters["text"] % len(TEXTS)]
                text = text if field.multiline else " ".join(text.split())
                answers[field.id] = text[: field.max_length].strip() if field.max_length else text
                counters["text"] += 1
        elif isinstance(field, RatingField):
            points = [p.value for p in template.scale_of(field).points]
            if field.not_relevant and counters["na"] % 2 == 0:
                answers[field.id] = NOT_RELEVANT
            else:
                answers[field.id] = points[(counters["rating"] + len(points) // 2) % len(points)]
                counters["rating"] += 1
            counters["na"] += int(field.not_relevant)
        elif isinstance(field, ChoiceField):
            ids = [o.id for o in field.options]
            shift = counters["choice"]
            counters["choice"] += 1
            if field.multiple:
                answers[field.id] = [i for n, i in enumerate(ids) if (n + shift) % 2 == 1] or ids[:1]
            else:
                answers[field.id] = ids[(shift + 1) % len(ids)]
        elif isinstance(field, CheckField):
            answers[field.id] = counters["check"] % 2 == 0
            counters["check"] += 1
        elif isinstance(field, DateField):
            answers[field.id] = dt.date(2026, 9, 15) + dt.timedelta(days=17 * counters["date"])
            counters["date"] += 1
        elif isinstance(field, AgreementsField):
            answers[field.id] = sample_agreements(field, role)
        elif isinstance(field, SignatureField):
            answers[field.id] = Signature(name=NAMES[field.signer], date=dt.date(2026, 3, 16))
        elif isinstance(field, InfoField):  # pragma: no cover - info fields take no answer
            continue
    return answers


def sample_agreements(field: AgreementsField, role: Role) -> list[AgreementRow]:
    """Three full rows (every column of the table), not in the first rows only: rows 1, 2 and the last."""
    rows = []
    for number in range(min(3, field.rows)):
        data: dict[str, Any] = {"action": ACTIONS[number] + ("" if role == "employee" else " (lederens note)")}
        if "owner" in field.columns:
            data["owner"] = ("employee", "manager")[number % 2]
        if "deadline" in field.columns:
            data["deadline"] = dt.date(2026, 4 + 2 * number, 1 + 7 * number)
        if "method" in field.columns:
            data["method"] = AGREEMENT_METHODS[(number * 2 + 1) % len(AGREEMENT_METHODS)]
        if "status" in field.columns:
            data["status"] = AGREEMENT_STATUSES[number % len(AGREEMENT_STATUSES)]
        if "comment" in field.columns:
            data["comment"] = COMMENTS[number % len(COMMENTS)]
        rows.append(AgreementRow(**data))
    return rows


def expected_answers(template: Template, role: Role, answers: Mapping[str, Any]) -> dict[str, Any]:
    """What ``parse`` must return for a form filled with ``answers``: every answered field, texts stripped."""
    expected: dict[str, Any] = {}
    for field in template.answer_fields(role):
        value = answers.get(field.id)
        if isinstance(field, TextField) and isinstance(value, str):
            value = value.strip() or None
        elif isinstance(field, CheckField):
            value = bool(value)
        elif isinstance(field, ChoiceField) and field.multiple and value is not None:
            order = [o.id for o in field.options]
            value = sorted(value, key=order.index) or None
        expected[field.id] = value
    return expected


# ---------------------------------------------------------------------------------------------- actions


def field_actions(template: Template, field: FormField, value: Any) -> list[Action]:
    """The clicks and keystrokes that give ``field`` the answer ``value`` in a blank form."""
    shown = encode(template, field, value)
    actions: list[Action] = []
    for spec in inputs_of(template, field):
        content = shown.get(spec.part)
        bookmark = anchor_name(field.id, spec.part)
        if spec.kind == "tick":
            if content is True:
                actions.append({"op": "check", "bookmark": bookmark})
        elif not content:
            continue
        elif spec.kind in ("text", "line"):
            actions.append({"op": "type", "bookmark": bookmark, "text": content})
        elif spec.kind == "date":
            day = _date_of(str(content))
            actions.append({"op": "date", "bookmark": bookmark, "text": day.isoformat()})
        elif spec.kind == "pick":
            labels = [label for _value, label in spec.choices]
            if content not in labels:
                raise ValueError(f"{bookmark}: {content!r} is not one of the items {labels}")
            actions.append({"op": "pick", "bookmark": bookmark, "item": content})
        else:  # pragma: no cover - a new input kind must be taught here
            raise ValueError(f"{bookmark}: no action for input kind {spec.kind!r}")
    return actions


def plan(template: Template, role: Role, answers: Mapping[str, Any]) -> list[Action]:
    """All actions for ``answers``, in form order (as a person fills the form from the top)."""
    by_id = {f.id: f for f in template.answer_fields(role)}
    unknown = set(answers) - set(by_id)
    if unknown:
        raise ValueError(f"not answered by the {role}: {sorted(unknown)}")
    actions: list[Action] = []
    for field_id, field in by_id.items():
        if answers.get(field_id) is not None:
            actions += field_actions(template, field, answers[field_id])
    return actions


def _date_of(shown: str) -> dt.date:
    day, month, year = (int(part) for part in shown.split("-"))
    return dt.date(year, month, day)


# ------------------------------------------------------------------------------------------- locations


def document_root(source: bytes | Path) -> etree._Element:
    data = source.read_bytes() if isinstance(source, Path) else source
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def bookmark_cells(source: bytes | Path) -> dict[str, str]:
    """Where each bookmark's cell is in a rendered form, as ``table T, row R, cell C`` (body tables only)."""
    body = document_root(source).find("w:body", _NS)
    assert body is not None
    where: dict[str, str] = {}
    for t, table in enumerate(body.iterfind("w:tbl", _NS), start=1):
        for r, row in enumerate(table.iterfind("w:tr", _NS), start=1):
            for c, cell in enumerate(row.iterfind("w:tc", _NS), start=1):
                for mark in cell.iter(f"{{{W}}}bookmarkStart"):
                    where[mark.get(f"{{{W}}}name", "")] = f"table {t}, row {r}, cell {c}"
    return where


def bookmark_names(source: bytes | Path) -> set[str]:
    """The names of all bookmarks in a .docx."""
    root = document_root(source)
    return {mark.get(f"{{{W}}}name", "") for mark in root.iter(f"{{{W}}}bookmarkStart")}
