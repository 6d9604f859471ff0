"""Dates in words, in the template's language: ``16. marts 2026``, ``16 March 2026``, and when a meeting is."""

from __future__ import annotations

import datetime as dt

from musforms._model.context import Meeting

__all__ = ["date_in_words", "meeting_when"]

_MONTHS = {
    "da": (
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
"""The names of the months, by language."""


def date_in_words(value: dt.date, language: str) -> str:
    """A date in words, in ``language``: ``16. marts 2026``, ``16 March 2026``."""
    month = _MONTHS.get(language, _MONTHS["en"])[value.month - 1]
    return f"{value.day}. {month} {value.year}" if language == "da" else f"{value.day} {month} {value.year}"


def meeting_when(meeting: Meeting | None, language: str) -> str:
    """When a meeting is, as the forms print it: ``16. marts 2026, 10:00–11:00``; empty without a start."""
    if meeting is None or meeting.start is None:
        return ""
    start, end = meeting.start, meeting.end
    return f"{date_in_words(start, language)}, {start:%H:%M}" + (f"–{end:%H:%M}" if end else "")
