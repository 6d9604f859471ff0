"""The template a form carries: its resolved template written into custom properties, and read back verified.

Every rendered form holds its resolved template, so that it can be read anywhere without the template file.
The template's canonical JSON (the very text its fingerprint is the hash of) is compressed with zlib,
base64-encoded, and cut into pieces of at most :data:`PIECE_CHARS` characters (Word keeps a custom property's
text to 255 characters): ``musforms.template`` says how many pieces there are (``v1:<count>``), and
``musforms.template.1`` ... ``musforms.template.<count>`` hold them.

Reading it back treats it as untrusted input: its size is limited before and after decompressing, its hash
must be the fingerprint the form's identity names (a template edited inside the file is refused), and it is
validated by the template loader, which reaches no file (a resolved template has no ``extends``; its logo is
kept as a name, never looked up).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import zlib
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from musforms._loading.loader import load_template
from musforms._model.filled import FormIdentity
from musforms._model.template import Template
from musforms.errors import DamagedFileError, IdentityError, MusformsError, RenderError

__all__ = [
    "MAX_EMBEDDED_BYTES",
    "MAX_EMBEDDED_CHARS",
    "PIECE_CHARS",
    "TEMPLATE_PROPERTY",
    "canonical_json",
    "embedded_properties",
    "embedded_template",
    "has_embedded_template",
]

TEMPLATE_PROPERTY = "musforms.template"
"""The custom property saying how the template is embedded (``v1:<pieces>``); its pieces follow it, numbered."""
PIECE_CHARS = 255
"""The longest piece of the embedded template in one custom property (the most Word keeps)."""
MAX_EMBEDDED_CHARS = 2_000_000
"""The most base64 characters of an embedded template read, all pieces together."""
MAX_EMBEDDED_BYTES = 4_000_000
"""The largest embedded template once decompressed, in bytes (its canonical JSON: every default written out)."""
_MAX_PIECES = -(-MAX_EMBEDDED_CHARS // PIECE_CHARS)
_HEADER = re.compile(r"v1:([1-9][0-9]{0,6})")
_FORMAT = "v1"


def canonical_json(template: Template) -> str:
    """The text a template's fingerprint is the hash of: its JSON, keys sorted, no spaces."""
    return json.dumps(template.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _fingerprint_of(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


_PACKED: dict[str, tuple[int, dict[str, str]]] = {}
"""Each template rendered, packed (its length and the custom properties carrying it), by fingerprint (the hash
of what it carries): a round of forms of one template packs it once."""
_PACKED_MAX = 64


def embedded_properties(template: Template) -> dict[str, str]:
    """The custom properties that carry ``template`` in a form (:class:`RenderError` when it is too large)."""
    known = _PACKED.get(template.fingerprint)
    if known is None:
        packed = base64.b64encode(zlib.compress(canonical_json(template).encode("utf-8"), 9)).decode("ascii")
        pieces = [packed[i : i + PIECE_CHARS] for i in range(0, len(packed), PIECE_CHARS)]
        properties = {TEMPLATE_PROPERTY: f"{_FORMAT}:{len(pieces)}"}
        properties.update({f"{TEMPLATE_PROPERTY}.{number}": piece for number, piece in enumerate(pieces, start=1)})
        if len(_PACKED) >= _PACKED_MAX:
            _PACKED.pop(next(iter(_PACKED)))
        known = _PACKED[template.fingerprint] = (len(packed), properties)
    size, properties = known
    if size > MAX_EMBEDDED_CHARS:
        raise RenderError(
            f"the template is too large to be carried by its forms ({size:,} characters compressed; "
            f"at most {MAX_EMBEDDED_CHARS:,})"
        )
    return dict(properties)


def has_embedded_template(properties: Mapping[str, str]) -> bool:
    """Whether a form's custom properties carry a template."""
    return TEMPLATE_PROPERTY in properties


def embedded_template(properties: Mapping[str, str], identity: FormIdentity, name: str) -> Template | None:
    """The template a form carries, verified against its identity; None when it carries none.

    A template whose content does not hash to the identity's fingerprint (edited inside the file, or carried
    by another form's identity) raises :class:`IdentityError`; one that cannot be unpacked, is too large or is
    not a valid template raises :class:`DamagedFileError`.
    """
    header = properties.get(TEMPLATE_PROPERTY)
    if header is None:
        return None
    text = _unpack(properties, header, name)
    if _fingerprint_of(text) != identity.fingerprint:
        raise IdentityError(
            f"{name}: the template the form carries does not match the fingerprint of its identity: it was changed "
            "after the form was made, so the form cannot be read with it"
        )
    try:
        template = _validated(text)
    except DamagedFileError as exc:
        raise DamagedFileError(f"{name}: the template the form carries {exc.message}") from None
    if (template.id, template.version, template.fingerprint) != (
        identity.template_id,
        identity.template_version,
        identity.fingerprint,
    ):
        raise IdentityError(
            f"{name}: the template the form carries is not the one its identity names (id, version or fingerprint "
            "differ)"
        )
    return template


def _unpack(properties: Mapping[str, str], header: str, name: str) -> str:
    """The canonical JSON of the embedded template, within the limits."""
    match = _HEADER.fullmatch(header.strip())
    if match is None or int(match.group(1)) > _MAX_PIECES:
        raise DamagedFileError(f"{name}: the template the form carries is damaged (its {TEMPLATE_PROPERTY} is wrong)")
    pieces: list[str] = []
    size = 0
    for number in range(1, int(match.group(1)) + 1):
        piece = properties.get(f"{TEMPLATE_PROPERTY}.{number}")
        if piece is None:
            raise DamagedFileError(f"{name}: the template the form carries is damaged (piece {number} is missing)")
        size += len(piece)
        if size > MAX_EMBEDDED_CHARS:
            raise DamagedFileError(
                f"{name}: the template the form carries is larger than {MAX_EMBEDDED_CHARS:,} characters"
            )
        pieces.append(piece.strip())
    try:
        packed = base64.b64decode("".join(pieces), validate=True)
        inflater = zlib.decompressobj()
        data = inflater.decompress(packed, MAX_EMBEDDED_BYTES + 1)
        if len(data) > MAX_EMBEDDED_BYTES or inflater.unconsumed_tail:
            raise DamagedFileError(
                f"{name}: the template the form carries is larger than {MAX_EMBEDDED_BYTES:,} bytes unpacked"
            )
        if not inflater.eof:
            raise ValueError("truncated")
        return data.decode("utf-8")
    except (binascii.Error, zlib.error, ValueError) as exc:  # UnicodeDecodeError is a ValueError
        raise DamagedFileError(f"{name}: the template the form carries is damaged ({_why(exc)})") from None


def _why(exc: Exception) -> str:
    if isinstance(exc, binascii.Error):
        return "not base64"
    if isinstance(exc, zlib.error):
        return "not compressed data"
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    return "cut short"


@lru_cache(maxsize=32)
def _validated(text: str) -> Template:
    """The template in ``text``, checked as the loader checks a template given as a mapping, without files
    (:class:`DamagedFileError` saying what it is not).

    Cached by content: the forms of a round of talks carry the same template, which is checked once.
    """
    try:
        data = json.loads(text)
    except ValueError:
        raise DamagedFileError("is not valid JSON") from None
    if not isinstance(data, dict) or "extends" in data or "changes" in data:
        raise DamagedFileError("is not a resolved template")
    try:
        load_template(_without_logo(data))  # every check of the loader; with no folder given, it reaches no file
        return Template.model_validate(data)  # with the logo's name, which the fingerprint covers
    except (MusformsError, ValueError) as exc:
        raise DamagedFileError(f"is not a valid template: {exc}") from None


def _without_logo(data: dict[str, Any]) -> dict[str, Any]:
    """The template's content without its logo's file name, which names a file next to the template file."""
    company = data.get("company")
    if isinstance(company, dict) and company.get("logo") is not None:
        return {**data, "company": {**company, "logo": None}}
    return data
