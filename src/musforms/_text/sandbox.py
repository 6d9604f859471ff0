"""Template texts with Jinja expressions, checked and rendered in a sandbox where unknown names are errors."""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import functools
import inspect
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, nodes, pass_context
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context as JinjaContext
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace
from jinja2.visitor import NodeTransformer
from pydantic import BaseModel

from musforms._model.context import EMPLOYEE_ONLY_CONTEXT, SAMPLE_CONTEXT, Company, Context, Meeting, Person
from musforms._model.values import AgreementRow
from musforms.errors import TextRenderError

__all__ = [
    "CONTEXT_NAMES",
    "JINJA_TEXT_KEYS",
    "TEXT_NAMES",
    "check_text",
    "date_in_words",
    "meeting_when",
    "plain_label",
    "render_text",
    "text_problems",
    "time_limit",
]

CONTEXT_NAMES: tuple[str, ...] = ("employee", "manager", "company", "meeting", "previous_agreements")
"""The parts of the context a template text may use."""

TEXT_NAMES: tuple[str, ...] = (*CONTEXT_NAMES, "language", "loop", "range", "namespace")
"""Every name a template text may use: the context, the template's language, and Jinja's loop helpers."""

JINJA_TEXT_KEYS = "the template's title and intro, each section's title and guidance, each field's label, help and text"
"""Which texts of a template are rendered with Jinja (for messages); every other text is printed as written."""

MAX_RENDERED_LENGTH = 100_000
"""The most characters a rendered text may have (also each ``{% set %}`` block or macro inside it)."""
MAX_VALUE_SIZE = 100_000
"""The most characters a string, or items a list (nested lists counted through), that a text makes may have."""
MAX_OUTPUT = 1_000_000
"""The most characters a text's expressions may write in all, including into ``{% set %}`` blocks and macros."""
MAX_LOOP_ITERATIONS = 10_000
"""The most times the loops of one text may run, all loops together (nested loops multiply)."""
MAX_RENDER_SECONDS = 0.5
"""How long one text may take to render (a text normally takes well under a millisecond)."""
MAX_NUMBER_BITS = 10_000
"""How large (in bits) a number that a text computes may become (``10 ** 10 ** 8`` is refused at once)."""

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


def date_in_words(value: dt.date, language: str) -> str:
    """A date in words, in ``language``: ``16. marts 2026``, ``16 March 2026``."""
    month = _MONTHS.get(language, _MONTHS["en"])[value.month - 1]
    return f"{value.day}. {month} {value.year}" if language == "da" else f"{value.day} {month} {value.year}"


def meeting_when(meeting: Meeting | None, language: str) -> str:
    """When a meeting is, as the forms print it: ``16. marts 2026, 10:00–11:00``; empty without a start."""
    if meeting is None or meeting.start is None:
        return ""
    start, end = meeting.start, meeting.end
    return f"{date_in_words(start, language)}, {start:%H:%M}" + (f"–{end:%H:%M}" if end else "")


@pass_context
def _date_filter(ctx: JinjaContext, value: object) -> str:
    """``{{ meeting.start | date }}``: a date in words, in the template's language."""
    if not isinstance(value, dt.date):
        return "" if value is None else str(value)
    return date_in_words(value, ctx.get("language", "da"))


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


# -- limits of a text: time, loops, sizes -------------------------------------------------------------------


@dataclass
class _Budget:
    deadline: float
    loops: int = 0
    output: int = 0
    weights: dict[int, tuple[Any, int]] = field(default_factory=dict)
    """The weight of each container already weighed in this render, by id (the container kept alive)."""


