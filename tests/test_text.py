"""Template texts: the sandbox, unknown names, filters and render errors."""

from __future__ import annotations

import datetime as dt

import pytest

from musforms import Context, TextRenderError
from musforms._model.context import SAMPLE_CONTEXT
from musforms._model.labels import plain_label
from musforms._text.checks import check_text, text_problems
from musforms._text.sandbox import render_text

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
    assert check_text("{{ employe.name }}") == ["unknown name 'employe' (did you mean 'employee'?)"]
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


# -- messages: what is wrong and how to fix it, each said once ------------------------------------------


def test_unknown_name_lists_every_known_name_once() -> None:
    ((message, hint),) = text_problems("{{ xyz }}")
    assert message == "unknown name 'xyz'"
    assert hint == (
        "known names: employee, manager, company, meeting, previous_agreements, role, you, form, language, loop, "
        "range, namespace"
    )


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        ("{{ employee.nme }}", "'employee' has no attribute 'nme'", "did you mean 'name'?"),
        ("{{ manager.fist_name if manager }}", "'manager' has no attribute 'fist_name'", "did you mean 'first_name'?"),
        (
            "{{ employee.xyz }}",
            "'employee' has no attribute 'xyz'",
            "its attributes: id, name, email, job_title, department, first_name",
        ),
        ("{{ company.nam if company }}", "'company' has no attribute 'nam'", "did you mean 'name'?"),
        ("{{ meeting.ende if meeting }}", "'meeting' has no attribute 'ende'", "did you mean 'end'?"),
        (
            "{% for a in previous_agreements %}{{ a.actoin }}{% endfor %}",
            "'a' has no attribute 'actoin'",
            "did you mean 'action'?",
        ),
        ("{{ meeting.start | dat if meeting }}", "unknown filter 'dat'", "did you mean 'date'?"),
    ],
)
def test_unknown_attributes_say_which_exist(text: str, message: str, hint: str) -> None:
    assert text_problems(text) == [(message, hint)]
    assert check_text(text) == [f"{message} ({hint})"]


def test_known_attributes_and_properties_pass() -> None:
    text = (
        "{{ employee.first_name }} {{ employee.job_title }}{% if meeting and meeting.start %}"
        "{{ meeting.end | time }}{% endif %}{% for a in previous_agreements %}{{ a.status }}{% endfor %}"
    )
    assert text_problems(text) == []


def test_syntax_errors_carry_no_unrelated_hint() -> None:
    ((message, hint),) = text_problems("{{ employee.name")
    assert message.startswith("Jinja syntax error on line 1 of the text:") and hint is None


def test_the_employee_only_message_names_the_guard_once() -> None:
    ((message, hint),) = text_problems("Hello {{ manager.name }}")
    assert message == ("the text fails for a form whose context has only the employee: 'None' has no attribute 'name'")
    assert hint == "a form may have no manager; guard the parts that use it with {% if manager %}...{% endif %}"
    (line,) = check_text("Hello {{ manager.name }}")
    assert line.count("{% if manager %}") == 1 and "known names" not in line


def test_text_problems_reach_the_loader_with_their_own_hint() -> None:
    from musforms import TemplateError, load_template_text

    from .conftest import MINIMAL

    with pytest.raises(TemplateError) as info:
        load_template_text(MINIMAL.replace("label: Sidste samtale", 'label: "{{ employee.nme }}"'))
    (problem,) = info.value.problems
    assert (problem.message, problem.hint) == ("'employee' has no attribute 'nme'", "did you mean 'name'?")
    assert str(problem).endswith(": 'employee' has no attribute 'nme' (did you mean 'name'?)")


# -- whatever a text raises is a TextRenderError ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "{{ '%(a)s' % {} }}",  # KeyError
        "{{ '{0}'.format() }}",  # IndexError
        "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}",  # RecursionError
    ],
)
def test_errors_raised_inside_jinja_are_text_problems(text: str) -> None:
    assert len(check_text(text)) == 1
    with pytest.raises(TextRenderError):
        render_text(text, SAMPLE_CONTEXT)


# -- plain labels for schema titles -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "plain"),
    [
        ("What has gone well, {{ employee.first_name }}?", "What has gone well, <employee.first_name>?"),
        ("Hej{% if manager %} {{ manager.name | upper }}{% endif %}!", "Hej <manager.name | upper>!"),
        (
            "{{- meeting.start|date -}} {# a note #}kl.  {{ meeting.start | time }}",
            "<meeting.start|date>kl. <meeting.start | time>",
        ),
        ("{% raw %}{{ literal }}{% endraw %}", "{{ literal }}"),
        ("{{ unclosed", "{{ unclosed"),
    ],
)
def test_plain_label_shows_expressions_in_angle_brackets(source: str, plain: str) -> None:
    assert plain_label(source) == plain


def test_the_fields_a_text_may_read_without_the_sandbox_checks_are_plain_data_fields() -> None:
    from musforms._model.context import Meeting, Person
    from musforms._text.sandbox import _CONTEXT_FIELDS

    assert set(_CONTEXT_FIELDS) >= {Context, Person, Meeting}
    for model, fields in _CONTEXT_FIELDS.items():
        assert fields == set(model.model_fields)
        assert not [f for f in fields if f.startswith(("_", "model_")) or f in dir(object)], model
    assert render_text("{{ employee.name }}", SAMPLE_CONTEXT) == SAMPLE_CONTEXT.employee.name
    for attribute in ("__class__", "model_dump", "__dict__"):
        with pytest.raises(TextRenderError, match="unsafe"):
            render_text(f"{{{{ employee.{attribute} }}}}", SAMPLE_CONTEXT)


def test_meeting_when_is_the_date_in_words_and_the_clock_times() -> None:
    import datetime as _dt

    from musforms._model.context import Meeting
    from musforms._text.dates import meeting_when

    start = _dt.datetime(2026, 3, 16, 10, 0)
    assert meeting_when(Meeting(start=start), "da") == "16. marts 2026, 10:00–11:00"
    assert meeting_when(Meeting(start=start, duration_minutes=45), "en") == "16 March 2026, 10:00–10:45"
    assert meeting_when(Meeting(place="Teams"), "da") == ""
    assert meeting_when(None, "en") == ""
