"""The typed answers of one role's form, built from a template as a pydantic model."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, cast

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    TypeAdapter,
    create_model,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticOmit

from musforms._model.fields import (
    AGREEMENT_COLUMNS,
    AgreementColumn,
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
from musforms._model.labels import plain_label
from musforms._model.values import NOT_RELEVANT, AgreementRow, Signature

if TYPE_CHECKING:
    from musforms._model.template import Template

__all__ = [
    "REQUIRED_KEY",
    "AnswerKind",
    "AnswersModel",
    "TableRow",
    "answer_kinds",
    "answer_type",
    "answers_model",
    "field_adapter",
    "table_row_model",
]


AnswerKind = Literal["text", "rating", "choice", "check", "date", "agreements", "signature"]
"""The kind of the field an answer belongs to (the field's ``kind``): what ``FilledForm.kinds`` records."""


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
        ids = tuple(o.id for o in field.options)
        option: Any = Literal[ids]
        if not field.multiple:
            return option
        return Annotated[list[option], AfterValidator(_InOptionOrder(ids)), _UniqueItems()]
    if isinstance(field, CheckField):
        return bool
    if isinstance(field, DateField):
        return dt.date
    if isinstance(field, AgreementsField):
        row: Any = table_row_model(field.id, field.columns)
        return list[row]
    if isinstance(field, SignatureField):
        return Signature
    if isinstance(field, InfoField):
        raise TypeError(f"info field '{field.id}' takes no answer")
    raise TypeError(f"unknown field kind {type(field).__name__}")


class _InOptionOrder:
    """The chosen options of a multiple choice, each once, in the order of the field's options."""

    def __init__(self, ids: Sequence[str]) -> None:
        self.order = {ident: index for index, ident in enumerate(ids)}

    def __call__(self, chosen: list[str]) -> list[str]:
        seen: set[str] = set()
        for ident in chosen:
            if ident in seen:
                raise ValueError(f"option '{ident}' is chosen twice")
            seen.add(ident)
        return sorted(chosen, key=self.order.__getitem__)


class _UniqueItems:
    """Marks a list's JSON Schema with ``uniqueItems``."""

    def __get_pydantic_json_schema__(self, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema["uniqueItems"] = True
        return schema


class _NotInSchema:
    """Leaves a field out of the JSON Schema (like pydantic's ``SkipJsonSchema``)."""

    def __get_pydantic_json_schema__(self, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        raise PydanticOmit


class TableRow(AgreementRow):
    """A row of one agreements table: an :class:`AgreementRow` that takes only the table's columns.

    The other columns are ``None``; they are left out of its dumps and of its JSON Schema. A general
    ``AgreementRow`` (or a row of another table) validates as one if it has no value outside the columns.
    """

    columns: ClassVar[tuple[AgreementColumn, ...]] = AGREEMENT_COLUMNS

    def __eq__(self, other: object) -> bool:
        """Equal to any agreement row (general or of another table) with the same values."""
        if isinstance(other, AgreementRow):
            return all(getattr(self, key) == getattr(other, key) for key in _ROW_KEYS)
        return NotImplemented

    __hash__ = AgreementRow.__hash__  # the same values hash alike, whatever the row's class

    @model_validator(mode="before")
    @classmethod
    def _only_the_columns(cls, data: Any) -> Any:
        if isinstance(data, AgreementRow) and not isinstance(data, cls):
            data = data.model_dump(exclude_none=True)
        if isinstance(data, dict):
            outside = [
                key for key, value in data.items() if key in _ROW_KEYS and key not in cls.columns and value is not None
            ]
            if outside:
                raise ValueError(f"the table has no '{outside[0]}' column (its columns: {', '.join(cls.columns)})")
        return data


_ROW_KEYS = frozenset(AgreementRow.model_fields)


@lru_cache(maxsize=256)
def table_row_model(field_id: str, columns: tuple[AgreementColumn, ...]) -> type[TableRow]:
    """The row model of the agreements field ``field_id`` with ``columns`` (cached)."""
    name = "".join(part.capitalize() for part in field_id.split("_") if part) + "Row"
    not_a_column: Any = Annotated[None, _NotInSchema()]
    hidden: dict[str, Any] = {
        column: (not_a_column, Field(default=None, exclude=True))
        for column in AGREEMENT_COLUMNS
        if column not in columns
    }
    model: type[TableRow] = create_model(
        name,
        __base__=TableRow,
        __doc__=f"One agreement of the table '{field_id}': {', '.join(columns)}.",
        **hidden,
    )
    model.columns = columns
    return model


def _constr(max_length: int) -> Any:
    from typing import Annotated

    from pydantic import StringConstraints

    return Annotated[str, StringConstraints(max_length=max_length)]


def _field_definition(template: Template, field: FormField, complete: bool) -> tuple[Any, Any]:
    title = plain_label(getattr(field, "label", None) or field.id)
    description = plain_label(field.help) if field.help else None
    typ = answer_type(template, field)
    if isinstance(field, CheckField):
        return (bool, Field(default=False, title=title, description=description))
    if field.required and complete:
        return (typ, Field(title=title, description=description))
    extra: dict[str, Any] | None = {REQUIRED_KEY: True} if field.required else None
    return (typ | None, Field(default=None, title=title, description=description, json_schema_extra=extra))


REQUIRED_KEY = "x-required"
"""The JSON Schema keyword that marks a required field's property in an answers model that allows it empty."""


def answers_model(template: Template, role: Role, *, complete: bool = False) -> type[AnswersModel]:
    """A pydantic model of the answers ``role`` gives in ``template``'s form (cached per template).

    Every answer may be empty (``None``; a check ``False``), as in any form ``parse`` reads: a required field
    left empty is an issue of the form, not a wrong answer, and its property carries ``"x-required": true`` in
    the JSON Schema. With ``complete``, a required field must be given (its property is ``required``).
    """
    return _cached_model(template, role, complete)


@lru_cache(maxsize=256)
def _cached_model(template: Template, role: Role, complete: bool) -> type[AnswersModel]:
    definitions: dict[str, Any] = {
        field.id: _field_definition(template, field, complete) for field in template.answer_fields(role)
    }
    name = "".join(part.capitalize() for part in template.id.replace(".", "-").split("-") if part)
    which = "Complete answers" if complete else "Answers"
    model: type[AnswersModel] = create_model(
        f"{name}{role.capitalize()}{'Complete' if complete else ''}Answers",
        __base__=AnswersModel,
        __doc__=f"{which} of the {role} in '{template.id}' version {template.version}.",
        **definitions,
    )
    return model


def answer_kinds(template: Template, role: Role) -> dict[str, AnswerKind]:
    """The kind of each field ``role`` answers, by field id: what :attr:`FilledForm.kinds` records."""
    return {field.id: cast(AnswerKind, field.kind) for field in template.answer_fields(role)}


def field_adapter(template: Template, field: FormField) -> TypeAdapter[Any]:
    """A validator of one field's answer (``None`` allowed): what parsers run each value through."""
    return _cached_adapter(template, field.id)


@lru_cache(maxsize=4096)
def _cached_adapter(template: Template, field_id: str) -> TypeAdapter[Any]:
    field = template.field(field_id)
    typ = answer_type(template, field)
    return TypeAdapter(typ | None)
