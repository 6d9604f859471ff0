"""Reading a web form's submission: the answers typed come back, with the same issues and the same identity
checks as a Word form's, whichever way a web framework hands over the fields."""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import musforms
from musforms import parse_submission
from musforms._core.issue_text import issue_message
from musforms._formats.html.reader import PART
from musforms._formats.parse import parse
from musforms._formats.render import render
from musforms._model.context import SAMPLE_CONTEXT
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
from musforms._model.filled import FilledForm, Issue
from musforms._model.values import AGREEMENT_METHODS, AGREEMENT_STATUSES, NOT_RELEVANT
from musforms.errors import SigningKeyError

from .conftest import MINIMAL
from .docxtools import edit_part, set_tick, type_in_cell
from .htmltools import Fields, browser_fields, properties_of, urlencoded
from .roundtrip import _plain, _required, templates

KEY = b"k" * 32
DEMO = musforms.load_template_text(MINIMAL.replace("required: true}", "required: true, max_length: 50}"))
DEMO_EN = musforms.load_template_text(
    MINIMAL.replace("required: true}", "required: true, max_length: 50}")
    .replace("language: da", "language: en")
    .replace("id: demo", "id: demo-en")
)


def _submit(fields: Fields, **kwargs: Any) -> FilledForm:
    return parse_submission(urlencoded(fields), templates=[DEMO, DEMO_EN], **kwargs)


def _demo(answers: dict[str, Any], template: musforms.Template = DEMO, **extra: Any) -> Fields:
    return browser_fields(template, "employee", answers, properties_of(template, "employee", **extra))


def _set(fields: Fields, name: str, *values: str) -> Fields:
    """``fields`` with the input ``name`` sent with ``values`` (none: not sent)."""
    return [(k, v) for k, v in fields if k != name] + [(name, v) for v in values]


def _issues(form: FilledForm, code: str) -> list[Issue]:
    return [i for i in form.issues if i.code == code]


def _problems(form: FilledForm) -> list[Issue]:
    """The issues but a required field left empty."""
    return [i for i in form.issues if i.code != "field.required"]


# -- the answers typed come back ------------------------------------------------------------------------------

# Text as people type it in a browser: any letters, punctuation, symbols and emoji, spaces, tabs and line breaks;
# no control characters (a browser's text box takes none). Compared stripped at the ends, as parse gives them.
_chars = st.characters(blacklist_categories=("Cc", "Cs", "Cn")) | st.sampled_from(
    ["\n", "\t", " ", "æ", "ø", "å", "Æ", "&", "<", ">", '"', "'", "😀", "%", "+", "=", ";", "\u2028"]
)
_text = st.lists(_chars, min_size=1, max_size=80).map(lambda chars: "".join(chars).strip()).filter(bool)
_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))


def _answer(template: musforms.Template, field: FormField) -> st.SearchStrategy[Any]:
    if isinstance(field, TextField):
        return _text if field.multiline else _text.map(lambda s: " ".join(s.split())).filter(bool)
    if isinstance(field, RatingField):
        points: list[Any] = list(template.scale_of(field).values)
        return st.sampled_from(points + ([NOT_RELEVANT] if field.not_relevant else []))
    if isinstance(field, ChoiceField):
        ids = [o.id for o in field.options]
        if field.multiple:
            return st.lists(st.sampled_from(ids), min_size=1, unique=True).map(lambda c: [i for i in ids if i in c])
        return st.sampled_from(ids)
    if isinstance(field, CheckField):
        return st.booleans()
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
        return st.lists(st.fixed_dictionaries({c: columns[c] for c in field.columns}), min_size=1, max_size=field.rows)
    if isinstance(field, SignatureField):
        return st.fixed_dictionaries(
            {"name": st.none() | _text.map(lambda s: " ".join(s.split())), "date": st.none() | _dates}
        ).filter(lambda s: s["name"] is not None or s["date"] is not None)
    raise AssertionError(field.kind)


def _expected(template: musforms.Template, role: str, answers: dict[str, Any]) -> dict[str, Any]:
    model = template.answers_model(role)  # type: ignore[arg-type]
    return {k: v for k, v in model.model_validate({**_required(template, role), **answers}) if k in answers}


