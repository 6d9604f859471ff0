"""A template text as a person reads it outside the form itself (a comparison, the talk form, a summary): its
Jinja rendered with the form's context, or, where no one person's context belongs, with the context's values
shown as "…"; never the raw ``{{ … }}``."""

from __future__ import annotations

import re
from functools import lru_cache

from musforms._model.context import Company, Context, Person
from musforms._model.fields import Role
from musforms._model.labels import plain_label
from musforms._text.form_facts import FormFacts
from musforms._text.sandbox import current_scope, render_text
from musforms.errors import TextRenderError

__all__ = ["NEUTRAL", "readable_label"]

NEUTRAL = "…"
"""What a value of the context is shown as when a text is read without a person's context."""

_MARK = "\ue000"
"""A private-use character standing for every value of the neutral context (no filter changes it)."""

_NEUTRAL_CONTEXT = Context(
    employee=Person(id=_MARK, name=_MARK, email=_MARK, job_title=_MARK, department=_MARK),
    manager=Person(id=_MARK, name=_MARK, email=_MARK, job_title=_MARK, department=_MARK),
    company=Company(name=_MARK, situation=_MARK, plans=_MARK),
)
"""A context with every person and the company, whose every text is the mark (no meeting, no agreements)."""


def readable_label(source: str | None, context: Context | None, language: str = "da") -> str:
    """A template text (a label, a title) as one line a person reads: its Jinja rendered with ``context``.

    With ``context`` None (a column heading shared by the forms of many people, or a form that stored no
    context), the text is rendered with a neutral context whose every value shows as "…"
    (``Hvordan vurderer {{ employee.first_name }} sit arbejde?`` gives ``Hvordan vurderer … sit arbejde?``), so
    that it names no one. A text that cannot be rendered with the context given is read as with no context; a
    text that cannot be rendered even so shows each of its expressions as "…" and leaves its tags out. White
    space is folded, and no ``{{`` or ``{%`` of the text is left.
    """
    if not source:
        return ""
    if "{" not in source:
        return " ".join(source.split())
    if context is not None:
        try:
            return " ".join(render_text(source, context, language).split())
        except TextRenderError:
            pass
    return _neutral(source, language, *current_scope())


@lru_cache(maxsize=1024)
def _neutral(source: str, language: str, role: Role | None, form: FormFacts | None) -> str:
    """The text with the neutral context, for the reader and the form of the enclosing text scope (part of the
    cache's key: the same label reads "din" in the employee's form and "medarbejderens" elsewhere)."""
    try:
        text = render_text(source, _NEUTRAL_CONTEXT, language, role=role, form=form)
    except TextRenderError:
        text = re.sub(r"<[^<>]*>", _MARK, plain_label(source))
    return " ".join(re.sub(f"{_MARK}+", NEUTRAL, text).split())
