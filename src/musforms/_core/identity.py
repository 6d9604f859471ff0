"""The identity written into every file: custom document properties (and a line of text) naming the form."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping

from lxml import etree
from pydantic import ValidationError

from musforms._core.signing import SIGNATURE_PROPERTY, SigningKey, sign_identity
from musforms._model.context import Context
from musforms._model.filled import FormIdentity
from musforms._model.messages import error_messages
from musforms.errors import NotAFormError

__all__ = [
    "CUSTOM_PROPS_CONTENT_TYPE",
    "CUSTOM_PROPS_REL",
    "IDENTITY_LINE",
    "identity_line",
    "identity_properties",
    "new_form_id",
    "parse_identity_line",
    "read_custom_properties",
    "write_custom_properties",
]

CUSTOM_PROPS_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_PROPS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_CP = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
PREFIX = "musforms."
FORMAT_VERSION = "1"
IDENTITY_LINE = "musforms"


def new_form_id() -> str:
    """A fresh, random form id."""
    return uuid.uuid4().hex


def identity_properties(
    identity: FormIdentity, context: Context, *, signing_key: SigningKey | None = None
) -> dict[str, str]:
    """The custom properties of a form: every value a string (LibreOffice turns numbers into floats).

    With ``signing_key``, also ``musforms.signature``: an HMAC of the identity (see :mod:`musforms._core.signing`).
    """
    properties = {
        f"{PREFIX}format": FORMAT_VERSION,
        f"{PREFIX}template_id": identity.template_id,
        f"{PREFIX}template_version": identity.template_version,
        f"{PREFIX}fingerprint": identity.fingerprint,
        f"{PREFIX}role": identity.role,
        f"{PREFIX}subject_id": identity.subject_id or "",
        f"{PREFIX}form_id": identity.form_id,
        f"{PREFIX}context": context.model_dump_json(exclude_defaults=True),
    }
    if signing_key is not None:
        properties[SIGNATURE_PROPERTY] = sign_identity(identity, signing_key)
    return properties


def write_custom_properties(properties: Mapping[str, str]) -> bytes:
    """``docProps/custom.xml`` holding ``properties`` as strings."""
    items = []
    for pid, (name, value) in enumerate(properties.items(), start=2):
        items.append(
            f'<property fmtid="{_FMTID}" pid="{pid}" name="{_esc(name)}">'
            f"<vt:lpwstr>{_esc(value)}</vt:lpwstr></property>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_CP}" xmlns:vt="{_VT}">{"".join(items)}</Properties>'
    ).encode()


def read_custom_properties(xml: bytes, parser: etree.XMLParser) -> dict[str, str]:
    """Every custom property of ``docProps/custom.xml`` as text, whatever its type."""
    root = etree.fromstring(xml, parser)
    result: dict[str, str] = {}
    for prop in root.iter(f"{{{_CP}}}property"):
        name = prop.get("name")
        if name is not None and len(prop):
            value = prop[0]
            # An element with nothing but text inside: its text (as libxml2's text of it, without the call).
            result[name] = (
                (value.text or "")
                if isinstance(value.tag, str) and not len(value)
                else etree.tostring(value, method="text", encoding=str, with_tail=False)
            )
    return result


def identity_from_properties(props: Mapping[str, str]) -> tuple[FormIdentity, Context | None] | None:
    """The identity in custom properties, or None when they hold none."""
    if f"{PREFIX}template_id" not in props:
        return None
    try:
        identity = FormIdentity(
            template_id=props[f"{PREFIX}template_id"],
            template_version=props.get(f"{PREFIX}template_version", ""),
            fingerprint=props.get(f"{PREFIX}fingerprint", ""),
            role=props.get(f"{PREFIX}role", ""),
            subject_id=props.get(f"{PREFIX}subject_id") or None,
            form_id=props.get(f"{PREFIX}form_id", ""),
        )
    except ValidationError as exc:
        raise NotAFormError("the form's identity is damaged: " + "; ".join(error_messages(exc))) from exc
    except ValueError as exc:
        raise NotAFormError(f"the form's identity is damaged: {_first_error(exc)}") from None
    context = None
    raw = props.get(f"{PREFIX}context")
    if raw:
        try:
            context = Context.model_validate_json(raw)
        except ValueError:
            context = None
    return identity, context


def identity_line(identity: FormIdentity) -> str:
    """The identity as one line of small print in the form's body (a second copy of the properties)."""
    return (
        f"{IDENTITY_LINE} {identity.template_id} {identity.template_version} {identity.fingerprint} "
        f"{identity.role} {identity.subject_id or '-'} {identity.form_id}"
    )


_LINE = re.compile(
    rf"{IDENTITY_LINE} (?P<template_id>\S+) (?P<template_version>\S+) (?P<fingerprint>sha256:[0-9a-f]+) "
    r"(?P<role>employee|manager) (?P<subject_id>\S+) (?P<form_id>[0-9a-zA-Z-]+)"
)


def parse_identity_line(text: str) -> FormIdentity | None:
    """The identity in a line written by :func:`identity_line`, or None."""
    match = _LINE.search(text)
    if not match:
        return None
    data = match.groupdict()
    if data["subject_id"] == "-":
        data["subject_id"] = None
    return FormIdentity.model_validate(data)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _first_error(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