def _check(template: musforms.Template, role: str, answers: dict[str, Any], form: FilledForm) -> None:
    assert form.format == "html"
    assert [i for i in form.issues if i.code != "field.required"] == []
    assert _plain({k: v for k, v in form.answers.items() if k in answers}) == _plain(_expected(template, role, answers))
    for field_id, value in form.answers.items():
        if field_id not in answers:
            assert value in (None, False), field_id


@pytest.mark.parametrize("role", ["employee", "manager"])
@pytest.mark.parametrize("template", templates(), ids=lambda t: t.id)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_answers_sent_come_back(template: musforms.Template, role: str, data: st.DataObject) -> None:
    fields = template.answer_fields(role)  # type: ignore[arg-type]
    answers = data.draw(st.fixed_dictionaries({}, optional={f.id: _answer(template, f) for f in fields}))
    submitted = browser_fields(template, role, answers, properties_of(template, role))
    form = parse_submission(urlencoded(submitted), templates=[template])
    _check(template, role, answers, form)
    assert (form.role, form.template_id, form.subject_id) == (role, template.id, SAMPLE_CONTEXT.employee.id)


def test_every_field_kind_is_sent() -> None:
    kinds = {f.kind for t in templates() for _s, f in t.iter_fields()}
    assert kinds == {"text", "rating", "choice", "check", "date", "agreements", "signature", "info"}


FULL = {
    "quality": 4,
    "strengths": "Æbler & <pærer>\nog \"citater\" 'her' 😀",
    "methods": ["course", "mentoring"],
    "mood": "bad",
    "read_guide": True,
    "last_talk": dt.date(2025, 3, 14),
    "agreements": [
        {"action": "Kursus i Excel", "owner": "employee", "deadline": dt.date(2026, 6, 1), "status": "in_progress"},
        {"action": "Mentor", "owner": "manager"},
    ],
    "sign_employee": {"name": "Mette Sørensen", "date": dt.date(2026, 3, 16)},
}


class _FormData:
    """As Starlette's FormData: every value of a name from ``multi_items()``; a mapping of last values."""

    def __init__(self, fields: Fields) -> None:
        self._fields = fields

    def multi_items(self) -> list[tuple[str, str]]:
        return list(self._fields)

    def __getitem__(self, key: str) -> str:
        return [v for k, v in self._fields if k == key][-1]

    def keys(self) -> list[str]:
        return list(dict.fromkeys(k for k, _v in self._fields))


class _MultiDict(dict[str, str]):
    """As werkzeug's MultiDict: a dict of first values, every value from ``getlist()``."""

    def __init__(self, fields: Fields) -> None:
        super().__init__()
        self._lists: dict[str, list[str]] = {}
        for key, value in fields:
            self._lists.setdefault(key, []).append(value)
            self.setdefault(key, value)

    def getlist(self, key: str) -> list[str]:
        return list(self._lists.get(key, []))


def _ways(fields: Fields) -> Iterable[tuple[str, Any]]:
    body = urlencoded(fields)
    yield "bytes", body
    yield "text", body.decode("ascii")
    yield "bytearray", bytearray(body)
    yield "parse_qs", urllib.parse.parse_qs(body.decode("ascii"), keep_blank_values=True)
    yield "dict of texts", dict(fields)  # every name once in these fields
    yield "multi_items", _FormData(fields)
    yield "getlist", _MultiDict(fields)


def test_every_way_a_framework_gives_the_fields_reads_the_same() -> None:
    fields = _demo(FULL)
    assert len({k for k, _v in fields}) == len(fields)
    forms = {way: parse_submission(data, templates=[DEMO]) for way, data in _ways(fields)}
    first = forms["bytes"]
    _check(DEMO, "employee", FULL, first)
    assert first.answers["strengths"] == FULL["strengths"]  # sent as CR LF, read as LF
    for way, form in forms.items():
        assert form == first, way


def test_a_mapping_of_lists_takes_every_value_of_a_name() -> None:
    fields = _set(_demo({"methods": ["course"]}), "mf_methods__o2", "x")
    data: dict[str, list[str]] = {}
    for key, value in fields:
        data.setdefault(key, []).append(value)
    assert parse_submission(data, templates=[DEMO]).answers["methods"] == ["course", "mentoring"]
    assert parse_submission(_MultiDict(fields), templates=[DEMO]).answers["methods"] == ["course", "mentoring"]


