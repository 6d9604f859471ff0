"""What collect gathers: every file with its form or why it was not read, and the figures the summary reports."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from musforms._loading.store import TemplateLookup
from musforms._model.fields import ChoiceField, RatingField
from musforms._model.filled import FilledForm
from musforms._model.template import Template
from musforms._model.values import AgreementRow
from musforms._text.readable import readable_label
from musforms._workflows.compare import Comparison, compare
from musforms._workflows.copies import CopyStatus, judge_copies
from musforms.errors import MusformsError

__all__ = ["AGREEMENT_SOURCES", "CollectedFile", "Collection", "department_of"]

AGREEMENT_SOURCES = {
    "followup": "follow-up",
    "plan": "development plan",
    "manager": "manager's preparation form",
    "employee": "employee's preparation form",
}
"""The documents whose agreements count, in the order they are looked for (per employee, the first that holds
any), with the name the summary gives each. The talk form is a paper for the talk itself and is not read:
what is agreed in the talk is written in the manager's form and in the plan."""


@dataclass
class CollectedFile:
    """One file: the form read from it, or why it could not be read."""

    path: str
    form: FilledForm | None = None
    error: str | None = None
    error_code: str | None = None
    skipped: str | None = None
    """Why a musforms document that is not a form (an invitation letter, a talk form) was passed over."""
    copy: CopyStatus | None = None
    """For a form that has other copies in the collection (the same form id, or the same employee, role and
    template, as a pack in .docx and .xlsx has): ``kept`` (the copy counted; the others hold nothing more),
    ``blank`` (nothing written in it), ``contained`` (all it holds is in another copy too) or ``conflict``
    (filled differently from another copy: every such copy is kept and reported). None: the only copy."""
    copies: tuple[str, ...] = ()
    """The paths of the other copies of the same form."""
    used: bool = True
    """Whether the summary's figures (comparisons, agreements, ratings, needs) use this form: each form
    counts once, through one of its copies."""
    differs: tuple[str, ...] = ()
    """For a copy in conflict: the fields whose answers differ from the other copy."""

    @property
    def status(self) -> Literal["read", "skipped", "unread"]:
        """``read`` (a form), ``skipped`` (a musforms document that is not a form) or ``unread`` (an error)."""
        if self.form is not None:
            return "read"
        return "skipped" if self.skipped is not None else "unread"


