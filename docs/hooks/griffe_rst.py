"""Griffe extension for the API reference: the docstrings' Sphinx roles, written as Markdown.

musforms' docstrings mark names with Sphinx roles (``:func:`musforms.parse```, ``:class:`~musforms.Limits```).
mkdocstrings reads docstrings as Markdown, where a role would show as written. This extension turns each
role into code, linked to its entry in the API reference when it names a public name of ``musforms``
(one in ``musforms.__all__``, which docs/reference/api.md documents in full). Loaded by mkdocs.yml
(``plugins: mkdocstrings: ... extensions``).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:func|class|meth|attr|data|mod|exc|obj):`(~?)([\w.]+)`")


def _public_names() -> dict[str, str]:
    """Each public name, by the identifier of its entry in the API reference (``musforms.NAME``)."""
    import musforms

    return {name: f"musforms.{name}" for name in musforms.__all__ if not name.startswith("_")}


class RstRoles(griffe.Extension):
    """Rewrites ``:role:`target``` in every docstring as Markdown code, linked where the target is public."""

    def __init__(self) -> None:
        super().__init__()
        self.public = _public_names()

    def _markdown(self, match: re.Match[str]) -> str:
        short, target = match.group(1) == "~", match.group(2)
        last = target.rsplit(".", 1)[-1]
        shown = last if short else target
        public = target.count(".") == 0 or (target.startswith("musforms.") and target.count(".") == 1)
        if public and last in self.public:
            return f"[`{shown}`][{self.public[last]}]"
        return f"`{shown}`"

    def on_instance(self, *, node: Any, obj: griffe.Object, agent: Any, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = _ROLE.sub(self._markdown, obj.docstring.value)