def test_line_breaks_are_read_as_lf() -> None:
    fields = _set(_demo({}), "mf_strengths", "én\r\nto\rtre\nfire")
    assert _submit(fields).answers["strengths"] == "én\nto\ntre\nfire"


def test_inputs_not_sent_are_empty_not_missing() -> None:
    only_identity = [(k, v) for k, v in _demo({}) if k == "mf__properties"]
    form = _submit(only_identity)
    assert set(form.answers) == {f.id for f in DEMO.answer_fields("employee")}
    assert form.answers["read_guide"] is False
    assert all(v is None for k, v in form.answers.items() if k != "read_guide")
    assert [(i.code, i.field_id) for i in form.issues] == [("field.required", "strengths")]


def test_a_tick_sent_as_a_browser_does_without_a_value_and_after_a_hidden_fallback() -> None:
    for values in (["on"], ["x"], ["", "x"], ["x", "x"]):
        form = _submit(_set(_demo({}), "mf_read_guide", *values))
        assert form.answers["read_guide"] is True, values
        assert _issues(form, "value.ambiguous") == []
    assert _submit(_set(_demo({}), "mf_read_guide", "")).answers["read_guide"] is False


def test_iso_dates_from_date_inputs() -> None:
    fields = _set(_demo({}), "mf_last_talk", "2026-02-28")
    assert _submit(fields).answers["last_talk"] == dt.date(2026, 2, 28)
    form = _submit(_set(_demo({}), "mf_last_talk", "2026-02-30"))
    assert form.answers["last_talk"] is None
    [issue] = _issues(form, "value.invalid")
    assert (issue.field_id, issue.raw, issue.message) == (
        "last_talk",
        "2026-02-30",
        issue_message("value.invalid.date", "da"),
    )


def test_the_submit_button_and_the_identity_are_not_answers() -> None:
    fields = _set(_demo({}), "mf__submit", "Send")
    assert _issues(_submit(fields), "content.unmapped") == []


@pytest.mark.parametrize("template", [DEMO, DEMO_EN], ids=["da", "en"])
def test_names_outside_the_form_are_kept_as_unmapped_content(template: musforms.Template) -> None:
    fields = [*_demo({}, template), ("csrf_token", "abc"), ("note", "Husk kaffe"), ("note", "og kage"), ("mf_nope", "")]
    form = _submit(fields)
    unmapped = _issues(form, "content.unmapped")
    assert [(i.raw, i.severity, i.field_id) for i in unmapped] == [
        ("abc", "warning", None),
        ("Husk kaffe\nog kage", "warning", None),
        ("", "warning", None),
    ]
    assert unmapped[1].message == issue_message("content.unmapped.html", template.language)
    assert unmapped[1].location is not None and unmapped[1].location.part == PART
    assert "'note'" in unmapped[1].location.where
    # an input of the manager's form is no input of the employee's
    assert len(_issues(_submit(_set(_demo({}), "mf_info_give", "Nyt")), "content.unmapped")) == 1


def test_one_text_sent_twice_with_different_values_is_ambiguous_and_keeps_both() -> None:
    form = _submit(_set(_demo({}), "mf_strengths", "Første", "Anden"))
    assert form.answers["strengths"] is None
    assert [(i.code, i.field_id, i.raw) for i in form.issues] == [("value.ambiguous", "strengths", "Første\nAnden")]
    issue = form.issues[0]
    assert issue.message == issue_message("value.ambiguous.submitted", "da", count=2)
    assert issue.label == "Styrker hos Mette"
    assert issue.location is not None and issue.location.anchor == "mf_strengths"
    # the same value twice is one value
    assert _submit(_set(_demo({}), "mf_strengths", "Samme", "Samme")).answers["strengths"] == "Samme"


def test_an_agreement_pick_and_a_date_sent_twice_are_ambiguous() -> None:
    fields = _set(_demo({"agreements": [{"action": "Kursus"}]}), "mf_agreements__r1o", "employee", "manager")
    form = _submit(fields)
    assert form.answers["agreements"][0].action == "Kursus"
    assert form.answers["agreements"][0].owner is None
    [issue] = _problems(form)
    assert (issue.code, issue.raw) == ("value.ambiguous", "employee\nmanager")


