"""MkDocs hook: pipes in code inside tables, written for GitHub and shown right on the site.

A table cell that holds code with a pipe (`ID|FILE`) must escape it as ``\\|`` for GitHub, which would
otherwise split the cell there; Python-Markdown keeps pipes inside code in their cell already, and would
show the backslash. This hook drops the backslash inside the code spans of table rows before the page is
converted, so that the same Markdown reads right in both places. Loaded by mkdocs.yml (``hooks:``).
"""

from __future__ import annotations

import re
from typing import Any

_CODE = re.compile(r"(`+)(.+?)\1")


def unescape_table_pipes(markdown: str) -> str:
    """``markdown`` with ``\\|`` inside the code spans of table rows written as ``|``."""
    lines = markdown.split("\n")
    fenced = False
    for number, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and line.lstrip().startswith("|") and "\\|" in line:
            lines[number] = _CODE.sub(lambda m: m.group(0).replace("\\|", "|"), line)
    return "\n".join(lines)


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    return unescape_table_pipes(markdown)
