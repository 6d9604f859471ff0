"""Messages in musforms' words: the mapping from pydantic's error kinds, a corpus of wrong templates (each
reported in its author's file, none in pydantic's wording), every problem at once, the warning for ``extends``
with ``sections:``, wrong API inputs, and the demo's output."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import typing
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator
from pydantic_core.core_schema import ErrorType

import musforms
from musforms import (
    MusformsError,
    NotAFormError,
    RenderError,
    TemplateError,
    check_template,
    load_template,
    load_template_text,
)
from musforms._cli.main import main as cli_main
from musforms._loading.changes import OPERATIONS
from musforms._model.answers import field_adapter
from musforms._model.context import SAMPLE_CONTEXT
from musforms._model.messages import answer_message, context_message, error_message, error_messages

from .conftest import MINIMAL

PYDANTIC_WORDING = (
    "Input should",
    "String should",
    "after validation",
    "type=",
    "input_value",
    "input_type",
    "Field required",
    "Extra inputs",
    "Value error,",
    "Assertion failed",
    "unable to parse",
    "unable to interpret",
    "Tuple should",
    "List should",
    "Dictionary should",
    "should have at least",
    "should have at most",
    "validation error for",
    "For further information",
    "errors.pydantic.dev",
    "Datetimes provided",
    "Unable to extract tag",
    "does not match any of the expected tags",
)
"""pydantic's phrasing and its input echo: none of it may reach a person."""

_KIND_NAMES = re.compile(
    r"\b(" + "|".join(sorted((k for k in typing.get_args(ErrorType) if "_" in k), key=len, reverse=True)) + r")\b"
)
"""pydantic's error kinds (``literal_error``, ``int_parsing``...), which no message may name either."""


def pydantic_wording(text: str) -> list[str]:
    """The pieces of pydantic's wording in ``text`` (an empty list when it speaks musforms' words)."""
    found = [pattern for pattern in PYDANTIC_WORDING if pattern in text]
    found += [match.group(0) for match in _KIND_NAMES.finditer(text)]
    return found


# -- the mapping --------------------------------------------------------------------------------------


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: str = Field(min_length=1, max_length=5)
    minutes: int = Field(default=0, ge=0, le=480)
    lines: tuple[int, ...] = Field(default=(), min_length=1, max_length=2)


class _Checked(BaseModel):
    points: list[int] = []

    @field_validator("points")
    @classmethod
    def _ascending(cls, points: list[int]) -> list[int]:
        if points != sorted(points):
            raise ValueError("scale points need distinct values in ascending order")
        return points


def _error(validator: Any, value: object) -> dict[str, Any]:
    """The first error of validating ``value``."""
    with pytest.raises(ValidationError) as info:
        validator(value)
    return dict(info.value.errors()[0])


@pytest.mark.parametrize(
    ("validator", "value", "name", "message"),
    [
        (TypeAdapter(int).validate_python, "tyve", "minutes", "minutes must be a whole number, found 'tyve'"),
        (TypeAdapter(int).validate_python, 1.5, "minutes", "minutes must be a whole number, found 1.5"),
        (TypeAdapter(int).validate_python, None, "minutes", "minutes must be a whole number, found nothing"),
        (TypeAdapter(bool).validate_python, "måske", "required", "required must be true or false, found 'måske'"),
        (TypeAdapter(str).validate_python, True, "label", "label must be text, found true"),
        (
            TypeAdapter(dt.date).validate_python,
            "snart",
            "deadline",
            "deadline must be a date (yyyy-mm-dd), found 'snart'",
        ),
        (
            TypeAdapter(dt.datetime).validate_python,
            "i morgen",
            "start",
            "start must be a date and time (yyyy-mm-dd hh:mm), found 'i morgen'",
        ),
        (
            TypeAdapter(Literal["da", "en"]).validate_python,
            "dk",
            "language",
            "language must be 'da' or 'en', found 'dk'",
        ),
        (TypeAdapter(list[int]).validate_python, "x", "points", "points must be a list, found 'x'"),
        (TypeAdapter(tuple[int, ...]).validate_python, 3, "audience", "audience must be a list, found 3"),
        (TypeAdapter(dict[str, int]).validate_python, "x", "scales", "scales must be a mapping of keys, found 'x'"),
        (_Row.model_validate, "x", "row", "row must be a mapping of keys, found 'x'"),
        (_Row.model_validate, {}, "action", "missing key 'action'"),
        (lambda v: _Row.model_validate({"action": "a", **v}), {"acton": 1}, "acton", "unknown key 'acton'"),
        (lambda v: _Row(action=v), "", "label", "label must not be empty"),
        (lambda v: _Row(action=v), "abcdefg", "label", "label may have at most 5 characters, found 7 characters"),
        (lambda v: _Row(action="a", minutes=v), 500, "minutes", "minutes must be at most 480, found 500"),
        (lambda v: _Row(action="a", minutes=v), -5, "minutes", "minutes must be at least 0, found -5"),
        (lambda v: _Row(action="a", lines=v), [], "lines", "lines must have at least 1 item, found 0"),
        (lambda v: _Row(action="a", lines=v), [1, 2, 3], "lines", "lines may have at most 2 items, found 3"),
        (
            lambda v: _Checked(points=v),
            [3, 1],
            "points",
            "scale points need distinct values in ascending order",
        ),
        (TypeAdapter(None).validate_python, "x", "owner", "owner must be empty, found 'x'"),
    ],
)
def test_each_kind_of_error_in_musforms_words(validator: Any, value: object, name: str, message: str) -> None:
    error = _error(validator, value)
    assert error_message(error, name=name) == message
    assert not pydantic_wording(message)


