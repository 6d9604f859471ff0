"""Every document musforms writes, blank and filled with long answers, in both file formats: what the print checks
measure (tests/realclient/test_print_check.py) and what the before/after page counts are made of.

A document is one of: a preparation form (every built-in template and a company template with a logo, both
roles), the talk form (from two filled preparation forms), the development plan and the follow-up made from it,
and the invitation letter (Word only). "Filled" writes the longest answers a person plausibly writes: every text
field several long lines, every agreement table full, every rating and choice answered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import musforms
from musforms import Context

__all__ = ["CONTEXT", "PNG", "Document", "company_template", "documents", "long_answers"]

CONTEXT = Context.model_validate(
    {
        "employee": {"id": "E-0142", "name": "Mette Kristensen Lauridsen", "department": "Service og installation"},
        "manager": {"id": "M-07", "name": "Lars Holm Andersen"},
        "meeting": {"start": "2026-03-16T10:00", "place": "Mødelokale 2, 1. sal"},
        "company": {"name": "Acme El-teknik A/S"},
    }
)
PNG = bytes.fromhex(  # a 1×1 picture, the company's logo
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000b4944415478da636000020000050001e9fadcd80000000049454e44ae426082"
)
_SENTENCE = {
    "da": "Jeg har i årets løb arbejdet med servicebesøg, KNX-installationer og tilbud til erhvervskunder, "
    "og jeg vil gerne lære mere om energistyring.",
    "en": "Over the year I have worked on service visits, KNX installations and quotes for business customers, "
    "and I would like to learn more about energy management.",
}


@dataclass(frozen=True)
class Document:
    """One document as its user gets it."""

    name: str
    """``<what>-<role>-<blank|filled>``, unique in a run; the file's stem."""
    data: bytes
    format: str
    """``docx`` or ``xlsx``."""
    language: str
    kind: str
    """``form`` (a preparation form, the plan, the follow-up), ``talk`` or ``letter``."""
    role: str = ""
    filled: bool = False

    @property
    def stem(self) -> str:
        """The file's name without its extension: the name, and ``-xlsx`` for a workbook (their PDFs differ)."""
        return self.name if self.format == "docx" else f"{self.name}-xlsx"

    def write(self, folder: Path) -> Path:
        path = folder / f"{self.stem}.{self.format}"
        path.write_bytes(self.data)
        return path


@cache
def company_template(folder: Path, name: str = "Acme El-teknik A/S") -> musforms.Template:
    """A company's template: the Danish scored form with the company's ``name`` and a logo (written to ``folder``)."""
    (folder / "logo.png").write_bytes(PNG)
    (folder / "acme.yaml").write_text(
        f"extends: mus-scored-da\nid: acme-mus\ncompany: {{name: {name}, logo: logo.png}}\n", encoding="utf-8"
    )
    return musforms.load_template(folder / "acme.yaml")


def _long_text(language: str, lines: int) -> str:
    return "\n".join(f"{i + 1}. {_SENTENCE[language]}" for i in range(lines))


def long_answers(template: musforms.Template, role: str) -> dict[str, Any]:
    """The longest plausible answer to every field ``role`` answers in ``template``."""
    answers: dict[str, Any] = {}
    for field in template.answer_fields(role):  # type: ignore[arg-type]
        if isinstance(field, musforms.TextField):
            text = (
                _long_text(template.language, max(field.lines, 3)) if field.multiline else _SENTENCE[template.language]
            )
            answers[field.id] = text[: field.max_length] if field.max_length else text
        elif isinstance(field, musforms.RatingField):
            points = template.scale_of(field).points
            answers[field.id] = points[len(field.id) % len(points)].value
        elif isinstance(field, musforms.ChoiceField):
            answers[field.id] = [field.options[0].id] if field.multiple else field.options[-1].id
        elif isinstance(field, musforms.CheckField):
            answers[field.id] = True
        elif isinstance(field, musforms.DateField):
            answers[field.id] = dt.date(2026, 9, 30)
        elif isinstance(field, musforms.AgreementsField):
            row = {
                "action": _SENTENCE[template.language],
                "owner": "employee",
                "deadline": dt.date(2026, 10, 1),
                "method": "course",
                "status": "in_progress",
                "comment": _SENTENCE[template.language],
            }
            answers[field.id] = [{c: row[c] for c in ("action", *field.columns)} for _ in range(field.rows)]
        elif isinstance(field, musforms.SignatureField):
            answers[field.id] = {"name": "Mette Kristensen Lauridsen", "date": dt.date(2026, 3, 16)}
    return answers


def _talk_forms(template_id: str, filled: bool) -> tuple[musforms.FilledForm, musforms.FilledForm]:
    template = musforms.load_template(template_id)
    forms = []
    for role in ("employee", "manager"):
        answers = long_answers(template, role) if filled else {}
        answers.pop(next((f.id for f in template.answer_fields(role) if f.kind == "signature"), ""), None)  # type: ignore[arg-type]
        forms.append(musforms.parse(musforms.render(template, "docx", role=role, context=CONTEXT, answers=answers)))
    return forms[0], forms[1]


def documents(folder: Path, formats: tuple[str, ...] = ("docx", "xlsx")) -> Iterator[Document]:
    """Every document, blank and filled, in ``formats`` (the letter is Word only)."""
    templates = [musforms.load_template(info.id) for info in musforms.list_templates()]
    for template in [*templates, company_template(folder)]:
        for role in ("employee", "manager"):
            for filled in (False, True):
                answers = long_answers(template, role) if filled else None
                for fmt in formats:
                    data = musforms.render(template, fmt, role=role, context=CONTEXT, answers=answers)  # type: ignore[arg-type]
                    name = f"{template.id}-{role}-{'filled' if filled else 'blank'}"
                    yield Document(name, data, fmt, template.language, "form", role, filled)
    for language in ("da", "en"):
        for filled in (False, True):
            state = "filled" if filled else "blank"
            employee, manager = _talk_forms(f"mus-scored-{language}", filled)
            plan_template = musforms.load_template(f"plan-{language}")
            extra = long_answers(plan_template, "manager") if filled else {}
            extra.pop("agreements", None)  # the talk's agreements carry over
            for fmt in formats:
                talk = musforms.render_talk(None, employee, manager, fmt)  # type: ignore[arg-type]
                yield Document(f"talk-{language}-{state}", talk, fmt, language, "talk", "", filled)
                plan = musforms.render_plan(
                    CONTEXT,
                    employee,
                    manager,
                    template=plan_template,
                    format=fmt,
                    answers=extra,  # type: ignore[arg-type]
                )
                yield Document(f"plan-{language}-from-talk-{state}", plan, fmt, language, "form", "manager", filled)
            plan_docx = musforms.render_plan(CONTEXT, employee, manager, template=plan_template, answers=extra)
            for fmt in formats:
                followup = musforms.render_followup(
                    CONTEXT,
                    musforms.parse(plan_docx),
                    template=f"followup-{language}",
                    format=fmt,  # type: ignore[arg-type]
                )
                yield Document(
                    f"followup-{language}-from-plan-{state}", followup, fmt, language, "form", "manager", filled
                )
    if "docx" in formats:
        for language in ("da", "en"):
            letter = (
                musforms.load_invitation(f"invitation-{language}").render(CONTEXT).docx(sender="Acme El-teknik A/S")
            )
            yield Document(f"invitation-{language}", letter, "docx", language, "letter")
