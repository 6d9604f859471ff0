"""File and folder names that sort, read well and are safe on Windows, macOS and Linux."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["safe_name"]

_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa", "ß": "ss"})


def safe_name(text: str, *, max_length: int = 60, fallback: str = "x") -> str:
    """``text`` as a file name: ASCII letters, digits, ``-`` and ``_``, lower case, never a reserved name.

    Danish letters are written out (``ø`` → ``oe``), other accents dropped, everything else becomes ``-``.
    """
    text = unicodedata.normalize("NFKD", text.translate(_DANISH)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9_]+", "-", text).strip("-_").lower()[:max_length].strip("-_")
    if not text:
        text = fallback
    if text.split(".")[0] in _RESERVED:
        text = f"_{text}"
    return text
