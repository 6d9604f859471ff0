"""The invitation to a talk: a Jinja letter a company can replace, as .docx, plain text and a ready e-mail."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import mimetypes
from dataclasses import dataclass
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from musforms._loading import builtins
from musforms._loading.yamlsource import PosDict, key_mark, locate, read_yaml, value_mark
from musforms._model.context import Context
from musforms._model.messages import error_message, key_name
from musforms._model.template import Template
from musforms._text.checks import text_problems
from musforms._text.form_facts import form_facts
from musforms._text.sandbox import render_text
from musforms.errors import Problem, TemplateError, TemplateNotFoundError, YamlSyntaxError

__all__ = ["Attachment", "Invitation", "RenderedInvitation", "load_invitation"]

_FOLDER = "invitations"


class Invitation(BaseModel):
    """An invitation letter: its language, subject and body, as Jinja texts over the Context."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    language: Literal["da", "en"]
    subject: str = Field(min_length=1, max_length=500)
    body: str = Field(min_length=1, max_length=20_000)

    def render(self, context: Context, template: Template | None = None) -> RenderedInvitation:
        """The invitation's subject and body for one person; with the ``template`` of the talk's forms, its texts
        may describe the talk (``form``: its parts, minutes, follow-up; None without one), and the company is the
        one the forms name. An invitation is read by no one role: ``role`` is None in its texts."""
        form = form_facts(template) if template is not None else None
        subject = " ".join(render_text(self.subject, context, self.language, form=form).split())
        body = render_text(self.body, context, self.language, form=form).strip() + "\n"
        return RenderedInvitation(self.language, subject, body, context)


@dataclass(frozen=True)
class Attachment:
    """A file sent with the invitation."""

    filename: str
    content: bytes
    mime_type: str | None = None


@dataclass(frozen=True)
class RenderedInvitation:
    """An invitation written out for one person, in the forms it is sent in."""

    language: str
    subject: str
    body: str
    context: Context

    def text(self) -> bytes:
        """Plain text: the subject, a blank line, the body."""
        return f"{self.subject}\n\n{self.body}".encode()

    def docx(
        self, *, sender: str = "", today: dt.date | None = None, logo: Path | tuple[str, bytes] | None = None
    ) -> bytes:
        """The letter as a Word document."""
        from musforms._formats.docx.letter import render_letter
        from musforms._text.sandbox import render_text as render

        date_line = render("{{ meeting.start | date }}", _dated(self.context, today), self.language)
        return render_letter(
            self.subject, self.body, sender=sender, date_line=date_line, logo=logo, language=self.language
        )

    def eml(self, attachments: list[Attachment], *, now: dt.datetime | None = None) -> bytes:
        """A ready-to-send e-mail (opened as a draft by mail programs), with the attachments.

        Written directly as MIME (RFC 2045–2047): base64 parts with 76-character lines and CRLF line ends.
        """
        manager, employee = self.context.manager, self.context.employee
        moment = now or dt.datetime.now(dt.UTC)
        boundary = "musforms-" + hashlib.sha256(f"{self.subject}|{employee.id}|{moment}".encode()).hexdigest()[:24]
        headers = []
        if manager is not None and manager.email:
            headers.append(f"From: {_address(manager.name, manager.email)}")
        if employee.email:
            headers.append(f"To: {_address(employee.name, employee.email)}")
        headers += [
            f"Subject: {_encoded_words(self.subject)}",
            f"Date: {format_datetime(moment)}",
            f"Message-ID: <{boundary}@musforms.invalid>",
            "X-Unsent: 1",
            "MIME-Version: 1.0",
            f'Content-Type: multipart/mixed; boundary="{boundary}"',
        ]
        parts = [
            "\r\n".join(headers),
            "",
            f"--{boundary}",
            'Content-Type: text/plain; charset="utf-8"',
            "Content-Transfer-Encoding: base64",
            "",
            _base64(self.body.replace("\n", "\r\n").encode("utf-8")),
        ]
        for attachment in attachments:
            mime = attachment.mime_type or mimetypes.guess_type(attachment.filename)[0] or "application/octet-stream"
            method = "; method=REQUEST" if mime == "text/calendar" else ""
            parts += [
                f"--{boundary}",
                f'Content-Type: {mime}{method}; name="{attachment.filename}"',
                f'Content-Disposition: attachment; filename="{attachment.filename}"',
                "Content-Transfer-Encoding: base64",
                "",
                _base64(attachment.content),
            ]
        parts += [f"--{boundary}--", ""]
        return "\r\n".join(parts).encode("ascii")


