"""Text written into the XML of a package's parts: escaped, without the characters XML cannot hold."""

from __future__ import annotations

import re

__all__ = ["esc"]

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def esc(text: str) -> str:
    """Text escaped for XML content and attributes (characters XML cannot hold are dropped)."""
    text = _INVALID_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
