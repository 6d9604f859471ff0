"""What the web form's submission tests share: the fields a browser sends for given answers, built from the
binding (as the web form names its inputs), and the fields a browser would send for a rendered page, read from
its HTML with the standard library's parser."""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any

from musforms._core.binding import input_name, inputs_of
from musforms._core.codec import encode
from musforms._core.embedded import embedded_properties
from musforms._core.identity import identity_properties
from musforms._core.signing import SigningKey
from musforms._model.context import SAMPLE_CONTEXT, Context, as_context
from musforms._model.filled import FormIdentity
from musforms._model.template import Template

Fields = list[tuple[str, str]]


def properties_of(
    template: Template,
    role: str,
    *,
    context: Context | Mapping[str, Any] = SAMPLE_CONTEXT,
    signing_key: SigningKey | None = None,
    form_id: str = "f0000000000000000000000000000001",
) -> dict[str, str]:
    """The custom properties ``render`` gives a form (identity, context, signature, carried template)."""
    ctx = as_context(context)
    identity = FormIdentity(
        template_id=template.id,
        template_version=template.version,
        fingerprint=template.fingerprint,
        role=role,  # type: ignore[arg-type]
        subject_id=ctx.employee.id,
        form_id=form_id,
    )
    return {**identity_properties(identity, ctx, signing_key=signing_key), **embedded_properties(template)}


def _iso(shown: str) -> str:
    day, month, year = shown.split("-")
    return dt.date(int(year), int(month), int(day)).isoformat()


def browser_fields(
    template: Template, role: str, answers: Mapping[str, Any], properties: Mapping[str, str] | None = None
) -> Fields:
    """The fields a browser sends for the web form of ``template`` filled with ``answers``: every text box (empty
    or not, line breaks as CR LF), the ticked boxes and the picked radio buttons (value ``x`` and the choice's
    part), each pick list's value, dates as ISO, and the identity field and the submit button."""
    fields: Fields = []
    for field in template.answer_fields(role):  # type: ignore[arg-type]
        shown = encode(template, field, answers[field.id], "list") if field.id in answers else {}
        for spec in inputs_of(template, field, "list"):
            name = input_name(field.id, spec.part)
            value = shown.get(spec.part, False if spec.kind == "tick" else "")
            if spec.kind == "tick":
                if value is True:
                    fields.append((name, "x"))
            elif spec.kind == "one_of":
                parts = [part for part, label in spec.choices if label == value]
                if parts:
                    fields.append((name, parts[0]))
            elif spec.kind == "pick":
                values = [choice for choice, label in spec.choices if label == value]
                fields.append((name, values[0] if values else ""))
            elif spec.kind == "date":
                fields.append((name, _iso(str(value)) if value else ""))
            else:
                fields.append((name, str(value).replace("\n", "\r\n")))
    if properties is None:
        properties = properties_of(template, role)
    fields.append(("mf__properties", json.dumps(dict(properties))))
    fields.append(("mf__submit", ""))
    return fields


def urlencoded(fields: Fields) -> bytes:
    """The body a browser posts for ``fields``."""
    return urllib.parse.urlencode(fields).encode("ascii")


class _Controls(HTMLParser):
    """The controls of a page's forms as a browser submits them (without JavaScript), and every control a person
    can fill: the boxes and radio buttons (name and value), the text boxes and the pick lists' options."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: Fields = []
        self.choices: set[tuple[str, str]] = set()
        self.texts: set[str] = set()
        self.options: dict[str, set[str]] = {}
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option: dict[str, str | None] | None = None
        self._option_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("checkbox", "radio"):
                self.choices.add((name, a.get("value") or "on"))
                if "checked" in a:
                    self.fields.append((name, a.get("value") or "on"))
                return
            if kind != "hidden":
                self.texts.add(name)
            self.fields.append((name, a.get("value") or ""))
        elif tag == "textarea" and name and "disabled" not in a:
            self._textarea, self._text = name, []
            self.texts.add(name)
        elif tag == "select" and name and "disabled" not in a:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._option, self._option_text = a, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)
        if self._option is not None:
            self._option_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            text = text[1:] if text.startswith("\n") else text  # the HTML parser's rule for a leading newline
            self.fields.append((self._textarea, text.replace("\r\n", "\n").replace("\n", "\r\n")))
            self._textarea = None
        elif tag == "option" and self._option is not None:
            self._close_option()
        elif tag == "select" and self._select is not None:
            if self._option is not None:
                self._close_option()
            chosen = [value for value, selected in self._options if selected] or [
                value for value, _selected in self._options[:1]
            ]
            if chosen:
                self.fields.append((self._select, chosen[-1]))
            self.options[self._select] = {value for value, _selected in self._options}
            self._select = None

    def _close_option(self) -> None:
        assert self._option is not None
        value = self._option.get("value")
        text = " ".join("".join(self._option_text).split())
        self._options.append((text if value is None else value, "selected" in self._option))
        self._option = None


def page_fields(html: str) -> Fields:
    """The fields a browser would submit for the page ``html`` as rendered (nothing changed by the person)."""
    parser = _Controls()
    parser.feed(html)
    parser.close()
    return parser.fields


def fill_page(html: str, sent: Fields) -> Fields:
    """What a browser submits once a person has filled the page ``html`` with the values of ``sent`` (as
    :func:`browser_fields` gives them): each value put in the page's control of that name (a box or radio
    button of that value ticked, a text typed, an option picked), the page's own hidden fields kept. A value
    the page has no control for fails the test."""
    parser = _Controls()
    parser.feed(html)
    parser.close()
    out: Fields = [(name, value) for name, value in parser.fields if name in ("mf__properties", "mf__submit")]
    for name, value in sent:
        if name in ("mf__properties", "mf__submit"):
            continue
        if name in parser.options:
            assert value in parser.options[name], (name, value, parser.options[name])
        elif name not in parser.texts:
            assert (name, value) in parser.choices, f"the page has no control {name}={value!r}"
        out.append((name, value))
    return out
