"""What a template's texts may say about the form they stand in, worked out from the template itself: its parts
and their minutes, the total time in words, the scale, whether "not relevant" is offered, the follow-up
interval, who writes up the agreements, the company's name (``form`` in a text); and the words that follow the
reader's role (``you``). A text that uses these stays true when a company changes the template."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from musforms._model.context import Company, Context
from musforms._model.fields import RatingField, Role
from musforms._model.template import Scale, Template

__all__ = [
    "FormFacts",
    "FormPart",
    "RoleWords",
    "ScaleFacts",
    "ScalePointFacts",
    "company_name",
    "company_of",
    "form_facts",
    "named_company",
    "role_words",
    "sample_facts",
]

NotRelevant = Literal["all", "some", "none"]

_NUMBERS = {
    "da": ("nul", "én", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "elleve", "tolv"),
    "en": ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"),
}
_NOT_RELEVANT = {"da": "Ikke relevant", "en": "Not relevant"}
_WRITER = {
    "da": {"manager": "lederen", "employee": "medarbejderen"},
    "en": {"manager": "the manager", "employee": "the employee"},
}


@dataclass(frozen=True)
class FormPart:
    """One part of the talk: a section with a time box."""

    number: int
    """Its number among the parts, from 1."""
    id: str
    title: str
    """The section's title as written (Jinja left out)."""
    minutes: int


@dataclass(frozen=True)
class ScalePointFacts:
    """One point of the scale: its number and its words."""

    value: int
    label: str


@dataclass(frozen=True)
class ScaleFacts:
    """The scale the form's items are rated on."""

    points: tuple[ScalePointFacts, ...]
    low: ScalePointFacts
    high: ScalePointFacts
    range_text: str
    """The range in words: ``fra 1 (i meget lav grad) til 5 (i meget høj grad)``, ``from 1 (…) to 5 (…)``."""


@dataclass(frozen=True)
class FormFacts:
    """What a text may say about its form (``form`` in a template text)."""

    parts: tuple[FormPart, ...]
    """The sections that have minutes, in order."""
    part_count: int
    parts_in_words: str
    """``fem dele`` / ``five parts``."""
    parts_text: str
    """Each part with its minutes, as a list in a sentence: ``small talk og introduktion (5 min.), … og afslutning
    (5 min.)``."""
    minutes: int
    """The parts' minutes added up."""
    duration: str
    """The total time in words: ``ca. 1 time``, ``ca. 55 min.``, ``about 1 hour`` (empty when no part has
    minutes)."""
    scale: ScaleFacts | None
    """The scale most rated items use (None in a form without ratings)."""
    not_relevant: NotRelevant
    """Whether the rated items offer "not relevant": ``all``, ``some`` or ``none``."""
    not_relevant_label: str
    """The words of the "not relevant" choice."""
    followup_months: int
    written_up_by: str
    """``manager`` or ``employee``."""
    writer: str
    """Who writes up, in words: ``lederen`` / ``medarbejderen``, ``the manager`` / ``the employee``."""
    company_name: str | None
    """The company the template names, if it names one (it wins over the context's: see :func:`company_of`)."""


@dataclass(frozen=True)
class RoleWords:
    """Words that follow the reader (``you`` in a template text): the employee's form speaks to the employee,
    every other text (the manager's form, a text read by no one role) speaks of the employee."""

    is_employee: bool
    subject: str
    """``du`` / ``medarbejderen``; ``you`` / ``the employee``."""
    object: str
    """``dig`` / ``medarbejderen``; ``you`` / ``the employee``."""
    your: str
    """``din`` / ``medarbejderens``; ``your`` / ``the employee's``."""
    your_neuter: str
    """``dit`` / ``medarbejderens`` (Danish neuter nouns); as ``your`` in English."""
    your_plural: str
    """``dine`` / ``medarbejderens``; as ``your`` in English."""


_ROLE_WORDS = {
    ("da", True): RoleWords(True, "du", "dig", "din", "dit", "dine"),
    ("da", False): RoleWords(
        False, "medarbejderen", "medarbejderen", "medarbejderens", "medarbejderens", "medarbejderens"
    ),
    ("en", True): RoleWords(True, "you", "you", "your", "your", "your"),
    ("en", False): RoleWords(
        False, "the employee", "the employee", "the employee's", "the employee's", "the employee's"
    ),
}


def role_words(role: Role | None, language: str) -> RoleWords:
    """The words of ``you`` for a reader in ``role`` (None: a text no one role reads)."""
    return _ROLE_WORDS[("en" if language == "en" else "da", role == "employee")]


def company_of(template: Template | None, context: Context | None) -> Company | None:
    """The one company a form names, in its header and in its texts: the template's name when it gives one, else
    the context's company (the context's situation and plans are kept either way)."""
    named = template.company.name if template is not None and template.company else None
    return named_company(named, context.company if context is not None else None)


def company_name(template: Template | None, context: Context | None) -> str:
    """The name of the company a form is from (:func:`company_of`), empty when neither names one."""
    company = company_of(template, context)
    return company.name if company is not None else ""


def named_company(named: str | None, found: Company | None) -> Company | None:
    """The company ``found`` in the context under the template's name ``named`` (see :func:`company_of`)."""
    if not named:
        return found
    if found is None:
        return Company(name=named)
    return found if found.name == named else found.model_copy(update={"name": named})


def _lang(language: str) -> str:
    return "en" if language == "en" else "da"


