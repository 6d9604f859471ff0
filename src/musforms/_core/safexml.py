"""The XML of a form's parts, read safely: a part is checked before it is parsed (its encoding, no document type
declaration, so no entities or external DTDs; its depth), then parsed by an lxml parser that resolves no
entity, loads no DTD and touches no network."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from lxml import etree

from musforms._core.limits import LIBXML_MAX_DEPTH, Limits, current_reading
from musforms.errors import DamagedFileError, ParseError, TooDeepError, XmlEntitiesError

__all__ = ["check_xml_bytes", "parse_xml", "safe_parser", "xml_error"]

_ALLOWED_ENCODINGS = frozenset({"utf-8", "utf8", "us-ascii", "ascii", "utf-16", "utf-16le", "utf-16be"})
_DECLARATION = re.compile(rb"""^<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")


def _doctype_patterns() -> list[re.Pattern[bytes]]:
    patterns = []
    for word in ("<!DOCTYPE", "<!ENTITY"):
        patterns.append(re.compile(re.escape(word.encode()), re.IGNORECASE))
        for width in ("le", "be"):
            chars = []
            for char in word:
                lo, up = char.lower().encode(f"utf-16-{width}"), char.upper().encode(f"utf-16-{width}")
                chars.append(re.escape(lo) if lo == up else b"(?:" + re.escape(lo) + b"|" + re.escape(up) + b")")
            patterns.append(re.compile(b"".join(chars)))
    return patterns


_DOCTYPE = _doctype_patterns()
_ROOT_START = re.compile(rb"<[A-Za-z_]|<\x00[A-Za-z_]|\x00<\x00[A-Za-z_]")


def _prolog_end(data: bytes) -> int:
    """Where the root element starts (in UTF-8 or UTF-16): a document type can only be declared before it,
    and anywhere later it would make the XML not well-formed, which the parser refuses anyway."""
    found = _ROOT_START.search(data)
    return found.start() if found else len(data)


def check_xml_bytes(data: bytes, part: str, name: str, limits: Limits | None = None) -> None:
    """Refuse an XML part before it is parsed: an encoding other than UTF-8/UTF-16 (which Office files are
    always in), a document type declaration (entities, an external DTD), or nesting deeper than allowed."""
    encoding = _encoding(data)
    if encoding not in _ALLOWED_ENCODINGS:
        raise DamagedFileError(
            f"{name}: the part {part} is in the encoding '{encoding}'; the XML of an Office file is UTF-8 or UTF-16"
        )
    prolog = data[: _prolog_end(data)]
    if any(pattern.search(prolog) for pattern in _DOCTYPE):
        raise XmlEntitiesError(
            f"{name}: the part {part} declares a document type (<!DOCTYPE>/<!ENTITY>), which Office files never "
            "do; entities and external DTDs are not read (billion laughs, XXE), and the file is refused"
        )
    limits = limits or current_reading().limits
    if limits.max_xml_depth < LIBXML_MAX_DEPTH:
        parse_xml(data, safe_parser(), part, name, limits)


def _encoding(data: bytes) -> str:
    head = data[:4]
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    if head in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\x3c\x00\x00\x00", b"\x00\x00\x00\x3c"):
        return "utf-32"
    if head.startswith((b"\xff\xfe", b"<\x00")):
        return "utf-16le"
    if head.startswith((b"\xfe\xff", b"\x00<")):
        return "utf-16be"
    if head == b"\x4c\x6f\xa7\x94":
        return "ebcdic"
    match = _DECLARATION.match(data[:300])
    return match.group(1).decode("ascii").lower() if match else "utf-8"


def safe_parser() -> etree.XMLParser:
    """The lxml parser for untrusted XML: no entities resolved, no DTD loaded, no network, libxml2's limits.

    One parser per thread, made once and reused: a parser keeps no document, and reusing it spares setting up
    libxml2's parser for every part read.
    """
    parser: etree.XMLParser | None = getattr(_PER_THREAD, "parser", None)
    if parser is None:
        parser = _PER_THREAD.parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
        )
    return parser


_PER_THREAD = threading.local()


def parse_xml(
    data: bytes, parser: etree.XMLParser | None, part: str, name: str, limits: Limits | None = None
) -> etree._Element:
    """Parse an XML part with the safe parser; every failure is a musforms error naming the part."""
    limits = limits or current_reading().limits
    try:
        root = etree.fromstring(data, parser or safe_parser())
    except etree.XMLSyntaxError as exc:
        raise xml_error(exc, part, name) from None
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.doctype:
        raise XmlEntitiesError(f"{name}: the part {part} declares a document type, which Office files never do")
    if limits.max_xml_depth < LIBXML_MAX_DEPTH and _deeper(limits.max_xml_depth)(root):
        raise TooDeepError(f"{name}: the part {part} nests elements more than {limits.max_xml_depth} deep")
    return root


@lru_cache(maxsize=8)
def _deeper(depth: int) -> etree.XPath:
    """An XPath that is true when an element lies ``depth + 1`` levels deep (linear in the tree's size)."""
    return etree.XPath("boolean(" + "/*" * (depth + 1) + ")")


def xml_error(exc: etree.XMLSyntaxError, part: str, name: str) -> ParseError:
    """The musforms error for an XML part lxml could not parse (without the part's content)."""
    message = (exc.msg or "").lower()
    if "excessive depth" in message:
        return TooDeepError(f"{name}: the part {part} nests elements more than {LIBXML_MAX_DEPTH} deep")
    if "amplification" in message or ("entity" in message and "loop" in message):
        return XmlEntitiesError(f"{name}: the part {part} expands entities, which Office files never do")
    line, column = exc.position if exc.position else (0, 0)
    where = f" (line {line}, column {column})" if line else ""
    return DamagedFileError(f"{name}: the part {part} is not well-formed XML{where}")
