"""Template texts: the sandbox, unknown names, filters and render errors."""

from __future__ import annotations

import datetime as dt

import pytest

from musforms import Context, TextRenderError
from musforms.context import SAMPLE_CONTEXT
from musforms.text import check_text, plain_label, render_text

ATTACKS = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ employee.__class__.__init__.__globals__ }}",
    "{{ employee['__dict__'] }}",
    "{{ employee.model_dump() }}",
    "{{ employee.model_config }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ self._TemplateReference__context }}",
    "{{ lipsum.__globals__ }}",
    "{{ employee.name|attr('__class__') }}",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_attacks_are_rejected_at_validation(text: str) -> None:
    assert check_text(text), f"{text!r} was accepted"


@pytest.mark.parametrize("text", ATTACKS)
def test_attacks_never_execute_at_render(text: str) -> None:
    with pytest.raises(TextRenderError):
        render_text(text, SAMPLE_CONTEXT)


def test_unknown_names_and_attributes() -> None:
    assert check_text("{{ employe.name }}") == ["unknown name 'employe'; did you mean 'employee'?"]
    (problem,) = check_text("{{ employee.fist_name }}")
    assert "fist_name" in problem
    assert check_text("{{ employee.name") and "syntax" in check_text("{{ employee.name")[0]


def test_loops_over_previous_agreements_are_allowed() -> None:
    text = "{% for a in previous_agreements %}{{ loop.index }}. {{ a.action }}{% endfor %}"
    assert check_text(text) == []
    assert render_text(text, SAMPLE_CONTEXT) == "1. Kursus i KNX"


def test_date_and_time_filters_follow_the_language() -> None:
    text = "{{ meeting.start | date }} {{ meeting.start | time }}"
    assert render_text(text, SAMPLE_CONTEXT, "da") == "16. marts 2026 10:00"
    assert render_text(text, SAMPLE_CONTEXT, "en") == "16 March 2026 10:00"


def test_missing_context_part_is_a_clear_error() -> None:
    context = Context.model_validate({"employee": {"name": "Ida Holm"}})
    assert render_text("Hej {{ employee.first_name }}", context) == "Hej Ida"
    with pytest.raises(TextRenderError, match="undefined value"):
        render_text("{{ manager.name }}", context)
    guarded = "{% if meeting and meeting.start %}{{ meeting.start | date }}{% else %}snart{% endif %}"
    assert render_text(guarded, context) == "snart"


def test_plain_text_is_returned_as_is() -> None:
    assert render_text("Ingen {klammer} her", SAMPLE_CONTEXT) == "Ingen {klammer} her"
    assert plain_label("  to\n linjer ") == "to linjer"


def test_meeting_end() -> None:
    assert SAMPLE_CONTEXT.meeting is not None
    assert SAMPLE_CONTEXT.meeting.end == dt.datetime(2026, 3, 16, 11, 0)