def _in_words(number: int, language: str) -> str:
    names = _NUMBERS[_lang(language)]
    return names[number] if 0 <= number < len(names) else str(number)


def _unit(language: str) -> str:
    return "min" if language == "en" else "min."


def duration_in_words(minutes: int, language: str) -> str:
    """``minutes`` as a reader says it: ``ca. 1 time``, ``ca. 1 time og 10 min.``, ``ca. 55 min.``."""
    if minutes <= 0:
        return ""
    hours, rest = divmod(minutes, 60)
    if language == "en":
        head = f"{hours} hour" + ("s" if hours > 1 else "") if hours else ""
        tail = f"{rest} min" if rest else ""
        return "about " + " and ".join(p for p in (head, tail) if p)
    head = f"{hours} time" + ("r" if hours > 1 else "") if hours else ""
    tail = f"{rest} min." if rest else ""
    return "ca. " + " og ".join(p for p in (head, tail) if p)


def _title(source: str) -> str:
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", "", source, flags=re.S) if "{" in source else source
    return " ".join(text.split())


def _in_sentence(title: str, language: str) -> str:
    """A title as it stands inside a sentence: its first letter small unless the first word is an acronym (or
    the English "I")."""
    first = title.split(" ", 1)[0]
    if (len(first) > 1 and first.isupper()) or (language == "en" and first == "I"):
        return title
    return title[:1].lower() + title[1:]


def _listed(items: list[str], language: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    joint = " and " if language == "en" else " og "
    return ", ".join(items[:-1]) + joint + items[-1]


def _scale_facts(scale: Scale, language: str) -> ScaleFacts:
    points = tuple(ScalePointFacts(p.value, p.label) for p in scale.points)
    low, high = points[0], points[-1]
    words = ("from", "to") if language == "en" else ("fra", "til")
    low_text = f"{low.value} ({_in_sentence(low.label, language)})"
    high_text = f"{high.value} ({_in_sentence(high.label, language)})"
    text = f"{words[0]} {low_text} {words[1]} {high_text}"
    return ScaleFacts(points, low, high, text)


@lru_cache(maxsize=256)
def form_facts(template: Template) -> FormFacts:
    """What ``template``'s texts may say about its form (worked out once per template)."""
    language = template.language
    parts = tuple(
        FormPart(number, s.id, _title(s.title), s.minutes)
        for number, s in enumerate((s for s in template.sections if s.minutes), start=1)
        if s.minutes
    )
    ratings = [f for _s, f in template.iter_fields() if isinstance(f, RatingField)]
    offered = sum(1 for f in ratings if f.not_relevant)
    not_relevant: NotRelevant = "none" if offered == 0 else "all" if offered == len(ratings) else "some"
    used = [f.scale for f in ratings if f.scale in template.scales]
    scale = template.scales[max(used, key=used.count)] if used else None
    label = (scale.not_relevant_label if scale else None) or _NOT_RELEVANT[_lang(language)]
    return _facts(
        parts,
        language,
        scale=_scale_facts(scale, language) if scale else None,
        not_relevant=not_relevant,
        not_relevant_label=label,
        followup_months=template.followup_months,
        written_up_by=template.written_up_by,
        company_name=template.company.name if template.company else None,
    )


def _facts(
    parts: tuple[FormPart, ...],
    language: str,
    *,
    scale: ScaleFacts | None,
    not_relevant: NotRelevant,
    not_relevant_label: str,
    followup_months: int,
    written_up_by: str,
    company_name: str | None,
) -> FormFacts:
    count = len(parts)
    noun = ("part" if count == 1 else "parts") if language == "en" else ("del" if count == 1 else "dele")
    minutes = sum(p.minutes for p in parts)
    unit = _unit(language)
    return FormFacts(
        parts=parts,
        part_count=count,
        parts_in_words=f"{_in_words(count, language)} {noun}",
        parts_text=_listed([f"{_in_sentence(p.title, language)} ({p.minutes} {unit})" for p in parts], language),
        minutes=minutes,
        duration=duration_in_words(minutes, language),
        scale=scale,
        not_relevant=not_relevant,
        not_relevant_label=not_relevant_label,
        followup_months=followup_months,
        written_up_by=written_up_by,
        writer=_WRITER[_lang(language)][written_up_by],
        company_name=company_name,
    )


@lru_cache(maxsize=4)
def sample_facts(language: str) -> FormFacts:
    """Facts of a typical form (five parts, a five-point scale, "not relevant" for some items), with which a
    template text is checked before the template it belongs to is complete."""
    da = language != "en"
    titles = (
        ("Indledning", "Fortid", "Nutid og fremtid", "Samarbejde og trivsel", "Afslutning")
        if da
        else ("Introduction", "Past", "Present and future", "Collaboration and well-being", "Closing")
    )
    parts = tuple(
        FormPart(n, f"part{n}", title, minutes)
        for n, (title, minutes) in enumerate(zip(titles, (5, 10, 30, 10, 5), strict=True), start=1)
    )
    scale = Scale.model_validate(
        {"points": [{"value": v, "label": str(v)} for v in range(1, 6)]},
    )
    return _facts(
        parts,
        "da" if da else "en",
        scale=_scale_facts(scale, language),
        not_relevant="some",
        not_relevant_label=_NOT_RELEVANT["da" if da else "en"],
        followup_months=6,
        written_up_by="manager",
        company_name=None,
    )
