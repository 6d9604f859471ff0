"""A template text as one plain line (for schema titles): Jinja expressions shown as their text, tags left out."""

from __future__ import annotations

from jinja2 import Environment, TemplateSyntaxError

__all__ = ["plain_label"]

_LEXING = Environment()
"""Only its lexer is used, with Jinja's default delimiters (those of template texts); nothing is rendered."""


def plain_label(source: str) -> str:
    """A label as one line of text (for schema titles), with its white space folded.

    A Jinja expression becomes its text in angle brackets (``{{ employee.first_name }}`` gives
    ``<employee.first_name>``); tags such as ``{% if manager %}`` and comments are left out.
    """
    if "{" not in source:
        return " ".join(source.split())
    try:
        tokens = list(_LEXING.lex(source))
    except (TemplateSyntaxError, RecursionError):
        return " ".join(source.split())
    parts: list[str] = []
    expression: list[str] | None = None
    inside_tag = False
    for _line, kind, value in tokens:
        if kind == "variable_begin":
            expression = []
        elif kind == "variable_end" and expression is not None:
            parts.append("<" + " ".join("".join(expression).split()) + ">")
            expression = None
        elif expression is not None:
            expression.append(value)
        elif kind in ("block_begin", "comment_begin", "linestatement_begin", "linecomment_begin"):
            inside_tag = True
        elif kind in ("block_end", "comment_end", "linestatement_end", "linecomment_end"):
            inside_tag = False
        elif kind == "data" and not inside_tag:
            parts.append(value)
    if expression is not None or inside_tag:  # a tag left open: not Jinja after all
        return " ".join(source.split())
    return " ".join("".join(parts).split())
