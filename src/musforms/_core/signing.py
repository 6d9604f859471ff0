"""Identity you can trust: an HMAC-SHA256 signature over a form's identity, made with a key the HR system holds.

``render(..., signing_key=key)`` writes the custom property ``musforms.signature``; ``parse(..., signing_key=key)``
checks it. The signature covers the template id, version and fingerprint, the role, the subject (employee) id
and the form id, so a file edited to claim another employee, another role or another form is refused with an
:class:`IdentityError` that names what does not match. Without a key the parsed form says so in ``signed``.

The fingerprint is the hash of the resolved template, so the signature also covers the template a form carries
(:mod:`musforms._core.embedded`): ``parse`` checks the signature first, then that the carried template hashes to
the signed fingerprint; a template edited inside a signed file fails one check or the other.

The property's value is ``v1:<mac>:<tags>``: ``mac`` is the HMAC of all fields together (base64url), ``tags``
a short HMAC per field, which only serve to name the field that was changed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from typing import Literal

from musforms._model.filled import FormIdentity
from musforms.errors import IdentityError, SigningKeyError

__all__ = [
    "MIN_KEY_BYTES",
    "SIGNATURE_PROPERTY",
    "SigningKey",
    "check_signature",
    "key_bytes",
    "sign_identity",
    "verify_identity",
]

SIGNATURE_PROPERTY = "musforms.signature"
MIN_KEY_BYTES = 16
"""The shortest key accepted (128 bits); use 32 random bytes, e.g. ``secrets.token_bytes(32)``."""

SigningKey = bytes | str
"""A signing key: bytes, or text (used as its UTF-8 bytes)."""

SignedState = Literal["verified", "unsigned", "not_checked"]

_VERSION = "v1"
_FIELDS: tuple[tuple[str, str], ...] = (
    ("template_id", "template id"),
    ("template_version", "template version"),
    ("fingerprint", "template fingerprint"),
    ("role", "role"),
    ("subject_id", "subject (employee) id"),
    ("form_id", "form id"),
)
_TAG_BYTES = 6
_SIGNATURE = re.compile(
    rf"{_VERSION}:[A-Za-z0-9_-]{{43}}:[A-Za-z0-9_-]{{8}}(\.[A-Za-z0-9_-]{{8}}){{{len(_FIELDS) - 1}}}"
)


def key_bytes(key: SigningKey) -> bytes:
    """The key as bytes, checked (:class:`SigningKeyError` when it is too short or of another type)."""
    return _key(key)


def _key(key: SigningKey) -> bytes:
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, bytes | bytearray):
        raise SigningKeyError(f"a signing key is bytes or text, not {type(key).__name__}")
    if len(key) < MIN_KEY_BYTES:
        raise SigningKeyError(f"a signing key must be at least {MIN_KEY_BYTES} bytes long (use 32 random bytes)")
    return bytes(key)


def _values(identity: FormIdentity) -> list[str]:
    return [str(getattr(identity, attr) or "") for attr, _ in _FIELDS]


def _mac(key: bytes, identity: FormIdentity) -> bytes:
    message = "musforms-identity/" + _VERSION + "\n" + json.dumps(_values(identity), separators=(",", ":"))
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def _tag(key: bytes, attr: str, value: str) -> bytes:
    message = f"musforms-field/{_VERSION}\n{attr}\n{value}"
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()[:_TAG_BYTES]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_identity(identity: FormIdentity, key: SigningKey) -> str:
    """The value of ``musforms.signature`` for ``identity``."""
    raw = _key(key)
    tags = ".".join(_b64(_tag(raw, attr, value)) for (attr, _), value in zip(_FIELDS, _values(identity), strict=True))
    return f"{_VERSION}:{_b64(_mac(raw, identity))}:{tags}"


def verify_identity(identity: FormIdentity, signature: str | None, key: SigningKey, name: str = "<file>") -> None:
    """Check ``signature`` against ``identity``; raise :class:`IdentityError` naming what does not match."""
    raw = _key(key)
    if not signature:
        raise IdentityError(
            f"{name}: the form is not signed (no {SIGNATURE_PROPERTY}), so who it is about cannot be trusted; it "
            "was made without a signing key, or its identity was replaced"
        )
    parts = signature.split(":")
    try:
        if not _SIGNATURE.fullmatch(signature):
            raise ValueError("format")
        mac = _unb64(parts[1])
        tags = [_unb64(tag) for tag in parts[2].split(".")]
    except ValueError:
        raise IdentityError(f"{name}: the form's signature ({SIGNATURE_PROPERTY}) is damaged") from None
    if hmac.compare_digest(mac, _mac(raw, identity)):
        return
    changed = [
        label
        for ((attr, label), value), tag in zip(zip(_FIELDS, _values(identity), strict=True), tags, strict=False)
        if not hmac.compare_digest(tag, _tag(raw, attr, value))
    ]
    if len(tags) != len(_FIELDS) or len(changed) == len(_FIELDS):
        raise IdentityError(
            f"{name}: the form's signature does not match: it was signed with another key, or every part of its "
            "identity was changed"
        )
    if changed:
        raise IdentityError(
            f"{name}: the form's identity was changed after it was signed: the {_join(changed)} "
            f"{'does' if len(changed) == 1 else 'do'} not match the signature"
        )
    raise IdentityError(
        f"{name}: the form's signature does not match its identity as a whole (parts of it were taken from "
        "different signed forms)"
    )


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def check_signature(
    identity: FormIdentity, properties: Mapping[str, str], key: SigningKey | None, name: str = "<file>"
) -> SignedState:
    """What a parsed form's ``signed`` says: ``verified`` (raises when the check fails) with a key; without
    one, ``unsigned`` when the file has no signature and ``not_checked`` when it has one."""
    signature = properties.get(SIGNATURE_PROPERTY)
    if key is None:
        return "not_checked" if signature else "unsigned"
    verify_identity(identity, signature, key, name)
    return "verified"
