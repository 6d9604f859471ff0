"""After the talk: the development plan from the talk's agreements, and the follow-up from the plan."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import ValidationError

from musforms._formats.render import render
from musforms._loading.loader import TemplateSource, load_template
from musforms._model.context import Context, Meeting, as_context
from musforms._model.filled import FilledForm
from musforms._model.messages import context_message
from musforms._model.template import Template
from musforms._workflows.carryover import agreements_of
from musforms.errors import RenderError

__all__ = [
    "add_months",
    "followup_answers",
    "followup_context",
    "followup_day",
    "plan_answers",
    "render_followup",
    "render_plan",
]

FOLLOW_UP_MONTHS = 6
NEXT_MUS_MONTHS = 12


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the last day of the month when it has fewer days)."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _context(context: Context | Mapping[str, Any]) -> Context:
    """The context to render with, or a RenderError in musforms' words."""
    try:
        return as_context(context)
    except ValidationError as exc:
        raise RenderError(context_message(exc)) from exc


def _meeting_day(context: Context) -> dt.date:
    if context.meeting is not None and context.meeting.start is not None:
        return context.meeting.start.date()
    return dt.date.today()


def plan_answers(
    template: Template,
    context: Context,
    *forms: FilledForm,
    follow_up_months: int | None = None,
    next_mus_months: int = NEXT_MUS_MONTHS,
) -> dict[str, Any]:
    """What a development plan starts with: the agreements noted in the talk's forms (the manager's first),
    the follow-up after the template's ``followup_months`` (3 or 6; ``follow_up_months`` overrides it) and the
    next MUS after 12, counted from the talk."""
    if follow_up_months is None:
        follow_up_months = template.followup_months
    answers: dict[str, Any] = {}
    ordered = sorted(forms, key=lambda form: form.role != "manager")
    for form in ordered:
        rows = agreements_of(form)
        if rows:
            field = template.field("agreements")
            columns = getattr(field, "columns", ())
            answers["agreements"] = [{k: v for k, v in row.items() if k in columns} for row in rows]
            break
    day = _meeting_day(context)
    ids = {f.id for _s, f in template.iter_fields()}
    if "followup_date" in ids:
        answers["followup_date"] = add_months(day, follow_up_months)
    if "next_mus_date" in ids:
        answers["next_mus_date"] = add_months(day, next_mus_months)
    return answers


def followup_answers(template: Template, plan: FilledForm) -> dict[str, Any]:
    """What a follow-up form starts with: the plan's agreements (their status and effect to be filled in)
    and the date of the next MUS."""
    answers: dict[str, Any] = {}
    rows = agreements_of(plan)
    field = template.field("agreements")
    columns = getattr(field, "columns", ())
    if rows:
        answers["agreements"] = [{k: v for k, v in row.items() if k in columns} for row in rows]
    next_mus = plan.answers.get("next_mus_date")
    if next_mus is not None and "next_mus_date" in {f.id for _s, f in template.iter_fields()}:
        answers["next_mus_date"] = next_mus
    return answers


def render_plan(
    context: Context | Mapping[str, Any],
    *forms: FilledForm,
    template: Template | TemplateSource = "plan-da",
    format: Literal["docx", "xlsx"] = "docx",
    role: Literal["employee", "manager"] | None = None,
    answers: Mapping[str, Any] | None = None,
    form_id: str | None = None,
) -> bytes:
    """The development plan (the conclusion document both sign), from the talk's forms or from scratch.

    ``forms`` are the completed preparation (or talk) forms whose agreements the plan starts with; ``answers``
    add to or replace what is prefilled. ``role`` is whose copy it is: by default the one who writes up the
    agreements (the template's ``written_up_by``, the manager unless it says the employee); both can sign either
    copy.
    """
    resolved = template if isinstance(template, Template) else load_template(template)
    ctx = _context(context)
    prefill = {**plan_answers(resolved, ctx, *forms), **(answers or {})}
    writer = role or resolved.written_up_by
    return render(resolved, format, role=writer, context=ctx, answers=prefill, form_id=form_id)


def followup_day(template: Template, plan: FilledForm, talk: dt.date) -> dt.date:
    """The day of the follow-up: the plan's follow-up date, else the template's ``followup_months`` after the
    ``talk``."""
    planned = plan.answers.get("followup_date")
    if isinstance(planned, dt.date):
        return planned
    return add_months(talk, template.followup_months)


def followup_context(template: Template, context: Context, plan: FilledForm) -> Context:
    """The context of a follow-up form: its meeting is the follow-up's. A ``context`` whose meeting is the
    talk's (on or before the day of the talk the plan was made for, or with no meeting) gets the follow-up's
    day (:func:`followup_day`) at the talk's time and place; a meeting after the talk is the follow-up's
    already and is kept."""
    talk_meeting = (plan.context.meeting if plan.context is not None else None) or context.meeting
    talk = talk_meeting.start if talk_meeting is not None else None
    meeting = context.meeting
    if meeting is not None and meeting.start is not None and talk is not None and meeting.start.date() > talk.date():
        return context
    if talk is None:
        return context  # no talk known: nothing to count from, and no time to meet at
    start = dt.datetime.combine(followup_day(template, plan, talk.date()), talk.time())
    base = meeting or talk_meeting
    moved = base.model_copy(update={"start": start}) if base is not None else Meeting(start=start)
    return context.model_copy(update={"meeting": moved})


def render_followup(
    context: Context | Mapping[str, Any],
    plan: FilledForm,
    *,
    template: Template | TemplateSource = "followup-da",
    format: Literal["docx", "xlsx"] = "docx",
    role: Literal["employee", "manager"] = "manager",
    form_id: str | None = None,
) -> bytes:
    """The follow-up form, listing each agreement of the plan with room for its status, effect and what now.

    The form is dated on the follow-up's day (:func:`followup_context`): given the talk's context, the plan's
    follow-up date at the talk's time and place."""
    resolved = template if isinstance(template, Template) else load_template(template)
    return render(
        resolved,
        format,
        role=role,
        context=followup_context(resolved, _context(context), plan),
        answers=followup_answers(resolved, plan),
        form_id=form_id,
    )
