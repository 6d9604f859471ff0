"""JSON text read strictly as JSON, into the nodes YAML's composer makes, each with the line and column it stood at.

YAML reads most JSON too, but not as JSON: it accepts a trailing comma, and its errors speak of YAML. This
reader follows the JSON grammar (RFC 8259) and raises :class:`json.JSONDecodeError` at the place of the first
error; a byte order mark at the start is passed over. The nodes it returns are YAML's
(:class:`yaml.nodes.MappingNode`, :class:`~yaml.nodes.SequenceNode`, :class:`~yaml.nodes.ScalarNode` with
JSON's values tagged as YAML's strings, integers, floats, booleans and nulls), so that the positions of every
value are kept as for YAML, and a key given twice is found the same way.
"""

from __future__ import annotations

import json
import json.decoder
import re
from bisect import bisect_right
from collections.abc import Callable

from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = ["compose_json"]

_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_TAG = "tag:yaml.org,2002:"
_LITERALS = {"true": "bool", "false": "bool", "null": "null"}
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_scanstring: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
"""The standard library's reader of a JSON string (from just after its opening quote), with its errors."""


def compose_json(text: str, name: str) -> Node:
    """The node tree of a JSON text; raises :class:`json.JSONDecodeError` at the first error."""
    return _Reader(text[1:] if text.startswith("\ufeff") else text, name).document()


class _Reader:
    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name
        self.lines = [0, *(m.end() for m in re.finditer("\n", text))]
        """Where each line starts."""

    def fail(self, message: str, at: int) -> json.JSONDecodeError:
        return json.JSONDecodeError(message, self.text, at)

    def mark(self, at: int) -> Mark:
        line = bisect_right(self.lines, at) - 1
        return Mark(self.name, at, line, at - self.lines[line], None, 0)

    def space(self, at: int) -> int:
        match = _SPACE.match(self.text, at)
        assert match is not None
        return match.end()

    def document(self) -> Node:
        node, end = self.value(self.space(0))
        end = self.space(end)
        if end != len(self.text):
            raise self.fail("more after the value (a JSON text holds one value)", end)
        return node

    def value(self, at: int) -> tuple[Node, int]:
        """The value starting at ``at`` (after white space), and where it ends."""
        char = self.text[at : at + 1]
        if char == "{":
            return self.mapping(at)
        if char == "[":
            return self.sequence(at)
        if char == '"':
            string, end = _scanstring(self.text, at + 1, True)
            return ScalarNode(f"{_TAG}str", string, self.mark(at), self.mark(end), style='"'), end
        number = _NUMBER.match(self.text, at)
        if number is not None:
            kind = "float" if number.group(1) or number.group(2) else "int"
            return ScalarNode(f"{_TAG}{kind}", number.group(0), self.mark(at), self.mark(number.end())), number.end()
        word = _WORD.match(self.text, at)
        if word is not None and word.group(0) in _LITERALS:
            end = word.end()
            tag = f"{_TAG}{_LITERALS[word.group(0)]}"
            return ScalarNode(tag, word.group(0), self.mark(at), self.mark(end)), end
        if not char:
            raise self.fail("a value was expected, but the text ends", at)
        found = repr(word.group(0)) if word is not None else repr(char)
        raise self.fail(f"a value was expected, found {found} (text is written in double quotes)", at)

    def mapping(self, start: int) -> tuple[Node, int]:
        pairs: list[tuple[Node, Node]] = []
        at = self.space(start + 1)
        if self.text.startswith("}", at):
            return MappingNode(f"{_TAG}map", pairs, self.mark(start), self.mark(at + 1), flow_style=True), at + 1
        while True:
            if not self.text.startswith('"', at):
                raise self.fail("a key in double quotes was expected", at)
            key, at = self.value(at)
            at = self.space(at)
            if not self.text.startswith(":", at):
                raise self.fail("':' was expected after the key", at)
            value, at = self.value(self.space(at + 1))
            pairs.append((key, value))
            at = self.space(at)
            if self.text.startswith("}", at):
                return MappingNode(f"{_TAG}map", pairs, self.mark(start), self.mark(at + 1), flow_style=True), at + 1
            if not self.text.startswith(",", at):
                raise self.fail("',' or '}' was expected after the value", at)
            comma, at = at, self.space(at + 1)
            if self.text.startswith("}", at):
                raise self.fail("a comma after the last value of an object (JSON allows none; remove it)", comma)

    def sequence(self, start: int) -> tuple[Node, int]:
        items: list[Node] = []
        at = self.space(start + 1)
        if self.text.startswith("]", at):
            return SequenceNode(f"{_TAG}seq", items, self.mark(start), self.mark(at + 1), flow_style=True), at + 1
        while True:
            item, at = self.value(at)
            items.append(item)
            at = self.space(at)
            if self.text.startswith("]", at):
                return SequenceNode(f"{_TAG}seq", items, self.mark(start), self.mark(at + 1), flow_style=True), at + 1
            if not self.text.startswith(",", at):
                raise self.fail("',' or ']' was expected after the value", at)
            comma, at = at, self.space(at + 1)
            if self.text.startswith("]", at):
                raise self.fail("a comma after the last value of a list (JSON allows none; remove it)", comma)
