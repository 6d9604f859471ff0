"""``parse_submission``: a web form's submitted fields read back into its identity, answers and issues.

A submission is untrusted input, read within :class:`~musforms.Limits` before anything else is done with it:
its size (the body, or the names and values together), the number of its fields and the length of each are
checked first, and everything wrong with it is a :class:`~musforms.ParseError` with a ``code``, never another
exception. The form's identity comes from its hidden field and is checked as a Word or Excel form's is
(:func:`musforms._formats.parse.identified`); the inputs are read by :mod:`musforms._formats.html.reader`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol, runtime_checkable
from urllib.parse import parse_qsl

from musforms._core.binding import anchors
from musforms._core.identity import identity_from_properties
from musforms._core.limits import DEFAULT_LIMITS, Limits, shown_size
from musforms._core.package import templates_by_id
from musforms._core.reading import answers_and_issues
from musforms._core.signing import SigningKey, key_bytes
from musforms._formats.html.form import HTML
from musforms._formats.html.reader import PROPERTIES_FIELD, encodable, read_fields, read_properties, shown_name
from musforms._formats.parse import identified
from musforms._loading.store import GivenTemplates
from musforms._model.answers import answer_kinds
from musforms._model.fields import TextField
from musforms._model.filled import FilledForm
from musforms._model.template import Template
from musforms.errors import NotAFormError, ParseError, TooLargeError

__all__ = ["Submission", "SupportsGetList", "SupportsMultiItems", "parse_submission", "submitted_fields"]


@runtime_checkable
class SupportsMultiItems(Protocol):
    """Submitted fields with every value of a name: Starlette's ``FormData`` (``multi_items()``)."""

    def multi_items(self) -> Iterable[tuple[str, Any]]: ...


@runtime_checkable
class SupportsGetList(Protocol):
    """Submitted fields with every value of a name: werkzeug's ``MultiDict``, Django's ``QueryDict``."""

    def getlist(self, key: str) -> list[Any]: ...

    def keys(self) -> Iterable[str]: ...


Submission = bytes | bytearray | memoryview | str | Mapping[str, Any] | SupportsMultiItems | SupportsGetList
"""What ``parse_submission`` reads: the raw ``application/x-www-form-urlencoded`` body (bytes or text), or the
fields as a framework gives them: a mapping of names to a text or a list of texts (``urllib.parse.parse_qs``),
an object with ``multi_items()`` (Starlette) or with ``getlist()`` (werkzeug, Django)."""