def test_an_agreement_pick_by_its_value_or_its_label() -> None:
    for owner in ("manager", "Leder", "leder"):
        fields = _set(_demo({"agreements": [{"action": "Kursus"}]}), "mf_agreements__r1o", owner)
        assert _submit(fields).answers["agreements"][0].owner == "manager", owner
    form = _submit(_set(_demo({"agreements": [{"action": "Kursus"}]}), "mf_agreements__r1o", "chefen"))
    assert [(i.code, i.raw) for i in _problems(form)] == [("value.invalid", "chefen")]


def test_a_radio_value_that_is_no_point_is_invalid_as_in_a_workbook() -> None:
    form = _submit(_set(_demo({}), "mf_quality", "p9"))
    assert form.answers["quality"] is None
    [issue] = _problems(form)
    assert (issue.code, issue.field_id, issue.raw) == ("value.invalid", "quality", "p9")
    assert issue.message == issue_message("value.invalid.point", "da", allowed="1, 2, 3, 4, 5, Ikke relevant")
    assert _submit(_set(_demo({}), "mf_quality", "na")).answers["quality"] == NOT_RELEVANT
    assert _submit(_set(_demo({}), "mf_mood", "o1")).answers["mood"] == "good"


# -- the same issues as the Word form --------------------------------------------------------------------------


def _word(template: musforms.Template, change: Any = None, answers: dict[str, Any] | None = None) -> FilledForm:
    data = render(template, "docx", role="employee", context=SAMPLE_CONTEXT, answers=answers)
    if change is not None:
        data = edit_part(data, "word/document.xml", change)
    return parse(data, templates=[template])


def _same(word: FilledForm, web: FilledForm) -> None:
    def shown(form: FilledForm) -> list[tuple[Any, ...]]:
        return [(i.code, i.field_id, i.label, i.raw, i.message, i.severity) for i in form.issues]

    assert web.answers == word.answers
    assert shown(web) == shown(word)


@pytest.mark.parametrize("template", [DEMO, DEMO_EN], ids=["da", "en"])
def test_the_same_answers_and_issues_as_the_word_form(template: musforms.Template) -> None:
    _same(_word(template, answers=FULL), _submit(_demo(FULL, template)))
    _same(_word(template), _submit(_demo({}, template)))  # a required field left empty
    longer = " og meget mere, langt over de halvtreds tegn der er plads til"

    def typed(xml: str) -> str:
        return type_in_cell(xml, "strengths", "", longer)

    answers = {**FULL, "strengths": "Kort"}
    web = _submit(_set(_demo(answers, template), "mf_strengths", "Kort" + longer))
    _same(_word(template, typed, answers), web)
    assert [i.code for i in web.issues] == ["value.too_long"]


@pytest.mark.parametrize("template", [DEMO, DEMO_EN], ids=["da", "en"])
def test_two_points_of_one_radio_group_are_two_points_ticked(template: musforms.Template) -> None:
    def two_points(xml: str) -> str:
        return set_tick(set_tick(xml, "quality", "p2", True), "quality", "p4", True)

    def two_options(xml: str) -> str:
        return set_tick(set_tick(xml, "mood", "o1", True), "mood", "o2", True)

    _same(_word(template, two_points), _submit(_set(_demo({}, template), "mf_quality", "p2", "p4")))
    _same(_word(template, two_options), _submit(_set(_demo({}, template), "mf_mood", "o1", "o2")))
    [issue] = _issues(_submit(_set(_demo({}, template), "mf_quality", "p2", "p4")), "value.ambiguous")
    assert issue.location is not None and issue.location.anchor == "mf_quality"  # the radio group's name


@pytest.mark.parametrize("template", templates(), ids=lambda t: t.id)
def test_every_built_in_form_reads_as_its_word_form(template: musforms.Template) -> None:
    for role in ("employee", "manager"):
        answers = {f.id: _fixed(template, f) for f in template.answer_fields(role)}  # type: ignore[arg-type]
        word = parse(render(template, "docx", role=role, context=SAMPLE_CONTEXT, answers=answers), templates=[template])  # type: ignore[arg-type]
        web = parse_submission(
            urlencoded(browser_fields(template, role, answers, properties_of(template, role))), templates=[template]
        )
        _same(word, web)


