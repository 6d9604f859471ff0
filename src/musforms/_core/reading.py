"""What a format found in a form's inputs turned into answers and issues, the same way for every format.

A format's reader finds each input (:func:`musforms._core.binding.anchors`) and hands over its raw content:
the text found in it, or whether its box is ticked. :func:`answers_and_issues` reads that content as the
input's kind wants it (a tick written as text, a pick list standing for tick boxes), decodes each field with
:func:`musforms._core.codec.decode`, and reports a field whose inputs are gone, a value that does not fit, and
a required field left empty: in the form's language (:mod:`musforms._core.issue_text`), with the field's label
as the form printed it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from musforms._core.binding import Anchor, InputSpec, input_name
from musforms._core.codec import decode
from musforms._core.issue_text import MessageKind, issue_label, issue_message
from musforms._model.context import Context
from musforms._model.fields import FormField, Role
from musforms._model.filled import Issue, Location
from musforms._model.template import Template

__all__ = ["TICKED", "UNTICKED", "Found", "Remark", "answers_and_issues", "read_input"]

TICKED = frozenset({"x", "✓", "✔", "☒", "☑", "1", "true", "ja", "j", "yes", "y", "sand"})
"""What a tick box written as text may hold to count as ticked (compared folded)."""
UNTICKED = frozenset({"", "0", "false", "nej", "n", "no", "falsk", "-", "☐"})
"""What it may hold to count as not ticked."""


@dataclass(frozen=True)
class Remark:
    """Something a format noticed in one input beside its value (the value itself was read)."""

    input: str
    """The input's name."""
    code: str
    message: str
    """In the form's language (:func:`musforms._core.issue_text.issue_message`)."""
    raw: str
    unread: bool = False
    """Whether the input's value was left unread because of what the remark says (two different values sent
    for it): the field is then not also reported as a required field left empty."""


@dataclass
class Found:
    """What a format's reader found in a form: each input's raw content, and what lies outside the inputs."""

    values: dict[str, str | bool]
    """By input name: the text found in the input, or whether its box is ticked. An input found empty may be
    left out; an input not found is in ``missing``."""
    missing: set[str]
    """The names of the inputs not found in the file."""
    locate: Callable[[str], Location | None]
    """Where the input of a name is, for an issue about it."""
    term: Literal["input", "answer cell"]
    """What the format calls an input: an input of a Word form, an answer cell of a workbook."""
    part: str
    """The part of the file a missing input is reported in."""
    remarks: list[Remark] = field(default_factory=list)
    """What the reader noticed beside the values, in the order found."""
    outside: list[Issue] = field(default_factory=list)
    """Issues about what lies outside the inputs (text the form did not print)."""


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def read_input(spec: InputSpec, raw: str | bool, language: str = "da") -> tuple[dict[str, str | bool], str | None]:
    """What one input's raw content means for :func:`~musforms._core.codec.decode`, by the field's input part,
    and a problem the input alone shows, said in ``language`` (then nothing was read from it)."""
    kind = spec.kind
    if isinstance(raw, bool) or kind not in ("tick", "one_of"):
        return {spec.part: raw}, None
    folded = _norm(raw)
    if kind == "tick":
        if folded in TICKED:
            return {spec.part: True}, None
        if folded in UNTICKED:
            return {spec.part: False}, None
        return {}, issue_message("value.invalid.tick", language)
    for part, shown in spec.choices + spec.also:
        if _norm(shown) == folded:
            return {part: True}, None
    allowed = ", ".join(shown for _part, shown in spec.choices)
    options = any(part.startswith("o") for part, _shown in spec.choices)  # a choice's options, else a scale's points
    return {}, issue_message("value.invalid.option" if options else "value.invalid.point", language, allowed=allowed)


