"""The employee's and the manager's preparation side by side: ratings with their gaps, and open answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from musforms._core.package import known_template
from musforms._loading.store import GivenTemplates, given_versions, matching_template, template_lookup
from musforms._model.fields import RatingField, TextField
from musforms._model.filled import Answer, FilledForm
from musforms._model.template import Template
from musforms._model.values import NOT_RELEVANT
from musforms._text.readable import readable_label
from musforms.errors import ComparisonError

__all__ = ["Comparison", "OpenAnswers", "RatingPair", "compare"]

GAP_TO_TALK_ABOUT = 2
"""Ratings this many points apart (or more) are the ones the talk should take up."""


@dataclass(frozen=True)
class RatingPair:
    """One rated item: both ratings and the gap between them."""

    field_id: str
    label: str
    """The field's label as the employee's form shows it (its Jinja rendered with the forms' context)."""
    section_id: str
    employee: int | str | None
    manager: int | str | None

    @property
    def gap(self) -> int | None:
        """The manager's rating minus the employee's, when both gave a point on the scale."""
        if isinstance(self.employee, int) and isinstance(self.manager, int):
            return self.manager - self.employee
        return None

    @property
    def not_relevant(self) -> bool:
        """Whether one side said "not relevant"."""
        return NOT_RELEVANT in (self.employee, self.manager)

    @property
    def flagged(self) -> bool:
        """Whether the talk should take this item up: a gap of two points or more, or "not relevant" on one
        side only."""
        if self.gap is not None:
            return abs(self.gap) >= GAP_TO_TALK_ABOUT
        return self.not_relevant and self.employee != self.manager


@dataclass(frozen=True)
class OpenAnswers:
    """An open question with both answers."""

    field_id: str
    label: str
    """The field's label as the employee's form shows it (its Jinja rendered with the forms' context)."""
    section_id: str
    employee: str | None
    manager: str | None


@dataclass
class Comparison:
    """Both preparations of one employee's talk, item by item."""

    template: Template
    subject_id: str | None
    employee_form: FilledForm
    manager_form: FilledForm
    ratings: list[RatingPair] = field(default_factory=list)
    open_answers: list[OpenAnswers] = field(default_factory=list)

    @property
    def flagged(self) -> list[RatingPair]:
        """The items to take up in the talk (see :attr:`RatingPair.flagged`)."""
        return [pair for pair in self.ratings if pair.flagged]

    def to_dict(self) -> dict[str, Any]:
        """The comparison as plain data (for JSON)."""
        return {
            "template_id": self.template.id,
            "subject_id": self.subject_id,
            "ratings": [
                {
                    "field_id": p.field_id,
                    "label": p.label,
                    "section_id": p.section_id,
                    "employee": p.employee,
                    "manager": p.manager,
                    "gap": p.gap,
                    "flagged": p.flagged,
                }
                for p in self.ratings
            ],
            "open_answers": [a.__dict__ for a in self.open_answers],
        }


def compare(
    employee_form: FilledForm,
    manager_form: FilledForm,
    *,
    template: Template | None = None,
    templates: GivenTemplates = None,
) -> Comparison:
    """Put the employee's and the manager's preparation of one talk side by side.

    Refuses, with a clear error, two forms of different employees, of different templates (or versions),
    or not one of each role. ``template`` is found from the forms when not given: among ``templates`` (as
    :func:`musforms.parse` takes them: the one of the forms' id, version and fingerprint), else a built-in one,
    or the template the forms carried when they were parsed.
    """
    if {employee_form.role, manager_form.role} != {"employee", "manager"}:
        raise ComparisonError(
            f"compare needs the employee's and the manager's form; got {employee_form.role} and {manager_form.role}"
        )
    if employee_form.role == "manager":
        employee_form, manager_form = manager_form, employee_form
    if employee_form.subject_id != manager_form.subject_id:
        raise ComparisonError(
            f"the forms are about different employees: {employee_form.subject_id!r} (employee's form) and "
            f"{manager_form.subject_id!r} (manager's form)"
        )
    if (employee_form.template_id, employee_form.fingerprint) != (manager_form.template_id, manager_form.fingerprint):
        raise ComparisonError(
            f"the forms were made from different templates: {employee_form.template_id} "
            f"{employee_form.template_version} ({employee_form.fingerprint}) and {manager_form.template_id} "
            f"{manager_form.template_version} ({manager_form.fingerprint})"
        )
    # A form's template id is data, never a path to open: only a built-in, or the template a form read here
    # carried (checked against its fingerprint then), is found by it.
    lookup = template_lookup(templates) if template is None else None
    identity = employee_form.identity
    given = (
        matching_template(lookup, identity.template_id, identity.template_version, identity.fingerprint)
        if lookup is not None
        else None
    )
    resolved = template or given or known_template(identity)
    versions = given_versions(lookup, identity.template_id) if resolved is None and lookup is not None else ()
    if versions:
        raise ComparisonError(
            f"the forms were made from {identity.template_id} version {identity.template_version} "
            f"({identity.fingerprint}), which is not among the templates given (versions {', '.join(versions)})"
        )
    if resolved is None:
        raise ComparisonError(
            f"the forms were made from template {employee_form.template_id!r}, which is not a built-in template; "
            "give it with template=... or templates=..."
        )
    if resolved.fingerprint != employee_form.fingerprint:
        raise ComparisonError(
            f"the template given is {resolved.id} {resolved.version} ({resolved.fingerprint}), but the forms were "
            f"made from {employee_form.template_id} {employee_form.template_version} ({employee_form.fingerprint})"
        )
    result = Comparison(resolved, employee_form.subject_id, employee_form, manager_form)
    context = employee_form.context or manager_form.context
    for section, f in resolved.iter_fields():
        if isinstance(f, RatingField) and (f.answered_by("employee") or f.answered_by("manager")):
            result.ratings.append(
                RatingPair(
                    f.id,
                    readable_label(f.label, context, resolved.language),
                    section.id,
                    _rating(employee_form.answers.get(f.id)),
                    _rating(manager_form.answers.get(f.id)),
                )
            )
        elif isinstance(f, TextField) and f.answered_by("employee") and f.answered_by("manager"):
            result.open_answers.append(
                OpenAnswers(
                    f.id,
                    readable_label(f.label, context, resolved.language),
                    section.id,
                    _text(employee_form.answers.get(f.id)),
                    _text(manager_form.answers.get(f.id)),
                )
            )
    return result


def _rating(value: Answer) -> int | str | None:
    """A rating answer: a point of the scale or "not_relevant" (``None`` when empty)."""
    return value if isinstance(value, int | str) and not isinstance(value, bool) else None


def _text(value: Answer) -> str | None:
    """A text answer (``None`` when empty)."""
    return value if isinstance(value, str) else None