def parse_submission(
    data: Submission,
    *,
    templates: GivenTemplates = None,
    lenient: bool = False,
    limits: Limits | None = None,
    signing_key: SigningKey | None = None,
    subject_id: str | None = None,
    name: str | None = None,
) -> FilledForm:
    """Read a web form's submission: the fields a browser sent when the form was submitted.

    ``data`` is the raw ``application/x-www-form-urlencoded`` body (bytes or text; UTF-8, as browsers send a
    UTF-8 page's form), or the fields as a web framework gives them: a mapping of names to a text or a list of
    texts (``urllib.parse.parse_qs``), Starlette's ``FormData`` (``await request.form()``), werkzeug's
    ``MultiDict`` (Flask's ``request.form``) or Django's ``QueryDict`` (``request.POST``). ``name`` names the
    submission in every message (default ``<submission>``).

    The result is what :func:`musforms.parse` gives for a Word or Excel form of the same template with the same
    answers, with ``format="html"``: an input that was not sent is empty (a browser sends no unticked box and no
    radio group with nothing picked); line breaks, which browsers send as CR LF, are read as LF. A name that is no
    input of the form is an issue ``content.unmapped`` (its values kept as the raw text); an input sent twice
    with different values is an issue ``value.ambiguous`` (the fields of the application's own page, such as a
    CSRF token, are best left out of ``data``).

    ``templates``, ``lenient``, ``signing_key`` and ``subject_id`` work as for :func:`musforms.parse`: the form's
    identity comes from its hidden field ``mf__properties``, its signature is checked with ``signing_key`` (so
    a changed employee id or role is refused with an :class:`~musforms.IdentityError`), and its template is
    found and checked against its fingerprint. ``limits`` bounds the submission (:class:`~musforms.Limits`:
    ``max_submission_bytes``, ``max_submission_fields``, ``max_field_chars``), checked before it is parsed.
    Every failure is a :class:`~musforms.ParseError` with a ``code``.
    """
    limits = limits or DEFAULT_LIMITS
    if signing_key is not None:
        key_bytes(signing_key)  # a bad key is the caller's mistake: said before the submission is read
    given = templates_by_id(templates)
    shown = "<submission>" if name is None else "".join(c if c.isprintable() else "?" for c in str(name))[:255]
    fields = submitted_fields(data, limits, shown)
    properties = read_properties(fields, shown)
    found_identity = identity_from_properties(properties)
    if found_identity is None:
        raise NotAFormError(
            f"{shown}: not a musforms web form: its identity (the field {PROPERTIES_FIELD!r}) names no template"
        )
    identity, context = found_identity
    template, source, extra, signed = identified(identity, properties, shown, given, lenient, signing_key, subject_id)
    _check_lengths(fields, template, limits, shown)
    role = identity.role
    inputs, found = read_fields(template, anchors(template, role, HTML.choices_as), fields)
    answers, issues = answers_and_issues(template, role, inputs, found, context)
    return FilledForm(
        **identity.model_dump(),
        format="html",
        context=context,
        answers=answers,
        kinds=answer_kinds(template, role),
        issues=(*extra, *issues, *found.outside),
        signed=signed,
        template_source=source,
    )


# -- what was sent ------------------------------------------------------------------------------------------


def submitted_fields(data: object, limits: Limits, name: str = "<submission>") -> list[tuple[str, str]]:
    """The submitted fields as (name, value) pairs in the order sent, every value text with LF line breaks.

    The size of the whole is checked before anything is decoded or split (:class:`TooLargeError`), then the
    number of fields, and the length of each name; a value of another type than text (a number, bytes, a file),
    or a body that is not UTF-8, is a :class:`ParseError`.
    """
    if isinstance(data, bytes | bytearray | memoryview | str):
        pairs = _body(data, limits, name)
    else:
        pairs = _counted(_items(data, name), limits, name)
    return [(key, _lines(value)) if key != PROPERTIES_FIELD else (key, value) for key, value in pairs]


