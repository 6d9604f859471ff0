"""How a template's references to files read: whether a path is absolute, how messages name a file, whether a
reference looks like a path, and what is said of one that names nothing."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from musforms._loading import builtins

__all__ = ["Refused", "display_name", "is_absolute", "looks_like_path", "not_found_message"]


@dataclass(frozen=True)
class Refused:
    """Why a file a template names may not be read."""

    message: str
    hint: str


def is_absolute(reference: str) -> bool:
    """An absolute path on any system: ``/x``, ``\\x``, ``C:x``, ``~/x``."""
    return (
        reference.startswith(("/", "\\", "~"))
        or PureWindowsPath(reference).is_absolute()
        or bool(PureWindowsPath(reference).drive)
    )


def display_name(path: Path) -> str:
    """How messages name a file: ``builtin:<id>`` for a built-in template, else a path that works from the
    current folder (relative to it when the file lies below it, absolute otherwise)."""
    resolved = path.resolve()
    try:
        if resolved.parent == builtins.builtin_dir() and builtins.builtin_path(resolved.stem) == resolved:
            return f"builtin:{resolved.stem}"
    except FileNotFoundError:
        pass
    try:
        cwd = Path.cwd().resolve()
    except OSError:
        return str(resolved)
    return str(resolved.relative_to(cwd)) if resolved.is_relative_to(cwd) else str(resolved)


def looks_like_path(source: str) -> bool:
    return any(sep in source for sep in "/\\") or source.endswith((".yaml", ".yml", ".json"))


def not_found_message(source: str) -> str:
    ids = builtins.builtin_ids()
    if looks_like_path(source):
        return f"no template file at '{source}'"
    close = difflib.get_close_matches(source, ids, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"'{source}' is neither a built-in template nor a file{hint} (built-ins: {', '.join(ids)})"