_BUDGET: ContextVar[_Budget | None] = ContextVar("musforms_text_budget", default=None)
_OUTER_DEADLINE: ContextVar[float | None] = ContextVar("musforms_text_deadline", default=None)


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Give every text rendered inside the block, together, at most ``seconds`` (used when a template's texts
    are checked, so that a template of many slow texts still fails in bounded time)."""
    deadline = time.monotonic() + seconds
    outer = _OUTER_DEADLINE.get()
    token = _OUTER_DEADLINE.set(deadline if outer is None else min(outer, deadline))
    try:
        yield
    finally:
        _OUTER_DEADLINE.reset(token)


def _refuse(message: str) -> TextRenderError:
    return TextRenderError(message)


def _tick() -> None:
    budget = _BUDGET.get()
    if budget is not None and time.monotonic() > budget.deadline:
        raise _refuse(f"the text took longer than {MAX_RENDER_SECONDS} s to render; write a simpler text")


def _weigh(value: Any, limit: int = MAX_VALUE_SIZE) -> None:
    """Refuse a value larger than ``limit``: characters of strings plus items of lists, tuples and mappings,
    nested ones counted each time they occur (so lists built of lists cannot grow exponentially).

    Containers weighed before in the same render are not walked again (the sandbox cannot change them).
    """
    budget = _BUDGET.get()
    known = budget.weights if budget is not None else {}
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str | bytes):
            total += len(item)
        elif id(item) in known and known[id(item)][0] is item:
            total += known[id(item)][1]
        elif isinstance(item, list | tuple | set | frozenset):
            total += 1 + len(item)
            if total <= limit:
                stack.extend(item)
        elif isinstance(item, dict):
            total += 1 + 2 * len(item)
            if total <= limit:
                stack.extend(item.keys())
                stack.extend(item.values())
        elif isinstance(item, Namespace):
            stack.append(dict(object.__getattribute__(item, "_Namespace__attrs")))
        else:
            total += 1
        if total > limit:
            raise _refuse(f"the text makes a value larger than {limit:,} characters or items; write a simpler text")
    if budget is not None and isinstance(value, list | tuple | dict):
        known[id(value)] = (value, total)


def _cap(number: Any, what: str) -> None:
    if isinstance(number, int) and abs(number) > MAX_VALUE_SIZE:
        raise _refuse(f"{what} of {number:,} in the text is more than {MAX_VALUE_SIZE:,}")


def _cap_bits(bits: int) -> None:
    if bits > MAX_NUMBER_BITS:
        raise _refuse(f"a number in the text would grow beyond {MAX_NUMBER_BITS:,} bits")


def _counted(iterable: Iterable[Any]) -> Iterator[Any]:
    """Iterate, counting each step against the text's loop budget and its deadline."""
    budget = _BUDGET.get()
    for item in iterable:
        if budget is not None:
            budget.loops += 1
            if budget.loops > MAX_LOOP_ITERATIONS:
                raise _refuse(f"the text's loops run more than {MAX_LOOP_ITERATIONS:,} times; write a simpler text")
            if time.monotonic() > budget.deadline:
                raise _refuse(f"the text took longer than {MAX_RENDER_SECONDS} s to render; write a simpler text")
        yield item


@pass_context
def _loop_filter(_ctx: JinjaContext, iterable: Iterable[Any]) -> Iterator[Any]:
    return _counted(iterable)


@pass_context
def _value_filter(_ctx: JinjaContext, value: Any) -> Any:
    _tick()
    _weigh(value)
    return value


def _finalize(value: Any) -> Any:
    """Every ``{{ ... }}`` passes here before it is written: counted against the text's output budget."""
    if isinstance(value, StrictUndefined):
        return value  # written, it raises the usual "undefined value" error
    _tick()
    _weigh(value)
    text = value if isinstance(value, str) else str(value)
    budget = _BUDGET.get()
    if budget is not None:
        budget.output += len(text)
        if budget.output > MAX_OUTPUT:
            raise _refuse(f"the text writes more than {MAX_OUTPUT:,} characters; write a simpler text")
    return text