def _lines(text: str) -> str:
    """Line breaks as LF: a browser sends a text area's as CR LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _too_many(count: int, limits: Limits, name: str) -> TooLargeError:
    return TooLargeError(
        f"{name}: the submission has {count:,} fields or more; at most {limits.max_submission_fields:,} are read"
    )


def _body(data: bytes | bytearray | memoryview | str, limits: Limits, name: str) -> list[tuple[str, str]]:
    """The fields of a raw urlencoded body: its size and its number of fields checked before it is split."""
    size = data.nbytes if isinstance(data, memoryview) else len(data)
    if size > limits.max_submission_bytes:
        what = f"{size:,} characters" if isinstance(data, str) else shown_size(size)
        raise TooLargeError(
            f"{name}: the submission is {what}; at most {shown_size(limits.max_submission_bytes)} is read"
        )
    if isinstance(data, str):
        text = data
        if not text.isascii() and not encodable(text):
            raise ParseError(f"{name}: the submission is not text (it holds a lone surrogate)")
    else:
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            raise ParseError(f"{name}: the submission is not UTF-8 text") from None
    count = text.count("&") + 1
    if count > limits.max_submission_fields:
        raise _too_many(count, limits, name)
    try:
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=limits.max_submission_fields,
        )
    except UnicodeDecodeError:
        raise ParseError(f"{name}: the submission is not UTF-8 text (a percent-encoded value is not)") from None
    except ValueError:  # more fields than max_num_fields (counted above already)
        raise _too_many(count, limits, name) from None
    for key, _value in pairs:
        if len(key) > limits.max_field_chars:
            raise _long_name(key, limits, name)
    return pairs


def _long_name(key: str, limits: Limits, name: str) -> TooLargeError:
    return TooLargeError(
        f"{name}: a field's name is {len(key):,} characters long; at most {limits.max_field_chars:,} are read"
    )


def _items(data: object, name: str) -> Iterator[tuple[object, object]]:
    """Every (name, value) pair of the fields as a framework gives them, a name once per value."""
    if isinstance(data, SupportsMultiItems):
        items = data.multi_items()
        for item in items:
            if not isinstance(item, tuple | list) or len(item) != 2:
                raise ParseError(f"{name}: multi_items() gives {type(item).__name__}, not (name, value) pairs")
            yield item[0], item[1]
    elif isinstance(data, SupportsGetList):
        names = data.keys()
        for key in names:
            for value in _as_list(data.getlist(key), key, name):
                yield key, value
    elif isinstance(data, Mapping):
        for key, value in data.items():
            for one in (value,) if isinstance(value, str) else _as_list(value, key, name):
                yield key, one
    else:
        raise ParseError(
            f"{name}: a submission is the urlencoded body (bytes or text) or its fields (a mapping of names to "
            f"texts or lists of texts, or an object with multi_items() or getlist()), not {type(data).__name__}"
        )


def _as_list(values: object, key: object, name: str) -> Iterable[object]:
    if isinstance(values, list | tuple):
        return values
    shown = shown_name(key) if isinstance(key, str) else "of a field"
    raise ParseError(f"{name}: the field {shown} holds {type(values).__name__}, not text or a list of texts")


def _counted(items: Iterator[tuple[object, object]], limits: Limits, name: str) -> list[tuple[str, str]]:
    """The pairs a framework gives, taken one by one and counted with their characters against the limits, so
    that a submission too large is refused before the rest of it is looked at."""
    pairs: list[tuple[str, str]] = []
    size = 0
    for key, value in items:
        if not isinstance(key, str):
            raise ParseError(f"{name}: a field's name is {type(key).__name__}, not text")
        if not isinstance(value, str):
            upload = " (an uploaded file?)" if hasattr(value, "filename") else ""
            raise ParseError(f"{name}: the field {shown_name(key)} holds {type(value).__name__}, not text{upload}")
        if len(key) > limits.max_field_chars:
            raise _long_name(key, limits, name)
        size += len(key) + len(value) + 2
        if size > limits.max_submission_bytes:
            raise TooLargeError(
                f"{name}: the submitted fields hold more than {limits.max_submission_bytes:,} characters, the most "
                "that is read"
            )
        if not (key.isascii() and value.isascii()) and not (encodable(key) and encodable(value)):
            raise ParseError(f"{name}: the field {shown_name(key)} is not text (it holds a lone surrogate)")
        pairs.append((key, value))
        if len(pairs) > limits.max_submission_fields:
            raise _too_many(len(pairs), limits, name)
    return pairs


def _check_lengths(fields: list[tuple[str, str]], template: Template, limits: Limits, name: str) -> None:
    """Each value (not the identity field) within :attr:`Limits.max_field_chars`, or the longest ``max_length``
    of the template's text fields where that is more."""
    longest = max(
        (f.max_length for _s, f in template.iter_fields() if isinstance(f, TextField) and f.max_length is not None),
        default=0,
    )
    limit = max(limits.max_field_chars, longest)
    for key, value in fields:
        if key != PROPERTIES_FIELD and len(value) > limit:
            raise TooLargeError(
                f"{name}: the field {shown_name(key)} holds {len(value):,} characters; at most {limit:,} are read"
            )
