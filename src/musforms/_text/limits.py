"""The limits of one text's rendering: time, loops, output and the size of every value a text makes, and the
checks that keep to them (counted per render, in a budget the sandbox sets for each text)."""

from __future__ import annotations

import contextlib
import functools
import gc
import inspect
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from jinja2 import StrictUndefined, pass_context
from jinja2.runtime import Context as JinjaContext
from jinja2.utils import Namespace

from musforms.errors import TextRenderError

__all__ = [
    "MAX_LOOP_ITERATIONS",
    "MAX_NUMBER_BITS",
    "MAX_OUTPUT",
    "MAX_RENDERED_LENGTH",
    "MAX_RENDER_SECONDS",
    "MAX_VALUE_SIZE",
    "LimitedNamespace",
    "budget",
    "cap",
    "cap_bits",
    "check_format_string",
    "check_join",
    "check_replace",
    "check_strftime",
    "clock",
    "concat",
    "counted",
    "finalize",
    "guarded_filter",
    "loop_filter",
    "refuse",
    "tick",
    "value_filter",
    "weigh",
]

MAX_RENDERED_LENGTH = 100_000
"""The most characters a rendered text may have (also each ``{% set %}`` block or macro inside it)."""
MAX_VALUE_SIZE = 100_000
"""The most characters a string, or items a list (nested lists counted through), that a text makes may have."""
MAX_OUTPUT = 1_000_000
"""The most characters a text's expressions may write in all, including into ``{% set %}`` blocks and macros."""
MAX_LOOP_ITERATIONS = 10_000
"""The most times the loops of one text may run, all loops together (nested loops multiply)."""
MAX_RENDER_SECONDS = 0.5
"""How much processor time one text may take to render (a text normally takes well under a millisecond)."""
MAX_NUMBER_BITS = 10_000
"""How large (in bits) a number that a text computes may become (``10 ** 10 ** 8`` is refused at once)."""

_collecting = threading.local()
"""This thread's time in Python's garbage collector: ``spent`` so far, and when the collection going on
``started``."""


def _count_collection(phase: str, _info: dict[str, int]) -> None:
    """Add the time of each garbage collection to this thread's ``spent`` (a :data:`gc.callbacks` entry)."""
    if phase == "start":
        _collecting.started = time.thread_time()
    elif phase == "stop":
        started = getattr(_collecting, "started", None)
        if started is not None:
            _collecting.spent = getattr(_collecting, "spent", 0.0) + time.thread_time() - started
            _collecting.started = None


gc.callbacks.append(_count_collection)


def clock() -> float:
    """The clock a text's time limits are counted on: the processor time of the thread rendering it, so that a
    text is stopped for the work it makes, never because other work shares the machine (a wall clock would
    refuse an ordinary form on a busy server); less the time that thread spent collecting garbage, which the
    whole process's objects make (a full collection in a large process can take longer than any text may)."""
    return time.thread_time() - getattr(_collecting, "spent", 0.0)


@dataclass
class _Budget:
    deadline: float
    loops: int = 0
    output: int = 0
    weights: dict[int, tuple[Any, int]] = field(default_factory=dict)
    """The weight of each container already weighed in this render, by id (the container kept alive)."""


_BUDGET: ContextVar[_Budget | None] = ContextVar("musforms_text_budget", default=None)


@contextlib.contextmanager
def budget(deadline: float) -> Iterator[None]:
    """Count what the text rendered inside the block does against its limits, until ``deadline`` (a
    :func:`clock` time)."""
    token = _BUDGET.set(_Budget(deadline))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def refuse(message: str) -> TextRenderError:
    """The error a text that breaks a limit raises."""
    return TextRenderError(message)


def tick() -> None:
    """Refuse a text whose render has run past its deadline."""
    budget = _BUDGET.get()
    if budget is not None and clock() > budget.deadline:
        raise refuse(f"the text took longer than {MAX_RENDER_SECONDS} s to render; write a simpler text")


def weigh(value: Any, limit: int = MAX_VALUE_SIZE) -> None:
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
            raise refuse(f"the text makes a value larger than {limit:,} characters or items; write a simpler text")
    if budget is not None and isinstance(value, list | tuple | dict):
        known[id(value)] = (value, total)


def cap(number: Any, what: str) -> None:
    """Refuse a size argument (a width, a count) above :data:`MAX_VALUE_SIZE`; ``what`` names it."""
    if isinstance(number, int) and abs(number) > MAX_VALUE_SIZE:
        raise refuse(f"{what} of {number:,} in the text is more than {MAX_VALUE_SIZE:,}")


def cap_bits(bits: int) -> None:
    """Refuse a number that would grow beyond :data:`MAX_NUMBER_BITS` bits."""
    if bits > MAX_NUMBER_BITS:
        raise refuse(f"a number in the text would grow beyond {MAX_NUMBER_BITS:,} bits")


def counted(iterable: Iterable[Any]) -> Iterator[Any]:
    """Iterate, counting each step against the text's loop budget and its deadline."""
    budget = _BUDGET.get()
    for item in iterable:
        if budget is not None:
            budget.loops += 1
            if budget.loops > MAX_LOOP_ITERATIONS:
                raise refuse(f"the text's loops run more than {MAX_LOOP_ITERATIONS:,} times; write a simpler text")
            if clock() > budget.deadline:
                raise refuse(f"the text took longer than {MAX_RENDER_SECONDS} s to render; write a simpler text")
        yield item


@pass_context
def loop_filter(_ctx: JinjaContext, iterable: Iterable[Any]) -> Iterator[Any]:
    """The filter put around every loop's iterable: each step counted (see :func:`counted`)."""
    return counted(iterable)