def _concat(pieces: Iterable[str]) -> str:
    """Join a text's pieces (the whole text, a ``{% set %}`` block, a macro's output), within the size limit."""
    kept: list[str] = []
    total = 0
    for piece in pieces:
        total += len(piece)
        if total > MAX_RENDERED_LENGTH:
            raise _refuse(f"the rendered text is longer than {MAX_RENDERED_LENGTH} characters")
        kept.append(piece)
    return "".join(kept)


_FORMAT_FIELD = re.compile(r"\{[^{}]*:[^{}]*\}")
_PERCENT_SPEC = re.compile(r"%[^a-zA-Z%]*")
_BIG_NUMBER = re.compile(r"\d{6,}")


def _check_format_string(text: str) -> None:
    """Refuse widths and precisions that would make a huge string (``{:>999999999}``, ``%999999999d``)."""
    for spec in (*_FORMAT_FIELD.findall(text), *_PERCENT_SPEC.findall(text)):
        if _BIG_NUMBER.search(spec) or "*" in spec:
            raise _refuse("a format in the text asks for a width or precision that is too large")
    if re.search(r"\{[^{}]*:[^{}]*\{", text):
        raise _refuse("a format in the text takes its width from an argument, which is not allowed")


def _check_strftime(fmt: Any) -> None:
    if isinstance(fmt, str) and re.search(r"%[-_0^#]*\d{3,}", fmt):
        raise _refuse("a date format in the text asks for a width that is too large")


def _check_replace(s: Any, old: Any, new: Any, count: Any = None) -> None:
    text, old_text, new_text = str(s), str(old), str(new)
    found = len(text) + 1 if old_text == "" else text.count(old_text)
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    if len(text) + found * len(new_text) > MAX_VALUE_SIZE:
        raise _refuse(f"a replace in the text would make more than {MAX_VALUE_SIZE:,} characters")


def _check_join(items: list[Any], separator: Any) -> None:
    if len(items) * len(str(separator)) > MAX_VALUE_SIZE:
        raise _refuse(f"a join in the text would make more than {MAX_VALUE_SIZE:,} characters")


def _check_indent(s: Any, width: Any = 4, *_args: Any, **_kwargs: Any) -> None:
    if isinstance(width, str):
        if (str(s).count("\n") + 1) * len(width) > MAX_VALUE_SIZE:
            raise _refuse(f"an indent in the text would make more than {MAX_VALUE_SIZE:,} characters")
    else:
        _cap(width, "an indent")


def _check_wordwrap(
    s: Any, width: Any = 79, break_long_words: Any = True, wrapstring: Any = None, *_args: Any, **_kwargs: Any
) -> None:
    _cap(width, "a wrap width")
    wraps = len(str(s)) // width + 1 if isinstance(width, int) and width > 0 else 0
    if wrapstring is not None and wraps * len(str(wrapstring)) > MAX_VALUE_SIZE:
        raise _refuse(f"a wordwrap in the text would make more than {MAX_VALUE_SIZE:,} characters")


_SIZE_PARAMETERS = frozenset({"width", "linecount", "slices", "indent", "length"})
"""Parameters of Jinja's filters that set the size of what they make."""