def _encoded_words(text: str) -> str:
    """A header value: as it is when it is plain ASCII, else RFC 2047 encoded words of at most 75 characters."""
    if text.isascii():
        return text
    data = text.encode("utf-8")
    words, start = [], 0
    while start < len(data):
        end = min(start + 45, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # never cut a character in two
            end -= 1
        words.append("=?utf-8?b?" + base64.b64encode(data[start:end]).decode("ascii") + "?=")
        start = end
    return "\r\n ".join(words)


def _address(name: str, address: str) -> str:
    """``Name <address>``, the name encoded when it is not plain ASCII."""
    return formataddr((name, address)) if name.isascii() else f"{_encoded_words(name)} <{address}>"


def _base64(data: bytes) -> str:
    """``data`` in base64, in lines of 76 characters joined by CRLF."""
    encoded = base64.b64encode(data).decode("ascii")
    return "\r\n".join(encoded[i : i + 76] for i in range(0, len(encoded), 76))


def _dated(context: Context, today: dt.date | None) -> Context:
    """A context whose meeting start is today's date (for the letter's date line)."""
    day = today or dt.date.today()
    start = dt.datetime(day.year, day.month, day.day)
    meeting = (context.meeting.model_copy(update={"start": start}) if context.meeting else None) or None
    if meeting is None:
        from musforms._model.context import Meeting

        meeting = Meeting(start=start)
    return context.model_copy(update={"meeting": meeting})


def load_invitation(source: str | Path) -> Invitation:
    """An invitation from a built-in id (``invitation-da``, ``invitation-en``) or a YAML file.

    Every problem is reported at once with its file, line and column, like a template's.
    """
    if isinstance(source, str) and (builtins.builtin_dir() / _FOLDER / f"{source}.yaml").is_file():
        path = builtins.builtin_dir() / _FOLDER / f"{source}.yaml"
        name = f"builtin:{source}"
    else:
        path = Path(source)
        name = str(source)
        if not path.is_file():
            raise TemplateNotFoundError(
                f"'{source}' is neither a built-in invitation (invitation-da, invitation-en) nor a file"
            )
    try:
        data = read_yaml(path.read_text(encoding="utf-8"), name)
    except YamlSyntaxError as exc:
        raise TemplateError(exc.problems) from None
    if not isinstance(data, PosDict):
        raise TemplateError([Problem("an invitation is a mapping with language, subject and body", file=name)])
    problems: list[Problem] = []
    try:
        invitation = Invitation.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            mark, where = locate(data, loc)
            written = value_mark(data, loc)
            message = error_message(error, name=key_name(loc), written=written.text if written else None)
            if error["type"] == "extra_forbidden":
                mark = key_mark(data, loc) or mark
            problems.append(_problem(name, mark, where, message))
        raise TemplateError(problems) from exc
    for key in ("subject", "body"):
        for message, hint in _text_problems(getattr(invitation, key), invitation.language):
            mark, where = locate(data, (key,))
            problems.append(_problem(name, mark, where, message, hint))
    if problems:
        raise TemplateError(problems)
    return invitation


def _text_problems(text: str, language: str) -> list[tuple[str, str | None]]:
    return [(message, hint) for message, hint in text_problems(text, language, in_form=False)]


def _problem(name: str, mark: object, where: str, message: str, hint: str | None = None) -> Problem:
    line = getattr(mark, "line", None)
    column = getattr(mark, "column", None)
    return Problem(message, path=where, file=name, line=line, column=column, hint=hint)
