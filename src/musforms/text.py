"""Template texts with Jinja expressions, checked and rendered in a sandbox where unknown names are errors."""

from __future__ import annotations

import datetime as dt
import difflib
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, nodes, pass_context
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context as JinjaContext
from jinja2.sandbox import ImmutableSandboxedEnvironment

from musforms.context import EMPLOYEE_ONLY_CONTEXT, SAMPLE_CONTEXT, Context
from musforms.errors import MusformsError

__all__ = ["CONTEXT_NAMES", "TextRenderError", "check_text", "plain_label", "render_text"]

CONTEXT_NAMES: tuple[str, ...] = ("employee", "manager", "company", "meeting", "previous_agreements")
"""The names a template text may use."""

MAX_RENDERED_LENGTH = 100_000

_MONTHS = {
    "da": (
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


class TextRenderError(MusformsError):
    """A template text could not be rendered with the given context."""

    code = "render.text"


@pass_context
def _date_filter(ctx: JinjaContext, value: object) -> str:
    """``{{ meeting.start | date }}``: a date in words, in the template's language."""
    if not isinstance(value, dt.date):
        return "" if value is None else str(value)
    language = ctx.get("language", "da")
    month = _MONTHS.get(language, _MONTHS["en"])[value.month - 1]
    return f"{value.day}. {month} {value.year}" if language == "da" else f"{value.day} {month} {value.year}"


def _time_filter(value: object) -> str:
    """``{{ meeting.start | time }}``: the clock time as ``HH:MM``."""
    if isinstance(value, dt.datetime | dt.time):
        return f"{value.hour:02d}:{value.minute:02d}"
    return "" if value is None else str(value)


_ALLOWED_NAMES = frozenset({*CONTEXT_NAMES, "language", "loop", "range", "namespace"})
"""Names a text may use: the context, the template's language, and Jinja's loop helpers."""


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, which also keeps pydantic's ``model_*`` methods out of reach."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr.startswith(("model_", "_")):
            return False
        return bool(super().is_safe_attribute(obj, attr, value))


def _make_env() -> ImmutableSandboxedEnvironment:
    env = _Sandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.filters["date"] = _date_filter
    env.filters["time"] = _time_filter
    return env


_ENV = _make_env()


def _namespace(context: Context, language: str) -> dict[str, Any]:
    return {
        "employee": context.employee,
        "manager": context.manager,
        "company": context.company,
        "meeting": context.meeting,
        "previous_agreements": context.previous_agreements,
        "language": language,
    }


@lru_cache(maxsize=2048)
def _compile(source: str) -> Any:
    return _ENV.from_string(source)


def _static_problems(source: str) -> list[str]:
    try:
        tree = _ENV.parse(source)
    except TemplateSyntaxError as exc:
        return [f"Jinja syntax error on line {exc.lineno} of the text: {exc.message}"]
    problems: list[str] = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        attr = node.attr if isinstance(node, nodes.Getattr) else getattr(getattr(node, "arg", None), "value", None)
        if isinstance(attr, str) and attr.startswith(("_", "model_")):
            problems.append(f"the expression uses '{attr}': names starting with '_' or 'model_' are not allowed")
    for name_node in tree.find_all(nodes.Name):
        if name_node.ctx == "load" and name_node.name not in _ALLOWED_NAMES:
            if _assigned_in(tree, name_node.name):
                continue
            close = difflib.get_close_matches(name_node.name, CONTEXT_NAMES, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; known names: {', '.join(CONTEXT_NAMES)}"
            problems.append(f"unknown name '{name_node.name}'{hint}")
    return sorted(set(problems))


def _assigned_in(tree: nodes.Template, name: str) -> bool:
    return any(target.name == name for target in tree.find_all(nodes.Name) if target.ctx in ("store", "param"))


def check_text(source: str, language: str = "da") -> list[str]:
    """What is wrong with a template text: syntax, unsafe expressions, unknown names or attributes."""
    if "{" not in source:
        return []
    problems = _static_problems(source)
    if problems:
        return problems
    try:
        render_text(source, SAMPLE_CONTEXT, language)
    except TextRenderError as exc:
        return [exc.message]
    try:
        render_text(source, EMPLOYEE_ONLY_CONTEXT, language)
    except TextRenderError as exc:
        return [
            f"the text fails for a form whose context has only the employee ({exc.message}); "
            "guard optional parts with {% if manager %}, {% if meeting and meeting.start %}, {% if company %}"
        ]
    return []


def render_text(source: str, context: Context, language: str = "da") -> str:
    """Render a template text with ``context`` in the sandbox."""
    if "{" not in source:
        return source
    try:
        result: str = _compile(source).render(_namespace(context, language))
    except SecurityError as exc:
        raise TextRenderError(f"unsafe expression refused: {exc}") from None
    except UndefinedError as exc:
        raise TextRenderError(f"undefined value: {exc.message}") from None
    except TemplateSyntaxError as exc:
        raise TextRenderError(f"Jinja syntax error on line {exc.lineno} of the text: {exc.message}") from None
    except (TypeError, ValueError, ArithmeticError, AttributeError) as exc:
        raise TextRenderError(f"the text could not be rendered: {exc}") from None
    if len(result) > MAX_RENDERED_LENGTH:
        raise TextRenderError(f"the rendered text is longer than {MAX_RENDERED_LENGTH} characters")
    return result


def plain_label(source: str) -> str:
    """A label as one line of text (for schema titles), with its white space folded."""
    return " ".join(source.split())
