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
from pydantic import BaseModel

from musforms.context import EMPLOYEE_ONLY_CONTEXT, SAMPLE_CONTEXT, Company, Context, Meeting, Person
from musforms.errors import MusformsError
from musforms.values import AgreementRow

__all__ = [
    "CONTEXT_NAMES",
    "JINJA_TEXT_KEYS",
    "TEXT_NAMES",
    "TextRenderError",
    "check_text",
    "plain_label",
    "render_text",
    "text_problems",
]

CONTEXT_NAMES: tuple[str, ...] = ("employee", "manager", "company", "meeting", "previous_agreements")
"""The parts of the context a template text may use."""

TEXT_NAMES: tuple[str, ...] = (*CONTEXT_NAMES, "language", "loop", "range", "namespace")
"""Every name a template text may use: the context, the template's language, and Jinja's loop helpers."""

JINJA_TEXT_KEYS = "the template's title and intro, each section's title and guidance, each field's label, help and text"
"""Which texts of a template are rendered with Jinja (for messages); every other text is printed as written."""

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


_ALLOWED_NAMES = frozenset(TEXT_NAMES)
_UNDEFINED = "undefined value: "

_MODEL_OF_NAME: dict[str, type[BaseModel]] = {
    "employee": Person,
    "manager": Person,
    "company": Company,
    "meeting": Meeting,
}
"""The model behind each context name, for "has no attribute" messages."""

_OPTIONAL_GUARDS: dict[str, str] = {
    "manager": "{% if manager %}...{% endif %}",
    "company": "{% if company %}...{% endif %}",
    "meeting": "{% if meeting and meeting.start %}...{% endif %}",
    "previous_agreements": "{% if previous_agreements %}...{% endif %}",
}
"""How to guard each part of the context that a form may not have."""


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


Problem = tuple[str, str | None]
"""What is wrong with a text, and how to fix it (or None)."""


def _attributes(model: type[BaseModel]) -> list[str]:
    """The attributes a text may read from ``model``: its fields, then its properties."""
    properties = [name for name, value in vars(model).items() if isinstance(value, property)]
    return [*model.model_fields, *properties]


def _parse(source: str) -> nodes.Template | Problem:
    try:
        return _ENV.parse(source)
    except TemplateSyntaxError as exc:
        return (f"Jinja syntax error on line {exc.lineno} of the text: {exc.message}", None)
    except RecursionError:
        return ("the text's expressions are nested too deeply", "write simpler expressions")