def _guarded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` checked: the deadline, the size of its input and arguments, and of what it gives back."""
    skip = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0
    try:
        signature: inspect.Signature | None = inspect.signature(func)
    except (TypeError, ValueError):
        signature = None

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _tick()
        values = list(args[skip:])
        for value in (*values, *kwargs.values()):
            _weigh(value)
        if signature is not None:
            with contextlib.suppress(TypeError):  # wrong arguments: the filter itself says so
                for parameter, value in signature.bind(*args, **kwargs).arguments.items():
                    if parameter in _SIZE_PARAMETERS:
                        _cap(value, f"a {parameter}")
        if name == "indent" and values:
            _check_indent(*values, **kwargs)
        elif name == "wordwrap" and values:
            _check_wordwrap(*values, **kwargs)
        elif name == "replace" and len(values) >= 3:
            _check_replace(*values[:4])
        elif name == "format" and values and isinstance(values[0], str):
            _check_format_string(values[0])
        elif name == "join" and values:
            items = list(values[0])
            separator = values[1] if len(values) > 1 else kwargs.get("d", "")
            _check_join(items, separator)
            args = (*args[:skip], items, *args[skip + 1 :])
        result = func(*args, **kwargs)
        _weigh(result)
        return result

    return guarded


class _Namespace(Namespace):
    """Jinja's ``namespace()``, whose attributes may not grow beyond :data:`MAX_VALUE_SIZE`."""

    def __setitem__(self, name: str, value: Any) -> None:
        _tick()
        _weigh(value)
        super().__setitem__(name, value)


class _Guards(NodeTransformer):
    """Rewrites a text's syntax tree so that every loop step and every value it builds is checked."""

    def visit_For(self, node: nodes.For) -> nodes.Node:  # noqa: N802 (Jinja's visitor names)
        self.generic_visit(node)
        node.iter = _filter(cast(nodes.Expr, node.iter), "_mf_loop")
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:  # noqa: N802
        self.generic_visit(node)
        node.nodes = [_filter(item, "_mf_value") for item in node.nodes]
        return _filter(node, "_mf_value")

    def _container(self, node: nodes.Expr) -> nodes.Node:
        self.generic_visit(node)
        if getattr(node, "ctx", "load") != "load":
            return node
        return _filter(node, "_mf_value")

    visit_List = _container  # noqa: N815
    visit_Tuple = _container  # noqa: N815
    visit_Dict = _container  # noqa: N815


def _filter(node: nodes.Expr, name: str) -> nodes.Filter:
    return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)


_METHOD_SIZES = frozenset({"center", "ljust", "rjust", "zfill"})
_CONTEXT_FIELDS: dict[type, frozenset[str]] = {
    model: frozenset(model.model_fields) for model in (Context, Person, Company, Meeting, AgreementRow)
}
"""The fields of the models a context is made of (none starts with ``_`` or ``model_``)."""


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, which also keeps pydantic's ``model_*`` methods out of reach, loads no other
    template, and checks time, loops and the size of every value (see the ``MAX_*`` limits)."""

    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        fields = _CONTEXT_FIELDS.get(type(obj))
        if fields is not None and attr in fields:
            return True  # a declared field of a context model: data, which Jinja's checks would allow too
        if attr.startswith(("model_", "_")):
            return False
        return bool(super().is_safe_attribute(obj, attr, value))

    def _generate(
        self, source: nodes.Template, name: str | None, filename: str | None, defer_init: bool = False
    ) -> str:
        return str(super()._generate(_Guards().visit(source), name, filename, defer_init))

    def getattr(self, obj: Any, attribute: str) -> Any:
        _tick()
        if isinstance(obj, str) and attribute in ("format", "format_map"):
            _check_format_string(obj)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _tick()
        return super().getitem(obj, argument)

    def call(__self, __context: JinjaContext, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _tick()
        for value in args:
            _weigh(value)
        for key, value in kwargs.items():
            if key not in ("_loop_vars", "_block_vars"):
                _weigh(value)
        if isinstance(__obj, LoopContext) and args:  # a recursive loop's next level
            args = (_counted(args[0]), *args[1:])
        owner = getattr(__obj, "__self__", None)
        method = getattr(__obj, "__name__", "")
        if isinstance(owner, str):
            if method in _METHOD_SIZES and args:
                _cap(args[0], "a width")
            elif method == "expandtabs":
                size = args[0] if args else kwargs.get("tabsize", 8)
                _cap(size, "a tab size")
                if isinstance(size, int) and owner.count("\t") * size > MAX_VALUE_SIZE:
                    raise _refuse(f"an expandtabs in the text would make more than {MAX_VALUE_SIZE:,} characters")
            elif method == "replace" and len(args) >= 2:
                _check_replace(owner, args[0], args[1], args[2] if len(args) > 2 else None)
            elif method == "join" and args:
                items = list(args[0])
                _weigh(items)
                _check_join(items, owner)
                args = (items, *args[1:])
        elif isinstance(owner, dt.date | dt.time) and method == "strftime" and args:
            _check_strftime(args[0])
        result = super().call(__context, __obj, *args, **kwargs)
        _weigh(result)
        return result

    def call_binop(self, context: JinjaContext, operator: str, left: Any, right: Any) -> Any:
        _tick()
        sized = (str, bytes, list, tuple)
        if operator == "+" and isinstance(left, sized) and isinstance(right, sized):
            _weigh([left, right])
        elif operator == "*":
            seq: Any = left if isinstance(left, sized) else right if isinstance(right, sized) else None
            times: Any = right if seq is left else left
            if seq is not None and isinstance(times, int) and times > 0:
                if len(seq) * times > MAX_VALUE_SIZE:
                    raise _refuse(f"a repetition in the text would make more than {MAX_VALUE_SIZE:,} items")
                _weigh([seq] * times)
            elif isinstance(left, int) and isinstance(right, int):
                _cap_bits(left.bit_length() + right.bit_length())
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
            if abs(left) > 1:
                _cap_bits(left.bit_length() * right)
        elif operator == "%" and isinstance(left, str):
            _check_format_string(left)
        result = super().call_binop(context, operator, left, right)
        _weigh(result)
        return result

    def get_template(self, *args: Any, **kwargs: Any) -> Any:
        raise SecurityError("a text cannot include, import or extend other templates")

    select_template = get_template
    get_or_select_template = get_template


def _make_env() -> ImmutableSandboxedEnvironment:
    env = _Sandbox(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False, finalize=_finalize, loader=None
    )
    env.concat = _concat  # type: ignore[method-assign]
    env.filters["date"] = _date_filter
    env.filters["time"] = _time_filter
    env.filters = {name: _guarded_filter(name, func) for name, func in env.filters.items()}
    env.filters["_mf_loop"] = _loop_filter
    env.filters["_mf_value"] = _value_filter
    env.globals = {"range": env.globals["range"], "namespace": _Namespace}
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
    if any(True for _ in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends))):
        problems.append(
            (
                "a text cannot include, import or extend other templates ({% include %}, {% import %}, {% extends %})",
                "write the text itself; a text reads no files",
            )
        )
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
    """Render a template text with ``context`` in the sandbox, within the limits of time, loops and size."""
    if "{" not in source:
        return source
    deadline = time.monotonic() + MAX_RENDER_SECONDS
    outer = _OUTER_DEADLINE.get()
    if outer is not None:
        if time.monotonic() > outer:
            raise TextRenderError("the template's texts took too long to check; write simpler texts")
        deadline = min(deadline, outer)
    token = _BUDGET.set(_Budget(deadline))
    try:
        result: str = _compile(source).render(_namespace(context, language))
    except TextRenderError:
        raise
    except SecurityError as exc:
        raise TextRenderError(f"unsafe expression refused: {exc}") from None
    except UndefinedError as exc:
        raise TextRenderError(f"{_UNDEFINED}{exc.message}") from None
    except TemplateSyntaxError as exc:
        raise TextRenderError(f"Jinja syntax error on line {exc.lineno} of the text: {exc.message}") from None
    except RecursionError:
        raise TextRenderError("the text's expressions are nested too deeply") from None
    except MemoryError:
        raise TextRenderError("the text needs too much memory to render") from None
    except Exception as exc:  # whatever a text's expression raises (KeyError, IndexError, ...) is its fault
        raise TextRenderError(f"the text could not be rendered: {type(exc).__name__}: {exc}") from None
    finally:
        _BUDGET.reset(token)
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