def test_a_template_owner_names_the_list() -> None:
    choice: dict[str, Any] = {
        "type": "too_short",
        "loc": ("sections", 0, "fields", 2, "choice", "options"),
        "input": [],
        "ctx": {"field_type": "Tuple", "min_length": 2, "actual_length": 0},
    }
    assert error_message(choice, name="options") == "a choice needs at least 2 options, found 0"
    scale = {**choice, "loc": ("scales", "five", "points"), "ctx": {"min_length": 2, "actual_length": 1}}
    assert error_message(scale, name="points") == "scale 'five' needs at least 2 points, found 1"
    top = {**choice, "loc": ("sections",), "ctx": {"min_length": 1, "actual_length": 0}}
    assert error_message(top, name="sections") == "a template needs at least 1 section, found 0"


def test_the_default_name_is_the_path_and_an_expectation_replaces_the_kind() -> None:
    error = _error(musforms.Context.model_validate, {"employee": {"name": "A"}, "meeting": {"start": "i morgen"}})
    assert error_message(error) == "meeting.start must be a date and time (yyyy-mm-dd hh:mm), found 'i morgen'"
    nine = _error(TypeAdapter(Literal[1, 2, 3]).validate_python, 9)
    assert error_message(nine, name="the answer", expected="a point of scale three (1–3)") == (
        "the answer must be a point of scale three (1–3), found 9"
    )
    assert error_message(nine, name="x", written="9.0") == "x must be 1, 2 or 3, found 9.0"


_ERROR_KINDS = [kind for kind in typing.get_args(ErrorType) if kind not in ("value_error", "assertion_error")]
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=80),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
_LOCS = st.lists(st.one_of(st.sampled_from(["sections", "fields", "label", "scales", "[key]"]), st.integers(0, 3)))


@given(kind=st.sampled_from(_ERROR_KINDS), value=_VALUES, loc=_LOCS)
def test_no_kind_of_error_echoes_pydantic(kind: str, value: object, loc: list[int | str]) -> None:
    """Whatever the kind, location and value, the message is musforms' (pydantic's own ``msg`` is never used)."""
    error = {"type": kind, "loc": tuple(loc), "msg": "Input should be [type=x]", "input": value, "ctx": {}}
    message = error_message(error)
    assert message and not pydantic_wording(message)


def test_own_words_are_kept_without_pydantics_prefix() -> None:
    error = _error(lambda v: _Checked(points=v), [2, 1])
    assert error_messages([error]) == ["scale points need distinct values in ascending order"]
    assert error_messages([error], name="the answer to 'x'") == [
        "the answer to 'x': scale points need distinct values in ascending order"
    ]


# -- the corpus of wrong templates ---------------------------------------------------------------------

CORPUS = Path(__file__).parent / "data" / "wrong_templates"
WRONG = sorted(path for path in CORPUS.glob("*.yaml") if not path.name.startswith("_"))


