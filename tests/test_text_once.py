"""A template text about the form only (its parts, scale, the reader's words) is rendered once per form and
reader, not once per person; a text that names a person is rendered for each."""

from __future__ import annotations

import pytest

from musforms import Context, load_template
from musforms._text import sandbox
from musforms._text.form_facts import form_facts
from musforms._text.sandbox import render_text

ANNA = Context.model_validate({"employee": {"name": "Anna Berg", "id": "E-1"}})
BO = Context.model_validate({"employee": {"name": "Bo Holm", "id": "E-2"}})


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources actually rendered in the sandbox during a test."""
    seen: list[str] = []
    real = sandbox._render

    def counting(source: str, *args: object) -> str:
        seen.append(source)
        return real(source, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(sandbox, "_render", counting)
    sandbox._SAME_FOR_EVERYONE.clear()
    return seen


def test_a_text_about_the_form_is_rendered_once_for_everyone(renders: list[str]) -> None:
    facts = form_facts(load_template("mus-scored-da"))
    renders.clear()  # (loading a template checks its texts)
    source = "Samtalen varer {{ form.duration }} i {{ form.parts_in_words }}; {{ you.your }} motivation."
    first = render_text(source, ANNA, "da", role="employee", form=facts)
    second = render_text(source, BO, "da", role="employee", form=facts)
    assert first == second
    assert "ca. 1 time" in first and "fem dele" in first and "din motivation" in first
    assert renders == [source]


def test_the_reader_and_the_form_still_count(renders: list[str]) -> None:
    scored = form_facts(load_template("mus-scored-da"))
    renders.clear()
    source = "{{ you.your }} motivation, {{ form.part_count }} dele"
    employee = render_text(source, ANNA, "da", role="employee", form=scored)
    manager = render_text(source, ANNA, "da", role="manager", form=scored)
    assert employee != manager
    assert manager.startswith("medarbejderens")
    assert len(renders) == 2


def test_a_text_that_names_a_person_is_rendered_for_each(renders: list[str]) -> None:
    facts = form_facts(load_template("mus-scored-da"))
    renders.clear()
    source = "{{ employee.name }}: {{ form.duration }}"
    assert render_text(source, ANNA, "da", role="employee", form=facts).startswith("Anna Berg")
    assert render_text(source, BO, "da", role="employee", form=facts).startswith("Bo Holm")
    assert renders == [source, source]


def test_a_company_name_is_the_context_s(renders: list[str]) -> None:
    source = "{{ company.name if company else 'ingen' }}"
    acme = Context.model_validate({"employee": {"name": "A", "id": "1"}, "company": {"name": "Acme"}})
    assert render_text(source, ANNA, "da") == "ingen"
    assert render_text(source, acme, "da") == "Acme"
    assert len(renders) == 2
