"""What is wrong with a template text, found before it is used: its syntax, unsafe expressions, unknown names,
attributes and filters, and what rendering it with a full context and with only the employee gives."""

from __future__ import annotations

import dataclasses
import difflib

from jinja2 import TemplateSyntaxError, nodes
from pydantic import BaseModel

from musforms._model.context import EMPLOYEE_ONLY_CONTEXT, SAMPLE_CONTEXT, Company, Meeting, Person
from musforms._model.fields import Role
from musforms._model.values import AgreementRow
from musforms._text.form_facts import FormFacts, RoleWords, ScaleFacts, ScalePointFacts, sample_facts
from musforms._text.sandbox import SANDBOX, UNDEFINED, render_text
from musforms.errors import TextRenderError

__all__ = ["CONTEXT_NAMES", "FORM_NAMES", "JINJA_TEXT_KEYS", "TEXT_NAMES", "TextProblem", "check_text", "text_problems"]

CONTEXT_NAMES: tuple[str, ...] = ("employee", "manager", "company", "meeting", "previous_agreements")
"""The parts of the context a template text may use."""

FORM_NAMES: tuple[str, ...] = ("role", "you", "form")
"""The names that describe the reader and the form: the reader's role, the words that follow it, and the facts of
the form (see :mod:`musforms._text.form_facts`)."""

TEXT_NAMES: tuple[str, ...] = (*CONTEXT_NAMES, *FORM_NAMES, "language", "loop", "range", "namespace")
"""Every name a template text may use: the context, the reader and the form, the template's language, and Jinja's
loop helpers."""

JINJA_TEXT_KEYS = "the template's title and intro, each section's title and guidance, each field's label, help and text"
"""Which texts of a template are rendered with Jinja (for messages); every other text is printed as written."""

_ALLOWED_NAMES = frozenset(TEXT_NAMES)

_MODEL_OF_NAME: dict[str, type[BaseModel]] = {
    "employee": Person,
    "manager": Person,
    "company": Company,
    "meeting": Meeting,
}
"""The model behind each context name, for "has no attribute" messages."""

_FACTS_OF_PATH: dict[str, type] = {
    "form": FormFacts,
    "you": RoleWords,
    "form.scale": ScaleFacts,
    "form.scale.low": ScalePointFacts,
    "form.scale.high": ScalePointFacts,
}
"""The facts behind ``form``, ``you`` and their parts, for "has no attribute" messages."""

_OPTIONAL_GUARDS: dict[str, str] = {
    "manager": "{% if manager %}...{% endif %}",
    "company": "{% if company %}...{% endif %}",
    "meeting": "{% if meeting and meeting.start %}...{% endif %}",
    "previous_agreements": "{% if previous_agreements %}...{% endif %}",
}
"""How to guard each part of the context that a form may not have."""


TextProblem = tuple[str, str | None]
"""What is wrong with a text, and how to fix it (or None)."""


def _attributes(model: type[BaseModel]) -> list[str]:
    """The attributes a text may read from ``model``: its fields, then its properties."""
    properties = [name for name, value in vars(model).items() if isinstance(value, property)]
    return [*model.model_fields, *properties]


def _parse(source: str) -> nodes.Template | TextProblem:
    try:
        return SANDBOX.parse(source)
    except TemplateSyntaxError as exc:
        return (f"Jinja syntax error on line {exc.lineno} of the text: {exc.message}", None)
    except RecursionError:
        return ("the text's expressions are nested too deeply", "write simpler expressions")


def _static_problems(tree: nodes.Template) -> list[TextProblem]:
    problems: list[TextProblem] = []
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
    problems.extend(_facts_problems(tree, assigned))
    for filter_node in tree.find_all(nodes.Filter):
        if filter_node.name not in SANDBOX.filters:
            close = difflib.get_close_matches(filter_node.name, list(SANDBOX.filters), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "see the filters of Jinja, and 'date' and 'time'"
            problems.append((f"unknown filter '{filter_node.name}'", hint))
    return sorted(set(problems), key=lambda p: (p[0], p[1] or ""))


def _path(node: nodes.Node) -> str | None:
    """``form.scale`` for the expression ``form.scale`` (None for anything but names and their attributes)."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        owner = _path(node.node)
        return None if owner is None else f"{owner}.{node.attr}"
    return None


def _facts_problems(tree: nodes.Template, assigned: set[str]) -> list[TextProblem]:
    """An attribute that ``form``, ``you`` or a part of them does not have."""
    problems: list[TextProblem] = []
    for getattr_node in tree.find_all(nodes.Getattr):
        owner = _path(getattr_node.node)
        if owner is None or owner not in _FACTS_OF_PATH or owner.split(".")[0] in assigned:
            continue
        known = [f.name for f in dataclasses.fields(_FACTS_OF_PATH[owner])]
        attr = getattr_node.attr
        if attr in known or attr.startswith(("_", "model_")):
            continue
        close = difflib.get_close_matches(attr, known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"its attributes: {', '.join(known)}"
        problems.append((f"'{owner}' has no attribute '{attr}'", hint))
    return problems


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


def text_problems(source: str, language: str = "da", *, in_form: bool = True) -> list[TextProblem]:
    """What is wrong with a template text, each as ``(what, how to fix it)``.

    Checks the syntax, unsafe expressions, unknown names, attributes and filters, and renders the text with
    a complete context and with one that has only the employee, for each reader (the employee, the manager)
    with the facts of a typical form. A text that is not ``in_form`` (an invitation) is rendered with no role,
    both with and without a form's facts (``form`` may be None there).
    """
    if "{" not in source:
        return []
    tree = _parse(source)
    if not isinstance(tree, nodes.Template):
        return [tree]
    problems = _static_problems(tree)
    if problems:
        return problems
    sample = sample_facts(language)
    readers: list[tuple[Role | None, FormFacts | None]] = (
        [("employee", sample), ("manager", sample)] if in_form else [(None, sample), (None, None)]
    )
    try:
        for role, form in readers:
            render_text(source, SAMPLE_CONTEXT, language, role=role, form=form)
    except TextRenderError as exc:
        return [(exc.message, None)]
    try:
        for role, form in readers:
            render_text(source, EMPLOYEE_ONLY_CONTEXT, language, role=role, form=form)
    except TextRenderError as exc:
        optional = _used_optional_names(tree) or list(_OPTIONAL_GUARDS)
        guards = ", ".join(_OPTIONAL_GUARDS[name] for name in optional)
        detail = exc.message.removeprefix(UNDEFINED)
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