def _expected(path: Path) -> list[str]:
    """The problems a corpus file says it has (``# expect: line:col: path: message (hint)``, at its end)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.removeprefix("# expect: ") for line in lines if line.startswith("# expect: ")]


def test_the_corpus_is_large_enough() -> None:
    assert len(WRONG) >= 30
    assert sum(1 for path in WRONG if _expected(path)) >= 12


@pytest.mark.parametrize("path", WRONG, ids=lambda path: path.stem)
def test_a_wrong_template_is_reported_in_its_authors_file_in_musforms_words(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(CORPUS)
    problems = check_template(path.name)
    assert problems, f"{path.name} is not reported"
    for problem in problems:
        assert (problem.file, problem.line is not None, problem.column is not None) == (path.name, True, True), (
            f"not located in the author's file: {problem}"
        )
        assert not pydantic_wording(str(problem)), str(problem)
    assert [str(problem).removeprefix(f"{path.name}:") for problem in problems] == _expected(path)
    if any(problem.severity == "error" for problem in problems):
        with pytest.raises(TemplateError):
            load_template(path.name)
    else:
        assert load_template(path.name).id  # warnings alone: the template loads


def test_the_pydantic_error_stays_attached_as_the_cause(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS)
    with pytest.raises(TemplateError) as info:
        load_template("minutes-in-words.yaml")
    assert isinstance(info.value.__cause__, ValidationError)
    assert "int_parsing" in {error["type"] for error in info.value.__cause__.errors()}


# -- every problem at once -----------------------------------------------------------------------------


def test_a_duplicate_id_is_reported_while_the_same_field_has_another_fault() -> None:
    text = MINIMAL.replace(
        "{kind: rating, id: quality, label: Kvalitet i arbejdet, scale: five, not_relevant: true}",
        "{kind: ratng, id: strengths, label: Kvalitet i arbejdet, scale: fiv, lines: many}",
    )
    with pytest.raises(TemplateError) as info:
        load_template_text(text, name="t.yaml")
    found = {(problem.path, problem.message) for problem in info.value.problems}
    assert found == {
        ("sections[past].fields[strengths].kind", "unknown field kind 'ratng'"),
        ("sections[past].fields[strengths].lines", "unknown key 'lines'"),
        ("sections[past].fields[strengths].scale", "unknown scale 'fiv'"),
        ("sections[past].fields[strengths].id", "duplicate id 'strengths'"),
    }


def test_a_faulty_value_is_not_reported_twice() -> None:
    text = MINIMAL.replace("scale: five, raters: [manager]", "scale: Five, raters: [manager]")
    with pytest.raises(TemplateError) as info:
        load_template_text(text, name="t.yaml")
    (problem,) = info.value.problems  # the scale's name, not also an "unknown scale"
    assert problem.message.startswith("scale must be lower-case letters")


_LEAVES = [
    ("language",),
    ("style",),
    ("scales", "five", "points", 0, "value"),
    ("scales", "five", "points", 1),
    ("sections", 0, "audience"),
    ("sections", 1, "minutes"),
    ("sections", 1, "fields", 0, "kind"),
    ("sections", 1, "fields", 0, "scale"),
    ("sections", 1, "fields", 0, "raters"),
    ("sections", 1, "fields", 1, "id"),
    ("sections", 1, "fields", 1, "label"),
    ("sections", 1, "fields", 2, "options"),
    ("sections", 1, "fields", 2, "options", 1, "id"),
    ("sections", 1, "fields", 4, "required"),
    ("sections", 1, "fields", 6, "columns"),
    ("sections", 1, "fields", 8, "text"),
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(st.tuples(st.sampled_from(_LEAVES), _VALUES), min_size=1, max_size=4))
def test_any_damage_is_reported_in_musforms_words(changes: list[tuple[tuple[int | str, ...], object]]) -> None:
    data: Any = yaml.safe_load(MINIMAL)
    for loc, value in changes:
        target = data
        with contextlib.suppress(LookupError, TypeError):  # an earlier change may have replaced the way there
            for part in loc[:-1]:
                target = target[part]
            target[loc[-1]] = value
    for problem in check_template(data):  # never raises
        assert problem.message and not pydantic_wording(str(problem)), str(problem)


# -- extends with sections ---------------------------------------------------------------------------


def test_extends_with_sections_is_a_warning_at_the_authors_sections_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS)
    (warning,) = check_template("extends-soft-with-sections.yaml")
    assert (warning.severity, warning.code) == ("warning", "template.sections_replaced")
    assert (warning.file, warning.line, warning.column, warning.path) == (
        "extends-soft-with-sections.yaml",
        4,
        1,
        "sections",
    )
    assert "replaces all 7 sections of mus-soft-da" in warning.message
    assert warning.hint is not None and "changes: [{add_section: {id: safety," in warning.hint
    assert "add_section" in OPERATIONS
    assert str(warning).startswith("extends-soft-with-sections.yaml:4:1: sections: warning: 'sections' replaces")
    assert len(load_template("extends-soft-with-sections.yaml").sections) == 1


def test_the_spelling_the_warning_shows_adds_a_section() -> None:
    text = (
        "extends: mus-soft-da\nid: acme-mus\nchanges: [{add_section: {id: safety, title: Sikkerhed, fields: "
        "[{kind: text, id: safety_ideas, label: Ideer}]}}]\n"
    )
    template = load_template_text(text, name="acme.yaml")
    assert len(template.sections) == len(load_template("mus-soft-da").sections) + 1
    assert check_template(yaml.safe_load(text)) == []


def test_an_errors_text_is_as_before() -> None:
    problem = musforms.Problem("duplicate id 'a'", path="sections[s].fields[a].id", file="t.yaml", line=3, column=5)
    assert problem.severity == "error"
    assert str(problem) == "t.yaml:3:5: sections[s].fields[a].id: duplicate id 'a'"


def test_validate_prints_warnings_and_answers_ok(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(CORPUS)
    assert cli_main(["validate", "extends-soft-with-sections.yaml"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("extends-soft-with-sections.yaml: ok (acme-mus 1.0, sha256:") and out[0].endswith(
        ", 1 warning"
    )
    assert out[1].startswith("  extends-soft-with-sections.yaml:4:1: sections: warning: 'sections' replaces all 7")
    assert cli_main(["validate", "extends-scored-with-sections.yaml"]) == 1
    err = capsys.readouterr().err
    assert "extends-scored-with-sections.yaml:4:1: style: a scored template needs at least one rating field" in err
    assert not [line for line in err.splitlines() if line.strip().startswith("builtin:")]


# -- wrong API inputs --------------------------------------------------------------------------------


def _causes(exc: BaseException) -> Iterator[BaseException]:
    cause = exc.__cause__
    while cause is not None:
        yield cause
        cause = cause.__cause__


def _refused(call: Any) -> MusformsError:
    with pytest.raises(MusformsError) as info:
        call()
    assert not pydantic_wording(str(info.value)), str(info.value)
    assert any(isinstance(cause, ValidationError) for cause in _causes(info.value)), "the pydantic error is lost"
    return info.value


_ANSWERS = [
    ("docx", {"rate_quality": 9}, "the answer to 'rate_quality' must be a point of scale degree5 (1–5), found 9"),
    ("xlsx", {"rate_quality": 9}, "the answer to 'rate_quality' must be a point of scale degree5 (1–5), found 9"),
    ("docx", {"followup_date": "snart"}, "the answer to 'followup_date' must be a date (yyyy-mm-dd), found 'snart'"),
    (
        "docx",
        {"development_methods": ["kursus"]},
        "choice 1 of the answer to 'development_methods' must be one of the options self_study, job_rotation, "
        "side_by_side, mentoring, course, found 'kursus'",
    ),
    (
        "xlsx",
        {"agreements": [{"action": "KNX-kursus", "deadline": "snart"}]},
        "row 1 of the answer to 'agreements': deadline must be a date (yyyy-mm-dd), found 'snart'",
    ),
    ("docx", {"strengths": 5}, "the answer to 'strengths' must be text, found 5"),
    (
        "docx",
        {"sign_employee": {"name": "Mette", "date": "i går"}},
        "date of the answer to 'sign_employee' must be a date (yyyy-mm-dd), found 'i går'",
    ),
]


@pytest.mark.parametrize(("format", "answers", "message"), _ANSWERS)
def test_a_wrong_answer_to_render_in_musforms_words(format: Any, answers: dict[str, Any], message: str) -> None:
    error = _refused(
        lambda: musforms.render("mus-scored-da", format, role="employee", context=SAMPLE_CONTEXT, answers=answers)
    )
    assert isinstance(error, RenderError) and error.message == message


@pytest.mark.parametrize(("format", "answers", "message"), _ANSWERS)
def test_the_mapping_gives_the_answers_message(format: str, answers: dict[str, Any], message: str) -> None:
    """What render will say, from the mapping the core calls (the cases above, without render)."""
    template = load_template("mus-scored-da")
    ((field_id, value),) = answers.items()
    field = template.field(field_id)
    with pytest.raises(ValidationError) as info:
        field_adapter(template, field).validate_python(value)
    assert answer_message(template, field, info.value) == message


_CONTEXTS = [
    ({"employee": {"name": ""}}, "the context is not valid: employee.name must not be empty"),
    (
        {"employee": {"name": "A"}, "meeting": {"start": "i morgen"}},
        "the context is not valid: meeting.start must be a date and time (yyyy-mm-dd hh:mm), found 'i morgen'",
    ),
    ({"employee": {"name": "A", "age": 40}}, "the context is not valid: unknown key 'employee.age'"),
    (
        {"employee": {"name": "A"}, "meeting": {"duration_minutes": 1000}},
        "the context is not valid: meeting.duration_minutes must be at most 480, found 1000",
    ),
]


@pytest.mark.parametrize(("context", "message"), _CONTEXTS)
def test_a_wrong_context_to_render_in_musforms_words(context: dict[str, Any], message: str) -> None:
    error = _refused(lambda: musforms.render("mus-scored-da", "docx", role="employee", context=context))
    assert error.message == message


@pytest.mark.parametrize(("context", "message"), _CONTEXTS)
def test_a_wrong_context_to_the_plan_in_musforms_words(context: dict[str, Any], message: str) -> None:
    error = _refused(lambda: musforms.render_plan(context))
    assert isinstance(error, RenderError) and error.message == message
    with pytest.raises(ValidationError) as info:
        musforms.Context.model_validate(context)
    assert context_message(info.value) == message


def _damaged(data: bytes, old: bytes, new: bytes) -> bytes:
    """A rendered file with ``old`` replaced by ``new`` in its custom properties."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/custom.xml":
                assert old in content
                content = content.replace(old, new)
            target.writestr(info, content)
    return out.getvalue()