@pass_context
def value_filter(_ctx: JinjaContext, value: Any) -> Any:
    """The filter put around every list, tuple, dict and ``~`` a text builds: its size weighed."""
    tick()
    weigh(value)
    return value


def finalize(value: Any) -> Any:
    """Every ``{{ ... }}`` passes here before it is written: counted against the text's output budget."""
    if isinstance(value, StrictUndefined):
        return value  # written, it raises the usual "undefined value" error
    tick()
    weigh(value)
    text = value if isinstance(value, str) else str(value)
    budget = _BUDGET.get()
    if budget is not None:
        budget.output += len(text)
        if budget.output > MAX_OUTPUT:
            raise refuse(f"the text writes more than {MAX_OUTPUT:,} characters; write a simpler text")
    return text


def concat(pieces: Iterable[str]) -> str:
    """Join a text's pieces (the whole text, a ``{% set %}`` block, a macro's output), within the size limit."""
    kept: list[str] = []
    total = 0
    for piece in pieces:
        total += len(piece)
        if total > MAX_RENDERED_LENGTH:
            raise refuse(f"the rendered text is longer than {MAX_RENDERED_LENGTH} characters")
        kept.append(piece)
    return "".join(kept)


_FORMAT_FIELD = re.compile(r"\{[^{}]*:[^{}]*\}")
_PERCENT_SPEC = re.compile(r"%[^a-zA-Z%]*")
_BIG_NUMBER = re.compile(r"\d{6,}")


def check_format_string(text: str) -> None:
    """Refuse widths and precisions that would make a huge string (``{:>999999999}``, ``%999999999d``)."""
    for spec in (*_FORMAT_FIELD.findall(text), *_PERCENT_SPEC.findall(text)):
        if _BIG_NUMBER.search(spec) or "*" in spec:
            raise refuse("a format in the text asks for a width or precision that is too large")
    if re.search(r"\{[^{}]*:[^{}]*\{", text):
        raise refuse("a format in the text takes its width from an argument, which is not allowed")


def check_strftime(fmt: Any) -> None:
    """Refuse a date format that asks for a huge width (``%999999d``)."""
    if isinstance(fmt, str) and re.search(r"%[-_0^#]*\d{3,}", fmt):
        raise refuse("a date format in the text asks for a width that is too large")


def check_replace(s: Any, old: Any, new: Any, count: Any = None) -> None:
    """Refuse a ``replace`` whose result would be larger than :data:`MAX_VALUE_SIZE`."""
    text, old_text, new_text = str(s), str(old), str(new)
    found = len(text) + 1 if old_text == "" else text.count(old_text)
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    if len(text) + found * len(new_text) > MAX_VALUE_SIZE:
        raise refuse(f"a replace in the text would make more than {MAX_VALUE_SIZE:,} characters")


def check_join(items: list[Any], separator: Any) -> None:
    """Refuse a ``join`` whose separators alone would be larger than :data:`MAX_VALUE_SIZE`."""
    if len(items) * len(str(separator)) > MAX_VALUE_SIZE:
        raise refuse(f"a join in the text would make more than {MAX_VALUE_SIZE:,} characters")


def _check_indent(s: Any, width: Any = 4, *_args: Any, **_kwargs: Any) -> None:
    if isinstance(width, str):
        if (str(s).count("\n") + 1) * len(width) > MAX_VALUE_SIZE:
            raise refuse(f"an indent in the text would make more than {MAX_VALUE_SIZE:,} characters")
    else:
        cap(width, "an indent")


def _check_wordwrap(
    s: Any, width: Any = 79, break_long_words: Any = True, wrapstring: Any = None, *_args: Any, **_kwargs: Any
) -> None:
    cap(width, "a wrap width")
    wraps = len(str(s)) // width + 1 if isinstance(width, int) and width > 0 else 0
    if wrapstring is not None and wraps * len(str(wrapstring)) > MAX_VALUE_SIZE:
        raise refuse(f"a wordwrap in the text would make more than {MAX_VALUE_SIZE:,} characters")


_SIZE_PARAMETERS = frozenset({"width", "linecount", "slices", "indent", "length"})
"""Parameters of Jinja's filters that set the size of what they make."""


def guarded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` checked: the deadline, the size of its input and arguments, and of what it gives back."""
    skip = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0
    try:
        signature: inspect.Signature | None = inspect.signature(func)
    except (TypeError, ValueError):
        signature = None

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        tick()
        values = list(args[skip:])
        for value in (*values, *kwargs.values()):
            weigh(value)
        if signature is not None:
            with contextlib.suppress(TypeError):  # wrong arguments: the filter itself says so
                for parameter, value in signature.bind(*args, **kwargs).arguments.items():
                    if parameter in _SIZE_PARAMETERS:
                        cap(value, f"a {parameter}")
        if name == "indent" and values:
            _check_indent(*values, **kwargs)
        elif name == "wordwrap" and values:
            _check_wordwrap(*values, **kwargs)
        elif name == "replace" and len(values) >= 3:
            check_replace(*values[:4])
        elif name == "format" and values and isinstance(values[0], str):
            check_format_string(values[0])
        elif name == "join" and values:
            items = list(values[0])
            separator = values[1] if len(values) > 1 else kwargs.get("d", "")
            check_join(items, separator)
            args = (*args[:skip], items, *args[skip + 1 :])
        result = func(*args, **kwargs)
        weigh(result)
        return result

    return guarded


class LimitedNamespace(Namespace):
    """Jinja's ``namespace()``, whose attributes may not grow beyond :data:`MAX_VALUE_SIZE`."""

    def __setitem__(self, name: str, value: Any) -> None:
        tick()
        weigh(value)
        super().__setitem__(name, value)
