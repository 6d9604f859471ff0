"""An iCalendar (.ics) invitation for one talk (RFC 5545): time, place, who, with folded, escaped lines."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from musforms._model.context import Context

__all__ = ["TIMEZONE", "meeting_ics"]

TIMEZONE = ZoneInfo("Europe/Copenhagen")
"""Meeting times in a roster are local Danish time; the calendar file gives them in UTC."""


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """A content line folded at 75 octets, as RFC 5545 asks (never inside a UTF-8 character)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    pieces: list[bytes] = []
    start, limit = 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # do not cut inside a character
            end -= 1
        pieces.append(data[start:end])
        start, limit = end, 74  # continuation lines start with a space
    return "\r\n ".join(piece.decode("utf-8") for piece in pieces)


def _utc(moment: dt.datetime) -> str:
    local = moment if moment.tzinfo else moment.replace(tzinfo=TIMEZONE)
    return local.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_ics(context: Context, *, uid: str, summary: str, description: str, stamp: dt.datetime) -> bytes:
    """The .ics bytes of the talk in ``context`` (which must have a meeting start)."""
    meeting = context.meeting
    if meeting is None or meeting.start is None or meeting.end is None:
        raise ValueError("the context has no meeting time")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//musforms//MUS invitation//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(meeting.start)}",
        f"DTEND:{_utc(meeting.end)}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
    ]
    if meeting.place:
        lines.append(f"LOCATION:{_escape(meeting.place)}")
    manager = context.manager
    if manager is not None and manager.email:
        lines.append(f"ORGANIZER;CN={_escape(manager.name)}:mailto:{manager.email}")
    if context.employee.email:
        lines.append(
            f"ATTENDEE;CN={_escape(context.employee.name)};ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:{context.employee.email}"
        )
    lines += ["TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")
