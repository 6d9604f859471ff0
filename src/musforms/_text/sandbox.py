"""The sandbox template texts are rendered in: Jinja's immutable sandbox, which reads no file and reaches no
private attribute, with every loop step and value checked against the limits of :mod:`musforms._text.limits`;
unknown names are errors."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, cast

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, meta, nodes, pass_context
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context as JinjaContext
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from musforms._model.context import Company, Context, Meeting, Person
from musforms._model.fields import Role
from musforms._model.values import AgreementRow
from musforms._text.dates import date_in_words
from musforms._text.form_facts import FormFacts, named_company, role_words
from musforms._text.limits import (
    MAX_RENDER_SECONDS,
    MAX_RENDERED_LENGTH,
    MAX_VALUE_SIZE,
    LimitedNamespace,
    budget,
    cap,
    cap_bits,
    check_format_string,
    check_join,
    check_replace,
    check_strftime,
    clock,
    concat,
    counted,
    finalize,
    guarded_filter,
    loop_filter,
    refuse,
    tick,
    value_filter,
    weigh,
)
from musforms.errors import TextRenderError

__all__ = ["SANDBOX", "UNDEFINED", "current_scope", "render_text", "text_scope", "time_limit"]

UNDEFINED = "undefined value: "
"""How the message of a text that uses an undefined value starts."""

_OUTER_DEADLINE: ContextVar[float | None] = ContextVar("musforms_text_deadline", default=None)
_SCOPE: ContextVar[tuple[Role | None, FormFacts | None]] = ContextVar("musforms_text_scope", default=(None, None))


@contextlib.contextmanager
def text_scope(role: Role | None, form: FormFacts | None) -> Iterator[None]:
    """Render every text inside the block, unless it is given its own, for a reader in ``role`` and with the
    facts ``form`` of the form it stands in (the formats' render fronts open one per form)."""
    token = _SCOPE.set((role, form))
    try:
        yield
    finally:
        _SCOPE.reset(token)


def current_scope() -> tuple[Role | None, FormFacts | None]:
    """The reader's role and the form's facts of the enclosing :func:`text_scope` (None, None outside one)."""
    return _SCOPE.get()


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Give every text rendered inside the block, together, at most ``seconds`` (used when a template's texts
    are checked, so that a template of many slow texts still fails in bounded time)."""
    deadline = clock() + seconds
    outer = _OUTER_DEADLINE.get()
    token = _OUTER_DEADLINE.set(deadline if outer is None else min(outer, deadline))
    try:
        yield
    finally:
        _OUTER_DEADLINE.reset(token)


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
        tick()
        if isinstance(obj, str) and attribute in ("format", "format_map"):
            check_format_string(obj)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        tick()
        return super().getitem(obj, argument)

    def call(__self, __context: JinjaContext, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        tick()
        for value in args:
            weigh(value)
        for key, value in kwargs.items():
            if key not in ("_loop_vars", "_block_vars"):
                weigh(value)
        if isinstance(__obj, LoopContext) and args:  # a recursive loop's next level
            args = (counted(args[0]), *args[1:])
        owner = getattr(__obj, "__self__", None)
        method = getattr(__obj, "__name__", "")
        if isinstance(owner, str):
            if method in _METHOD_SIZES and args:
                cap(args[0], "a width")
            elif method == "expandtabs":
                size = args[0] if args else kwargs.get("tabsize", 8)
                cap(size, "a tab size")
                if isinstance(size, int) and owner.count("\t") * size > MAX_VALUE_SIZE:
                    raise refuse(f"an expandtabs in the text would make more than {MAX_VALUE_SIZE:,} characters")
            elif method == "replace" and len(args) >= 2:
                check_replace(owner, args[0], args[1], args[2] if len(args) > 2 else None)
            elif method == "join" and args:
                items = list(args[0])
                weigh(items)
                check_join(items, owner)
                args = (items, *args[1:])
        elif isinstance(owner, dt.date | dt.time) and method == "strftime" and args:
            check_strftime(args[0])
        result = super().call(__context, __obj, *args, **kwargs)
        weigh(result)
        return result

    def call_binop(self, context: JinjaContext, operator: str, left: Any, right: Any) -> Any:
        tick()
        sized = (str, bytes, list, tuple)
        if operator == "+" and isinstance(left, sized) and isinstance(right, sized):
            weigh([left, right])
        elif operator == "*":
            seq: Any = left if isinstance(left, sized) else right if isinstance(right, sized) else None
            times: Any = right if seq is left else left
            if seq is not None and isinstance(times, int) and times > 0:
                if len(seq) * times > MAX_VALUE_SIZE:
                    raise refuse(f"a repetition in the text would make more than {MAX_VALUE_SIZE:,} items")
                weigh([seq] * times)
            elif isinstance(left, int) and isinstance(right, int):
                cap_bits(left.bit_length() + right.bit_length())
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
            if abs(left) > 1:
                cap_bits(left.bit_length() * right)
        elif operator == "%" and isinstance(left, str):
            check_format_string(left)
        result = super().call_binop(context, operator, left, right)
        weigh(result)
        return result

    def get_template(self, *args: Any, **kwargs: Any) -> Any:
        raise SecurityError("a text cannot include, import or extend other templates")

    select_template = get_template
    get_or_select_template = get_template


def _make_env() -> ImmutableSandboxedEnvironment:
    env = _Sandbox(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False, finalize=finalize, loader=None
    )
    env.concat = concat  # type: ignore[method-assign]
    env.filters["date"] = _date_filter
    env.filters["time"] = _time_filter
    env.filters = {name: guarded_filter(name, func) for name, func in env.filters.items()}
    env.filters["_mf_loop"] = loop_filter
    env.filters["_mf_value"] = value_filter
    env.globals = {"range": env.globals["range"], "namespace": LimitedNamespace}
    return env


SANDBOX = _make_env()
"""The environment every template text is checked and rendered in."""


def _namespace(context: Context, language: str, role: Role | None, form: FormFacts | None) -> dict[str, Any]:
    return {
        "employee": context.employee,
        "manager": context.manager,
        "company": named_company(form.company_name if form is not None else None, context.company),
        "meeting": context.meeting,
        "previous_agreements": context.previous_agreements,
        "language": language,
        "role": role,
        "you": role_words(role, language),
        "form": form,
    }


@lru_cache(maxsize=2048)
def _compile(source: str) -> Any:
    return SANDBOX.from_string(source)


_FORM_ONLY = frozenset({"language", "role", "you", "form", "range", "namespace"})
"""The names a text may use and still read the same for every person: the reader's role and the form's facts."""


@lru_cache(maxsize=2048)
def _about_the_form_only(source: str) -> bool:
    """Whether ``source`` uses no name of the context (no person, company, meeting or agreement): then what it
    says depends only on the language, the reader's role and the form, and is rendered once for all forms."""
    try:
        names = meta.find_undeclared_variables(SANDBOX.parse(source))
    except (TemplateSyntaxError, RecursionError, MemoryError):
        return False  # rendered every time, so that the error is raised where it belongs
    return names <= _FORM_ONLY


_SAME_FOR_EVERYONE: dict[tuple[str, str, Role | None, int], tuple[FormFacts | None, str]] = {}
"""Texts about the form only, as rendered, by source, language, role and the identity of the form's facts (which
:func:`~musforms._text.form_facts.form_facts` makes once per template; the facts are kept beside the text, so
that a key is never taken for another form's whose facts were made at the same address)."""
_MAX_SAME = 4096


def render_text(
    source: str, context: Context, language: str = "da", *, role: Role | None = None, form: FormFacts | None = None
) -> str:
    """Render a template text with ``context`` in the sandbox, within the limits of time, loops and size.

    ``role`` is the reader's role (``role`` and ``you`` in the text; None: a text no one role reads, such as the
    invitation or a label in a summary) and ``form`` the facts of the form the text stands in (``form``; None
    where there is no form). Either, when not given, is the one of the enclosing :func:`text_scope`.
    """
    if "{" not in source:
        return source
    scoped_role, scoped_form = _SCOPE.get()
    role = role if role is not None else scoped_role
    form = form if form is not None else scoped_form
    if not _about_the_form_only(source):
        return _render(source, context, language, role, form)
    key = (source, language, role, id(form))
    kept = _SAME_FOR_EVERYONE.get(key)
    if kept is not None and kept[0] is form:
        return kept[1]
    result = _render(source, context, language, role, form)
    if len(_SAME_FOR_EVERYONE) >= _MAX_SAME:
        _SAME_FOR_EVERYONE.clear()
    _SAME_FOR_EVERYONE[key] = (form, result)
    return result


def _render(source: str, context: Context, language: str, role: Role | None, form: FormFacts | None) -> str:
    """Render ``source`` in the sandbox, within the limits."""
    deadline = clock() + MAX_RENDER_SECONDS
    outer = _OUTER_DEADLINE.get()
    if outer is not None:
        if clock() > outer:
            raise TextRenderError("the template's texts took too long to check; write simpler texts")
        deadline = min(deadline, outer)
    with budget(deadline):
        try:
            result: str = _compile(source).render(_namespace(context, language, role, form))
        except TextRenderError:
            raise
        except SecurityError as exc:
            raise TextRenderError(f"unsafe expression refused: {exc}") from None
        except UndefinedError as exc:
            raise TextRenderError(f"{UNDEFINED}{exc.message}") from None
        except TemplateSyntaxError as exc:
            raise TextRenderError(f"Jinja syntax error on line {exc.lineno} of the text: {exc.message}") from None
        except RecursionError:
            raise TextRenderError("the text's expressions are nested too deeply") from None
        except MemoryError:
            raise TextRenderError("the text needs too much memory to render") from None
        except Exception as exc:  # whatever a text's expression raises (KeyError, IndexError, ...) is its fault
            raise TextRenderError(f"the text could not be rendered: {type(exc).__name__}: {exc}") from None
    if len(result) > MAX_RENDERED_LENGTH:
        raise TextRenderError(f"the rendered text is longer than {MAX_RENDERED_LENGTH} characters")
    return result
