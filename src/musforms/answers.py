"""The typed answers of one role's form, built from a template as a pydantic model."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, create_model

from musforms.fields import (
    AgreementsField,
    CheckField,
    ChoiceField,
    DateField,
    FormField,
    InfoField,
    RatingField,
    Role,
    SignatureField,
    TextField,
)
from musforms.values import NOT_RELEVANT, AgreementRow, Signature

if TYPE_CHECKING:
    from musforms.template import Template

__all__ = ["AnswersModel", "answer_type", "answers_model", "field_adapter"]


class AnswersModel(BaseModel):
    """Base class of every generated answers model: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid")


def answer_type(template: Template, field: FormField) -> Any:
    """The Python type of a non-empty answer to ``field`` (without ``None``)."""
    if isinstance(field, TextField):
        if field.max_length is not None:
            return _constr(field.max_length)
        return str
    if isinstance(field, RatingField):
        values = template.scale_of(field).values
        allowed: tuple[object, ...] = values + ((NOT_RELEVANT,) if field.not_relevant else ())
        return Literal[allowed]
    if isinstance(field, ChoiceField):
        option: Any = Literal[tuple(o.id for o in field.options)]
        return list[option] if field.multiple else option
    if isinstance(field, CheckField):
        return bool
    if isinstance(field, DateField):
        return dt.date
    if isinstance(field, AgreementsField):
        return list[AgreementRow]
    if isinstance(field, SignatureField):
        return Signature
    if isinstance(field, InfoField):
        raise TypeError(f"info field '{field.id}' takes no answer")
    raise TypeError(f"unknown field kind {type(field).__name__}")


def _constr(max_length: int) -> Any:
    from typing import Annotated

    from pydantic import StringConstraints

    return Annotated[str, StringConstraints(max_length=max_length)]


def _field_definition(template: Template, field: FormField) -> tuple[Any, Any]:
    from musforms.text import plain_label

    title = plain_label(getattr(field, "label", None) or field.id)
    description = plain_label(field.help) if field.help else None
    typ = answer_type(template, field)
    if isinstance(field, CheckField):
        return (bool, Field(default=False, title=title, description=description))
    if field.required:
        return (typ, Field(title=title, description=description))
    return (typ | None, Field(default=None, title=title, description=description))


def answers_model(template: Template, role: Role) -> type[AnswersModel]:
    """A pydantic model of the answers ``role`` gives in ``template``'s form (cached per template)."""
    return _cached_model(template, role)


@lru_cache(maxsize=256)
def _cached_model(template: Template, role: Role) -> type[AnswersModel]:
    definitions: dict[str, Any] = {
        field.id: _field_definition(template, field) for field in template.answer_fields(role)
    }
    name = "".join(part.capitalize() for part in template.id.replace(".", "-").split("-") if part)
    model: type[AnswersModel] = create_model(
        f"{name}{role.capitalize()}Answers",
        __base__=AnswersModel,
        __doc__=f"Answers of the {role} in '{template.id}' version {template.version}.",
        **definitions,
    )
    return model


def field_adapter(template: Template, field: FormField) -> TypeAdapter[Any]:
    """A validator of one field's answer (``None`` allowed): what parsers run each value through."""
    return _cached_adapter(template, field.id)


@lru_cache(maxsize=4096)
def _cached_adapter(template: Template, field_id: str) -> TypeAdapter[Any]:
    field = template.field(field_id)
    typ = answer_type(template, field)
    return TypeAdapter(typ | None)