def test_a_form_with_a_damaged_identity_in_musforms_words() -> None:
    template = load_template("mus-scored-da")
    form = musforms.render(template, "docx", role="employee", context=SAMPLE_CONTEXT)
    damaged = _damaged(form, b"<vt:lpwstr>employee</vt:lpwstr>", b"<vt:lpwstr>boss</vt:lpwstr>")
    error = _refused(lambda: musforms.parse(damaged, templates=[template]))
    assert isinstance(error, NotAFormError)
    assert error.message == "the form's identity is damaged: role must be 'employee' or 'manager', found 'boss'"


def test_a_roster_row_in_musforms_words() -> None:
    roster = musforms.read_roster(
        [{"employee_id": "E1", "name": "Mette " * 40, "meeting_start": "2030-03-18 10:00"}], today=dt.date(2030, 3, 1)
    )
    (problem,) = roster.problems
    assert (problem.column, problem.message) == ("name", "name may have at most 200 characters, found 239 characters")


def test_last_years_agreements_in_musforms_words(tmp_path: Path) -> None:
    rows = [{"employee_id": "E1", "name": "Mette", "meeting_start": "2030-03-18 10:00"}]
    previous = {"E1": {"answers": {"agreements": [{"action": "KNX-kursus", "deadline": "snart"}]}}}
    report = musforms.build_packs("mus-scored-da", rows, tmp_path, previous=previous, today=dt.date(2030, 3, 1))
    (outcome,) = report.outcomes
    assert (outcome.status, outcome.message) == (
        "failed",
        "last year's agreement 1 cannot be carried over: deadline must be a date (yyyy-mm-dd), found 'snart'",
    )


