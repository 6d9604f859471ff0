"""Where the built-in templates live: their folder, their ids and the file of each."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

__all__ = ["builtin_dir", "builtin_ids", "builtin_path"]

_SUFFIX = ".yaml"


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
