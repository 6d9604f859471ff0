"""What musforms reads from a form file before it refuses it (:class:`Limits`), and the limits and running
totals of the read under way."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

__all__ = ["DEFAULT_LIMITS", "LIBXML_MAX_DEPTH", "Limits", "Reading", "current_reading", "reading", "shown_size"]

LIBXML_MAX_DEPTH = 256
"""How deep libxml2 lets elements nest when ``huge_tree`` is off (musforms never turns it on)."""

_MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What musforms reads from a file or a web form's submission before it refuses it. Pass your own to
    :func:`musforms.parse` or :func:`musforms.parse_submission`.

    The defaults are far above what a form needs (a filled form is a few hundred KB, its largest part rarely
    1 MB) and far below what would hurt a server.
    """

    max_file_bytes: int = 32 * _MB
    """The size of the file itself (compressed): 32 MB."""
    max_part_bytes: int = 16 * _MB
    """What one part that musforms reads (an XML part such as ``word/document.xml``) may unpack to: 16 MB."""
    max_total_bytes: int = 256 * _MB
    """What all parts of the package together may unpack to (as the zip declares them): 256 MB."""
    max_parts: int = 5_000
    """The number of parts (zip members) in the package."""
    max_ratio: int = 200
    """How much a part may be compressed (unpacked size / packed size), checked for parts larger than
    :attr:`ratio_floor_bytes`; ordinary XML compresses 5 to 30 times, a zip bomb 1000 times."""
    ratio_floor_bytes: int = 1 * _MB
    """Parts that unpack to less than this are not checked for their ratio (small parts compress well)."""
    max_xml_depth: int = LIBXML_MAX_DEPTH
    """How deep XML elements may nest: 256, which is also the most libxml2 allows without ``huge_tree``
    (a form nests about 15 deep). A lower value costs a second pass over each XML part."""
    max_submission_bytes: int = 2 * _MB
    """A web form's submission (:func:`musforms.parse_submission`): the urlencoded body in bytes, or the names
    and values of submitted fields together in characters: 2 MB (a built-in form filled in sends about 20 KB)."""
    max_submission_fields: int = 5_000
    """The number of fields (name and value pairs) in a submission; a form has at most a few hundred inputs."""
    max_field_chars: int = 100_000
    """The characters of one submitted name or value (a text field whose template allows more takes its
    ``max_length``; the form's identity field is bounded by :attr:`max_submission_bytes` only)."""

    def __post_init__(self) -> None:
        for name in (
            "max_file_bytes",
            "max_part_bytes",
            "max_total_bytes",
            "max_parts",
            "max_ratio",
            "max_submission_bytes",
            "max_submission_fields",
            "max_field_chars",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"Limits.{name} must be at least 1")
        if self.ratio_floor_bytes < 0:
            raise ValueError("Limits.ratio_floor_bytes must not be negative")
        if not 1 <= self.max_xml_depth <= LIBXML_MAX_DEPTH:
            raise ValueError(f"Limits.max_xml_depth must be between 1 and {LIBXML_MAX_DEPTH}")


DEFAULT_LIMITS = Limits()


@dataclass
class Reading:
    """The read under way: its limits, the bytes unpacked so far, and the part being read."""

    limits: Limits
    read: int = 0
    part: str | None = None
    parts: list[str] = field(default_factory=list)


_READING: ContextVar[Reading | None] = ContextVar("musforms_reading", default=None)


@contextlib.contextmanager
def reading(limits: Limits | None = None) -> Iterator[Limits]:
    """The limits every part read inside the block keeps to (:func:`musforms._core.safezip.read_member`), and the
    running total of bytes read."""
    state = Reading(limits or DEFAULT_LIMITS)
    token = _READING.set(state)
    try:
        yield state.limits
    finally:
        _READING.reset(token)


def current_reading() -> Reading:
    """The read under way (inside :func:`reading`), or a fresh one with the default limits."""
    return _READING.get() or Reading(DEFAULT_LIMITS)


def shown_size(count: int) -> str:
    """A number of bytes as a message shows it: ``512 bytes``, ``40 KB``, ``1.5 MB``, ``2.0 GB``."""
    if count >= 1024**3:
        return f"{count / 1024**3:.1f} GB"
    if count >= _MB:
        return f"{count / _MB:.1f} MB"
    if count >= 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count} bytes"
