"""JSON Schemas generated from the models: the template file format, FilledForm, and each built-in's answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from musforms._loading import builtins
from musforms._model.fields import ROLES, FormField
from musforms._model.filled import FilledForm
from musforms._model.template import (
    FollowupMonths,
    Language,
    Purpose,
    Scale,
    Section,
    Style,
    TemplateCompany,
    TemplateId,
    Version,
    WrittenUpBy,
)

__all__ = ["SCHEMA_BASE_URI", "extra_schemas", "generate_schemas", "stale_schemas", "write_schemas"]

SCHEMA_BASE_URI = "https://musforms.invalid/schemas/"
"""Base of the ``$id`` of each schema (an identifier, not a place to download from)."""


class _Op(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RemoveChange(_Op):
    """Remove a section or field."""

    remove: str


class AddSectionChange(_Op):
    """Add a section, at the end or before/after another section."""

    add_section: Section
    before: str | None = None
    after: str | None = None


class AddFieldChange(_Op):
    """Add a field to a section, at its end or before/after another field."""

    add_field: FormField
    to: str | None = None
    before: str | None = None
    after: str | None = None


class ReplaceChange(_Op):
    """Replace a section or field by another."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    replace: str
    with_: dict[str, Any] = Field(alias="with", description="the new section or field")


class UpdateChange(_Op):
    """Change some keys of a section or field (title, minutes, label, help, audience, scale, ...)."""

    update: str
    set: dict[str, Any]


class ReorderChange(_Op):
    """Put all sections, or all fields of one section (``in``), in a new order."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    reorder: list[str]
    in_: str | None = Field(default=None, alias="in")


class MoveChange(_Op):
    """Move a field to another section and/or place."""

    move: str
    to: str | None = None
    before: str | None = None
    after: str | None = None


Change = RemoveChange | AddSectionChange | AddFieldChange | ReplaceChange | UpdateChange | ReorderChange | MoveChange


class TemplateFile(BaseModel):
    """A musforms template file (YAML or JSON). A file that ``extends`` another template changes it;
    otherwise it needs id, title, language, style and sections."""

    model_config = ConfigDict(extra="forbid", title="musforms template file")

    extends: str | None = Field(default=None, description="a built-in template id or a path to a template file")
    id: TemplateId | None = None
    version: Version | None = None
    title: str | None = None
    language: Language | None = None
    style: Style | None = None
    purpose: Purpose | None = None
    description: str | None = None
    company: TemplateCompany | None = None
    scales: dict[str, Scale] | None = None
    intro: str | None = None
    followup_months: FollowupMonths | None = Field(
        default=None, description="after how many months the agreements are followed up: 3 or 6 (default 6)"
    )
    written_up_by: WrittenUpBy | None = Field(
        default=None, description="who writes up the conclusions and agreements: manager (default) or employee"
    )
    sections: list[Section] | None = None
    changes: list[Change] | None = Field(default=None, description="changes to the template this one extends")


def _with_id(schema: dict[str, Any], name: str) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_BASE_URI + name,
        **schema,
    }


def generate_schemas() -> dict[str, dict[str, Any]]:
    """Every schema musforms publishes, by file name relative to ``schemas/``."""
    from musforms._loading.loader import load_template

    template_file = TemplateFile.model_json_schema(by_alias=True)
    template_file["anyOf"] = [
        {"required": ["extends", "id"]},
        {"required": ["id", "title", "language", "style", "sections"]},
    ]
    result: dict[str, dict[str, Any]] = {
        "template-file.schema.json": _with_id(template_file, "template-file.schema.json"),
        "filled-form.schema.json": _with_id(FilledForm.model_json_schema(), "filled-form.schema.json"),
    }
    for template_id in builtins.builtin_ids():
        template = load_template(template_id)
        for role in ROLES:
            name = f"answers/{template_id}.{role}.schema.json"
            result[name] = _with_id(template.answers_model(role).model_json_schema(), name)
    return result


def _dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema below ``folder``; returns the files written."""
    written = []
    for name, schema in generate_schemas().items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_dump(schema), encoding="utf-8")
        written.append(path)
    return written


def stale_schemas(folder: Path) -> list[str]:
    """The schema files below ``folder`` that are missing or differ from what the models generate, and the
    ``.json`` files there that musforms does not write (see :func:`extra_schemas`)."""
    expected = generate_schemas()
    stale = []
    for name, schema in expected.items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != _dump(schema):
            stale.append(name)
    return stale + _extra(folder, expected)


def extra_schemas(folder: Path) -> list[str]:
    """The ``.json`` files below ``folder`` that musforms does not write, e.g. the answers schema of a template
    that is no longer built in. :func:`write_schemas` leaves them alone."""
    return _extra(folder, generate_schemas())


def _extra(folder: Path, expected: dict[str, dict[str, Any]]) -> list[str]:
    if not folder.is_dir():
        return []
    names = (path.relative_to(folder).as_posix() for path in folder.rglob("*.json") if path.is_file())
    return sorted(name for name in names if name not in expected)
