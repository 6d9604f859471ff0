"""What kind of file a form file is, from its first bytes: a zip package goes on to be read; anything else (a
PDF, an old .doc or .xls, an encrypted Office file, an image, an archive, a text...) is refused, named as what
it is."""

from __future__ import annotations

from musforms.errors import DamagedFileError, EncryptedError, NotAFormError

__all__ = ["SAVE_AS", "sniff"]

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_STREAMS = ("EncryptedPackage", "EncryptionInfo", "WordDocument", "Workbook", "Book", "PowerPoint Document")
SAVE_AS = "save it as .docx or .xlsx"
"""How a message says what to do with a file of another format."""


def _ole_streams(data: bytes) -> set[str]:
    """The names among :data:`_OLE_STREAMS` of directory entries in an OLE2 compound file.

    Directory entries lie in sectors of 512 or 4096 bytes after the header, 128 bytes each, the name first
    (UTF-16, NUL-terminated) and its length in bytes at offset 64; a name is only counted there.
    """
    found: set[str] = set()
    for wanted in _OLE_STREAMS:
        needle = wanted.encode("utf-16-le") + b"\0\0"
        start = 512
        while (at := data.find(needle, start)) >= 0:
            start = at + 2
            if at % 128 == 0 and data[at + 64 : at + 66] == len(needle).to_bytes(2, "little"):
                found.add(wanted)
                break
    return found


def _text_kind(head: bytes) -> str | None:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    lower = stripped[:4096].lower()
    if lower.startswith(b"<?xml") or lower.startswith(b"<"):
        if b"w:worddocument" in lower or b"schemas.microsoft.com/office/word/2003" in lower:
            return "a Word 2003 XML file; " + SAVE_AS
        if b"pkg:package" in lower:
            return "a Word/Excel flat XML file (Flat OPC); " + SAVE_AS
        if b"urn:schemas-microsoft-com:office:spreadsheet" in lower:
            return "an Excel 2003 XML file; " + SAVE_AS
        if b"<html" in lower or b"<!doctype html" in lower:
            return (
                "an HTML page, not a .docx or .xlsx form (a web form is read from its submitted fields with "
                "parse_submission)"
            )
        return "an XML file, not a .docx or .xlsx form"
    if lower.startswith(b"{\\rtf"):
        return "an RTF file; " + SAVE_AS
    if lower.startswith(b"mime-version:") or b"\nmime-version:" in lower[:2048]:
        return "an e-mail or web archive (MIME); save the attachment itself and read that"
    return None


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
)


def sniff(data: bytes, name: str) -> None:
    """Refuse what is not a zip package, saying what it is; return for a zip package."""
    if not data:
        raise NotAFormError(f"{name}: the file is empty")
    if data.startswith(b"PK\x03\x04"):
        return
    if data.startswith(b"PK\x05\x06"):
        raise NotAFormError(f"{name}: an empty zip archive, not a .docx or .xlsx form")
    if data.startswith(_OLE2):
        streams = _ole_streams(data)
        if {"EncryptedPackage", "EncryptionInfo"} & streams:
            raise EncryptedError(
                f"{name}: the file is encrypted (password-protected); musforms cannot read it. Remove the password "
                "(File > Info > Protect Document / Workbook > Encrypt with Password, and clear it) and save again"
            )
        if "WordDocument" in streams:
            raise NotAFormError(f"{name}: this is an old binary Word file (.doc), not a form; {SAVE_AS}")
        if {"Workbook", "Book"} & streams:
            raise NotAFormError(f"{name}: this is an old binary Excel file (.xls), not a form; {SAVE_AS}")
        if "PowerPoint Document" in streams:
            raise NotAFormError(f"{name}: this is an old binary PowerPoint file (.ppt), not a .docx or .xlsx form")
        raise NotAFormError(
            f"{name}: this is an old binary Office file (.doc/.xls) or another OLE2 compound file (such as an "
            f"Outlook message); {SAVE_AS}"
        )
    if b"%PDF-" in data[:1024]:
        raise NotAFormError(f"{name}: this is a PDF, not a .docx or .xlsx form")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise NotAFormError(f"{name}: this is {what}, not a .docx or .xlsx form")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        raise NotAFormError(f"{name}: this is a WebP image, not a .docx or .xlsx form")
    if data[4:8] == b"ftyp":
        raise NotAFormError(f"{name}: this is an image or video (HEIC/MP4), not a .docx or .xlsx form")
    if b"PK\x03\x04" in data[:65536] or b"PK\x05\x06" in data[-65557:]:
        raise DamagedFileError(f"{name}: the zip package is damaged (it does not start where a zip starts)")
    text = _text_kind(data[:65536])
    if text:
        raise NotAFormError(f"{name}: this is {text}")
    head = data[:4096]
    try:
        head.decode("utf-8")
        is_text = True
    except UnicodeDecodeError as exc:
        is_text = exc.start > len(head) - 4  # a character cut at the end of the sample
    if is_text and b"\x00" not in head:
        raise NotAFormError(f"{name}: this is a text file, not a .docx or .xlsx file (it is not a zip package)")
    raise NotAFormError(f"{name}: not a .docx or .xlsx file (it is not a zip package)")
