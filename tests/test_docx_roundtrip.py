"""Property-based round trips: any valid answers, prefilled into any built-in Word form, parse back the same."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import musforms
from musforms._formats.docx.cells import PLACEHOLDERS
from musforms._model.fields import (
    AgreementsField,
    CheckField,
    ChoiceField,
    DateField,
    FormField,
    RatingField,
    SignatureField,
    TextField,
)
from musforms._model.values import AGREEMENT_METHODS, AGREEMENT_STATUSES, NOT_RELEVANT

from .roundtrip import answers_strategy, check_round_trip, templates

# Text as people write it: any letters, digits, punctuation, symbols and emoji, spaces, tabs and line breaks.
# Left out: control characters XML cannot hold. Answers are compared stripped at the ends, as parse gives them.
_chars = st.characters(blacklist_categories=("Cc", "Cs", "Cn"), blacklist_characters="\u2028\u2029") | st.sampled_from(
    ["\n", "\t", " ", "æ", "ø", "å", "Æ", "Ø", "Å", "&", "<", ">", '"', "'", "😀"]
)
_text = (
    st.lists(_chars | st.just("👍🏽"), min_size=1, max_size=120)
    .map(lambda chars: "".join(chars).strip())
    .filter(lambda s: bool(s) and s not in PLACEHOLDERS)
)
_dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31))


def _answer(template: musforms.Template, field: FormField) -> st.SearchStrategy[Any]:
    if isinstance(field, TextField):
        return _text
    if isinstance(field, RatingField):
        points: list[Any] = list(template.scale_of(field).values)
        return st.sampled_from(points + ([NOT_RELEVANT] if field.not_relevant else []))
    if isinstance(field, ChoiceField):
        ids = [o.id for o in field.options]
        if field.multiple:
            return st.lists(st.sampled_from(ids), min_size=1, unique=True).map(
                lambda chosen: [i for i in ids if i in chosen]
            )
        return st.sampled_from(ids)
    if isinstance(field, CheckField):
        return st.just(True)
    if isinstance(field, DateField):
        return _dates
    if isinstance(field, AgreementsField):
        columns = {
            "action": _text,
            "owner": st.none() | st.sampled_from(["employee", "manager"]),
            "deadline": st.none() | _dates,
            "method": st.none() | st.sampled_from(AGREEMENT_METHODS),
            "status": st.none() | st.sampled_from(AGREEMENT_STATUSES),
            "comment": st.none() | _text,
        }
        row = st.fixed_dictionaries({c: columns[c] for c in field.columns})
        return st.lists(row, min_size=1, max_size=field.rows)
    if isinstance(field, SignatureField):
        return st.fixed_dictionaries({"name": _text, "date": st.none() | _dates})
    raise AssertionError(field.kind)


@pytest.mark.parametrize("role", ["employee", "manager"])
@pytest.mark.parametrize("template", templates(), ids=lambda t: t.id)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_prefilled_answers_parse_back(template: musforms.Template, role: str, data: st.DataObject) -> None:
    check_round_trip(template, role, data.draw(answers_strategy(template, role, _answer)), "docx")


def test_every_field_kind_is_covered() -> None:
    kinds = {f.kind for t in templates() for _s, f in t.iter_fields()}
    assert kinds == {"text", "rating", "choice", "check", "date", "agreements", "signature", "info"}