def answers_and_issues(
    template: Template, role: Role, inputs: Mapping[str, Anchor], found: Found, context: Context | None = None
) -> tuple[dict[str, Any], list[Issue]]:
    """The answer of every field ``role`` answers, and the issues found in the fields.

    For each field, in form order: the problems of its inputs, the problems of its value, the reader's
    remarks, and a warning when it is required but empty (unless its value had a problem). Messages are in the
    template's language; an issue's label is the field's label rendered with the form's ``context``
    (:func:`~musforms._core.issue_text.issue_label`). An issue about several inputs whose text is in no answer
    (an agreement row left out) keeps each input's text by input name (:attr:`Issue.inputs`).
    """
    language = template.language
    values = found.values
    missing = found.missing
    parts: dict[str, dict[str, str | bool]] = {}
    problems: dict[str, list[Issue]] = {}
    first: dict[str, str] = {}
    gone: dict[str, str] = {}
    for name, anchor in inputs.items():
        field_id = anchor.field_id
        if name in missing:
            gone.setdefault(field_id, name)
            continue
        first.setdefault(field_id, name)
        raw = values.get(name)
        if raw is None:
            continue
        spec = anchor.spec
        if isinstance(raw, bool) or spec.kind not in ("tick", "one_of"):
            parts.setdefault(field_id, {})[spec.part] = raw
            continue
        read, problem = read_input(spec, raw, language)
        parts.setdefault(field_id, {}).update(read)
        if problem is not None:
            problems.setdefault(field_id, []).append(
                Issue(code="value.invalid", message=problem, field_id=field_id, raw=raw, location=found.locate(name))
            )
    remarks: dict[str, list[Remark]] = {}
    for remark in found.remarks:
        remarks.setdefault(inputs[remark.input].field_id, []).append(remark)

    def place(field_id: str, part: str | None) -> Location | None:
        """The input of ``part``, else the field's first input found."""
        if part is not None:
            name = input_name(field_id, part)
            if name in inputs and name not in missing:
                return found.locate(name)
        return found.locate(first[field_id]) if field_id in first else None

    labels: dict[str, str | None] = {}

    def label_of(f: FormField) -> str | None:
        """The field's label as the form printed it (rendered once, for a field with an issue)."""
        if f.id not in labels:
            labels[f.id] = issue_label(getattr(f, "label", None), context, language)
        return labels[f.id]

    answers: dict[str, Any] = {}
    issues: list[Issue] = []
    for f in template.answer_fields(role):
        if f.id in gone and f.id not in first:
            missing_kind: MessageKind = "field.missing.input" if found.term == "input" else "field.missing.cell"
            issues.append(
                Issue(
                    code="field.missing",
                    message=issue_message(missing_kind, language),
                    field_id=f.id,
                    label=label_of(f),
                    location=Location(part=found.part, where="not found", anchor=gone[f.id]),
                )
            )
            answers[f.id] = decode(template, f, {}).value  # as if found empty: False for a tick, else None
            continue
        decoded = decode(template, f, parts.get(f.id, {}))
        answers[f.id] = decoded.value
        own = problems.get(f.id)
        if own:
            issues.extend(issue.model_copy(update={"label": label_of(f)}) for issue in own)
        for (code, message, raw), part, typed in zip(decoded.problems, decoded.parts, decoded.inputs, strict=True):
            issues.append(
                Issue(
                    code=code,
                    message=message,
                    field_id=f.id,
                    label=label_of(f),
                    raw=raw,
                    location=place(f.id, part),
                    inputs=None if typed is None else {input_name(f.id, p): text for p, text in typed.items()},
                )
            )
        for remark in remarks.get(f.id, ()):
            issues.append(
                Issue(
                    code=remark.code,
                    message=remark.message,
                    field_id=f.id,
                    label=label_of(f),
                    raw=remark.raw,
                    location=found.locate(remark.input),
                )
            )
        unread = any(remark.unread for remark in remarks.get(f.id, ()))
        if f.required and decoded.value in (None, [], False) and not own and not decoded.problems and not unread:
            issues.append(
                Issue(
                    code="field.required",
                    message=issue_message("field.required", language),
                    field_id=f.id,
                    label=label_of(f),
                    severity="warning",
                    location=place(f.id, None),
                )
            )
    return answers, issues
