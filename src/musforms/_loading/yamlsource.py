"""YAML and JSON text read into dicts and lists that remember the file, line and column of every value."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from musforms._loading.jsonsource import compose_json
from musforms.errors import Problem, TooManyRepeatsError, YamlSyntaxError

__all__ = [
    "Mark",
    "PosDict",
    "PosList",
    "as_posdict",
    "clone",
    "copy_marks",
    "key_mark",
    "locate",
    "located_problem",
    "problem_at",
    "read_yaml",
    "value_mark",
]


@dataclass(frozen=True)
class Mark:
    """A place in a file (1-based line and column)."""

    file: str
    line: int
    column: int
    text: str | None = None
    """A plain scalar that YAML reads as something other than a string (``Yes``, ``1``), as it is written."""


class PosDict(dict[str, Any]):
    """A mapping that knows where it, each key and each value stood in its file."""

    mark: Mark | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_marks: dict[str, Mark] = {}
        self.value_marks: dict[str, Mark] = {}


class PosList(list[Any]):
    """A sequence that knows where it and each item stood in its file."""

    mark: Mark | None = None

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.item_marks: list[Mark | None] = []


_STR_TAG = "tag:yaml.org,2002:str"

MAX_REPEATED_NODES = 100_000
"""How many values anchors (``&a`` ... ``*a``) may repeat in all: more is refused (a "billion laughs" of YAML)."""


def _mark(node: Node, file: str) -> Mark:
    text = None
    if isinstance(node, ScalarNode) and node.style is None and node.tag != _STR_TAG:
        text = node.value
    return Mark(file, node.start_mark.line + 1, node.start_mark.column + 1, text)


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.constructor = yaml.SafeLoader("")
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.repeats = 0

    def build(self, node: Node) -> Any:
        if id(node) in self.seen:  # an alias: its value is built again, and counted
            self.repeats += 1
            if self.repeats > MAX_REPEATED_NODES:
                raise TooManyRepeatsError
        else:
            self.seen.add(id(node))
        if isinstance(node, MappingNode):
            return self._mapping(node)
        if isinstance(node, SequenceNode):
            seq = PosList()
            seq.mark = _mark(node, self.file)
            for item in node.value:
                seq.append(self.build(item))
                seq.item_marks.append(_mark(item, self.file))
            return seq
        assert isinstance(node, ScalarNode)
        return self.constructor.construct_object(node, deep=True)

    def _mapping(self, node: MappingNode) -> PosDict:
        result = PosDict()
        result.mark = _mark(node, self.file)
        for key_node, value_node in node.value:
            where = _mark(key_node, self.file)
            if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(
                    Problem("keys must be plain names", file=self.file, line=where.line, column=where.column)
                )
                continue
            key = str(self.constructor.construct_object(key_node, deep=True))
            if key in result:
                first = result.key_marks[key]
                self.problems.append(
                    Problem(
                        f"key '{key}' appears twice in the same mapping",
                        file=self.file,
                        line=where.line,
                        column=where.column,
                        hint=f"the first is on line {first.line}; keep one",
                        code="template.duplicate_key",
                    )
                )
                continue
            result[key] = self.build(value_node)
            result.key_marks[key] = where
            result.value_marks[key] = _mark(value_node, self.file)
        return result


def read_yaml(text: str, file: str) -> Any:
    """Parse YAML into PosDict/PosList trees; JSON when ``file`` (the name) ends in ``.json``.

    Raises YamlSyntaxError with the line and column of the first syntax error (as JSON's for a .json file),
    or of every duplicate key.
    """
    try:
        node = (
            compose_json(text, file) if file.lower().endswith(".json") else yaml.compose(text, Loader=yaml.SafeLoader)
        )
    except RecursionError:
        raise YamlSyntaxError([_too_deep(file)]) from None
    except json.JSONDecodeError as exc:
        raise YamlSyntaxError(
            [
                Problem(
                    f"not valid JSON: {exc.msg}", file=file, line=exc.lineno, column=exc.colno, code="template.syntax"
                )
            ]
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        what = exc.problem or str(exc)
        raise YamlSyntaxError(
            [Problem(f"not valid YAML: {what}", file=file, line=line, column=column, code="template.syntax")]
        ) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError([Problem(f"not valid YAML: {exc}", file=file, code="template.syntax")]) from None
    if node is None:
        return None
    builder = _Builder(file)
    try:
        data = builder.build(node)
    except RecursionError:
        raise YamlSyntaxError([_too_deep(file)]) from None
    except TooManyRepeatsError:
        raise YamlSyntaxError(
            [
                Problem(
                    f"anchors and aliases (&name, *name) repeat more than {MAX_REPEATED_NODES:,} values",
                    file=file,
                    hint="write the values out, or use 'extends' and named scales instead of aliases",
                    code="template.syntax",
                )
            ]
        ) from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise YamlSyntaxError(
            [
                Problem(
                    f"value not understood: {exc.problem}",
                    file=file,
                    line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None,
                    code="template.syntax",
                )
            ]
        ) from None
    if builder.problems:
        raise YamlSyntaxError(builder.problems)
    return data


def _too_deep(file: str) -> Problem:
    return Problem("the lists and mappings are nested too deeply", file=file, code="template.syntax")


def value_mark(data: Any, loc: tuple[int | str, ...]) -> Mark | None:
    """The place of the value at ``loc`` itself, or None when it has none (unlike :func:`locate`, which falls
    back to the place of the nearest enclosing value)."""
    current: Any = data
    mark: Mark | None = None
    for part in loc:
        if isinstance(current, dict) and isinstance(part, str) and part in current:
            mark = current.value_marks.get(part) if isinstance(current, PosDict) else None
            current = current[part]
        elif isinstance(current, dict) and current.get("kind") == part:
            continue  # the union tag pydantic puts in a field's location
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            marks = current.item_marks if isinstance(current, PosList) else []
            mark = marks[part] if part < len(marks) else None
            current = current[part]
        else:
            return None
    return mark


def locate(data: Any, loc: tuple[int | str, ...]) -> tuple[Mark | None, str]:
    """The best-known place of ``loc`` (a pydantic-style path) in ``data``, and the path as text.

    The path text names list items by their ``id`` where they have one: ``sections[past].fields[strengths]``.
    A union tag in ``loc`` (pydantic puts the ``kind`` of a field there) is passed over.
    """
    best: Mark | None = getattr(data, "mark", None)
    text = ""
    current: Any = data
    for part in loc:
        if isinstance(current, dict) and isinstance(part, str):
            if part in current:
                if isinstance(current, PosDict):
                    best = current.value_marks.get(part, best)
                text += f".{part}" if text else part
                current = current[part]
                continue
            if current.get("kind") == part:
                continue
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            item = current[part]
            if isinstance(current, PosList) and part < len(current.item_marks):
                best = current.item_marks[part] or best
            ident = item.get("id") if isinstance(item, dict) else None
            text += f"[{ident}]" if isinstance(ident, str) else f"[{part}]"
            current = item
            continue
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
        current = None
    return best, text


def key_mark(data: Any, loc: tuple[int | str, ...]) -> Mark | None:
    """The place of the last key of ``loc`` itself (for keys that should not be there)."""
    current: Any = data
    for part in loc[:-1]:
        if isinstance(current, dict) and isinstance(part, str) and part in current:
            current = current[part]
        elif isinstance(current, dict) and current.get("kind") == part:
            continue
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        else:
            return None
    if isinstance(current, PosDict) and loc and isinstance(loc[-1], str):
        return current.key_marks.get(loc[-1])
    return None


def problem_at(
    mark: Mark | None, path: str, message: str, hint: str | None = None, code: str = "template.invalid"
) -> Problem:
    """A problem at a place in a file (or at no known place)."""
    return Problem(
        message,
        path=path,
        file=mark.file if mark else None,
        line=mark.line if mark else None,
        column=mark.column if mark else None,
        hint=hint,
        code=code,
    )


def located_problem(data: Any, loc: tuple[int | str, ...], message: str, hint: str | None = None) -> Problem:
    """A problem at ``loc`` in ``data``, at its best-known place (see :func:`locate`)."""
    mark, path = locate(data, loc)
    return problem_at(mark, path, message, hint)


def clone(value: Any) -> Any:
    """A deep copy that keeps the positions of PosDict and PosList."""
    if isinstance(value, PosDict):
        copy = PosDict({k: clone(v) for k, v in value.items()})
        copy.mark = value.mark
        copy.key_marks = dict(value.key_marks)
        copy.value_marks = dict(value.value_marks)
        return copy
    if isinstance(value, PosList):
        seq = PosList([clone(v) for v in value])
        seq.mark = value.mark
        seq.item_marks = list(value.item_marks)
        return seq
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clone(v) for v in value]
    return value


def as_posdict(value: Mapping[str, Any]) -> PosDict:
    """A mapping given in Python as a PosDict (with no positions), recursively."""
    if isinstance(value, PosDict):
        return value
    result = PosDict()
    for key, item in value.items():
        result[str(key)] = _as_pos(item)
    return result


def _as_pos(value: Any) -> Any:
    if isinstance(value, Mapping):
        return as_posdict(value)
    if isinstance(value, list | tuple):
        seq = PosList([_as_pos(v) for v in value])
        seq.item_marks = [None] * len(seq)
        return seq
    return value


def copy_marks(source: dict[str, Any], target: PosDict, key: str) -> None:
    """Give ``target[key]`` the place it had in ``source`` (none, when ``source`` has no positions)."""
    for marks, target_marks in (
        (getattr(source, "key_marks", {}), target.key_marks),
        (getattr(source, "value_marks", {}), target.value_marks),
    ):
        if key in marks:
            target_marks[key] = marks[key]
        else:
            target_marks.pop(key, None)
