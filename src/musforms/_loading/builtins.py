"""Where the built-in templates live, and the list of them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

__all__ = ["TemplateInfo", "builtin_dir", "builtin_ids", "builtin_path", "list_templates"]

_SUFFIX = ".yaml"


class TemplateInfo(BaseModel):
    """A line of the list of built-in templates."""

    model_config = ConfigDict(frozen=True)

    id: str
    version: str
    style: str
    language: str
    title: str
    purpose: str = "preparation"


@lru_cache(maxsize=1)
def builtin_dir() -> Path:
    """The folder of the built-in templates: inside the installed package, or at the top of a source tree."""
    packaged = Path(__file__).resolve().parents[1] / "builtin_templates"
    if packaged.is_dir():
        return packaged
    source_tree = Path(__file__).resolve().parents[3] / "builtin_templates"
    if source_tree.is_dir():
        return source_tree
    raise FileNotFoundError("the built-in templates are missing from this installation of musforms")


def builtin_ids() -> list[str]:
    """The ids of the built-in templates, sorted."""
    return list(_builtin_ids())


@lru_cache(maxsize=1)
def _builtin_ids() -> tuple[str, ...]:
    return tuple(sorted(p.name.removesuffix(_SUFFIX) for p in builtin_dir().glob(f"*{_SUFFIX}")))


def builtin_path(template_id: str) -> Path | None:
    """The file of built-in template ``template_id``, or None."""
    if template_id not in builtin_ids():
        return None
    return builtin_dir() / f"{template_id}{_SUFFIX}"


def list_templates() -> list[TemplateInfo]:
    """The built-in templates: id, version, style, language and title of each."""
    from musforms._loading.loader import load_template

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