def _static_problems(tree: nodes.Template) -> list[Problem]:
    problems: list[Problem] = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        attr = node.attr if isinstance(node, nodes.Getattr) else getattr(getattr(node, "arg", None), "value", None)
        if isinstance(attr, str) and attr.startswith(("_", "model_")):
            problems.append(
                (f"the expression uses '{attr}'", "remove it: names starting with '_' or 'model_' are not allowed")
            )
    assigned = {target.name for target in tree.find_all(nodes.Name) if target.ctx in ("store", "param")}
    for name_node in tree.find_all(nodes.Name):
        name = name_node.name
        if name_node.ctx == "load" and name not in _ALLOWED_NAMES and name not in assigned:
            close = difflib.get_close_matches(name, TEXT_NAMES, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known names: {', '.join(TEXT_NAMES)}"
            problems.append((f"unknown name '{name}'", hint))
    models = {**_MODEL_OF_NAME, **_agreement_loop_names(tree)}
    for getattr_node in tree.find_all(nodes.Getattr):
        owner = getattr_node.node
        if not isinstance(owner, nodes.Name) or owner.ctx != "load" or owner.name not in models:
            continue
        if owner.name in assigned and owner.name in _MODEL_OF_NAME:
            continue  # a name the text assigns itself
        attr = getattr_node.attr
        known = _attributes(models[owner.name])
        if attr in known or attr.startswith(("_", "model_")):
            continue
        close = difflib.get_close_matches(attr, known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"its attributes: {', '.join(known)}"
        problems.append((f"'{owner.name}' has no attribute '{attr}'", hint))
    for filter_node in tree.find_all(nodes.Filter):
        if filter_node.name not in _ENV.filters:
            close = difflib.get_close_matches(filter_node.name, list(_ENV.filters), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "see the filters of Jinja, and 'date' and 'time'"
            problems.append((f"unknown filter '{filter_node.name}'", hint))
    return sorted(set(problems), key=lambda p: (p[0], p[1] or ""))


def _agreement_loop_names(tree: nodes.Template) -> dict[str, type[BaseModel]]:
    """The loop variables of ``{% for a in previous_agreements %}``: each is an agreement row."""
    names: dict[str, type[BaseModel]] = {}
    for loop in tree.find_all(nodes.For):
        if (
            isinstance(loop.iter, nodes.Name)
            and loop.iter.name == "previous_agreements"
            and isinstance(loop.target, nodes.Name)
        ):
            names[loop.target.name] = AgreementRow
    return names


def _used_optional_names(tree: nodes.Template) -> list[str]:
    used = {node.name for node in tree.find_all(nodes.Name) if node.ctx == "load"}
    return [name for name in _OPTIONAL_GUARDS if name in used]


def text_problems(source: str, language: str = "da") -> list[Problem]:
    """What is wrong with a template text, each as ``(what, how to fix it)``.

    Checks the syntax, unsafe expressions, unknown names, attributes and filters, and renders the text with
    a complete context and with one that has only the employee.
    """
    if "{" not in source:
        return []
    tree = _parse(source)
    if not isinstance(tree, nodes.Template):
        return [tree]
    problems = _static_problems(tree)
    if problems:
        return problems
    try:
        render_text(source, SAMPLE_CONTEXT, language)
    except TextRenderError as exc:
        return [(exc.message, None)]
    try:
        render_text(source, EMPLOYEE_ONLY_CONTEXT, language)
    except TextRenderError as exc:
        optional = _used_optional_names(tree) or list(_OPTIONAL_GUARDS)
        guards = ", ".join(_OPTIONAL_GUARDS[name] for name in optional)
        detail = exc.message.removeprefix(_UNDEFINED)
        return [
            (
                f"the text fails for a form whose context has only the employee: {detail}",
                f"a form may have no {' or '.join(optional)}; guard the parts that use it with {guards}",
            )
        ]
    return []


def check_text(source: str, language: str = "da") -> list[str]:
    """What is wrong with a template text (see :func:`text_problems`), each as one line with its fix."""
    return [f"{message} ({hint})" if hint else message for message, hint in text_problems(source, language)]


def render_text(source: str, context: Context, language: str = "da") -> str:
    """Render a template text with ``context`` in the sandbox."""
    if "{" not in source:
        return source
    try:
        result: str = _compile(source).render(_namespace(context, language))
    except SecurityError as exc:
        raise TextRenderError(f"unsafe expression refused: {exc}") from None
    except UndefinedError as exc:
        raise TextRenderError(f"{_UNDEFINED}{exc.message}") from None
    except TemplateSyntaxError as exc:
        raise TextRenderError(f"Jinja syntax error on line {exc.lineno} of the text: {exc.message}") from None
    except RecursionError:
        raise TextRenderError("the text's expressions are nested too deeply") from None
    except Exception as exc:  # whatever a text's expression raises (KeyError, IndexError, ...) is its fault
        raise TextRenderError(f"the text could not be rendered: {type(exc).__name__}: {exc}") from None
    if len(result) > MAX_RENDERED_LENGTH:
        raise TextRenderError(f"the rendered text is longer than {MAX_RENDERED_LENGTH} characters")
    return result


def plain_label(source: str) -> str:
    """A label as one line of text (for schema titles), with its white space folded.

    A Jinja expression becomes its text in angle brackets (``{{ employee.first_name }}`` gives
    ``<employee.first_name>``); tags such as ``{% if manager %}`` and comments are left out.
    """
    if "{" not in source:
        return " ".join(source.split())
    try:
        tokens = list(_ENV.lex(source))
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
