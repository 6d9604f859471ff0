"""Round trips through the rendered web form: the page's controls as a browser submits them (read from its HTML
with the standard library's parser), filled with any valid answers, read back by ``parse_submission``: the
same answers, for every built-in template and both roles; and a signed page whose identity is changed is
refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import musforms
from musforms import parse_submission, render_html
from musforms._model.context import SAMPLE_CONTEXT

from .htmltools import browser_fields, fill_page, page_fields, urlencoded
from .roundtrip import templates
from .test_html_submission import FULL, _answer, _check

KEY = b"r" * 32
TEMPLATES = templates()
_SETTINGS = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def _answers(template: musforms.Template, role: str, data: st.DataObject) -> dict[str, Any]:
    fields = template.answer_fields(role)  # type: ignore[arg-type]
    return data.draw(st.fixed_dictionaries({}, optional={f.id: _answer(template, f) for f in fields}))


@pytest.mark.parametrize("role", ["employee", "manager"])
@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
@_SETTINGS
@given(data=st.data())
def test_a_blank_page_filled_in_reads_back(template: musforms.Template, role: str, data: st.DataObject) -> None:
    answers = _answers(template, role, data)
    page = render_html(template, role=role, context=SAMPLE_CONTEXT, form_id="f1")  # type: ignore[arg-type]
    sent = fill_page(page.html, browser_fields(template, role, answers))
    form = parse_submission(urlencoded(sent), templates=[template])
    _check(template, role, answers, form)
    assert (form.form_id, form.role, form.template_id) == ("f1", role, template.id)


@pytest.mark.parametrize("role", ["employee", "manager"])
@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
@_SETTINGS
@given(data=st.data())
def test_a_prefilled_page_sent_as_it_is_reads_back(template: musforms.Template, role: str, data: st.DataObject) -> None:
    answers = _answers(template, role, data)
    page = render_html(template, role=role, context=SAMPLE_CONTEXT, answers=answers)  # type: ignore[arg-type]
    form = parse_submission(urlencoded(page_fields(page.html)), templates=[template])
    _check(template, role, answers, form)
    assert form.form_id == page.identity.form_id


def test_a_blank_page_sent_as_it_is_reads_empty() -> None:
    for template in TEMPLATES:
        for role in ("employee", "manager"):
            page = render_html(template, role=role, context=SAMPLE_CONTEXT)  # type: ignore[arg-type]
            form = parse_submission(urlencoded(page_fields(page.html)), templates=[template])
            assert [i for i in form.issues if i.code != "field.required"] == [], (template.id, role)
            assert all(value in (None, False) for value in form.answers.values()), (template.id, role)


def test_a_fragment_reads_back_as_the_page_does() -> None:
    template = TEMPLATES[0]
    fragment = render_html(template, role="employee", context=SAMPLE_CONTEXT, answers=FULL, fragment=True)
    form = parse_submission(urlencoded(page_fields(fragment.html)), templates=[template])
    _check(template, "employee", FULL, form)


def _signed_page() -> tuple[musforms.Template, list[tuple[str, str]]]:
    template = TEMPLATES[0]
    page = render_html(template, role="employee", context=SAMPLE_CONTEXT, answers=FULL, signing_key=KEY)
    return template, page_fields(page.html)


def test_a_signed_page_is_verified() -> None:
    template, sent = _signed_page()
    form = parse_submission(urlencoded(sent), templates=[template], signing_key=KEY, subject_id="E-0001")
    assert form.signed == "verified"
    _check(template, "employee", FULL, form)


@pytest.mark.parametrize(
    ("change", "match"),
    [({"musforms.subject_id": "E-0666"}, "subject"), ({"musforms.role": "manager"}, "role")],
)
def test_a_signed_page_whose_identity_was_changed_is_refused(change: dict[str, str], match: str) -> None:
    template, sent = _signed_page()
    tampered = [
        (name, json.dumps({**json.loads(value), **change}) if name == "mf__properties" else value)
        for name, value in sent
    ]
    with pytest.raises(musforms.IdentityError, match=match):
        parse_submission(urlencoded(tampered), templates=[template], signing_key=KEY)
