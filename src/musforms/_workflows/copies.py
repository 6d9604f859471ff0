"""Several copies of one form in a collection: which copy the summary counts, which are blank, which conflict.

Copies of one form are forms with the same form id, or about the same employee in the same role from the same
template (a pack built as .docx and .xlsx holds two copies of each form). What a copy holds is its answers,
less the empty ones and less what musforms wrote into it when it was made and can tell again from the form
itself (last year's agreements carried over into the status table, a plan's dates). Then:

- a copy that holds nothing is **blank**;
- a copy whose every answer is in another copy too is **contained** (an agreement row or a signature that the
  other copy completes counts as in it);
- of the rest, one copy is **kept**; two or more are in **conflict**: each holds something the others lack.
  All of them are kept and reported; the summary's figures use the one with the most answers (the first in
  path order among equals).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from musforms._model.filled import FilledForm
from musforms._model.template import Template
from musforms._model.values import AgreementRow
from musforms._workflows.carryover import carry_over
from musforms._workflows.plan import plan_answers
from musforms.errors import MusformsError

__all__ = ["CopyStatus", "CopyVerdict", "judge_copies", "written"]

CopyStatus = Literal["kept", "blank", "contained", "conflict"]
"""What a copy of a form that has other copies is: see the module's description."""


@dataclass(frozen=True)
class CopyVerdict:
    """The verdict on one copy of a form that has other copies in the collection."""

    status: CopyStatus
    used: bool
    """Whether the summary's figures use this copy (one copy of each form)."""
    others: tuple[int, ...]
    """The indexes of the other copies of the same form."""
    differs: tuple[str, ...] = ()
    """For a copy in conflict: the field ids whose answers differ from another copy in conflict."""


def judge_copies(forms: Sequence[FilledForm | None], templates: Mapping[str, Template]) -> list[CopyVerdict | None]:
    """A verdict for each form that has other copies among ``forms`` (None for the others, and for None)."""
    verdicts: list[CopyVerdict | None] = [None] * len(forms)
    for group in _groups(forms):
        contents = {i: written(form, templates.get(form.template_id)) for i in group if (form := forms[i])}
        for i, verdict in _judge(group, contents).items():
            verdicts[i] = verdict
    return verdicts


def _groups(forms: Sequence[FilledForm | None]) -> list[list[int]]:
    """The indexes of the forms that are copies of one another, in groups of two or more, in index order."""
    parent = list(range(len(forms)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[str, ...], int] = {}
    for i, form in enumerate(forms):
        if form is None:
            continue
        keys: list[tuple[str, ...]] = [("id", form.form_id)]
        if form.subject_id:
            keys.append(("who", form.subject_id, form.role, form.template_id))
        for key in keys:
            if key in first:
                parent[root(i)] = root(first[key])
            else:
                first[key] = i
    members: dict[int, list[int]] = {}
    for i, form in enumerate(forms):
        if form is not None:
            members.setdefault(root(i), []).append(i)
    return [group for group in members.values() if len(group) > 1]


def _judge(group: list[int], contents: dict[int, dict[str, Any]]) -> dict[int, CopyVerdict]:
    def beaten(i: int) -> bool:
        """Whether another copy holds all that ``i`` holds (and more, or the same and comes first)."""
        return any(
            _holds(contents[j], contents[i]) and (j < i or not _holds(contents[i], contents[j]))
            for j in group
            if j != i
        )

    standing = [i for i in group if not beaten(i)]
    used = max(standing, key=lambda i: (len(contents[i]), -i))
    verdicts: dict[int, CopyVerdict] = {}
    for i in group:
        others = tuple(j for j in group if j != i)
        if i in standing and len(standing) > 1:
            differs = sorted({f for j in standing if j != i for f in _differences(contents[i], contents[j])})
            verdicts[i] = CopyVerdict("conflict", i == used, others, tuple(differs))
        elif i in standing:
            verdicts[i] = CopyVerdict("kept", True, others)
        else:
            verdicts[i] = CopyVerdict("blank" if not contents[i] else "contained", False, others)
    return verdicts


def written(form: FilledForm, template: Template | None) -> dict[str, Any]:
    """What a person wrote into a form: its answers less the empty ones and less what musforms prefilled and
    can tell again from the form (needs the form's template; without it only the empty answers are left out)."""
    prefilled = _prefilled(form, template) if template is not None else {}
    return {
        field_id: value
        for field_id, value in form.answers.items()
        if not _empty(value) and not (field_id in prefilled and _same(prefilled[field_id], value))
    }


def _prefilled(form: FilledForm, template: Template) -> dict[str, Any]:
    """What musforms wrote into a form of ``template`` made for the form's context: last year's agreements in
    the status table, and a plan's dates (counted from the meeting)."""
    context = form.context
    if context is None or template.fingerprint != form.fingerprint:
        return {}
    previous = [row.model_dump(exclude_none=True) for row in context.previous_agreements]
    try:
        _context, carried = carry_over(template, context, previous)
        found: dict[str, Any] = dict(carried or {})
        if template.purpose == "plan" and context.meeting is not None and context.meeting.start is not None:
            found.update(plan_answers(template, context))
    except MusformsError:  # what cannot be prefilled again was not prefilled
        return {}
    return found


def _empty(value: Any) -> bool:
    return value is None or value is False or value == "" or value == []


def _same(prefilled: Any, value: Any) -> bool:
    """Whether a parsed answer is what was prefilled (agreement rows are prefilled as mappings)."""
    if isinstance(prefilled, list) and isinstance(value, list) and len(prefilled) == len(value):
        return all(
            _plain(AgreementRow.model_validate(p) if isinstance(p, dict) else p) == _plain(v)
            for p, v in zip(prefilled, value, strict=True)
        )
    return bool(prefilled == value)


def _plain(value: Any) -> Any:
    """A model as the mapping of its set values; anything else as it is."""
    if isinstance(value, BaseModel):
        return {k: v for k, v in value.model_dump().items() if v is not None}
    return value


def _in(small: Any, large: Any) -> bool:
    """Whether answer ``small`` is in answer ``large``: equal, or a row or signature that ``large``
    completes (every value ``small`` has, ``large`` has too), row by row for a list of rows."""
    if small == large:
        return True
    if isinstance(small, BaseModel) and isinstance(large, BaseModel) and type(small) is type(large):
        big = _plain(large)
        return all(big.get(k) == v for k, v in _plain(small).items())
    if isinstance(small, list) and isinstance(large, list) and len(small) <= len(large):
        return all(isinstance(s, BaseModel) and _in(s, b) for s, b in zip(small, large, strict=False))
    return False


def _holds(large: dict[str, Any], small: dict[str, Any]) -> bool:
    """Whether copy contents ``large`` hold every answer of ``small``."""
    return all(field_id in large and _in(value, large[field_id]) for field_id, value in small.items())


def _differences(a: dict[str, Any], b: dict[str, Any]) -> set[str]:
    return {f for f in a.keys() | b.keys() if a.get(f) != b.get(f)}