def test_an_invitation_in_musforms_words(tmp_path: Path) -> None:
    path = tmp_path / "invitation.yaml"
    path.write_text('language: dansk\nsubject: ""\nbody: Kære {{ employee.first_name }}\nsender: Lars\n', "utf-8")
    with pytest.raises(TemplateError) as info:
        musforms.load_invitation(path)
    assert [str(problem).removeprefix(f"{path}:") for problem in info.value.problems] == [
        "1:11: language: language must be 'da' or 'en', found 'dansk'",
        "2:10: subject: subject must not be empty",
        "4:1: sender: unknown key 'sender'",
    ]
    assert isinstance(info.value.__cause__, ValidationError)


# -- the demo --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_output(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    from musforms._cli.demo import run_demo

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert run_demo(tmp_path_factory.mktemp("demo")) == 0
    return out.getvalue().splitlines()


_REFUSAL = "a rating of 9 is refused: "
"""The line of the demo whose words come from render."""


def test_the_demo_speaks_musforms_words(demo_output: list[str]) -> None:
    assert any(line.startswith(_REFUSAL) for line in demo_output)
    assert any("minutes must be a whole number, found 'lots'" in line for line in demo_output)
    own = [line for line in demo_output if not line.startswith(_REFUSAL)]
    assert not [line for line in own if pydantic_wording(line)]


def test_the_demos_refused_answer_speaks_musforms_words(demo_output: list[str]) -> None:
    assert not [line for line in demo_output if pydantic_wording(line)]
    assert _REFUSAL + "the answer to 'rate_quality' must be a point of scale degree5 (1–5), found 9" in demo_output
