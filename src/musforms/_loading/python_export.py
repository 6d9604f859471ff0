"""The answers models of a template written as a Python module, for code that is type-checked (``mypy --strict``).

:func:`answers_module_source` gives the text of a module with one pydantic model per role (``EmployeeAnswers``,
``ManagerAnswers``) whose attributes are the field ids, typed by kind: what ``FilledForm.answers_as`` validates a
parsed form's answers into. Like ``Template.answers_model(role)``, every answer may be empty (``None``).
"""

from __future__ import annotations

import json
import keyword
from typing import Any

from musforms._model.answers import REQUIRED_KEY
from musforms._model.fields import (
    ROLES,
    AgreementsField,
    CheckField,
    ChoiceField,
    DateField,
    FormField,
    RatingField,
    SignatureField,
    TextField,
)
from musforms._model.labels import plain_label
from musforms._model.template import Template
from musforms._model.values import NOT_RELEVANT

__all__ = ["answers_module_source", "model_name"]

_TAKEN = frozenset({*keyword.kwlist, "str", "bool", "int", "list", "datetime", "musforms"})
"""Field ids that cannot be an attribute of the generated models as they are (Python's keywords, and the names
the models' annotations use): such a field's attribute gets a trailing ``_``, and the field id is its alias."""


def model_name(role: str) -> str:
    """The class name of ``role``'s answers model in the generated module: ``EmployeeAnswers``."""
    return f"{role.capitalize()}Answers"


def _literal(value: object) -> str:
    """``value`` (text, a number, true or false, None, or a mapping of them) as Python source."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a Python string literal
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _annotation(template: Template, field: FormField) -> str:
    """The type of a non-empty answer to ``field``, as Python source."""
    if isinstance(field, TextField):
        if field.max_length is not None:
            return f"Annotated[str, StringConstraints(max_length={field.max_length})]"
        return "str"
    if isinstance(field, RatingField):
        values: list[object] = list(template.scale_of(field).values)
        if field.not_relevant:
            values.append(NOT_RELEVANT)
        return f"Literal[{', '.join(_literal(v) for v in values)}]"
    if isinstance(field, ChoiceField):
        option = f"Literal[{', '.join(_literal(o.id) for o in field.options)}]"
        return f"list[{option}]" if field.multiple else option
    if isinstance(field, CheckField):
        return "bool"
    if isinstance(field, DateField):
        return "datetime.date"
    if isinstance(field, AgreementsField):
        return "list[musforms.AgreementRow]"
    if isinstance(field, SignatureField):
        return "musforms.Signature"
    raise TypeError(f"field '{field.id}' of kind {field.kind} takes no answer")


def _field_lines(template: Template, field: FormField) -> list[str]:
    attribute = field.id + "_" if field.id in _TAKEN else field.id
    arguments: dict[str, Any] = {"default": False if isinstance(field, CheckField) else None}
    if attribute != field.id:
        arguments["alias"] = field.id
    arguments["title"] = plain_label(getattr(field, "label", None) or field.id)
    if field.help:
        arguments["description"] = plain_label(field.help)
    if field.required:
        arguments["json_schema_extra"] = {REQUIRED_KEY: True}
    typ = _annotation(template, field)
    if not isinstance(field, CheckField):
        typ += " | None"
    lines = [f"    {attribute}: {typ} = Field("]
    lines += [f"        {key}={_literal(value)}," for key, value in arguments.items()]
    lines.append("    )")
    return lines


def answers_module_source(template: Template) -> str:
    """A Python module with the answers models of ``template``: one pydantic model per role, typed by kind.

    The module's docstring names the template's id, version and fingerprint, which are also its constants
    ``TEMPLATE_ID``, ``TEMPLATE_VERSION`` and ``TEMPLATE_FINGERPRINT``. Each model (``EmployeeAnswers``,
    ``ManagerAnswers``) has an attribute per field the role answers, in form order, named by its field id (a
    Python keyword gets a trailing ``_``, with the field id as its alias): ``str`` for text, a ``Literal`` of
    the scale's points (and ``"not_relevant"`` where allowed) for a rating, a ``Literal`` of the option ids (a
    ``list`` of them for a multiple choice), ``bool`` for a check, ``datetime.date``,
    ``list[musforms.AgreementRow]`` and ``musforms.Signature``; each ``| None`` (empty), except a check. Unknown
    keys are refused. Use it with ``form.answers_as(EmployeeAnswers)``.
    """
    body = _models(template)
    head = [
        f'"""The answers of the MUS template {template.id!r} version {template.version}, as typed pydantic models.',
        "",
        f"Template: {template.id} version {template.version}, fingerprint {template.fingerprint}.",
        "",
        "Written by ``musforms schema TEMPLATE --python`` (``musforms.answers_module_source``): write it again when",
        "the template changes. Read a parsed form's answers with ``form.answers_as(EmployeeAnswers)`` (or",
        "``ManagerAnswers``). Every answer may be empty (None), as in any form read; a required field left empty is",
        "an issue of the form.",
        '"""',
        "",
        *_imports(body),
        "__all__ = [",
        *(f'    "{model_name(role)}",' for role in ROLES),
        '    "TEMPLATE_FINGERPRINT",',
        '    "TEMPLATE_ID",',
        '    "TEMPLATE_VERSION",',
        "]",
        "",
        f"TEMPLATE_ID: Final = {_literal(template.id)}",
        f"TEMPLATE_VERSION: Final = {_literal(template.version)}",
        f"TEMPLATE_FINGERPRINT: Final = {_literal(template.fingerprint)}",
    ]
    return "\n".join(head + body) + "\n"


def _models(template: Template) -> list[str]:
    """The lines of the models, one per role."""
    body: list[str] = []
    for role in ROLES:
        fields = template.answer_fields(role)
        aliased = any(f.id in _TAKEN for f in fields)
        config = 'ConfigDict(extra="forbid", populate_by_name=True)' if aliased else 'ConfigDict(extra="forbid")'
        body += [
            "",
            "",
            f"class {model_name(role)}(BaseModel):",
            f'    """The answers of the {role} in {template.id!r} version {template.version}."""',
            "",
            f"    model_config = {config}",
        ]
        for field in fields:
            body.append("")
            body += _field_lines(template, field)
    return body


def _imports(body: list[str]) -> list[str]:
    """The import lines the models' lines need, and no other."""
    text = "\n".join(body)
    typing = [name for name in ("Annotated", "Final", "Literal") if name == "Final" or f"{name}[" in text]
    pydantic = ["BaseModel", "ConfigDict", "Field"] + (["StringConstraints"] if "StringConstraints(" in text else [])
    lines = ["import datetime"] if "datetime.date" in text else []
    lines += [f"from typing import {', '.join(typing)}", "", f"from pydantic import {', '.join(pydantic)}", ""]
    if "musforms." in text:
        lines += ["import musforms", ""]
    return lines