def _fixed(template: musforms.Template, field: FormField) -> Any:
    """One answer of every field kind, with Danish letters, markup characters and line breaks."""
    if isinstance(field, TextField):
        return 'Ærlig & <god> "snak"\nlinje to' if field.multiline else "Ærlig & <god> 'snak'"
    if isinstance(field, RatingField):
        return template.scale_of(field).values[-1]
    if isinstance(field, ChoiceField):
        return [field.options[0].id] if field.multiple else field.options[-1].id
    if isinstance(field, CheckField):
        return True
    if isinstance(field, DateField):
        return dt.date(2026, 12, 24)
    if isinstance(field, AgreementsField):
        row = {
            "action": "Kursus",
            "owner": "manager",
            "deadline": dt.date(2026, 6, 1),
            "method": "course",
            "status": "done",
            "comment": "ok",
        }
        return [{c: row[c] for c in field.columns}]
    if isinstance(field, SignatureField):
        return {"name": "Mette", "date": dt.date(2026, 3, 16)}
    raise AssertionError(field.kind)


# -- the identity ---------------------------------------------------------------------------------------------


def _with_properties(fields: Fields, change: dict[str, str]) -> Fields:
    properties = json.loads(dict(fields)["mf__properties"])
    return _set(fields, "mf__properties", json.dumps({**properties, **change}))


def test_identity_and_context_come_from_the_identity_field() -> None:
    form = _submit(_demo({}, form_id="f123"))
    assert (form.template_id, form.template_version, form.fingerprint) == (DEMO.id, DEMO.version, DEMO.fingerprint)
    assert (form.form_id, form.subject_id, form.role) == ("f123", "E-0001", "employee")
    assert form.context is not None and form.context.employee.name == SAMPLE_CONTEXT.employee.name
    assert (form.signed, form.template_source) == ("unsigned", "given")


def test_a_form_is_read_with_the_template_it_carries_when_none_is_given() -> None:
    form = parse_submission(urlencoded(_demo(FULL)))
    assert form.template_source == "embedded"
    _check(DEMO, "employee", FULL, form)
    builtin = musforms.load_template("plan-en")
    form = parse_submission(urlencoded(browser_fields(builtin, "employee", {}, properties_of(builtin, "employee"))))
    assert form.template_source == "builtin"


def test_a_signed_form_is_verified() -> None:
    fields = _demo(FULL, signing_key=KEY)
    assert _submit(fields, signing_key=KEY).signed == "verified"
    assert _submit(fields).signed == "not_checked"
    with pytest.raises(musforms.IdentityError, match="not signed"):
        _submit(_demo(FULL), signing_key=KEY)


@pytest.mark.parametrize(
    ("change", "what"),
    [
        ({"musforms.subject_id": "E-0002"}, "subject"),
        ({"musforms.role": "manager"}, "role"),
        ({"musforms.form_id": "other"}, "form id"),
        ({"musforms.signature": "v1:abc"}, "damaged"),
    ],
)
def test_a_changed_identity_is_refused_when_signed(change: dict[str, str], what: str) -> None:
    fields = _with_properties(_demo(FULL, signing_key=KEY), change)
    with pytest.raises(musforms.IdentityError, match=what) as caught:
        _submit(fields, signing_key=KEY)
    assert caught.value.code == "parse.identity"


def test_the_employee_expected() -> None:
    assert _submit(_demo({}), subject_id="E-0001").subject_id == "E-0001"
    with pytest.raises(musforms.IdentityError, match="another employee"):
        _submit(_demo({}), subject_id="E-0002")


def test_another_version_of_the_template_is_refused_unless_lenient() -> None:
    older = musforms.load_template_text(MINIMAL.replace('version: "1.0"', 'version: "0.9"'))
    fields = _demo({"strengths": "Godt"}, older)
    with pytest.raises(musforms.FingerprintMismatchError):
        _submit(fields)
    form = _submit(fields, lenient=True)
    assert form.answers["strengths"] == "Godt"
    assert [i.code for i in form.issues] == ["identity.lenient"]


def test_a_submission_names_itself_in_messages() -> None:
    with pytest.raises(musforms.IdentityError, match=r"^upload 7: "):
        _submit(_demo({}), subject_id="E-0002", name="upload 7")
    with pytest.raises(musforms.IdentityError, match=r"^<submission>: "):
        _submit(_demo({}), subject_id="E-0002")


def test_a_bad_signing_key_is_the_callers_mistake() -> None:
    with pytest.raises(SigningKeyError):
        _submit(_demo({}), signing_key=b"short")
