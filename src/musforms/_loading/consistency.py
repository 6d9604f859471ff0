"""A template's texts checked against the form they stand in: a text that promises what the form does not have (a
number of parts, a part's minutes or the total time, "not relevant", a scale's range, a follow-up interval) is
reported, as a warning, at the text's place. Each text is read as it is printed, rendered for every role that
sees it with the template's own facts (see :mod:`musforms._text.form_facts`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from musforms._model.context import SAMPLE_CONTEXT
from musforms._model.fields import Role
from musforms._model.template import Template
from musforms._text.form_facts import FormFacts, form_facts
from musforms._text.sandbox import render_text
from musforms.errors import TextRenderError

__all__ = ["CODE", "consistency_problems"]

CODE = "template.inconsistent_text"
"""The code of every problem this check reports."""

Loc = tuple[int | str, ...]
Found = tuple[Loc, str, str | None]

_NUMBER_WORDS = {
    "en": 1, "én": 1, "et": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "syv": 7, "otte": 8, "ni": 9,
    "ti": 10, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10,
}  # fmt: skip
_NUMBER = r"(\d+|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"

_PATTERNS = {
    "da": {
        "parts": re.compile(rf"\b{_NUMBER}\s+dele\b", re.I),
        "total": re.compile(r"\bca\.\s+(\d+)\s+(timer?\b|min\.|minutter\b)(?:\s+og\s+(\d+)\s+min)?", re.I),
        "scale": re.compile(r"\bfra\s+(\d+)\s*(?:\(([^)]*)\))?\s+til\s+(\d+)\s*(?:\(([^)]*)\))?", re.I),
        "followup": re.compile(r"\befter\s+(?:ca\.\s+)?(\d+)\s+måneder|\b(\d+)\s+måneder\s+efter\b", re.I),
        "not_relevant": re.compile(r"\bikke relevant\b", re.I),
    },
    "en": {
        "parts": re.compile(rf"\b{_NUMBER}\s+parts\b", re.I),
        "total": re.compile(r"\babout\s+(\d+)\s+(hours?\b|min\b|minutes\b)(?:\s+and\s+(\d+)\s+min)?", re.I),
        "scale": re.compile(r"\bfrom\s+(\d+)\s*(?:\(([^)]*)\))?\s+to\s+(\d+)\s*(?:\(([^)]*)\))?", re.I),
        "followup": re.compile(r"\bafter\s+(?:about\s+)?(\d+)\s+months\b|\b(\d+)\s+months\s+after\b", re.I),
        "not_relevant": re.compile(r"\bnot relevant\b", re.I),
    },
}
_PART_MINUTES = re.compile(r"\((\d+)\s*min(?:\.|utes?\b|utter\b|\b)\s*\)", re.I)

_TIMED_OUT = re.compile(r"took longer than|took too long")
"""The messages of a text stopped by the time limits, not by what it says."""

_HINT = "write the fact with the form's own value, e.g. {{ form.%s }}, so that the text follows the template"


def consistency_problems(template: Template) -> list[Found]:
    """What ``template``'s texts promise that its form does not have: ``(location, what, hint)`` each, at most one
    of each kind per text."""
    facts = form_facts(template)
    problems: list[Found] = []
    for loc, source, roles in _texts(template):
        if "{" not in source:
            shown = {" ".join(source.split())}
        else:
            shown = set()
            for role in roles:
                try:
                    shown.add(
                        " ".join(render_text(source, SAMPLE_CONTEXT, template.language, role=role, form=facts).split())
                    )
                except TextRenderError as exc:
                    if _TIMED_OUT.search(exc.message):
                        return problems  # out of time (a slow text is an error of the text checks already)
                    problems.append((loc, f"the text cannot be printed in the {role}'s form: {exc.message}", None))
                    break
        seen: set[str] = set()
        for text in sorted(shown):
            for message, hint in _promises(text, facts, template.language):
                if message not in seen:
                    seen.add(message)
                    problems.append((loc, message, hint))
    return problems


def _texts(template: Template) -> Iterator[tuple[Loc, str, tuple[Role, ...]]]:
    """Every text a form prints, with its place and the roles that see it."""
    everyone: tuple[Role, ...] = ("employee", "manager")
    if template.description:
        yield ("description",), template.description, everyone
    yield ("title",), template.title, everyone
    if template.intro:
        yield ("intro",), template.intro, everyone
    for si, section in enumerate(template.sections):
        yield ("sections", si, "title"), section.title, section.audience
        if section.guidance:
            yield ("sections", si, "guidance"), section.guidance, section.audience
        for fi, field in enumerate(section.fields):
            for key in ("label", "help", "text"):
                value = getattr(field, key, None)
                if isinstance(value, str) and value:
                    yield ("sections", si, "fields", fi, key), value, field.audience


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]


def _promises(text: str, facts: FormFacts, language: str) -> Iterator[tuple[str, str | None]]:
    patterns = _PATTERNS["en" if language == "en" else "da"]
    if facts.parts:
        for match in patterns["parts"].finditer(text):
            said = _number(match.group(1))
            if said != facts.part_count:
                yield (
                    f"the text says '{match.group(0)}', but the form has {facts.part_count} parts with minutes",
                    _HINT % "parts_in_words",
                )
                break
        minutes = {part.minutes for part in facts.parts}
        for match in _PART_MINUTES.finditer(text):
            if int(match.group(1)) not in minutes:
                listed = ", ".join(f"{p.title}: {p.minutes} min" for p in facts.parts)
                yield (
                    f"the text says '{match.group(0)}', but no part of the form has {match.group(1)} minutes "
                    f"({listed})",
                    _HINT % "parts_text",
                )
                break
        for match in patterns["total"].finditer(text):
            amount, unit, extra = int(match.group(1)), match.group(2).lower(), match.group(3)
            said = amount * 60 if unit.startswith(("time", "hour")) else amount
            said += int(extra) if extra else 0
            if said != facts.minutes:
                yield (
                    f"the text says '{match.group(0).strip()}', but the form's parts take {facts.minutes} minutes "
                    f"({facts.duration})",
                    _HINT % "duration",
                )
                break
    if facts.scale is not None:
        low, high = facts.scale.low, facts.scale.high
        for match in patterns["scale"].finditer(text):
            said_low, low_label, said_high, high_label = match.groups()
            wrong_range = (int(said_low), int(said_high)) != (low.value, high.value)
            wrong_labels = any(
                said is not None and said.strip().lower() != point.label.strip().lower()
                for said, point in ((low_label, low), (high_label, high))
            )
            if wrong_range or wrong_labels:
                yield (
                    f"the text says '{match.group(0).strip()}', but the scale runs {facts.scale.range_text}",
                    _HINT % "scale.range_text",
                )
                break
    if facts.not_relevant == "none" and patterns["not_relevant"].search(text):
        yield (
            f"the text offers '{facts.not_relevant_label}', but no rated item of the form offers it",
            "say it only where the form offers it: {% if form.not_relevant != 'none' %}...{% endif %}",
        )
    for match in patterns["followup"].finditer(text):
        said = int(match.group(1) or match.group(2))
        if said != facts.followup_months:
            yield (
                f"the text says '{match.group(0)}', but the template's follow-up is after "
                f"{facts.followup_months} months (followup_months)",
                _HINT % "followup_months",
            )
            break
