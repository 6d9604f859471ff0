"""What the Word and the Excel round-trip tests share: the templates, and the check of one round trip.

Each format's test module keeps its own strategies for answers (what each format can hold differs).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

import musforms
from musforms._formats.parse import parse
from musforms._formats.render import render
from musforms._model.context import SAMPLE_CONTEXT
from musforms._model.fields import FormField, TextField

from .conftest import MINIMAL


def templates() -> list[musforms.Template]:
    """A small template with every field kind, and every built-in template."""
    return [musforms.load_template_text(MINIMAL)] + [musforms.load_template(t.id) for t in musforms.list_templates()]


def answers_strategy(
    template: musforms.Template,
    role: str,
    answer: Callable[[musforms.Template, FormField], st.SearchStrategy[Any]],
) -> st.SearchStrategy[dict[str, Any]]:
    """Answers to any subset of the fields ``role`` answers, each drawn from ``answer``."""
    fields = template.answer_fields(role)  # type: ignore[arg-type]
    return st.fixed_dictionaries({}, optional={f.id: answer(template, f) for f in fields})


def check_round_trip(template: musforms.Template, role: str, answers: dict[str, Any], fmt: str) -> None:
    """Prefill ``answers`` into ``template``'s form in ``fmt`` and parse it: the same answers come back, the
    fields left out come back empty, and there is no issue but a required field left empty."""
    model = template.answers_model(role)  # type: ignore[arg-type]
    expected = {k: v for k, v in model.model_validate({**_required(template, role), **answers}) if k in answers}
    file = render(template, fmt, role=role, context=SAMPLE_CONTEXT, answers=answers)  # type: ignore[arg-type]
    form = parse(file, templates=[template])
    assert [i for i in form.issues if i.code != "field.required"] == []
    got = {k: v for k, v in form.answers.items() if k in answers}
    assert _plain(got) == _plain(expected)
    for field_id, value in form.answers.items():
        if field_id not in answers:
            assert value in (None, False), field_id


def _required(template: musforms.Template, role: str) -> dict[str, Any]:
    """Placeholders for required fields, so that the model accepts answers that leave them out."""
    out: dict[str, Any] = {}
    for field in template.answer_fields(role):  # type: ignore[arg-type]
        if field.required and isinstance(field, TextField):
            out[field.id] = "x"
    return out


def _plain(answers: dict[str, Any]) -> dict[str, Any]:
    """Answers as plain data (agreement rows and signatures as dicts without empty keys)."""

    def plain(value: Any) -> Any:
        if isinstance(value, list):
            return [plain(v) for v in value]
        if hasattr(value, "model_dump"):
            return {k: v for k, v in value.model_dump().items() if v is not None}
        return value

    return {k: plain(v) for k, v in answers.items()}
