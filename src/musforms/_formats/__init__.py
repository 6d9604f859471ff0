"""The file formats of a form (Word, Excel, web) behind the ``render`` and ``parse`` fronts, by name. Internal: import
from :mod:`musforms`.

A format's modules are imported only when the format is first used, so that rendering or parsing one format
never loads the other's (nor a format library where none is needed).
"""

from __future__ import annotations

from collections.abc import Callable

from musforms._formats.interface import FileFormat, Format

__all__ = ["FORMATS", "Format", "file_format"]


def _docx() -> FileFormat:
    from musforms._formats.docx.form import DOCX

    return DOCX


def _xlsx() -> FileFormat:
    from musforms._formats.xlsx.form import XLSX

    return XLSX


def _html() -> FileFormat:
    from musforms._formats.html.form import HTML

    return HTML


_REGISTRY: dict[str, Callable[[], FileFormat]] = {"docx": _docx, "xlsx": _xlsx, "html": _html}

FORMATS: tuple[Format, ...] = ("docx", "xlsx", "html")
"""The names of the formats, in the order messages list them."""


def file_format(name: str) -> FileFormat:
    """The format called ``name`` (``KeyError`` for an unknown name)."""
    return _REGISTRY[name]()
