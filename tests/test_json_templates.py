"""JSON template files are read as JSON: JSON's grammar (no trailing comma), errors that say JSON and give the
line and column, and every value still knows where it stood, so later problems are located in the JSON file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from musforms import TemplateError, check_template, load_template, load_template_text
from musforms._loading.yamlsource import PosDict, PosList, read_yaml
from musforms.errors import YamlSyntaxError

from .conftest import MINIMAL


def _json_template() -> dict[str, Any]:
    return load_template_text(MINIMAL).model_dump(mode="json")


def _problems(path: Path) -> list[str]:
    return [str(p) for p in check_template(path)]


def test_a_syntax_error_says_json_with_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('{\n  "id": "demo",\n  "title" "Demo"\n}\n', encoding="utf-8")
    (problem,) = check_template(path)
    assert problem.message == "not valid JSON: ':' was expected after the key"
    assert (problem.line, problem.column) == (3, 11) and problem.code == "template.syntax"
    assert "YAML" not in str(problem)


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ('{"id": "demo",\n "title": "Demo",\n}', (2, 17), "object"),
        ('{"id": "demo", "tags": ["a", "b" , ]}', (1, 34), "list"),
    ],
)
def test_a_trailing_comma_is_an_error(tmp_path: Path, text: str, where: tuple[int, int], what: str) -> None:
    """The trap: JSON templates were read as YAML, which takes a trailing comma."""
    read_yaml(text, "t.yaml")  # YAML takes it
    path = tmp_path / "t.json"
    path.write_text(text, encoding="utf-8")
    (problem,) = check_template(path)
    assert (
        problem.message
        == f"not valid JSON: a comma after the last value of an {what} (JSON allows none; remove it)".replace(
            "an list", "a list"
        )
    )
    assert (problem.line, problem.column) == where
    assert text.splitlines()[where[0] - 1][where[1] - 1] == ","


def test_text_is_yaml_unless_its_name_ends_in_json() -> None:
    text = json.dumps(_json_template())[:-1] + ",}"  # a trailing comma
    assert load_template_text(text).id == "demo"
    with pytest.raises(TemplateError, match=r"inline\.json:1:\d+: not valid JSON: a comma after the last value"):
        load_template_text(text, name="inline.json")
    assert load_template_text(text[:-2] + "}", name="INLINE.JSON").id == "demo"


def test_a_problem_found_later_is_located_in_the_json_file(tmp_path: Path) -> None:
    data = _json_template()
    data["sections"][1]["fields"][0]["scale"] = "seven"
    path = tmp_path / "t.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    (problem,) = check_template(path)
    assert problem.file == str(path) or problem.file == path.name or problem.file.endswith("t.json")
    assert problem.line is not None and '"seven"' in path.read_text().splitlines()[problem.line - 1]
    assert "unknown scale 'seven'" in problem.message


def test_a_key_given_twice_in_json_is_reported_at_its_place(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('{\n  "id": "demo",\n  "id": "other"\n}', encoding="utf-8")
    (problem,) = check_template(path)
    assert "key 'id' appears twice" in problem.message and (problem.line, problem.column) == (3, 3)


def test_a_byte_order_mark_is_passed_over_and_json_loads(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text("\ufeff" + json.dumps(_json_template(), indent=1), encoding="utf-8")
    assert load_template(path).id == "demo"
    path.write_text('\ufeff{"id": x}', encoding="utf-8")
    (problem,) = check_template(path)
    assert (problem.line, problem.column) == (1, 8) and "found 'x'" in problem.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "a value was expected, but the text ends"),
        ('{"a": NaN}', "a value was expected, found 'NaN'"),
        ('{"a": True}', "a value was expected, found 'True'"),
        ("{'a': 1}", "a key in double quotes was expected"),
        ('{"a": 1} {}', "more after the value"),
        ('{"a": "x\ty"}', "Invalid control character"),
        ('{"a": 01}', "',' or '}' was expected"),
    ],
)
def test_what_json_does_not_allow(text: str, message: str) -> None:
    with pytest.raises(YamlSyntaxError) as info:
        read_yaml(text, "t.json")
    (problem,) = info.value.problems
    assert problem.message.startswith("not valid JSON: ") and message in problem.message


def test_json_nested_too_deeply_is_refused() -> None:
    with pytest.raises(YamlSyntaxError, match="nested too deeply"):
        read_yaml("[" * 5000 + "]" * 5000, "t.json")


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


def _marks_point_at_their_values(data: Any, text: str) -> None:
    starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]  # lines end at "\n" only, as JSON's

    def at(mark: Any) -> Any:
        """The JSON value that starts where ``mark`` points."""
        return json.JSONDecoder().raw_decode(text, starts[mark.line - 1] + mark.column - 1)[0]

    if isinstance(data, PosDict):
        for key, value in data.items():
            assert at(data.key_marks[key]) == key and at(data.value_marks[key]) == value
            _marks_point_at_their_values(value, text)
    elif isinstance(data, PosList):
        for item, mark in zip(data, data.item_marks, strict=True):
            assert at(mark) == item
            _marks_point_at_their_values(item, text)


@settings(max_examples=200, deadline=None)
@given(JSON_VALUES, st.sampled_from([None, 0, 2, "\t"]), st.booleans())
def test_json_reads_as_json_reads_it_and_every_value_knows_its_place(
    value: Any, indent: int | str | None, ascii_only: bool
) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    data = read_yaml(text, "t.json")
    assert data == json.loads(text)
    assert type(data) is type(json.loads(text)) or isinstance(data, PosDict | PosList)
    _marks_point_at_their_values(data, text)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.text(alphabet="ab", max_size=2), JSON_VALUES, max_size=3),
    st.integers(0, 10_000),
    st.sampled_from(["delete", *',:{}[]"0a ']),
)
def test_json_takes_what_the_json_module_takes_and_refuses_what_it_refuses(
    value: dict[str, Any], where: int, change: str
) -> None:
    """A valid text with one character deleted or inserted: read as JSON exactly when Python's json reads it
    (except a key given twice, which musforms reports), and when not, the error is placed inside the text."""
    text = json.dumps(value)
    at = where % (len(text) + 1)
    mutated = text[:at] + text[at + 1 :] if change == "delete" else text[:at] + change + text[at:]
    pairs: list[list[tuple[str, Any]]] = []
    try:
        expected = json.loads(mutated, object_pairs_hook=lambda p: pairs.append(p) or dict(p))
    except json.JSONDecodeError:
        expected = None
    twice = any(len({k for k, _ in p}) < len(p) for p in pairs)
    try:
        data = read_yaml(mutated, "t.json")
    except YamlSyntaxError as exc:
        (problem,) = exc.problems if not twice else exc.problems[:1]
        assert expected is None or twice
        if not twice:
            assert problem.message.startswith("not valid JSON: ")
            assert problem.line is not None and problem.column is not None
            assert 1 <= problem.line <= mutated.count("\n") + 1 and 1 <= problem.column <= len(mutated) + 1
        return
    assert data == expected and not twice
