"""Hostile submissions: huge bodies, thousands of fields, values of the wrong type, a tampered identity. Each
gives a musforms error with a code (or an issue), never another exception, and the limits are checked before
the work they bound is done (asserted by what was called, not by a clock; the benchmark measures time)."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import musforms
from musforms import Limits, parse_submission
from musforms._formats.html import reader, submission
from musforms._model.filled import FilledForm
from musforms.errors import DamagedFileError, MusformsError, NotAFormError, ParseError, TooLargeError

from .conftest import MINIMAL
from .htmltools import Fields, browser_fields, properties_of, urlencoded

KEY = b"s" * 32
DEMO = musforms.load_template_text(MINIMAL)


def _fields(**extra: Any) -> Fields:
    return browser_fields(DEMO, "employee", {"strengths": "Godt"}, properties_of(DEMO, "employee", **extra))


def _properties(fields: Fields) -> dict[str, str]:
    return dict(json.loads(dict(fields)["mf__properties"]))


def _with_identity(value: str, fields: Fields | None = None) -> Fields:
    return [(k, value if k == "mf__properties" else v) for k, v in (fields or _fields())]


def _refused(data: Any, error: type[MusformsError], match: str | None = None, **kwargs: Any) -> MusformsError:
    kwargs.setdefault("templates", [DEMO])
    with pytest.raises(error, match=match) as caught:
        parse_submission(data, **kwargs)
    assert caught.value.code.startswith("parse."), caught.value.code
    return caught.value


def _outcome(data: Any) -> FilledForm | MusformsError:
    """The form read from ``data``, or the musforms error raised (any other exception fails the test)."""
    try:
        return parse_submission(data, templates=[DEMO])
    except MusformsError as error:
        return error


def _never(*_args: object, **_kwargs: object) -> Any:
    raise AssertionError("the submission was parsed before its limits were checked")


# -- a tampered identity ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        ("{not json", DamagedFileError, "not JSON"),
        ("", DamagedFileError, "not JSON"),
        ("[1, 2]", DamagedFileError, "not a JSON object"),
        ('"musforms"', DamagedFileError, "not a JSON object"),
        ('{"musforms.template_id": 7}', DamagedFileError, "int, not text"),
        ('{"musforms.template_id": null}', DamagedFileError, "NoneType, not text"),
        ('{"musforms.template_id": {"a": "b"}}', DamagedFileError, "dict, not text"),
        ('{"a": "1", "a": "2"}', DamagedFileError, "'a' twice"),
        ("[" * 100_000 + "]" * 100_000, DamagedFileError, "not JSON"),
        ('{"a": ' + "9" * 10_000 + "}", DamagedFileError, "not JSON"),
        ("{}", NotAFormError, "names no template"),
        ('{"musforms.template_id": "demo", "musforms.role": "boss"}', NotAFormError, "identity is damaged"),
    ],
)
def test_an_identity_field_that_is_not_an_identity(value: str, error: type[MusformsError], match: str) -> None:
    _refused(urlencoded(_with_identity(value)), error, match)


def test_no_identity_field_is_not_a_form() -> None:
    fields = [(k, v) for k, v in _fields() if k != "mf__properties"]
    _refused(urlencoded(fields), NotAFormError, "not a musforms web form")
    _refused(b"", NotAFormError, "not a musforms web form")


def test_two_different_identity_fields_are_refused() -> None:
    fields = _fields()
    other = json.dumps({**_properties(fields), "musforms.subject_id": "E-0002"})
    _refused(urlencoded([*fields, ("mf__properties", other)]), musforms.IdentityError, "2 times")
    assert parse_submission(urlencoded([*fields, fields[-2]]), templates=[DEMO]).answers["strengths"] == "Godt"


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"musforms.subject_id": "E-0002"}, "subject"),
        ({"musforms.role": "manager"}, "role"),
        ({"musforms.template_version": "2.0"}, "template version"),
        ({"musforms.fingerprint": "sha256:" + "0" * 32}, "fingerprint"),
        ({"musforms.signature": "v1:x"}, "damaged"),
    ],
)
def test_a_changed_signed_identity_is_refused(change: dict[str, str], match: str) -> None:
    fields = _fields(signing_key=KEY)
    tampered = _with_identity(json.dumps({**_properties(fields), **change}), fields)
    _refused(urlencoded(tampered), musforms.IdentityError, match, signing_key=KEY)
    without = {k: v for k, v in _properties(fields).items() if k != "musforms.signature"}
    _refused(
        urlencoded(_with_identity(json.dumps(without), fields)), musforms.IdentityError, "not signed", signing_key=KEY
    )


def test_a_wrong_fingerprint_is_refused_without_signing_too() -> None:
    fields = _fields()
    tampered = _with_identity(json.dumps({**_properties(fields), "musforms.fingerprint": "sha256:" + "0" * 32}), fields)
    _refused(urlencoded(tampered), musforms.FingerprintMismatchError)
    with pytest.raises(musforms.IdentityError, match="does not match the fingerprint"):
        parse_submission(urlencoded(tampered))  # the template it carries no longer hashes to its fingerprint


def test_a_carried_template_that_was_changed_is_refused() -> None:
    fields = _fields()
    properties = _properties(fields)
    piece = "musforms.template.1"
    properties[piece] = properties[piece][:-4] + ("AAAA" if not properties[piece].endswith("AAAA") else "BBBB")
    with pytest.raises(ParseError):
        parse_submission(urlencoded(_with_identity(json.dumps(properties), fields)))


def test_a_role_changed_without_signing_reads_the_other_form_and_reports_what_does_not_fit_it() -> None:
    fields = _fields()
    tampered = _with_identity(json.dumps({**_properties(fields), "musforms.role": "manager"}), fields)
    form = parse_submission(urlencoded(tampered), templates=[DEMO])
    assert form.role == "manager" and form.signed == "unsigned"  # nothing says it was changed: sign forms
    assert form.answers["strengths"] == "Godt"


# -- values of the wrong type ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ({"a": "b"}, "holds dict"),
        (7, "holds int"),
        (b"Godt", "holds bytes"),
        (None, "holds NoneType"),
        ([b"Godt"], "holds bytes"),
        (["Godt", 3], "holds int"),
        ({"Godt"}, "holds set"),
    ],
)
def test_a_value_of_the_wrong_type(value: object, match: str) -> None:
    data: dict[str, Any] = dict(_fields())
    data["mf_strengths"] = value
    _refused(data, ParseError, match)


def test_a_name_of_the_wrong_type() -> None:
    data: dict[Any, Any] = dict(_fields())
    data[3] = "x"
    _refused(data, ParseError, "name is int")


@pytest.mark.parametrize("data", [7, None, 1.5, ["mf_strengths=Godt"], object()])
def test_a_submission_of_the_wrong_type(data: object) -> None:
    _refused(data, ParseError, "a submission is the urlencoded body")


def test_an_uploaded_file_is_not_text() -> None:
    class Upload:
        filename = "cv.pdf"

    class FormData:
        def multi_items(self) -> list[tuple[str, object]]:
            return [*_fields(), ("mf_strengths", Upload())]

    _refused(FormData(), ParseError, "uploaded file")


def test_multi_items_that_are_not_pairs() -> None:
    class FormData:
        def __init__(self, *extra: object) -> None:
            self.extra = extra

        def multi_items(self) -> list[object]:
            return [*_fields(), *self.extra]

    _refused(FormData(("mf_strengths", "a", "b")), ParseError, "not \\(name, value\\) pairs")
    _refused(FormData("mf_strengths"), ParseError, "gives str")
    form = parse_submission(FormData(["mf_read_guide", "x"]), templates=[DEMO])  # a pair as a list is a pair
    assert form.answers["read_guide"] is True


def test_a_body_that_is_not_utf8() -> None:
    body = urlencoded(_fields())
    _refused(body + b"&mf_strengths=\xff\xfe", ParseError, "not UTF-8")
    _refused(body + b"&mf_strengths=%FF%FE", ParseError, "not UTF-8")
    _refused(body + b"&mf_strengths=%ED%A0%80", ParseError, "not UTF-8")  # a lone surrogate


def test_a_lone_surrogate_is_not_text() -> None:
    data = dict(_fields())
    _refused({**data, "mf_strengths": "a\ud800b"}, ParseError, "lone surrogate")
    _refused({**data, "mf_\udc80": "x"}, ParseError, "lone surrogate")
    _refused(urlencoded(_fields()).decode("ascii") + "&mf_strengths=\ud800", ParseError, "lone surrogate")
    identity = json.dumps({**_properties(_fields()), "musforms.context": "\ud800"})
    _refused(urlencoded(_with_identity(identity)), DamagedFileError, "lone surrogate")


# -- sizes ------------------------------------------------------------------------------------------------------


def test_a_huge_body_is_refused_before_it_is_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(submission, "parse_qsl", _never)
    huge = b"mf_strengths=" + b"a" * (10 * 1024 * 1024)
    error = _refused(huge, TooLargeError, "10.0 MB; at most 2.0 MB")
    assert error.code == "parse.too_large"
    _refused(huge.decode("ascii"), TooLargeError, "characters")
    _refused(memoryview(huge), TooLargeError)


def test_thousands_of_fields_in_a_body_are_refused_before_it_is_split(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(submission, "parse_qsl", _never)
    body = b"&".join(b"f%d=" % i for i in range(100_000))
    assert len(body) < 2 * 1024 * 1024
    _refused(body, TooLargeError, "100,000 fields or more; at most 5,000")


def test_thousands_of_fields_in_a_mapping_are_refused_after_the_first_over_the_limit() -> None:
    taken: list[int] = []

    class Endless:
        def multi_items(self) -> Iterator[tuple[str, str]]:
            for i in range(100_000):
                taken.append(i)
                yield f"f{i}", ""

    _refused(Endless(), TooLargeError, "5,001 fields")
    assert len(taken) == 5_001
    many = {f"f{i}": "" for i in range(100_000)}
    _refused(many, TooLargeError, "at most 5,000")
    lists = {"f": [""] * 100_000}
    _refused(lists, TooLargeError, "at most 5,000")


def test_a_huge_field_in_a_mapping_is_refused_before_the_identity_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(submission, "read_properties", _never)
    data = dict(_fields())
    data["mf_strengths"] = "a" * (10 * 1024 * 1024)
    _refused(data, TooLargeError, "more than 2,097,152 characters")


def test_a_long_field_is_refused_before_the_fields_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(submission, "read_fields", _never)
    data = dict(_fields())
    data["mf_strengths"] = "a" * 100_001
    _refused(data, TooLargeError, "holds 100,001 characters; at most 100,000")
    _refused(urlencoded(list(data.items())), TooLargeError, "holds 100,001 characters")
    data["mf_strengths"] = "a" * 1_000
    _refused(data, TooLargeError, "at most 999", limits=Limits(max_field_chars=999))


def test_a_long_name_is_refused() -> None:
    name = "n" * 100_001
    _refused({**dict(_fields()), name: ""}, TooLargeError, "name is 100,001 characters")
    _refused(urlencoded([*_fields(), (name, "")]), TooLargeError, "name is 100,001 characters")


def _long(max_length: int) -> musforms.Template:
    return musforms.load_template_text(
        MINIMAL.replace("required: true}", f"required: true, max_length: {max_length}}}").replace(
            "id: demo", "id: long"
        )
    )


def _strengths(template: musforms.Template, text: str) -> dict[str, str]:
    fields = browser_fields(template, "employee", {}, properties_of(template, "employee"))
    return {**dict(fields), "mf_strengths": text}


def test_a_template_that_allows_longer_texts_takes_them() -> None:
    long, limits = _long(5_000), Limits(max_field_chars=1_000)
    text = "æ" * 3_000
    assert parse_submission(_strengths(long, text), templates=[long], limits=limits).answers["strengths"] == text
    _refused(_strengths(long, text * 2), TooLargeError, "at most 5,000", templates=[long], limits=limits)


def test_a_text_longer_than_its_field_allows_is_kept_in_an_issue() -> None:
    short, limits = _long(2_000), Limits(max_field_chars=3_000)
    form = parse_submission(_strengths(short, "ø" * 2_500), templates=[short], limits=limits)
    assert [(i.code, i.raw) for i in form.issues] == [("value.too_long", "ø" * 2_500)]
    _refused(_strengths(short, "ø" * 3_001), TooLargeError, "at most 3,000", templates=[short], limits=limits)


def test_the_identity_field_is_bounded_by_the_submission_only() -> None:
    fields = _fields()
    small = Limits(max_field_chars=100)
    assert len(dict(fields)["mf__properties"]) > 100
    assert parse_submission(urlencoded(fields), templates=[DEMO], limits=small).answers["strengths"] == "Godt"
    _refused(urlencoded(fields), TooLargeError, limits=Limits(max_submission_bytes=1_000))


def test_limits_are_at_least_one() -> None:
    for name in ("max_submission_bytes", "max_submission_fields", "max_field_chars"):
        with pytest.raises(ValueError, match=name):
            Limits(**{name: 0})


def test_the_fields_a_form_sends_are_far_within_the_limits() -> None:
    for template in (musforms.load_template(t.id) for t in musforms.list_templates()):
        for role in ("employee", "manager"):
            fields = browser_fields(template, role, {}, properties_of(template, role))
            assert len(fields) < Limits().max_submission_fields // 10
            assert len(urlencoded(fields)) < Limits().max_submission_bytes // 20


# -- anything at all --------------------------------------------------------------------------------------------

_names = st.sampled_from(["mf_strengths", "mf_quality", "mf_methods__o1", "mf_read_guide", "mf_last_talk"]) | st.text(
    max_size=20
)
_values = st.text(max_size=40) | st.sampled_from(["p2", "p9", "na", "x", "on", "2026-02-30", "o1", "\r\n"])
_valid = urlencoded(_fields()).decode("ascii")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extra=st.lists(st.tuples(_names, _values), max_size=12), cut=st.integers(0, len(_valid)))
def test_any_fields_give_a_form_or_a_musforms_error(extra: list[tuple[str, str]], cut: int) -> None:
    for data in (urlencoded([*_fields(), *extra]), _valid[:cut] + "&" + urllib.parse.urlencode(extra)):
        outcome = _outcome(data)
        if isinstance(outcome, MusformsError):
            assert outcome.code.startswith("parse."), outcome.code
        else:
            assert outcome.format == "html"


_any_text = st.text(st.characters(exclude_categories=()) | st.sampled_from(["\ud800", "\r", "\n", "x"]), max_size=30)
_any_value = st.one_of(
    _any_text, st.lists(_any_text, max_size=3), st.integers(), st.none(), st.binary(max_size=5), st.floats()
)


@settings(max_examples=300, deadline=None)
@given(extra=st.dictionaries(_names | _any_text, _any_value, max_size=8))
def test_any_mapping_gives_a_form_or_a_musforms_error(extra: dict[str, Any]) -> None:
    outcome = _outcome({**dict(_fields()), **extra})
    assert not isinstance(outcome, MusformsError) or outcome.code.startswith("parse."), outcome


@settings(max_examples=300, deadline=None)
@given(body=st.binary(max_size=200) | st.text(max_size=200))
def test_any_body_gives_a_musforms_error(body: bytes | str) -> None:
    with pytest.raises(MusformsError):
        parse_submission(body)


@settings(max_examples=200, deadline=None)
@given(
    identity=st.dictionaries(
        st.sampled_from(list(_properties(_fields()))) | st.text(max_size=10),
        st.text(max_size=30) | st.sampled_from(["employee", "manager", "demo", "1.0", DEMO.fingerprint]),
        max_size=8,
    )
)
def test_any_identity_gives_a_form_or_a_musforms_error(identity: dict[str, str]) -> None:
    properties = {**_properties(_fields()), **identity}
    outcome = _outcome(urlencoded(_with_identity(json.dumps(properties))))
    assert not isinstance(outcome, MusformsError) or outcome.code.startswith("parse."), outcome


def test_the_reader_module_names_the_fields_the_spec_names() -> None:
    assert (reader.PROPERTIES_FIELD, reader.SUBMIT_FIELD) == ("mf__properties", "mf__submit")