@dataclass
class Collection:
    """Every file collected, grouped by employee and role, with what the summary reports."""

    files: list[CollectedFile] = field(default_factory=list)
    today: dt.date = field(default_factory=dt.date.today)
    templates: dict[str, Template] = field(default_factory=dict)
    """The templates of the forms, by id."""
    given: TemplateLookup | None = None
    """The templates given to collect, every version: a form is compared with the one of its own version."""

    def kind(self, form: FilledForm) -> str:
        """What a form is: ``employee`` or ``manager`` (preparation), ``plan`` or ``followup``."""
        template = self.templates.get(form.template_id)
        if template is not None and template.purpose != "preparation":
            return template.purpose
        return form.role

    def judge_copies(self) -> None:
        """Find the copies of each form and say which one counts (see :attr:`CollectedFile.copy`)."""
        verdicts = judge_copies([f.form for f in self.files], self.templates)
        for file, verdict in zip(self.files, verdicts, strict=True):
            if verdict is None:
                file.copy, file.copies, file.used, file.differs = None, (), True, ()
            else:
                file.copy, file.used, file.differs = verdict.status, verdict.used, verdict.differs
                file.copies = tuple(self.files[i].path for i in verdict.others)

    @property
    def unread(self) -> list[CollectedFile]:
        """The files that could not be read (and were not documents musforms made that are not forms)."""
        return [f for f in self.files if f.error is not None]

    @property
    def forms(self) -> list[FilledForm]:
        """The forms that could be read (every copy)."""
        return [f.form for f in self.files if f.form is not None]

    @property
    def used(self) -> list[CollectedFile]:
        """The files whose forms the figures use: each form once (see :attr:`CollectedFile.copy`)."""
        return [f for f in self.files if f.form is not None and f.used]

    @property
    def conflicts(self) -> list[CollectedFile]:
        """The copies filled differently from another copy of the same form; all of them are kept."""
        return [f for f in self.files if f.copy == "conflict"]

    def _by_employee(self) -> dict[str, dict[str, list[CollectedFile]]]:
        grouped: dict[str, dict[str, list[CollectedFile]]] = defaultdict(lambda: defaultdict(list))
        for file in self.used:
            assert file.form is not None
            grouped[file.form.subject_id or "-"][self.kind(file.form)].append(file)
        return {k: dict(v) for k, v in sorted(grouped.items())}

    def by_employee(self) -> dict[str, dict[str, list[FilledForm]]]:
        """Forms by employee id, then by kind (``employee``/``manager`` preparation, ``plan``, ``followup``);
        of several copies of one form, the one used (see :attr:`used`)."""
        return {
            employee_id: {kind: [f.form for f in files if f.form] for kind, files in kinds.items()}
            for employee_id, kinds in self._by_employee().items()
        }

    def comparisons(self, templates: dict[str, Template] | None = None) -> dict[str, Comparison]:
        """For each employee with both preparation forms of one template: the comparison."""
        return dict(self.iter_comparisons(templates))

    def iter_comparisons(self, templates: dict[str, Template] | None = None) -> Iterator[tuple[str, Comparison]]:
        """The comparisons one employee at a time (see :meth:`comparisons`)."""
        for employee_id, kinds in self.by_employee().items():
            employee_forms, manager_forms = kinds.get("employee", []), kinds.get("manager", [])
            if employee_forms and manager_forms:
                try:
                    template = (templates or {}).get(employee_forms[-1].template_id)
                    if template is not None and template.fingerprint != employee_forms[-1].fingerprint:
                        template = None  # the forms are of another version: found among those given
                    yield (
                        employee_id,
                        compare(employee_forms[-1], manager_forms[-1], template=template, templates=self.given),
                    )
                except MusformsError:
                    continue

    def agreements(self) -> list[dict[str, Any]]:
        """Every agreement of every employee, with the document it comes from and whether it is overdue: its
        deadline has passed and it is not done or dropped. Per employee, the agreements of one document
        count: the first that holds any of the follow-up, the development plan, the manager's and the
        employee's preparation form (see :data:`AGREEMENT_SOURCES`); every agreements table of it."""
        return list(self.iter_agreements())

    def iter_agreements(self) -> Iterator[dict[str, Any]]:
        """The agreements one at a time (see :meth:`agreements`)."""
        for employee_id, kinds in self._by_employee().items():
            for kind in AGREEMENT_SOURCES:
                holding = [f for f in kinds.get(kind, []) if f.form is not None and _agreement_tables(f.form)]
                if holding:
                    yield from self._agreement_rows(employee_id, holding[-1], kind)
                    break

    def _agreement_rows(self, employee_id: str, file: CollectedFile, kind: str) -> Iterator[dict[str, Any]]:
        assert file.form is not None
        for field_id, rows in _agreement_tables(file.form):
            for row in rows:
                overdue = bool(row.deadline and row.deadline < self.today and row.status not in ("done", "dropped"))
                yield {
                    "employee_id": employee_id,
                    "department": department_of(file.form),
                    "source": AGREEMENT_SOURCES[kind],
                    "action": row.action,
                    "owner": row.owner,
                    "deadline": row.deadline.isoformat() if row.deadline else None,
                    "method": row.method,
                    "status": row.status,
                    "comment": row.comment,
                    "overdue": overdue,
                    "field_id": field_id,
                    "file": file.path,
                }

    def department_ratings(self, templates: dict[str, Template]) -> list[dict[str, Any]]:
        """Per department and rated item: the average and spread of the employees' and the managers' ratings.

        A row is about many people, so its label names no one: the label's Jinja shows each value of the context
        as "…" (see :func:`musforms._text.readable.readable_label`)."""
        values: dict[tuple[str, str, str, str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for file in self.used:
            form = file.form
            assert form is not None
            template = templates.get(form.template_id)
            if template is None or self.kind(form) not in ("employee", "manager"):
                continue
            for _section, f in template.iter_fields():
                answer = form.answers.get(f.id)
                if isinstance(f, RatingField) and isinstance(answer, int):
                    label = readable_label(f.label, None, template.language)
                    values[(department_of(form), template.id, f.id, label)][form.role].append(answer)
        rows = []
        for (department, template_id, field_id, label), by_role in sorted(values.items()):
            row: dict[str, Any] = {
                "department": department,
                "template_id": template_id,
                "field_id": field_id,
                "label": label,
            }
            for role in ("employee", "manager"):
                numbers = by_role.get(role, [])
                row[f"{role}_n"] = len(numbers)
                row[f"{role}_average"] = round(statistics.fmean(numbers), 2) if numbers else None
                row[f"{role}_spread"] = round(statistics.pstdev(numbers), 2) if len(numbers) > 1 else None
            rows.append(row)
        return rows

    def development_needs(self, templates: dict[str, Template]) -> list[dict[str, Any]]:
        """Per department: how often each way of developing competences was chosen, and the needs written."""
        return list(self.iter_development_needs(templates))

    def iter_development_needs(self, templates: dict[str, Template]) -> Iterator[dict[str, Any]]:
        """The development needs one at a time (see :meth:`development_needs`)."""
        for file in self.used:
            form = file.form
            assert form is not None
            template = templates.get(form.template_id)
            if template is None:
                continue
            for _section, f in template.iter_fields():
                answer = form.answers.get(f.id)
                base = {"department": department_of(form), "employee_id": form.subject_id, "role": form.role}
                if isinstance(f, ChoiceField) and f.multiple and isinstance(answer, list):
                    labels = {o.id: o.label for o in f.options}
                    for choice in (c for c in answer if isinstance(c, str)):
                        yield {**base, "field_id": f.id, "need": labels.get(choice, choice)}
                elif f.id in ("development_needs", "development_areas") and isinstance(answer, str):
                    yield {**base, "field_id": f.id, "need": answer}

    def issues(self) -> list[dict[str, Any]]:
        """Every issue of every form, every file that could not be read, and every copy in conflict."""
        return list(self.iter_issues())

    def iter_issues(self) -> Iterator[dict[str, Any]]:
        """The issues one at a time (see :meth:`issues`)."""
        for file in self.files:
            if file.skipped is not None:
                continue
            if file.error is not None:
                yield _issue(file.path, file.error_code, "error", file.error)
                continue
            assert file.form is not None
            if file.copy == "conflict":
                yield _issue(file.path, "collect.conflict", "error", _conflict_message(file))
            for issue in file.form.issues:
                yield {
                    "file": file.path,
                    "code": issue.code,
                    "severity": issue.severity,
                    "field_id": issue.field_id,
                    "where": issue.location.where if issue.location else None,
                    "message": issue.message,
                    "raw": issue.raw,
                }


def _issue(path: str, code: str | None, severity: str, message: str) -> dict[str, Any]:
    return {
        "file": path,
        "code": code,
        "severity": severity,
        "field_id": None,
        "where": None,
        "message": message,
        "raw": None,
    }


def _conflict_message(file: CollectedFile) -> str:
    others = ", ".join(file.copies)
    fields = f" (answers differ in {', '.join(file.differs)})" if file.differs else ""
    use = "the summary's figures use this copy" if file.used else "the summary's figures use another copy"
    return f"filled differently from another copy of the same form: {others}{fields}; both are kept, {use}"


def _agreement_tables(form: FilledForm) -> list[tuple[str, list[AgreementRow]]]:
    """The agreements tables of a form that hold rows, by field id."""
    return [
        (field_id, value)
        for field_id, value in form.answers.items()
        if isinstance(value, list) and value and isinstance(value[0], AgreementRow)
    ]


def department_of(form: FilledForm) -> str:
    """The department of the employee a form is about (``-`` when not known)."""
    context = getattr(form, "context", None)
    department = context.employee.department if context is not None else None
    return department or "-"
