"""The list of the built-in templates: id, version, style, language, title and purpose of each."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from musforms._loading.builtins import builtin_ids
from musforms._loading.loader import load_template

__all__ = ["TemplateInfo", "list_templates"]


class TemplateInfo(BaseModel):
    """A line of the list of built-in templates."""

    model_config = ConfigDict(frozen=True)

    id: str
    version: str
    style: str
    language: str
    title: str
    purpose: str = "preparation"


def list_templates() -> list[TemplateInfo]:
    """The built-in templates: id, version, style, language and title of each."""
    infos = []
    for template_id in builtin_ids():
        template = load_template(template_id)
        infos.append(
            TemplateInfo(
                id=template.id,
                version=template.version,
                style=template.style,
                language=template.language,
                title=template.title,
                purpose=template.purpose,
            )
        )
    return infos
